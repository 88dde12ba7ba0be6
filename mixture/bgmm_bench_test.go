package mixture

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/internal/testutil"
)

// benchLabels reads NAME_labels.csv (one 0-based label per line) of the
// shared benchmark data, or returns nil.
func benchLabels(name string, n int) []int {
	f, err := os.Open(filepath.Join(testutil.BenchDataDir(), name+"_labels.csv"))
	if err != nil {
		return nil
	}
	defer f.Close()
	var labels []int
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		v, err := strconv.Atoi(strings.TrimSpace(sc.Text()))
		if err != nil {
			return nil
		}
		labels = append(labels, v)
	}
	if len(labels) != n {
		return nil
	}
	return labels
}

// benchBayesIteration times one variational iteration (the E-step over all
// rows on every core, the merge, the update of q(θ), scikit-learn's lower
// bound and the full ELBO) from the update of q(θ) after the set's true
// labels (NAME_labels.csv; k-means-free, so both sides start alike: see
// testdata/bgmm/bench_vs_sklearn.sh). Without the shared files it draws
// data of the same shape, labelled by nearest mean.
func benchBayesIteration(b *testing.B, name string, n, d, k int, cov CovarianceType) {
	s := loadBench(b, name, n, d, k)
	rows, _ := s.x.Dims()
	labels := benchLabels(name, rows)
	if labels == nil {
		m, err := New(Full, s.start, nil)
		if err != nil {
			b.Fatal(err)
		}
		if labels, err = m.Predict(nil, s.x); err != nil {
			b.Fatal(err)
		}
	}
	bm, _, err := FitBayes(context.Background(), s.x, BayesOptions{K: s.k, Covariance: cov, StartResp: oneHotResp(labels, s.k), MaxIter: em.NoIterations})
	if err != nil {
		b.Fatal(err)
	}
	p, err := em.NewPasser(em.Matrix(s.x, nil), bayesPass{bm, bm.prior.Mean}, em.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	shift := make([]float64, len(bm.vb.means))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, part, err := p.Pass(ctx, true)
		if err != nil {
			b.Fatal(err)
		}
		s := st.(*stats)
		copy(shift, bm.vb.means)
		if err := bm.update(s, DefaultRegCovar, "bench"); err != nil {
			b.Fatal(err)
		}
		bm.lowerBound = bm.sklearnBound(part.Entropy)
		bm.elbo = bm.fullELBO(s, shift, part.Entropy).ELBO
	}
	b.StopTimer()
	flops := 4 * float64(rows) * float64(k) * float64(d) * float64(d)
	b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkBGMMIterationFull1e5x10K8 is one variational iteration of a
// full-covariance Bayesian mixture on the medium set (N = 1e5, D = 10,
// K = 8); testdata/bgmm/bench_vs_sklearn.sh times scikit-learn's
// BayesianGaussianMixture beside it.
func BenchmarkBGMMIterationFull1e5x10K8(b *testing.B) {
	benchBayesIteration(b, "medium", 100000, 10, 8, Full)
}

// BenchmarkBGMMIterationDiag1e5x10K8 is the same with diagonal
// covariances.
func BenchmarkBGMMIterationDiag1e5x10K8(b *testing.B) {
	benchBayesIteration(b, "medium", 100000, 10, 8, Diag)
}
