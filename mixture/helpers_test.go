package mixture

import (
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"
)

// newRNG is the random stream of a test.
func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x7465737473)) }

// uniform returns an n×d matrix of U(0, 1) draws (scikit-learn's rng.rand).
func uniform(rng *rand.Rand, n, d int) *mat.Dense {
	x := mat.NewDense(n, d, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			x.Set(i, j, rng.Float64())
		}
	}
	return x
}

// randn returns an n×d matrix of N(0, 1) draws.
func randn(rng *rand.Rand, n, d int) *mat.Dense {
	x := mat.NewDense(n, d, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			x.Set(i, j, rng.NormFloat64())
		}
	}
	return x
}

// spd returns a random symmetric positive definite d×d matrix with
// eigenvalues in [1, 2] (as scikit-learn's make_spd_matrix), times scale.
func spd(rng *rand.Rand, d int, scale float64) *mat.SymDense {
	var qr mat.QR
	qr.Factorize(randn(rng, d, d))
	var q mat.Dense
	qr.QTo(&q)
	lam := mat.NewDiagDense(d, nil)
	for i := 0; i < d; i++ {
		lam.SetDiag(i, scale*(1+rng.Float64()))
	}
	var t, s mat.Dense
	t.Mul(&q, lam)
	s.Mul(&t, q.T())
	out := mat.NewSymDense(d, nil)
	for i := 0; i < d; i++ {
		for j := i; j < d; j++ {
			out.SetSym(i, j, 0.5*(s.At(i, j)+s.At(j, i)))
		}
	}
	return out
}

// truth is a known mixture and data drawn from it, as scikit-learn's
// RandomData: weights U(0,1) normalised, means U(0, scale), covariances of
// the type (spherical 0.5+U, diag (0.5+U)², tied spd, full spd/2).
type truth struct {
	weights []float64
	means   *mat.Dense
	covs    []*mat.SymDense // full form, one per component
	x       *mat.Dense
	labels  []int
}

func randomData(rng *rand.Rand, n, k, d int, scale float64, cov CovarianceType) *truth {
	t := &truth{weights: make([]float64, k), means: mat.NewDense(k, d, nil)}
	s := 0.0
	for i := range t.weights {
		t.weights[i] = rng.Float64()
		s += t.weights[i]
	}
	for i := range t.weights {
		t.weights[i] /= s
	}
	for i := 0; i < k; i++ {
		for j := 0; j < d; j++ {
			t.means.Set(i, j, rng.Float64()*scale)
		}
	}
	tied := spd(rng, d, 1)
	for i := 0; i < k; i++ {
		c := mat.NewSymDense(d, nil)
		switch cov {
		case Spherical:
			v := 0.5 + rng.Float64()
			for j := 0; j < d; j++ {
				c.SetSym(j, j, v)
			}
		case Diag:
			for j := 0; j < d; j++ {
				v := 0.5 + rng.Float64()
				c.SetSym(j, j, v*v)
			}
		case Tied:
			c.CopySym(tied)
		default:
			c = spd(rng, d, 0.5)
		}
		t.covs = append(t.covs, c)
	}
	t.x = mat.NewDense(n, d, nil)
	row := 0
	for i := 0; i < k; i++ {
		cnt := int(math.Round(t.weights[i] * float64(n)))
		if i == k-1 {
			cnt = n - row
		}
		nd, _ := distmv.NewNormal(t.means.RawRowView(i), t.covs[i], rand.NewPCG(rng.Uint64(), 1))
		for c := 0; c < cnt && row < n; c++ {
			t.x.SetRow(row, nd.Rand(nil))
			t.labels = append(t.labels, i)
			row++
		}
	}
	return t
}

// ari is the adjusted Rand index of two labelings (Hubert & Arabie 1985).
func ari(a, b []int) float64 {
	type pair struct{ x, y int }
	n := len(a)
	cont := map[pair]int{}
	ra, rb := map[int]int{}, map[int]int{}
	for i := range a {
		cont[pair{a[i], b[i]}]++
		ra[a[i]]++
		rb[b[i]]++
	}
	c2 := func(m int) float64 { return float64(m) * float64(m-1) / 2 }
	var sij, sa, sb float64
	for _, v := range cont {
		sij += c2(v)
	}
	for _, v := range ra {
		sa += c2(v)
	}
	for _, v := range rb {
		sb += c2(v)
	}
	exp := sa * sb / c2(n)
	return (sij - exp) / (0.5*(sa+sb) - exp)
}

// sortedBy returns the indices 0..n−1 ordered by key.
func sortedBy(n int, key func(int) float64) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return key(idx[a]) < key(idx[b]) })
	return idx
}

// emptyMatrix is a mat.Matrix with a zero dimension, which mat.Dense
// cannot represent (catalog M-03).
type emptyMatrix struct{ r, c int }

func (e emptyMatrix) Dims() (int, int)    { return e.r, e.c }
func (e emptyMatrix) At(i, j int) float64 { panic("empty") }
func (e emptyMatrix) T() mat.Matrix       { return emptyMatrix{e.c, e.r} }
func bitsEqual(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// sampleN draws n rows from m into a fresh matrix, with their components.
func sampleN(m *Model, n int, rng *rand.Rand) (*mat.Dense, []int, error) {
	x := mat.NewDense(n, m.Dim(), nil)
	labels := make([]int, n)
	err := m.Sample(x, labels, rng)
	return x, labels, err
}
