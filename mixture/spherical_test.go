package mixture

import (
	"strings"
	"testing"
)

func TestSphericalFamily(t *testing.T) { checkFamily(t, sphericalFamily{}) }

// σ²_k = tr(S_k) / (D n_k) + r, times I.
func TestSphericalMStep(t *testing.T) {
	checkMStepFormula(t, Spherical, func(k int, nk []float64, scat [][]float64, reg float64) []float64 {
		s := scat[k]
		d := sqrtLen(s)
		tr := 0.0
		for j := 0; j < d; j++ {
			tr += s[j*d+j]
		}
		out := make([]float64, d*d)
		for j := 0; j < d; j++ {
			out[j*d+j] = tr/(float64(d)*nk[k]) + reg
		}
		return out
	})
}

func TestSphericalParamsAndFile(t *testing.T) {
	f := sphericalFamily{}
	for _, c := range []struct{ k, d, want int }{{1, 1, 1}, {3, 2, 3}, {2, 5, 2}} {
		if got := f.numParams(c.k, c.d); got != c.want {
			t.Errorf("numParams(K=%d, D=%d): got %d, want %d", c.k, c.d, got, c.want)
		}
	}
	// A precision's mean diagonal is inverted: the mean of 1 and 3 is 2.
	c := newComps(f, 1, 2)
	if err := f.fromFull(&c, [][]float64{{1, 0, 0, 3}}, true, nil); err != nil || c.covs[0] != 0.5 {
		t.Errorf("fromFull of precisions diag(1, 3): got %v, %v, want [0.5]", c.covs, err)
	}
	c = newComps(f, 2, 2)
	for _, bad := range []struct{ raw, frag string }{
		{`[1]`, "body.covariances: 1 values, want K = 2 for spherical covariances"},
		{`[1,-1]`, "body.covariances[1]: a variance that is not positive (component 1)"},
	} {
		err := f.decode(&c, []byte(bad.raw), "body.covariances")
		if err == nil || !strings.Contains(err.Error(), bad.frag) {
			t.Errorf("decode(%s): %v, want %q", bad.raw, err, bad.frag)
		}
	}
}
