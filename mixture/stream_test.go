package mixture

import (
	"context"
	"io"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/internal/testutil"
)

// copySource hands out its rows by copying them into the caller's buffer,
// as a file read block by block does, and counts its passes.
type copySource struct {
	x      *mat.Dense
	passes int
}

func (s *copySource) Dim() int { _, c := s.x.Dims(); return c }
func (s *copySource) Blocks(rows int) (em.BlockIter, error) {
	s.passes++
	return &copyIter{s: s, step: rows}, nil
}

type copyIter struct {
	s          *copySource
	next, step int
}

func (it *copyIter) Next(buf *mat.Dense, _ []float64) (*mat.Dense, []float64, error) {
	n, d := it.s.x.Dims()
	if it.next >= n {
		return nil, nil, io.EOF
	}
	hi := min(it.next+it.step, n)
	blk := buf.Slice(0, hi-it.next, 0, d).(*mat.Dense)
	blk.Copy(it.s.x.Slice(it.next, hi, 0, d))
	it.next = hi
	return blk, nil, nil
}
func (it *copyIter) Close() error { return nil }

// A streamed fit reads its source once per E-step and gives the bits of the
// in-memory fit of the same rows, from a given start and from k-means on the
// same rows.
func TestFitSourceMatchesFit(t *testing.T) {
	d := randomData(newRNG(60), 9000, 3, 2, 10, Full)
	for _, c := range CovarianceTypes {
		o := Options{K: 3, Covariance: c, BlockRows: 1000, Seed: 4, NInit: 2}
		want, wrep := fitted(t, d.x, o)
		src := &copySource{x: d.x}
		got, grep, err := FitSource(context.Background(), src, d.x, o)
		if err != nil {
			t.Fatal(err)
		}
		if !bitsEqual(got.means, want.means) || !bitsEqual(got.covs, want.covs) || grep.LogLikelihood != wrep.LogLikelihood || grep.Rows != 9000 {
			t.Errorf("%s: the streamed fit differs", c)
		}
		// n_init starts × (iterations + the final E-step).
		passes := 0
		for _, s := range grep.Starts {
			passes += s.Iterations + 1
		}
		if src.passes != passes {
			t.Errorf("%s: %d passes over the source, want %d", c, src.passes, passes)
		}
	}
	// A complete start needs no sample.
	m, _ := fitted(t, d.x, Options{K: 3, MaxIter: em.NoIterations})
	start := &Params{Weights: m.Weights(nil), Means: m.Means(nil)}
	for k := 0; k < 3; k++ {
		start.Covariances = append(start.Covariances, m.Covariance(nil, k))
	}
	if _, _, err := FitSource(context.Background(), &copySource{x: d.x}, nil, Options{K: 3, Start: start}); err != nil {
		t.Error(err)
	}
	_, _, err := FitSource(context.Background(), &copySource{x: d.x}, nil, Options{K: 3})
	wantErr(t, "no sample", err, "give a sample for the kmeans initialisation")
}

// The matrix-product path (kernel_gemm.go) and the hand-tiled kernels agree
// to rounding, for the shapes of the benchmarks; Options.Kernel chooses
// one, for the fit and for the fitted model's methods.
func TestGemmPathAgrees(t *testing.T) {
	for _, c := range []CovarianceType{Full, Tied} {
		d := randomData(newRNG(61), 3000, 4, 16, 10, Full)
		a, ra := fitted(t, d.x, Options{K: 4, Covariance: c, MaxIter: 5, Tol: em.NoTol, Seed: 2, Kernel: KernelGo})
		if a.newWorker().gemm {
			t.Fatal("KernelGo chose the Gemm path")
		}
		b, rb := fitted(t, d.x, Options{K: 4, Covariance: c, MaxIter: 5, Tol: em.NoTol, Seed: 2})
		if !b.newWorker().gemm {
			t.Fatal("the default kernel is not the Gemm path")
		}
		if math.Abs(ra.LogLikelihood-rb.LogLikelihood) > 1e-12*math.Abs(ra.LogLikelihood) || testutil.MaxAbsDiff(a.covs, b.covs) > 1e-9 {
			t.Errorf("%s: Go kernels %v, Gemm %v", c, ra.LogLikelihood, rb.LogLikelihood)
		}
		// The model scores with its fit's kernel: its log-likelihood is
		// the mean of its scores, to the bit for each kernel.
		for _, m := range []*Model{a, b} {
			s, err := m.Score(d.x, nil)
			if err != nil {
				t.Fatal(err)
			}
			if s != m.LogLikelihood() {
				t.Errorf("%s, kernel %q: Score %v, LogLikelihood %v", c, m.kernel, s, m.LogLikelihood())
			}
		}
	}
	if _, _, err := Fit(context.Background(), mat.NewDense(2, 1, []float64{0, 1}), Options{Kernel: "blas"}); err == nil || !strings.Contains(err.Error(), `Options.Kernel "blas"`) {
		t.Errorf("an unknown kernel: %v, want an error naming Options.Kernel", err)
	}
}
