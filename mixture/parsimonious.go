package mixture

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/lapack"

	"github.com/latentgo/latent/internal/modelfile"
)

// The machinery shared by mclust's models (eii.go … evv.go,
// univariate_e.go, univariate_v.go): the eigen-decomposition
//
//	Σ_k = λ_k D_k A_k D_kᵀ
//
// of Banfield & Raftery (1993) and Celeux & Govaert (1995), with volume
// λ_k > 0, shape A_k = diag(a_k1 … a_kD), a_kj > 0, Π_j a_kj = 1, and
// orientation D_k orthogonal (its columns the principal axes). A layout
// says which of the three parts are shared by the components; the model's
// file adds its M-step. The families store the parts, not Σ_k, so that a
// model file holds exactly the model's parameters (mclust's scale, shape
// and orientation) and a family's constraint holds by construction.

// share is how one part of the decomposition varies over the components.
type share uint8

const (
	shareNone  share = iota // the identity (A = I, or D = I): no parameters
	shareEqual              // one for every component: mclust's letter E
	shareVary               // one per component: V
)

// count returns how many of the part K components store.
func (s share) count(k int) int {
	switch s {
	case shareNone:
		return 0
	case shareEqual:
		return 1
	}
	return k
}

// at returns which stored part component k uses.
func (s share) at(k int) int {
	if s == shareVary {
		return k
	}
	return 0
}

// layout is one of mclust's models: its name and how its volume, shape
// and orientation are shared. covs holds, in this order, the volumes λ
// (1 or K values), the shapes a (0, 1 or K rows of D values, each of
// product 1) and the orientations D (0, 1 or K D×D row-major orthogonal
// matrices, the axes in columns). chol holds the precision factor: K D×D
// lower triangular L_k⁻¹ (Σ_k = L_k L_kᵀ) when the model has an
// orientation, otherwise the inverse deviations 1/√(λ_k a_kj), K×D, or K
// values when there is no shape either. A layout is comparable, so the
// family types that embed it are too.
type layout struct {
	typ                CovarianceType
	vol, shape, orient share
	univariate         bool // E and V: one feature only
}

func (l layout) Type() CovarianceType { return l.typ }
func (l layout) fullScatter() bool    { return l.orient != shareNone }

// offsets returns where the shapes and the orientations start in covs,
// and its length.
func (l layout) offsets(k, d int) (shape, orient, n int) {
	shape = l.vol.count(k)
	orient = shape + l.shape.count(k)*d
	return shape, orient, orient + l.orient.count(k)*d*d
}

func (l layout) sizes(k, d int) (int, int) {
	_, _, n := l.offsets(k, d)
	switch {
	case l.orient != shareNone:
		return n, k * d * d
	case l.shape != shareNone:
		return n, k * d
	}
	return n, k
}

// numParams is mclust's nVarParams: a volume (1 or K), D − 1 free values
// per shape and D(D − 1)/2 per orientation.
func (l layout) numParams(k, d int) int {
	return l.vol.count(k) + l.shape.count(k)*(d-1) + l.orient.count(k)*d*(d-1)/2
}

// scale, shapeOf and orientOf return component k's parts (nil for an
// identity part); the slices alias c.covs.
func (l layout) scale(c *comps, k int) float64 { return c.covs[l.vol.at(k)] }

func (l layout) shapeOf(c *comps, k int) []float64 {
	if l.shape == shareNone {
		return nil
	}
	s, _, _ := l.offsets(c.k, c.d)
	s += l.shape.at(k) * c.d
	return c.covs[s : s+c.d]
}

func (l layout) orientOf(c *comps, k int) []float64 {
	if l.orient == shareNone {
		return nil
	}
	_, o, _ := l.offsets(c.k, c.d)
	o += l.orient.at(k) * c.d * c.d
	return c.covs[o : o+c.d*c.d]
}

// sigma sets dst (D×D row-major, both triangles) to component k's
// Σ_k = λ D diag(a) Dᵀ.
func (l layout) sigma(c *comps, k int, dst []float64) {
	d := c.d
	lam, a, o := l.scale(c, k), l.shapeOf(c, k), l.orientOf(c, k)
	clear(dst[:d*d])
	if o == nil {
		for j := 0; j < d; j++ {
			v := lam
			if a != nil {
				v *= a[j]
			}
			dst[j*d+j] = v
		}
		return
	}
	for i := 0; i < d; i++ {
		for j := i; j < d; j++ {
			v := 0.0
			for m := 0; m < d; m++ {
				am := 1.0
				if a != nil {
					am = a[m]
				}
				v += o[i*d+m] * am * o[j*d+m]
			}
			dst[i*d+j], dst[j*d+i] = lam*v, lam*v
		}
	}
}

func (l layout) factor(c *comps) (int, bool) {
	d := c.d
	if l.orient != shareNone {
		s, scratch := make([]float64, d*d), make([]float64, d*d)
		for k := 0; k < c.k; k++ {
			if !l.partsUsable(c, k) {
				return k, false
			}
			l.sigma(c, k, s)
			ld, ok := factorize(c.chol[k*d*d:(k+1)*d*d], s, scratch, d)
			if !ok {
				return k, false
			}
			c.logDet[k] = ld
		}
		return -1, true
	}
	for k := 0; k < c.k; k++ {
		lam, a := l.scale(c, k), l.shapeOf(c, k)
		if a == nil {
			if !positive(lam) {
				return k, false
			}
			p := 1 / math.Sqrt(lam)
			c.chol[k] = p
			c.logDet[k] = float64(d) * math.Log(p)
			continue
		}
		ld := 0.0
		for j := 0; j < d; j++ {
			v := lam * a[j]
			if !positive(v) {
				return k, false
			}
			p := 1 / math.Sqrt(v)
			c.chol[k*d+j] = p
			ld += math.Log(p)
		}
		c.logDet[k] = ld
	}
	return -1, true
}

// partsUsable reports whether component k's volume and shape are positive
// and finite, and its orientation finite.
func (l layout) partsUsable(c *comps, k int) bool {
	if !positive(l.scale(c, k)) {
		return false
	}
	if !allPositive(l.shapeOf(c, k)) {
		return false
	}
	for _, v := range l.orientOf(c, k) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

func (l layout) trace(c *comps, k int, s []float64) float64 {
	d := c.d
	switch {
	case l.orient != shareNone:
		return traceAtSA(c.chol[k*d*d:(k+1)*d*d], s, d)
	case l.shape != shareNone:
		tr := 0.0
		for j := 0; j < d; j++ {
			p := c.chol[k*d+j]
			tr += p * p * s[j]
		}
		return tr
	}
	p := c.chol[k]
	tr := 0.0
	for j := 0; j < d; j++ {
		tr += s[j]
	}
	return tr * (p * p)
}

func (l layout) maha(c *comps, k int, dst, diff []float64, n int, s *scratch) {
	d := c.d
	switch {
	case l.orient != shareNone:
		a := c.chol[k*d*d : (k+1)*d*d]
		if s.gemm {
			mahaGemm(dst, diff, a, s.y, n, d)
		} else {
			mahaLower(dst, diff, a, n, d)
		}
	case l.shape != shareNone:
		mahaDiag(dst, diff, c.chol[k*d:(k+1)*d], n, d)
	default:
		mahaSpherical(dst, diff, c.chol[k], n, d)
	}
}

func (l layout) sample(c *comps, k int, dst, z []float64) {
	d := c.d
	mu := c.means[k*d : (k+1)*d]
	switch {
	case l.orient != shareNone:
		solveLower(dst, c.chol[k*d*d:(k+1)*d*d], z, mu, d)
	case l.shape != shareNone:
		p := c.chol[k*d : (k+1)*d]
		for j := range dst {
			dst[j] = mu[j] + z[j]/p[j]
		}
	default:
		p := c.chol[k]
		for j := range dst {
			dst[j] = mu[j] + z[j]/p
		}
	}
}

func (l layout) covariance(c *comps, k int, dst []float64) {
	d := c.d
	s := make([]float64, d*d)
	l.sigma(c, k, s)
	for i := 0; i < d; i++ {
		copy(dst[i*d+i:(i+1)*d], s[i*d+i:(i+1)*d])
	}
}

func (l layout) precisionCholesky(c *comps, k int, dst []float64) {
	d := c.d
	if l.orient != shareNone {
		upperOfLowerT(dst, c.chol[k*d*d:(k+1)*d*d], d)
		return
	}
	for i := 0; i < d; i++ {
		for j := i; j < d; j++ {
			dst[i*d+j] = 0
		}
		if l.shape != shareNone {
			dst[i*d+i] = c.chol[k*d+i]
		} else {
			dst[i*d+i] = c.chol[k]
		}
	}
}

// countMatrices: K matrices, or one for every component.
func (l layout) countMatrices(k, given int, _ bool) string {
	if given == k || given == 1 {
		return ""
	}
	return fmt.Sprintf("1 or K = %d for %s", k, l.typ)
}

// decompFile is the model file's covariances of an mclust model, named as
// mclust's variance list names them: scale is a number (equal volume) or
// K numbers; shape D numbers or K rows of D; orientation a D×D matrix or
// K of them, the axes in columns (Σ_k = scale·O·diag(shape)·Oᵀ). A part
// the model does not have is absent.
type decompFile struct {
	Scale       any `json:"scale"`
	Shape       any `json:"shape,omitempty"`
	Orientation any `json:"orientation,omitempty"`
}

func (l layout) encode(c *comps) any {
	k, d := c.k, c.d
	var f decompFile
	sh, or, _ := l.offsets(k, d)
	if l.vol == shareEqual {
		f.Scale = c.covs[0]
	} else {
		f.Scale = slices.Clone(c.covs[:k])
	}
	switch l.shape {
	case shareEqual:
		f.Shape = slices.Clone(c.covs[sh : sh+d])
	case shareVary:
		f.Shape = rows(c.covs[sh:or], d)
	}
	switch l.orient {
	case shareEqual:
		f.Orientation = rows(c.covs[or:or+d*d], d)
	case shareVary:
		m := make([][][]float64, k)
		for i := range m {
			m[i] = rows(c.covs[or+i*d*d:or+(i+1)*d*d], d)
		}
		f.Orientation = m
	}
	return f
}

// unitTol is how far from 1 a stored shape's product, and from the
// identity an orientation's OᵀO, may be in a model file: a fitted model's
// are within a few ulps.
const unitTol = 1e-9

func (l layout) decode(c *comps, raw json.RawMessage, path string) error {
	k, d := c.k, c.d
	if l.univariate && d != 1 {
		return fe(path, "the %s model is for one feature, but the means have D = %d", l.typ, d)
	}
	var f struct {
		Scale       json.RawMessage `json:"scale"`
		Shape       json.RawMessage `json:"shape,omitempty"`
		Orientation json.RawMessage `json:"orientation,omitempty"`
	}
	if err := modelfile.DecodeStrict(raw, &f, path); err != nil {
		return err
	}
	sh, or, _ := l.offsets(k, d)
	// Volumes.
	p := path + ".scale"
	if l.vol == shareEqual {
		var v float64
		if err := modelfile.DecodeStrict(f.Scale, &v, p); err != nil {
			return err
		}
		c.covs[0] = v
	} else {
		var v []float64
		if err := modelfile.DecodeStrict(f.Scale, &v, p); err != nil {
			return err
		}
		if len(v) != k {
			return fe(p, "%d values, want K = %d for %s", len(v), k, l.typ)
		}
		copy(c.covs, v)
	}
	for i := 0; i < l.vol.count(k); i++ {
		if !positive(c.covs[i]) {
			return notUsable(indexed(p, i, l.vol), fmt.Sprintf("a volume %v that is not positive", c.covs[i]), i)
		}
	}
	// Shapes.
	p = path + ".shape"
	if err := presence(p, l.typ, l.shape, f.Shape); err != nil {
		return err
	}
	var shapes [][]float64
	switch l.shape {
	case shareEqual:
		var v []float64
		if err := modelfile.DecodeStrict(f.Shape, &v, p); err != nil {
			return err
		}
		shapes = [][]float64{v}
	case shareVary:
		if err := modelfile.DecodeStrict(f.Shape, &shapes, p); err != nil {
			return err
		}
		if len(shapes) != k {
			return fe(p, "%d rows, want K = %d for %s", len(shapes), k, l.typ)
		}
	}
	for i, a := range shapes {
		q := indexed(p, i, l.shape)
		if len(a) != d {
			return fe(q, "%d values, want D = %d%s", len(a), d, compNote(shareComp(l.shape, i)))
		}
		logSum := 0.0
		for j, v := range a {
			if !positive(v) {
				return notUsable(fmt.Sprintf("%s[%d]", q, j), fmt.Sprintf("a shape value %v that is not positive", v), i)
			}
			logSum += math.Log(v)
		}
		if math.Abs(logSum) > unitTol*float64(d) {
			return notUsable(q, fmt.Sprintf("a shape whose product is %.17g, not 1", math.Exp(logSum)), i)
		}
		copy(c.covs[sh+i*d:], a)
	}
	// Orientations.
	p = path + ".orientation"
	if err := presence(p, l.typ, l.orient, f.Orientation); err != nil {
		return err
	}
	var mats [][][]float64
	switch l.orient {
	case shareEqual:
		var m [][]float64
		if err := modelfile.DecodeStrict(f.Orientation, &m, p); err != nil {
			return err
		}
		mats = [][][]float64{m}
	case shareVary:
		if err := modelfile.DecodeStrict(f.Orientation, &mats, p); err != nil {
			return err
		}
		if len(mats) != k {
			return fe(p, "%d matrices, want K = %d for %s", len(mats), k, l.typ)
		}
	}
	for i, m := range mats {
		q := indexed(p, i, l.orient)
		comp := shareComp(l.orient, i)
		dst := c.covs[or+i*d*d : or+(i+1)*d*d]
		if len(m) != d {
			return fe(q, "%d rows, want D = %d%s", len(m), d, compNote(comp))
		}
		for r, row := range m {
			if len(row) != d {
				return fe(fmt.Sprintf("%s[%d]", q, r), "%d values, want D = %d%s", len(row), d, compNote(comp))
			}
			copy(dst[r*d:], row)
		}
		if e := orthogonalityError(dst, d); e > unitTol {
			return notUsable(q, fmt.Sprintf("an orientation that is not orthogonal (|OᵀO − I| up to %.3g)", e), i)
		}
	}
	if bad, ok := l.factor(c); !ok {
		return notUsable(path, "a covariance that is not positive definite", bad)
	}
	return nil
}

// presence checks that the model file has the part (raw) exactly when
// the model has it.
func presence(p string, typ CovarianceType, s share, raw json.RawMessage) error {
	switch {
	case s == shareNone && len(raw) != 0:
		return fe(p, "not a field of the %s model's covariances", typ)
	case s != shareNone && len(raw) == 0:
		return fe(p, "missing; the %s model has one", typ)
	}
	return nil
}

// indexed is the path of the i-th stored part: p itself when it is shared.
func indexed(p string, i int, s share) string {
	if s == shareVary {
		return fmt.Sprintf("%s[%d]", p, i)
	}
	return p
}

// shareComp is the component the i-th stored part belongs to, −1 when
// shared.
func shareComp(s share, i int) int {
	if s == shareVary {
		return i
	}
	return -1
}

// orthogonalityError returns max |OᵀO − I| for the D×D row-major o.
func orthogonalityError(o []float64, d int) float64 {
	worst := 0.0
	for i := 0; i < d; i++ {
		for j := i; j < d; j++ {
			v := 0.0
			for r := 0; r < d; r++ {
				v += o[r*d+i] * o[r*d+j]
			}
			if i == j {
				v--
			}
			if math.IsNaN(v) {
				return math.Inf(1)
			}
			worst = math.Max(worst, math.Abs(v))
		}
	}
	return worst
}

// The inner iterations of the M-steps without a closed form (VEI, VEE,
// VEV: Celeux & Govaert's fixed points; EVE, VVE: the MM algorithm of
// Browne & McNicholas 2014).

// mclustInnerTol is mclust's inner tolerance, emControl()'s tol[2] =
// sqrt(.Machine$double.eps): the iterations stop when the relative change
// of the target (or of the parameters, as each model's file says) is
// within it.
const mclustInnerTol = 0x1p-26

// innerMaxIter caps the inner iterations of an M-step of EM. mclust's
// cap, itmax[2], is .Machine$integer.max, that is none; its fits of the
// reference sets take at most 40 (testdata/mclust), but the MM of EVE and
// VVE on ill-conditioned scatters in many dimensions (digits, D = 64) can
// creep for thousands of D×D SVDs per M-step. Stopping early never breaks
// the monotonicity of EM (see startWarm): the next M-step goes on from
// there. A tolerance set on the model (comps.innerTol) has
// projectMaxIter.
const innerMaxIter = 200

// projectMaxIter caps the inner iterations of a projection (fromFull),
// which start from the pooled estimate, exact for the model's own
// matrices.
const projectMaxIter = 10000

// projectTol is the inner tolerance of a projection (fromFull): tight, so
// that a model's own covariances project onto themselves to rounding.
const projectTol = 1e-15

// startKind is where an iterative M-step starts.
type startKind uint8

const (
	// startWarm starts from the parameters in c.covs: every M-step of a
	// fit after the first. Each inner iteration maximises the expected
	// complete-data log-likelihood Q over one block of parameters given
	// the others (VEI, VEE, VEV), or decreases a majorizer of −Q (EVE,
	// VVE), so from the previous parameters Q never falls, however few
	// inner iterations run: the M-step is a generalised M-step and the
	// log-likelihood never decreases (Dempster, Laird & Rubin 1977,
	// Theorem 1; Meng & Rubin 1993 for the conditional steps).
	startWarm startKind = iota
	// startMclust is mclust's start of its mstep (and of the first
	// M-step of me): the first M-step of a fit, when there are no
	// parameters yet.
	startMclust
	// startPooled starts from the estimate of the pooled scatter
	// (projections), which is exact when the matrices are the model's.
	startPooled
)

// inner says how an iterative M-step starts and stops.
type inner struct {
	start   startKind
	tol     float64
	maxIter int
}

// emInner is the inner control of an M-step of EM: c.innerTol (mclust's
// tolerance by default), from c's parameters when it has some (its first volume is positive),
// from mclust's start otherwise.
func (l layout) emInner(c *comps) inner {
	in := inner{start: startWarm, tol: mclustInnerTol, maxIter: innerMaxIter}
	if c.innerTol > 0 {
		in.tol, in.maxIter = c.innerTol, projectMaxIter
	}
	if !(c.covs[0] > 0) || math.IsInf(c.covs[0], 0) {
		in.start = startMclust
	}
	return in
}

// fitFunc is a model's M-step proper: it sets c.covs from the scatters
// scat (K blocks of D×D, both triangles, or of D diagonal values) about
// the new means and the counts nk.
type fitFunc func(c *comps, scat, nk []float64, in inner) error

// mstepWith is the family's mstep: fit on the scatters with the
// regularisation r, S_k + n_k·r·I (for scikit-learn's four types this is
// exactly their Σ_k + r·I; mclust has none: RegCovar NoRegCovar).
func (l layout) mstepWith(c *comps, scat, nk []float64, reg float64, fit fitFunc) error {
	if l.univariate && c.d != 1 {
		return univariateError(l.typ, c.d)
	}
	if reg != 0 {
		scat = slices.Clone(scat)
		d := c.d
		for k, n := range nk {
			for j := 0; j < d; j++ {
				if l.fullScatter() {
					scat[k*d*d+j*d+j] += n * reg
				} else {
					scat[k*d+j] += n * reg
				}
			}
		}
	}
	if err := fit(c, scat, nk, l.emInner(c)); err != nil {
		return err
	}
	l.zeroTinyVolumes(c)
	return nil
}

// tinyVolume is the smallest volume λ_k, relative to the largest, that a
// model of variable volumes keeps: a component of one point (or of points
// that coincide) has a scatter of rounding errors, whose volume is about
// 1e-30 of the others'; Σ_k = λ_k·D_k A D_kᵀ is then still well
// conditioned, so its factorisation would not see the singularity that a
// full covariance's does.
const tinyVolume = 1e-14

// zeroTinyVolumes sets the volumes below tinyVolume·max_k λ_k to 0, so
// that factor refuses their components.
func (l layout) zeroTinyVolumes(c *comps) {
	if l.vol != shareVary {
		return
	}
	big := 0.0
	for _, v := range c.covs[:c.k] {
		big = math.Max(big, v)
	}
	for k, v := range c.covs[:c.k] {
		if v < tinyVolume*big {
			c.covs[k] = 0
		}
	}
}

// project is the family's fromFull: the model's maximum-likelihood fit to
// the given matrices taken as the scatters w_k·Σ_k of counts w_k (the
// weights; uniform when nil), so that matrices of the model project onto
// themselves. Families without orientation read the diagonals only, as
// Diag does (of a precision, 1/p_jj).
func (l layout) project(c *comps, mats [][]float64, prec bool, w []float64, fit fitFunc) error {
	k, d := c.k, c.d
	if l.univariate && d != 1 {
		return paramErrorf("the %s model is for one feature; the matrices are %d×%d", l.typ, d, d)
	}
	if l.fullScatter() {
		if err := checkSPD(mats, d, prec, l.typ); err != nil {
			return err
		}
	} else {
		for i, a := range mats {
			if err := checkDiagonal(a, d, i, prec, l.typ); err != nil {
				return err
			}
		}
	}
	per := d
	if l.fullScatter() {
		per = d * d
	}
	scat, nk := make([]float64, k*per), make([]float64, k)
	for i := 0; i < k; i++ {
		a := mats[0]
		if len(mats) == k {
			a = mats[i]
		}
		wi := 1 / float64(k)
		if w != nil {
			wi = math.Max(w[i], 1e-12)
		}
		nk[i] = wi
		s := scat[i*per : (i+1)*per]
		if l.fullScatter() {
			symmetrise(s, a, d)
			for j := range s {
				s[j] *= wi
			}
			continue
		}
		for j := 0; j < d; j++ {
			v := a[j*d+j]
			if prec {
				v = 1 / v
			}
			s[j] = wi * v
		}
	}
	if err := fit(c, scat, nk, inner{start: startPooled, tol: projectTol, maxIter: projectMaxIter}); err != nil {
		return err
	}
	if bad, ok := l.factor(c); !ok {
		return paramErrorf("the %s form of %s[%d] is not positive definite", l.typ, matsName(prec), min(bad, len(mats)-1))
	}
	return nil
}

func univariateError(typ CovarianceType, d int) error {
	return fmt.Errorf("the %s model is for one feature (D = 1), the data have D = %d; use one of %v", typ, d, mclustList())
}

// checkCovarianceDim refuses E and V for data of more than one feature,
// before any work (Options.Covariance).
func checkCovarianceDim(c CovarianceType, d int) error {
	f, ok := lookupFamily(c)
	if !ok {
		return nil
	}
	if l, ok := f.(interface{ isUnivariate() bool }); ok && l.isUnivariate() && d != 1 {
		return optionErrorf("Covariance", " %s is mclust's model for one feature (D = 1), but the data have D = %d; use one of mclust's multivariate models (%s)", c, d, "EII … VVV")
	}
	return nil
}

func (l layout) isUnivariate() bool { return l.univariate }

// Small linear algebra of the M-steps, on D×D row-major matrices.

// allPositive reports whether every value of a is positive and finite.
func allPositive(a []float64) bool {
	for _, v := range a {
		if !positive(v) {
			return false
		}
	}
	return true
}

// unitDet divides the positive values a by their geometric mean
// exp(mean log a), which it returns: what is left has product 1.
func unitDet(a []float64) float64 {
	s := 0.0
	for _, v := range a {
		s += math.Log(v)
	}
	g := math.Exp(s / float64(len(a)))
	for i := range a {
		a[i] /= g
	}
	return g
}

// linWork is the scratch of eigen and singular value decompositions of
// D×D matrices (gonum's LAPACK, row-major).
type linWork struct {
	d                 int
	a, w, u, vt, work []float64
}

func newLinWork(d int) *linWork {
	lw := &linWork{d: d, a: make([]float64, d*d), w: make([]float64, d), u: make([]float64, d*d), vt: make([]float64, d*d)}
	q := make([]float64, 1)
	glapk.Dsyev(lapack.EVCompute, blas.Upper, d, lw.a, d, lw.w, q, -1)
	n := int(q[0])
	glapk.Dgesvd(lapack.SVDAll, lapack.SVDAll, d, d, lw.a, d, lw.w, lw.u, d, lw.vt, d, q, -1)
	lw.work = make([]float64, max(n, int(q[0]), 3*d, 5*d))
	return lw
}

// eig sets vals to the eigenvalues of the symmetric a (its upper triangle
// is read), in decreasing order, and the columns of vecs (when not nil) to
// their eigenvectors, each with its entry of largest magnitude positive. It
// reports false when LAPACK fails.
func (lw *linWork) eig(vals, vecs, a []float64) bool {
	d := lw.d
	copy(lw.a, a[:d*d])
	job := lapack.EVNone
	if vecs != nil {
		job = lapack.EVCompute
	}
	if !glapk.Dsyev(job, blas.Upper, d, lw.a, d, lw.w, lw.work, len(lw.work)) {
		return false
	}
	for j := 0; j < d; j++ {
		vals[j] = lw.w[d-1-j]
	}
	if vecs != nil {
		for i := 0; i < d; i++ {
			for j := 0; j < d; j++ {
				vecs[i*d+j] = lw.a[i*d+d-1-j]
			}
		}
		fixSigns(vecs, d)
	}
	return true
}

// polar sets dst to the orthogonal polar factor P·Rᵀ of f = P·B·Rᵀ (its
// singular value decomposition): the orthogonal matrix closest to f, the
// maximiser of tr(dstᵀ f) over orthogonal matrices.
func (lw *linWork) polar(dst, f []float64) bool {
	d := lw.d
	copy(lw.a, f[:d*d])
	if !glapk.Dgesvd(lapack.SVDAll, lapack.SVDAll, d, d, lw.a, d, lw.w, lw.u, d, lw.vt, d, lw.work, len(lw.work)) {
		return false
	}
	matMul(dst, lw.u, lw.vt, d)
	return true
}

// matMul sets dst = a·b, all D×D row-major (dst distinct from a and b),
// on fastblas's Dgemm.
func matMul(dst, a, b []float64, d int) {
	fast.Dgemm(blas.NoTrans, blas.NoTrans, d, d, d, 1, a[:d*d], d, b[:d*d], d, 0, dst[:d*d], d)
}

// fixSigns flips the columns of the D×D row-major o so that each one's
// entry of largest magnitude (the first of equal ones) is positive: an
// axis is defined up to its sign, and a canonical sign makes a model's
// parameters unique.
func fixSigns(o []float64, d int) {
	for j := 0; j < d; j++ {
		best, at := -1.0, 0
		for i := 0; i < d; i++ {
			if v := math.Abs(o[i*d+j]); v > best {
				best, at = v, i
			}
		}
		if o[at*d+j] < 0 {
			for i := 0; i < d; i++ {
				o[i*d+j] = -o[i*d+j]
			}
		}
	}
}

// sortAxes orders the columns of the shared orientation o (D×D row-major)
// and the entries of every shape in shapes by decreasing key (one value
// per axis), which leaves every Σ_k unchanged, then fixes the columns'
// signs: the canonical form of a model with a common orientation (EVE,
// VVE).
func sortAxes(o []float64, shapes [][]float64, key []float64, d int) {
	perm := make([]int, d)
	for j := range perm {
		perm[j] = j
	}
	sort.SliceStable(perm, func(a, b int) bool { return key[perm[a]] > key[perm[b]] })
	tmp := slices.Clone(o)
	for j, p := range perm {
		for i := 0; i < d; i++ {
			o[i*d+j] = tmp[i*d+p]
		}
	}
	for _, a := range shapes {
		t := slices.Clone(a)
		for j, p := range perm {
			a[j] = t[p]
		}
	}
	fixSigns(o, d)
}

// axesMM is the scratch of the MM algorithm of Browne & McNicholas (2014)
// for a common orientation O (columns the axes) given, per component, the
// scatter W_k and the inverse variances along the axes 1/δ_kj (up to a
// common factor of all components): it decreases
//
//	f(O) = Σ_k tr(W_k O Δ_k⁻¹ Oᵀ)
//
// over orthogonal O by two majorisations. With ω_k the largest eigenvalue
// of W_k, W_k − ω_k I ⪯ 0, so f lies below its tangent in O Δ_k^(−1/2)
// and one step minimises the linear term tr(F O), F = Σ_k Δ_k⁻¹ Oᵀ(W_k −
// ω_k I) (their MM 1); with α_k the largest 1/δ_kj, Δ_k⁻¹ − α_k I ⪯ 0, so
// the other minimises tr(Oᵀ F₂), F₂ = Σ_k W_k O (Δ_k⁻¹ − α_k I) (MM 2). A
// linear term is minimised over orthogonal matrices by minus the polar
// factor of its matrix (Kiers 2002); the sign of O leaves every Σ_k
// unchanged, and mclust takes the polar factor itself, as we do.
type axesMM struct {
	d, k  int
	omega []float64 // K largest eigenvalues
	f, t  []float64 // D×D
	p     []float64 // D×D
	// wo holds W_k O for every k when woFor is the O they were computed
	// for (rotatedDiags leaves them; MM 1 reads their transposes OᵀW_k).
	wo    []float64
	woFor []float64
	lw    *linWork
}

func newAxesMM(scat []float64, k, d int, lw *linWork) (*axesMM, bool) {
	dd := d * d
	m := &axesMM{d: d, k: k, omega: make([]float64, k), f: make([]float64, dd), t: make([]float64, dd), p: make([]float64, dd),
		wo: make([]float64, k*dd), woFor: make([]float64, dd), lw: lw}
	vals := make([]float64, d)
	for i := 0; i < k; i++ {
		if !lw.eig(vals, nil, scat[i*dd:(i+1)*dd]) {
			return nil, false
		}
		m.omega[i] = vals[0]
	}
	return m, true
}

// step runs MM 1 then MM 2 on o for the scatters scat and the inverse
// variances inv (K rows of D).
func (m *axesMM) step(o, scat []float64, inv [][]float64) bool {
	d, dd := m.d, m.d*m.d
	// MM 1: F = Σ_k Δ_k⁻¹ Oᵀ (W_k − ω_k I); O ← (polar F)ᵀ.
	clear(m.f)
	cached := slices.Equal(m.woFor, o[:dd])
	for k := 0; k < m.k; k++ {
		wo := m.wo[k*dd : (k+1)*dd]
		if !cached {
			matMul(wo, scat[k*dd:(k+1)*dd], o, d)
		}
		for i := 0; i < d; i++ {
			r := inv[k][i]
			for j := 0; j < d; j++ {
				// (Oᵀ W_k)_ij = (W_k O)_ji: W_k is symmetric.
				m.f[i*d+j] += r * (wo[j*d+i] - m.omega[k]*o[j*d+i])
			}
		}
	}
	if !m.lw.polar(m.p, m.f) {
		return false
	}
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			o[i*d+j] = m.p[j*d+i]
		}
	}
	// MM 2: F₂ = Σ_k W_k O (Δ_k⁻¹ − α_k I); O ← polar F₂.
	clear(m.f)
	for k := 0; k < m.k; k++ {
		alpha := 0.0
		for _, v := range inv[k] {
			alpha = math.Max(alpha, v)
		}
		matMul(m.t, scat[k*dd:(k+1)*dd], o, d) // W_k O
		for i := 0; i < d; i++ {
			for j := 0; j < d; j++ {
				m.f[i*d+j] += m.t[i*d+j] * (inv[k][j] - alpha)
			}
		}
	}
	return m.lw.polar(o, m.f)
}

// rotatedDiags sets g[k][j] = (Oᵀ W_k O)_jj for every k, and keeps the
// products W_k O for the next MM 1.
func (m *axesMM) rotatedDiags(g [][]float64, o, scat []float64) {
	d, dd := m.d, m.d*m.d
	for k := 0; k < m.k; k++ {
		wo := m.wo[k*dd : (k+1)*dd]
		matMul(wo, scat[k*dd:(k+1)*dd], o, d)
		for j := 0; j < d; j++ {
			v := 0.0
			for i := 0; i < d; i++ {
				v += o[i*d+j] * wo[i*d+j]
			}
			g[k][j] = v
		}
	}
	copy(m.woFor, o[:dd])
}

// pooledAxes sets o to the eigenvectors of Σ_k W_k (decreasing
// eigenvalues): the start of a projection onto a common orientation.
func pooledAxes(o, scat []float64, k, d int, lw *linWork) bool {
	dd := d * d
	pooled := make([]float64, dd)
	for i := 0; i < k; i++ {
		for j, v := range scat[i*dd : (i+1)*dd] {
			pooled[j] += v
		}
	}
	return lw.eig(make([]float64, d), o, pooled)
}

// oneAxes sets, for one component of scatter w, the common orientation o
// to w's eigenvectors and a to its eigenvalues (decreasing) divided by
// their geometric mean, which it returns: for K = 1 EVE and VVE are one
// free covariance, whose M-step is closed (mclust fits it so at G = 1).
func oneAxes(o, a, w []float64, lw *linWork) (float64, bool) {
	if !lw.eig(a, o, w) {
		return 0, false
	}
	return unitDet(a), true
}

// identity sets the D×D row-major o to I.
func identity(o []float64, d int) {
	clear(o[:d*d])
	for j := 0; j < d; j++ {
		o[j*d+j] = 1
	}
}

// lay returns the layout (for tests, through the family types that embed
// it).
func (l layout) lay() layout { return l }
