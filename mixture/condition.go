package mixture

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Conditioning (the algebra of imputation, missing.go): given the values
// v of the coordinates O, the other coordinates M follow the mixture
//
//	p(x_M | x_O = v) = Σ_k π'_k N(x_M | m_k, C_k),
//	π'_k ∝ π_k N(v | μ_kO, Σ_kOO),
//	m_k  = μ_kM + Σ_kMO Σ_kOO⁻¹ (v − μ_kO),   C_k = Σ_kMM − Σ_kMO Σ_kOO⁻¹ Σ_kOM
//
// (Bishop, PRML §2.3.1 per component; the weights by Bayes' rule). On a
// mixture fitted to (x, y) this is Gaussian-mixture regression (Ghahramani
// & Jordan 1994; Sung 2004): the whole conditional density of y given x,
// whose mean Σ_k π'_k m_k is the regression function.

// Condition returns the mixture of the coordinates not in given,
// conditioned on the coordinates given taking the values values (one per
// index of given, in its order): new weights, conditional means and
// covariances, as a model of its own with Full covariances, whatever m's
// type (the conditional of a structured covariance is not of its type in
// general). Its features are m's others, in order, with their names. It
// panics when given and values differ in length, or an index is out of
// range or repeated; it returns an error for a zero Model, a value that is
// not finite, every coordinate given, and values of zero density under
// every component.
func (m *Model) Condition(given []int, values []float64) (*Model, error) {
	if err := m.fitted(); err != nil {
		return nil, err
	}
	if len(given) != len(values) {
		panic(fmt.Sprintf("mixture: Condition: %d coordinates given, %d values", len(given), len(values)))
	}
	d := m.d
	val := make([]float64, d)
	isGiven := make([]bool, d)
	for t, j := range given {
		if j < 0 || j >= d {
			panic(fmt.Sprintf("mixture: Condition: coordinate %d out of range [0, %d)", j, d))
		}
		if isGiven[j] {
			panic(fmt.Sprintf("mixture: Condition: coordinate %d given twice", j))
		}
		isGiven[j] = true
		v := values[t]
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, dataErrorf("Condition: the value of coordinate %d is %v; give finite values", j, v)
		}
		val[j] = v
	}
	if len(given) == d {
		return nil, dataErrorf("Condition: every coordinate is given; nothing is left to be distributed")
	}
	key := make([]byte, (d+7)/8)
	for j := 0; j < d; j++ {
		if !isGiven[j] {
			key[j>>3] |= 1 << (j & 7)
		}
	}
	pt, err := newPatterns(m).get(key)
	if err != nil {
		return nil, fmt.Errorf("mixture: Condition: %w", err)
	}
	k, no, nm := m.k, len(pt.obs), len(pt.mis)
	lw := make([]float64, k)
	means := mat.NewDense(k, nm, nil)
	xo, y := make([]float64, no), make([]float64, no)
	covs := make([]*mat.SymDense, k)
	for c := 0; c < k; c++ {
		pc := &pt.comp[c]
		mu := m.means[c*d : (c+1)*d]
		maha := obsY(y, xo, pc.a, val, mu, pt.obs)
		lw[c] = pc.cst - 0.5*maha
		row := means.RawRowView(c)
		condMean(row, pc.g, y, mu, pt.mis)
		s := mat.NewSymDense(nm, nil)
		for a := 0; a < nm; a++ {
			for b := a; b < nm; b++ {
				s.SetSym(a, b, pc.c[a*nm+b])
			}
		}
		covs[c] = s
	}
	w := make([]float64, k)
	ll, sum := logNorm(lw, w)
	if math.IsInf(ll, 0) || math.IsNaN(ll) {
		return nil, dataErrorf("Condition: the values given have density 0 under every component")
	}
	for c := range w {
		w[c] /= sum
	}
	var names []string
	if m.names != nil {
		for _, j := range pt.mis {
			names = append(names, m.names[j])
		}
	}
	cm, err := New(Full, Params{Weights: w, Means: means, Covariances: covs}, names)
	if err != nil {
		return nil, fmt.Errorf("mixture: Condition: %w", err)
	}
	cm.kernel = m.kernel
	return cm, nil
}

// obsY sets xo = x_O − μ_O and y = A·xo for the observed coordinates obs,
// and returns ‖y‖².
func obsY(y, xo, a, x, mu []float64, obs []int) float64 {
	no := len(obs)
	for l, j := range obs {
		xo[l] = x[j] - mu[j]
	}
	maha := 0.0
	for j := 0; j < no; j++ {
		v := 0.0
		for l, av := range a[j*no : j*no+j+1] {
			v += av * xo[l]
		}
		y[j] = v
		maha += v * v
	}
	return maha
}

// condMean sets dst[r] = μ_M[r] + (G·y)_r, the conditional mean.
func condMean(dst, g, y, mu []float64, mis []int) {
	no := len(y)
	for r, j := range mis {
		v := 0.0
		for l, gv := range g[r*no : (r+1)*no] {
			v += gv * y[l]
		}
		dst[r] = mu[j] + v
	}
}

// Regress is Gaussian-mixture regression on many rows: for each row of x,
// whose columns are the coordinates given (in the order of given), it sets
// the row of dst to the conditional mean of the other coordinates (in
// their order; Condition's mean, Σ_k π'_k m_k) and, when sd is not nil,
// the row of sd to their conditional standard deviations. A NaN in x is a
// given value missing, marginalised. dst is allocated when nil; dst and sd
// must be N×(D − len(given)) otherwise. It panics when given has an index
// out of range or repeated, or x has another number of columns than
// given; it returns an error for a zero Model, every coordinate given, an
// infinity in x, and a row of zero density.
func (m *Model) Regress(dst, sd *mat.Dense, given []int, x mat.Matrix) (*mat.Dense, error) {
	if err := m.fitted(); err != nil {
		return nil, err
	}
	n, c := x.Dims()
	if c != len(given) {
		panic(fmt.Sprintf("mixture: Regress: x has %d columns for %d coordinates given", c, len(given)))
	}
	d := m.d
	isGiven := make([]bool, d)
	for _, j := range given {
		if j < 0 || j >= d {
			panic(fmt.Sprintf("mixture: Regress: coordinate %d out of range [0, %d)", j, d))
		}
		if isGiven[j] {
			panic(fmt.Sprintf("mixture: Regress: coordinate %d given twice", j))
		}
		isGiven[j] = true
	}
	var targets []int
	for j := 0; j < d; j++ {
		if !isGiven[j] {
			targets = append(targets, j)
		}
	}
	if len(targets) == 0 {
		return nil, dataErrorf("Regress: every coordinate is given; nothing is left to predict")
	}
	full := mat.NewDense(n, d, nil)
	for i := 0; i < n; i++ {
		row := full.RawRowView(i)
		for _, j := range targets {
			row[j] = math.NaN()
		}
		for t, j := range given {
			row[j] = x.At(i, t)
		}
	}
	var fsd *mat.Dense
	if sd != nil {
		sizedDense(sd, n, len(targets), "Regress (sd)")
		fsd = mat.NewDense(n, d, nil)
	}
	dst = sizedDense(dst, n, len(targets), "Regress")
	if _, err := m.Impute(full, fsd, full); err != nil {
		return nil, err
	}
	for i := 0; i < n; i++ {
		src, out := full.RawRowView(i), dst.RawRowView(i)
		for t, j := range targets {
			out[t] = src[j]
		}
		if sd != nil {
			s, o := fsd.RawRowView(i), sd.RawRowView(i)
			for t, j := range targets {
				o[t] = s[j]
			}
		}
	}
	return dst, nil
}
