package biasvar_test

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/latentgo/latent/biasvar"
)

// Rounds per second on 1 and on 2 cores: run with -cpu 1,2 (GOMAXPROCS,
// and so the number of workers) and compare the rounds/s metric:
//
//	go test ./biasvar -run '^$' -bench 'Rounds' -cpu 1,2 -count 6 | tee bench.txt
//	benchstat -col /cpu bench.txt   (or compare the -1 and -2 lines)
func benchRounds(b *testing.B, p *biasvar.Problem, l biasvar.Learner, rounds int) {
	b.ReportAllocs()
	opts := biasvar.Options{Rounds: rounds, Seed: 1, Fits: -1}
	for b.Loop() {
		if _, err := biasvar.Decompose(bg, p, l, opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rounds*b.N)/b.Elapsed().Seconds(), "rounds/s")
}

// k-NN (k = 5) on the sine, 50 random training points, 100 test points.
func BenchmarkRoundsKNNSine50x100(b *testing.B) {
	benchRounds(b, biasvar.Sine(50, 0.3), biasvar.KNN{K: 5}, 2000)
}

// Polynomial least squares (degree 5, QR) on the sine, 50 random training
// points, 100 test points.
func BenchmarkRoundsPoly5Sine50x100(b *testing.B) {
	benchRounds(b, biasvar.Sine(50, 0.3), biasvar.Poly{Degree: 5}, 2000)
}

// The ceiling: a loop with no shared memory and no allocation, split over
// GOMAXPROCS goroutines, the same total work at any -cpu. Its speed-up from
// -cpu 1 to -cpu 2 is what two cores deliver at that moment on a shared
// machine; the decomposer's speed-up is to be read against it.
func BenchmarkParallelCeiling(b *testing.B) {
	const units, perUnit = 2000, 2000
	procs := runtime.GOMAXPROCS(0)
	var sink atomic.Uint64
	for b.Loop() {
		var wg sync.WaitGroup
		for w := 0; w < procs; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s := 0.0
				for u := w; u < units; u += procs {
					for i := 0; i < perUnit; i++ {
						s += math.Sin(float64(u*perUnit+i) * 1e-3)
					}
				}
				sink.Add(math.Float64bits(s))
			}()
		}
		wg.Wait()
	}
	b.ReportMetric(float64(units*b.N)/b.Elapsed().Seconds(), "units/s")
}
