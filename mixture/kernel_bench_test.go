package mixture

import "testing"

// Kernel benchmarks on one chunk (128 rows, D = 16), one goroutine:
// multiply-adds per nanosecond are in the metric.
func kernelData(n, d int) (diff, a, wr []float64) {
	rng := newRNG(70)
	diff = make([]float64, n*d)
	for i := range diff {
		diff[i] = rng.NormFloat64()
	}
	a = make([]float64, d*d)
	for i := 0; i < d; i++ {
		for j := 0; j <= i; j++ {
			a[i*d+j] = rng.NormFloat64()
		}
	}
	wr = make([]float64, n)
	for i := range wr {
		wr[i] = rng.Float64()
	}
	return
}

func BenchmarkKernelMaha128x16(b *testing.B) {
	const n, d = 128, 16
	diff, a, _ := kernelData(n, d)
	maha := make([]float64, n)
	for i := 0; i < b.N; i++ {
		mahaLower(maha, diff, a, n, d)
	}
	b.ReportMetric(float64(n*d*(d+1)/2)*float64(b.N)/float64(b.Elapsed().Nanoseconds()), "madd/ns")
}

func BenchmarkKernelScatter128x16(b *testing.B) {
	const n, d = 128, 16
	diff, _, wr := kernelData(n, d)
	s1, s2, wd := make([]float64, d), make([]float64, d*d), make([]float64, n*d)
	for i := 0; i < b.N; i++ {
		accumulate(s1, s2, diff, wr, wd, n, d, true, false)
	}
	b.ReportMetric(float64(n*d*(d+1)/2)*float64(b.N)/float64(b.Elapsed().Nanoseconds()), "madd/ns")
}
