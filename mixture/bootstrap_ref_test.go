package mixture

import (
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/datasets"
)

// The parts of testdata/mclust/mclust_<set>.json (R's mclust 6.0.0; see
// that folder's README and NOTES.md) that the bootstrap, LRT and prior
// tests read. Indices are 1-based as in R; parameters put the component
// first.

type mcParams struct {
	Pro      []float64   `json:"pro"`
	Mean     [][]float64 `json:"mean"`
	Variance struct {
		Sigma mcSigma `json:"sigma"`
	} `json:"variance"`
}

// mcSigma is parameters$variance$sigma, component first: G × d × d (a
// single d × d matrix when the JSON writer dropped G = 1).
type mcSigma [][][]float64

func (s *mcSigma) UnmarshalJSON(b []byte) error {
	var a [][][]float64
	if err := json.Unmarshal(b, &a); err == nil {
		*s = a
		return nil
	}
	var one [][]float64
	if err := json.Unmarshal(b, &one); err != nil {
		return err
	}
	*s = [][][]float64{one}
	return nil
}

type mcCell struct {
	Model      string    `json:"model"`
	G          int       `json:"G"`
	BIC        *float64  `json:"bic"`
	Loglik     *float64  `json:"loglik"`
	DF         int       `json:"df"`
	ReturnCode int       `json:"return_code"`
	Warning    *string   `json:"warning"`
	Iterations int       `json:"iterations"`
	Parameters *mcParams `json:"parameters"`
}

type mcMe struct {
	Loglik     float64  `json:"loglik"`
	BIC        float64  `json:"bic"`
	Parameters mcParams `json:"parameters"`
	Iterations int      `json:"iterations"`
}

type mcSingleStep struct {
	G         int   `json:"G"`
	Partition []int `json:"partition"`
	Models    map[string]struct {
		Mstep struct {
			Parameters mcParams `json:"parameters"`
		} `json:"mstep"`
		Estep struct {
			Loglik float64 `json:"loglik"`
		} `json:"estep"`
		Me          mcMe      `json:"me"`
		LoglikTrace []float64 `json:"loglik_trace"`
	} `json:"models"`
}

type mcDefaultPrior struct {
	G         int             `json:"G"`
	Shrinkage float64         `json:"shrinkage"`
	Mean      []float64       `json:"mean"`
	Dof       float64         `json:"dof"`
	Scale     json.RawMessage `json:"scale"`
}

type mcSet struct {
	Data struct {
		Name string `json:"name"`
		N    int    `json:"n"`
		D    int    `json:"d"`
	} `json:"data"`
	HC map[string]map[string]struct {
		Partitions map[string][]int `json:"partitions"`
	} `json:"hc"`
	Cells []mcCell `json:"cells"`
	Best  struct {
		Model string      `json:"model"`
		G     int         `json:"G"`
		Z     [][]float64 `json:"z"`
	} `json:"best"`
	SingleStep mcSingleStep `json:"single_step"`
	Prior      struct {
		Cells        []mcCell                    `json:"cells"`
		DefaultPrior map[string][]mcDefaultPrior `json:"defaultPrior"`
		SingleStep   mcSingleStep                `json:"single_step"`
	} `json:"prior"`
}

var mcSets sync.Map // name → *mcSet

// loadMclust reads testdata/mclust/mclust_<name>.json once per test binary.
func loadMclust(t testing.TB, name string) *mcSet {
	t.Helper()
	if v, ok := mcSets.Load(name); ok {
		return v.(*mcSet)
	}
	b, err := os.ReadFile("testdata/mclust/mclust_" + name + ".json")
	if err != nil {
		t.Fatal(err)
	}
	s := new(mcSet)
	if err := json.Unmarshal(b, s); err != nil {
		t.Fatalf("mclust_%s.json: %v", name, err)
	}
	mcSets.Store(name, s)
	return s
}

// mcData returns the rows mclust's reference of that name fitted:
// faithful's two columns, iris's four measurements.
func mcData(t testing.TB, name string) *mat.Dense {
	t.Helper()
	name, _, _ = strings.Cut(name, "/")
	switch name {
	case "faithful":
		return datasets.Faithful().X
	case "iris":
		x := datasets.Iris().X
		n, _ := x.Dims()
		return mat.DenseCopyOf(x.Slice(0, n, 0, 4))
	}
	t.Fatalf("no data set %q", name)
	return nil
}

// mcFamilies maps mclust's model names to latent's four original types;
// a model registered under its mclust name (mcmodels' families) is found
// by ParseCovarianceType first.
var mcFamilies = map[string]CovarianceType{"VII": Spherical, "VVI": Diag, "EEE": Tied, "VVV": Full}

// mcCovariance returns the covariance type of mclust's model name, and
// false when latent has no family for it (yet).
func mcCovariance(name string) (CovarianceType, bool) {
	if c, err := ParseCovarianceType(name); err == nil {
		return c, true
	}
	c, ok := mcFamilies[name]
	return c, ok
}

// unmap returns mclust's unmap(partition): one-hot rows of the 1-based
// labels, n×K row-major.
func unmap(labels []int, k int) []float64 {
	z := make([]float64, len(labels)*k)
	for i, l := range labels {
		z[i*k+l-1] = 1
	}
	return z
}

// rawRows returns the rows of x as one n×d row-major slice.
func rawRows(x *mat.Dense) []float64 {
	n, d := x.Dims()
	out := make([]float64, 0, n*d)
	for i := 0; i < n; i++ {
		out = append(out, x.RawRowView(i)...)
	}
	return out
}

// mcModelOf builds the model mclust's parameters p describe.
func mcModelOf(t testing.TB, cov CovarianceType, p *mcParams) *Model {
	t.Helper()
	k, d := len(p.Mean), len(p.Mean[0])
	means := mat.NewDense(k, d, nil)
	covs := make([]*mat.SymDense, k)
	for c := 0; c < k; c++ {
		means.SetRow(c, p.Mean[c])
		covs[c] = mat.NewSymDense(d, nil)
		for i := 0; i < d; i++ {
			for j := i; j < d; j++ {
				covs[c].SetSym(i, j, p.Variance.Sigma[c][i][j])
			}
		}
	}
	if cov == Tied {
		covs = covs[:1]
	}
	m, err := New(cov, Params{Weights: p.Pro, Means: means, Covariances: covs}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// mcZ returns the best Mclust fit's z of the set (its object$z) as a
// matrix.
func mcZ(t testing.TB, name string) *mat.Dense {
	t.Helper()
	z := loadMclust(t, name).Best.Z
	out := mat.NewDense(len(z), len(z[0]), nil)
	for i, r := range z {
		out.SetRow(i, r)
	}
	return out
}
