package mixture

import (
	"strings"
	"testing"
)

func TestFullFamily(t *testing.T) { checkFamily(t, fullFamily{}) }

// Σ_k = S_k / n_k + r·I: each component's weighted scatter about its mean.
func TestFullMStep(t *testing.T) {
	checkMStepFormula(t, Full, func(k int, nk []float64, scat [][]float64, reg float64) []float64 {
		return scaledPlusReg(scat[k], nk[k], reg)
	})
}

func TestFullParamsAndFile(t *testing.T) {
	f := fullFamily{}
	for _, c := range []struct{ k, d, want int }{{1, 1, 1}, {3, 2, 9}, {2, 5, 30}} {
		if got := f.numParams(c.k, c.d); got != c.want {
			t.Errorf("numParams(K=%d, D=%d): got %d, want %d", c.k, c.d, got, c.want)
		}
	}
	if got := f.countMatrices(3, 1, false); got != "K = 3" {
		t.Errorf("countMatrices(3, 1): got %q, want K = 3", got)
	}
	c := newComps(f, 2, 2)
	for _, bad := range []struct{ raw, frag string }{
		{`[[[1,0],[0,1]]]`, "body.covariances: 1 matrices, want K = 2"},
		{`[[[1,0],[0,1]],[[1,0]]]`, "body.covariances[1]: 1 rows, want D = 2 (component 1)"},
		{`[[[1,0],[0,1]],[[1,2],[0,1]]]`, "body.covariances[1]: not symmetric (component 1)"},
		{`[[[1,0],[0,1]],[[1,2],[2,1]]]`, "body.covariances[1]: not positive definite (component 1)"},
	} {
		err := f.decode(&c, []byte(bad.raw), "body.covariances")
		if err == nil || !strings.Contains(err.Error(), bad.frag) {
			t.Errorf("decode(%s): %v, want %q", bad.raw, err, bad.frag)
		}
	}
}

// scaledPlusReg returns s/n + reg·I for the D×D s.
func scaledPlusReg(s []float64, n, reg float64) []float64 {
	out := make([]float64, len(s))
	d := 0
	for d*d < len(s) {
		d++
	}
	for i := range s {
		out[i] = s[i] / n
	}
	for i := 0; i < d; i++ {
		out[i*d+i] += reg
	}
	return out
}
