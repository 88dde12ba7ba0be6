package mixture

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/internal/modelfile"
)

// The Bayesian mixture's model file: kind "bgmm" in latent's envelope.
const (
	BayesFileKind    = "bgmm"
	BayesFileVersion = 1
)

// bayesFileBody is the body of a bgmm model file, schema version 1. Every
// field is required. It holds q(θ) as scikit-learn's attributes:
// weight_concentration [1][K] for a Dirichlet distribution or [2][K] (the
// sticks' Beta a_k then b_k) for a Dirichlet process, mean_precision [K],
// degrees_of_freedom [K] ([1] for tied), means [K][D], covariances the
// point estimates (ν_k W_k)⁻¹ in the type's shape (full [K][D][D], tied
// [D][D], diag [K][D], spherical [K]); and the priors. The weights are
// derived from weight_concentration, not stored.
type bayesFileBody struct {
	CovarianceType      CovarianceType  `json:"covariance_type"`
	WeightPrior         WeightPrior     `json:"weight_concentration_prior_type"`
	WeightConcentration [][]float64     `json:"weight_concentration"`
	MeanPrecision       []float64       `json:"mean_precision"`
	DegreesOfFreedom    []float64       `json:"degrees_of_freedom"`
	Means               [][]float64     `json:"means"`
	Covariances         json.RawMessage `json:"covariances"`
	Priors              bayesFilePriors `json:"priors"`
	CoordinateAscent    bool            `json:"coordinate_ascent"`
	FeatureNames        []string        `json:"feature_names"`
	RegCovar            float64         `json:"reg_covar"`
	Seed                uint64          `json:"seed"`
	NIter               int             `json:"n_iter"`
	Converged           bool            `json:"converged"`
	LowerBound          float64         `json:"lower_bound"`
	ELBO                float64         `json:"elbo"`
}

// bayesFilePriors are the priors in the file: covariance_prior in the
// type's shape (full and tied [D][D], diag [D], spherical a number).
type bayesFilePriors struct {
	WeightConcentration float64         `json:"weight_concentration_prior"`
	MeanPrecision       float64         `json:"mean_precision_prior"`
	Mean                []float64       `json:"mean_prior"`
	DegreesOfFreedom    float64         `json:"degrees_of_freedom_prior"`
	Covariance          json.RawMessage `json:"covariance_prior"`
}

// Marshal returns the model as a bgmm model file, numbers in Go's shortest
// round-trip form, so that UnmarshalBayes gives back the same bits.
func (b *BayesModel) Marshal() ([]byte, error) {
	if err := b.fittedB(); err != nil {
		return nil, err
	}
	m := b.vb
	k, d := m.k, m.d
	body := bayesFileBody{
		CovarianceType:   m.fam.Type(),
		WeightPrior:      b.prior.WeightPrior,
		MeanPrecision:    append([]float64(nil), b.beta...),
		DegreesOfFreedom: append([]float64(nil), b.dof...),
		Means:            rows(m.means, d),
		CoordinateAscent: b.ascent,
		FeatureNames:     m.FeatureNames(),
		RegCovar:         b.regCovar,
		Seed:             b.seed,
		NIter:            b.nIter,
		Converged:        b.converged,
		LowerBound:       b.lowerBound,
		ELBO:             b.elbo,
	}
	if body.FeatureNames == nil {
		body.FeatureNames = []string{}
	}
	if b.prior.WeightPrior == DirichletProcess {
		body.WeightConcentration = [][]float64{append([]float64(nil), b.conc[:k]...), append([]float64(nil), b.conc[k:]...)}
	} else {
		body.WeightConcentration = [][]float64{append([]float64(nil), b.conc...)}
	}
	for _, v := range []*float64{&body.LowerBound, &body.ELBO} {
		if math.IsNaN(*v) {
			*v = 0 // a model never iterated
		}
	}
	cov := m.fam.encode(&m.comps)
	if err := modelfile.CheckFinite(cov, "body.covariances"); err != nil {
		return nil, fmt.Errorf("mixture: %w", err)
	}
	var err error
	if body.Covariances, err = json.Marshal(cov); err != nil {
		return nil, fmt.Errorf("mixture: %w", err)
	}
	p := b.prior
	body.Priors = bayesFilePriors{WeightConcentration: p.WeightConcentration, MeanPrecision: p.MeanPrecision,
		Mean: append([]float64(nil), p.Mean...), DegreesOfFreedom: p.DegreesOfFreedom}
	pc := b.bfam().vbEncodePrior(p.Covariance, d)
	if body.Priors.Covariance, err = json.Marshal(pc); err != nil {
		return nil, fmt.Errorf("mixture: %w", err)
	}
	return modelfile.Marshal(BayesFileKind, BayesFileVersion, body)
}

// Save writes the model file to path atomically.
func (b *BayesModel) Save(path string, opts SaveOptions) error {
	data, err := b.Marshal()
	if err != nil {
		return err
	}
	return fileio.WriteBytes(path, data, opts)
}

// LoadBayes reads a bgmm model file written by BayesModel.Save or `latent
// gmm fit --bayes … --out`.
func LoadBayes(path string) (*BayesModel, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("mixture: %w", err)
	}
	defer f.Close()
	return ReadBayes(f, path)
}

// ReadBayes reads a bgmm model file from r; name is used in error
// messages.
func ReadBayes(r io.Reader, name string) (*BayesModel, error) {
	data, err := io.ReadAll(io.LimitReader(r, modelfile.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("mixture: %s: %w", name, err)
	}
	return UnmarshalBayes(data, name)
}

// UnmarshalBayes decodes a bgmm model file strictly, as Unmarshal does a
// gmm one (unknown, missing or null fields, duplicate keys, other kinds
// and newer versions are errors), and checks its meaning: K ≥ 1
// components of D ≥ 1 features, q(π)'s concentrations positive and of the
// prior's shape, β_k > 0, ν_k > D − 1, covariances of the type's shape and
// positive definite, priors valid, D or no feature names. Errors name the
// file, the field and the component.
func UnmarshalBayes(data []byte, name string) (*BayesModel, error) {
	var body bayesFileBody
	if _, err := modelfile.Unmarshal(data, name, BayesFileKind, BayesFileVersion, &body); err != nil {
		return nil, &prefixed{"mixture: " + strings.TrimPrefix(err.Error(), "modelfile: "), err}
	}
	b, err := bayesFromBody(&body)
	if err != nil {
		if name == "" {
			name = "model file"
		}
		return nil, fmt.Errorf("mixture: %s: %w", name, err)
	}
	return b, nil
}

// bayesNames lists the covariance types with a Bayesian mixture.
func bayesNames() string {
	var names []string
	for _, f := range registry {
		if _, ok := f.(bayesFamily); ok {
			names = append(names, string(f.Type()))
		}
	}
	return strings.Join(names, ", ")
}

func bayesFromBody(body *bayesFileBody) (*BayesModel, error) {
	cov := body.CovarianceType
	f0, ok := lookupFamily(cov)
	bf, isB := f0.(bayesFamily)
	if !ok || cov == "" || !isB {
		return nil, fe("body.covariance_type", "%q is not one of %s", string(cov), bayesNames())
	}
	wp := body.WeightPrior
	if wp != DirichletProcess && wp != DirichletDistribution {
		return nil, fe("body.weight_concentration_prior_type", "%q is not dirichlet_process or dirichlet_distribution", string(wp))
	}
	k := len(body.Means)
	if k == 0 {
		return nil, fe("body.means", "no components")
	}
	d := len(body.Means[0])
	if d == 0 {
		return nil, fe("body.means[0]", "no features")
	}
	for i, r := range body.Means {
		if len(r) != d {
			return nil, fe(fmt.Sprintf("body.means[%d]", i), "%d values, want D = %d (component %d)", len(r), d, i)
		}
	}
	wantRows := 1
	if wp == DirichletProcess {
		wantRows = 2
	}
	if len(body.WeightConcentration) != wantRows {
		return nil, fe("body.weight_concentration", "%d rows, want %d for a %s prior", len(body.WeightConcentration), wantRows, wp)
	}
	var conc []float64
	for r, row := range body.WeightConcentration {
		if len(row) != k {
			return nil, fe(fmt.Sprintf("body.weight_concentration[%d]", r), "%d values, want K = %d", len(row), k)
		}
		for i, v := range row {
			if !positive(v) {
				return nil, fe(fmt.Sprintf("body.weight_concentration[%d][%d]", r, i), "%v is not positive (component %d)", v, i)
			}
		}
		conc = append(conc, row...)
	}
	if len(body.MeanPrecision) != k {
		return nil, fe("body.mean_precision", "%d values, want K = %d", len(body.MeanPrecision), k)
	}
	for i, v := range body.MeanPrecision {
		if !positive(v) {
			return nil, fe(fmt.Sprintf("body.mean_precision[%d]", i), "%v is not positive (component %d)", v, i)
		}
	}
	if n := bf.vbDofs(k); len(body.DegreesOfFreedom) != n {
		return nil, fe("body.degrees_of_freedom", "%d values, want %d for %s covariances", len(body.DegreesOfFreedom), n, cov)
	}
	for i, v := range body.DegreesOfFreedom {
		if !(v > float64(d)-1) || math.IsInf(v, 0) {
			return nil, fe(fmt.Sprintf("body.degrees_of_freedom[%d]", i), "%v; it must be greater than D − 1 = %d", v, d-1)
		}
	}
	pr, err := priorsFromFile(&body.Priors, bf, wp, d)
	if err != nil {
		return nil, err
	}
	if len(body.FeatureNames) != 0 && len(body.FeatureNames) != d {
		return nil, fe("body.feature_names", "%d names for D = %d features (give D names, or none)", len(body.FeatureNames), d)
	}
	seen := map[string]int{}
	for i, n := range body.FeatureNames {
		if j, ok := seen[n]; ok {
			return nil, fe(fmt.Sprintf("body.feature_names[%d]", i), "%q repeats feature_names[%d]", n, j)
		}
		seen[n] = i
	}
	if body.RegCovar < 0 {
		return nil, fe("body.reg_covar", "%v is negative", body.RegCovar)
	}
	if body.NIter < 0 {
		return nil, fe("body.n_iter", "%d is negative", body.NIter)
	}
	b := newBayes(bf, k, d, pr)
	copy(b.conc, conc)
	copy(b.beta, body.MeanPrecision)
	copy(b.dof, body.DegreesOfFreedom)
	for i, r := range body.Means {
		copy(b.vb.means[i*d:], r)
	}
	if err := bf.decode(&b.vb.comps, body.Covariances, "body.covariances"); err != nil {
		return nil, err
	}
	b.ascent = body.CoordinateAscent
	b.setDerived()
	if len(body.FeatureNames) > 0 {
		b.vb.names = append([]string(nil), body.FeatureNames...)
	}
	b.regCovar, b.seed, b.nIter, b.converged = body.RegCovar, body.Seed, body.NIter, body.Converged
	b.lowerBound, b.elbo = body.LowerBound, body.ELBO
	return b, nil
}

func priorsFromFile(p *bayesFilePriors, f bayesFamily, wp WeightPrior, d int) (BayesPriors, error) {
	pr := BayesPriors{WeightPrior: wp, WeightConcentration: p.WeightConcentration, MeanPrecision: p.MeanPrecision,
		Mean: append([]float64(nil), p.Mean...), DegreesOfFreedom: p.DegreesOfFreedom}
	if !positive(pr.WeightConcentration) {
		return pr, fe("body.priors.weight_concentration_prior", "%v is not positive", pr.WeightConcentration)
	}
	if !positive(pr.MeanPrecision) {
		return pr, fe("body.priors.mean_precision_prior", "%v is not positive", pr.MeanPrecision)
	}
	if !(pr.DegreesOfFreedom > float64(d)-1) || math.IsInf(pr.DegreesOfFreedom, 0) {
		return pr, fe("body.priors.degrees_of_freedom_prior", "%v; it must be greater than D − 1 = %d", pr.DegreesOfFreedom, d-1)
	}
	if len(pr.Mean) != d {
		return pr, fe("body.priors.mean_prior", "%d values, want D = %d", len(pr.Mean), d)
	}
	path := "body.priors.covariance_prior"
	var err error
	if pr.Covariance, err = f.vbDecodePrior(p.Covariance, path, d); err != nil {
		return pr, err
	}
	if why := f.vbCheckPrior(pr.Covariance, d); why != "" {
		return pr, fe(path, "%s", why)
	}
	return pr, nil
}
