package nn

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/autodiff"
)

// ClassifierOptions configure TrainClassifier. The zero value trains
// scikit-learn's MLPClassifier defaults where they apply: one hidden layer
// of 100 ReLU units, Adam with step 1e-3, minibatches of min(200, n), up to
// 200 epochs, stopping when the training loss has not improved by 1e-4 for
// 10 epochs.
type ClassifierOptions struct {
	// Hidden are the widths of the hidden layers; nil means {100}. An empty
	// non-nil slice means none (multinomial logistic regression).
	Hidden []int
	// Activation of the hidden layers; "" means ReLU.
	Activation Activation
	// Init of the weights; InitAuto (the zero value) is He for ReLU and
	// Glorot for tanh and sigmoid.
	Init Init
	// Optimizer is "adam" (the default for ""), "sgd" or "momentum".
	Optimizer string
	// LR is the learning rate; 0 means 1e-3 for Adam and 1e-2 for SGD and
	// momentum.
	LR float64
	// Momentum is μ for the momentum optimizer; 0 means 0.9.
	Momentum float64
	// Epochs is the largest number of passes over the training rows; 0
	// means 200.
	Epochs int
	// BatchSize is the minibatch size; 0 means min(200, training rows).
	BatchSize int
	// ValFraction is the share of rows held out for validation, drawn per
	// class (stratified) from a seeded shuffle and rounded per class; 0
	// means 0.2, a negative value means no validation split. Ignored when
	// ValX is given.
	ValFraction float64
	// ValX and ValLabels, when ValX is not nil, are the validation set
	// (for example MNIST's test set), used instead of a split.
	ValX      mat.Matrix
	ValLabels []string
	// Tol and Patience stop training early, as scikit-learn does, when the
	// mean training loss of an epoch has not fallen below the best so far
	// minus Tol for Patience epochs in a row. Zero values mean 1e-4 and 10;
	// a negative Patience never stops early.
	Tol      float64
	Patience int
	// Scaling is how inputs are scaled before the network: "standard" (the
	// default for "") subtracts each column's training mean and divides by
	// its standard deviation (scikit-learn's StandardScaler); "none" leaves
	// them as they are, which suits inputs already in [0, 1] such as MNIST
	// pixels (standardising a border pixel that is almost always 0 turns
	// its rare ink into outliers of hundreds of standard deviations).
	Scaling string
	// Seed seeds the weights, the validation split and the minibatch
	// order (separate streams); the same seed gives the same bits.
	Seed uint64
	// Progress, when not nil, is called after every epoch.
	Progress func(EpochStats)
}

// EpochStats describe one epoch of training.
type EpochStats struct {
	Epoch     int     `json:"epoch"`      // 1-based
	TrainLoss float64 `json:"train_loss"` // mean log-loss over the epoch's minibatches, weighted by batch size
	// ValLoss and ValAccuracy are measured after the epoch on the
	// validation rows; absent without a validation set.
	ValLoss     *float64 `json:"val_loss,omitempty"`
	ValAccuracy *float64 `json:"val_accuracy,omitempty"`
	Seconds     float64  `json:"seconds"` // wall time of the epoch's training steps
}

// Metrics are a classifier's scores on labelled rows.
type Metrics struct {
	Rows     int     `json:"rows"`
	Accuracy float64 `json:"accuracy"` // share of rows whose most probable class is the label
	// LogLoss is the mean of −log p(label | x) in nats, computed from the
	// logits in log space (no clipping of probabilities).
	LogLoss float64  `json:"log_loss"`
	Classes []string `json:"classes"`
	// Confusion[i][j] counts rows of true class i predicted as class j
	// (scikit-learn's confusion_matrix layout).
	Confusion [][]int `json:"confusion"`
}

// Report describes a training run.
type Report struct {
	// Status is "converged" when the early-stopping rule fired, and
	// "max-epochs" when training ran for Epochs epochs.
	Status     string       `json:"status"`
	Epochs     []EpochStats `json:"epochs"`
	Sizes      []int        `json:"sizes"` // layer widths, input first
	Params     int          `json:"params"`
	Optimizer  string       `json:"optimizer"`
	LR         float64      `json:"lr"`
	BatchSize  int          `json:"batch_size"`
	Seed       uint64       `json:"seed"`
	Scaling    string       `json:"scaling"`
	Train      Metrics      `json:"train"`                // after the last epoch
	Validation *Metrics     `json:"validation,omitempty"` // absent without a validation set
	Seconds    float64      `json:"seconds"`              // whole run
}

// Classifier is a trained multilayer perceptron over standardised inputs:
// p(class | x) = softmax(net((x − Mean) / Scale)).
type Classifier struct {
	Classes []string    // class labels; output k of the network is Classes[k]
	Columns []string    // names of the input columns (may be empty strings)
	Label   string      // name of the label column, "" when unknown
	Mean    []float64   // per-column means of the training rows
	Scale   []float64   // per-column standard deviations (ddof 0), 1 where a column is constant
	Net     *MLP        // logits network
	Trained TrainedWith // how it was trained (informative)
}

// TrainedWith records the settings of the run that produced a classifier.
type TrainedWith struct {
	Activation  Activation `json:"activation"`
	Optimizer   string     `json:"optimizer"`
	LR          float64    `json:"lr"`
	BatchSize   int        `json:"batch_size"`
	Epochs      int        `json:"epochs"` // epochs actually run
	Seed        uint64     `json:"seed"`
	ValFraction float64    `json:"val_fraction"` // 0 when no split was held out
	Scaling     string     `json:"scaling"`      // standard or none
	TrainRows   int        `json:"train_rows"`
}

// ErrNoData is returned when there is nothing to train on.
var ErrNoData = errors.New("nn: no training rows")

// TrainClassifier trains an MLP classifier with softmax cross-entropy
// (log-loss) on the rows of x labelled by labels. Classes are the distinct
// labels, sorted numerically when every label is a number and as text
// otherwise. Inputs are standardised with the training rows' means and
// standard deviations, which the classifier keeps. The context cancels
// training between minibatches.
func TrainClassifier(ctx context.Context, x mat.Matrix, labels []string, opts ClassifierOptions) (*Classifier, *Report, error) {
	start := time.Now()
	o, err := opts.withDefaults()
	if err != nil {
		return nil, nil, err
	}
	n, d := x.Dims()
	if n == 0 || d == 0 {
		return nil, nil, fmt.Errorf("%w: the data are %d×%d", ErrNoData, n, d)
	}
	if len(labels) != n {
		return nil, nil, fmt.Errorf("nn: %d labels for %d rows", len(labels), n)
	}
	if err := checkFinite(x, "training data"); err != nil {
		return nil, nil, err
	}
	classes := sortedClasses(labels)
	if len(classes) < 2 {
		return nil, nil, fmt.Errorf("nn: the labels hold one class (%q); a classifier needs at least 2", classes[0])
	}
	index := classIndex(classes)
	y := make([]int, n)
	for i, l := range labels {
		y[i] = index[l]
	}

	// The validation rows: given, split off, or none.
	var trainRows, valRows []int
	var valX mat.Matrix
	var valY []int
	switch {
	case o.ValX != nil:
		vn, vd := o.ValX.Dims()
		if vd != d {
			return nil, nil, fmt.Errorf("nn: the validation data have %d columns, the training data %d", vd, d)
		}
		if len(o.ValLabels) != vn {
			return nil, nil, fmt.Errorf("nn: %d validation labels for %d rows", len(o.ValLabels), vn)
		}
		if err := checkFinite(o.ValX, "validation data"); err != nil {
			return nil, nil, err
		}
		valY = make([]int, vn)
		for i, l := range o.ValLabels {
			k, ok := index[l]
			if !ok {
				return nil, nil, fmt.Errorf("nn: validation row %d has label %q, which no training row has (the classes are %q)", i+1, l, classes)
			}
			valY[i] = k
		}
		valX = o.ValX
		trainRows = seq(n)
	case o.ValFraction > 0:
		trainRows, valRows = stratifiedSplit(y, len(classes), o.ValFraction, o.Seed)
		if len(valRows) == 0 {
			return nil, nil, fmt.Errorf("nn: a validation fraction of %v of %d rows holds out no row; give a larger fraction or none", o.ValFraction, n)
		}
	default:
		trainRows = seq(n)
	}

	xd := mat.DenseCopyOf(x)
	mean, scale := fitScaler(xd, trainRows)
	if o.Scaling == "none" {
		for j := range mean {
			mean[j], scale[j] = 0, 1
		}
	}
	standardize(xd, mean, scale)
	xTrain, yTrain := subset(xd, y, trainRows)
	if valRows != nil {
		valX, valY = subset(xd, y, valRows)
	} else if valX != nil {
		v := mat.DenseCopyOf(valX)
		standardize(v, mean, scale)
		valX = v
	}

	sizes := append(append([]int{d}, o.Hidden...), len(classes))
	net, err := NewMLP(MLPConfig{Sizes: sizes, Hidden: o.Activation, Init: o.Init, Seed: o.Seed})
	if err != nil {
		return nil, nil, err
	}
	params := net.Params()
	var opt Optimizer
	switch o.Optimizer {
	case "adam":
		opt = NewAdam(params, AdamOptions{LR: o.LR})
	case "sgd":
		opt = NewSGD(params, o.LR)
	case "momentum":
		opt = NewMomentum(params, o.LR, o.Momentum)
	}
	nTrain := len(trainRows)
	batch := o.BatchSize
	if batch == 0 {
		batch = min(200, nTrain)
	}
	c := &Classifier{Classes: classes, Label: "", Mean: mean, Scale: scale, Net: net}
	rep := &Report{Status: "max-epochs", Sizes: sizes, Params: net.NumParams(), Optimizer: o.Optimizer, LR: o.LR, BatchSize: batch, Seed: o.Seed, Scaling: o.Scaling}

	tape := autodiff.NewTape()
	batches := NewBatches(nTrain, batch, o.Seed)
	lab := make([]int, batch)
	best, stall := math.Inf(1), 0
	for epoch := 1; epoch <= o.Epochs; epoch++ {
		t0 := time.Now()
		batches.Shuffle()
		sum := 0.0
		for idx := batches.Next(); idx != nil; idx = batches.Next() {
			if err := ctx.Err(); err != nil {
				return nil, nil, err
			}
			tape.Reset()
			xb := GatherRows(tape, xTrain, idx)
			lab = lab[:len(idx)]
			for k, i := range idx {
				lab[k] = yTrain[i]
			}
			loss := tape.Mean(tape.SoftmaxCrossEntropy(net.Forward(tape, xb), lab))
			tape.Backward(loss)
			opt.Step()
			sum += loss.Scalar() * float64(len(idx))
		}
		es := EpochStats{Epoch: epoch, TrainLoss: sum / float64(nTrain), Seconds: time.Since(t0).Seconds()}
		if math.IsNaN(es.TrainLoss) || math.IsInf(es.TrainLoss, 0) {
			return nil, nil, fmt.Errorf("nn: the training loss became %v in epoch %d; lower the learning rate (%v)", es.TrainLoss, epoch, o.LR)
		}
		if valX != nil {
			m := c.evaluate(valX, valY)
			es.ValLoss, es.ValAccuracy = &m.LogLoss, &m.Accuracy
		}
		rep.Epochs = append(rep.Epochs, es)
		if o.Progress != nil {
			o.Progress(es)
		}
		if es.TrainLoss > best-o.Tol {
			stall++
		} else {
			stall = 0
		}
		best = min(best, es.TrainLoss)
		if o.Patience >= 0 && stall >= o.Patience {
			rep.Status = "converged"
			break
		}
	}
	rep.Train = c.evaluate(xTrain, yTrain)
	if valX != nil {
		m := c.evaluate(valX, valY)
		rep.Validation = &m
	}
	valFrac := 0.0
	if valRows != nil {
		valFrac = o.ValFraction
	}
	c.Trained = TrainedWith{Activation: net.Layers[0].Act, Optimizer: o.Optimizer, LR: o.LR, BatchSize: batch,
		Epochs: len(rep.Epochs), Seed: o.Seed, ValFraction: valFrac, TrainRows: nTrain, Scaling: o.Scaling}
	if len(o.Hidden) == 0 {
		c.Trained.Activation = Linear
	}
	rep.Seconds = time.Since(start).Seconds()
	return c, rep, nil
}

func (o ClassifierOptions) withDefaults() (ClassifierOptions, error) {
	if o.Hidden == nil {
		o.Hidden = []int{100}
	}
	for _, h := range o.Hidden {
		if h < 1 {
			return o, fmt.Errorf("nn: hidden layer width %d must be at least 1", h)
		}
	}
	if o.Activation == "" {
		o.Activation = ReLU
	}
	if _, err := ParseActivation(string(o.Activation)); err != nil {
		return o, err
	}
	if o.Optimizer == "" {
		o.Optimizer = "adam"
	}
	switch o.Optimizer {
	case "adam":
		if o.LR == 0 {
			o.LR = 1e-3
		}
	case "sgd", "momentum":
		if o.LR == 0 {
			o.LR = 1e-2
		}
	default:
		return o, fmt.Errorf("nn: unknown optimizer %q; use adam, sgd or momentum", o.Optimizer)
	}
	if !(o.LR > 0) || math.IsInf(o.LR, 0) {
		return o, fmt.Errorf("nn: learning rate %v must be positive", o.LR)
	}
	if o.Momentum < 0 || o.Momentum >= 1 {
		return o, fmt.Errorf("nn: momentum %v must be in [0, 1)", o.Momentum)
	}
	switch o.Scaling {
	case "":
		o.Scaling = "standard"
	case "standard", "none":
	default:
		return o, fmt.Errorf("nn: unknown scaling %q; use standard or none", o.Scaling)
	}
	if o.Epochs == 0 {
		o.Epochs = 200
	}
	if o.Epochs < 0 {
		return o, fmt.Errorf("nn: %d epochs; give at least 1", o.Epochs)
	}
	if o.BatchSize < 0 {
		return o, fmt.Errorf("nn: batch size %d must be at least 1", o.BatchSize)
	}
	if o.ValFraction == 0 {
		o.ValFraction = 0.2
	}
	if o.ValFraction >= 1 || math.IsNaN(o.ValFraction) {
		return o, fmt.Errorf("nn: validation fraction %v must be below 1", o.ValFraction)
	}
	if o.Tol == 0 {
		o.Tol = 1e-4
	}
	if o.Patience == 0 {
		o.Patience = 10
	}
	return o, nil
}

// sortedClasses returns the distinct labels, sorted numerically when all
// parse as numbers and as strings otherwise.
func sortedClasses(labels []string) []string {
	seen := map[string]bool{}
	var cls []string
	for _, l := range labels {
		if !seen[l] {
			seen[l] = true
			cls = append(cls, l)
		}
	}
	nums := make(map[string]float64, len(cls))
	numeric := true
	for _, c := range cls {
		v, err := strconv.ParseFloat(c, 64)
		if err != nil {
			numeric = false
			break
		}
		nums[c] = v
	}
	sort.Slice(cls, func(i, j int) bool {
		if numeric && nums[cls[i]] != nums[cls[j]] {
			return nums[cls[i]] < nums[cls[j]]
		}
		return cls[i] < cls[j]
	})
	return cls
}

func classIndex(classes []string) map[string]int {
	m := make(map[string]int, len(classes))
	for i, c := range classes {
		m[c] = i
	}
	return m
}

// stratifiedSplit holds out round(frac·n_c) rows of each class c, chosen by
// a seeded shuffle, keeping at least one row of each class for training.
// Both lists are in increasing row order.
func stratifiedSplit(y []int, k int, frac float64, seed uint64) (train, val []int) {
	rng := rand.New(rand.NewPCG(seed, streamSplit))
	byClass := make([][]int, k)
	for i, c := range y {
		byClass[c] = append(byClass[c], i)
	}
	for _, rows := range byClass {
		rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		nv := int(math.Round(frac * float64(len(rows))))
		nv = min(nv, len(rows)-1)
		val = append(val, rows[:nv]...)
		train = append(train, rows[nv:]...)
	}
	slices.Sort(train)
	slices.Sort(val)
	return train, val
}

// fitScaler returns the means and standard deviations (ddof 0) of the
// given rows of x, with scale 1 for a constant column (scikit-learn's
// StandardScaler).
func fitScaler(x *mat.Dense, rows []int) (mean, scale []float64) {
	_, d := x.Dims()
	mean, scale = make([]float64, d), make([]float64, d)
	for j := 0; j < d; j++ {
		m := 0.0
		for _, i := range rows {
			m += x.At(i, j)
		}
		m /= float64(len(rows))
		v := 0.0
		for _, i := range rows {
			dv := x.At(i, j) - m
			v += dv * dv
		}
		sd := math.Sqrt(v / float64(len(rows)))
		if sd == 0 || math.IsNaN(sd) {
			sd = 1
		}
		mean[j], scale[j] = m, sd
	}
	return mean, scale
}

func standardize(x *mat.Dense, mean, scale []float64) {
	r, c := x.Dims()
	for i := 0; i < r; i++ {
		row := x.RawRowView(i)
		for j := 0; j < c; j++ {
			row[j] = (row[j] - mean[j]) / scale[j]
		}
	}
}

func subset(x *mat.Dense, y []int, rows []int) (*mat.Dense, []int) {
	_, d := x.Dims()
	out := mat.NewDense(max(len(rows), 1), d, nil)
	if len(rows) == 0 {
		return &mat.Dense{}, nil
	}
	ys := make([]int, len(rows))
	for k, i := range rows {
		out.SetRow(k, x.RawRowView(i))
		ys[k] = y[i]
	}
	return out, ys
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func checkFinite(x mat.Matrix, what string) error {
	r, c := x.Dims()
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if v := x.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("nn: %s: row %d, column %d is %v; remove or impute non-finite values", what, i+1, j+1, v)
			}
		}
	}
	return nil
}

// evalBatch is the number of rows pushed through the network at once when
// predicting, which bounds the memory of a forward pass.
const evalBatch = 1024

// logits runs the network over the standardised rows of xs in batches and
// calls fn with each batch's first row and its logits.
func (c *Classifier) logits(xs *mat.Dense, fn func(start int, logits *autodiff.Node, t *autodiff.Tape)) {
	n, _ := xs.Dims()
	t := autodiff.NewForwardTape()
	idx := make([]int, 0, evalBatch)
	for s := 0; s < n; s += evalBatch {
		e := min(s+evalBatch, n)
		idx = idx[:0]
		for i := s; i < e; i++ {
			idx = append(idx, i)
		}
		t.Reset()
		fn(s, c.Net.Forward(t, GatherRows(t, xs, idx)), t)
	}
}

// evaluate scores standardised rows with class indices y.
func (c *Classifier) evaluate(xs mat.Matrix, y []int) Metrics {
	k := len(c.Classes)
	m := Metrics{Rows: len(y), Classes: c.Classes, Confusion: make([][]int, k)}
	for i := range m.Confusion {
		m.Confusion[i] = make([]int, k)
	}
	if len(y) == 0 {
		return m
	}
	xd, ok := xs.(*mat.Dense)
	if !ok {
		xd = mat.DenseCopyOf(xs)
	}
	correct, loss := 0, 0.0
	c.logits(xd, func(start int, lg *autodiff.Node, t *autodiff.Tape) {
		ce := t.SoftmaxCrossEntropy(lg, y[start:start+lg.Rows()])
		for r := 0; r < lg.Rows(); r++ {
			loss += ce.Value[r]
			p := argmax(lg.Value[r*k : (r+1)*k])
			m.Confusion[y[start+r]][p]++
			if p == y[start+r] {
				correct++
			}
		}
	})
	m.Accuracy = float64(correct) / float64(len(y))
	m.LogLoss = loss / float64(len(y))
	return m
}

func argmax(v []float64) int {
	b := 0
	for i, x := range v {
		if x > v[b] {
			b = i
		}
	}
	return b
}

// prepare checks x's width and returns its standardised copy.
func (c *Classifier) prepare(x mat.Matrix) (*mat.Dense, error) {
	_, d := x.Dims()
	if d != len(c.Mean) {
		return nil, fmt.Errorf("nn: the data have %d columns, the model takes %d", d, len(c.Mean))
	}
	if err := checkFinite(x, "data"); err != nil {
		return nil, err
	}
	xd := mat.DenseCopyOf(x)
	standardize(xd, c.Mean, c.Scale)
	return xd, nil
}

// PredictProba returns the n×K matrix of class probabilities of the rows
// of x (columns in the order of Classes).
func (c *Classifier) PredictProba(x mat.Matrix) (*mat.Dense, error) {
	xs, err := c.prepare(x)
	if err != nil {
		return nil, err
	}
	n, _ := xs.Dims()
	k := len(c.Classes)
	out := mat.NewDense(max(n, 1), k, nil)
	if n == 0 {
		return &mat.Dense{}, nil
	}
	c.logits(xs, func(start int, lg *autodiff.Node, t *autodiff.Tape) {
		sm := t.SoftmaxRows(lg)
		copy(out.RawMatrix().Data[start*k:], sm.Value)
	})
	return out, nil
}

// Predict returns the most probable class of each row of x.
func (c *Classifier) Predict(x mat.Matrix) ([]string, error) {
	p, err := c.PredictProba(x)
	if err != nil {
		return nil, err
	}
	n, _ := x.Dims()
	out := make([]string, n)
	for i := range out {
		out[i] = c.Classes[argmax(p.RawRowView(i))]
	}
	return out, nil
}

// Evaluate returns accuracy, log-loss and the confusion matrix of the
// classifier on the rows of x with their labels. A label that is not one of
// Classes is an error naming its row.
func (c *Classifier) Evaluate(x mat.Matrix, labels []string) (Metrics, error) {
	n, _ := x.Dims()
	if len(labels) != n {
		return Metrics{}, fmt.Errorf("nn: %d labels for %d rows", len(labels), n)
	}
	index := classIndex(c.Classes)
	y := make([]int, n)
	for i, l := range labels {
		k, ok := index[l]
		if !ok {
			return Metrics{}, fmt.Errorf("nn: row %d has label %q, which is not a class of the model (%q)", i+1, l, c.Classes)
		}
		y[i] = k
	}
	xs, err := c.prepare(x)
	if err != nil {
		return Metrics{}, err
	}
	return c.evaluate(xs, y), nil
}

// Hidden returns the activations of hidden layer layer (0 for the first)
// for the rows of x, after the classifier's own scaling of the inputs: the
// features the network learned, for use as inputs elsewhere. It panics
// when layer is not a hidden layer (0 ≤ layer < number of hidden layers);
// data with the wrong number of columns or non-finite values is an error.
func (c *Classifier) Hidden(x mat.Matrix, layer int) (*mat.Dense, error) {
	if layer < 0 || layer >= len(c.Net.Layers)-1 {
		panic(fmt.Sprintf("nn: Hidden: layer %d of a network with %d hidden layers", layer, len(c.Net.Layers)-1))
	}
	xs, err := c.prepare(x)
	if err != nil {
		return nil, err
	}
	t := autodiff.NewForwardTape()
	h := t.Const(xs)
	for _, l := range c.Net.Layers[:layer+1] {
		h = l.Forward(t, h)
	}
	return mat.DenseCopyOf(h.Dense()), nil
}
