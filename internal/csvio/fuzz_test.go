package csvio

import (
	"bytes"
	"io"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// FuzzReadCSV checks, for any input, that the reader never panics, that what
// it accepts is finite and well shaped, that streaming in chunks gives the
// same bits as ReadAll, and that Write then ReadAll gives the same bits.
// Inputs the fuzzer found are kept in testdata/fuzz/FuzzReadCSV.
func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"a,b\n1,2\n", "1,2\n3,4", "\ufeffa;b\r\n1;2\r\n", "x,y\r1,2\r", "a,b\n\"1\",2\n",
		"a,b\n1,2\"\n", "a,lab\n1,z\n", "a\n1e400\n", "a\n0x1p-2\n", "", "a,b\n1,\n",
	} {
		f.Add([]byte(s), byte(','), "", uint8(0))
	}
	f.Add([]byte("a,lab\n1,z\n2,y\n"), byte(','), "lab", uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, delim byte, label string, mode uint8) {
		opts := Options{Name: "fuzz.csv", Delimiter: rune(delim), Label: label, Header: HeaderMode(mode % 3)}
		if delim == 0 || delim == '"' || delim == '\r' || delim == '\n' || delim >= 0x80 {
			opts.Delimiter = ','
		}
		tab, err := ReadAll(bytes.NewReader(data), opts)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.csv") && !strings.HasPrefix(err.Error(), "csvio:") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		r, c := tab.X.Dims()
		if r == 0 || c == 0 || c != len(tab.Columns) {
			t.Fatalf("bad shape %d×%d with %d names", r, c, len(tab.Columns))
		}
		if label != "" && len(tab.Labels) != r {
			t.Fatalf("%d labels for %d rows", len(tab.Labels), r)
		}
		for _, v := range tab.X.RawMatrix().Data {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("non-finite value %v accepted", v)
			}
		}
		// Streaming in chunks of 2 rows gives the same bits.
		rd, err := NewReader(bytes.NewReader(data), opts)
		if err != nil {
			t.Fatalf("NewReader fails where ReadAll succeeded: %v", err)
		}
		chunk := mat.NewDense(2, c, nil)
		row := 0
		for {
			n, err := rd.ReadChunk(chunk, nil)
			for i := range n {
				for j := range c {
					if math.Float64bits(chunk.At(i, j)) != math.Float64bits(tab.X.At(row, j)) {
						t.Fatalf("chunked row %d differs", row)
					}
				}
				row++
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("chunked read fails where ReadAll succeeded: %v", err)
			}
		}
		if row != r {
			t.Fatalf("chunks gave %d rows, ReadAll %d", row, r)
		}
		// Write and read back: same bits (labels are written quoted as needed).
		if tab.Labels == nil {
			var buf bytes.Buffer
			if err := Write(&buf, tab.Columns, tab.X, "", nil); err != nil {
				t.Fatal(err)
			}
			back, err := ReadAll(&buf, Options{Name: "back.csv", Header: HeaderPresent})
			if err != nil {
				t.Fatalf("re-reading written data: %v\n%s", err, buf.String())
			}
			if !mat.Equal(back.X, tab.X) {
				t.Fatalf("round trip changed the numbers")
			}
		}
	})
}
