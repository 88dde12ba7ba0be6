package biasvar

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"gonum.org/v1/gonum/mat"
)

// ErrSingular is returned (wrapped) by a least-squares fit whose design
// matrix is rank deficient, for example a polynomial of degree D fitted to
// fewer than D+1 distinct x values.
var ErrSingular = errors.New("singular least-squares problem")

// maxCond is the condition number of the scaled design matrix above which a
// least-squares fit is refused as singular. With the Legendre basis on
// [−1,1] a well-posed fit has a condition number of order 10–10⁴; 1e12
// leaves about four significant digits in the coefficients.
const maxCond = 1e12

// Poly is polynomial least squares of degree Degree in one input (Degree 0
// fits a constant). With several inputs only Degree ≤ 1 is allowed: ordinary
// linear regression with an intercept.
//
// The fit is numerically sound at high degree: x is mapped to [−1,1] by the
// training range, the columns are Legendre polynomials P₀…P_D of the mapped
// x (nearly orthogonal for spread-out x, unlike the monomials of a
// Vandermonde matrix), and the least-squares problem is solved by a
// Householder QR factorisation (gonum mat.QR), never through the normal
// equations. The fitted function is the same as with monomials, only
// computed with far less rounding error. A rank-deficient design (fewer
// than Degree+1 distinct x values: a 1-norm condition number of R above
// 1e12) fails the fit with ErrSingular.
type Poly struct{ Degree int }

// String returns "poly(degree=D)".
func (l Poly) String() string { return fmt.Sprintf("poly(degree=%d)", l.Degree) }

// Fit solves the least-squares problem.
func (l Poly) Fit(x *mat.Dense, y []float64, _ *rand.Rand) (Model, error) {
	return fitLinear(x, y, l.Degree, 0, "poly")
}

// Ridge is ridge regression on the polynomial basis of Poly: it minimises
//
//	‖y − Aβ‖² + Lambda·Σ_{j≥1} β_j²
//
// where A has the Legendre columns P₀…P_Degree of x mapped to [−1,1] (or,
// with several inputs and Degree ≤ 1, the inputs mapped to [−1,1]) and the
// intercept β₀ is not penalised, as scikit-learn's Ridge with
// fit_intercept. The penalty therefore acts on the Legendre coefficients:
// the same shrinkage family as on monomials but not the same path. The
// problem is solved as the augmented least-squares problem [A; √λ·[0 I]]
// by QR. Lambda 0 is Poly.
type Ridge struct {
	Lambda float64
	Degree int
}

// String returns "ridge(lambda=L,degree=D)".
func (l Ridge) String() string { return fmt.Sprintf("ridge(lambda=%g,degree=%d)", l.Lambda, l.Degree) }

// Fit solves the penalised least-squares problem.
func (l Ridge) Fit(x *mat.Dense, y []float64, _ *rand.Rand) (Model, error) {
	if l.Lambda < 0 || math.IsNaN(l.Lambda) || math.IsInf(l.Lambda, 0) {
		return nil, fmt.Errorf("ridge: lambda %v: must be finite and ≥ 0", l.Lambda)
	}
	return fitLinear(x, y, l.Degree, l.Lambda, "ridge")
}

// basis maps inputs to the columns of the linear model.
type basis struct {
	degree int
	lo, hi []float64 // training range per input
}

func (b *basis) width(d int) int {
	if d == 1 {
		return b.degree + 1
	}
	return 1 + b.degree*d
}

// row writes the basis functions at x into dst.
func (b *basis) row(dst, x []float64) {
	dst[0] = 1
	if b.degree == 0 {
		return
	}
	if len(x) > 1 {
		for j, v := range x {
			dst[1+j] = b.scale(j, v)
		}
		return
	}
	u := b.scale(0, x[0])
	dst[1] = u
	for j := 1; j < b.degree; j++ {
		// Bonnet's recurrence: (j+1)P_{j+1} = (2j+1)u P_j − j P_{j−1}.
		dst[j+1] = (float64(2*j+1)*u*dst[j] - float64(j)*dst[j-1]) / float64(j+1)
	}
}

func (b *basis) scale(j int, v float64) float64 {
	w := b.hi[j] - b.lo[j]
	if w == 0 {
		return 0
	}
	return (2*v - b.lo[j] - b.hi[j]) / w
}

func fitLinear(x *mat.Dense, y []float64, degree int, lambda float64, who string) (Model, error) {
	n, d := x.Dims()
	if len(y) != n {
		panic(fmt.Sprintf("biasvar: %s: %d rows but %d responses", who, n, len(y)))
	}
	if degree < 0 {
		return nil, fmt.Errorf("%s: degree %d is negative", who, degree)
	}
	if d > 1 && degree > 1 {
		return nil, fmt.Errorf("%s: degree %d with %d inputs: only degree ≤ 1 (linear regression) is available for several inputs", who, degree, d)
	}
	b := &basis{degree: degree, lo: make([]float64, d), hi: make([]float64, d)}
	for j := 0; j < d; j++ {
		b.lo[j], b.hi[j] = math.Inf(1), math.Inf(-1)
		for i := 0; i < n; i++ {
			v := x.At(i, j)
			b.lo[j], b.hi[j] = math.Min(b.lo[j], v), math.Max(b.hi[j], v)
		}
	}
	p := b.width(d)
	rows := n
	if lambda > 0 {
		rows += p - 1
	}
	if rows < p {
		return nil, fmt.Errorf("%s: %d parameters but only %d training points: %w", who, p, n, ErrSingular)
	}
	// The design matrix, right-hand side and scratch are only needed during
	// the fit: they come from a pool, so that thousands of fits per second
	// on every core do not keep the garbage collector busy (its pauses and
	// mark work are what kept two cores from fitting twice as fast). Only
	// β and the prediction scratch stay with the model.
	need := rows*p + rows + p*p
	buf := scratchPool.Get().(*[]float64)
	if cap(*buf) < need {
		*buf = make([]float64, need)
	}
	slab := (*buf)[:need]
	clear(slab)
	defer scratchPool.Put(buf)
	a, rhs, work := slab[:rows*p], slab[rows*p:rows*p+rows], slab[rows*p+rows:]
	for i := 0; i < n; i++ {
		b.row(a[i*p:(i+1)*p], x.RawRowView(i))
		rhs[i] = y[i]
	}
	if lambda > 0 {
		s := math.Sqrt(lambda)
		for j := 1; j < p; j++ {
			a[(n+j-1)*p+j] = s
		}
	}
	keep := make([]float64, 2*p)
	beta := keep[:p]
	if c := lstsq(a, rows, p, rhs, beta, work); !(c <= maxCond) {
		return nil, fmt.Errorf("%s: design matrix condition number %.3g above %.0g (too few distinct x values for %d parameters?): %w", who, c, maxCond, p, ErrSingular)
	}
	return &linearModel{b: b, beta: beta, work: keep[p:]}, nil
}

// scratchPool holds float64 scratch slices for fits.
var scratchPool = sync.Pool{New: func() any { return new([]float64) }}

type linearModel struct {
	b    *basis
	beta []float64
	work []float64
}

func (m *linearModel) Predict(x []float64) float64 {
	m.b.row(m.work, x)
	var s float64
	for j, v := range m.work {
		s += v * m.beta[j]
	}
	return s
}
