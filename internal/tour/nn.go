package tour

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/autodiff"
	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/nn"
	"github.com/latentgo/latent/plots"
)

// nnPart is the backprop part of the tour: the seed's 2-3-1 sigmoid network
// learning by gradient descent, checked against finite differences, then
// an MLP classifier on the 8×8 digits with its held-out score.
func nnPart(ctx context.Context, d *Env) (*Section, error) {
	xor, err := runXOR(d)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// An MLP classifier on the 8×8 digits, as `latent nn train --data
	// digits --hidden 64,32` does.
	dg := datasets.Digits()
	_, rep, err := nn.TrainClassifier(ctx, dg.X, dg.Labels, nn.ClassifierOptions{Hidden: []int{64, 32}, Seed: d.Seed})
	if err != nil {
		return nil, err
	}
	digitsChart, err := plots.NNLoss(rep, "MLP 64-64-32-10 on the 8×8 digits")
	if err != nil {
		return nil, err
	}
	if err := d.writeWith("nn_digits_loss.png", pngWriter(digitsChart)); err != nil {
		return nil, err
	}

	trace, steps, pred := xor.trace, len(xor.trace)-1, xor.pred
	var b strings.Builder
	fmt.Fprintf(&b, "The autodiff core records each operation on a tape and differentiates by one reverse sweep of the chain rule, ")
	fmt.Fprintf(&b, "∂f/∂u = Σᵢ ∂f/∂xᵢ · ∂xᵢ/∂u. The seed's small network (inputs x1, x2; three sigmoid units; ")
	fmt.Fprintf(&b, "ŷ = d1·u1 + d2·u2 + d3·u3) learns XOR by plain gradient descent, w ← w − %g·∂L/∂w, on the mean squared error. ", xorLR)
	fmt.Fprintf(&b, "Its backprop gradient at the starting weights %s the finite-difference check. ", xor.check)
	fmt.Fprintf(&b, "The loss goes from %.4f to %.2e in %d steps; the network then predicts ", trace[0], trace[steps], steps)
	fmt.Fprintf(&b, "%.3f, %.3f, %.3f, %.3f for (0,0), (0,1), (1,0), (1,1).\n\n", pred[0], pred[1], pred[2], pred[3])
	fmt.Fprintf(&b, "The same machinery trains a classifier on the 8×8 digits (`latent nn train --data digits --hidden 64,32 --seed %d`): ", d.Seed)
	fmt.Fprintf(&b, "after %d epochs (%s) it classifies %.1f%% of the %d held-out images correctly (log-loss %.3f), ",
		len(rep.Epochs), rep.Status, 100*rep.Validation.Accuracy, rep.Validation.Rows, rep.Validation.LogLoss)
	fmt.Fprintf(&b, "against %.1f%% of the %d training images.\n", 100*rep.Train.Accuracy, rep.Train.Rows)
	return &Section{
		Text: b.String(),
		Figures: []Figure{
			{File: "nn_xor_loss.png", Caption: "Training loss of the 2-3-1 sigmoid network per gradient-descent step (XOR)"},
			{File: "nn_digits_loss.png", Caption: "Training and held-out log-loss per epoch of an MLP on the 8×8 digits"},
		},
		Numbers: map[string]any{
			"xor_gradient_check":    xor.checkErr == nil,
			"xor_loss_start":        trace[0],
			"xor_loss_end":          trace[steps],
			"xor_steps":             steps,
			"digits_epochs":         len(rep.Epochs),
			"digits_val_accuracy":   rep.Validation.Accuracy,
			"digits_val_log_loss":   rep.Validation.LogLoss,
			"digits_train_accuracy": rep.Train.Accuracy,
		},
	}, nil
}

// The XOR run: full-batch gradient descent steps and their step size.
const xorSteps, xorLR = 500, 1.0

// xorRun is what the demo shows of the seed's network learning XOR.
type xorRun struct {
	trace    []float64 // the loss before each step and after the last
	checkErr error     // the finite-difference check at the start
	check    string    // "passes", or "FAILS: " and the error
	pred     []float64 // ŷ for (0,0), (0,1), (1,0), (1,1) after training
}

// runXOR trains the seed's network, x1, x2 → three sigmoid units →
// ŷ = Σ d_i u_i, on XOR by full-batch gradient descent on the mean squared
// error, and draws its loss. The output layer's bias stays at 0 (it is not
// handed to the optimizer), as the seed's ŷ has none.
func runXOR(d *Env) (*xorRun, error) {
	net, err := nn.NewMLP(nn.MLPConfig{Sizes: []int{2, 3, 1}, Hidden: nn.Sigmoid, Seed: d.Seed})
	if err != nil {
		return nil, err
	}
	x := mat.NewDense(4, 2, []float64{0, 0, 0, 1, 1, 0, 1, 1})
	y := mat.NewDense(4, 1, []float64{0, 1, 1, 0})
	loss := func(t *autodiff.Tape, in []*autodiff.Node) *autodiff.Node {
		h := (&nn.Dense{W: in[0], B: in[1], Act: nn.Sigmoid}).Forward(t, t.Const(x))
		return t.MSE(t.MatMul(h, in[2]), t.Const(y))
	}
	// The gradient of the loss at the starting weights, by backprop, agrees
	// with central differences (torch gradcheck's tolerances).
	params := net.Params()[:3] // W (2×3), b (1×3), d (3×1)
	start := make([]mat.Matrix, len(params))
	for i, p := range params {
		start[i] = mat.DenseCopyOf(p.Dense())
	}
	r := &xorRun{checkErr: autodiff.CheckGradient(loss, start, autodiff.CheckOptions{}), check: "passes"}
	if r.checkErr != nil {
		r.check = "FAILS: " + r.checkErr.Error()
	}
	opt := nn.NewSGD(params, xorLR)
	tape := autodiff.NewTape()
	for s := 0; s <= xorSteps; s++ {
		tape.Reset()
		l := loss(tape, params)
		r.trace = append(r.trace, l.Scalar())
		if s == xorSteps {
			break
		}
		tape.Backward(l)
		opt.Step()
	}
	ft := autodiff.NewForwardTape()
	r.pred = net.Forward(ft, ft.Const(x)).Value
	// A log axis shows the plateau and the linear convergence; should a
	// seed drive the loss to exactly 0, the axis stays linear.
	chart, err := plots.NNTrace(r.trace, "The seed's 2-3-1 sigmoid network learning XOR", "gradient-descent step", "mean squared error", slices.Min(r.trace) > 0)
	if err != nil {
		return nil, err
	}
	return r, d.writeWith("nn_xor_loss.png", pngWriter(chart))
}
