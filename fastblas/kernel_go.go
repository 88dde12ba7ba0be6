package fastblas

import "math"

// The portable micro-kernels: a 2×4 tile of C in 8 local accumulators, so
// that accumulators and operands fit in the 15 float registers the Go
// compiler has on amd64 (a 4×4 tile spills there and runs at half speed)
// and leave room on arm64. See microKernel and directKernel.

// gemmKernel2x4Go is the portable packed-style micro-kernel.
func gemmKernel2x4Go(k int, a []float64, aStep int, b []float64, bStep int, c []float64, ldc int, alpha, beta float64) {
	var c00, c01, c02, c03 float64
	var c10, c11, c12, c13 float64
	for p := 0; p < k; p++ {
		aa := a[p*aStep : p*aStep+2 : p*aStep+2]
		bb := b[p*bStep : p*bStep+4 : p*bStep+4]
		a0, a1 := aa[0], aa[1]
		b0, b1, b2, b3 := bb[0], bb[1], bb[2], bb[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
	}
	storeRow4(c[0:4:4], c00, c01, c02, c03, alpha, beta)
	storeRow4(c[ldc:ldc+4:ldc+4], c10, c11, c12, c13, alpha, beta)
}

// gemmKernel2x4GoDirect is gemmKernel2x4Go reading A in place, row r at
// a[r·lda:].
func gemmKernel2x4GoDirect(k int, a []float64, lda int, b []float64, bStep int, c []float64, ldc int, alpha, beta float64) {
	a0s := a[0:k:k]
	a1s := a[lda : lda+k : lda+k]
	var c00, c01, c02, c03 float64
	var c10, c11, c12, c13 float64
	for p := range a0s {
		bb := b[p*bStep : p*bStep+4 : p*bStep+4]
		a0, a1 := a0s[p], a1s[p]
		b0, b1, b2, b3 := bb[0], bb[1], bb[2], bb[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
	}
	storeRow4(c[0:4:4], c00, c01, c02, c03, alpha, beta)
	storeRow4(c[ldc:ldc+4:ldc+4], c10, c11, c12, c13, alpha, beta)
}

// storeRow4 writes one row of four with the microKernel update rule.
func storeRow4(c []float64, x0, x1, x2, x3, alpha, beta float64) {
	if beta == 0 {
		c[0] = alpha * x0
		c[1] = alpha * x1
		c[2] = alpha * x2
		c[3] = alpha * x3
		return
	}
	c[0] = math.FMA(beta, c[0], alpha*x0)
	c[1] = math.FMA(beta, c[1], alpha*x1)
	c[2] = math.FMA(beta, c[2], alpha*x2)
	c[3] = math.FMA(beta, c[3], alpha*x3)
}
