package fastblas

import "math"

// The portable micro-kernels: a 2×4 tile of C in 8 local accumulators, so
// that accumulators and operands fit in the 15 float registers the Go
// compiler has on amd64 (a 4×4 tile spills there and runs at half speed)
// and leave room on arm64. See microKernel and directKernel.

// gemmKernel2x4Go is the portable packed-style micro-kernel.
func gemmKernel2x4Go[T elem](k int, a []T, aStep int, b []T, bStep int, c []T, ldc int, alpha, beta T) {
	var c00, c01, c02, c03 T
	var c10, c11, c12, c13 T
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
func gemmKernel2x4GoDirect[T elem](k int, a []T, lda int, b []T, bStep int, c []T, ldc int, alpha, beta T) {
	a0s := a[0:k:k]
	a1s := a[lda : lda+k : lda+k]
	var c00, c01, c02, c03 T
	var c10, c11, c12, c13 T
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
func storeRow4[T elem](c []T, x0, x1, x2, x3, alpha, beta T) {
	if beta == 0 {
		c[0] = alpha * x0
		c[1] = alpha * x1
		c[2] = alpha * x2
		c[3] = alpha * x3
		return
	}
	c[0] = fma(beta, c[0], T(alpha*x0))
	c[1] = fma(beta, c[1], T(alpha*x1))
	c[2] = fma(beta, c[2], T(alpha*x2))
	c[3] = fma(beta, c[3], T(alpha*x3))
}

// fma returns x·y + z rounded once to T. For float32 the product is exact
// in float64 (24 + 24 bits), and the sum is rounded to float64 by the
// rule round-to-odd (Boldo and Melquiond 2008), which, with 53 ≥ 24 + 2
// bits, makes the final rounding to float32 correct: the bits of
// VFMADD231PS.
func fma[T elem](x, y, z T) T {
	switch v := any(x).(type) {
	case float64:
		return T(math.FMA(v, float64(y), float64(z)))
	case float32:
		return T(fma32(v, float32(y), float32(z)))
	}
	panic("unreachable")
}

func fma32(x, y, z float32) float32 {
	p := float64(x) * float64(y) // exact
	zz := float64(z)
	s := p + zz
	if math.IsInf(s, 0) || math.IsNaN(s) || s == 0 {
		return float32(p + zz)
	}
	// TwoSum: e is the rounding error of s, exactly.
	bb := s - p
	e := (p - (s - bb)) + (zz - bb)
	if e != 0 {
		bits := math.Float64bits(s)
		if bits&1 == 0 { // even: step to the odd neighbour on e's side
			if (e > 0) == (s > 0) {
				bits++
			} else {
				bits--
			}
			s = math.Float64frombits(bits)
		}
	}
	return float32(s)
}
