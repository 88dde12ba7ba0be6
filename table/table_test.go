package table

import (
	"bytes"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// randomTable returns n×d values of every magnitude (so that a round trip
// through text is a real test of the bits) and labels.
func randomTable(n, d int, seed uint64) *Table {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := mat.NewDense(n, d, nil)
	labels := make([]string, n)
	for i := range n {
		for j := range d {
			x.Set(i, j, rng.NormFloat64()*math.Pow(10, float64(rng.IntN(40)-20)))
		}
		labels[i] = string(rune('a' + rng.IntN(3)))
	}
	cols := make([]string, d)
	for j := range cols {
		cols[j] = "c" + string(rune('A'+j))
	}
	return &Table{Columns: cols, X: x, Labels: labels, LabelName: "class"}
}

func writeFile(t *testing.T, tab *Table) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteCSV(&b, tab); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "data.csv")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func sameBits(a, b *mat.Dense) bool {
	ra, ca := a.Dims()
	rb, cb := b.Dims()
	if ra != rb || ca != cb {
		return false
	}
	for i := range ra {
		for j := range ca {
			if math.Float64bits(a.At(i, j)) != math.Float64bits(b.At(i, j)) {
				return false
			}
		}
	}
	return true
}

// WriteCSV then Read gives back the same bits, columns and labels.
func TestReadWriteRoundTrip(t *testing.T) {
	want := randomTable(300, 4, 1)
	got, err := Read(writeFile(t, want), Options{Label: "class"})
	if err != nil {
		t.Fatal(err)
	}
	if !sameBits(got.X, want.X) {
		t.Error("the values differ after a round trip")
	}
	if !slices.Equal(got.Columns, want.Columns) || !slices.Equal(got.Labels, want.Labels) || got.LabelName != "class" {
		t.Errorf("got columns %v, label %q; want %v, %q", got.Columns, got.LabelName, want.Columns, "class")
	}
}

// The located errors of the CSV reader come through, as *Error values
// wrapping their sentinel, named by Options.Name or the path.
func TestReadErrors(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, data string
		opts       Options
		sentinel   error
		msg        string
	}{
		{"nan", "a,b\n1,2\n3,NaN\n", Options{}, ErrNonFinite, `bad.csv:3:3: column 2 ("b"): "NaN"`},
		{"ragged", "a,b\n1,2\n3\n", Options{}, ErrRagged, "bad.csv:3"},
		{"header only", "a,b\n", Options{}, ErrNoRows, "no data rows"},
		{"max rows", "a\n1\n2\n3\n", Options{MaxRows: 2}, ErrTooMany, "more than 2 data rows"},
		{"no label", "a,b\n1,2\n", Options{Label: "c"}, ErrLabel, `label column "c" not found`},
		{"named", "a\nx\n", Options{Name: "given"}, ErrNotNumber, `given:2:1: column 1 ("a"): "x"`},
	}
	for _, c := range cases {
		path := filepath.Join(dir, "bad.csv")
		if err := os.WriteFile(path, []byte(c.data), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Read(path, c.opts)
		var te *Error
		if !errors.Is(err, c.sentinel) || !errors.As(err, &te) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: got %v, want an *Error wrapping %v containing %q", c.name, err, c.sentinel, c.msg)
		}
	}
	if _, err := Read(dir, Options{}); err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Errorf("a folder: got %v, want an error saying it is a folder", err)
	}
	if _, err := Read(filepath.Join(dir, "none.csv"), Options{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing file: got %v, want os.ErrNotExist", err)
	}
	if _, err := ReadCSV(strings.NewReader("a\nx\n"), Options{}); err == nil || !strings.HasPrefix(err.Error(), "<stdin>:2:1") {
		t.Errorf("ReadCSV without a name: got %v, want an error about <stdin>:2:1", err)
	}
}

func TestDefaultColumns(t *testing.T) {
	got, err := ReadCSV(strings.NewReader("1,2,3\n4,5,6\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Columns, DefaultColumns(3)) || !slices.Equal(DefaultColumns(3), []string{"x1", "x2", "x3"}) {
		t.Errorf("got %v and %v, want x1, x2, x3", got.Columns, DefaultColumns(3))
	}
}

// passRows reads one pass of src in blocks of rows rows.
func passRows(t *testing.T, src em.Source, rows int) (*mat.Dense, int) {
	t.Helper()
	it, err := src.Blocks(rows)
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	var all []float64
	blocks := 0
	buf := mat.NewDense(rows, src.Dim(), nil)
	for {
		x, w, err := it.Next(buf, nil)
		if err != nil {
			if err != io.EOF {
				t.Fatal(err)
			}
			break
		}
		if w != nil {
			t.Fatal("a CSV source returned weights")
		}
		r, _ := x.Dims()
		if r > rows || r == 0 {
			t.Fatalf("a block of %d rows, asked for at most %d", r, rows)
		}
		for i := range r {
			all = append(all, x.RawRowView(i)...)
		}
		blocks++
	}
	return mat.NewDense(len(all)/src.Dim(), src.Dim(), all), blocks
}

// Every pass of a Source gives the rows Read gives, bit for bit, in blocks
// of the size asked for, the label column set apart.
func TestSourcePasses(t *testing.T) {
	tab := randomTable(1000, 3, 2)
	path := writeFile(t, tab)
	src, err := OpenCSV(path, Options{Label: "class"})
	if err != nil {
		t.Fatal(err)
	}
	if src.Dim() != 3 || !slices.Equal(src.Columns(), tab.Columns) || src.Name() != path {
		t.Errorf("got %d columns %v named %q, want 3 %v named %q", src.Dim(), src.Columns(), src.Name(), tab.Columns, path)
	}
	for _, c := range []struct{ rows, blocks int }{{1000, 1}, {999, 2}, {7, 143}, {4096, 1}} {
		got, blocks := passRows(t, src, c.rows)
		if !sameBits(got, tab.X) || blocks != c.blocks {
			t.Errorf("blocks of %d: got %d blocks (same rows: %v), want %d and the same rows", c.rows, blocks, sameBits(got, tab.X), c.blocks)
		}
	}
	// A file whose header changes between passes is refused.
	if err := os.WriteFile(path, []byte("p,q,r,class\n1,2,3,a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := src.Blocks(10); err == nil || !strings.Contains(err.Error(), "changed while it was read") {
		t.Errorf("a changed file: got %v, want an error saying it changed", err)
	}
}

// A bad row is an error of the pass that meets it, located in the file.
func TestSourceBadRow(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(path, []byte("a,b\n1,2\n3,4\n5,x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := OpenCSV(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	it, err := src.Blocks(2)
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	buf := mat.NewDense(2, 2, nil)
	if _, _, err := it.Next(buf, nil); err != nil {
		t.Fatalf("first block: %v", err)
	}
	_, _, err = it.Next(buf, nil)
	if !errors.Is(err, ErrNotNumber) || !strings.Contains(err.Error(), "bad.csv:4:3") {
		t.Errorf("got %v, want ErrNotNumber at bad.csv:4:3", err)
	}
	if _, err := OpenCSV(filepath.Join(t.TempDir(), "none.csv"), Options{}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing file: got %v, want os.ErrNotExist", err)
	}
}
