package famix

import (
	"context"
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

func fmtVal(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// rowsOf returns the r×c row-major v as [r][c].
func rowsOf(v []float64, r, c int) [][]float64 {
	out := make([][]float64, r)
	for i := range out {
		out[i] = append([]float64(nil), v[i*c:(i+1)*c]...)
	}
	return out
}

// flatten copies the [r][c] rows into dst, checking shapes and values.
func flatten(dst []float64, rows [][]float64, r, c int, path string, ok func(float64) bool, want string) error {
	if len(rows) != r {
		return fieldErr(path, "%d rows, want %d", len(rows), r)
	}
	for i, row := range rows {
		if len(row) != c {
			return fieldErr(fmt.Sprintf("%s[%d]", path, i), "%d values, want %d", len(row), c)
		}
		for j, v := range row {
			if !ok(v) {
				return fieldErr(fmt.Sprintf("%s[%d][%d]", path, i, j), "%v: want %s", v, want)
			}
			dst[i*c+j] = v
		}
	}
	return nil
}

func (m *Model) input(x mat.Matrix) (*mat.Dense, error) {
	_, d := x.Dims()
	if d != m.d {
		panic(fmt.Sprintf("famix: data has %d columns, model %d", d, m.d))
	}
	if xd, ok := x.(*mat.Dense); ok {
		return xd, nil
	}
	return mat.DenseCopyOf(x), nil
}

// each calls fn with every row's log π_k + log f_k(x_i) and its log-sum,
// in row order.
func (m *Model) each(x mat.Matrix, fn func(i int, lp []float64, ll float64)) error {
	xd, err := m.input(x)
	if err != nil {
		return err
	}
	n, _ := xd.Dims()
	w := &worker{m: m}
	for lo := 0; lo < n; lo += em.DefaultBlockRows {
		hi := min(lo+em.DefaultBlockRows, n)
		lp, _, err := w.logJoint(lo, xd.Slice(lo, hi, 0, m.d).(*mat.Dense))
		if err != nil {
			return err
		}
		for i := lo; i < hi; i++ {
			row := lp.RawRowView(i - lo)
			fn(i, row, logSumExp(row))
		}
	}
	return nil
}

// PredictProba returns the posterior probabilities p(z = k | x_i), n×K.
func (m *Model) PredictProba(x mat.Matrix) (*mat.Dense, error) {
	n, _ := x.Dims()
	out := mat.NewDense(max(n, 1), m.k, nil)
	err := m.each(x, func(i int, lp []float64, ll float64) {
		for k, v := range lp {
			out.Set(i, k, math.Exp(v-ll))
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Predict returns each row's most probable component (0-based).
func (m *Model) Predict(x mat.Matrix) ([]int, error) {
	n, _ := x.Dims()
	out := make([]int, n)
	err := m.each(x, func(i int, lp []float64, _ float64) {
		best := 0
		for k, v := range lp {
			if v > lp[best] {
				best = k
			}
		}
		out[i] = best
	})
	return out, err
}

// LogLikelihoods returns each row's log p(x_i | θ) in nats.
func (m *Model) LogLikelihoods(x mat.Matrix) ([]float64, error) {
	n, _ := x.Dims()
	out := make([]float64, n)
	err := m.each(x, func(i int, _ []float64, ll float64) { out[i] = ll })
	return out, err
}

// Criteria are a fit's information criteria over data of n rows (Σ w).
type Criteria struct {
	LogLik    float64 `json:"log_likelihood"` // total, Σ w_i log p(x_i | θ)
	NumParams int     `json:"n_parameters"`
	BIC       float64 `json:"bic"` // −2 log L + p log n: lower is better
	// ICL is BIC − 2 Σ_i w_i log max_k p(z = k | x_i) (Biernacki, Celeux &
	// Govaert 2000, in mclust's form and package mixture's sign).
	ICL float64 `json:"icl"`
	AIC float64 `json:"aic"`
}

// Criteria returns the log-likelihood, BIC, ICL and AIC of m on the rows
// of x (weights w, nil for ones).
func (m *Model) Criteria(x mat.Matrix, w []float64) (Criteria, error) {
	var ll, cl, n float64
	err := m.each(x, func(i int, lp []float64, l float64) {
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		best := math.Inf(-1)
		for _, v := range lp {
			best = math.Max(best, v)
		}
		ll += wi * l
		cl += wi * (best - l)
		n += wi
	})
	if err != nil {
		return Criteria{}, err
	}
	p := m.NumParams()
	bic := m.BIC(ll, n)
	return Criteria{LogLik: ll, NumParams: p, BIC: bic, ICL: bic - 2*cl, AIC: -2*ll + 2*float64(p)}, nil
}

// Score returns the mean log-likelihood per row (per unit of weight).
func (m *Model) Score(ctx context.Context, x mat.Matrix, w []float64) (float64, error) {
	xd, err := m.input(x)
	if err != nil {
		return 0, err
	}
	_, part, err := em.Pass(ctx, em.Matrix(xd, w), m, false, em.Options{})
	if err != nil {
		return 0, err
	}
	return part.LogLik / part.Weight, nil
}
