package mixture

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/latentgo/latent/internal/modelfile"
)

// bayesFamily is what a covariance family adds for the variational
// mixture (bgmm*.go): the prior of its precisions, the update of q(Λ_k)
// from the statistics, and the parts of the ELBO and of the posterior
// predictive that depend on its form. The four families of
// scikit-learn's BayesianGaussianMixture implement it (here, beside the
// interface, so that their own files stay as they are); a family without
// it has no Bayesian mixture.
//
// The stored covariances of a variational comps are scikit-learn's
// covariances_, (ν_k W_k)⁻¹ = E_q[Λ_k]⁻¹, so that the family's factor,
// maha, trace and sample serve unchanged: its precision factor gives
// E_q[Λ_k] = AᵀA.
type bayesFamily interface {
	family
	// vbDofs returns the number of degrees of freedom ν stored for K
	// components: K, or 1 when the components share their precision.
	vbDofs(k int) int
	// vbPriorSize returns the number of values of the covariance prior
	// Ψ₀: D·D, D or 1.
	vbPriorSize(d int) int
	// vbDefaultPrior sets dst (vbPriorSize values) to scikit-learn's
	// default covariance prior from the data's covariance cov (D×D
	// row-major, ddof 1): cov itself, its diagonal, or its mean.
	vbDefaultPrior(dst, cov []float64, d int)
	// vbCheckPrior checks a covariance prior of vbPriorSize values:
	// symmetric positive definite or positive. It returns what is wrong,
	// or "".
	vbCheckPrior(p []float64, d int) string
	// vbEncodePrior returns the covariance prior in the model file's
	// JSON shape (full, tied [D][D]; diag [D]; spherical a number), and
	// vbDecodePrior reads it (field path), checking its shape.
	vbEncodePrior(p []float64, d int) any
	vbDecodePrior(raw json.RawMessage, path string, d int) ([]float64, error)
	// vbScale turns c.covs, which hold scikit-learn's S_k (the family's
	// M-step: the components' weighted covariances plus reg), into the
	// normalised posterior covariances (ν_k W_k)⁻¹ and sets dof:
	//
	//	ν_k = ν₀ + n_k,  ν_k (ν_k W_k)⁻¹ = Ψ₀ + n_k S_k + n_k β₀/β_k (x̄_k − m₀)(x̄_k − m₀)ᵀ
	//
	// in the family's form (PRML eq. 10.62–10.63). nk are the counts
	// with scikit-learn's floor, xk the K×D component means x̄_k, beta
	// the β_k.
	vbScale(c *comps, dof, nk, xk, beta []float64, pr *BayesPriors)
	// vbLogDetShift returns E_q ln|Λ_k| − ln|E_q Λ_k| as a function of
	// ν_k: for a Wishart Σ_i ψ((ν − i)/2) + D ln 2 − D ln ν; for the
	// Gammas of diag and spherical, their own.
	vbLogDetShift(nu float64, d int) float64
	// vbKLPrecision returns KL(q(Λ_k) ‖ p(Λ_k)) for component k, whose
	// q has ν = nu.
	vbKLPrecision(c *comps, k int, nu float64, pr *BayesPriors) float64
	// vbPredictive adds to dst[i] the log density at row i of diff (n
	// rows of x − m_k) of component k's posterior predictive, a Student
	// t (PRML eq. 10.81–10.82), for ν = nu and β = beta.
	vbPredictive(c *comps, k int, nu, beta float64, dst, diff []float64, n int, s *scratch)
}

// Wishart families: full and tied.

// wishartShift is the Wishart's E ln|Λ| − ln|E Λ| = Σ_{i<D} ψ((ν−i)/2) +
// D ln 2 − D ln ν (PRML eq. 10.65, with |E Λ| = ν^D |W|): also the term
// scikit-learn's E-step uses for every covariance type.
func wishartShift(nu float64, d int) float64 {
	fd := float64(d)
	return sumDigammaWishart(nu, d) + fd*math.Ln2 - fd*math.Log(nu)
}

// klWishart returns KL(W(W_q, ν) ‖ W(Ψ₀⁻¹, ν₀)) for q's precision factor
// a (E_q Λ = ν W_q = aᵀa, D×D lower triangular) with log det a = logDet,
// and Ψ₀ (D×D, both triangles) with ln|Ψ₀| = lnDetPsi:
//
//	ln B(W_q, ν) − ln B(Ψ₀⁻¹, ν₀) + ½(ν − ν₀) E ln|Λ| − ½νD + ½ tr(Ψ₀ E Λ).
func klWishart(a []float64, logDet, nu float64, pr *BayesPriors, lnDetPsi float64, d int) float64 {
	fd := float64(d)
	lnDetW := 2*logDet - fd*math.Log(nu)
	eln := 2*logDet + wishartShift(nu, d)
	return lnWishartB(lnDetW, nu, d) - lnWishartB(-lnDetPsi, pr.DegreesOfFreedom, d) +
		0.5*(nu-pr.DegreesOfFreedom)*eln - 0.5*nu*fd + 0.5*traceAtSA(a, pr.Covariance, d)
}

// studentT adds to dst[i] the log density of a D-dimensional Student t
// with tau degrees of freedom and scale matrix s·Σ, for maha[i] =
// (x − m)ᵀΣ⁻¹(x − m) and logDet = −½ ln|Σ|.
func studentT(dst, maha []float64, tau, s, logDet float64, d int) {
	fd := float64(d)
	c := lgamma(0.5*(tau+fd)) - lgamma(0.5*tau) - 0.5*fd*math.Log(tau*math.Pi) - 0.5*fd*math.Log(s) + logDet
	h := 0.5 * (tau + fd)
	st := s * tau
	for i, v := range maha {
		dst[i] += c - h*math.Log1p(v/st)
	}
}

// wishartPredictive is the predictive of a Normal–Wishart component:
// St(x | m, L⁻¹, ν + 1 − D) with L⁻¹ = (1 + β)/((ν + 1 − D) β) · W⁻¹ and
// W⁻¹ = ν Σ for the stored Σ = (νW)⁻¹ (PRML eq. 10.81–10.82).
func wishartPredictive(f family, c *comps, k int, nu, beta float64, dst, diff []float64, n int, s *scratch) {
	d := c.d
	tau := nu + 1 - float64(d)
	maha := make([]float64, n)
	f.maha(c, k, maha, diff, n, s)
	studentT(dst[:n], maha, tau, (1+beta)*nu/(tau*beta), c.logDet[k], d)
}

func wishartCheckPrior(p []float64, d int) string {
	if sym, fin := symmetricOK(p, d); !fin {
		return "has a value that is not finite"
	} else if !sym {
		return "is not symmetric"
	}
	tmp, scratch := make([]float64, d*d), make([]float64, d*d)
	if _, ok := factorize(tmp, p, scratch, d); !ok {
		return "is not positive definite"
	}
	return ""
}

func (fullFamily) vbDofs(k int) int                         { return k }
func (fullFamily) vbPriorSize(d int) int                    { return d * d }
func (fullFamily) vbDefaultPrior(dst, cov []float64, d int) { copy(dst, cov[:d*d]) }
func (fullFamily) vbCheckPrior(p []float64, d int) string   { return wishartCheckPrior(p, d) }
func (fullFamily) vbLogDetShift(nu float64, d int) float64  { return wishartShift(nu, d) }

func (fullFamily) vbScale(c *comps, dof, nk, xk, beta []float64, pr *BayesPriors) {
	d := c.d
	diff := make([]float64, d)
	for k := 0; k < c.k; k++ {
		n := nk[k]
		nu := pr.DegreesOfFreedom + n
		dof[k] = nu
		for j := range diff {
			diff[j] = xk[k*d+j] - pr.Mean[j]
		}
		f := n * pr.MeanPrecision / beta[k]
		cv := c.covs[k*d*d : (k+1)*d*d]
		for a := 0; a < d; a++ { // the upper triangle, mirrored: exactly symmetric
			for bb := a; bb < d; bb++ {
				v := (pr.Covariance[a*d+bb] + n*cv[a*d+bb] + f*diff[a]*diff[bb]) / nu
				cv[a*d+bb], cv[bb*d+a] = v, v
			}
		}
	}
}

func (fullFamily) vbKLPrecision(c *comps, k int, nu float64, pr *BayesPriors) float64 {
	d := c.d
	return klWishart(c.chol[k*d*d:(k+1)*d*d], c.logDet[k], nu, pr, priorLogDet(pr, d), d)
}

func (f fullFamily) vbPredictive(c *comps, k int, nu, beta float64, dst, diff []float64, n int, s *scratch) {
	wishartPredictive(f, c, k, nu, beta, dst, diff, n, s)
}

// priorLogDet returns ln|Ψ₀| of a D×D covariance prior.
func priorLogDet(pr *BayesPriors, d int) float64 {
	tmp, scratch := make([]float64, d*d), make([]float64, d*d)
	ld, ok := factorize(tmp, pr.Covariance, scratch, d)
	if !ok {
		return math.NaN() // checked when the priors were resolved
	}
	return -2 * ld
}

// tied: one q(Λ) = W(W, ν) for every component. scikit-learn's updates
// ν = ν₀ + N/K and W⁻¹ = Ψ₀ + (1/K) Σ_k [n_k S_k + n_k β₀/β_k d_k d_kᵀ] are
// the best Wishart shared by K components whose precisions have the prior
// W(Ψ₀⁻¹, ν₀) each: it minimises Σ_k KL(q ‖ q*_k), whose Wishart
// parameters average those of the components' own optima q*_k.

func (tiedFamily) vbDofs(int) int                           { return 1 }
func (tiedFamily) vbPriorSize(d int) int                    { return d * d }
func (tiedFamily) vbDefaultPrior(dst, cov []float64, d int) { copy(dst, cov[:d*d]) }
func (tiedFamily) vbCheckPrior(p []float64, d int) string   { return wishartCheckPrior(p, d) }
func (tiedFamily) vbLogDetShift(nu float64, d int) float64  { return wishartShift(nu, d) }

func (tiedFamily) vbScale(c *comps, dof, nk, xk, beta []float64, pr *BayesPriors) {
	k, d := c.k, c.d
	tot := 0.0
	for _, n := range nk {
		tot += n
	}
	fk := float64(k)
	nu := pr.DegreesOfFreedom + tot/fk
	dof[0] = nu
	// Σ_k (n_k/β_k) d_k d_kᵀ
	m := make([]float64, d*d)
	diff := make([]float64, d)
	for q := 0; q < k; q++ {
		for j := range diff {
			diff[j] = xk[q*d+j] - pr.Mean[j]
		}
		f := nk[q] / beta[q]
		for a := 0; a < d; a++ {
			for bb := a; bb < d; bb++ {
				m[a*d+bb] += f * diff[a] * diff[bb]
			}
		}
	}
	for a := 0; a < d; a++ { // the upper triangle, mirrored: exactly symmetric
		for bb := a; bb < d; bb++ {
			i := a*d + bb
			v := (pr.Covariance[i] + c.covs[i]*tot/fk + pr.MeanPrecision/fk*m[i]) / nu
			c.covs[i], c.covs[bb*d+a] = v, v
		}
	}
}

func (tiedFamily) vbKLPrecision(c *comps, _ int, nu float64, pr *BayesPriors) float64 {
	return klWishart(c.chol, c.logDet[0], nu, pr, priorLogDet(pr, c.d), c.d)
}

func (f tiedFamily) vbPredictive(c *comps, k int, nu, beta float64, dst, diff []float64, n int, s *scratch) {
	wishartPredictive(f, c, k, nu, beta, dst, diff, n, s)
}

// Gamma families: diag and spherical. scikit-learn updates ν_k and the
// normalised covariances as for a Wishart; they are the parameters of
// Gammas, the one-dimensional Wishart W(w, ν) = Gamma(ν/2, 1/(2w)):
//
//	diag:      λ_kj ~ Gamma(ν_k/2, ν_k σ²_kj/2) for each feature j, prior Gamma(ν₀/2, Ψ₀_j/2)
//	spherical: λ_k  ~ Gamma(Dν_k/2, Dν_k σ²_k/2), prior Gamma(Dν₀/2, DΨ₀/2)
//
// with μ_kj | λ_kj ~ N(m_kj, 1/(β_k λ_kj)) (diag) or μ_k | λ_k ~ N(m_k,
// I/(β_k λ_k)) (spherical): scikit-learn's updates of β_k, m_k, ν_k and
// σ² are the coordinate-ascent updates of these Normal–Gamma models, and
// E_q λ = 1/σ², the point estimate.

func gammaCheckPrior(p []float64) string {
	for j, v := range p {
		if !positive(v) {
			return fmt.Sprintf("has %v at %d; variances must be positive and finite", v, j)
		}
	}
	return ""
}

func (diagFamily) vbDofs(k int) int      { return k }
func (diagFamily) vbPriorSize(d int) int { return d }
func (diagFamily) vbDefaultPrior(dst, cov []float64, d int) {
	for j := 0; j < d; j++ {
		dst[j] = cov[j*d+j]
	}
}
func (diagFamily) vbCheckPrior(p []float64, _ int) string { return gammaCheckPrior(p) }

// vbLogDetShift: Σ_j E ln λ_j − ln E λ_j = D (ψ(ν/2) − ln(ν/2)).
func (diagFamily) vbLogDetShift(nu float64, d int) float64 {
	return float64(d) * (digamma(0.5*nu) - math.Log(0.5*nu))
}

func (diagFamily) vbScale(c *comps, dof, nk, xk, beta []float64, pr *BayesPriors) {
	d := c.d
	for k := 0; k < c.k; k++ {
		n := nk[k]
		nu := pr.DegreesOfFreedom + n
		dof[k] = nu
		r := pr.MeanPrecision / beta[k]
		for j := 0; j < d; j++ {
			dm := xk[k*d+j] - pr.Mean[j]
			c.covs[k*d+j] = (pr.Covariance[j] + n*(c.covs[k*d+j]+r*dm*dm)) / nu
		}
	}
}

func (diagFamily) vbKLPrecision(c *comps, k int, nu float64, pr *BayesPriors) float64 {
	d := c.d
	kl := 0.0
	for j := 0; j < d; j++ {
		kl += klGamma(0.5*nu, 0.5*nu*c.covs[k*d+j], 0.5*pr.DegreesOfFreedom, 0.5*pr.Covariance[j])
	}
	return kl
}

// vbPredictive: a product over the features of univariate t with ν
// degrees of freedom, location m_kj and scale² (1 + β)/β · σ²_kj.
func (diagFamily) vbPredictive(c *comps, k int, nu, beta float64, dst, diff []float64, n int, _ *scratch) {
	d := c.d
	s := (1 + beta) / beta
	cst := lgamma(0.5*(nu+1)) - lgamma(0.5*nu) - 0.5*math.Log(nu*math.Pi) - 0.5*math.Log(s)
	h := 0.5 * (nu + 1)
	p := c.chol[k*d : (k+1)*d]
	for i := 0; i < n; i++ {
		r := diff[i*d : (i+1)*d]
		v := float64(d)*cst + c.logDet[k]
		for j, x := range r {
			z := x * p[j]
			v -= h * math.Log1p(z*z/(s*nu))
		}
		dst[i] += v
	}
}

func (sphericalFamily) vbDofs(k int) int    { return k }
func (sphericalFamily) vbPriorSize(int) int { return 1 }
func (sphericalFamily) vbDefaultPrior(dst, cov []float64, d int) {
	s := 0.0
	for j := 0; j < d; j++ {
		s += cov[j*d+j]
	}
	dst[0] = s / float64(d)
}
func (sphericalFamily) vbCheckPrior(p []float64, _ int) string { return gammaCheckPrior(p) }

// vbLogDetShift: D (E ln λ − ln E λ) = D (ψ(Dν/2) − ln(Dν/2)).
func (sphericalFamily) vbLogDetShift(nu float64, d int) float64 {
	a := 0.5 * float64(d) * nu
	return float64(d) * (digamma(a) - math.Log(a))
}

func (sphericalFamily) vbScale(c *comps, dof, nk, xk, beta []float64, pr *BayesPriors) {
	d := c.d
	for k := 0; k < c.k; k++ {
		n := nk[k]
		nu := pr.DegreesOfFreedom + n
		dof[k] = nu
		m := 0.0
		for j := 0; j < d; j++ {
			dm := xk[k*d+j] - pr.Mean[j]
			m += dm * dm
		}
		m /= float64(d)
		c.covs[k] = (pr.Covariance[0] + n*(c.covs[k]+pr.MeanPrecision/beta[k]*m)) / nu
	}
}

func (sphericalFamily) vbKLPrecision(c *comps, k int, nu float64, pr *BayesPriors) float64 {
	fd := float64(c.d)
	return klGamma(0.5*fd*nu, 0.5*fd*nu*c.covs[k], 0.5*fd*pr.DegreesOfFreedom, 0.5*fd*pr.Covariance[0])
}

// vbPredictive: a D-dimensional t with Dν degrees of freedom, location m_k
// and scale (1 + β)/β · σ²_k I.
func (f sphericalFamily) vbPredictive(c *comps, k int, nu, beta float64, dst, diff []float64, n int, s *scratch) {
	maha := make([]float64, n)
	f.maha(c, k, maha, diff, n, s)
	studentT(dst[:n], maha, float64(c.d)*nu, (1+beta)/beta, c.logDet[k], c.d)
}

// The model file's covariance prior.

func squareEncode(p []float64, d int) any { return rows(p, d) }

func squareDecode(raw json.RawMessage, path string, d int) ([]float64, error) {
	var a [][]float64
	if err := modelfile.DecodeStrict(raw, &a, path); err != nil {
		return nil, err
	}
	out := make([]float64, d*d)
	if err := decodeSquare(path, a, out, d, -1); err != nil {
		return nil, err
	}
	return out, nil
}

func (fullFamily) vbEncodePrior(p []float64, d int) any { return squareEncode(p, d) }
func (fullFamily) vbDecodePrior(raw json.RawMessage, path string, d int) ([]float64, error) {
	return squareDecode(raw, path, d)
}
func (tiedFamily) vbEncodePrior(p []float64, d int) any { return squareEncode(p, d) }
func (tiedFamily) vbDecodePrior(raw json.RawMessage, path string, d int) ([]float64, error) {
	return squareDecode(raw, path, d)
}

func (diagFamily) vbEncodePrior(p []float64, _ int) any { return append([]float64(nil), p...) }
func (diagFamily) vbDecodePrior(raw json.RawMessage, path string, d int) ([]float64, error) {
	var a []float64
	if err := modelfile.DecodeStrict(raw, &a, path); err != nil {
		return nil, err
	}
	if len(a) != d {
		return nil, fe(path, "%d values, want D = %d", len(a), d)
	}
	return a, nil
}

func (sphericalFamily) vbEncodePrior(p []float64, _ int) any { return p[0] }
func (sphericalFamily) vbDecodePrior(raw json.RawMessage, path string, _ int) ([]float64, error) {
	var v float64
	if err := modelfile.DecodeStrict(raw, &v, path); err != nil {
		return nil, err
	}
	return []float64{v}, nil
}
