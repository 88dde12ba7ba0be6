package biasvar

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// RandomFeatures is minimum-norm least squares on Features random Fourier
// features (Rahimi & Recht 2007), the model in which Belkin, Hsu, Ma &
// Mandal (2019) show double descent: the test error rises as the number of
// features p approaches the number of training points n, peaks at p ≈ n
// where the fit interpolates with a huge norm, and falls again for p ≫ n.
//
// Each fit draws, from the round's random stream, frequencies w_j ~
// N(0, Scale²·I) and phases b_j ~ U(0, 2π), and uses the features
//
//	φ_j(x) = √(2/p) · cos(w_jᵀx + b_j),   j = 1…p.
//
// The coefficients are the minimum-norm least-squares solution β = Φ⁺y,
// computed by a thin SVD with singular values below
// σ_max·ε·max(n, p) treated as zero (numpy.linalg.lstsq's default
// cut-off). There is no intercept: the features span constants well
// enough. Features 0 means 20; Scale 0 means 1 (a kernel bandwidth of 1,
// for inputs on a unit scale; a larger Scale makes wigglier functions).
//
// Double descent shows on inputs of several dimensions, such as the
// Friedman1 problem; in one dimension the features are so redundant that
// the minimum-norm fit stays unstable far beyond p = n.
type RandomFeatures struct {
	Features int
	Scale    float64
}

func (l RandomFeatures) p() int {
	if l.Features == 0 {
		return 20
	}
	return l.Features
}

func (l RandomFeatures) scale() float64 {
	if l.Scale == 0 {
		return 1
	}
	return l.Scale
}

// String returns "rff(features=P,scale=S)".
func (l RandomFeatures) String() string {
	return fmt.Sprintf("rff(features=%d,scale=%g)", l.p(), l.scale())
}

// Fit draws the features from rng and solves for the minimum-norm
// coefficients, O(n·p·min(n,p)).
func (l RandomFeatures) Fit(x *mat.Dense, y []float64, rng *rand.Rand) (Model, error) {
	p, s := l.p(), l.scale()
	if p < 1 {
		return nil, fmt.Errorf("rff: features = %d; need ≥ 1", p)
	}
	if !(s > 0) || math.IsInf(s, 0) {
		return nil, fmt.Errorf("rff: scale %v: must be finite and > 0", s)
	}
	n, d := x.Dims()
	m := &rffModel{w: mat.NewDense(p, d, nil), b: make([]float64, p), norm: math.Sqrt(2 / float64(p)), work: make([]float64, p)}
	for j := 0; j < p; j++ {
		for k := 0; k < d; k++ {
			m.w.Set(j, k, s*rng.NormFloat64())
		}
		m.b[j] = 2 * math.Pi * rng.Float64()
	}
	phi := mat.NewDense(n, p, nil)
	for i := 0; i < n; i++ {
		m.features(phi.RawRowView(i), x.RawRowView(i))
	}
	beta, err := minNorm(phi, y)
	if err != nil {
		return nil, fmt.Errorf("rff: %w", err)
	}
	m.beta = beta
	return m, nil
}

// minNorm returns the minimum-norm least-squares solution of a·β ≈ y.
func minNorm(a *mat.Dense, y []float64) ([]float64, error) {
	n, p := a.Dims()
	var svd mat.SVD
	if !svd.Factorize(a, mat.SVDThin) {
		return nil, fmt.Errorf("SVD did not converge: %w", ErrSingular)
	}
	sv := svd.Values(nil)
	var u, v mat.Dense
	svd.UTo(&u)
	svd.VTo(&v)
	cut := sv[0] * 0x1p-52 * float64(max(n, p))
	beta := make([]float64, p)
	yv := mat.NewVecDense(n, y)
	for k, s := range sv {
		if s <= cut || s == 0 {
			break // singular values come in descending order
		}
		c := mat.Dot(u.ColView(k), yv) / s
		for j := 0; j < p; j++ {
			beta[j] += c * v.At(j, k)
		}
	}
	return beta, nil
}

type rffModel struct {
	w    *mat.Dense
	b    []float64
	norm float64
	beta []float64
	work []float64
}

func (m *rffModel) features(dst, x []float64) {
	for j := range dst {
		w := m.w.RawRowView(j)
		var t float64
		for k, v := range x {
			t += w[k] * v
		}
		dst[j] = m.norm * math.Cos(t+m.b[j])
	}
}

func (m *rffModel) Predict(x []float64) float64 {
	m.features(m.work, x)
	var s float64
	for j, v := range m.work {
		s += v * m.beta[j]
	}
	return s
}
