package mixture

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/latentgo/latent/internal/testutil"
)

// The streamed grid reads its source once per iteration of the longest
// candidate, not once per iteration of every candidate, and each candidate
// ends with the bits of FitSource of that candidate alone (and so of the
// in-memory Select's row).
func TestSelectSourceOneScanPerIteration(t *testing.T) {
	d := randomData(newRNG(70), 3000, 3, 3, 8, Full)
	so := SelectOptions{Ks: []int{1, 2, 3, 4, 5, 6, 7, 8, 9}, Options: Options{BlockRows: 500, Seed: 3, NInit: 2, MaxIter: 30}}
	src := &copySource{x: d.x}
	m, rep, sel, err := SelectSource(context.Background(), src, d.x, so)
	if err != nil {
		t.Fatal(err)
	}
	if len(sel.Candidates) != 36 {
		t.Fatalf("%d candidates, want 36", len(sel.Candidates))
	}
	// The in-memory selection: the same table, to the bit.
	_, wrep, wsel, err := Select(context.Background(), d.x, so)
	if err != nil {
		t.Fatal(err)
	}
	if wsel.Best != sel.Best || wrep.LogLikelihood != rep.LogLikelihood {
		t.Errorf("best %d (%v), in memory %d (%v)", sel.Best, rep.LogLikelihood, wsel.Best, wrep.LogLikelihood)
	}
	most, sum := 0, 0
	for i, c := range sel.Candidates {
		w := wsel.Candidates[i]
		if c.K != w.K || c.Covariance != w.Covariance || c.Error != w.Error || c.LogLikelihood != w.LogLikelihood || c.BIC != w.BIC || c.ICL != w.ICL || c.Model != w.Model || c.Status != w.Status || c.TotalLogLik != w.TotalLogLik || c.Iterations != w.Iterations {
			t.Errorf("candidate %d: streamed %+v, in memory %+v", i, c, w)
		}
		if c.Error != "" {
			continue
		}
		// Alone, streamed: the same bits and its number of passes.
		o := so.Options
		o.K, o.Covariance = c.K, c.Covariance
		alone := &copySource{x: d.x}
		am, arep, err := FitSource(context.Background(), alone, d.x, o)
		if err != nil {
			t.Fatal(err)
		}
		if arep.LogLikelihood != c.LogLikelihood {
			t.Errorf("%s K=%d: alone %v, in the grid %v", c.Covariance, c.K, arep.LogLikelihood, c.LogLikelihood)
		}
		if i == sel.Best && (!bitsEqual(am.means, m.means) || !bitsEqual(am.covs, m.covs)) {
			t.Errorf("the best model's parameters differ from its fit alone")
		}
		most, sum = max(most, alone.passes), sum+alone.passes
	}
	if src.passes != most+1 {
		t.Errorf("%d scans of the source, want %d (the longest candidate's passes and one for every candidate's ICL; %d for separate fits)", src.passes, most+1, sum)
	}
	t.Logf("%d scans for the grid; %d for 36 separate fits", src.passes, sum)
}

// On the medium set of shared/bench (1e5 × 10), the grid K = 1…9 × four
// covariance types reads the file once per iteration of its longest
// candidate: the scans are the most passes of one candidate, not their sum
// over the 36.
func TestSelectSourceMediumLong(t *testing.T) {
	testutil.Long(t, "the 36-candidate streamed grid on the 1e5 × 10 bench set (about a minute)")
	s := readBenchSet(filepath.Join(testutil.BenchDataDir(), "medium"))
	if s == nil {
		t.Skipf("no medium.csv in %s: run shared/bench/gen_gmm_data.py", testutil.BenchDataDir())
	}
	src := &copySource{x: s.x}
	_, _, sel, err := SelectSource(context.Background(), src, s.x, SelectOptions{Ks: []int{1, 2, 3, 4, 5, 6, 7, 8, 9}, Options: Options{Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	most, sum := 0, 0
	for _, c := range sel.Candidates {
		if c.Error != "" {
			t.Fatalf("%s K=%d failed: %s", c.Covariance, c.K, c.Error)
		}
		most, sum = max(most, c.Iterations+1), sum+c.Iterations+1
	}
	t.Logf("%d scans of the file for 36 candidates; separate streamed fits would read it %d times", src.passes, sum)
	if src.passes != most {
		t.Errorf("%d scans, want %d", src.passes, most)
	}
}
