package autodiff_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/autodiff"
)

// The seed's worked example: f(x, y) = cos(x)·sin(y) + x/y as the graph
// w1 = cos x, w2 = sin y, w3 = w1·w2, w4 = x/y, w5 = w3 + w4. One reverse
// sweep gives both partial derivatives, which match the closed forms
// ∂f/∂x = −sin x·sin y + 1/y and ∂f/∂y = cos x·cos y − x/y².
func Example() {
	x, y := autodiff.NewScalar(1), autodiff.NewScalar(2)
	t := autodiff.NewTape()
	w1 := t.Cos(x)
	w2 := t.Sin(y)
	w3 := t.Mul(w1, w2)
	w4 := t.Div(x, y)
	w5 := t.Add(w3, w4)
	t.Backward(w5)

	fmt.Printf("w1 = cos x  = %.6f\n", w1.Scalar())
	fmt.Printf("w2 = sin y  = %.6f\n", w2.Scalar())
	fmt.Printf("w3 = w1·w2  = %.6f\n", w3.Scalar())
	fmt.Printf("w4 = x/y    = %.6f\n", w4.Scalar())
	fmt.Printf("w5 = w3+w4  = %.6f\n", w5.Scalar())
	xv, yv := 1.0, 2.0
	fmt.Printf("∂f/∂x = %.6f  closed form %.6f\n", x.Grad[0], -math.Sin(xv)*math.Sin(yv)+1/yv)
	fmt.Printf("∂f/∂y = %.6f  closed form %.6f\n", y.Grad[0], math.Cos(xv)*math.Cos(yv)-xv/(yv*yv))
	// Output:
	// w1 = cos x  = 0.540302
	// w2 = sin y  = 0.909297
	// w3 = w1·w2  = 0.491295
	// w4 = x/y    = 0.500000
	// w5 = w3+w4  = 0.991295
	// ∂f/∂x = -0.265147  closed form -0.265147
	// ∂f/∂y = -0.474845  closed form -0.474845
}

// The seed's small network, written out op by op: inputs x1, x2 feed three
// sigmoid hidden units z_i = x1·w1i + x2·w2i + b_i, u_i = σ(z_i), and the
// output is ŷ = d1·u1 + d2·u2 + d3·u3. Backprop and plain gradient descent
// (w ← w − α·∂L/∂w) on the mean squared error fit a toy regression,
// y = sin(2·x1) + x2 on a 5×5 grid of [−1, 1]², which no single unit can
// fit; the loss falls steadily. (The demo's backprop part also shows XOR, whose
// plateau-then-drop is sensitive to the last bits of every product.)
func Example_network() {
	rng := rand.New(rand.NewPCG(1, 0))
	normal := func(n int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = rng.NormFloat64()
		}
		return v
	}
	w := autodiff.NewParam(2, 3, normal(6)) // w[j][i]: input j → hidden unit i
	b := autodiff.NewParam(1, 3, nil)
	d := autodiff.NewParam(3, 1, normal(3))
	params := []*autodiff.Node{w, b, d}

	var xs, ys []float64
	for i := range 5 {
		for j := range 5 {
			x1, x2 := -1+0.5*float64(i), -1+0.5*float64(j)
			xs = append(xs, x1, x2)
			ys = append(ys, math.Sin(2*x1)+x2)
		}
	}
	x := mat.NewDense(25, 2, xs)
	y := mat.NewDense(25, 1, ys)
	const lr = 0.5
	t := autodiff.NewTape()
	for step := 0; step <= 2000; step++ {
		t.Reset()
		u := t.Sigmoid(t.AddRow(t.MatMul(t.Const(x), w), b))
		yhat := t.MatMul(u, d)
		loss := t.MSE(yhat, t.Const(y))
		t.Backward(loss)
		for _, p := range params {
			for i, g := range p.Grad {
				p.Value[i] -= lr * g
			}
			p.ZeroGrad()
		}
		if step%400 == 0 {
			fmt.Printf("step %4d  loss %.4f\n", step, loss.Scalar())
		}
	}
	// Output:
	// step    0  loss 1.9597
	// step  400  loss 0.0143
	// step  800  loss 0.0066
	// step 1200  loss 0.0064
	// step 1600  loss 0.0062
	// step 2000  loss 0.0060
}

// Check the gradient of your own function against central differences:
// here a softmax-regression loss, at torch gradcheck's tolerances.
func ExampleCheckGradient() {
	x := mat.NewDense(3, 2, []float64{0.5, -1, 1.5, 0.2, -0.3, 0.8})
	loss := func(t *autodiff.Tape, in []*autodiff.Node) *autodiff.Node {
		logits := t.AddRow(t.MatMul(t.Const(x), in[0]), in[1])
		return t.Mean(t.SoftmaxCrossEntropy(logits, []int{0, 2, 1}))
	}
	w := mat.NewDense(2, 3, []float64{0.1, -0.2, 0.3, 0.4, 0.5, -0.6})
	b := mat.NewDense(1, 3, []float64{0, 0.1, -0.1})
	fmt.Println(autodiff.CheckGradient(loss, []mat.Matrix{w, b}, autodiff.CheckOptions{}))
	// Output:
	// <nil>
}
