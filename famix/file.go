package famix

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/internal/modelfile"
)

// FileKind is the model file's kind ("format": "latent.mix"), and
// FileVersion its schema version.
const (
	FileKind    = "mix"
	FileVersion = 1
)

type fileBlock struct {
	Family  Family          `json:"family"`
	Columns []string        `json:"columns"`
	Params  json.RawMessage `json:"params"`
}

type fileBody struct {
	K       int         `json:"k"`
	Columns []string    `json:"columns"`
	Weights []float64   `json:"weights"`
	Blocks  []fileBlock `json:"blocks"`
}

// Marshal returns the model file (the versioned envelope of
// internal/modelfile around the model).
func (m *Model) Marshal() ([]byte, error) {
	b := fileBody{K: m.k, Columns: m.names(), Weights: m.weight}
	for _, bl := range m.blocks {
		raw, err := json.Marshal(bl.fam.encode())
		if err != nil {
			return nil, err
		}
		fb := fileBlock{Family: bl.fam.Family(), Params: raw}
		for _, c := range bl.cols {
			fb.Columns = append(fb.Columns, m.colName(c))
		}
		b.Blocks = append(b.Blocks, fb)
	}
	return modelfile.Marshal(FileKind, FileVersion, b)
}

// Save writes the model file to path atomically.
func (m *Model) Save(path string, opts fileio.Options) error {
	data, err := m.Marshal()
	if err != nil {
		return err
	}
	return fileio.WriteFile(path, func(w io.Writer) error { _, err := w.Write(data); return err }, opts)
}

// Load reads a model file written by Save, strictly: an unknown, missing or
// malformed field is an error naming it (body.blocks[0].params.p[1][2]).
func Load(path string) (*Model, error) {
	var b fileBody
	if _, err := modelfile.Load(path, FileKind, FileVersion, &b); err != nil {
		return nil, err
	}
	return fromBody(b)
}

// Read is Load from a reader; name names it in errors.
func Read(r io.Reader, name string) (*Model, error) {
	var b fileBody
	if _, err := modelfile.Read(r, name, FileKind, FileVersion, &b); err != nil {
		return nil, err
	}
	return fromBody(b)
}

func fromBody(b fileBody) (*Model, error) {
	if b.K < 1 {
		return nil, fieldErr("body.k", "%d: want ≥ 1", b.K)
	}
	d := len(b.Columns)
	if d == 0 {
		return nil, fieldErr("body.columns", "no columns")
	}
	if len(b.Weights) != b.K {
		return nil, fieldErr("body.weights", "%d weights for k = %d", len(b.Weights), b.K)
	}
	var s float64
	for i, w := range b.Weights {
		if !(w > 0) {
			return nil, fieldErr(fmt.Sprintf("body.weights[%d]", i), "%v: want > 0", w)
		}
		s += w
	}
	if math.Abs(s-1) > 1e-9 {
		return nil, fieldErr("body.weights", "sum to %v, want 1", s)
	}
	m := &Model{k: b.K, d: d, weight: b.Weights, columns: b.Columns, levels: make([][]string, d)}
	pos := map[string]int{}
	for i, c := range b.Columns {
		if _, dup := pos[c]; dup || c == "" {
			return nil, fieldErr(fmt.Sprintf("body.columns[%d]", i), "%q empty or given twice", c)
		}
		pos[c] = i
	}
	used := make([]bool, d)
	for bi, fb := range b.Blocks {
		at := fmt.Sprintf("body.blocks[%d]", bi)
		dec, ok := decoders[fb.Family]
		if !ok {
			return nil, fieldErr(at+".family", "%q: want one of %v", fb.Family, Families)
		}
		var cols []int
		for ci, c := range fb.Columns {
			i, ok := pos[c]
			if !ok || used[i] {
				return nil, fieldErr(fmt.Sprintf("%s.columns[%d]", at, ci), "%q is not a column of body.columns, or is in two blocks", c)
			}
			used[i] = true
			cols = append(cols, i)
		}
		if len(cols) == 0 || !slices.IsSorted(cols) {
			return nil, fieldErr(at+".columns", "want the block's columns in body.columns' order, at least one")
		}
		f, err := dec(fb.Params, b.K, len(cols), at+".params")
		if err != nil {
			return nil, err
		}
		if c, ok := f.(*categorical); ok {
			for j, col := range cols {
				m.levels[col] = c.levels[j]
			}
		}
		m.blocks = append(m.blocks, block{cols: cols, fam: f})
	}
	for i, u := range used {
		if !u {
			return nil, fieldErr("body.blocks", "column %q is in no block", b.Columns[i])
		}
	}
	return m, nil
}
