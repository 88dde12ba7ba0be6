package biasvar_test

import (
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
