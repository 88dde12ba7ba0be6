package csvio

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// The reading of messy data (Options.Missing, Weights, Known): missing
// values as NaN, a column of weights and a column of known classes read
// apart. These run in the exact reader (Reader.Next); a fast path must
// either do the same or hand such a file to the exact reader.

// extraCols are a Reader's settings for messy data.
type extraCols struct {
	missing   []string // Options.Missing, nil when missing values are refused
	weightCol int      // index in names of the weight column, -1 for none
	knownCol  int      // index in names of the known-class column, -1 for none
	weight    float64  // the weight of the last row read (1 without a weight column)
	known     string   // the known class of the last row read
}

// aside reports whether column i is read apart (weights, known classes).
func (e *extraCols) aside(i int) bool { return i == e.weightCol || i == e.knownCol }

// isMissingText reports whether cell is a missing value under the markers
// tokens (Options.Missing): an empty cell, or one of tokens once trimmed of
// spaces and tabs. With tokens nil nothing is.
func isMissingText(cell string, tokens []string) bool {
	if tokens == nil {
		return false
	}
	t := strings.Trim(cell, " \t")
	return t == "" || slices.Contains(tokens, t)
}

// resolveExtra finds the weight and known-class columns of Options (as
// the label column is found: a header name, or a 1-based number), which
// must be distinct from each other and from the label column.
func (r *Reader) resolveExtra(header bool) error {
	e := &r.extra
	e.weightCol, e.knownCol, e.weight = -1, -1, 1
	if r.opts.Missing != nil {
		e.missing = r.opts.Missing
	}
	find := func(what, spec string) (int, error) {
		if spec == "" {
			return -1, nil
		}
		col := -1
		if header {
			col = slices.Index(r.names, spec)
		}
		if col < 0 {
			if k, err := strconv.Atoi(spec); err == nil && k >= 1 && k <= len(r.names) {
				col = k - 1
			}
		}
		if col < 0 {
			err := &Error{File: r.name, Err: ErrLabel, Detail: fmt.Sprintf("%s column %q not found", what, spec)}
			if header {
				err.Hint = "the columns are " + quoteList(r.names)
			} else {
				err.Hint = fmt.Sprintf("the file has no header row, so give the column as a number 1..%d, or use --header", len(r.names))
			}
			return -1, err
		}
		return col, nil
	}
	var err error
	if e.weightCol, err = find("weight", r.opts.Weights); err != nil {
		return err
	}
	if e.knownCol, err = find("known-class", r.opts.Known); err != nil {
		return err
	}
	cols := map[int]string{}
	for _, c := range []struct {
		col  int
		what string
	}{{r.labelCol, "the label"}, {e.weightCol, "the weights"}, {e.knownCol, "the known classes"}} {
		if c.col < 0 {
			continue
		}
		if other, dup := cols[c.col]; dup {
			return &Error{File: r.name, Err: ErrLabel, Field: c.col + 1, Name: r.names[c.col],
				Detail: fmt.Sprintf("one column holds both %s and %s", other, c.what), Hint: "name a different column for each"}
		}
		cols[c.col] = c.what
	}
	return nil
}

// extraCell reads cell i of a row when it is the weight or known-class
// column, reporting whether it was; a bad weight is an error at line.
func (r *Reader) extraCell(i int, cell string, line int) (bool, error) {
	e := &r.extra
	switch i {
	case e.knownCol:
		e.known = strings.TrimSpace(cell)
		return true, nil
	case e.weightCol:
		t := strings.Trim(cell, " \t")
		bad := func(detail string) error {
			return &Error{File: r.name, Line: line, Column: r.fieldCol(i, line), Field: i + 1, Name: r.names[i], Text: cell,
				Err: ErrWeight, Detail: detail, Hint: "a weight is a finite number ≥ 0 (0 leaves the row out)"}
		}
		if t == "" || isMissingText(t, e.missing) {
			return true, bad("the weight is missing")
		}
		v, perr, detail, _ := parseCell(cell)
		switch {
		case perr == ErrNonFinite || perr == ErrRange:
			return true, bad("the weight is not finite")
		case perr != nil:
			if detail == "" {
				detail = "the weight is not a number"
			}
			return true, bad(detail)
		case v < 0:
			return true, bad("the weight is negative")
		}
		e.weight = v
		return true, nil
	}
	return false, nil
}

// rowDone checks a row just read: with missing values allowed, a row
// whose every numeric cell is missing is an error at line.
func (e *extraCols) rowDone(r *Reader, dst []float64, line int) error {
	if e.missing == nil {
		return nil
	}
	for _, v := range dst {
		if !math.IsNaN(v) {
			return nil
		}
	}
	return &Error{File: r.name, Line: line, Err: ErrMissing, Detail: "every value of the row is missing",
		Hint: "the row carries no information: remove it"}
}

// Weight returns the weight of the row Next read last (1 without a weight
// column, Options.Weights).
func (r *Reader) Weight() float64 { return r.extra.weight }

// Known returns the known class of the row Next read last ("" for an
// unknown one, or without a known-class column, Options.Known).
func (r *Reader) Known() string { return r.extra.known }

// WeightName and KnownName return the names of the weight and known-class
// columns, or "".
func (r *Reader) WeightName() string { return r.nameOf(r.extra.weightCol) }
func (r *Reader) KnownName() string  { return r.nameOf(r.extra.knownCol) }

func (r *Reader) nameOf(col int) string {
	if col < 0 {
		return ""
	}
	return r.names[col]
}

// ReadChunkWeights is ReadChunk that also fills weights[i] (when not nil)
// with each row's weight.
func (r *Reader) ReadChunkWeights(dst *mat.Dense, labels []string, weights []float64) (n int, err error) {
	rows, cols := dst.Dims()
	if cols != len(r.columns) {
		panic(fmt.Sprintf("csvio: ReadChunkWeights: dst has %d columns, want %d", cols, len(r.columns)))
	}
	if weights != nil && len(weights) < rows {
		panic(fmt.Sprintf("csvio: ReadChunkWeights: weights has %d elements for %d rows", len(weights), rows))
	}
	raw := dst.RawMatrix()
	for n < rows {
		lab, err := r.Next(raw.Data[n*raw.Stride : n*raw.Stride+cols])
		if err != nil {
			return n, err
		}
		if labels != nil {
			labels[n] = lab
		}
		if weights != nil {
			weights[n] = r.extra.weight
		}
		n++
	}
	return n, nil
}

// extraValues collect the weights and known classes of ReadAll.
type extraValues struct {
	weights []float64
	known   []string
	total   float64
}

func (x *extraValues) add(r *Reader) {
	if r.extra.weightCol >= 0 {
		x.weights = append(x.weights, r.extra.weight)
		x.total += r.extra.weight
	}
	if r.extra.knownCol >= 0 {
		x.known = append(x.known, r.extra.known)
	}
}

// finish puts the collected columns in t; weights that are all 0 are an
// error.
func (x *extraValues) finish(r *Reader, t *Table) error {
	if r.extra.weightCol >= 0 {
		if x.total == 0 {
			return &Error{File: r.name, Field: r.extra.weightCol + 1, Name: r.names[r.extra.weightCol], Err: ErrWeight,
				Detail: "every weight is 0", Hint: "give some row a positive weight"}
		}
		t.Weights = x.weights
	}
	if r.extra.knownCol >= 0 {
		t.Known = x.known
	}
	return nil
}
