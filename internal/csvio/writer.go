package csvio

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"gonum.org/v1/gonum/mat"
)

// Write writes a header row and the rows of x as CSV, numbers in Go's
// shortest round-trip form ('g', -1), so that ReadAll gives back the same
// bits. When labels is not nil, a last column named labelName holds them.
// It panics when the lengths of columns or labels do not match x.
func Write(w io.Writer, columns []string, x mat.Matrix, labelName string, labels []string) error {
	r, c := x.Dims()
	if len(columns) != c {
		panic(fmt.Sprintf("csvio: Write: %d column names for %d columns", len(columns), c))
	}
	if labels != nil && len(labels) != r {
		panic(fmt.Sprintf("csvio: Write: %d labels for %d rows", len(labels), r))
	}
	bw := bufio.NewWriter(w)
	cw := csv.NewWriter(bw)
	rec := make([]string, 0, c+1)
	rec = append(rec, columns...)
	if labels != nil {
		rec = append(rec, labelName)
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	for i := range r {
		rec = rec[:0]
		for j := range c {
			rec = append(rec, strconv.FormatFloat(x.At(i, j), 'g', -1, 64))
		}
		if labels != nil {
			rec = append(rec, labels[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}
