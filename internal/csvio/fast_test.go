package csvio

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// parseNumber gives strconv.ParseFloat's bits on every plain decimal, and
// declines exactly what the exact reader does not take as a number.
func TestParseNumberMatchesStrconv(t *testing.T) {
	edge := []string{
		"0", "-0", "+0", "0.0", "-0.000", ".5", "5.", "-.5e-3", "+1", "1e22", "1e23", "9007199254740992",
		"9007199254740993", "9007199254740993.0", "1.7976931348623157e308", "1.7976931348623159e308",
		"4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "1e-400", "0e999999999",
		"123456789012345678901234567890", "0.000000000000000000000000000001", "1e400", "-1e400", "1e", "e5", ".",
		"+", "-", "1.2.3", "1e+", "0x1p-2", "1_000", "inf", "NaN", " 1.5 ", "\t-2\t", "1 2", "", " ",
		"2.2250738585072011e-308", "2.2250738585072012e-308", "0.1", "0.3", "3.0000000000000004",
		"1" + strings.Repeat("0", 400) + "e-400", "0." + strings.Repeat("0", 330) + "1e330",
		"99999999999999999999", "1.00000000000000011102230246251565404236316680908203125",
		"1.00000000000000011102230246251565404236316680908203124", "7e-23", "9.5e22", "123e-22",
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200000 {
		var s string
		switch rng.IntN(4) {
		case 0:
			s = strconv.FormatFloat(math.Float64frombits(rng.Uint64()), 'g', -1, 64)
		case 1:
			s = strconv.FormatFloat(rng.NormFloat64()*math.Pow(10, float64(rng.IntN(60)-30)), 'g', -1, 64)
		case 2:
			s = strconv.FormatFloat(rng.NormFloat64()*100, 'f', rng.IntN(20), 64)
		default:
			// Random decimal strings: many digits, any exponent.
			var b strings.Builder
			if rng.IntN(2) == 0 {
				b.WriteByte('-')
			}
			for range 1 + rng.IntN(25) {
				b.WriteByte(byte('0' + rng.IntN(10)))
			}
			if rng.IntN(2) == 0 {
				b.WriteByte('.')
				for range rng.IntN(25) {
					b.WriteByte(byte('0' + rng.IntN(10)))
				}
			}
			if rng.IntN(2) == 0 {
				fmt.Fprintf(&b, "e%d", rng.IntN(700)-350)
			}
			s = b.String()
		}
		edge = append(edge, s)
	}
	for _, s := range edge {
		got, ok := parseNumber([]byte(s))
		want, perr, _, _ := parseCell(s)
		if ok != (perr == nil) {
			t.Fatalf("%q: fast ok %v, exact error %v", s, ok, perr)
		}
		if ok && math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("%q: fast %v (%x), strconv %v (%x)", s, got, math.Float64bits(got), want, math.Float64bits(want))
		}
	}
	if n := testing.AllocsPerRun(100, func() { parseNumber([]byte("-1.2345678901234567e-5")) }); n != 0 {
		t.Errorf("parseNumber allocates %v times per call", n)
	}
}

// sameTable reports how two reads differ, or "".
func sameTable(a, b *Table, ea, eb error) string {
	if (ea == nil) != (eb == nil) {
		return fmt.Sprintf("errors differ: %v / %v", ea, eb)
	}
	if ea != nil {
		if ea.Error() != eb.Error() {
			return fmt.Sprintf("errors differ:\n%v\n%v", ea, eb)
		}
		var pa, pb *Error
		if errors.As(ea, &pa) != errors.As(eb, &pb) || (pa != nil && *pa != *pb) {
			return fmt.Sprintf("error values differ: %#v / %#v", pa, pb)
		}
		return ""
	}
	ra, ca := a.X.Dims()
	rb, cb := b.X.Dims()
	if ra != rb || ca != cb || strings.Join(a.Columns, "\x00") != strings.Join(b.Columns, "\x00") || a.LabelName != b.LabelName {
		return fmt.Sprintf("shapes differ: %d×%d %q / %d×%d %q", ra, ca, a.Columns, rb, cb, b.Columns)
	}
	for i, v := range a.X.RawMatrix().Data {
		if math.Float64bits(v) != math.Float64bits(b.X.RawMatrix().Data[i]) {
			return fmt.Sprintf("value %d differs: %v / %v", i, v, b.X.RawMatrix().Data[i])
		}
	}
	if fmt.Sprint(a.Labels, a.Known, a.Weights) != fmt.Sprint(b.Labels, b.Known, b.Weights) {
		return "labels, known classes or weights differ"
	}
	if (a.Labels == nil) != (b.Labels == nil) || (a.Known == nil) != (b.Known == nil) || (a.Weights == nil) != (b.Weights == nil) {
		return "nil-ness of labels, known or weights differs"
	}
	return ""
}

// streamAll reads data through Fast in blocks of rows rows.
func streamAll(data []byte, opts Options, rows int) (*Table, error) {
	f, err := NewFast(bytes.NewReader(data), opts)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	d := len(f.Columns())
	buf := mat.NewDense(rows, d, nil)
	labels := make([]string, rows)
	weights := make([]float64, rows)
	var all, ws []float64
	var labs []string
	for {
		n, err := f.ReadChunkWeights(buf, labels, weights)
		for i := range n {
			all = append(all, buf.RawRowView(i)...)
		}
		labs = append(labs, labels[:n]...)
		ws = append(ws, weights[:n]...)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	t := &Table{Columns: f.Columns(), X: mat.NewDense(len(all)/d, d, all), LabelName: f.LabelName()}
	if opts.Label != "" {
		t.Labels = labs
	}
	if opts.Weights != "" {
		t.Weights = ws
	}
	return t, nil
}

// checkFastExact compares the fast path (whole and streamed) with the
// exact reader on data.
func checkFastExact(t *testing.T, data []byte, opts Options) {
	t.Helper()
	a, ea := exactReadAll(bytes.NewReader(data), opts)
	b, eb := ReadAll(bytes.NewReader(data), opts)
	if d := sameTable(a, b, ea, eb); d != "" {
		t.Fatalf("ReadAll: exact vs fast: %s\ninput %q", d, data)
	}
	if opts.MaxRows > 0 || opts.Known != "" {
		return // streams are not limited; a stream has no known classes
	}
	// A stream: same rows; an error at the same place (a stream does not
	// check that not every weight is 0).
	s, es := streamAll(data, opts, 3)
	if ea != nil && errors.Is(ea, ErrWeight) && strings.Contains(ea.Error(), "every weight is 0") {
		return
	}
	if a != nil {
		a = &Table{Columns: a.Columns, X: a.X, LabelName: a.LabelName, Labels: a.Labels, Weights: a.Weights}
	}
	if d := sameTable(a, s, ea, es); d != "" {
		t.Fatalf("stream: exact vs fast: %s\ninput %q", d, data)
	}
}

// Many chunks, every worker busy: the fast path gives the exact reader's
// rows; a bad cell far in the file gives the exact reader's error.
func TestFastMatchesExactLarge(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var b bytes.Buffer
	b.WriteString("a,b,lab,w\r\n")
	for i := range 120000 {
		fmt.Fprintf(&b, "%v,%v,%c,%v\r\n", rng.NormFloat64()*1e3, strconv.FormatFloat(rng.Float64(), 'e', -1, 64), 'p'+rune(i%3), rng.IntN(4))
		if i%5000 == 0 {
			b.WriteString("\r\n")
		}
	}
	data := b.Bytes()
	for _, p := range []int{1, 2, 5} {
		old := runtime.GOMAXPROCS(p)
		checkFastExact(t, data, Options{Name: "big.csv", Label: "lab", Weights: "w"})
		runtime.GOMAXPROCS(old)
	}
	bad := bytes.Replace(data, []byte("\r\n"), []byte("\r\n1,2,x,oops\r\n"), 1)
	bad = append(bad[:len(bad)-2000:len(bad)-2000], []byte("\r\n1,\"2\",x,3\r\n")...)
	checkFastExact(t, bad, Options{Name: "big.csv", Label: "lab", Weights: "w"})
	late := append(bytes.Clone(data), []byte("1,2,x,-1\r\n")...)
	checkFastExact(t, late, Options{Name: "big.csv", Label: "lab", Weights: "w"})
}

// FuzzFastExact: for any input and options, the fast path and the exact
// reader give the same rows, bits and errors, whole or streamed.
func FuzzFastExact(f *testing.F) {
	for _, s := range []string{
		"a,b\n1,2\n", "1,2\n3,4", "\ufeffa;b\r\n1;2\r\n", "x,y\r1,2\r", "a,b\n\"1\",2\n", "a,b\n1,2\n3\n",
		"a,lab\n1,z\n", "a\n1e400\n", "a\n0x1p-2\n", "", "a,b\n1,\n", "a,b,w\n1,NA,2\n,,1\n", "1,2\n\n\n3,4\n",
		"a,k\n1,x\n2,\n", "a,w\n1,0\n2,0\n", "a,w\n1,-1\n", "\ufeff1,2\n3,4\n", "a,b\r\n1,2\r\n3,4",
	} {
		f.Add([]byte(s), byte(','), "", uint8(0), uint8(0))
	}
	f.Add([]byte("a,lab\n1,z\n2,y\n"), byte(','), "lab", uint8(1), uint8(0))
	f.Add([]byte("a,w,b\n1,2,NA\n,1,3\n"), byte(','), "", uint8(0), uint8(7))
	f.Fuzz(func(t *testing.T, data []byte, delim byte, label string, mode, extra uint8) {
		opts := Options{Name: "fuzz.csv", Delimiter: rune(delim), Label: label, Header: HeaderMode(mode % 3)}
		if delim == 0 || delim == '"' || delim == '\r' || delim == '\n' || delim >= 0x80 {
			opts.Delimiter = ','
		}
		if extra&1 != 0 {
			opts.Missing = []string{"NA", "?"}
		}
		if extra&2 != 0 {
			opts.Weights = "w"
		}
		if extra&4 != 0 {
			opts.Weights = "2"
		}
		if extra&8 != 0 {
			opts.Known = "k"
		}
		if extra&16 != 0 {
			opts.MaxRows = 2
		}
		if extra&32 != 0 {
			opts.MaxLine = 8
		}
		checkFastExact(t, data, opts)
	})
}

// A file on disk read whole: the fast path and the exact reader agree (on
// the benchmark-like shape), and a line longer than the cap is refused
// with its line, without reading it whole.
func TestLineCap(t *testing.T) {
	_, err := ReadAll(strings.NewReader("a,b\n1,2\n"+strings.Repeat("9", 100)+"\n"), Options{Name: "l.csv", MaxLine: 50})
	wantErr(t, "cap", err, ErrLineLength, "l.csv:3: ", "longer than 50 bytes")
	_, err = exactReadAll(io.LimitReader(zeros{}, 64<<20), Options{Name: "/dev/zero"})
	wantErr(t, "zeros", err, ErrLineLength, "/dev/zero:1: ", "longer than 16777216 bytes")
	long := strings.Repeat("x", 10<<20)
	_, err = ReadAll(strings.NewReader("a\n"+long+"\n"), Options{Name: "big.csv"})
	if err == nil || len(err.Error()) > 400 || !strings.Contains(err.Error(), "(10485760 bytes)") {
		t.Errorf("a 10 MB cell: the message is %d bytes: %.300s", len(fmt.Sprint(err)), err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// A UTF-16 file is named as such (issue 22, item 16).
func TestUTF16(t *testing.T) {
	for _, in := range []string{"\xff\xfea\x00,\x00b\x00\n\x00", "\xfe\xff\x00a\x00,", "a\x00,\x00b\x00\n\x001\x00"} {
		_, err := ReadAll(strings.NewReader(in), Options{Name: "u.csv"})
		wantErr(t, "utf-16", err, ErrEncoding, "u.csv: the file is UTF-16 text", "iconv")
		if strings.Contains(err.Error(), "\xff") || strings.Contains(err.Error(), `\xff`) {
			t.Errorf("raw bytes in the message: %v", err)
		}
	}
}

// A headerless file whose only text is in the label column: its first row
// is data (issue 22, item 11).
func TestHeaderlessWithTextLabel(t *testing.T) {
	tab, err := read(t, "5.1,3.5,setosa\n4.9,3.0,setosa\n", Options{Label: "3"})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := tab.X.Dims(); r != 2 || tab.Labels[0] != "setosa" || tab.Columns[0] != "x1" {
		t.Errorf("got %d rows, labels %q, columns %q", r, tab.Labels, tab.Columns)
	}
	tab, err = read(t, "a,b,species\n1,2,setosa\n", Options{Label: "3"})
	if err != nil || tab.X.At(0, 0) != 1 || tab.LabelName != "species" {
		t.Errorf("a header is still a header: %v %v", err, tab)
	}
}

// The fast path through a real file, as the CLI reads it.
func TestFastFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.csv")
	var b bytes.Buffer
	for i := range 50000 {
		fmt.Fprintf(&b, "%d,%v\n", i, float64(i)/7)
	}
	os.WriteFile(path, b.Bytes(), 0o644)
	tab, err := ReadFile(path, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := tab.X.Dims(); r != 50000 || tab.X.At(49999, 1) != 49999.0/7 {
		t.Errorf("got %d rows, last %v", r, tab.X.At(r-1, 1))
	}
}
