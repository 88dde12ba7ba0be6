package fastblas

import (
	"testing"

	"gonum.org/v1/gonum/blas"
)

// FuzzDgemm draws shapes (m, n < 70, k < 300, so every blocking edge of
// every kernel is reachable), transposes, strides, alpha and beta (each
// from {0, 1, and two others}) and the number of workers, and checks every
// kernel against gonum's reference Dgemm; padding of C must stay untouched.
func FuzzDgemm(f *testing.F) {
	f.Add(uint8(1), uint8(1), uint16(1), uint8(0), uint8(0), uint64(1))
	f.Add(uint8(15), uint8(17), uint16(257), uint8(0b1111), uint8(0b010101), uint64(2))
	f.Add(uint8(29), uint8(33), uint16(3), uint8(0b0110), uint8(0b100111), uint64(3))
	f.Add(uint8(0), uint8(5), uint16(4), uint8(0), uint8(0), uint64(4))
	f.Add(uint8(6), uint8(8), uint16(0), uint8(0b1000), uint8(1), uint64(5))
	f.Fuzz(func(t *testing.T, m, n uint8, k uint16, flags, pads uint8, seed uint64) {
		tc := fuzzCase(m, n, k, flags, pads, 70)
		for _, kern := range testKernels() {
			checkAgainstGonum(t, kern, 1+int(seed%3), tc, seed)
		}
	})
}

// FuzzSgemm is FuzzDgemm for float32: every float32 kernel against the
// float64 reference of the same float32 operands, within the float32
// error bound; padding of C must stay untouched.
func FuzzSgemm(f *testing.F) {
	f.Add(uint8(1), uint8(1), uint16(1), uint8(0), uint8(0), uint64(1))
	f.Add(uint8(15), uint8(33), uint16(257), uint8(0b1111), uint8(0b010101), uint64(2))
	f.Add(uint8(29), uint8(65), uint16(3), uint8(0b0110), uint8(0b100111), uint64(3))
	f.Add(uint8(0), uint8(5), uint16(4), uint8(0), uint8(0), uint64(4))
	f.Add(uint8(6), uint8(16), uint16(0), uint8(0b1000), uint8(1), uint64(5))
	f.Fuzz(func(t *testing.T, m, n uint8, k uint16, flags, pads uint8, seed uint64) {
		tc := fuzzCase(m, n, k, flags, pads, 100)
		for _, kern := range testKernels32() {
			checkSgemm(t, kern, 1+int(seed%3), tc, seed)
		}
	})
}

// fuzzCase decodes a fuzzer's draw: m < 70, n < nMax, k < 300, the
// transposes from flags' two low bits, alpha and beta from the next two
// pairs, and the padding of A, B and C from pads.
func fuzzCase(m, n uint8, k uint16, flags, pads uint8, nMax int) gemmCase {
	alphas := [4]float64{1, 0, -0.5, 3}
	betas := [4]float64{0, 1, 0.25, -1}
	tc := gemmCase{
		tA: blas.NoTrans, tB: blas.NoTrans,
		m: int(m % 70), n: int(n) % nMax, k: int(k % 300),
		padA: int(pads & 3), padB: int(pads >> 2 & 3), padC: int(pads >> 4 & 3),
		alpha: alphas[flags>>2&3], beta: betas[flags>>4&3],
	}
	if flags&1 != 0 {
		tc.tA = blas.Trans
	}
	if flags&2 != 0 {
		tc.tB = blas.Trans
	}
	return tc
}
