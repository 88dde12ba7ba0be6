package fastblas

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

const badUplo = "blas: illegal triangle"

// syrkBlock is the order of the diagonal blocks of Dsyrk: C's triangle is
// covered by diagonal blocks, computed whole into a buffer (wasting about
// syrkBlock/n of the flops), and by rectangles computed in place.
const syrkBlock = 128

// Dsyrk computes the triangle ul of the symmetric n×n matrix
//
//	C = alpha·A·Aᵀ + beta·C     (tA = blas.NoTrans, A n×k)
//	C = alpha·Aᵀ·A + beta·C     (tA = blas.Trans, A k×n)
//
// with the arguments, panics and special cases of gonum's and reference
// BLAS's Dsyrk; the other triangle of C is neither read nor written. It
// runs on the package's Dgemm (each element of the triangle is computed as
// Dgemm computes it, so the same determinism holds), on up to GOMAXPROCS
// goroutines. With the "openblas" and "gonum" kernels it is gonum's Dsyrk.
func (Implementation) Dsyrk(ul blas.Uplo, tA blas.Transpose, n, k int, alpha float64, a []float64, lda int, beta float64, c []float64, ldc int) {
	dsyrk(current(), 0, ul, tA, n, k, alpha, a, lda, beta, c, ldc)
}

func dsyrk(kern *kernel[float64], procs int, ul blas.Uplo, tA blas.Transpose, n, k int, alpha float64, a []float64, lda int, beta float64, c []float64, ldc int) {
	if ul != blas.Lower && ul != blas.Upper {
		panic(badUplo)
	}
	aT := isTrans(tA)
	switch {
	case n < 0:
		panic(nLT0)
	case k < 0:
		panic(kLT0)
	}
	rows, cols := n, k
	if aT {
		rows, cols = k, n
	}
	if lda < max(1, cols) {
		panic(badLdA)
	}
	if ldc < max(1, n) {
		panic(badLdC)
	}
	if n == 0 {
		return
	}
	if len(a) < lda*(rows-1)+cols {
		panic(shortA)
	}
	if len(c) < ldc*(n-1)+n {
		panic(shortC)
	}
	if kern.ext != nil {
		gonum.Implementation{}.Dsyrk(ul, tA, n, k, alpha, a, lda, beta, c, ldc)
		return
	}
	if alpha == 0 || k == 0 {
		for i := 0; i < n; i++ {
			lo, hi := i, n
			if ul == blas.Lower {
				lo, hi = 0, i+1
			}
			scaleC(1, hi-lo, beta, c[i*ldc+lo:], ldc)
		}
		return
	}
	// op(A)'s rows i0… start at a[i0·lda] (NoTrans) or a[i0] (Trans); the
	// product of rows I and rows J is Dgemm(tA1, tB1) on those starts.
	start := func(i0 int) []float64 {
		if aT {
			return a[i0:]
		}
		return a[i0*lda:]
	}
	tA1, tB1 := blas.NoTrans, blas.Trans
	if aT {
		tA1, tB1 = blas.Trans, blas.NoTrans
	}
	nb := syrkBlock
	if n <= 2*syrkBlock {
		nb = n
	}
	w, tmp := getWorkspace[float64](nb * nb)
	defer putWorkspace(w)
	for i0 := 0; i0 < n; i0 += nb {
		ib := min(nb, n-i0)
		// The diagonal block, whole, in tmp: the triangle copied in, zeros
		// in the other (C's other triangle is not to be read), then back.
		t := tmp[:ib*ib]
		if beta != 0 {
			for r := 0; r < ib; r++ {
				row, crow := t[r*ib:(r+1)*ib], c[(i0+r)*ldc+i0:(i0+r)*ldc+i0+ib]
				if ul == blas.Upper {
					clear(row[:r])
					copy(row[r:], crow[r:])
				} else {
					copy(row[:r+1], crow[:r+1])
					clear(row[r+1:])
				}
			}
		}
		dgemm(kern, procs, tA1, tB1, ib, ib, k, alpha, start(i0), lda, start(i0), lda, beta, t, ib)
		for r := 0; r < ib; r++ {
			row, crow := t[r*ib:(r+1)*ib], c[(i0+r)*ldc+i0:(i0+r)*ldc+i0+ib]
			if ul == blas.Upper {
				copy(crow[r:], row[r:])
			} else {
				copy(crow[:r+1], row[:r+1])
			}
		}
		// The rectangle beside it, in place: right of the block for the
		// upper triangle, left of it for the lower.
		if ul == blas.Upper && i0+ib < n {
			j0 := i0 + ib
			dgemm(kern, procs, tA1, tB1, ib, n-j0, k, alpha, start(i0), lda, start(j0), lda, beta, c[i0*ldc+j0:], ldc)
		}
		if ul == blas.Lower && i0 > 0 {
			dgemm(kern, procs, tA1, tB1, ib, i0, k, alpha, start(i0), lda, start(0), lda, beta, c[i0*ldc:], ldc)
		}
	}
}
