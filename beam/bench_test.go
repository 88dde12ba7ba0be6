package beam

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/mixture"
	"github.com/latentgo/latent/table"
)

// benchMedium reads the bench set 1e5 × 10, K = 8 (LATENT_BENCH_DATA, by
// default /work/bench-data; made by ../shared/bench/gen_gmm_data.py) and
// writes it as 8 CSV shards; it skips when the set is absent.
func benchMedium(b *testing.B) (*table.Table, string) {
	b.Helper()
	dir := os.Getenv("LATENT_BENCH_DATA")
	if dir == "" {
		dir = "/work/bench-data"
	}
	t, err := table.Read(filepath.Join(dir, "medium.csv"), table.Options{})
	if err != nil {
		b.Skipf("the bench set: %v", err)
	}
	out := b.TempDir()
	n, _ := t.X.Dims()
	per := n / 8
	for i := range 8 {
		var s strings.Builder
		part := &table.Table{Columns: t.Columns, X: rowsOf(t, i*per, min(n, (i+1)*per))}
		if err := table.WriteCSV(&s, part); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, "part-"+string(rune('0'+i))+".csv"), []byte(s.String()), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return t, filepath.Join(out, "part-*.csv")
}

// benchOptions run exactly 5 EM iterations (6 E-steps) from a cheap start.
var benchOptions = mixture.Options{K: 8, Seed: 1, Init: mixture.InitRandomFromData, MaxIter: 5, Tol: em.NoTol}

// BenchmarkFitPrism1e5x10K8Iter5 is a fit of 5 iterations on prism: one
// scan and 6 E-step pipelines over 8 shards. Compare with
// BenchmarkFitLocal1e5x10K8Iter5 (the target: ≤ 3× per iteration).
func BenchmarkFitPrism1e5x10K8Iter5(b *testing.B) {
	_, glob := benchMedium(b)
	for b.Loop() {
		if _, _, _, err := FitGMM(context.Background(), []string{glob}, Options{Mixture: benchOptions}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFitLocal1e5x10K8Iter5 is the same fit in memory (mixture.Fit),
// reading the CSV file once per fit as the pipelines read the shards.
func BenchmarkFitLocal1e5x10K8Iter5(b *testing.B) {
	benchMedium(b)
	dir := os.Getenv("LATENT_BENCH_DATA")
	if dir == "" {
		dir = "/work/bench-data"
	}
	for b.Loop() {
		t, err := table.Read(filepath.Join(dir, "medium.csv"), table.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := mixture.Fit(context.Background(), t.X, benchOptions); err != nil {
			b.Fatal(err)
		}
	}
}

func rowsOf(t *table.Table, lo, hi int) *mat.Dense {
	_, d := t.X.Dims()
	return mat.DenseCopyOf(t.X.Slice(lo, hi, 0, d))
}
