package mixture

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/internal/csvio"
	"github.com/latentgo/latent/internal/testutil"
)

// The benchmarks time one EM iteration (E-step over all rows on every core,
// merge, M-step) with full covariances on the shapes of the shared peer
// benchmarks (shared/bench/README.md): medium N = 1e5, D = 10, K = 8 and
// large N = 1e6, D = 16, K = 16. They read NAME.csv and NAME_init.json from
// testutil.BenchDataDir() ($LATENT_BENCH_DATA, default bench-data beside the
// repository: the files scikit-learn is timed on) when present, and otherwise draw data of the same shape in-process
// with a fixed seed, so that CI needs no files. The flop count is
// scikit-learn's nominal 4·N·K·D² per iteration (shared/bench/sklearn_gmm.py);
// latent does about half of those multiply-adds, since its precision factor
// is triangular and its scatter symmetric.

type benchSet struct {
	x     *mat.Dense
	start Params
	k     int
}

var (
	benchMu    sync.Mutex
	benchCache = map[string]*benchSet{}
)

func loadBench(b *testing.B, name string, n, d, k int) *benchSet {
	benchMu.Lock()
	defer benchMu.Unlock()
	if s, ok := benchCache[name]; ok {
		return s
	}
	dir := testutil.BenchDataDir()
	s := readBenchSet(filepath.Join(dir, name))
	if s == nil {
		b.Logf("%s: no %s.csv in %s; drawing synthetic data of the same shape", name, name, dir)
		s = syntheticBench(n, d, k)
	}
	benchCache[name] = s
	return s
}

func readBenchSet(base string) *benchSet {
	f, err := os.Open(base + ".csv")
	if err != nil {
		return nil
	}
	defer f.Close()
	tab, err := csvio.ReadAll(f, csvio.Options{Name: base + ".csv", Header: csvio.HeaderAbsent})
	if err != nil {
		return nil
	}
	raw, err := os.ReadFile(base + "_init.json")
	if err != nil {
		return nil
	}
	var init struct {
		Weights     []float64     `json:"weights"`
		Means       [][]float64   `json:"means"`
		Covariances [][][]float64 `json:"covariances"`
	}
	if json.Unmarshal(raw, &init) != nil {
		return nil
	}
	k, d := len(init.Means), len(init.Means[0])
	s := &benchSet{x: tab.X, k: k, start: Params{Weights: init.Weights, Means: mat.NewDense(k, d, nil)}}
	for i := range init.Means {
		s.start.Means.(*mat.Dense).SetRow(i, init.Means[i])
		c := mat.NewSymDense(d, nil)
		for a := 0; a < d; a++ {
			for bb := a; bb < d; bb++ {
				c.SetSym(a, bb, init.Covariances[i][a][bb])
			}
		}
		s.start.Covariances = append(s.start.Covariances, c)
	}
	return s
}

// syntheticBench draws n rows from k random Gaussians in d dimensions and
// the start of gen_gmm_data.py: uniform weights, means = k rows, every
// covariance the pooled covariance.
func syntheticBench(n, d, k int) *benchSet {
	rng := rand.New(rand.NewPCG(2026, 6))
	x := mat.NewDense(n, d, nil)
	comps := make([]*distmv.Normal, k)
	for c := range comps {
		mu := make([]float64, d)
		for j := range mu {
			mu[j] = 30 * (rng.Float64() - 0.5)
		}
		comps[c], _ = distmv.NewNormal(mu, spd(rng, d, 2), rand.NewPCG(rng.Uint64(), 1))
	}
	for i := 0; i < n; i++ {
		comps[rng.IntN(k)].Rand(x.RawRowView(i))
	}
	s := &benchSet{x: x, k: k, start: Params{Weights: make([]float64, k), Means: mat.NewDense(k, d, nil)}}
	pooled := mat.NewSymDense(d, nil)
	covarianceTo(pooled, x)
	for c := 0; c < k; c++ {
		s.start.Weights[c] = 1 / float64(k)
		s.start.Means.(*mat.Dense).SetRow(c, x.RawRowView(rng.IntN(n)))
		s.start.Covariances = append(s.start.Covariances, pooled)
	}
	return s
}

func benchIteration(b *testing.B, name string, n, d, k int, cov CovarianceType, kern Kernel) {
	s := loadBench(b, name, n, d, k)
	m, err := New(cov, s.start, nil)
	if err != nil {
		b.Fatal(err)
	}
	m.kernel = kern
	n, d = s.x.Dims()
	src := em.Matrix(s.x, nil)
	e := &emModel{m: m, regCovar: DefaultRegCovar}
	ctx := context.Background()
	p, err := em.NewPasser(src, e, em.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, _, err := p.Pass(ctx, true)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := e.MStep(st); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	flops := 4 * float64(n) * float64(k) * float64(d) * float64(d)
	b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkEMIterationFull1e5x10K8 is one full-covariance EM iteration on
// the medium set (scikit-learn: about 0.21 s).
func BenchmarkEMIterationFull1e5x10K8(b *testing.B) {
	benchIteration(b, "medium", 100000, 10, 8, Full, KernelGemm)
}

// BenchmarkEMIterationFullGo1e5x10K8 is the same on the hand-tiled Go
// kernels (Options.Kernel = KernelGo).
func BenchmarkEMIterationFullGo1e5x10K8(b *testing.B) {
	benchIteration(b, "medium", 100000, 10, 8, Full, KernelGo)
}

// BenchmarkEMIterationFull1e6x16K16 is one full-covariance EM iteration on
// the large set (scikit-learn: about 8.5 s).
func BenchmarkEMIterationFull1e6x16K16(b *testing.B) {
	benchIteration(b, "large", 1000000, 16, 16, Full, KernelGemm)
}

// BenchmarkEMIterationFullGo1e6x16K16 is the same on the hand-tiled Go
// kernels.
func BenchmarkEMIterationFullGo1e6x16K16(b *testing.B) {
	benchIteration(b, "large", 1000000, 16, 16, Full, KernelGo)
}

// BenchmarkEMIterationDiag1e6x16K16 is the same with diagonal covariances
// (scikit-learn: 2.0–2.8 s).
func BenchmarkEMIterationDiag1e6x16K16(b *testing.B) {
	benchIteration(b, "large", 1000000, 16, 16, Diag, KernelGemm)
}
