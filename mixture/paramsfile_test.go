package mixture

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// paramsOf returns the model's parameters as Params, read with its
// accessors.
func paramsOf(m *Model) *Params {
	p := &Params{Weights: m.Weights(nil), Means: m.Means(nil)}
	for k := 0; k < m.K(); k++ {
		p.Covariances = append(p.Covariances, m.Covariance(nil, k))
	}
	return p
}

func sameParams(a, b *Params) bool {
	if !bitsEqual(a.Weights, b.Weights) || len(a.Covariances) != len(b.Covariances) {
		return false
	}
	if !bitsEqual(mat.DenseCopyOf(a.Means).RawMatrix().Data, mat.DenseCopyOf(b.Means).RawMatrix().Data) {
		return false
	}
	for i := range a.Covariances {
		if !bitsEqual(mat.DenseCopyOf(a.Covariances[i]).RawMatrix().Data, mat.DenseCopyOf(b.Covariances[i]).RawMatrix().Data) {
			return false
		}
	}
	return true
}

// A fitted model's full-form parameters, as JSON, read back by ReadParams
// with the same bits, for every covariance type, with D given or taken from
// the file; the model rebuilt from them scores the data as the original.
// A model file gives the same parameters.
func TestFullParamsRoundTrip(t *testing.T) {
	d := randomData(newRNG(70), 600, 3, 3, 10, Full)
	for _, c := range CovarianceTypes {
		m, _ := fitted(t, d.x, Options{K: 3, Covariance: c, Seed: 1})
		fp := m.FullParams()
		if fp.K != 3 || fp.Covariance != c || len(fp.Covariances) != 3 || len(fp.Covariances[0]) != 3 {
			t.Fatalf("%s: FullParams has K = %d, %s, %d covariances", c, fp.K, fp.Covariance, len(fp.Covariances))
		}
		data, err := json.Marshal(fp)
		if err != nil {
			t.Fatal(err)
		}
		for _, dim := range []int{3, 0} {
			p, ignored, err := ReadParams(bytes.NewReader(data), "p.json", dim)
			if err != nil {
				t.Fatalf("%s, d = %d: %v", c, dim, err)
			}
			if !sameParams(p, paramsOf(m)) || ignored != nil {
				t.Errorf("%s, d = %d: the parameters read back differ (ignored %v)", c, dim, ignored)
			}
		}
		p, _, _ := ReadParams(bytes.NewReader(data), "p.json", 3)
		back, err := New(c, *p, nil)
		if err != nil {
			t.Fatalf("%s: New: %v", c, err)
		}
		s0, _ := m.Score(d.x, nil)
		s1, _ := back.Score(d.x, nil)
		// Spherical σ² is the mean of the D equal diagonal values: equal up
		// to one rounding; the others are exact.
		if math.Abs(s0-s1) > 1e-13*math.Abs(s0) {
			t.Errorf("%s: score %v after the round trip, want %v", c, s1, s0)
		}
		file, _ := m.Marshal()
		pm, ignored, err := ReadParams(bytes.NewReader(file), "model.json", 3)
		if err != nil || ignored != nil || !sameParams(pm, paramsOf(m)) {
			t.Errorf("%s: a model file gave other parameters (%v)", c, err)
		}
	}
}

// The parameters of one covariance type start a fit of another.
func TestFullParamsStartAnotherType(t *testing.T) {
	d := randomData(newRNG(71), 600, 2, 2, 10, Full)
	m, _ := fitted(t, d.x, Options{K: 2, Seed: 1})
	data, _ := json.Marshal(m.FullParams())
	p, _, err := ReadParams(bytes.NewReader(data), "p.json", 2)
	if err != nil {
		t.Fatal(err)
	}
	_, rep := fitted(t, d.x, Options{K: 2, Covariance: Diag, Start: p})
	if rep.Init != "given" {
		t.Errorf("init %q, want given", rep.Init)
	}
}

func TestReadParamsErrors(t *testing.T) {
	const good = `"weights": [0.5, 0.5], "means": [[2, 55], [4.5, 80]], "covariances": [[[0.1, 0], [0, 30]], [[0.2, 0], [0, 40]]]`
	cases := []struct {
		name, data string
		d          int
		msg        string
	}{
		{"syntax", "{" + good + ",}", 2, "p.json: bad parameters: line 1, column 113: invalid JSON"},
		{"array", "[1, 2]", 2, "p.json: bad parameters: got a JSON array, want an object; a parameters file is a JSON object"},
		{"null", `{"weights": null}`, 2, "weights: null is not allowed"},
		{"duplicate", `{"weights": [1], "weights": [1]}`, 2, "weights: duplicate key"},
		{"missing", `{"weights": [0.5, 0.5], "means": [[2, 55], [4.5, 80]]}`, 2, "covariances is missing; the file needs weights [K], means [K][D] and covariances [K][D][D]"},
		{"type", `{"weights": "a", "means": [[1]], "covariances": [[[1]]]}`, 1, "weights: got a JSON string, want an array"},
		{"empty means", `{"weights": [], "means": [], "covariances": []}`, 2, "means is empty"},
		{"mean length", `{"weights": [1], "means": [[1, 2, 3]], "covariances": [[[1, 0], [0, 1]]]}`, 2, "means[0] has 3 values; the data have 2 columns"},
		{"ragged means", `{"weights": [1, 0], "means": [[1, 2], [3]], "covariances": [[[1, 0], [0, 1]]]}`, 0, "means[1] has 1 values; means[0] has 2"},
		{"covariance rows", `{"weights": [1], "means": [[1, 2]], "covariances": [[[1, 0]]]}`, 2, "covariances[0] has 1 rows, want 2"},
		{"covariance row", `{"weights": [1], "means": [[1, 2]], "covariances": [[[1, 0], [0]]]}`, 2, "covariances[0][1] has 1 values, want 2"},
		{"asymmetric", `{"weights": [1], "means": [[1, 2]], "covariances": [[[1, 0], [1e-3, 1]]]}`, 2, "covariances[0] is not symmetric ([1][0] = 0.001, [0][1] = 0)"},
		{"k", `{"k": 3, ` + good + `}`, 2, "k is 3, but there are 2 means"},
		{"covariance type", `{"covariance_type": "round", ` + good + `}`, 2, `covariance_type: "round" is not one of`},
		{"model dims", "model", 3, "p.json: bad parameters: the model has 2 features, the data 3 columns"},
	}
	m, err := New(Full, Params{Weights: []float64{1}, Means: mat.NewDense(1, 2, nil), Covariances: []*mat.SymDense{mat.NewSymDense(2, []float64{1, 0, 0, 1})}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	model, _ := m.Marshal()
	for _, c := range cases {
		data := []byte(c.data)
		if c.data == "model" {
			data = model
		}
		_, _, err := ReadParams(bytes.NewReader(data), "p.json", c.d)
		if !errors.Is(err, ErrBadParams) || !strings.HasPrefix(err.Error(), "mixture: p.json: ") || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: got %v, want an ErrBadParams error about p.json containing %q", c.name, err, c.msg)
		}
	}
	// Symmetric within rounding is symmetric; other fields are ignored and
	// named, sorted.
	p, ignored, err := ReadParams(strings.NewReader(`{"note": 1, "about": "x", "k": 1, "covariance_type": "diag", "weights": [1], "means": [[1, 2]], "covariances": [[[1, 1e-9], [0, 1]]]}`), "p.json", 2)
	if err != nil || !slices.Equal(ignored, []string{"about", "note"}) || p.Covariances[0].At(1, 0) != 1e-9 {
		t.Errorf("got ignored %v, error %v; want [about note] and no error", ignored, err)
	}
}

func TestLoadParams(t *testing.T) {
	path := filepath.Join(t.TempDir(), "start.json")
	if err := os.WriteFile(path, []byte(`{"weights": [1], "means": [[1, 2]], "covariances": [[[1, 0], [0, 1]]]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	p, _, err := LoadParams(path, 2)
	if err != nil || len(p.Weights) != 1 {
		t.Errorf("got %v, %v; want one component", p, err)
	}
	if _, _, err := LoadParams(filepath.Join(t.TempDir(), "none.json"), 2); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a missing file: got %v, want os.ErrNotExist", err)
	}
}

// FuzzReadParams: a parameters file either gives parameters of the asked
// shape or an error; never a panic, and New never panics on what it gives.
func FuzzReadParams(f *testing.F) {
	f.Add([]byte(`{"weights": [0.5, 0.5], "means": [[2, 55], [4.5, 80]], "covariances": [[[0.1, 0], [0, 30]], [[0.2, 0], [0, 40]]]}`))
	f.Add([]byte(`{"weights": [1], "means": [[1, 2]], "covariances": [[[1, 2], [3, 1]]], "note": "x"}`))
	f.Add([]byte(`{"k": 1, "covariance_type": "tied", "weights": [1], "means": [[1, 2]], "covariances": [[[1, 0], [0, 1]]]}`))
	f.Add([]byte(`{"format": "latent.gmm"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, d := range []int{2, 0} {
			p, _, err := ReadParams(bytes.NewReader(data), "p.json", d)
			if err != nil {
				continue
			}
			_, c := p.Means.Dims()
			if d != 0 && c != d {
				t.Fatalf("means with %d columns for %d-column data", c, d)
			}
			for _, s := range p.Covariances {
				if s.SymmetricDim() != c {
					t.Fatalf("covariance of dimension %d for %d columns", s.SymmetricDim(), c)
				}
			}
			for _, cov := range CovarianceTypes {
				_, _ = New(cov, *p, nil)
			}
		}
	})
}
