package biasvar

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/autodiff"
	"github.com/latentgo/latent/internal/logmath"
	"github.com/latentgo/latent/nn"
)

// MLP is a multilayer-perceptron regressor on package nn's autodiff core:
// one hidden layer of Hidden tanh units and a linear output, trained on the
// mean squared error by full-batch Adam (step LR) for Epochs steps, on
// inputs and targets standardised with the training set's means and
// standard deviations. The initial weights are drawn from the round's
// stream, so the variance it shows includes that of the initialisation as
// well as that of the data (as for any network). Full batches keep the
// minibatch order out of it. Hidden 0 means 20, Epochs 0 means 1000, LR 0
// means 0.01. A training loss that breaks the divergence rule every latent
// trainer shares (nn.Divergence: not finite, or a thousandfold its first
// value) fails the round with an *nn.DivergedError.
type MLP struct {
	Hidden int
	Epochs int
	LR     float64
}

func (l MLP) settings() (h, epochs int, lr float64) {
	h, epochs, lr = l.Hidden, l.Epochs, l.LR
	if h == 0 {
		h = 20
	}
	if epochs == 0 {
		epochs = 1000
	}
	if lr == 0 {
		lr = 0.01
	}
	return h, epochs, lr
}

// String returns "mlp(hidden=H)".
func (l MLP) String() string {
	h, _, _ := l.settings()
	return fmt.Sprintf("mlp(hidden=%d)", h)
}

// Fit trains the network, O(Epochs·n·d·Hidden).
func (l MLP) Fit(x *mat.Dense, y []float64, rng *rand.Rand) (Model, error) {
	h, epochs, lr := l.settings()
	if h < 1 || epochs < 1 || !(lr > 0) || math.IsInf(lr, 0) {
		return nil, fmt.Errorf("mlp: hidden %d, epochs %d, lr %v: need hidden ≥ 1, epochs ≥ 1 and a finite lr > 0", h, epochs, lr)
	}
	n, d := x.Dims()
	sc := newScaler(x)
	xs := mat.NewDense(n, d, nil)
	for i := 0; i < n; i++ {
		sc.apply(xs.RawRowView(i), x.RawRowView(i))
	}
	ym, ysd := meanSD(y)
	ys := mat.NewDense(n, 1, nil)
	for i, v := range y {
		ys.Set(i, 0, (v-ym)/ysd)
	}
	net, err := nn.NewMLP(nn.MLPConfig{Sizes: []int{d, h, 1}, Hidden: nn.Tanh, Seed: rng.Uint64()})
	if err != nil {
		return nil, fmt.Errorf("mlp: %w", err)
	}
	opt := nn.NewAdam(net.Params(), nn.AdamOptions{LR: lr})
	t := autodiff.NewTape()
	// The divergence rule of every trainer (nn.Divergence), on the mean
	// squared error in standardised units (≥ 0; about 1 at the start).
	watch := nn.Divergence{Model: "mlp", Term: "training loss", Min: 0, Scale: 1, LR: lr, LROption: "lr"}
	for e := 1; e <= epochs; e++ {
		t.Reset()
		loss := t.MSE(net.Forward(t, t.Const(xs)), t.Const(ys))
		if err := watch.Check(e, 1, e, loss.Scalar()); err != nil {
			return nil, err
		}
		t.Backward(loss)
		opt.Step()
	}
	return &mlpModel{forward: newForward(net, sc), ym: ym, ysd: ysd}, nil
}

type mlpModel struct {
	*forward
	ym, ysd float64
}

func (m *mlpModel) Predict(x []float64) float64 {
	return m.ym + m.ysd*m.run(x)[0]
}

// MLPClassifier is package nn's MLP classifier (nn.TrainClassifier): one
// hidden layer of Hidden ReLU units and a softmax output, trained on the
// log-loss by full-batch Adam (step LR) for Epochs epochs, on standardised
// inputs, without early stopping or a validation split (so every round
// trains alike). Hidden 0 means 20, Epochs 0 means 300, LR 0 means 0.01.
// A training set holding one class fails the round.
type MLPClassifier struct {
	Hidden int
	Epochs int
	LR     float64
}

// String returns "mlpc(hidden=H)".
func (l MLPClassifier) String() string {
	return fmt.Sprintf("mlpc(hidden=%d)", orInt(l.Hidden, 20))
}

// Fit trains the classifier.
func (l MLPClassifier) Fit(x *mat.Dense, y []float64, rng *rand.Rand) (Model, error) {
	return fitClassifier(x, y, rng, []int{orInt(l.Hidden, 20)}, orInt(l.Epochs, 300), orFloat(l.LR, 0.01), "mlpc")
}

// Logistic is multinomial logistic regression (softmax regression, with
// two classes the logistic model), trained on the log-loss by full-batch
// Adam on standardised inputs through package nn: nn.TrainClassifier with
// no hidden layer. Epochs 0 means 300, LR 0 means 0.05. There is no
// penalty: on separable data the weights grow for as long as training
// lasts, and Epochs bounds them.
type Logistic struct {
	Epochs int
	LR     float64
}

// String returns "logistic".
func (l Logistic) String() string { return "logistic" }

// Fit trains the model.
func (l Logistic) Fit(x *mat.Dense, y []float64, rng *rand.Rand) (Model, error) {
	return fitClassifier(x, y, rng, []int{}, orInt(l.Epochs, 300), orFloat(l.LR, 0.05), "logistic")
}

func orInt(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

func orFloat(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

func fitClassifier(x *mat.Dense, y []float64, rng *rand.Rand, hidden []int, epochs int, lr float64, who string) (Model, error) {
	n, _ := x.Dims()
	labels := make([]string, n)
	for i, v := range y {
		c := int(v)
		if float64(c) != v || c < 0 {
			return nil, fmt.Errorf("%s: label %v of training point %d is not a class 0, 1, …", who, v, i)
		}
		labels[i] = strconv.Itoa(c)
	}
	c, _, err := nn.TrainClassifier(context.Background(), x, labels, nn.ClassifierOptions{
		Hidden: hidden, LR: lr, Epochs: epochs, BatchSize: n, ValFraction: -1, Patience: -1, Seed: rng.Uint64(),
	})
	var de *nn.DivergedError
	if errors.As(err, &de) {
		de.Model, de.LROption = who, "lr" // the learner's parameter
		return nil, de
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", who, err)
	}
	return newClassModel(c), nil
}

// newClassModel wraps a trained nn.Classifier whose class labels are the
// texts of 0, 1, ….
func newClassModel(c *nn.Classifier) *classModel {
	// Output k of the network is class Classes[k] (sorted as text).
	classes := c.Classes()
	classOf := make([]int, len(classes))
	for k, s := range classes {
		classOf[k], _ = strconv.Atoi(s)
	}
	mean, scale := c.Scaler()
	sc := &scaler{mean: mean, scale: scale, buf: make([]float64, len(mean))}
	return &classModel{forward: newForward(c.Network(), sc), classOf: classOf}
}

type classModel struct {
	*forward
	classOf []int
}

func (m *classModel) Predict(x []float64) float64 {
	z := m.run(x)
	return float64(m.classOf[argmax(z)])
}

func (m *classModel) PredictProba(dst, x []float64) {
	m.PredictLogProba(dst, x)
	for k, v := range dst {
		dst[k] = math.Exp(v)
	}
}

// PredictLogProba gives log-softmax of the logits; classes the training
// set lacked get −Inf.
func (m *classModel) PredictLogProba(dst, x []float64) {
	z := m.run(x)
	lz := logmath.LogSumExp(z)
	for k := range dst {
		dst[k] = math.Inf(-1)
	}
	for k, v := range z {
		if c := m.classOf[k]; c < len(dst) {
			dst[c] = v - lz
		}
	}
}

// scaler standardises inputs with the training set's column means and
// standard deviations (1 for a constant column).
type scaler struct {
	mean, scale, buf []float64
}

func newScaler(x *mat.Dense) *scaler {
	n, d := x.Dims()
	s := &scaler{mean: make([]float64, d), scale: make([]float64, d), buf: make([]float64, d)}
	col := make([]float64, n)
	for j := 0; j < d; j++ {
		for i := range col {
			col[i] = x.At(i, j)
		}
		s.mean[j], s.scale[j] = meanSD(col)
	}
	return s
}

func (s *scaler) apply(dst, x []float64) {
	for j, v := range x {
		dst[j] = (v - s.mean[j]) / s.scale[j]
	}
}

// meanSD returns the mean and the standard deviation (1/n; 1 when 0).
func meanSD(v []float64) (m, sd float64) {
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	for _, x := range v {
		sd += (x - m) * (x - m)
	}
	sd = math.Sqrt(sd / float64(len(v)))
	if sd == 0 {
		sd = 1
	}
	return m, sd
}

// forward evaluates a trained nn.MLP on one point without a tape, so that
// predicting a test point costs a few small matrix–vector products and no
// allocation.
type forward struct {
	sc     *scaler
	layers []*nn.Dense
	bufs   [][]float64
}

func newForward(net *nn.MLP, sc *scaler) *forward {
	f := &forward{sc: sc, layers: net.Layers}
	for _, l := range net.Layers {
		f.bufs = append(f.bufs, make([]float64, l.Out()))
	}
	return f
}

// run returns the network's output at x (scratch: valid until the next call).
func (f *forward) run(x []float64) []float64 {
	in := f.sc.buf
	f.sc.apply(in, x)
	for k, l := range f.layers {
		out := f.bufs[k]
		nOut := len(out)
		w, b := l.W.Value, l.B.Value
		copy(out, b)
		for i, v := range in {
			row := w[i*nOut : (i+1)*nOut]
			for j, wij := range row {
				out[j] += v * wij
			}
		}
		switch l.Act {
		case nn.Tanh:
			for j, v := range out {
				out[j] = math.Tanh(v)
			}
		case nn.ReLU:
			for j, v := range out {
				out[j] = math.Max(v, 0)
			}
		case nn.Sigmoid:
			for j, v := range out {
				out[j] = logmath.Sigmoid(v)
			}
		case nn.Linear, "":
		default:
			panic(fmt.Sprintf("biasvar: activation %q", l.Act))
		}
		in = out
	}
	return in
}
