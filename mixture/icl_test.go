package mixture

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

// TestICLMclustCells checks the ICL term against mclust's icl for every
// cell mclust fitted on Iris and Faithful: at mclust's own parameters,
// mclust's BIC + 2 Σ log max z must give mclust's ICL (icl.R:icl.Mclust).
func TestICLMclustCells(t *testing.T) {
	for _, name := range []string{"iris", "faithful"} {
		set := loadMclust(t, name)
		var raw struct {
			Cells []struct {
				ICL *float64 `json:"icl"`
			} `json:"cells"`
			Best struct {
				ICL float64 `json:"icl"`
			} `json:"best"`
		}
		b, err := os.ReadFile("testdata/mclust/mclust_" + name + ".json")
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &raw); err != nil {
			t.Fatal(err)
		}
		x := mcData(t, name)
		checked := 0
		for i, c := range set.Cells {
			if c.BIC == nil || raw.Cells[i].ICL == nil || c.Parameters == nil {
				continue
			}
			cov, ok := mcCovariance(c.Model)
			if !ok {
				continue
			}
			m := mcModelOf(t, cov, c.Parameters)
			cl, err := m.classificationLogLik(x, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := *c.BIC + 2*cl
			if d := math.Abs(got - *raw.Cells[i].ICL); d > 0.01 {
				t.Errorf("%s %s,%d: ICL %.4f, mclust %.4f", name, c.Model, c.G, got, *raw.Cells[i].ICL)
			}
			u, err := m.Uncertainty(nil, x)
			if err != nil {
				t.Fatal(err)
			}
			var s float64
			for _, v := range u {
				if v < 0 || v > 1-1/float64(c.G)+1e-12 {
					t.Fatalf("%s %s,%d: uncertainty %g out of [0, 1−1/K]", name, c.Model, c.G, v)
				}
				s += math.Log1p(-v)
			}
			if math.Abs(s-cl) > 1e-9*(1+math.Abs(cl)) {
				t.Errorf("%s %s,%d: Σ log(1−uncertainty) %g ≠ classification log-likelihood %g", name, c.Model, c.G, s, cl)
			}
			checked++
		}
		if checked < 50 {
			t.Errorf("%s: only %d cells checked", name, checked)
		}
		t.Logf("%s: %d cells' ICL agree with mclust to 0.01", name, checked)
	}
}

// TestSelectICL checks the selection table's ICL, totals and status, and
// that Criterion ICL picks the lowest ICL.
func TestSelectICL(t *testing.T) {
	x := mcData(t, "faithful")
	_, _, sel, err := Select(t.Context(), x, SelectOptions{Ks: []int{1, 2, 3}, Covariances: []CovarianceType{Full, EEE}, Criterion: ICL})
	if err != nil {
		t.Fatal(err)
	}
	n, _ := x.Dims()
	for i, c := range sel.Candidates {
		if c.Status == "failed" {
			continue
		}
		if c.Model != c.Covariance.MclustName() || c.MclustICL != -c.ICL || c.ICL < c.BIC-1e-9 {
			t.Errorf("cell %d: %+v", i, c)
		}
		if math.Abs(c.TotalLogLik-c.LogLikelihood*float64(n)) > 1e-6 {
			t.Errorf("cell %d: total %g, mean %g", i, c.TotalLogLik, c.LogLikelihood)
		}
		if c.K == 1 && math.Abs(c.ICL-c.BIC) > 1e-9 {
			t.Errorf("cell %d: K = 1 but ICL %g ≠ BIC %g", i, c.ICL, c.BIC)
		}
		if c.ICL < sel.Candidates[sel.Best].ICL {
			t.Errorf("best %d has ICL %g, cell %d %g", sel.Best, sel.Candidates[sel.Best].ICL, i, c.ICL)
		}
	}
}
