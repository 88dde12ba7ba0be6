package mixture

import (
	"strings"
	"testing"
)

func TestDiagFamily(t *testing.T) { checkFamily(t, diagFamily{}) }

// σ²_kj = (S_k)_jj / n_k + r, zeros off the diagonal.
func TestDiagMStep(t *testing.T) {
	checkMStepFormula(t, Diag, func(k int, nk []float64, scat [][]float64, reg float64) []float64 {
		full := scaledPlusReg(scat[k], nk[k], reg)
		d := sqrtLen(full)
		for i := 0; i < d; i++ {
			for j := 0; j < d; j++ {
				if i != j {
					full[i*d+j] = 0
				}
			}
		}
		return full
	})
}

func TestDiagParamsAndFile(t *testing.T) {
	f := diagFamily{}
	for _, c := range []struct{ k, d, want int }{{1, 1, 1}, {3, 2, 6}, {2, 5, 10}} {
		if got := f.numParams(c.k, c.d); got != c.want {
			t.Errorf("numParams(K=%d, D=%d): got %d, want %d", c.k, c.d, got, c.want)
		}
	}
	// A precision's diagonal is inverted element by element.
	c := newComps(f, 1, 2)
	if err := f.fromFull(&c, [][]float64{{4, 1, 1, 0.5}}, true, nil); err != nil || c.covs[0] != 0.25 || c.covs[1] != 2 {
		t.Errorf("fromFull of precisions diag(4, 0.5): got %v, %v, want [0.25 2]", c.covs, err)
	}
	c = newComps(f, 2, 2)
	for _, bad := range []struct{ raw, frag string }{
		{`[[1,1]]`, "body.covariances: 1 rows, want K = 2 for diag covariances"},
		{`[[1,1],[1]]`, "body.covariances[1]: 1 values, want D = 2 (component 1)"},
		{`[[1,1],[1,0]]`, "body.covariances[1]: a variance that is not positive (component 1)"},
	} {
		err := f.decode(&c, []byte(bad.raw), "body.covariances")
		if err == nil || !strings.Contains(err.Error(), bad.frag) {
			t.Errorf("decode(%s): %v, want %q", bad.raw, err, bad.frag)
		}
	}
}

// sqrtLen returns d for a slice of d·d values.
func sqrtLen(a []float64) int {
	d := 0
	for d*d < len(a) {
		d++
	}
	return d
}
