package mixture

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/testutil"
)

// mclustGridRef is what the grid test reads of a reference file.
type mclustGridRef struct {
	Cells []struct {
		Model   string   `json:"model"`
		G       int      `json:"G"`
		BIC     *float64 `json:"bic"`
		DF      int      `json:"df"`
		Warning *string  `json:"warning"`
	} `json:"cells"`
	Best struct {
		Model      string  `json:"model"`
		G          int     `json:"G"`
		BIC        float64 `json:"bic"`
		ICL        float64 `json:"icl"`
		Loglik     float64 `json:"loglik"`
		DF         int     `json:"df"`
		Parameters struct {
			Pro      []float64       `json:"pro"`
			Mean     json.RawMessage `json:"mean"`
			Variance struct {
				Sigma json.RawMessage `json:"sigma"`
			} `json:"variance"`
		} `json:"parameters"`
	} `json:"best"`
	Subset struct {
		Rows []int `json:"rows"`
	} `json:"subset"`
}

func loadGridRef(t *testing.T, set string) *mclustGridRef {
	t.Helper()
	b, err := os.ReadFile("testdata/mclust/mclust_" + set + ".json")
	if err != nil {
		t.Fatal(err)
	}
	r := new(mclustGridRef)
	if err := json.Unmarshal(b, r); err != nil {
		t.Fatal(err)
	}
	return r
}

// gridData returns the rows of a reference set.
func gridData(t *testing.T, set string) *mat.Dense {
	switch set {
	case "faithful", "iris":
		return mcData(t, set)
	case "eruptions":
		return mclustSet(set)
	}
	b, err := os.ReadFile("testdata/mclust/" + set + ".csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")[1:]
	d := len(strings.Split(lines[0], ",")) - 1 // the last column is the true component
	x := mat.NewDense(len(lines), d, nil)
	for i, l := range lines {
		f := strings.Split(l, ",")
		for j := 0; j < d; j++ {
			var v float64
			if _, err := fmt.Sscan(f[j], &v); err != nil {
				t.Fatal(err)
			}
			x.Set(i, j, v)
		}
	}
	return x
}

// TestMclustDefaultsGrid runs Select(MclustDefaults()) and compares every
// cell with mclustBIC(X, G = 1:9): where mclust gives a number, the BIC to
// 0.01; where it gives NA, a failed cell; then the best model and K with
// Mclust(X)'s, its log-likelihood, BIC and ICL to 0.01 and its parameters
// to 1e-4. Faithful, Iris, eruptions (one column: qclass starts),
// synth3d, and synth2500 (2,500 rows: hc on the 2,000 rows R drew).
func TestMclustDefaultsGrid(t *testing.T) {
	for _, set := range []string{"faithful", "iris", "eruptions", "synth3d", "synth2500"} {
		t.Run(set, func(t *testing.T) {
			if set == "synth2500" {
				testutil.Long(t, "the 2,500-row mclust grid")
			}
			ref := loadGridRef(t, set)
			x := gridData(t, set)
			opts := MclustDefaults()
			if rows := ref.Subset.Rows; rows != nil {
				hc := HCOptions{Rows: make([]int, len(rows))}
				for i, r := range rows {
					hc.Rows[i] = r - 1
				}
				opts.Options.HC = &hc
			}
			m, rep, sel, err := Select(t.Context(), x, opts)
			if err != nil {
				t.Fatal(err)
			}
			at := map[string]Candidate{}
			for _, c := range sel.Candidates {
				at[fmt.Sprintf("%s,%d", c.Model, c.K)] = c
			}
			if len(sel.Candidates) != len(ref.Cells) {
				t.Errorf("%d cells, mclust %d", len(sel.Candidates), len(ref.Cells))
			}
			worst, nums, nas := 0.0, 0, 0
			for _, c := range ref.Cells {
				key := fmt.Sprintf("%s,%d", c.Model, c.G)
				got, ok := at[key]
				switch {
				case !ok:
					t.Errorf("%s: not in the table", key)
				case c.BIC == nil:
					nas++
					if got.Status != "failed" {
						t.Errorf("%s: mclust NA (%v), ours BIC %.4f", key, deref(c.Warning), got.MclustBIC)
					}
				case got.Status == "failed":
					t.Errorf("%s: failed (%s); mclust %.4f", key, got.Error, *c.BIC)
				default:
					nums++
					d := math.Abs(got.MclustBIC - *c.BIC)
					worst = math.Max(worst, d)
					if d > 0.01 {
						t.Errorf("%s: BIC %.4f, mclust %.4f", key, got.MclustBIC, *c.BIC)
					}
					if got.NumParams != c.DF {
						t.Errorf("%s: %d parameters, mclust %d", key, got.NumParams, c.DF)
					}
				}
			}
			b := sel.Candidates[sel.Best]
			want := ref.Best
			t.Logf("%s: %d cells agree (largest |ΔBIC| %.3g), %d NA cells failed; best %s,%d BIC %.4f ICL %.4f (mclust %s,%d %.4f %.4f)",
				set, nums, worst, nas, b.Model, b.K, b.MclustBIC, b.MclustICL, want.Model, want.G, want.BIC, want.ICL)
			if b.Model != want.Model || b.K != want.G {
				t.Fatalf("best %s,%d; mclust's %s,%d", b.Model, b.K, want.Model, want.G)
			}
			testutil.AssertClose(t, "best BIC", rep.MclustBIC, want.BIC, 0.01, 0)
			testutil.AssertClose(t, "best ICL", b.MclustICL, want.ICL, 0.01, 0)
			testutil.AssertClose(t, "best log-likelihood", rep.LogLikelihood*float64(rep.Rows), want.Loglik, 0.01, 0)
			if rep.NumParams != want.DF || m.K() != want.G {
				t.Errorf("best: K %d df %d; mclust %d, %d", m.K(), rep.NumParams, want.G, want.DF)
			}
			testutil.AssertCloseSlice(t, "best pro", m.Weights(nil), want.Parameters.Pro, 1e-4, 0)
			k, d := m.K(), m.Dim()
			means, sigmas := make([][]float64, k), make([][][]float64, k)
			if d == 1 { // R drops the dimensions: mean [G], sigma [G]
				var mu, s2 []float64
				if json.Unmarshal(want.Parameters.Mean, &mu) != nil || json.Unmarshal(want.Parameters.Variance.Sigma, &s2) != nil {
					t.Fatal("best parameters of one column: not [G] vectors")
				}
				for c := range k {
					means[c], sigmas[c] = []float64{mu[c]}, [][]float64{{s2[c]}}
				}
			} else if json.Unmarshal(want.Parameters.Mean, &means) != nil || json.Unmarshal(want.Parameters.Variance.Sigma, &sigmas) != nil {
				t.Fatal("best parameters: not [G][d] means and [G][d][d] sigma")
			}
			got := m.Means(nil)
			for c := range k {
				testutil.AssertCloseSlice(t, fmt.Sprintf("best mean[%d]", c), got.RawRowView(c), means[c], 1e-4, 0)
				cv := m.Covariance(nil, c)
				for i := range d {
					for j := range d {
						testutil.AssertClose(t, fmt.Sprintf("best sigma[%d][%d][%d]", c, i, j), cv.At(i, j), sigmas[c][i][j], 1e-4, 0)
					}
				}
			}
		})
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// TestMclustIssueNumbers pins the numbers issue 13 quotes from mclust 6.0.
func TestMclustIssueNumbers(t *testing.T) {
	cell := func(sel *Selection, model string, k int) Candidate {
		for _, c := range sel.Candidates {
			if c.Model == model && c.K == k {
				return c
			}
		}
		t.Fatalf("no cell %s,%d", model, k)
		return Candidate{}
	}
	_, _, iris, err := Select(t.Context(), mcData(t, "iris"), MclustDefaults())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		model string
		k     int
		bic   float64
	}{{"VEV", 2, -561.7285}, {"VEV", 3, -562.5522}, {"VVV", 2, -574.0178}} {
		testutil.AssertClose(t, fmt.Sprintf("iris %s,%d BIC", c.model, c.k), cell(iris, c.model, c.k).MclustBIC, c.bic, 1e-4, 0)
	}
	_, _, fa, err := Select(t.Context(), mcData(t, "faithful"), MclustDefaults())
	if err != nil {
		t.Fatal(err)
	}
	e3 := cell(fa, "EEE", 3)
	testutil.AssertClose(t, "faithful EEE,3 log-likelihood", e3.TotalLogLik, -1126.326, 1e-3, 0)
	testutil.AssertClose(t, "faithful EEE,3 BIC", e3.MclustBIC, -2314.316, 1e-3, 0)
	testutil.AssertClose(t, "faithful EEE,3 ICL", e3.MclustICL, -2357.824, 1e-3, 0)
}
