package beam

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	abeam "github.com/apache/beam/sdks/v2/go/pkg/beam"
	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/mixture"
	"github.com/latentgo/latent/table"
)

func TestMain(m *testing.M) {
	flag.Parse()
	if !testing.Verbose() {
		// prism logs every job at INFO, and the failing jobs of the error
		// tests at ERROR.
		slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	}
	abeam.Init()
	os.Exit(m.Run())
}

// threeBlobs returns n rows of three well-separated 3-D Gaussian blobs.
func threeBlobs(n int, seed uint64) *mat.Dense {
	rng := rand.New(rand.NewPCG(seed, 18))
	x := mat.NewDense(n, 3, nil)
	for i := range n {
		c := float64(rng.IntN(3))
		for j := range 3 {
			x.Set(i, j, 4*c*float64(j+1)/3+rng.NormFloat64())
		}
	}
	return x
}

// writeShards writes the rows of x to CSV files of the given sizes in dir
// and returns their glob.
func writeShards(t *testing.T, dir string, x *mat.Dense, sizes []int) string {
	t.Helper()
	_, d := x.Dims()
	lo := 0
	for i, n := range sizes {
		var b strings.Builder
		part := mat.DenseCopyOf(x.Slice(lo, lo+n, 0, d))
		if n == 0 {
			b.WriteString("a,b,c\n")
		} else if err := table.WriteCSV(&b, &table.Table{Columns: []string{"a", "b", "c"}, X: part}); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "part-"+string(rune('a'+i))+".csv"), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		lo += n
	}
	return filepath.Join(dir, "part-*.csv")
}

func bitsEqual(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// params returns a model's weights, means and covariances as one slice.
func params(m *mixture.Model) []float64 {
	v := m.Weights(nil)
	v = append(v, m.Means(nil).RawMatrix().Data...)
	for k := range m.K() {
		c := m.Covariance(nil, k)
		for i := range m.Dim() {
			for j := range m.Dim() {
				v = append(v, c.At(i, j))
			}
		}
	}
	return v
}

// TestFitGMMBits: the pipelines on prism give mixture.Fit's bits on the
// concatenated shards, with blocks that span shards (a shard of one row
// inside a block, an empty shard) and two starts.
func TestFitGMMBits(t *testing.T) {
	x := threeBlobs(1500, 1)
	glob := writeShards(t, t.TempDir(), x, []int{700, 1, 0, 555, 244})
	o := mixture.Options{K: 3, Seed: 5, NInit: 2, BlockRows: 128, MaxIter: 30, Tol: 1e-6}
	want, wrep, err := mixture.Fit(context.Background(), x, o)
	if err != nil {
		t.Fatal(err)
	}
	got, grep, res, err := FitGMM(context.Background(), []string{glob}, Options{Mixture: o})
	if err != nil {
		t.Fatal(err)
	}
	if grep.Iterations != wrep.Iterations || grep.Rows != wrep.Rows ||
		math.Float64bits(grep.LogLikelihood) != math.Float64bits(wrep.LogLikelihood) {
		t.Errorf("got %d iterations, %d rows, log-likelihood %v; want %d, %d, %v",
			grep.Iterations, grep.Rows, grep.LogLikelihood, wrep.Iterations, wrep.Rows, wrep.LogLikelihood)
	}
	if !bitsEqual(params(got), params(want)) {
		t.Errorf("the parameters differ from mixture.Fit's")
	}
	if n := len(res.Shards); n != 5 {
		t.Errorf("read %d shards, want 5", n)
	}
	// One scan, then per start one E-step per iteration and a final one.
	if want := 1 + grep.Starts[0].Iterations + grep.Starts[1].Iterations + 2; res.Pipelines != want {
		t.Errorf("ran %d pipelines, want %d", res.Pipelines, want)
	}
}

// TestFitGMMErrors: bad input fails the job with the shard's name and
// line, and an empty glob fails before any pipeline runs.
func TestFitGMMErrors(t *testing.T) {
	dir := t.TempDir()
	x := threeBlobs(60, 2)
	glob := writeShards(t, dir, x, []int{30, 30})
	bad := filepath.Join(dir, "part-b.csv")
	b, _ := os.ReadFile(bad)
	lines := strings.Split(string(b), "\n")
	lines[4] = "1,oops,3"
	os.WriteFile(bad, []byte(strings.Join(lines, "\n")), 0o644)
	_, _, _, err := FitGMM(context.Background(), []string{glob}, Options{Mixture: mixture.Options{K: 2}})
	if err == nil || !strings.Contains(err.Error(), "part-b.csv:5") {
		t.Errorf("a malformed row: got %v, want an error naming part-b.csv:5", err)
	}
	_, _, res, err := FitGMM(context.Background(), []string{filepath.Join(dir, "none-*.csv")}, Options{})
	if err == nil || !strings.Contains(err.Error(), "matches no file") || res != nil {
		t.Errorf("an empty glob: got %v (result %v), want a 'matches no file' error before any pipeline", err, res)
	}
	os.WriteFile(bad, []byte("a,b\n1,2\n"), 0o644)
	_, _, _, err = FitGMM(context.Background(), []string{glob}, Options{Mixture: mixture.Options{K: 2}})
	if err == nil || !strings.Contains(err.Error(), "part-b.csv") {
		t.Errorf("a shard with other columns: got %v, want an error naming part-b.csv", err)
	}
}
