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

// The model file: kind "gmm" in latent's envelope (internal/modelfile).
const (
	FileKind    = "gmm"
	FileVersion = 1
)

// fileBody is the body of a gmm model file, schema version 1. Every field is
// required. covariances has the covariance type's shape: full [K][D][D],
// tied [D][D], diag [K][D], spherical [K]; mclust's other models an object
// {scale, shape, orientation} of the parts they have (parsimonious.go).
// log_likelihood is the mean per
// row of the returned parameters on the training data (0 for a model made
// by New and never fitted); feature_names is empty when the columns had no
// names.
type fileBody struct {
	Weights        []float64       `json:"weights"`
	Means          [][]float64     `json:"means"`
	Covariances    json.RawMessage `json:"covariances"`
	CovarianceType CovarianceType  `json:"covariance_type"`
	FeatureNames   []string        `json:"feature_names"`
	RegCovar       float64         `json:"reg_covar"`
	Seed           uint64          `json:"seed"`
	NIter          int             `json:"n_iter"`
	Converged      bool            `json:"converged"`
	LogLikelihood  float64         `json:"log_likelihood"`
	// How the fit treated its data (messy.go), each left out when unused:
	// missing values marginalised, with the reader's markers; the parts
	// fixed; the names of the known classes.
	Missing *fileMissing `json:"missing,omitempty"`
	Fixed   []string     `json:"fixed,omitempty"`
	Classes []string     `json:"classes,omitempty"`
}

// Marshal returns the model as a model file: JSON in latent's versioned
// envelope, numbers in Go's shortest round-trip form, so that Unmarshal
// gives back the same bits (catalog J-01, J-09).
func (m *Model) Marshal() ([]byte, error) {
	if err := m.fitted(); err != nil {
		return nil, err
	}
	k, d := m.k, m.d
	b := fileBody{
		Weights:        m.Weights(nil),
		Means:          make([][]float64, k),
		CovarianceType: m.fam.Type(),
		FeatureNames:   m.FeatureNames(),
		RegCovar:       m.regCovar,
		Seed:           m.seed,
		NIter:          m.nIter,
		Converged:      m.converged,
		LogLikelihood:  m.logLik,
	}
	if b.FeatureNames == nil {
		b.FeatureNames = []string{}
	}
	if math.IsNaN(b.LogLikelihood) {
		b.LogLikelihood = 0
	}
	for i := range b.Means {
		b.Means[i] = append([]float64(nil), m.means[i*d:(i+1)*d]...)
	}
	m.data.toFile(&b)
	cov := m.fam.encode(&m.comps)
	if err := modelfile.CheckFinite(cov, "body.covariances"); err != nil {
		return nil, fmt.Errorf("mixture: %w", err)
	}
	raw, err := json.Marshal(cov)
	if err != nil {
		return nil, fmt.Errorf("mixture: %w", err)
	}
	b.Covariances = raw
	return modelfile.Marshal(FileKind, FileVersion, b)
}

// SaveOptions controls Save. It is the options type of latent's atomic
// writer: Force replaces an existing file (otherwise Save refuses it), and
// Inputs lists files Save must never replace (the data the model was read
// from, say). The zero value refuses to replace anything.
type SaveOptions = fileio.Options

// Save writes the model file to path atomically (a temporary file in the
// same folder, synced, then renamed).
func (m *Model) Save(path string, opts SaveOptions) error {
	data, err := m.Marshal()
	if err != nil {
		return err
	}
	return fileio.WriteBytes(path, data, opts)
}

// Load reads a model file written by Save or `latent gmm fit --out`.
func Load(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("mixture: %w", err)
	}
	defer f.Close()
	return Read(f, path)
}

// Read reads a model file from r; name is used in error messages.
func Read(r io.Reader, name string) (*Model, error) {
	data, err := io.ReadAll(io.LimitReader(r, modelfile.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("mixture: %s: %w", name, err)
	}
	return Unmarshal(data, name)
}

// Unmarshal decodes a model file strictly (unknown, missing or null fields,
// duplicate keys, other kinds and newer versions are errors; catalog J-02,
// J-03, J-05) and checks its meaning (J-06): K ≥ 1 weights in [0, 1]
// summing to 1 within 1e-9, K×D means, covariances of the type's shape,
// symmetric and positive definite (diag and spherical: positive), D or no
// feature names. Errors name the file, the field and the component. name is
// used in error messages.
func Unmarshal(data []byte, name string) (*Model, error) {
	var b fileBody
	if _, err := modelfile.Unmarshal(data, name, FileKind, FileVersion, &b); err != nil {
		return nil, &prefixed{"mixture: " + strings.TrimPrefix(err.Error(), "modelfile: "), err}
	}
	m, err := fromBody(&b)
	if err != nil {
		if name == "" {
			name = "model file"
		}
		return nil, fmt.Errorf("mixture: %s: %w", name, err)
	}
	return m, nil
}

type fieldErr struct{ path, msg string }

func (e *fieldErr) Error() string { return e.path + ": " + e.msg }

func fe(path, format string, a ...any) error {
	return fmt.Errorf("%w", &fieldErr{path, fmt.Sprintf(format, a...)})
}

func fromBody(b *fileBody) (*Model, error) {
	cov := b.CovarianceType
	if _, ok := lookupFamily(cov); !ok || cov == "" {
		return nil, fe("body.covariance_type", "%q is not one of %s", string(cov), familyNames(", ", ", "))
	}
	k := len(b.Weights)
	if k == 0 {
		return nil, fe("body.weights", "no components")
	}
	sum := 0.0
	for i, w := range b.Weights {
		if w < 0 || w > 1 {
			return nil, fe(fmt.Sprintf("body.weights[%d]", i), "%v is outside [0, 1] (component %d)", w, i)
		}
		sum += w
	}
	if math.Abs(sum-1) > weightSumTol {
		return nil, fe("body.weights", "sum to %.17g, want 1 (within %g)", sum, weightSumTol)
	}
	if len(b.Means) != k {
		return nil, fe("body.means", "%d rows, want one per component (K = %d, from weights)", len(b.Means), k)
	}
	d := len(b.Means[0])
	if d == 0 {
		return nil, fe("body.means[0]", "no features")
	}
	for i, r := range b.Means {
		if len(r) != d {
			return nil, fe(fmt.Sprintf("body.means[%d]", i), "%d values, want D = %d (component %d)", len(r), d, i)
		}
	}
	if len(b.FeatureNames) != 0 && len(b.FeatureNames) != d {
		return nil, fe("body.feature_names", "%d names for D = %d features (give D names, or none)", len(b.FeatureNames), d)
	}
	seen := map[string]int{}
	for i, n := range b.FeatureNames {
		if j, ok := seen[n]; ok {
			return nil, fe(fmt.Sprintf("body.feature_names[%d]", i), "%q repeats feature_names[%d]", n, j)
		}
		seen[n] = i
	}
	if b.RegCovar < 0 {
		return nil, fe("body.reg_covar", "%v is negative", b.RegCovar)
	}
	if b.NIter < 0 {
		return nil, fe("body.n_iter", "%d is negative", b.NIter)
	}
	m := newModel(cov, k, d)
	// Kept as stored (not renormalised), so that a saved model predicts
	// the same bits after loading (catalog J-01).
	copy(m.weights, b.Weights)
	for i, r := range b.Means {
		copy(m.means[i*d:], r)
	}
	// The family checks the covariances' shape and that they are
	// positive definite, naming the field and the component.
	if err := m.fam.decode(&m.comps, b.Covariances, "body.covariances"); err != nil {
		return nil, err
	}
	m.setLogWeights()
	if err := m.data.fromFile(b, k); err != nil {
		return nil, err
	}
	if len(b.FeatureNames) > 0 {
		m.names = append([]string(nil), b.FeatureNames...)
	}
	m.regCovar, m.seed, m.nIter, m.converged, m.logLik = b.RegCovar, b.Seed, b.NIter, b.Converged, b.LogLikelihood
	return m, nil
}

func compNote(c int) string {
	if c < 0 {
		return ""
	}
	return fmt.Sprintf(" (component %d)", c)
}
