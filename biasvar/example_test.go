package biasvar_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/biasvar"
)

// Decompose the error of 5-nearest-neighbour regression on y = sin(2πx) +
// N(0, 0.3²) with 50 fixed training inputs, over 500 training sets.
func ExampleDecompose() {
	p := biasvar.Sine(50, 0.3)
	p.Design = biasvar.Fixed
	rep, err := biasvar.Decompose(context.Background(), p, biasvar.KNN{K: 5}, biasvar.Options{Rounds: 500, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	t := rep.Totals
	fmt.Printf("error    %.3f ± %.3f\n", t.Error.Value, t.Error.StdErr)
	fmt.Printf("noise    %.3f\n", t.Noise.Value)
	fmt.Printf("bias²    %.4f ± %.4f\n", t.Bias2.Value, t.Bias2.StdErr)
	fmt.Printf("variance %.4f ± %.4f (σ²/k = %.4f)\n", t.Variance.Value, t.Variance.StdErr, 0.09/5)
	fmt.Println("identity holds:", rep.Check.OK)
	// Output:
	// error    0.128 ± 0.001
	// noise    0.090
	// bias²    0.0199 ± 0.0004
	// variance 0.0174 ± 0.0003 (σ²/k = 0.0180)
	// identity holds: true
}

// A learner of your own: the Nadaraya–Watson kernel smoother, plugged in
// with LearnerFunc and ModelFunc (a named type with a Fit method works the
// same way). Fit must be safe for concurrent use: it only reads its inputs.
func ExampleLearnerFunc() {
	const h = 0.05 // bandwidth
	smoother := biasvar.LearnerFunc(func(x *mat.Dense, y []float64, _ *rand.Rand) (biasvar.Model, error) {
		return biasvar.ModelFunc(func(q []float64) float64 {
			var num, den float64
			for i, v := range y {
				d := (x.At(i, 0) - q[0]) / h
				w := math.Exp(-d * d / 2)
				num += w * v
				den += w
			}
			return num / den
		}), nil
	})
	rep, err := biasvar.Decompose(context.Background(), biasvar.Sine(100, 0.3), smoother, biasvar.Options{Rounds: 200, Seed: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("bias² %.4f, variance %.4f, rounds %d/%d\n", rep.Totals.Bias2.Value, rep.Totals.Variance.Value, rep.Rounds.Succeeded, rep.Rounds.Attempted)
	// Output:
	// bias² 0.0039, variance 0.0074, rounds 200/200
}

// Sweep the polynomial degree: bias² falls and variance rises.
func ExampleSweep() {
	knob, err := biasvar.NewKnob("poly", nil, "degree", []float64{1, 3, 7})
	if err != nil {
		fmt.Println(err)
		return
	}
	sr, err := biasvar.Sweep(context.Background(), biasvar.Sine(50, 0.3), knob, biasvar.Options{Rounds: 300, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, pt := range sr.Points {
		t := pt.Report.Totals
		fmt.Printf("degree %g: bias² %.3f  variance %.3f  error %.3f\n", pt.Value, t.Bias2.Value, t.Variance.Value, t.Error.Value)
	}
	// Output:
	// degree 1: bias² 0.196  variance 0.013  error 0.298
	// degree 3: bias² 0.004  variance 0.009  error 0.104
	// degree 7: bias² 0.000  variance 0.037  error 0.127
}

// Bootstrap mode on a data set with no known truth (mlxtend's
// definitions): the "bias²" is measured against the noisy targets, so it
// includes the noise.
func ExampleBootstrap() {
	rng := rand.New(rand.NewPCG(1, 1))
	n := 200
	x := mat.NewDense(n, 1, nil)
	y := make([]float64, n)
	for i := range y {
		x.Set(i, 0, rng.Float64())
		y[i] = math.Sin(2*math.Pi*x.At(i, 0)) + 0.3*rng.NormFloat64()
	}
	d := biasvar.Data{XTrain: x.Slice(0, 150, 0, 1), YTrain: y[:150], XTest: x.Slice(150, n, 0, 1), YTest: y[150:]}
	rep, err := biasvar.Bootstrap(context.Background(), d, biasvar.Tree{MaxDepth: 4}, biasvar.Options{Rounds: 200, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	t := rep.Totals
	fmt.Printf("error %.3f = bias²+noise %.3f + variance %.3f\n", t.Error.Value, t.Bias2PlusNoise.Value, t.Variance.Value)
	// Output:
	// error 0.179 = bias²+noise 0.150 + variance 0.030
}
