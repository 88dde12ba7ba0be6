package mixture

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// weightSumTol is how far from 1 given weights may sum (catalog J-06).
const weightSumTol = 1e-9

// checkWeights validates K weights (catalog M-09) and returns them
// renormalised to sum to 1. what names them in errors.
func checkWeights(w []float64, k int, what string) ([]float64, error) {
	if len(w) != k {
		return nil, paramErrorf("%s has %d values, want K = %d", what, len(w), k)
	}
	sum := 0.0
	for i, v := range w {
		if math.IsNaN(v) || v < 0 || v > 1 {
			return nil, paramErrorf("%s[%d] = %v is outside [0, 1]", what, i, v)
		}
		sum += v
	}
	if math.Abs(sum-1) > weightSumTol {
		return nil, paramErrorf("%s sum to %.17g, want 1 (within %g): normalise them", what, sum, weightSumTol)
	}
	out := make([]float64, k)
	for i, v := range w {
		out[i] = v / sum
	}
	return out, nil
}

// setStart validates the parts of p that are given and copies them into m
// (covariances in the family's form), leaving the others. It
// returns which parts were given. With partial false every part is required.
// fallbackW are the weights that average K tied covariances when p has no
// weights (nil: uniform).
func (m *Model) setStart(p Params, fallbackW []float64, partial bool) error {
	k, d := m.k, m.d
	if p.Covariances != nil && p.Precisions != nil {
		return paramErrorf("give Covariances or Precisions, not both")
	}
	if p.Weights != nil {
		w, err := checkWeights(p.Weights, k, "weights")
		if err != nil {
			return err
		}
		copy(m.weights, w)
		fallbackW = w
	} else if !partial {
		return paramErrorf("weights are missing")
	}
	if p.Means != nil {
		r, c := p.Means.Dims()
		if r != k || c != d {
			return paramErrorf("means is %d×%d, want K×D = %d×%d", r, c, k, d)
		}
		for i := 0; i < k; i++ {
			for j := 0; j < d; j++ {
				v := p.Means.At(i, j)
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return paramErrorf("means[%d][%d] = %v is not finite", i, j, v)
				}
				m.means[i*d+j] = v
			}
		}
	} else if !partial {
		return paramErrorf("means are missing")
	}
	mats, what := p.Covariances, "covariances"
	if mats == nil {
		mats, what = p.Precisions, "precisions"
	}
	if mats == nil {
		return nil
	}
	if want := m.fam.countMatrices(k, len(mats), what == "precisions"); want != "" {
		return paramErrorf("%s has %d matrices, want %s", what, len(mats), want)
	}
	full := make([][]float64, len(mats))
	for i, s := range mats {
		if s == nil {
			return paramErrorf("%s[%d] is nil", what, i)
		}
		if n := s.SymmetricDim(); n != d {
			return paramErrorf("%s[%d] is %d×%d, want D×D = %d×%d", what, i, n, n, d, d)
		}
		a := make([]float64, d*d)
		for r := 0; r < d; r++ {
			for c := 0; c < d; c++ {
				a[r*d+c] = s.At(r, c)
			}
		}
		if _, fin := symmetricOK(a, d); !fin {
			return paramErrorf("%s[%d] has a value that is not finite", what, i)
		}
		full[i] = a
	}
	// The family's closest form (covariance.go: family.fromFull).
	return m.fam.fromFull(&m.comps, full, what == "precisions", fallbackW)
}

// denseRows returns the rows of x as one row-major slice and its stride,
// without copying when x is a *mat.Dense.
func denseRows(x mat.Matrix) (data []float64, stride, r, c int) {
	r, c = x.Dims()
	if d, ok := x.(*mat.Dense); ok {
		raw := d.RawMatrix()
		return raw.Data, raw.Stride, r, c
	}
	d := mat.DenseCopyOf(x)
	raw := d.RawMatrix()
	return raw.Data, raw.Stride, r, c
}
