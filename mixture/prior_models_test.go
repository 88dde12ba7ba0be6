package mixture

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/testutil"
)

// TestPriorCellsMoreSets extends TestMeBICTable and TestMeMatchesMclust
// under the conjugate prior to the one-dimensional eruptions (E, V; the
// cells start from mclust's qclass partitions) and the synthetic
// three-dimensional set (the 10 models with a MAP M-step; hc VVV on the
// SVD data): every cell of mclustBIC(X, G = 1:9, prior = priorControl())
// refitted as mclustBIC fits it, and G = 3's me() from the single step's
// partition, iterations, log-likelihood and parameters.
func TestPriorCellsMoreSets(t *testing.T) {
	for _, set := range []string{"eruptions", "synth3d"} {
		ref := loadPriorRefs(t, set)
		x := refsSet(t, set)
		n, d := x.Dims()
		rows := rawRows(x)
		partition := func(g int) []int {
			if set == "eruptions" {
				return ref.QClass[fmt.Sprint(g)]
			}
			return ref.HC["VVV"]["SVD"].Partitions[fmt.Sprint(g)]
		}
		worst, checked := 0.0, 0
		for _, c := range ref.Prior.Cells {
			cov, ok := mcCovariance(c.Model)
			if !ok || !hasMAPStep(cov) {
				t.Errorf("%s: no MAP M-step for mclust's %s", set, c.Model)
				continue
			}
			name := fmt.Sprintf("%s/%s,%d", set, c.Model, c.G)
			labels := make([]int, n)
			for i := range labels {
				labels[i] = 1
			}
			if c.G > 1 {
				labels = partition(c.G)
			}
			m, res, err := meFit(context.Background(), rows, n, d, unmap(labels, c.G), &meConfig{fam: familyOf(cov), k: c.G, prior: &Prior{}})
			if c.BIC == nil {
				if err == nil {
					t.Errorf("%s: mclust's cell is NA, ours fitted: loglik %g", name, res.logLik)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %v; mclust's BIC %g", name, err, *c.BIC)
				continue
			}
			if m.NumParams() != c.DF {
				t.Errorf("%s: df: got %d, want %d", name, m.NumParams(), c.DF)
			}
			bic := 2*res.logLik - float64(m.NumParams())*math.Log(float64(n))
			testutil.AssertClose(t, name+" BIC", bic, *c.BIC, 0, 1e-9)
			worst = math.Max(worst, math.Abs(bic-*c.BIC))
			checked++
		}
		t.Logf("%s prior: %d cells, largest |ΔBIC| %.3g", set, checked, worst)
		ss := ref.Prior.SingleStep
		for name, mod := range ss.Models {
			cov, _ := mcCovariance(name)
			part := ss.Partition
			if part == nil {
				part = ref.SingleStep.Partition
			}
			m, res, err := meFit(context.Background(), rows, n, d, unmap(part, ss.G), &meConfig{fam: familyOf(cov), k: ss.G, prior: &Prior{}})
			if err != nil {
				t.Errorf("%s/%s me: %v", set, name, err)
				continue
			}
			iters := mod.Me.Iterations
			if iters == 0 {
				iters = len(mod.LoglikTrace)
			}
			if res.iter != iters {
				t.Errorf("%s/%s me: iterations: got %d, want %d", set, name, res.iter, iters)
			}
			testutil.AssertClose(t, set+"/"+name+" me loglik", res.logLik, mod.Me.Loglik, 0, 1e-10)
			dw, dmu, ds := paramDiff(t, m, mod.Me.Parameters.asMclust(t, ss.G, d))
			if dw > 1e-9 || dmu > 1e-9 || ds > 1e-8 {
				t.Errorf("%s/%s me: max |Δ| weights %.3g, means %.3g sd, covariances %.3g", set, name, dw, dmu, ds)
			}
		}
	}
}

// priorRefs is what TestPriorCellsMoreSets reads of a reference file
// (refsParams holds the one-dimensional parameters too).
type priorRefs struct {
	QClass map[string][]int `json:"qclass"`
	HC     map[string]map[string]struct {
		Partitions map[string][]int `json:"partitions"`
	} `json:"hc"`
	SingleStep struct {
		Partition []int `json:"partition"`
	} `json:"single_step"`
	Prior struct {
		Cells []struct {
			Model string   `json:"model"`
			G     int      `json:"G"`
			BIC   *float64 `json:"bic"`
			DF    int      `json:"df"`
		} `json:"cells"`
		SingleStep struct {
			G         int   `json:"G"`
			Partition []int `json:"partition"`
			Models    map[string]struct {
				Me struct {
					Loglik     float64    `json:"loglik"`
					Iterations int        `json:"iterations"`
					Parameters refsParams `json:"parameters"`
				} `json:"me"`
				LoglikTrace []float64 `json:"loglik_trace"`
			} `json:"models"`
		} `json:"single_step"`
	} `json:"prior"`
}

func loadPriorRefs(t *testing.T, set string) *priorRefs {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "mclust", "mclust_"+set+".json"))
	if err != nil {
		t.Fatal(err)
	}
	r := new(priorRefs)
	if err := json.Unmarshal(b, r); err != nil {
		t.Fatalf("mclust_%s.json: %v", set, err)
	}
	return r
}

// TestHasPrior: every model has the MAP M-step but the four mclust has
// none for, and a fit of those under the prior is an *OptionError.
func TestHasPrior(t *testing.T) {
	none := map[CovarianceType]bool{VEE: true, EVE: true, VVE: true, EVV: true}
	for _, c := range append(slices.Clone(MclustModels), E, V, "") {
		if got := c.HasPrior(); got == none[c] {
			t.Errorf("%q.HasPrior() = %v", c, got)
		}
	}
	if CovarianceType("bogus").HasPrior() {
		t.Error(`"bogus".HasPrior() = true`)
	}
	x := randn(newRNG(1), 40, 2)
	for c := range none {
		_, _, err := Fit(context.Background(), x, Options{K: 2, Covariance: c, Prior: &Prior{}})
		var oe *OptionError
		if !errors.As(err, &oe) || oe.Option != "Prior" {
			t.Errorf("%s under the prior: got %v, want an *OptionError naming Prior", c, err)
		}
	}
}

// TestPriorSingletonAllModels: under the prior every model with a MAP
// M-step fits a start with a component on one far point, with and
// without the mean's shrinkage (whose κ = 0 terms drop out), and its
// log-likelihood is finite.
func TestPriorSingletonAllModels(t *testing.T) {
	rng := newRNG(3)
	x := randn(rng, 60, 2)
	x.Set(59, 0, 40)
	x.Set(59, 1, 40)
	start := &Params{Weights: []float64{0.5, 0.49, 0.01}, Means: mat.NewDense(3, 2, []float64{-1, 0, 1, 0, 40, 40})}
	for _, c := range MclustModels {
		if !c.HasPrior() {
			continue
		}
		for _, p := range []Prior{{}, {Shrinkage: NoShrinkage}} {
			m, _, err := Fit(context.Background(), x, Options{K: 3, Covariance: c, RegCovar: NoRegCovar, Start: start, MaxIter: 200, Prior: &p})
			if err != nil {
				t.Errorf("%s, shrinkage %g: %v", c, p.Shrinkage, err)
				continue
			}
			if ll := m.LogLikelihood(); math.IsNaN(ll) || math.IsInf(ll, 0) {
				t.Errorf("%s, shrinkage %g: log-likelihood %v", c, p.Shrinkage, ll)
			}
			if v := m.Covariance(nil, 2).At(0, 0); !(v > 0) {
				t.Errorf("%s, shrinkage %g: the singleton's variance is %g", c, p.Shrinkage, v)
			}
		}
	}
}
