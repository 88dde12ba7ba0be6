package famix

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/csvio"
)

// ParseColumns reads per-column families written as
// "age:gaussian,job:categorical,visits:poisson" (name:family pairs, comma
// separated; a family alone, "bernoulli", is every column's).
func ParseColumns(s string) (def Family, cols map[string]Family, err error) {
	cols = map[string]Family{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, fam, ok := strings.Cut(part, ":")
		if !ok {
			name, fam = "", part
		}
		f := Family(strings.TrimSpace(fam))
		if f == "t" {
			f = StudentT
		}
		if !slices.Contains(Families, f) {
			return "", nil, fmt.Errorf("famix: %q: family %q: want one of %v", part, fam, Families)
		}
		if name == "" {
			def = f
			continue
		}
		name = strings.TrimSpace(name)
		if _, dup := cols[name]; dup {
			return "", nil, fmt.Errorf("famix: column %q given twice", name)
		}
		cols[name] = f
	}
	return def, cols, nil
}

// TableOptions control ReadTable.
type TableOptions struct {
	// Name names the data in errors (file:line:column); "" means "<stdin>".
	Name string
	// Family is the family of every column Columns does not name.
	Family Family
	// Columns gives some columns' families by name.
	Columns map[string]Family
	// Delimiter separates fields; 0 means ','.
	Delimiter rune
	// NoHeader says the first row is data; the columns are then x1, x2, ….
	NoHeader bool
	// Weights names a column read apart as the rows' weights (finite,
	// ≥ 0); "" means none.
	Weights string
	// Model, when not nil, gives the columns (by name, in the model's
	// order), their families and the categorical columns' labels, as for
	// predicting with a fitted model: a label the model does not know is
	// an error naming its line. Family and Columns are then ignored.
	Model *Model
}

// Table is a table read for a mixture of families: X holds numbers for the
// numeric families and the 0-based label index for categorical columns.
type Table struct {
	X        *mat.Dense
	Names    []string
	Families []Family
	Levels   [][]string // per column; nil for non-categorical ones
	Weights  []float64  // nil without TableOptions.Weights
}

// Options returns fit options for K components over the table's columns.
func (t *Table) Options(k int) Options {
	return Options{K: k, Columns: t.Families, Names: t.Names, Levels: t.Levels}
}

// ReadTable reads CSV data whose columns have families: numbers for the
// numeric families (checked against the family's support: 0/1 for
// Bernoulli, counts for Poisson, finite for Gaussian and Student-t), text
// labels for categorical columns (their labels sorted bytewise, each row's
// as an index). Errors are *csvio.Error values naming file:line:column.
func ReadTable(r io.Reader, opts TableOptions) (*Table, error) {
	name := opts.Name
	if name == "" {
		name = "<stdin>"
	}
	cr := csv.NewReader(r)
	if opts.Delimiter != 0 {
		cr.Comma = opts.Delimiter
	}
	cr.ReuseRecord = false
	first, err := cr.Read()
	if err == io.EOF {
		return nil, &csvio.Error{File: name, Err: csvio.ErrEmpty, Hint: "give a CSV file with a header row and data rows"}
	}
	if err != nil {
		return nil, csvErr(name, err)
	}
	header := make([]string, len(first))
	for j, h := range first {
		header[j] = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if opts.NoHeader {
			header[j] = fmt.Sprintf("x%d", j+1)
		}
	}
	wcol := -1
	var names []string
	var src []int
	for j, h := range header {
		if opts.Weights != "" && h == opts.Weights {
			wcol = j
			continue
		}
		names = append(names, h)
		src = append(src, j)
	}
	if opts.Weights != "" && wcol < 0 {
		return nil, &csvio.Error{File: name, Line: 1, Err: csvio.ErrHeader, Detail: fmt.Sprintf("no column %q for the weights", opts.Weights)}
	}
	fams := make([]Family, len(names))
	var levels [][]string
	if m := opts.Model; m != nil {
		cols := m.Columns()
		pos := map[string]int{}
		for i, n := range names {
			pos[n] = i
		}
		var nsrc []int
		if opts.NoHeader && len(names) != len(cols) {
			return nil, &csvio.Error{File: name, Line: 1, Err: csvio.ErrRagged, Detail: fmt.Sprintf("%d columns, the model has %d (%s)", len(names), len(cols), strings.Join(m.names(), ", "))}
		}
		for ci, c := range cols {
			i, ok := pos[c.Name]
			if opts.NoHeader { // by position
				i, ok = ci, true
			}
			if !ok {
				return nil, &csvio.Error{File: name, Line: 1, Err: csvio.ErrHeader, Detail: fmt.Sprintf("no column %q, which the model was fitted on (its columns: %s)", c.Name, strings.Join(m.names(), ", "))}
			}
			nsrc = append(nsrc, src[i])
		}
		src = nsrc
		names = m.names()
		fams = fams[:0]
		for _, c := range cols {
			fams = append(fams, c.Family)
		}
		levels = m.levels
	} else {
		for i, n := range names {
			f, ok := opts.Columns[n]
			if !ok {
				f = opts.Family
			}
			if f == "" {
				return nil, fmt.Errorf("famix: %s: column %q has no family: name it in the columns or give a default family", name, n)
			}
			fams[i] = f
		}
		for n := range opts.Columns {
			if !slices.Contains(names, n) {
				return nil, &csvio.Error{File: name, Line: 1, Err: csvio.ErrHeader, Detail: fmt.Sprintf("no column %q (the columns: %s)", n, strings.Join(names, ", "))}
			}
		}
		levels = make([][]string, len(names))
	}
	index := make([]map[string]int, len(names))
	fixed := opts.Model != nil
	for j, f := range fams {
		if f == Categorical {
			index[j] = map[string]int{}
			for l, s := range levels[j] {
				index[j][s] = l
			}
		}
	}
	var vals []float64
	var text [][]string // categorical cells before their labels are sorted
	var weights []float64
	row := 0
	handle := func(rec []string) error {
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			return &csvio.Error{File: name, Line: line, Err: csvio.ErrRagged, Detail: fmt.Sprintf("%d fields, the header has %d", len(rec), len(header))}
		}
		var tx []string
		for j, c := range src {
			cell := strings.TrimSpace(rec[c])
			l, col := cr.FieldPos(c)
			bad := func(detail, hint string, err error) error {
				return &csvio.Error{File: name, Line: l, Column: col, Field: c + 1, Name: header[c], Text: rec[c], Err: err, Detail: detail, Hint: hint}
			}
			if fams[j] == Categorical {
				if cell == "" {
					return bad("empty label", "every categorical cell needs a label", csvio.ErrMissing)
				}
				if fixed {
					li, ok := index[j][cell]
					if !ok {
						return bad(fmt.Sprintf("label the model does not know (it knows %s)", strings.Join(levels[j], ", ")), "", ErrData)
					}
					vals = append(vals, float64(li))
				} else {
					vals = append(vals, 0)
					tx = append(tx, cell)
				}
				continue
			}
			v, err := strconv.ParseFloat(cell, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return bad("", fmt.Sprintf("a %s column takes numbers; give it the categorical family if it holds labels", fams[j]), csvio.ErrNotNumber)
			}
			switch fams[j] {
			case Bernoulli:
				if v != 0 && v != 1 {
					return bad("a Bernoulli column takes 0 or 1", "binarise the column, or give it another family", ErrData)
				}
			case Poisson:
				if v < 0 || v != math.Trunc(v) {
					return bad("a Poisson column takes counts (0, 1, 2, …)", "give it the gaussian family if it is not a count", ErrData)
				}
			}
			vals = append(vals, v)
		}
		if wcol >= 0 {
			l, col := cr.FieldPos(wcol)
			w, err := strconv.ParseFloat(strings.TrimSpace(rec[wcol]), 64)
			if err != nil || !(w >= 0) || math.IsInf(w, 0) {
				return &csvio.Error{File: name, Line: l, Column: col, Field: wcol + 1, Name: header[wcol], Text: rec[wcol], Err: csvio.ErrWeight, Detail: "a weight is a finite number ≥ 0"}
			}
			weights = append(weights, w)
		}
		if !fixed {
			text = append(text, tx)
		}
		row++
		return nil
	}
	if opts.NoHeader {
		if err := handle(first); err != nil {
			return nil, err
		}
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvErr(name, err)
		}
		if err := handle(rec); err != nil {
			return nil, err
		}
	}
	if row == 0 {
		return nil, &csvio.Error{File: name, Err: csvio.ErrNoRows, Hint: "the file has a header and no data"}
	}
	d := len(names)
	x := mat.NewDense(row, d, vals)
	if !fixed {
		var cats []int
		for j, f := range fams {
			if f == Categorical {
				cats = append(cats, j)
			}
		}
		for ci, j := range cats {
			seen := map[string]bool{}
			for _, tx := range text {
				seen[tx[ci]] = true
			}
			for s := range seen {
				levels[j] = append(levels[j], s)
			}
			slices.Sort(levels[j])
			idx := map[string]int{}
			for l, s := range levels[j] {
				idx[s] = l
			}
			for i, tx := range text {
				x.Set(i, j, float64(idx[tx[ci]]))
			}
		}
	}
	if weights != nil {
		var s float64
		for _, w := range weights {
			s += w
		}
		if s == 0 {
			return nil, &csvio.Error{File: name, Err: csvio.ErrWeight, Detail: "every weight is 0"}
		}
	}
	return &Table{X: x, Names: names, Families: fams, Levels: levels, Weights: weights}, nil
}

func csvErr(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		what := csvio.ErrQuote
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			what = csvio.ErrRagged
		}
		return &csvio.Error{File: name, Line: pe.Line, Column: pe.Column, Err: what, Detail: pe.Err.Error()}
	}
	return fmt.Errorf("famix: %s: %w", name, err)
}

func (m *Model) names() []string {
	out := make([]string, m.d)
	for c := range out {
		out[c] = m.colName(c)
	}
	return out
}

// Levels returns the labels of categorical column c (0-based), nil for a
// column of another family.
func (m *Model) Levels(c int) []string { return append([]string(nil), m.levels[c]...) }

// WriteCSV writes the rows of x (in the model's columns) as CSV with a
// header, a categorical column's indices as their labels, and, when labels
// is not nil, a last column "component" (1-based).
func (m *Model) WriteCSV(w io.Writer, x *mat.Dense, labels []int) error {
	cw := csv.NewWriter(w)
	head := m.names()
	if labels != nil {
		head = append(head, "component")
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	n, _ := x.Dims()
	rec := make([]string, len(head))
	for i := 0; i < n; i++ {
		for c, v := range x.RawRowView(i) {
			if m.levels[c] != nil {
				rec[c] = m.levels[c][int(v)]
			} else {
				rec[c] = strconv.FormatFloat(v, 'g', -1, 64)
			}
		}
		if labels != nil {
			rec[m.d] = strconv.Itoa(labels[i] + 1)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
