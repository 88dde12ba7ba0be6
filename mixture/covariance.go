package mixture

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
)

// CovarianceType is the form of the components' covariance matrices, as
// scikit-learn's covariance_type.
type CovarianceType string

// The covariance types. The zero value "" means Full.
const (
	Full      CovarianceType = "full"      // each component its own D×D matrix
	Tied      CovarianceType = "tied"      // one D×D matrix shared by all components
	Diag      CovarianceType = "diag"      // each component its own diagonal matrix
	Spherical CovarianceType = "spherical" // each component its own σ²·I
)

// mclust's models (Fraley & Raftery 2002; Scrucca et al. 2016): the
// covariances Σ_k = λ_k D_k A_k D_kᵀ of volume λ_k, shape A_k (diagonal,
// det A_k = 1) and orientation D_k (orthogonal), each Equal across
// components, Variable, or the Identity (for shape and orientation), in
// that order of letters. Four are scikit-learn's types under another name,
// the same constant: VII = Spherical, VVI = Diag, EEE = Tied, VVV = Full
// (their M-steps are the same maximum-likelihood estimates; mixture.doc
// lists every model's M-step). E and V are the one-dimensional models, an
// equal or a variable variance; they need D = 1.
const (
	EII CovarianceType = "EII" // λI: one spherical covariance
	VII                = Spherical
	EEI CovarianceType = "EEI" // λA: one diagonal covariance
	VEI CovarianceType = "VEI" // λ_k A: diagonal, proportional
	EVI CovarianceType = "EVI" // λA_k: diagonal, equal volume
	VVI                = Diag
	EEE                = Tied
	VEE CovarianceType = "VEE" // λ_k DADᵀ: proportional
	EVE CovarianceType = "EVE" // λDA_kDᵀ: common principal axes, equal volume
	VVE CovarianceType = "VVE" // λ_k DA_kDᵀ: common principal axes
	EEV CovarianceType = "EEV" // λD_kAD_kᵀ: equal volume and shape
	VEV CovarianceType = "VEV" // λ_k D_kAD_kᵀ: equal shape
	EVV CovarianceType = "EVV" // λD_kA_kD_kᵀ: equal volume
	VVV                = Full
	E   CovarianceType = "E" // one dimension: one variance σ²
	V   CovarianceType = "V" // one dimension: σ²_k
)

// CovarianceTypes lists scikit-learn's covariance types, from the most to
// the least flexible per component.
var CovarianceTypes = []CovarianceType{Full, Tied, Diag, Spherical}

// MclustModels lists mclust's 14 multivariate models in mclust's order
// (mclust.options("emModelNames")); MclustModels1D its two univariate
// ones. MclustModelsFor returns the list that applies to D dimensions.
var (
	MclustModels   = []CovarianceType{EII, VII, EEI, VEI, EVI, VVI, EEE, VEE, EVE, VVE, EEV, VEV, EVV, VVV}
	MclustModels1D = []CovarianceType{E, V}
)

// MclustModelsFor returns mclust's models for data of d features: E and V
// when d = 1 (as mclust fits one-dimensional data), the 14 multivariate
// models otherwise. The slice is a copy.
func MclustModelsFor(d int) []CovarianceType {
	if d == 1 {
		return slices.Clone(MclustModels1D)
	}
	return slices.Clone(MclustModels)
}

// MclustName returns mclust's name of the covariance type: VVV for Full,
// EEE for Tied, VVI for Diag, VII for Spherical, and the name itself for
// mclust's other models ("" is Full).
func (c CovarianceType) MclustName() string {
	switch c.orDefault() {
	case Full:
		return "VVV"
	case Tied:
		return "EEE"
	case Diag:
		return "VVI"
	case Spherical:
		return "VII"
	}
	return string(c)
}

// NumParams returns the number of free parameters of a mixture of k
// components in d dimensions with covariance type c: k−1 weights, k·d
// means and the covariances' free values, which is scikit-learn's
// _n_parameters for its four types and mclust's nMclustParams (with
// nVarParams) for every model (they agree on the four). It panics on an
// unknown type.
func (c CovarianceType) NumParams(k, d int) int { return numParams(familyOf(c), k, d) }

// ParseCovarianceType returns the covariance type named s: one of
// scikit-learn's "full", "tied", "diag", "spherical", or of mclust's
// models "EII" … "VVV", "E", "V" (any case; surrounding space ignored).
// mclust's names for scikit-learn's types return those types (VVV is Full).
func ParseCovarianceType(s string) (CovarianceType, error) {
	t := strings.TrimSpace(s)
	c := CovarianceType(strings.ToLower(t))
	if _, ok := lookupFamily(c); ok {
		return c, nil
	}
	if c, ok := mclustTypeOf[strings.ToUpper(t)]; ok {
		return c, nil
	}
	return "", fmt.Errorf("mixture: %s", unknownCovariance(s))
}

// mclustTypeOf maps mclust's model names to the covariance types.
var mclustTypeOf = func() map[string]CovarianceType {
	m := map[string]CovarianceType{}
	for _, c := range append(slices.Clone(MclustModels), MclustModels1D...) {
		m[c.MclustName()] = c
	}
	return m
}()

func unknownCovariance(s string) string {
	return fmt.Sprintf("unknown covariance type %q; use full, tied, diag, spherical or one of mclust's models %s (E or V for one feature)", s, strings.Join(mclustList(), ", "))
}

func mclustList() []string {
	out := make([]string, len(MclustModels))
	for i, c := range MclustModels {
		out[i] = c.MclustName()
	}
	return out
}

func (c CovarianceType) orDefault() CovarianceType {
	if c == "" {
		return Full
	}
	return c
}

// family is one form of the components' covariances: everything that
// depends on it, so that a covariance type is one file (full.go, tied.go,
// diag.go, spherical.go, and one per mclust model: eii.go … evv.go,
// univariate_e.go, univariate_v.go) and the rest of the package never asks which one
// it has. A family is stateless; it reads and writes the parameters of a
// comps, in its own stored form of sizes() values:
//
//   - covs, the covariances as the model file stores them;
//   - chol, the precision factor A with Σ_k⁻¹ = A_kᵀA_k (for D×D forms the
//     lower triangular L_k⁻¹, L_k the Cholesky factor of Σ_k), and logDet,
//     log det A_k = −½ log det Σ_k, which factor derives from covs.
//
// The sufficient statistics (stats.go) and the M-step of the weights and
// means are shared; the statistics hold each component's D×D scatter when
// fullScatter says so, its diagonal otherwise. A family registers in
// families, the one place that maps a CovarianceType to its family.
type family interface {
	// Type is the covariance type the family implements.
	Type() CovarianceType
	// fullScatter reports whether the M-step reads each component's full
	// D×D scatter (true) or its diagonal only (false). The families with
	// full scatter have D×D precision factors, computed by the kernel of
	// Options.Kernel.
	fullScatter() bool
	// sizes returns the lengths of covs and of chol for K components in
	// D dimensions.
	sizes(k, d int) (covs, chol int)
	// numParams returns the number of free parameters of the covariances
	// (scikit-learn's _n_parameters less the means and weights; for every
	// family mclust's nVarParams, which agrees with scikit-learn's count
	// on the four types they share).
	numParams(k, d int) int

	// mstep sets c.covs to the maximiser of the expected complete-data
	// log-likelihood given the new means: scat holds each component's
	// scatter S_k about its new mean (K blocks of D×D, both triangles, or
	// of D diagonal values, as fullScatter says), nk the counts
	// n_k + 10ε, tot their sum, and reg is added to the variances. It
	// must not factor (the caller does); an iterative M-step starts from
	// c.covs and returns an error when it cannot.
	mstep(c *comps, scat, nk []float64, tot, reg float64) error
	// factor sets c.chol and c.logDet from c.covs. It returns the first
	// component whose covariance is not positive definite, and false.
	factor(c *comps) (int, bool)
	// trace returns tr(Σ_k⁻¹ S) for component k and one block s of mstep's
	// scat: the last term of the expected complete-data log-likelihood.
	trace(c *comps, k int, s []float64) float64
	// maha sets dst[i] = ‖A_k·diff_i‖², the squared Mahalanobis distance,
	// for the n rows diff_i of diff (n×D, rows less μ_k): the kernel of
	// the E-step's log N(x | μ_k, Σ_k) = −½D log 2π + logDet_k − ½ dst_i.
	// s is the calling worker's scratch.
	maha(c *comps, k int, dst, diff []float64, n int, s *scratch)
	// sample sets dst = μ_k + L_k·z, a draw from component k, for the
	// standard normal draws z (D values), L_k·L_kᵀ = Σ_k.
	sample(c *comps, k int, dst, z []float64)

	// encode returns the stored covariances in the model file's JSON
	// shape.
	encode(c *comps) any
	// decode reads the model file's covariances (field path) into c.covs
	// and factors them, with an error naming the field and the component
	// when their shape is wrong or one is not positive definite.
	decode(c *comps, raw json.RawMessage, path string) error

	// countMatrices checks the number of full-form matrices given to
	// New or as a start: it returns "" when given is right, and otherwise
	// what it wants ("K = 3").
	countMatrices(k, given int, prec bool) string
	// fromFull sets c.covs to the family's form of the full-form D×D
	// matrices mats (row-major, finite; as countMatrices allows):
	// covariances, or precisions when prec. w are the weights that
	// average K matrices into a shared one. Errors wrap ErrBadParams and
	// name the matrix.
	fromFull(c *comps, mats [][]float64, prec bool, w []float64) error
	// covariance and precisionCholesky set the upper triangle (j ≥ i) of
	// the D×D row-major dst to component k's covariance Σ_k, and to
	// scikit-learn's precisions_cholesky_ U = A_kᵀ, in full form.
	covariance(c *comps, k int, dst []float64)
	precisionCholesky(c *comps, k int, dst []float64)
}

// registry lists the families: scikit-learn's in the order of
// CovarianceTypes, then mclust's other models in the order of MclustModels
// and MclustModels1D (parsimonious.go and one file per model).
var registry = []family{fullFamily{}, tiedFamily{}, diagFamily{}, sphericalFamily{},
	eiiFam, eeiFam, veiFam, eviFam, veeFam, eveFam, vveFam, eevFam, vevFam, evvFam, eFam, vFam}

// families maps each covariance type to its family.
var families = func() map[CovarianceType]family {
	m := make(map[CovarianceType]family, len(registry))
	for _, f := range registry {
		if _, dup := m[f.Type()]; dup {
			panic("mixture: two families of covariance type " + string(f.Type()))
		}
		m[f.Type()] = f
	}
	return m
}()

// lookupFamily returns the family of c ("" is Full) and whether c names one.
func lookupFamily(c CovarianceType) (family, bool) {
	f, ok := families[c.orDefault()]
	return f, ok
}

// familyOf returns the family of c ("" is Full). It panics on an unknown
// type: every caller has checked c with ParseCovarianceType or reads it
// from a Model.
func familyOf(c CovarianceType) family {
	f, ok := lookupFamily(c)
	if !ok {
		panic(fmt.Sprintf("mixture: no covariance family %q", string(c)))
	}
	return f
}

// familyNames lists the registered types: "full, tied, diag or spherical".
func familyNames(sep, last string) string {
	var b strings.Builder
	for i, f := range registry {
		switch {
		case i == 0:
		case i == len(registry)-1:
			b.WriteString(last)
		default:
			b.WriteString(sep)
		}
		b.WriteString(string(f.Type()))
	}
	return b.String()
}

// comps are K Gaussian components in D dimensions, their covariances in
// their family's stored form: what the family's methods read and write.
type comps struct {
	fam    family
	k, d   int
	means  []float64 // K·D, row-major
	covs   []float64 // the family's stored covariances
	chol   []float64 // the family's precision factor, Σ_k⁻¹ = A_kᵀA_k
	logDet []float64 // K: log det A_k = −½ log det Σ_k
	// innerTol is the tolerance of the iterative M-steps of mclust's
	// models (parsimonious.go); 0 means mclust's, sqrt(ε).
	innerTol float64
}

func newComps(f family, k, d int) comps {
	nc, na := f.sizes(k, d)
	return comps{fam: f, k: k, d: d,
		means:  make([]float64, k*d),
		covs:   make([]float64, nc),
		chol:   make([]float64, na),
		logDet: make([]float64, k),
	}
}

// Helpers shared by the families.

// positive reports whether v is a usable variance: > 0 and finite.
func positive(v float64) bool { return v > 0 && !math.IsInf(v, 0) }

// checkSPD checks that each full-form matrix of mats is symmetric and
// positive definite, for the family typ, and replaces each by its inverse
// when prec (they are precisions).
func checkSPD(mats [][]float64, d int, prec bool, typ CovarianceType) error {
	what := matsName(prec)
	for i, a := range mats {
		if sym, _ := symmetricOK(a, d); !sym {
			return paramErrorf("%s[%d] (%s) should be symmetric, positive-definite: it is not symmetric", what, i, typ)
		}
		scratch := make([]float64, d*d)
		tmp := make([]float64, d*d)
		if _, ok := factorize(tmp, a, scratch, d); !ok {
			return paramErrorf("%s[%d] (%s) should be symmetric, positive-definite: its Cholesky factorisation fails", what, i, typ)
		}
		if prec {
			inv := make([]float64, d*d)
			if !invertSPD(inv, a, d) {
				return paramErrorf("%s[%d] (%s) cannot be inverted", what, i, typ)
			}
			mats[i] = inv
		}
	}
	return nil
}

// checkDiagonal checks that the diagonal of the full-form matrix a (the
// i-th given) is positive, for the family typ.
func checkDiagonal(a []float64, d, i int, prec bool, typ CovarianceType) error {
	for j := 0; j < d; j++ {
		if v := a[j*d+j]; !(v > 0) {
			return paramErrorf("%s[%d] (%s): the diagonal should be positive, got %v at [%d][%d]", matsName(prec), i, typ, v, j, j)
		}
	}
	return nil
}

func matsName(prec bool) string {
	if prec {
		return "precisions"
	}
	return "covariances"
}

// decodeSquare copies the D×D matrix a of the model file (field p,
// component comp or −1) into dst, checking its shape and symmetry, and
// symmetrises it.
func decodeSquare(p string, a [][]float64, dst []float64, d, comp int) error {
	if len(a) != d {
		return fe(p, "%d rows, want D = %d%s", len(a), d, compNote(comp))
	}
	for i, r := range a {
		if len(r) != d {
			return fe(fmt.Sprintf("%s[%d]", p, i), "%d values, want D = %d%s", len(r), d, compNote(comp))
		}
		copy(dst[i*d:], r)
	}
	if sym, _ := symmetricOK(dst, d); !sym {
		return fe(p, "not symmetric%s", compNote(comp))
	}
	symmetrise(dst, append([]float64(nil), dst...), d)
	return nil
}

// notUsable is decode's error for component c's stored covariance (field
// p) that factor refused; what says why.
func notUsable(p, what string, c int) error {
	return fe(p, "%s (component %d); a fitted model never has one: the file was edited or damaged", what, c)
}

// rows returns a (a multiple of d values) as rows of d.
func rows(a []float64, d int) [][]float64 {
	out := make([][]float64, len(a)/d)
	for i := range out {
		out[i] = append([]float64(nil), a[i*d:(i+1)*d]...)
	}
	return out
}

// traceAtSA returns tr(Aᵀ A S) = Σ_j a_jᵀ S a_j for the lower triangular A
// (rows a_j) and symmetric S, both D×D row-major.
func traceAtSA(a, s []float64, d int) float64 {
	tr := 0.0
	for j := 0; j < d; j++ {
		aj := a[j*d : j*d+j+1]
		for p, ap := range aj {
			if ap == 0 {
				continue
			}
			srow := s[p*d : p*d+j+1]
			v := 0.0
			for q, aq := range aj {
				v += srow[q] * aq
			}
			tr += ap * v
		}
	}
	if math.IsNaN(tr) {
		return math.Inf(1)
	}
	return tr
}

// solveLower sets dst = μ + L·z for the lower triangular A = L⁻¹ (D×D
// row-major) by forward substitution, A·(dst − μ) = z: a draw from
// N(μ, LLᵀ).
func solveLower(dst, a, z, mu []float64, d int) {
	for i := 0; i < d; i++ {
		v := z[i]
		for j := 0; j < i; j++ {
			v -= a[i*d+j] * dst[j]
		}
		dst[i] = v / a[i*d+i]
	}
	for i := range dst {
		dst[i] += mu[i]
	}
}

// upperOfLowerT sets the upper triangle of dst to that of Aᵀ for the lower
// triangular A (both D×D row-major).
func upperOfLowerT(dst, a []float64, d int) {
	for i := 0; i < d; i++ {
		for j := i; j < d; j++ {
			dst[i*d+j] = a[j*d+i]
		}
	}
}
