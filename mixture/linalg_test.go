package mixture

import (
	"context"
	"fmt"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/fastblas"
)

// withBLAS runs f with fastblas installed as gonum's BLAS (on) or gonum's
// own, and restores the program's choice.
func withBLAS(on bool, f func()) {
	was := fastblas.Enabled()
	defer func() {
		if was {
			fastblas.Enable()
		} else {
			fastblas.Disable()
		}
	}()
	if on {
		fastblas.Enable()
	} else {
		fastblas.Disable()
	}
	f()
}

// cholesky and invertSPD are LAPACK's dpotrf and dpotri as gonum computes
// them with fastblas installed, to the bit, and give those bits whichever
// BLAS is installed: below and above the block size of 64, where the
// blocked code's rank-k updates run on fastblas.
func TestCholeskyBitsWhateverBLAS(t *testing.T) {
	for _, d := range []int{1, 5, 64, 65, 100, 150} {
		s := spd(newRNG(uint64(d)), d, 3).RawSymmetric()
		a := make([]float64, d*d)
		for i := 0; i < d; i++ {
			for j := 0; j < d; j++ {
				a[i*d+j] = s.Data[i*s.Stride+j]
			}
		}
		var ref, refInv []float64
		withBLAS(true, func() {
			ref = append([]float64(nil), a...)
			if _, ok := lapack64.Potrf(blas64.Symmetric{Uplo: blas.Lower, N: d, Stride: d, Data: ref}); !ok {
				t.Fatalf("d = %d: Potrf failed", d)
			}
			inv := append([]float64(nil), ref...)
			tri := blas64.Triangular{Uplo: blas.Lower, Diag: blas.NonUnit, N: d, Stride: d, Data: inv}
			if _, ok := lapack64.Potri(tri); !ok {
				t.Fatalf("d = %d: Potri failed", d)
			}
			refInv = make([]float64, d*d)
			for i := 0; i < d; i++ {
				for j := 0; j <= i; j++ {
					refInv[i*d+j], refInv[j*d+i] = inv[i*d+j], inv[i*d+j]
				}
			}
		})
		for _, on := range []bool{true, false} {
			withBLAS(on, func() {
				got := append([]float64(nil), a...)
				if !cholesky(got, d) {
					t.Fatalf("d = %d, fastblas %v: cholesky failed", d, on)
				}
				for i := 0; i < d; i++ {
					if !bitsEqual(got[i*d:i*d+i+1], ref[i*d:i*d+i+1]) {
						t.Fatalf("d = %d, fastblas installed %v: row %d of L differs from lapack64.Potrf's", d, on, i)
					}
				}
				inv := make([]float64, d*d)
				if !invertSPD(inv, a, d) || !bitsEqual(inv, refInv) {
					t.Errorf("d = %d, fastblas installed %v: invertSPD differs from lapack64.Potri's", d, on)
				}
			})
		}
	}
}

// A fit, and its model's predictions, have the same bits whether or not
// the program installed fastblas as gonum's BLAS, with either kernel: the
// package calls fastblas explicitly for its products.
func TestSameBitsWhateverBLAS(t *testing.T) {
	for _, c := range CovarianceTypes {
		for _, kern := range []Kernel{KernelGemm, KernelGo} {
			for _, d := range []int{3, 70} {
				x := randomData(newRNG(uint64(d)), 400, 2, d, 8, Full).x
				var ms [2]*Model
				var scores [2][]float64
				for i, on := range []bool{true, false} {
					withBLAS(on, func() {
						m, _, err := Fit(context.Background(), x, Options{K: 2, Covariance: c, Kernel: kern, MaxIter: 5, Tol: em.NoTol, Seed: 4})
						if err != nil {
							t.Fatal(err)
						}
						ms[i] = m
						if scores[i], err = m.ScoreSamples(nil, x); err != nil {
							t.Fatal(err)
						}
					})
				}
				name := fmt.Sprintf("%s, kernel %q, D = %d", c, kern, d)
				a, b := ms[0], ms[1]
				if !bitsEqual(a.means, b.means) || !bitsEqual(a.covs, b.covs) || !bitsEqual(a.chol, b.chol) || a.logLik != b.logLik {
					t.Errorf("%s: the fit differs with and without fastblas installed", name)
				}
				if !bitsEqual(scores[0], scores[1]) {
					t.Errorf("%s: the scores differ with and without fastblas installed", name)
				}
			}
		}
	}
}
