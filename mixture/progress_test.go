package mixture

import (
	"context"
	"testing"
)

// A fit's progress counts its EM iterations over all starts, out of
// MaxIter × NInit; a selection's counts its fits and names each.
func TestProgress(t *testing.T) {
	d := randomData(newRNG(73), 400, 2, 2, 10, Full)
	var got []Progress
	_, rep := fitted(t, d.x, Options{K: 2, NInit: 3, Seed: 1, Progress: func(p Progress) { got = append(got, p) }})
	iters := 0
	for _, s := range rep.Starts {
		iters += s.Iterations
	}
	if len(got) != iters {
		t.Fatalf("%d calls, want one per iteration (%d)", len(got), iters)
	}
	for i, p := range got {
		if p.Done != i+1 || p.Total != 300 || p.Candidate != nil || p.EM.Inits != 3 {
			t.Errorf("call %d: got done %d of %d, inits %d, candidate %v; want %d of 300, 3, nil", i, p.Done, p.Total, p.EM.Inits, p.Candidate, i+1)
		}
	}
	if last := got[len(got)-1]; last.EM.Init != 2 || last.EM.Iter != rep.Starts[2].Iterations {
		t.Errorf("last call: start %d iteration %d, want start 2 iteration %d", last.EM.Init, last.EM.Iter, rep.Starts[2].Iterations)
	}

	var sel []Progress
	inner := 0
	_, _, s, err := Select(context.Background(), d.x, SelectOptions{Ks: []int{1, 2, 3}, Covariances: []CovarianceType{Diag, Tied},
		Options:  Options{Progress: func(Progress) { inner++ }},
		Progress: func(p Progress) { sel = append(sel, p) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(sel) != 6 || inner == 0 {
		t.Fatalf("%d calls for 6 fits, %d of the fits' own; want 6 and some", len(sel), inner)
	}
	for i, p := range sel {
		if p.Done != i+1 || p.Total != 6 || p.Candidate == nil || *p.Candidate != s.Candidates[i] {
			t.Errorf("fit %d: got done %d of %d, candidate %+v; want %d of 6, %+v", i, p.Done, p.Total, p.Candidate, i+1, s.Candidates[i])
		}
	}
}
