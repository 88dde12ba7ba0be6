package biasvar_test

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/biasvar"
	"github.com/latentgo/latent/internal/csvio"
	"github.com/latentgo/latent/internal/testutil"
)

// The peer's output and resamples, made by testdata/peer/make_reference.py
// (see its header for the command) from the shared peer script
// bench/biasvar_peer.py (testutil.SharedDir) with scikit-learn 1.2.
type peerOutput struct {
	Sigma   float64 `json:"sigma"`
	NTrain  int     `json:"n_train"`
	Rounds  int     `json:"rounds"`
	Results map[string]struct {
		Boot struct {
			Loss float64 `json:"avg_expected_loss"`
			Bias float64 `json:"avg_bias"`
			Var  float64 `json:"avg_var"`
		} `json:"bootstrap_mlxtend_style"`
		MC struct {
			Bias2      float64    `json:"bias2"`
			Variance   float64    `json:"variance"`
			Bias2Range [2]float64 `json:"bias2_range"`
			VarRange   [2]float64 `json:"variance_range"`
		} `json:"monte_carlo_true_f"`
	} `json:"results"`
}

func readPeer(t *testing.T) (peerOutput, [][]int, *csvio.Table, *csvio.Table) {
	t.Helper()
	dir := filepath.Join("testdata", "peer")
	var out peerOutput
	var res struct {
		Indices [][]int `json:"indices"`
	}
	for name, v := range map[string]any{"peer_output.json": &out, "resamples.json": &res} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatal(err)
		}
	}
	read := func(name string) *csvio.Table {
		tab, err := csvio.ReadFile(filepath.Join(dir, name), nil, csvio.Options{Name: name, Header: csvio.HeaderAbsent})
		if err != nil {
			t.Fatal(err)
		}
		return tab
	}
	return out, res.Indices, read("biasvar_train.csv"), read("biasvar_test.csv")
}

var peerLearners = map[string]biasvar.Learner{
	"DecisionTreeRegressor(random_state=0)":             biasvar.Tree{},
	"DecisionTreeRegressor(max_depth=3,random_state=0)": biasvar.Tree{MaxDepth: 3},
	"LinearRegression()":                                biasvar.Poly{Degree: 1},
}

func column(t *csvio.Table, j int) []float64 {
	r, _ := t.X.Dims()
	out := make([]float64, r)
	for i := range out {
		out[i] = t.X.At(i, j)
	}
	return out
}

// Bootstrap mode reproduces mlxtend's bias_variance_decomp definitions as
// computed by the peer script (scikit-learn's trees and linear
// regression) on the same data and the same resample indices.
func TestBootstrapMatchesPeer(t *testing.T) {
	out, idx, tr, te := readPeer(t)
	d := biasvar.Data{XTrain: tr.X.Slice(0, out.NTrain, 0, 1), YTrain: column(tr, 1), XTest: te.X.Slice(0, te.X.RawMatrix().Rows, 0, 1), YTest: column(te, 1)}
	for name, l := range peerLearners {
		want, ok := out.Results[name]
		if !ok {
			t.Fatalf("no peer result for %s", name)
		}
		rep, err := biasvar.Bootstrap(bg, d, l, biasvar.Options{Resamples: idx})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Rounds.Succeeded != out.Rounds {
			t.Fatalf("%s: %+v", name, rep.Rounds)
		}
		// Same trees and least squares on the same resamples: equal up to
		// the order of floating-point sums.
		testutil.AssertClose(t, name+" avg_expected_loss", rep.Totals.Error.Value, want.Boot.Loss, 0, 1e-10)
		testutil.AssertClose(t, name+" avg_bias", rep.Totals.Bias2PlusNoise.Value, want.Boot.Bias, 0, 1e-10)
		testutil.AssertClose(t, name+" avg_var", rep.Totals.Variance.Value, want.Boot.Var, 0, 1e-10)
		t.Logf("%s: latent %.15g %.15g %.15g, peer %.15g %.15g %.15g", name, rep.Totals.Error.Value, rep.Totals.Bias2PlusNoise.Value,
			rep.Totals.Variance.Value, want.Boot.Loss, want.Boot.Bias, want.Boot.Var)
	}
}

// Monte Carlo mode against the truth f = sin on [0, 2π] agrees with the
// peer's Monte Carlo decomposition (random design, same test points) within
// the two runs' Monte Carlo errors.
func TestMonteCarloMatchesPeer(t *testing.T) {
	out, _, _, te := readPeer(t)
	m := te.X.RawMatrix().Rows
	p := &biasvar.Problem{
		Name: "sin(x) on [0,2π]", F: func(x []float64) float64 { return math.Sin(x[0]) },
		Noise:   biasvar.Gaussian{Sigma: out.Sigma},
		SampleX: func(r *rand.Rand, dst []float64) { dst[0] = 2 * math.Pi * r.Float64() },
		NTrain:  out.NTrain, Test: mat.DenseCopyOf(te.X.Slice(0, m, 0, 1)),
	}
	for name, l := range peerLearners {
		want := out.Results[name].MC
		rep, err := biasvar.Decompose(bg, p, l, biasvar.Options{Rounds: 2000, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		// The peer averages three runs of 200 rounds; its spread is about
		// the range of the three over 2 (≈ one sd of one run), so the sd of
		// its mean is about range/(2√3).
		for _, c := range []struct {
			what      string
			got       biasvar.Estimate
			want, rng float64
		}{
			{"bias²", *rep.Totals.Bias2Plugin, want.Bias2, want.Bias2Range[1] - want.Bias2Range[0]},
			{"variance", *rep.Totals.VariancePlugin, want.Variance, want.VarRange[1] - want.VarRange[0]},
		} {
			se := math.Hypot(c.got.StdErr, c.rng/(2*math.Sqrt(3)))
			// The peer's bias² is the plug-in one at R = 200: inflated by
			// variance/200, which we add to ours (plug-in at R = 2000).
			got := c.got.Value
			if c.what == "bias²" {
				got += rep.Totals.Variance.Value * (1.0/200 - 1.0/2000)
			}
			within(t, name+" "+c.what, got, c.want, se, 4)
			t.Logf("%s %s: latent %.5g ± %.2g, peer %.5g (3-run range %.2g)", name, c.what, got, c.got.StdErr, c.want, c.rng)
		}
	}
}
