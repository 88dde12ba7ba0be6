package mixture

// Model files: catalog J-01…J-10.

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/internal/modelfile"
	"github.com/latentgo/latent/internal/testutil"
)

// J-01, J-09: save → load → every method gives the same bits, for every
// covariance type.
func TestJ01RoundTrip(t *testing.T) {
	dir := t.TempDir()
	for _, c := range fileTypes() {
		f := fileData(c)
		m, _ := fitted(t, f.X, Options{K: 3, Covariance: c, Seed: 4, FeatureNames: f.Columns})
		path := filepath.Join(dir, string(c)+".json")
		if err := m.Save(path, SaveOptions{}); err != nil {
			t.Fatal(err)
		}
		l, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bitsEqual(l.weights, m.weights) || !bitsEqual(l.means, m.means) || !bitsEqual(l.covs, m.covs) || !bitsEqual(l.chol, m.chol) {
			t.Errorf("%s: parameters changed", c)
		}
		p1, _ := m.Predict(nil, f.X)
		p2, _ := l.Predict(nil, f.X)
		q1, _ := m.PredictProba(nil, f.X)
		q2, _ := l.PredictProba(nil, f.X)
		s1, _ := m.ScoreSamples(nil, f.X)
		s2, _ := l.ScoreSamples(nil, f.X)
		x1, y1, _ := sampleN(m, 50, newRNG(1))
		x2, y2, _ := sampleN(l, 50, newRNG(1))
		if !slices.Equal(p1, p2) || !bitsEqual(q1.RawMatrix().Data, q2.RawMatrix().Data) || !bitsEqual(s1, s2) ||
			!bitsEqual(x1.RawMatrix().Data, x2.RawMatrix().Data) || !slices.Equal(y1, y2) {
			t.Errorf("%s: a method gives other results after loading", c)
		}
		// J-08: the metadata.
		if !slices.Equal(l.FeatureNames(), f.Columns) || l.CovarianceType() != c || l.RegCovar() != m.RegCovar() || l.Seed() != 4 ||
			l.Iterations() != m.Iterations() || l.Converged() != m.Converged() || l.LogLikelihood() != m.LogLikelihood() {
			t.Errorf("%s: metadata changed: %+v", c, l)
		}
	}
}

// fileTypes lists every registered covariance type (scikit-learn's, then
// mclust's other models).
func fileTypes() []CovarianceType {
	out := make([]CovarianceType, len(registry))
	for i, f := range registry {
		out[i] = f.Type()
	}
	return out
}

// fileData is the data the model files of c are fitted to: faithful, or
// its eruptions alone for the one-dimensional models.
func fileData(c CovarianceType) *datasets.Dataset {
	f := datasets.Faithful()
	if c == E || c == V {
		n, _ := f.X.Dims()
		x := mat.NewDense(n, 1, nil)
		x.Copy(f.X.Slice(0, n, 0, 1))
		f.X, f.Columns = x, f.Columns[:1]
	}
	return f
}

// J-02, J-03: newer schema versions and other kinds are refused.
func TestJ02J03VersionAndKind(t *testing.T) {
	m, _ := fitted(t, datasets.Faithful().X, Options{K: 2})
	data, _ := m.Marshal()
	newer := bytes.Replace(data, []byte(`"version": 1`), []byte(`"version": 2`), 1)
	if _, err := Unmarshal(newer, "m.json"); !errors.Is(err, modelfile.ErrNewerVersion) {
		t.Errorf("version 2: %v", err)
	}
	vae := bytes.Replace(data, []byte(`"latent.gmm"`), []byte(`"latent.vae"`), 1)
	if _, err := Unmarshal(vae, "m.json"); !errors.Is(err, modelfile.ErrKind) {
		t.Errorf("a vae file: %v", err)
	}
}

// J-04: a NaN parameter is refused on saving, naming it.
func TestJ04NaNRefused(t *testing.T) {
	m, _ := fitted(t, datasets.Faithful().X, Options{K: 2})
	c := m.clone()
	c.means[1] = math.NaN()
	_, err := c.Marshal()
	wantErr(t, "NaN mean", err, "body.means[0][1]")
	c = m.clone()
	c.covs[3] = math.Inf(1)
	_, err = c.Marshal()
	wantErr(t, "Inf covariance", err, "body.covariances")
}

// goodBody returns a valid model file's body as a map to mutate.
func goodBody(t *testing.T) []byte {
	m, _ := fitted(t, datasets.Faithful().X, Options{K: 2, FeatureNames: []string{"eruptions", "waiting"}})
	data, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// J-05, J-06, J-07: corrupt, hostile or meaningless files are refused with
// the field and component named.
func TestJ05J06J07BadFiles(t *testing.T) {
	good := string(goodBody(t))
	if _, err := Unmarshal([]byte(good), "m.json"); err != nil {
		t.Fatal(err)
	}
	body := func(b string) string {
		return `{"format": "latent.gmm", "version": 1, "producer": "test", "created": "2026-01-01T00:00:00Z", "body": ` + b + `}`
	}
	const ok = `"covariance_type": "full", "feature_names": [], "reg_covar": 1e-6, "seed": 0, "n_iter": 3, "converged": true, "log_likelihood": -1`
	cov2 := `[[[1, 0], [0, 1]], [[2, 0.5], [0.5, 1]]]`
	for _, c := range []struct {
		id, doc, frag string
	}{
		{"J-05 null", strings.Replace(good, `"converged": true`, `"converged": null`, 1), "body.converged: null is not allowed"},
		{"J-05 unknown", strings.Replace(good, `"converged": true`, `"converged": true, "extra": 1`, 1), "body.extra: unknown field"},
		{"J-05 duplicate", strings.Replace(good, `"converged": true`, `"converged": true, "converged": false`, 1), "body.converged: duplicate key"},
		{"J-05 trailing", good + "garbage", "unexpected data after the JSON document"},
		{"J-05 missing", strings.Replace(good, `"converged": true,`, ``, 1), "body.converged: missing required field"},
		{"J-05 NaN token", strings.Replace(good, `"reg_covar": 0.000001`, `"reg_covar": NaN`, 1), "invalid character"},
		{"J-05 1e400", body(`{"weights": [1e400], "means": [[0]], "covariances": [[[1]]], ` + ok + `}`), "does not fit a float64"},
		{"J-06 type", body(`{"weights": [1], "means": [[0]], "covariances": [[[1]]], "covariance_type": "round", "feature_names": [], "reg_covar": 0, "seed": 0, "n_iter": 0, "converged": false, "log_likelihood": 0}`), `body.covariance_type: "round" is not one of`},
		{"J-06 type case", body(`{"weights": [1], "means": [[0]], "covariances": [[[1]]], "covariance_type": "FULL", "feature_names": [], "reg_covar": 0, "seed": 0, "n_iter": 0, "converged": false, "log_likelihood": 0}`), `body.covariance_type: "FULL" is not one of full, tied, diag, spherical`},
		{"J-06 weight range", body(`{"weights": [1.5, -0.5], "means": [[0, 0], [1, 1]], "covariances": ` + cov2 + `, ` + ok + `}`), "body.weights[0]: 1.5 is outside [0, 1] (component 0)"},
		{"J-06 weight sum", body(`{"weights": [0.5, 0.4], "means": [[0, 0], [1, 1]], "covariances": ` + cov2 + `, ` + ok + `}`), "body.weights: sum to 0.9"},
		{"J-06 means rows", body(`{"weights": [0.5, 0.5], "means": [[0, 0]], "covariances": ` + cov2 + `, ` + ok + `}`), "body.means: 1 rows, want one per component (K = 2"},
		{"J-06 means width", body(`{"weights": [0.5, 0.5], "means": [[0, 0], [1]], "covariances": ` + cov2 + `, ` + ok + `}`), "body.means[1]: 1 values, want D = 2 (component 1)"},
		{"J-06 cov count", body(`{"weights": [0.5, 0.5], "means": [[0, 0], [1, 1]], "covariances": [[[1, 0], [0, 1]]], ` + ok + `}`), "body.covariances: 1 matrices, want K = 2"},
		{"J-06 cov shape", body(`{"weights": [0.5, 0.5], "means": [[0, 0], [1, 1]], "covariances": [[[1, 0], [0, 1]], [[1, 0, 0], [0, 1]]], ` + ok + `}`), "body.covariances[1][0]: 3 values, want D = 2 (component 1)"},
		{"J-06 asymmetric", body(`{"weights": [0.5, 0.5], "means": [[0, 0], [1, 1]], "covariances": [[[1, 0], [0, 1]], [[1, 0.5], [0.2, 1]]], ` + ok + `}`), "body.covariances[1]: not symmetric (component 1)"},
		{"J-06 not PD", body(`{"weights": [0.5, 0.5], "means": [[0, 0], [1, 1]], "covariances": [[[1, 2], [2, 1]], [[1, 0], [0, 1]]], ` + ok + `}`), "body.covariances[0]: not positive definite (component 0)"},
		{"J-06 diag", body(`{"weights": [0.5, 0.5], "means": [[0, 0], [1, 1]], "covariances": [[1, 1], [1, 0]], "covariance_type": "diag", "feature_names": [], "reg_covar": 0, "seed": 0, "n_iter": 0, "converged": false, "log_likelihood": 0}`), "body.covariances[1]: a variance that is not positive (component 1)"},
		{"J-06 tied shape", body(`{"weights": [0.5, 0.5], "means": [[0, 0], [1, 1]], "covariances": [[[1, 0], [0, 1]]], "covariance_type": "tied", "feature_names": [], "reg_covar": 0, "seed": 0, "n_iter": 0, "converged": false, "log_likelihood": 0}`), "body.covariances: got a JSON array, want a number"},
		{"J-06 names", body(`{"weights": [1], "means": [[0, 0]], "covariances": [[[1, 0], [0, 1]]], "covariance_type": "full", "feature_names": ["a"], "reg_covar": 0, "seed": 0, "n_iter": 0, "converged": false, "log_likelihood": 0}`), "body.feature_names: 1 names for D = 2 features"},
		{"J-06 duplicate names", body(`{"weights": [1], "means": [[0, 0]], "covariances": [[[1, 0], [0, 1]]], "covariance_type": "full", "feature_names": ["a", "a"], "reg_covar": 0, "seed": 0, "n_iter": 0, "converged": false, "log_likelihood": 0}`), `body.feature_names[1]: "a" repeats feature_names[0]`},
		{"J-07 declared shape", body(`{"weights": [` + strings.Repeat("0.001, ", 999) + `0.001], "means": [[0]], "covariances": [[[1]]], ` + ok + `}`), "body.means: 1 rows, want one per component (K = 1000"},
	} {
		_, err := Unmarshal([]byte(c.doc), "m.json")
		wantErr(t, c.id, err, c.frag)
		if err != nil && !strings.HasPrefix(err.Error(), "mixture: ") {
			t.Errorf("%s: %q lacks the package prefix", c.id, err)
		}
	}
}

// J-10: the model files of every schema version in testdata keep loading and
// give the same log-likelihoods (golden numbers, rewritten with -update).
// The model files themselves are written once, by TestWriteGoldenModels.
func TestJ10GoldenModels(t *testing.T) {
	for _, c := range fileTypes() {
		f := fileData(c)
		name := fmt.Sprintf("gmm_v1_%s.json", c)
		m, err := Load(filepath.Join("testdata", name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		ss, err := m.ScoreSamples(nil, f.X)
		if err != nil {
			t.Fatal(err)
		}
		lab, _ := m.Predict(nil, f.X)
		golden := filepath.Join("testdata", name+".scores")
		if testutil.Update() {
			var b strings.Builder
			for i := range ss {
				fmt.Fprintf(&b, "%d %.17g\n", lab[i], ss[i])
			}
			if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		// Labels must match exactly; scores to 1e-13 relative, since the
		// matrix-product kernel fastblas picks for the CPU (AVX-512, AVX2
		// or Go) changes the last bits of the Mahalanobis products.
		data, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		if len(lines) != len(ss) {
			t.Fatalf("%s: %d golden rows, %d scores", golden, len(lines), len(ss))
		}
		for i, line := range lines {
			var wantLab int
			var wantScore float64
			if _, err := fmt.Sscan(line, &wantLab, &wantScore); err != nil {
				t.Fatalf("%s:%d: %v", golden, i+1, err)
			}
			if lab[i] != wantLab {
				t.Errorf("%s row %d: label got %d, want %d", name, i, lab[i], wantLab)
			}
			testutil.AssertClose(t, fmt.Sprintf("%s score %d", name, i), ss[i], wantScore, 0, 1e-13)
		}
	}
}

// TestWriteGoldenModels writes testdata/gmm_vN_*.json for the current
// schema version N under -update (go test ./mixture -update), only when
// they do not exist yet: the files of a released version are never
// rewritten, since TestJ10GoldenModels checks that they keep loading.
func TestWriteGoldenModels(t *testing.T) {
	if !testutil.Update() {
		t.Skip("writes the model files of a new schema version under -update")
	}
	t.Setenv("SOURCE_DATE_EPOCH", "0")
	for _, c := range fileTypes() {
		f := fileData(c)
		path := filepath.Join("testdata", fmt.Sprintf("gmm_v%d_%s.json", FileVersion, c))
		if _, err := os.Stat(path); err == nil {
			continue
		}
		m, _ := fitted(t, f.X, Options{K: 2, Covariance: c, Seed: 1, FeatureNames: f.Columns})
		if err := m.Save(path, SaveOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}

// FuzzUnmarshal: any input either loads into a model that predicts finite
// numbers and re-marshals, or gives an error; never a panic (J-05).
func FuzzUnmarshal(f *testing.F) {
	for _, c := range fileTypes() {
		if b, err := os.ReadFile(filepath.Join("testdata", fmt.Sprintf("gmm_v1_%s.json", c))); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"format": "latent.gmm", "version": 1, "producer": "x", "created": "2026-01-01T00:00:00Z", "body": {}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Unmarshal(data, "fuzz")
		if err != nil {
			return
		}
		if _, err := m.Marshal(); err != nil {
			t.Fatalf("loaded but does not marshal: %v", err)
		}
		s, _, err := sampleN(m, 3, newRNG(1))
		if err != nil {
			t.Fatal(err)
		}
		ss, err := m.ScoreSamples(nil, s)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range ss {
			if math.IsNaN(v) {
				t.Fatalf("NaN log-likelihood from a loaded model")
			}
		}
	})
}
