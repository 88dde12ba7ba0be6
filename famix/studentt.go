package famix

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/latentgo/latent/internal/modelfile"
)

// studentT is the multivariate Student-t family over a block of p numeric
// columns, full covariance (scale) matrices: f_k = t_p(x; μ_k, Σ_k, ν_k).
// With gaussian set it is the Gaussian family (ν = ∞, u ≡ 1; gaussian.go).
//
// EM treats the t as a scale mixture of normals, x | u ~ N(μ, Σ/u),
// u ~ Gamma(ν/2, ν/2), with u a latent variable beside z (McLachlan &
// Peel 2000, §7.5; Peel & McLachlan 2000). The E-step gives, with
// δ_ik = (x_i − μ_k)ᵀ Σ_k⁻¹ (x_i − μ_k), the posterior u | x, z = k ~
// Gamma(a_ik, b_ik), a = (ν_k + p)/2, b = (ν_k + δ_ik)/2:
//
//	u_ik = E u = (ν_k + p)/(ν_k + δ_ik),  E log u = ψ(a) − log b
//
// and the CM-steps, with r_ik = w_i q_ik,
//
//	μ_k = Σ r u x / Σ r u,  Σ_k = Σ r u (x − μ)(x − μ)ᵀ / Σ r
//	ν_k: the root of −ψ(ν/2) + log(ν/2) + 1 + Σ r (E log u − u)/Σ r = 0
//
// (Peel & McLachlan 2000, eq. 30 with the first CM-step's u; fixed when
// Options.Nu > 0). The root is found by bisection on log ν in [1e-3, 1e6];
// when the equation has none (data lighter-tailed than any t), ν = 1e6.
// The M-step's return value is E_q log p(x, u, z | θ) + Σ r H(q(u)), so
// em's ELBO is the exact lower bound on log p(x | θ) of this EM.
type studentT struct {
	k, p     int
	gaussian bool
	fixedNu  float64 // > 0: ν fixed
	reg      float64
	mu       []float64 // K×p
	cov      []float64 // K×p×p
	nu       []float64 // K
	// Derived by prepare: U_k = L_k⁻ᵀ (Σ_k = L Lᵀ), so δ = ‖(x − μ) U‖²,
	// log |Σ_k|, and the log-density's constant.
	u      []*mat.Dense
	logdet []float64
	konst  []float64
	chol   []mat.Cholesky
	unset  bool // before the first M-step: the start uses u ≡ 1
}

// StartNu is the Student-t family's ν before the first ν update when ν is
// estimated.
const StartNu = 30.0

// MaxNu caps the estimated ν (beyond it a t is a Gaussian to 1e-6).
const MaxNu = 1e6

func newStudentT(k, p int, nu, reg float64) *studentT {
	f := &studentT{k: k, p: p, fixedNu: nu, reg: reg, mu: make([]float64, k*p), cov: make([]float64, k*p*p), nu: make([]float64, k),
		u: make([]*mat.Dense, k), logdet: make([]float64, k), konst: make([]float64, k), chol: make([]mat.Cholesky, k), unset: true}
	for c := range f.nu {
		f.nu[c] = StartNu
		if nu > 0 {
			f.nu[c] = nu
		}
	}
	return f
}

func (f *studentT) Family() Family {
	if f.gaussian {
		return Gaussian
	}
	return StudentT
}
func (f *studentT) dim() int { return f.p }
func (f *studentT) numParams() int {
	n := f.k * (f.p + f.p*(f.p+1)/2)
	if !f.gaussian && f.fixedNu == 0 {
		n += f.k
	}
	return n
}

// statLen: per component R, A, L, H, Σ r u (x − s) (p), Σ r u (x − s)(x − s)ᵀ (p×p).
func (f *studentT) statLen() int { return f.k * (4 + f.p + f.p*f.p) }

func (f *studentT) check(x []float64) (int, string) {
	for j, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return j, "not a finite number"
		}
	}
	return -1, ""
}

// ErrSingular is wrapped when a component's covariance is not positive
// definite.
var ErrSingular = errors.New("covariance not positive definite (use fewer components, or a larger Options.RegCovar)")

func (f *studentT) prepare() error {
	p := f.p
	for k := 0; k < f.k; k++ {
		s := mat.NewSymDense(p, nil)
		for i := 0; i < p; i++ {
			for j := i; j < p; j++ {
				s.SetSym(i, j, f.cov[k*p*p+i*p+j])
			}
		}
		if !f.chol[k].Factorize(s) {
			return &ComponentError{Component: k, Err: ErrSingular}
		}
		var l mat.TriDense
		f.chol[k].LTo(&l)
		var inv mat.TriDense
		if err := inv.InverseTri(&l); err != nil {
			return &ComponentError{Component: k, Err: ErrSingular}
		}
		f.u[k] = mat.DenseCopyOf(inv.T())
		f.logdet[k] = f.chol[k].LogDet()
		fp := float64(p)
		if f.gaussian {
			f.konst[k] = -0.5*fp*math.Log(2*math.Pi) - 0.5*f.logdet[k]
		} else {
			nu := f.nu[k]
			f.konst[k] = lgammaDiff(nu/2, fp/2) - 0.5*fp*math.Log(nu*math.Pi) - 0.5*f.logdet[k]
		}
	}
	f.unset = false
	return nil
}

// maha sets dst[i] = δ_ik for the rows of x.
func (f *studentT) maha(dst []float64, x *mat.Dense, k int, buf *mat.Dense) {
	n, _ := x.Dims()
	mu := f.mu[k*f.p : (k+1)*f.p]
	for i := 0; i < n; i++ {
		xi, bi := x.RawRowView(i), buf.RawRowView(i)
		for j := range xi {
			bi[j] = xi[j] - mu[j]
		}
	}
	y := mat.NewDense(n, f.p, nil)
	gemm(false, false, 1, buf, f.u[k], 0, y)
	for i := 0; i < n; i++ {
		var s float64
		for _, v := range y.RawRowView(i) {
			s += v * v
		}
		dst[i] = s
	}
}

func (f *studentT) logDensity(lp, x *mat.Dense) {
	n, _ := x.Dims()
	buf := mat.NewDense(n, f.p, nil)
	d := make([]float64, n)
	fp := float64(f.p)
	for k := 0; k < f.k; k++ {
		f.maha(d, x, k, buf)
		for i := 0; i < n; i++ {
			if f.gaussian {
				lp.Set(i, k, lp.At(i, k)+f.konst[k]-0.5*d[i])
			} else {
				nu := f.nu[k]
				lp.Set(i, k, lp.At(i, k)+f.konst[k]-0.5*(nu+fp)*math.Log1p(d[i]/nu))
			}
		}
	}
}

func (f *studentT) accumulate(st []float64, x, r *mat.Dense) {
	n, _ := x.Dims()
	p := f.p
	sz := 4 + p + p*p
	buf := mat.NewDense(n, p, nil)
	d := make([]float64, n)
	fp := float64(p)
	for k := 0; k < f.k; k++ {
		s := st[k*sz : (k+1)*sz]
		if !f.unset {
			f.maha(d, x, k, buf)
		}
		mu := f.mu[k*p : (k+1)*p]
		for i := 0; i < n; i++ {
			q := r.At(i, k)
			if q == 0 {
				continue
			}
			u, elog, h := 1.0, 0.0, 0.0
			if !f.gaussian && !f.unset {
				nu := f.nu[k]
				a, b := (nu+fp)/2, (nu+d[i])/2
				u = a / b
				psi := mathext.Digamma(a)
				elog = psi - math.Log(b)
				lg, _ := math.Lgamma(a)
				h = a - math.Log(b) + lg + (1-a)*psi
			}
			ru := q * u
			s[0] += q
			s[1] += ru
			s[2] += q * elog
			s[3] += q * h
			xi := x.RawRowView(i)
			m1, m2 := s[4:4+p], s[4+p:]
			for a := 0; a < p; a++ {
				da := xi[a] - mu[a]
				m1[a] += ru * da
				row := m2[a*p : (a+1)*p]
				for b := 0; b <= a; b++ {
					row[b] += ru * da * (xi[b] - mu[b])
				}
			}
		}
	}
}

func (f *studentT) mstep(st, nk []float64) (float64, error) {
	p := f.p
	sz := 4 + p + p*p
	first := f.unset
	shift := append([]float64(nil), f.mu...) // the E-step's μ
	for k := 0; k < f.k; k++ {
		s := st[k*sz : (k+1)*sz]
		R, A := s[0], s[1]
		if !(R > 0) || !(A > 0) {
			return 0, &ComponentError{Component: k, Err: ErrEmptyComponent}
		}
		m1, m2 := s[4:4+p], s[4+p:]
		mu := f.mu[k*p : (k+1)*p]
		for a := 0; a < p; a++ {
			mu[a] += m1[a] / A
		}
		// Σ r u (x − μ)(x − μ)ᵀ = M2 − m1 m1ᵀ / A around the shift.
		for a := 0; a < p; a++ {
			for b := 0; b <= a; b++ {
				c := (m2[a*p+b] - m1[a]*m1[b]/A) / R
				if a == b {
					c += f.reg
				}
				f.cov[k*p*p+a*p+b], f.cov[k*p*p+b*p+a] = c, c
			}
		}
		if !f.gaussian && f.fixedNu == 0 && !first {
			f.nu[k] = solveNu((s[2] - A) / R)
		}
	}
	if err := f.prepare(); err != nil {
		return 0, err
	}
	return f.q(st, shift)
}

// q returns the family's part of the ELBO at the current parameters from
// statistics st accumulated around shift (the E-step's means):
//
//	Σ_k −N_k p/2 log 2π − N_k/2 log|Σ_k| + p/2 L_k − ½ tr(Σ_k⁻¹ S_k)
//	    + N_k (α log α − log Γ(α)) + (α − 1) L_k − α A_k + H_k,  α = ν_k/2
//
// with A_k = Σ r u, L_k = Σ r E log u, H_k = Σ r H(q(u)) and S_k = Σ r u
// (x − μ_k)(x − μ_k)ᵀ (the Gaussian: u ≡ 1, no ν terms).
func (f *studentT) q(st, shift []float64) (float64, error) {
	p := f.p
	fp := float64(p)
	sz := 4 + p + p*p
	var q float64
	d := make([]float64, p)
	for k := 0; k < f.k; k++ {
		s := st[k*sz : (k+1)*sz]
		R, A, L, H := s[0], s[1], s[2], s[3]
		m1, m2 := s[4:4+p], s[4+p:]
		for a := range d {
			d[a] = f.mu[k*p+a] - shift[k*p+a]
		}
		var inv mat.SymDense
		if err := f.chol[k].InverseTo(&inv); err != nil {
			return 0, &ComponentError{Component: k, Err: ErrSingular}
		}
		var tr float64 // tr(Σ⁻¹ S)
		for a := 0; a < p; a++ {
			for b := 0; b < p; b++ {
				m := m2[max(a, b)*p+min(a, b)]
				sab := m - m1[a]*d[b] - d[a]*m1[b] + A*d[a]*d[b]
				tr += inv.At(a, b) * sab
			}
		}
		q += -0.5*R*fp*math.Log(2*math.Pi) - 0.5*R*f.logdet[k] + 0.5*fp*L - 0.5*tr
		if !f.gaussian {
			al := f.nu[k] / 2
			lg, _ := math.Lgamma(al)
			q += R*(al*math.Log(al)-lg) + (al-1)*L - al*A + H
		}
	}
	return q, nil
}

// lgammaDiff returns log Γ(x + a) − log Γ(x) for x > 0, a ≥ 0. For large
// x the two log-gammas are about x log x and their difference loses every
// digit (at ν = 1e9 the t's constant was off by 5e-7); there it uses the
// difference of Stirling's series,
//
//	(x − ½) log1p(a/x) + a log(x + a) − a − a / (12 x (x + a)),
//
// whose next term is O(x⁻⁴).
func lgammaDiff(x, a float64) float64 {
	if x < 1e3 {
		u, _ := math.Lgamma(x + a)
		v, _ := math.Lgamma(x)
		return u - v
	}
	return (x-0.5)*math.Log1p(a/x) + a*math.Log(x+a) - a - a/(12*x*(x+a))
}

// solveNu returns the root ν of −ψ(ν/2) + log(ν/2) + 1 + c = 0 (c ≤ −1),
// by bisection on log ν; MaxNu when the root lies beyond it.
func solveNu(c float64) float64 {
	g := func(nu float64) float64 { return -mathext.Digamma(nu/2) + math.Log(nu/2) + 1 + c }
	lo, hi := math.Log(1e-3), math.Log(MaxNu)
	if g(MaxNu) >= 0 {
		return MaxNu
	}
	if g(1e-3) <= 0 {
		return 1e-3
	}
	for i := 0; i < 200 && hi-lo > 1e-13; i++ {
		mid := (lo + hi) / 2
		if g(math.Exp(mid)) > 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return math.Exp((lo + hi) / 2)
}

func (f *studentT) sample(dst []float64, k int, rng *rand.Rand) {
	p := f.p
	z := make([]float64, p)
	for j := range z {
		z[j] = rng.NormFloat64()
	}
	scale := 1.0
	if !f.gaussian {
		w := distuv.Gamma{Alpha: f.nu[k] / 2, Beta: f.nu[k] / 2, Src: rng}.Rand()
		scale = 1 / math.Sqrt(w)
	}
	var l mat.TriDense
	f.chol[k].LTo(&l)
	for a := 0; a < p; a++ {
		var s float64
		for b := 0; b <= a; b++ {
			s += l.At(a, b) * z[b]
		}
		dst[a] = f.mu[k*p+a] + scale*s
	}
}

func (f *studentT) clone() family {
	c := newStudentT(f.k, f.p, f.fixedNu, f.reg)
	c.gaussian = f.gaussian
	copy(c.mu, f.mu)
	copy(c.cov, f.cov)
	copy(c.nu, f.nu)
	if !f.unset {
		if err := c.prepare(); err != nil {
			panic("famix: clone of a prepared family failed: " + err.Error())
		}
	}
	return c
}

// Means returns μ_k; Covariance Σ_k (the scale matrix for the t); Nu ν_k.
func (f *studentT) means(k int) []float64 { return append([]float64(nil), f.mu[k*f.p:(k+1)*f.p]...) }

type tComponent struct {
	Mean       []float64   `json:"mean"`
	Covariance [][]float64 `json:"covariance"`
	Nu         float64     `json:"nu,omitempty"` // absent for the Gaussian
}

type tFile struct {
	FixedNu    float64      `json:"fixed_nu,omitempty"` // 0 or absent: estimated
	RegCovar   float64      `json:"reg_covar"`
	Components []tComponent `json:"components"`
}

func (f *studentT) encode() any {
	b := tFile{FixedNu: f.fixedNu, RegCovar: f.reg}
	for k := 0; k < f.k; k++ {
		c := tComponent{Mean: f.means(k), Covariance: rowsOf(f.cov[k*f.p*f.p:(k+1)*f.p*f.p], f.p, f.p)}
		if !f.gaussian {
			c.Nu = f.nu[k]
		}
		b.Components = append(b.Components, c)
	}
	return b
}

func decodeT(raw json.RawMessage, k, d int, path string, gaussian bool) (family, error) {
	var b tFile
	if err := modelfile.DecodeStrict(raw, &b, path); err != nil {
		return nil, err
	}
	if !(b.RegCovar >= 0) {
		return nil, fieldErr(path+".reg_covar", "%v: want ≥ 0", b.RegCovar)
	}
	if !(b.FixedNu >= 0) || (gaussian && b.FixedNu != 0) {
		return nil, fieldErr(path+".fixed_nu", "%v: want a ν > 0 for the Student-t, absent for the Gaussian", b.FixedNu)
	}
	if len(b.Components) != k {
		return nil, fieldErr(path+".components", "%d components, want %d", len(b.Components), k)
	}
	f := newStudentT(k, d, b.FixedNu, b.RegCovar)
	f.gaussian = gaussian
	for c, comp := range b.Components {
		at := fmt.Sprintf("%s.components[%d]", path, c)
		if len(comp.Mean) != d {
			return nil, fieldErr(at+".mean", "%d values, want %d", len(comp.Mean), d)
		}
		copy(f.mu[c*d:], comp.Mean)
		if err := flatten(f.cov[c*d*d:(c+1)*d*d], comp.Covariance, d, d, at+".covariance", func(float64) bool { return true }, ""); err != nil {
			return nil, err
		}
		for a := 0; a < d; a++ {
			for bb := 0; bb < a; bb++ {
				if f.cov[c*d*d+a*d+bb] != f.cov[c*d*d+bb*d+a] {
					return nil, fieldErr(fmt.Sprintf("%s.covariance[%d][%d]", at, a, bb), "not symmetric")
				}
			}
		}
		switch {
		case gaussian && comp.Nu != 0:
			return nil, fieldErr(at+".nu", "a Gaussian component has no ν")
		case !gaussian && !(comp.Nu > 0):
			return nil, fieldErr(at+".nu", "%v: want ν > 0", comp.Nu)
		}
		if !gaussian {
			f.nu[c] = comp.Nu
		}
	}
	if err := f.prepare(); err != nil {
		var ce *ComponentError
		if errors.As(err, &ce) {
			return nil, fieldErr(fmt.Sprintf("%s.components[%d].covariance", path, ce.Component), "not positive definite")
		}
		return nil, err
	}
	return f, nil
}

func init() {
	decoders[StudentT] = func(raw json.RawMessage, k, d int, path string) (family, error) {
		return decodeT(raw, k, d, path, false)
	}
}
