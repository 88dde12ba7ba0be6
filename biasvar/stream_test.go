package biasvar_test

import (
	"context"
	"math/rand/v2"
	"reflect"
	"runtime"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/biasvar"
	"github.com/latentgo/latent/internal/testutil"
)

// A streamed run gives the stored run's terms (up to rounding: running
// moments against two-pass sums), its check holds, and its bits do not
// depend on the number of workers.
func TestStreamMatchesStored(t *testing.T) {
	p := biasvar.Sine(30, 0.3)
	l := biasvar.KNN{K: 3}
	stored, err := biasvar.Decompose(context.Background(), p, l, biasvar.Options{Rounds: 200, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	var reps []*biasvar.Report
	for _, w := range []int{1, 3} {
		r, err := biasvar.Decompose(context.Background(), p, l, biasvar.Options{Rounds: 200, Seed: 2, Stream: true, Workers: w})
		if err != nil {
			t.Fatal(err)
		}
		reps = append(reps, r)
	}
	s := reps[0]
	if !reflect.DeepEqual(s.Totals, reps[1].Totals) || !reflect.DeepEqual(s.Bias2, reps[1].Bias2) {
		t.Errorf("streamed totals differ between 1 and 3 workers: %+v vs %+v", s.Totals, reps[1].Totals)
	}
	testutil.AssertClose(t, "error", s.Totals.Error.Value, stored.Totals.Error.Value, 1e-14, 1e-12)
	testutil.AssertClose(t, "bias²", s.Totals.Bias2.Value, stored.Totals.Bias2.Value, 1e-14, 1e-10)
	testutil.AssertClose(t, "variance", s.Totals.Variance.Value, stored.Totals.Variance.Value, 1e-14, 1e-10)
	testutil.AssertCloseSlice(t, "per-point variance", s.Variance, stored.Variance, 1e-14, 1e-9)
	testutil.AssertCloseSlice(t, "mean prediction", s.MeanPrediction, stored.MeanPrediction, 1e-14, 1e-12)
	if !reflect.DeepEqual(s.Fits, stored.Fits) {
		t.Error("streamed fits differ")
	}
	// The group jackknife's standard errors are the delete-one's within
	// a factor 2 (20 groups: about a third relative spread).
	for _, c := range []struct {
		name   string
		got, w float64
	}{{"bias² SE", s.Totals.Bias2.StdErr, stored.Totals.Bias2.StdErr}, {"variance SE", s.Totals.Variance.StdErr, stored.Totals.Variance.StdErr}} {
		if !(c.got > c.w/2 && c.got < 2*c.w) {
			t.Errorf("%s: streamed %v, stored %v", c.name, c.got, c.w)
		}
	}
	if !s.Check.OK {
		t.Errorf("check %+v", s.Check)
	}
	if _, err := biasvar.Decompose(context.Background(), biasvar.TwoGaussians(20), biasvar.KNNClassifier{}, biasvar.Options{Stream: true, Loss: biasvar.LogLoss}); err == nil {
		t.Error("a streamed log-loss run accepted")
	}
	// Zero-one: the counts are exact, so the streamed run is the stored
	// one, bit for bit.
	c := biasvar.TwoGaussians(30)
	zs, err := biasvar.Decompose(context.Background(), c, biasvar.KNNClassifier{K: 5}, biasvar.Options{Rounds: 70, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	zt, err := biasvar.Decompose(context.Background(), c, biasvar.KNNClassifier{K: 5}, biasvar.Options{Rounds: 70, Seed: 3, Stream: true, Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	samePoints(t, zt, zs)
}

// constLearner predicts a constant without allocating, so that the
// allocations measured are the decomposer's.
type constLearner struct{}

type constModel struct{ v float64 }

func (m *constModel) Predict([]float64) float64 { return m.v }

func (constLearner) Fit(_ *mat.Dense, y []float64, _ *rand.Rand) (biasvar.Model, error) {
	return &constModel{y[0]}, nil
}

// allocated returns the bytes a streamed run of R rounds on m test points
// allocates in all.
func allocated(t *testing.T, R, m int) uint64 {
	p := biasvar.Sine(5, 0.3)
	p.SetNTest(m)
	runtime.GC()
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	if _, err := biasvar.Decompose(context.Background(), p, constLearner{}, biasvar.Options{Rounds: R, Seed: 1, Stream: true, Workers: 2, Fits: -1}); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// Memory stays flat: ten times the rounds allocate (in all, not just at
// the peak) far less than one round's row per extra round would, and far
// less than the stored matrix.
func TestStreamMemoryFlat(t *testing.T) {
	const m = 2000
	small, big := allocated(t, 200, m), allocated(t, 2000, m)
	matrix := uint64(2000 * m * 16) // what the stored run holds: prediction and error
	t.Logf("allocated: %d rounds %.2f MB, %d rounds %.2f MB; the stored matrix would be %.1f MB", 200, float64(small)/1e6, 2000, float64(big)/1e6, float64(matrix)/1e6)
	if big > 2*small || big > matrix/10 {
		t.Errorf("a streamed run of 2000 rounds allocated %d bytes (200 rounds: %d; the matrix: %d)", big, small, matrix)
	}
}

// The figure: 100,000 rounds × 10,000 test points.
func TestStreamMemoryLarge(t *testing.T) {
	testutil.Long(t, "a streamed run of 100,000 rounds × 10,000 test points")
	got := allocated(t, 100000, 10000)
	t.Logf("100000 rounds × 10000 test points: %.1f MB allocated in all (the stored matrix: %.1f GB)", float64(got)/1e6, 100000*10000*16/1e9)
	if got > 100<<20 {
		t.Errorf("allocated %d bytes", got)
	}
}
