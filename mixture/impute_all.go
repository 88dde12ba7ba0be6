package mixture

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// ImputeOptions say what ImputeAll returns.
type ImputeOptions struct {
	// SD adds each cell's conditional standard deviation to the
	// conditional means (0 for an observed cell).
	SD bool
	// Draws > 0 returns that many multiple imputations (Rubin 1987), each
	// from ImputeDraw with Rand, one after another, instead of the means.
	Draws int
	// Rand is the randomness of the draws; required when Draws > 0.
	Rand *rand.Rand
}

// Imputation is the outcome of ImputeAll: the data with their holes
// filled, in one of two forms.
type Imputation struct {
	Columns []string     // the model's feature names (x1 … xD when it has none)
	Missing int          // the number of missing (NaN) cells in the data
	Means   *mat.Dense   // the conditional means (nil with Draws)
	SD      *mat.Dense   // the conditional standard deviations (with SD)
	Draws   []*mat.Dense // the multiple imputations, in the order drawn
}

// ErrImputeOptions is the error of an ImputeOptions ImputeAll cannot
// honour: negative Draws, Draws without Rand, or SD with Draws.
var ErrImputeOptions = errors.New("mixture: ImputeAll: give SD or Draws (with Rand), not both")

// ImputeAll fills the missing (NaN) cells of x under the mixture: with
// their conditional means (and, with o.SD, their conditional standard
// deviations) as Impute does, or with o.Draws multiple imputations as
// ImputeDraw does. Errors are Impute's, and ErrImputeOptions.
func (m *Model) ImputeAll(x mat.Matrix, o ImputeOptions) (*Imputation, error) {
	if o.Draws < 0 || (o.Draws > 0 && (o.Rand == nil || o.SD)) {
		return nil, ErrImputeOptions
	}
	n, err := m.imputeInput(x)
	if err != nil {
		return nil, err
	}
	im := &Imputation{Columns: m.FeatureNames()}
	if im.Columns == nil {
		im.Columns = defaultNames(m.d)
	}
	for i := range n {
		for j := range m.d {
			if math.IsNaN(x.At(i, j)) {
				im.Missing++
			}
		}
	}
	for range o.Draws {
		one, err := m.ImputeDraw(nil, x, o.Rand)
		if err != nil {
			return nil, err
		}
		im.Draws = append(im.Draws, one)
	}
	if o.Draws > 0 {
		return im, nil
	}
	if o.SD {
		im.SD = mat.NewDense(n, m.d, nil)
	}
	im.Means, err = m.Impute(nil, im.SD, x)
	return im, err
}

// Table returns the imputation as one table: the draws one below the other
// with a last column "draw" (1 … M); or the conditional means, followed,
// with SD, by a column NAME_sd per feature.
func (im *Imputation) Table() (columns []string, x *mat.Dense) {
	columns = append([]string(nil), im.Columns...)
	d := len(columns)
	if len(im.Draws) > 0 {
		n, _ := im.Draws[0].Dims()
		x = mat.NewDense(n*len(im.Draws), d+1, nil)
		for r, one := range im.Draws {
			for i := range n {
				row := x.RawRowView(r*n + i)
				copy(row, one.RawRowView(i))
				row[d] = float64(r + 1)
			}
		}
		return append(columns, "draw"), x
	}
	if im.SD == nil {
		return columns, im.Means
	}
	n, _ := im.Means.Dims()
	x = mat.NewDense(n, 2*d, nil)
	x.Slice(0, n, 0, d).(*mat.Dense).Copy(im.Means)
	x.Slice(0, n, d, 2*d).(*mat.Dense).Copy(im.SD)
	for _, c := range im.Columns {
		columns = append(columns, c+"_sd")
	}
	return columns, x
}

// MarshalJSON writes the imputation as `latent gmm impute --json` does:
// the columns, the number of missing cells, and the rows (with "sd") or
// the draws, each a list of rows.
func (im *Imputation) MarshalJSON() ([]byte, error) {
	v := struct {
		Columns []string      `json:"columns"`
		Missing int           `json:"missing_cells"`
		Rows    [][]float64   `json:"rows,omitempty"`
		SD      [][]float64   `json:"sd,omitempty"`
		Draws   [][][]float64 `json:"draws,omitempty"`
	}{Columns: im.Columns, Missing: im.Missing, Rows: rowsOf(im.Means), SD: rowsOf(im.SD)}
	for _, d := range im.Draws {
		v.Draws = append(v.Draws, rowsOf(d))
	}
	return json.Marshal(v)
}

// rowsOf returns x's rows as slices (nil for a nil x).
func rowsOf(x *mat.Dense) [][]float64 {
	if x == nil {
		return nil
	}
	n, _ := x.Dims()
	rows := make([][]float64, n)
	for i := range rows {
		rows[i] = x.RawRowView(i)
	}
	return rows
}
