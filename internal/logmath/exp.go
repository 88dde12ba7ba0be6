package logmath

import "math"

// ExpTo sets dst[i] = math.Exp(x[i]) for every i, with the same bits as
// math.Exp on every input and every machine: on amd64 with AVX2 and FMA it
// evaluates four values at a time with the operations of the Go runtime's
// own math.Exp (math/exp_amd64.s, Shibata's method from SLEEF: argument
// reduction by k·ln 2 in two parts, a degree-8 Taylor polynomial of x/16,
// four squarings, 2^k), in the same order with the same fused
// multiply-adds, which math.Exp takes on a CPU with FMA; the special values
// (NaN, overflow above 709) go to math.Exp one at a time. Elsewhere it is
// the loop of math.Exp. Its accuracy is therefore math.Exp's, under one ulp
// (TestExpToSameBits checks the bits over the range the E-steps see,
// −800…0, and the whole float64 range). dst and x have the same length; they
// may be the same slice. It is about four times as fast as the loop
// (BenchmarkExpTo).
func ExpTo(dst, x []float64) {
	if len(dst) != len(x) {
		panic("logmath: ExpTo of slices of different lengths")
	}
	i := 0
	if vecExp {
		n4 := len(x) &^ 3
		for i < n4 {
			i += expBlocks(dst[i:n4], x[i:n4])
			if i < n4 { // a block with a special value
				for j := i; j < i+4; j++ {
					dst[j] = math.Exp(x[j])
				}
				i += 4
			}
		}
	}
	for ; i < len(x); i++ {
		dst[i] = math.Exp(x[i])
	}
}
