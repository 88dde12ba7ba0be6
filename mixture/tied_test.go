package mixture

import (
	"strings"
	"testing"
)

func TestTiedFamily(t *testing.T) { checkFamily(t, tiedFamily{}) }

// Σ = Σ_k S_k / Σ_k n_k + r·I: the scatters pooled.
func TestTiedMStep(t *testing.T) {
	checkMStepFormula(t, Tied, func(_ int, nk []float64, scat [][]float64, reg float64) []float64 {
		pooled := make([]float64, len(scat[0]))
		tot := 0.0
		for k, s := range scat {
			tot += nk[k]
			for i, v := range s {
				pooled[i] += v
			}
		}
		return scaledPlusReg(pooled, tot, reg)
	})
}

func TestTiedParamsAndFile(t *testing.T) {
	f := tiedFamily{}
	for _, c := range []struct{ k, d, want int }{{1, 1, 1}, {3, 2, 3}, {4, 5, 15}} {
		if got := f.numParams(c.k, c.d); got != c.want {
			t.Errorf("numParams(K=%d, D=%d): got %d, want %d", c.k, c.d, got, c.want)
		}
	}
	for _, c := range []struct {
		given int
		prec  bool
		want  string
	}{
		{1, false, ""}, {3, false, ""}, {1, true, ""},
		{3, true, "1 (or K = 3 covariances to average) for tied"},
		{2, false, "1 (or K = 3 covariances to average) for tied"},
	} {
		if got := f.countMatrices(3, c.given, c.prec); got != c.want {
			t.Errorf("countMatrices(3, %d, precisions %v): got %q, want %q", c.given, c.prec, got, c.want)
		}
	}
	// K covariances are averaged with the weights.
	c := newComps(f, 2, 1)
	if err := f.fromFull(&c, [][]float64{{1}, {4}}, false, []float64{0.25, 0.75}); err != nil || c.covs[0] != 3.25 {
		t.Errorf("fromFull of 1 and 4 weighted 1/4, 3/4: got %v, %v, want 3.25", c.covs, err)
	}
	c = newComps(f, 2, 2)
	for _, bad := range []struct{ raw, frag string }{
		{`[[1,0]]`, "body.covariances: 1 rows, want D = 2"},
		{`[[1,2],[2,1]]`, "body.covariances: not positive definite (component 0)"},
	} {
		err := f.decode(&c, []byte(bad.raw), "body.covariances")
		if err == nil || !strings.Contains(err.Error(), bad.frag) {
			t.Errorf("decode(%s): %v, want %q", bad.raw, err, bad.frag)
		}
	}
}
