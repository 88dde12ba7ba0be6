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

	"gonum.org/v1/gonum/floats"
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
	tr := &tableReader{opts: opts, name: opts.Name, cr: csv.NewReader(r), wcol: -1}
	if tr.name == "" {
		tr.name = "<stdin>"
	}
	if opts.Delimiter != 0 {
		tr.cr.Comma = opts.Delimiter
	}
	first, err := tr.cr.Read()
	if err == io.EOF {
		return nil, &csvio.Error{File: tr.name, Err: csvio.ErrEmpty, Hint: "give a CSV file with a header row and data rows"}
	}
	if err != nil {
		return nil, csvErr(tr.name, err)
	}
	if err := tr.header(first); err != nil {
		return nil, err
	}
	if opts.NoHeader {
		if err := tr.row(first); err != nil {
			return nil, err
		}
	}
	for {
		rec, err := tr.cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvErr(tr.name, err)
		}
		if err := tr.row(rec); err != nil {
			return nil, err
		}
	}
	return tr.table()
}

// tableReader is ReadTable's state.
type tableReader struct {
	opts    TableOptions
	name    string
	cr      *csv.Reader
	head    []string
	wcol    int   // the weights' field, −1 for none
	src     []int // each column's field
	names   []string
	fams    []Family
	levels  [][]string
	index   []map[string]int // a categorical column's labels (fixed by a model)
	vals    []float64
	text    [][]string // the categorical cells, before their labels are sorted
	weights []float64
	rows    int
}

// header reads the header row (or names x1, x2, …) and resolves the
// columns' families.
func (tr *tableReader) header(first []string) error {
	opts := tr.opts
	tr.head = make([]string, len(first))
	for j, h := range first {
		tr.head[j] = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if opts.NoHeader {
			tr.head[j] = fmt.Sprintf("x%d", j+1)
		}
	}
	for j, h := range tr.head {
		if opts.Weights != "" && h == opts.Weights {
			tr.wcol = j
			continue
		}
		tr.names = append(tr.names, h)
		tr.src = append(tr.src, j)
	}
	if opts.Weights != "" && tr.wcol < 0 {
		return &csvio.Error{File: tr.name, Line: 1, Err: csvio.ErrHeader, Detail: fmt.Sprintf("no column %q for the weights", opts.Weights)}
	}
	var err error
	if opts.Model != nil {
		err = tr.modelColumns(opts.Model)
	} else {
		err = tr.givenColumns()
	}
	if err != nil {
		return err
	}
	tr.index = make([]map[string]int, len(tr.names))
	for j, f := range tr.fams {
		if f == Categorical {
			tr.index[j] = map[string]int{}
			for l, s := range tr.levels[j] {
				tr.index[j][s] = l
			}
		}
	}
	return nil
}

// modelColumns takes the columns, families and labels of m, by name (by
// position without a header).
func (tr *tableReader) modelColumns(m *Model) error {
	cols := m.Columns()
	if tr.opts.NoHeader && len(tr.names) != len(cols) {
		return &csvio.Error{File: tr.name, Line: 1, Err: csvio.ErrRagged, Detail: fmt.Sprintf("%d columns, the model has %d (%s)", len(tr.names), len(cols), strings.Join(m.names(), ", "))}
	}
	pos := map[string]int{}
	for i, n := range tr.names {
		pos[n] = i
	}
	var src []int
	for ci, c := range cols {
		i, ok := pos[c.Name]
		if tr.opts.NoHeader {
			i, ok = ci, true
		}
		if !ok {
			return &csvio.Error{File: tr.name, Line: 1, Err: csvio.ErrHeader, Detail: fmt.Sprintf("no column %q, which the model was fitted on (its columns: %s)", c.Name, strings.Join(m.names(), ", "))}
		}
		src = append(src, tr.src[i])
		tr.fams = append(tr.fams, c.Family)
	}
	tr.src, tr.names, tr.levels = src, m.names(), m.levels
	return nil
}

// givenColumns gives each column the family TableOptions names.
func (tr *tableReader) givenColumns() error {
	tr.fams = make([]Family, len(tr.names))
	for i, n := range tr.names {
		f, ok := tr.opts.Columns[n]
		if !ok {
			f = tr.opts.Family
		}
		if f == "" {
			return fmt.Errorf("famix: %s: column %q has no family: name it in the columns or give a default family", tr.name, n)
		}
		tr.fams[i] = f
	}
	for n := range tr.opts.Columns {
		if !slices.Contains(tr.names, n) {
			return &csvio.Error{File: tr.name, Line: 1, Err: csvio.ErrHeader, Detail: fmt.Sprintf("no column %q (the columns: %s)", n, strings.Join(tr.names, ", "))}
		}
	}
	tr.levels = make([][]string, len(tr.names))
	return nil
}

// row reads one data row.
func (tr *tableReader) row(rec []string) error {
	line, _ := tr.cr.FieldPos(0)
	if len(rec) != len(tr.head) {
		return &csvio.Error{File: tr.name, Line: line, Err: csvio.ErrRagged, Detail: fmt.Sprintf("%d fields, the header has %d", len(rec), len(tr.head))}
	}
	var tx []string
	for j, c := range tr.src {
		cell := strings.TrimSpace(rec[c])
		if tr.fams[j] == Categorical && tr.opts.Model == nil {
			if cell == "" {
				return tr.bad(rec, c, "empty label", "every categorical cell needs a label", csvio.ErrMissing)
			}
			tr.vals = append(tr.vals, 0)
			tx = append(tx, cell)
			continue
		}
		v, err := tr.cell(rec, c, j, cell)
		if err != nil {
			return err
		}
		tr.vals = append(tr.vals, v)
	}
	if tr.wcol >= 0 {
		w, err := strconv.ParseFloat(strings.TrimSpace(rec[tr.wcol]), 64)
		if err != nil || !(w >= 0) || math.IsInf(w, 0) {
			return tr.bad(rec, tr.wcol, "a weight is a finite number ≥ 0", "", csvio.ErrWeight)
		}
		tr.weights = append(tr.weights, w)
	}
	if tr.opts.Model == nil {
		tr.text = append(tr.text, tx)
	}
	tr.rows++
	return nil
}

// cell reads field c, column j: a label of a model's categorical column,
// or a number in its family's support.
func (tr *tableReader) cell(rec []string, c, j int, cell string) (float64, error) {
	f := tr.fams[j]
	if f == Categorical {
		li, ok := tr.index[j][cell]
		if !ok {
			return 0, tr.bad(rec, c, fmt.Sprintf("label the model does not know (it knows %s)", strings.Join(tr.levels[j], ", ")), "", ErrData)
		}
		return float64(li), nil
	}
	v, err := strconv.ParseFloat(cell, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, tr.bad(rec, c, "", fmt.Sprintf("a %s column takes numbers; give it the categorical family if it holds labels", f), csvio.ErrNotNumber)
	}
	switch {
	case f == Bernoulli && v != 0 && v != 1:
		return 0, tr.bad(rec, c, "a Bernoulli column takes 0 or 1", "binarise the column, or give it another family", ErrData)
	case f == Poisson && (v < 0 || v != math.Trunc(v)):
		return 0, tr.bad(rec, c, "a Poisson column takes counts (0, 1, 2, …)", "give it the gaussian family if it is not a count", ErrData)
	}
	return v, nil
}

func (tr *tableReader) bad(rec []string, c int, detail, hint string, err error) error {
	l, col := tr.cr.FieldPos(c)
	return &csvio.Error{File: tr.name, Line: l, Column: col, Field: c + 1, Name: tr.head[c], Text: rec[c], Err: err, Detail: detail, Hint: hint}
}

// table sorts the categorical columns' labels, indexes the cells and
// returns the table.
func (tr *tableReader) table() (*Table, error) {
	if tr.rows == 0 {
		return nil, &csvio.Error{File: tr.name, Err: csvio.ErrNoRows, Hint: "the file has a header and no data"}
	}
	x := mat.NewDense(tr.rows, len(tr.names), tr.vals)
	if tr.opts.Model == nil {
		ci := 0
		for j, f := range tr.fams {
			if f != Categorical {
				continue
			}
			seen := map[string]bool{}
			for _, tx := range tr.text {
				seen[tx[ci]] = true
			}
			for s := range seen {
				tr.levels[j] = append(tr.levels[j], s)
			}
			slices.Sort(tr.levels[j])
			idx := map[string]int{}
			for l, s := range tr.levels[j] {
				idx[s] = l
			}
			for i, tx := range tr.text {
				x.Set(i, j, float64(idx[tx[ci]]))
			}
			ci++
		}
	}
	if tr.weights != nil && floats.Sum(tr.weights) == 0 {
		return nil, &csvio.Error{File: tr.name, Err: csvio.ErrWeight, Detail: "every weight is 0"}
	}
	return &Table{X: x, Names: tr.names, Families: tr.fams, Levels: tr.levels, Weights: tr.weights}, nil
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
