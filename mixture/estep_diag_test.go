package mixture

import (
	"context"
	"math"
	"testing"

	"github.com/latentgo/latent/em"
)

// TestEStepSameBits: the E-step of EM (EStep: the path of the models
// without orientation, estep_diag.go, and logProbLean and absorbStatsX for
// the others) gives the same bits as the general path (logProb and
// absorbStats, with the differences kept): log-likelihood, entropy and
// every statistic, with and without weights, on both kernels, over several
// chunks.
func TestEStepSameBits(t *testing.T) {
	type run struct {
		c    CovarianceType
		kern Kernel
	}
	var runs []run
	for _, c := range []CovarianceType{EII, VII, EEI, VEI, EVI, VVI, E, V} {
		runs = append(runs, run{c, KernelGemm})
	}
	for _, c := range []CovarianceType{EEE, VEE, EVE, VVE, EEV, VEV, EVV, VVV} {
		runs = append(runs, run{c, KernelGemm}, run{c, KernelGo})
	}
	const rows = 2500
	for _, r := range runs {
		c := r.c
		d := 5
		if c == E || c == V {
			d = 1
		}
		rng := newRNG(11)
		x := randn(rng, rows, d)
		for i := 0; i < rows; i += 3 {
			for j := 0; j < d; j++ {
				x.Set(i, j, x.At(i, j)+4) // two groups, so that rows are dropped
			}
		}
		m, _, err := Fit(context.Background(), x, Options{K: 4, Covariance: c, Seed: 2, MaxIter: 3, Kernel: r.kern})
		if err != nil {
			t.Fatal(c, err)
		}
		if isDiag := !m.fam.fullScatter(); isDiag != diagPath(m) {
			t.Fatalf("%s: on the diagonal path %v", c, diagPath(m))
		}
		wt := make([]float64, rows)
		for i := range wt {
			wt[i] = 0.5 + rng.Float64()
		}
		for _, w := range [][]float64{nil, wt} {
			fast := m.newStats()
			wk := eWorker{m.newWorker()}
			pf, err := wk.EStep(fast, 0, x, w)
			if err != nil {
				t.Fatal(err)
			}
			slow := m.newStats()
			slow.reset()
			g := m.newWorker()
			raw := x.RawMatrix()
			var ps em.Partial
			for lo := 0; lo < raw.Rows; lo += g.chunk {
				n := min(g.chunk, raw.Rows-lo)
				g.logProb(raw.Data[lo*raw.Stride:], raw.Stride, n)
				var wc []float64
				if w != nil {
					wc = w[lo : lo+n]
				}
				if err := g.absorbRows(&ps, true, n, lo, nil, wc, g.cst, 0, nil); err != nil {
					t.Fatal(err)
				}
				g.absorbStats(slow, n)
			}
			slow.finish()
			same := func(what string, a, b []float64) {
				for i := range a {
					if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
						t.Errorf("%s %s weights=%v: %s[%d] %v, general path %v", c, r.kern, w != nil, what, i, a[i], b[i])
						return
					}
				}
			}
			same("partial", []float64{pf.LogLik, pf.Entropy, pf.Weight}, []float64{ps.LogLik, ps.Entropy, ps.Weight})
			same("n", fast.n, slow.n)
			same("m", fast.m, slow.m)
			same("m2", fast.m2, slow.m2)
		}
	}
}

// TestAxesEStep: the common-orientation path (VEE, EVE, VVE on the Gemm
// kernel) agrees with the Go kernel's distances to rounding, offsets far
// from the origin included, and scores a row the same bits alone as in a
// batch.
func TestAxesEStep(t *testing.T) {
	for _, c := range []CovarianceType{VEE, EVE, VVE} {
		rng := newRNG(5)
		x := randn(rng, 300, 4)
		for i := 0; i < 300; i++ {
			for j := 0; j < 4; j++ {
				x.Set(i, j, 1e4+x.At(i, j)+float64(i%3)*3)
			}
		}
		m, _, err := Fit(context.Background(), x, Options{K: 6, Covariance: c, Seed: 1, MaxIter: 5})
		if err != nil {
			t.Fatal(c, err)
		}
		if _, ok := axesLayout(m); !ok {
			t.Fatalf("%s: not on the axes path", c)
		}
		raw := x.RawMatrix()
		g := m.newWorker()
		m.kernel = KernelGo
		ref := m.newWorker()
		m.kernel = KernelGemm
		n := min(g.chunk, ref.chunk, raw.Rows)
		g.logProb(raw.Data, raw.Stride, n)
		batch := append([]float64(nil), g.lp[:n*m.k]...)
		ref.logProb(raw.Data, raw.Stride, n)
		for i, v := range batch {
			if math.Abs(v-ref.lp[i]) > 1e-9*(1+math.Abs(v)) {
				t.Fatalf("%s: lp[%d] %v, Go kernel %v", c, i, v, ref.lp[i])
			}
		}
		if diagAVX2 { // the AVX2 lanes give the scalar loop's bits
			setDiagAVX2(false)
			g.logProb(raw.Data, raw.Stride, n)
			setDiagAVX2(true)
			for i, v := range batch {
				if math.Float64bits(v) != math.Float64bits(g.lp[i]) {
					t.Fatalf("%s: lp[%d] %v, scalar loop %v", c, i, v, g.lp[i])
				}
			}
		}
		for _, i := range []int{0, 7, n - 1} {
			g.logProb(raw.Data[i*raw.Stride:], raw.Stride, 1)
			for comp := 0; comp < m.k; comp++ {
				if math.Float64bits(g.lp[comp]) != math.Float64bits(batch[i*m.k+comp]) {
					t.Errorf("%s row %d: alone %v, in the batch %v", c, i, g.lp[comp], batch[i*m.k+comp])
				}
			}
		}
	}
}
