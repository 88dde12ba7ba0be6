package biasvar_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/biasvar"
	"github.com/latentgo/latent/table"
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

// WriteText prints what `latent biasvar run` prints for the same settings:
// here `latent biasvar run --learner knn --param k=5 --rounds 100
// --design fixed --seed 1`.
func ExampleReport_WriteText() {
	p := biasvar.Sine(50, 0.3)
	p.Design = biasvar.Fixed
	rep, err := biasvar.Decompose(context.Background(), p, biasvar.KNN{K: 5}, biasvar.Options{Rounds: 100, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	rep.WriteText(os.Stdout)
	fmt.Println("status:", rep.Status())
	// Output:
	// knn(k=5) on sine, fixed design: 50 training points, 100 test points, squared loss, monte-carlo mode
	// rounds: 100 attempted, 100 succeeded, 0 failed; seed 1
	//   expected error                           0.128988 ± 0.0018
	//   noise                                    0.09 (exact)
	//   bias²                                    0.0212994 ± 0.00089
	//   variance                                 0.0170556 ± 0.0006
	//   bias², plug-in (inflated by variance/R)  0.0214699 ± 0.00089
	//   variance, 1/R normalisation              0.0168851 ± 0.0006
	// check: error = noise + bias² + variance (in expectation; error measured against fresh noisy targets): gap 0.000632635 ± 0.0017 (z = 0.38): holds
	// status: complete
}

// The parameters of a sweep as the command line writes them
// (--param degree=1:4 --param lambda=0.01), read by the function the CLI
// uses.
func ExampleParseParams() {
	params, err := biasvar.ParseParams([]string{"degree=1:4", "lambda=0.01"})
	if err != nil {
		fmt.Println(err)
		return
	}
	knob, err := params.Sweep("ridge")
	if err != nil {
		fmt.Println(err)
		return
	}
	l, _ := knob.New(3)
	fmt.Println(knob.Name, knob.Values, l)
	_, err = biasvar.ParseParams([]string{"k=5", "k=7"})
	var oe *biasvar.OptionError
	if errors.As(err, &oe) {
		fmt.Println(err)
		fmt.Println(oe.Named("--param"))
	}
	// Output:
	// degree [1 2 3 4] ridge(lambda=0.01,degree=3)
	// biasvar: params k: given twice
	// --param k: given twice
}

// A table as read from a CSV file becomes a bootstrap data set: the
// target column is taken out of the inputs, and a seeded quarter of the
// rows (datasets.Split) is held out as the test set.
func ExampleDataFromTable() {
	rng := rand.New(rand.NewPCG(1, 1))
	n := 200
	x := mat.NewDense(n, 2, nil)
	for i := 0; i < n; i++ {
		u := rng.Float64()
		x.SetRow(i, []float64{u, math.Sin(2*math.Pi*u) + 0.3*rng.NormFloat64()})
	}
	t := &table.Table{Columns: []string{"x", "y"}, X: x} // as table.Read gives it
	d, err := biasvar.DataFromTable(t, nil, biasvar.DataOptions{Name: "sine.csv", Target: "y", TestFraction: 0.25, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	ntr, _ := d.XTrain.Dims()
	nte, _ := d.XTest.Dims()
	fmt.Printf("%d training rows, %d test rows\n", ntr, nte)
	rep, err := biasvar.Bootstrap(context.Background(), d, biasvar.Tree{MaxDepth: 4}, biasvar.Options{Rounds: 200, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	tot := rep.Totals
	fmt.Printf("error %.3f = bias²+noise %.3f + variance %.3f\n", tot.Error.Value, tot.Bias2PlusNoise.Value, tot.Variance.Value)

	_, err = biasvar.DataFromTable(t, nil, biasvar.DataOptions{Name: "sine.csv", Target: "price", TestFraction: 0.25})
	var de *biasvar.DataError
	if errors.As(err, &de) {
		fmt.Println(err)
	}
	// Output:
	// 150 training rows, 50 test rows
	// error 0.191 = bias²+noise 0.148 + variance 0.043
	// biasvar: sine.csv: DataOptions.Target "price": no such column; the columns are ["x" "y"]
}
