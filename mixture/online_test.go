package mixture

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/internal/testutil"
)

// onlineGap fits x by batch EM and by online EM (passes passes in batches
// of batch rows, default step sizes) and returns the batch fit's mean
// log-likelihood minus the online one's, and the online report.
func onlineGap(t *testing.T, src em.Source, batchLL float64, batch, passes int, o Options) (float64, *OnlineReport) {
	t.Helper()
	_, rep, err := FitOnline(context.Background(), src, batch, passes, OnlineOptions{Options: o})
	if err != nil {
		t.Fatal(err)
	}
	return batchLL - rep.LogLikelihood, rep
}

// shuffled returns the rows of x in a random order: randomData draws them
// component by component, and online EM needs batches drawn from the whole
// distribution (see Online).
func shuffled(x *mat.Dense, seed uint64) *mat.Dense {
	n, d := x.Dims()
	out := mat.NewDense(n, d, nil)
	for i, j := range newRNG(seed).Perm(n) {
		out.SetRow(i, x.RawRowView(j))
	}
	return out
}

// Online EM reaches the batch fit's mean log-likelihood within 1e-3 per
// row in 3 passes, here on a small set (the long test below does the
// 1e5 × 10, K = 8 set), and gets the same bits on any number of workers.
func TestOnlineReachesBatchFit(t *testing.T) {
	d := randomData(newRNG(71), 20000, 4, 3, 8, Full)
	d.x = shuffled(d.x, 1)
	o := Options{K: 4, Seed: 5}
	_, rep, err := Fit(context.Background(), d.x, o)
	if err != nil {
		t.Fatal(err)
	}
	gap, orep := onlineGap(t, em.Matrix(d.x, nil), rep.LogLikelihood, 1000, 3, o)
	t.Logf("batch %.6f, online %.6f (passes %v)", rep.LogLikelihood, orep.LogLikelihood, orep.PassLogLik)
	if math.Abs(gap) > 1e-3 || orep.Batches != 60 || orep.Rows != 20000 {
		t.Errorf("online EM: %.6f after %d batches, batch EM %.6f (gap %.2e, want ≤ 1e-3)", orep.LogLikelihood, orep.Batches, rep.LogLikelihood, gap)
	}
	// The passes improve, and one pass is not yet there.
	if len(orep.PassLogLik) != 3 || !(orep.PassLogLik[2] > orep.PassLogLik[0]) {
		t.Errorf("pass log-likelihoods %v do not rise", orep.PassLogLik)
	}
	// Bits for a seed on any number of workers, and a stream of copied
	// blocks gives the bits of the matrix.
	for _, w := range []int{1, 3} {
		o2 := o
		o2.Workers = w
		m1, r1, err := FitOnline(context.Background(), &copySource{x: d.x}, 1000, 3, OnlineOptions{Options: o2})
		if err != nil {
			t.Fatal(err)
		}
		if r1.LogLikelihood != orep.LogLikelihood {
			t.Errorf("%d workers: %v, want the bits %v", w, r1.LogLikelihood, orep.LogLikelihood)
		}
		if s, err := m1.Score(d.x, nil); err != nil || s != r1.LogLikelihood {
			t.Errorf("the model's Score %v (%v), the report's %v", s, err, r1.LogLikelihood)
		}
	}
}

// Every covariance family steps its statistics and runs its own M-step:
// each comes within 5e-3 per row of its batch fit (12,000 rows: the
// mclust models EEV and VEV are the farthest, near 3e-3).
func TestOnlineEveryFamily(t *testing.T) {
	d := randomData(newRNG(72), 12000, 3, 2, 8, Full)
	d.x = shuffled(d.x, 2)
	for _, c := range append(append([]CovarianceType{}, CovarianceTypes...), MclustModels...) {
		o := Options{K: 3, Covariance: c, Seed: 2}
		_, rep, err := Fit(context.Background(), d.x, o)
		if err != nil {
			t.Fatal(c, err)
		}
		gap, orep := onlineGap(t, em.Matrix(d.x, nil), rep.LogLikelihood, 1000, 3, o)
		if math.Abs(gap) > 5e-3 || orep.Covariance != c.orDefault() {
			t.Errorf("%s: online %.6f, batch %.6f (gap %.2e)", c, orep.LogLikelihood, rep.LogLikelihood, gap)
		}
	}
	x1 := d.x.Slice(0, 12000, 0, 1)
	for _, c := range MclustModels1D {
		o := Options{K: 2, Covariance: c, Seed: 2}
		_, rep, err := Fit(context.Background(), x1, o)
		if err != nil {
			t.Fatal(c, err)
		}
		if gap, _ := onlineGap(t, em.Matrix(x1, nil), rep.LogLikelihood, 1000, 3, o); math.Abs(gap) > 5e-3 {
			t.Errorf("%s: gap %.2e", c, gap)
		}
	}
}

// PartialFit: the step sizes, bad options named, a bad batch leaves the
// model as it was.
func TestPartialFit(t *testing.T) {
	f, err := NewOnline(OnlineOptions{Options: Options{K: 2}})
	if err != nil {
		t.Fatal(err)
	}
	if f.Model() != nil || !math.IsNaN(f.LastLogLik()) {
		t.Error("a model before the first batch")
	}
	if f.Step(1) != 1 || f.Step(2) != math.Pow(12, -0.7) {
		t.Errorf("steps %v, %v; want 1 and 12^-0.7", f.Step(1), f.Step(2))
	}
	d := randomData(newRNG(73), 600, 2, 2, 8, Full)
	d.x = shuffled(d.x, 3)
	for i := 0; i < 3; i++ {
		if err := f.PartialFit(context.Background(), d.x.Slice(i*200, (i+1)*200, 0, 2), nil); err != nil {
			t.Fatal(err)
		}
	}
	before := f.Model()
	nan := mat.DenseCopyOf(d.x.Slice(0, 10, 0, 2))
	nan.Set(3, 1, math.NaN())
	err = f.PartialFit(context.Background(), nan, nil)
	wantErr(t, "NaN batch", err, "the batch contains NaN at row 4, column 2")
	if after := f.Model(); !bitsEqual(after.means, before.means) || f.Batches() != 3 {
		t.Error("a refused batch changed the model")
	}
	for _, c := range []struct {
		o    OnlineOptions
		want string
	}{
		{OnlineOptions{Alpha: 0.5}, "Alpha 0.5 is outside (0.5, 1]"},
		{OnlineOptions{Alpha: 1.5}, "Alpha 1.5 is outside (0.5, 1]"},
		{OnlineOptions{T0: -1}, "T0 -1 must be a finite number > 0"},
		{OnlineOptions{Options: Options{Missing: true}}, "Options.Missing is not supported by online EM"},
		{OnlineOptions{Options: Options{K: -1}}, "Options.K"},
	} {
		_, err := NewOnline(c.o)
		wantErr(t, c.want, err, c.want)
	}
}

// The target on the 1e5 × 10, K = 8 set of shared/bench: within
// 1e-3 per row of the batch fit in 3 passes, batches of 1000 rows.
func TestOnlineMediumLong(t *testing.T) {
	testutil.Long(t, "online EM on the 1e5 × 10 bench set (about 10 s)")
	s := readBenchSet(filepath.Join(testutil.BenchDataDir(), "medium"))
	if s == nil {
		t.Skipf("no medium.csv in %s: run shared/bench/gen_gmm_data.py", testutil.BenchDataDir())
	}
	o := Options{K: 8, Seed: 1}
	_, rep, err := Fit(context.Background(), s.x, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, batch := range []int{1000, 5000} {
		gap, orep := onlineGap(t, em.Matrix(s.x, nil), rep.LogLikelihood, batch, 3, o)
		t.Logf("batch %d: online %.6f, batch EM %.6f, gap %.2e; passes %v", batch, orep.LogLikelihood, rep.LogLikelihood, gap, orep.PassLogLik)
		if math.Abs(gap) > 1e-3 {
			t.Errorf("batch %d: gap %.2e > 1e-3", batch, gap)
		}
	}
}
