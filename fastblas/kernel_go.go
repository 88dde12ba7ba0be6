package fastblas

import "math"

// gemmKernel4x4Go is the portable micro-kernel: a 4×4 tile of C held in 16
// local accumulators. See microKernel for the contract.
func gemmKernel4x4Go(k int, a []float64, aStep int, b []float64, bStep int, c []float64, ldc int, alpha, beta float64) {
	var c00, c01, c02, c03 float64
	var c10, c11, c12, c13 float64
	var c20, c21, c22, c23 float64
	var c30, c31, c32, c33 float64
	for p := 0; p < k; p++ {
		aa := a[p*aStep : p*aStep+4 : p*aStep+4]
		bb := b[p*bStep : p*bStep+4 : p*bStep+4]
		a0, a1, a2, a3 := aa[0], aa[1], aa[2], aa[3]
		b0, b1, b2, b3 := bb[0], bb[1], bb[2], bb[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	storeRow4(c[0:4:4], c00, c01, c02, c03, alpha, beta)
	storeRow4(c[ldc:ldc+4:ldc+4], c10, c11, c12, c13, alpha, beta)
	storeRow4(c[2*ldc:2*ldc+4:2*ldc+4], c20, c21, c22, c23, alpha, beta)
	storeRow4(c[3*ldc:3*ldc+4:3*ldc+4], c30, c31, c32, c33, alpha, beta)
}

// gemmKernel4x4GoDirect is gemmKernel4x4Go reading A in place, row r at
// a[r·lda:]. See directKernel.
func gemmKernel4x4GoDirect(k int, a []float64, lda int, b []float64, bStep int, c []float64, ldc int, alpha, beta float64) {
	a0s := a[0:k:k]
	a1s := a[lda : lda+k : lda+k]
	a2s := a[2*lda : 2*lda+k : 2*lda+k]
	a3s := a[3*lda : 3*lda+k : 3*lda+k]
	var c00, c01, c02, c03 float64
	var c10, c11, c12, c13 float64
	var c20, c21, c22, c23 float64
	var c30, c31, c32, c33 float64
	for p := range a0s {
		bb := b[p*bStep : p*bStep+4 : p*bStep+4]
		a0, a1, a2, a3 := a0s[p], a1s[p], a2s[p], a3s[p]
		b0, b1, b2, b3 := bb[0], bb[1], bb[2], bb[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	storeRow4(c[0:4:4], c00, c01, c02, c03, alpha, beta)
	storeRow4(c[ldc:ldc+4:ldc+4], c10, c11, c12, c13, alpha, beta)
	storeRow4(c[2*ldc:2*ldc+4:2*ldc+4], c20, c21, c22, c23, alpha, beta)
	storeRow4(c[3*ldc:3*ldc+4:3*ldc+4], c30, c31, c32, c33, alpha, beta)
}

// storeRow4 writes one row of a 4×4 tile with the microKernel update rule.
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
