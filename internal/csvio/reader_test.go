package csvio

import (
	"errors"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func read(t *testing.T, in string, opts Options) (*Table, error) {
	t.Helper()
	if opts.Name == "" {
		opts.Name = "data.csv"
	}
	return ReadAll(strings.NewReader(in), opts)
}

func wantRows(t *testing.T, name string, tab *Table, want [][]float64) {
	t.Helper()
	r, c := tab.X.Dims()
	if r != len(want) || (r > 0 && c != len(want[0])) {
		t.Fatalf("%s: got %d×%d, want %d×%d", name, r, c, len(want), len(want[0]))
	}
	for i := range want {
		for j := range want[i] {
			if got := tab.X.At(i, j); math.Float64bits(got) != math.Float64bits(want[i][j]) {
				t.Errorf("%s: X[%d,%d] got %v, want %v", name, i, j, got, want[i][j])
			}
		}
	}
}

func wantErr(t *testing.T, name string, err error, sentinel error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: got no error, want %v", name, sentinel)
		return
	}
	if sentinel != nil && !errors.Is(err, sentinel) {
		t.Errorf("%s: got %v, want errors.Is %v", name, err, sentinel)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %q does not contain %q", name, err, p)
		}
	}
}

// C-01: an empty file.
func TestEmpty(t *testing.T) {
	_, err := read(t, "", Options{})
	wantErr(t, "empty", err, ErrEmpty, "data.csv: empty input")
	_, err = read(t, "\n\n", Options{})
	wantErr(t, "blank lines only", err, ErrEmpty)
}

// C-02: a header and no data rows.
func TestHeaderOnly(t *testing.T) {
	_, err := read(t, "a,b\n", Options{})
	wantErr(t, "header only", err, ErrNoRows, "no data rows")
}

// C-03: header detection, and forcing it either way.
func TestHeaderDetection(t *testing.T) {
	tab, err := read(t, "a,b\n1,2\n", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(tab.Columns, ",") != "a,b" {
		t.Errorf("auto, text header: columns %v", tab.Columns)
	}
	wantRows(t, "auto text header", tab, [][]float64{{1, 2}})

	tab, err = read(t, "1,2\n3,4\n", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(tab.Columns, ",") != "x1,x2" {
		t.Errorf("auto, no header: columns %v", tab.Columns)
	}
	wantRows(t, "auto numeric first row", tab, [][]float64{{1, 2}, {3, 4}})

	// A numeric-looking header read with --header.
	tab, err = read(t, "1,2\n3,4\n", Options{Header: HeaderPresent})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(tab.Columns, ",") != "1,2" {
		t.Errorf("forced header: columns %v", tab.Columns)
	}
	wantRows(t, "forced header", tab, [][]float64{{3, 4}})

	// --no-header with a text first row: the text is data and is rejected.
	_, err = read(t, "a,b\n1,2\n", Options{Header: HeaderAbsent})
	wantErr(t, "forced no header", err, ErrNotNumber, "data.csv:1:1", `"a"`)

	// A first row of data with a NaN is data (rejected), not a header.
	_, err = read(t, "1,NaN\n3,4\n", Options{})
	wantErr(t, "nan first row", err, ErrNonFinite, "data.csv:1:3")
	// Header names are trimmed.
	tab, _ = read(t, " a , b \n1,2\n", Options{})
	if strings.Join(tab.Columns, ",") != "a,b" {
		t.Errorf("trimmed header: %v", tab.Columns)
	}
}

// C-04: a UTF-8 byte-order mark is removed; column numbers on line 1 count it.
func TestBOM(t *testing.T) {
	tab, err := read(t, "\ufeffa,b\n1,2\n", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tab.Columns[0] != "a" {
		t.Errorf("first header: got %q, want \"a\"", tab.Columns[0])
	}
	_, err = read(t, "\ufeff1,x\n", Options{Header: HeaderAbsent})
	wantErr(t, "bom column", err, ErrNotNumber, "data.csv:1:6")
}

// C-05, C-06, C-15: LF, CRLF, lone CR, and no final newline parse alike.
func TestLineEnds(t *testing.T) {
	want := [][]float64{{1, 2}, {3, 4}}
	for _, c := range []struct{ name, in string }{
		{"LF", "a,b\n1,2\n3,4\n"},
		{"CRLF", "a,b\r\n1,2\r\n3,4\r\n"},
		{"CR", "a,b\r1,2\r3,4\r"},
		{"mixed", "a,b\r\n1,2\r3,4\n"},
		{"no final newline", "a,b\n1,2\n3,4"},
		{"CR no final", "a,b\r1,2\r3,4"},
	} {
		tab, err := read(t, c.in, Options{})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		wantRows(t, c.name, tab, want)
	}
	// Line numbers are right in a lone-CR file.
	_, err := read(t, "a,b\r1,2\r3,x\r", Options{})
	wantErr(t, "CR line number", err, ErrNotNumber, "data.csv:3:3")
}

// A lone CR that ends one Read buffer and an LF that starts the next.
func TestLineEndsAcrossReads(t *testing.T) {
	in := "a,b\r\n1,2\r3,4\r"
	le := newLineEnds(&oneByte{r: strings.NewReader(in)}, DefaultMaxLine)
	var out []byte
	buf := make([]byte, 1)
	for {
		n, err := le.Read(buf)
		out = append(out, buf[:n]...)
		if err == io.EOF {
			break
		}
	}
	if got, want := string(out), "a,b\r\n1,2\n3,4\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

type oneByte struct{ r io.Reader }

func (o *oneByte) Read(p []byte) (int, error) { return o.r.Read(p[:1]) }

// C-07: ragged rows; empty lines skipped.
func TestRagged(t *testing.T) {
	for _, c := range []struct{ name, in, where, hint string }{
		{"short row", "a,b,c\n1,2,3\n4,5\n", "data.csv:3: 2 field(s), but the header has 3", "same number"},
		{"trailing comma", "a,b\n1,2,\n", "data.csv:2: 3 field(s)", "trailing delimiter"},
		{"space line", "a,b\n1,2\n \n3,4\n", "data.csv:3: 1 field(s)", "only spaces"},
		{"long row no header", "1,2\n3,4,5\n", "the first row has 2", "same number"},
	} {
		_, err := read(t, c.in, Options{})
		wantErr(t, c.name, err, ErrRagged, c.where, c.hint)
	}
	tab, err := read(t, "a,b\n1,2\n\n\n3,4\n", Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantRows(t, "empty lines", tab, [][]float64{{1, 2}, {3, 4}})
}

// C-08: quotes.
func TestQuotes(t *testing.T) {
	_, err := read(t, "a,b\n1,2\"x\n", Options{})
	wantErr(t, "bare quote", err, ErrQuote, "data.csv:2:4", `bare "`)
	_, err = read(t, "a,b\n1,\"2\n", Options{})
	wantErr(t, "unterminated", err, ErrQuote, "extraneous or missing")
	tab, err := read(t, "a,b\n\"1.5\",2\n", Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantRows(t, "quoted number", tab, [][]float64{{1.5, 2}})
}

// C-09 … C-12, C-14: cells.
func TestCells(t *testing.T) {
	for _, c := range []struct {
		cell string
		err  error
		want float64
		msg  string
	}{
		{"abc", ErrNotNumber, 0, "not a number"},
		{`"1,5"`, ErrNotNumber, 0, "decimal comma"},
		{"", ErrMissing, 0, "empty cell"},
		{" 1.5", nil, 1.5, ""},
		{"1.5\t", nil, 1.5, ""},
		{"NA", ErrMissing, 0, "missing-value marker"},
		{"null", ErrMissing, 0, "missing-value marker"},
		{"-nan", ErrMissing, 0, ""},
		{"NaN", ErrNonFinite, 0, "NaN or infinity"},
		{"nan", ErrNonFinite, 0, ""},
		{"inf", ErrNonFinite, 0, ""},
		{"+Inf", ErrNonFinite, 0, ""},
		{"-Infinity", ErrNonFinite, 0, ""},
		{"1e400", ErrRange, 0, "out of range"},
		{"-1e400", ErrRange, 0, ""},
		{"1e-400", nil, 0, ""},
		{"4.9e-324", nil, 4.9e-324, ""},
		{"1_000", ErrSyntax, 0, "digit separators"},
		{"0x1p-2", ErrSyntax, 0, "hexadecimal"},
		{"+.5", nil, 0.5, ""},
		{"5.", nil, 5, ""},
		{".", ErrMissing, 0, ""},
		{"1e", ErrNotNumber, 0, ""},
		{"--1", ErrNotNumber, 0, ""},
		{"1\x00", ErrNotNumber, 0, `"1\x00"`},
		{"\xff", ErrNotNumber, 0, `"\xff"`},
	} {
		tab, err := read(t, "a,b\n1,"+c.cell+"\n", Options{})
		if c.err == nil {
			if err != nil {
				t.Errorf("%q: %v", c.cell, err)
				continue
			}
			wantRows(t, c.cell, tab, [][]float64{{1, c.want}})
			continue
		}
		wantErr(t, c.cell, err, c.err, "data.csv:2:3", `column 2 ("b")`, c.msg)
	}
}

// C-13: the delimiter.
func TestDelimiter(t *testing.T) {
	in := "a;b\n1;2\n"
	_, err := read(t, "a;b\n1;2\n", Options{})
	wantErr(t, "semicolon read as comma", err, ErrNotNumber, `use --delimiter ';'`)
	_, err = read(t, "a,b\n1;2\n", Options{})
	wantErr(t, "semicolon rows", err, ErrRagged, "--delimiter")
	tab, err := read(t, in, Options{Delimiter: ';'})
	if err != nil {
		t.Fatal(err)
	}
	wantRows(t, "semicolon", tab, [][]float64{{1, 2}})
	tab, err = read(t, "a\tb\n1\t2\n", Options{Delimiter: '\t'})
	if err != nil {
		t.Fatal(err)
	}
	wantRows(t, "tab", tab, [][]float64{{1, 2}})
	if _, err := NewReader(strings.NewReader(in), Options{Delimiter: '"'}); err == nil {
		t.Error("a quote as delimiter: want an error")
	}
}

// C-16: a line longer than 64 KiB, and streaming in bounded chunks.
func TestLongLineAndChunks(t *testing.T) {
	const d = 20000 // 20000 fields of "1.25," is about 100 KiB per line
	var b strings.Builder
	for j := range d {
		if j > 0 {
			b.WriteByte(',')
		}
		b.WriteString("1.25")
	}
	line := b.String()
	in := line + "\n" + line + "\n" + line + "\n"
	r, err := NewReader(strings.NewReader(in), Options{Name: "wide.csv"})
	if err != nil {
		t.Fatal(err)
	}
	chunk := mat.NewDense(2, d, nil)
	n, err := r.ReadChunk(chunk, nil)
	if n != 2 || err != nil {
		t.Fatalf("first chunk: n=%d err=%v", n, err)
	}
	n, err = r.ReadChunk(chunk, nil)
	if n != 1 || err != io.EOF {
		t.Fatalf("last chunk: n=%d err=%v, want 1 io.EOF", n, err)
	}
	if chunk.At(0, d-1) != 1.25 {
		t.Errorf("got %v", chunk.At(0, d-1))
	}
}

// --max-rows guard.
func TestMaxRows(t *testing.T) {
	_, err := read(t, "a\n1\n2\n3\n", Options{MaxRows: 2})
	wantErr(t, "max rows", err, ErrTooMany, "more than 2")
	if _, err := read(t, "a\n1\n2\n", Options{MaxRows: 2}); err != nil {
		t.Errorf("at the limit: %v", err)
	}
}

// C-18: duplicate and empty header names.
func TestHeaderNames(t *testing.T) {
	_, err := read(t, "a,b,a\n1,2,3\n", Options{})
	wantErr(t, "duplicate", err, ErrHeader, `column 3 ("a")`, "also column 1")
	_, err = read(t, ",a\n1,2\n", Options{})
	wantErr(t, "empty name", err, ErrHeader, "column 1", "empty column name", "index=False")
}

// The label column, by name or number, kept apart as strings.
func TestLabel(t *testing.T) {
	in := "x,species,y\n1,setosa,2\n3, virginica ,4\n"
	tab, err := read(t, in, Options{Label: "species"})
	if err != nil {
		t.Fatal(err)
	}
	wantRows(t, "label", tab, [][]float64{{1, 2}, {3, 4}})
	if strings.Join(tab.Labels, ",") != "setosa,virginica" || tab.LabelName != "species" || strings.Join(tab.Columns, ",") != "x,y" {
		t.Errorf("got labels %q name %q columns %v", tab.Labels, tab.LabelName, tab.Columns)
	}
	tab, err = read(t, in, Options{Label: "2"})
	if err != nil || tab.LabelName != "species" {
		t.Errorf("label by number: %v %v", err, tab)
	}
	_, err = read(t, in, Options{Label: "kind"})
	wantErr(t, "unknown label", err, ErrLabel, `"kind" not found`, `"species"`)
	_, err = read(t, "1,2\n3,4\n", Options{Label: "species"})
	wantErr(t, "label without header", err, ErrLabel, "no header row")
	tab, err = read(t, "1,2\n3,4\n", Options{Label: "2"})
	if err != nil || strings.Join(tab.Labels, ",") != "2,4" {
		t.Errorf("numeric label column: %v %v", err, tab)
	}
	_, err = read(t, in, Options{})
	wantErr(t, "text column without --label", err, ErrNotNumber, `column 2 ("species")`, "--label")
	_, err = read(t, "species\na\n", Options{Label: "species"})
	wantErr(t, "label only", err, ErrNoFeatures)
}

func TestReadFile(t *testing.T) {
	tab, err := ReadFile("-", strings.NewReader("a\n1\n"), Options{})
	if err != nil || tab.X.At(0, 0) != 1 {
		t.Fatalf("stdin: %v", err)
	}
	_, err = ReadFile("-", strings.NewReader("a\nx\n"), Options{})
	wantErr(t, "stdin name", err, ErrNotNumber, "<stdin>:2:1")
	_, err = ReadFile("testdata/nope.csv", nil, Options{})
	if err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: got %v", err)
	}
	_, err = ReadFile("testdata", nil, Options{})
	if err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Errorf("folder: got %v", err)
	}
}

// genRows is an io.Reader producing a header and n rows of "i,i.5\n"
// without holding them in memory.
type genRows struct {
	n, i int
	buf  []byte
}

func (g *genRows) Read(p []byte) (int, error) {
	for len(g.buf) < len(p) && g.i <= g.n {
		if g.i == 0 {
			g.buf = append(g.buf, "a,b\n"...)
		} else {
			g.buf = strconv.AppendInt(g.buf, int64(g.i), 10)
			g.buf = append(g.buf, ',')
			g.buf = strconv.AppendInt(g.buf, int64(g.i), 10)
			g.buf = append(g.buf, ".5\n"...)
		}
		g.i++
	}
	if len(g.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, g.buf)
	g.buf = g.buf[n:]
	return n, nil
}

// C-16: a million rows stream through ReadChunk in bounded memory: the heap
// in use does not grow with the number of rows.
func TestStreamBoundedMemory(t *testing.T) {
	const n = 1_000_000
	r, err := NewReader(&genRows{n: n}, Options{Name: "gen.csv"})
	if err != nil {
		t.Fatal(err)
	}
	chunk := mat.NewDense(4096, 2, nil)
	var before, peak runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	rows, sum := 0, 0.0
	for {
		k, err := r.ReadChunk(chunk, nil)
		for i := range k {
			sum += chunk.At(i, 0)
		}
		rows += k
		if rows%(64*4096) == 0 {
			runtime.ReadMemStats(&peak)
			if grown := int64(peak.HeapInuse) - int64(before.HeapInuse); grown > 16<<20 {
				t.Fatalf("heap grew by %d bytes after %d rows", grown, rows)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if rows != n || sum != float64(n)*(n+1)/2 {
		t.Fatalf("got %d rows summing to %v", rows, sum)
	}
}
