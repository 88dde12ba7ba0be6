package nn

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/autodiff"
	"github.com/latentgo/latent/internal/memlimit"
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
	// Columns and Label name the input columns and the label column; the
	// classifier keeps them (and its model file), and CheckColumns
	// compares data with them. nil and "" leave them unnamed. Columns,
	// when not nil, has one name per column of x (else TrainClassifier
	// panics); a name may be "".
	Columns []string
	Label   string
	// Progress, when not nil, is called after every epoch.
	Progress func(Progress)
}

// Classifier is a trained multilayer perceptron over standardised inputs:
// p(class | x) = softmax(net((x − mean) / scale)). It is made by
// TrainClassifier or read from a model file (LoadClassifier), and never
// changes afterwards: its methods may be called from many goroutines at
// once. The accessors return copies.
type Classifier struct {
	classes []string    // class labels; output k of the network is classes[k]
	columns []string    // names of the input columns (may be empty strings)
	label   string      // name of the label column, "" when unknown
	mean    []float64   // per-column means of the training rows
	scale   []float64   // per-column standard deviations (ddof 0), 1 where a column is constant
	net     *MLP        // logits network
	trained TrainedWith // how it was trained (informative)
}

// Classes returns the class labels: output k of the network is class k.
func (c *Classifier) Classes() []string { return slices.Clone(c.classes) }

// Columns returns the names of the input columns, one per input ("" where
// a column has no name).
func (c *Classifier) Columns() []string {
	if c.columns == nil {
		return make([]string, len(c.mean))
	}
	return slices.Clone(c.columns)
}

// Label returns the name of the label column, "" when unknown.
func (c *Classifier) Label() string { return c.label }

// Inputs returns the number of input columns.
func (c *Classifier) Inputs() int { return len(c.mean) }

// Scaler returns the per-column means and scales applied to the inputs,
// x ↦ (x − mean) / scale: the training rows' means and standard
// deviations (ddof 0, 1 for a constant column), or 0 and 1 with scaling
// "none".
func (c *Classifier) Scaler() (mean, scale []float64) {
	return slices.Clone(c.mean), slices.Clone(c.scale)
}

// Network returns a copy of the logits network: changing it does not
// change the classifier.
func (c *Classifier) Network() *MLP {
	m, err := MLPFromState(c.net.State(), "network")
	if err != nil {
		panic("nn: Network: " + err.Error()) // a classifier's network always round-trips
	}
	return m
}

// Trained returns the settings of the run that produced the classifier.
func (c *Classifier) Trained() TrainedWith { return c.trained }

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

// TrainClassifier trains an MLP classifier with softmax cross-entropy
// (log-loss) on the rows of x labelled by labels. Classes are the distinct
// labels, sorted numerically when every label is a number and as text
// otherwise. Inputs are standardised with the training rows' means and
// standard deviations, which the classifier keeps. The context cancels
// training between minibatches.
//
// It panics when labels does not have one entry per row of x, or when
// opts.ValX, opts.ValLabels or opts.Columns do not fit x (mistakes in the
// calling code). Bad data are errors: no rows (ErrNoData), a value that is
// not finite, a single class, a validation label no training row has. An
// invalid option is an *OptionError, before any work; a training loss
// that breaks the divergence rule (Divergence: not finite, negative, or a
// thousandfold its first step's) ends training with a *DivergedError
// naming the step. Not converging is a Status of the report.
func TrainClassifier(ctx context.Context, x mat.Matrix, labels []string, opts ClassifierOptions) (*Classifier, *Report, error) {
	start := time.Now()
	n, d := x.Dims()
	if len(labels) != n {
		panic(fmt.Sprintf("nn: TrainClassifier: %d labels for %d rows", len(labels), n))
	}
	if opts.Columns != nil && len(opts.Columns) != d {
		panic(fmt.Sprintf("nn: TrainClassifier: %d names in ClassifierOptions.Columns for %d columns", len(opts.Columns), d))
	}
	if opts.ValX != nil {
		vn, vd := opts.ValX.Dims()
		if vd != d {
			panic(fmt.Sprintf("nn: TrainClassifier: ClassifierOptions.ValX has %d columns, the training data %d", vd, d))
		}
		if len(opts.ValLabels) != vn {
			panic(fmt.Sprintf("nn: TrainClassifier: %d ClassifierOptions.ValLabels for %d rows of ValX", len(opts.ValLabels), vn))
		}
	}
	o, err := opts.withDefaults()
	if err != nil {
		return nil, nil, err
	}
	if n == 0 || d == 0 {
		return nil, nil, fmt.Errorf("%w: the data are %d×%d", ErrNoData, n, d)
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
		if err := checkFinite(o.ValX, "validation data"); err != nil {
			return nil, nil, err
		}
		valY = make([]int, len(o.ValLabels))
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
			return nil, nil, optionErr("ValFraction", o.ValFraction, "holds out no row of the %d; give a larger fraction or none", n)
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
	batch := o.BatchSize
	if batch == 0 {
		batch = min(200, len(trainRows))
	}
	if err := checkMemory(sizes, batch, n); err != nil {
		return nil, nil, err
	}
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
	c := &Classifier{classes: classes, columns: slices.Clone(o.Columns), label: o.Label, mean: mean, scale: scale, net: net}
	rep := &Report{Status: StatusMaxEpochs, Sizes: sizes, Params: net.NumParams(), Optimizer: o.Optimizer, LR: o.LR, BatchSize: batch, Seed: o.Seed, Scaling: o.Scaling}

	tape := autodiff.NewTape()
	batches := NewBatches(nTrain, batch, o.Seed)
	lab := make([]int, batch)
	best, stall := math.Inf(1), 0
	// The divergence rule on every step's mean log-loss (≥ 0; a loss of a
	// thousand nats per row is no run that learns).
	watch := Divergence{Model: "nn", Term: "training loss", Min: 0, Scale: 1, LR: o.LR, LROption: "ClassifierOptions.LR"}
	step := 0
	for epoch := 1; epoch <= o.Epochs; epoch++ {
		t0 := time.Now()
		batches.Shuffle()
		sum := 0.0
		for b, idx := 1, batches.Next(); idx != nil; b, idx = b+1, batches.Next() {
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
			step++
			if err := watch.Check(epoch, b, step, loss.Scalar()); err != nil {
				return nil, nil, err
			}
			tape.Backward(loss)
			opt.Step()
			sum += loss.Scalar() * float64(len(idx))
		}
		es := EpochStats{Epoch: epoch, TrainLoss: sum / float64(nTrain), Seconds: time.Since(t0).Seconds()}
		if valX != nil {
			m := c.evaluate(valX, valY)
			es.ValLoss, es.ValAccuracy = &m.LogLoss, &m.Accuracy
		}
		rep.Epochs = append(rep.Epochs, es)
		if o.Progress != nil {
			o.Progress(Progress{EpochStats: es, MaxEpochs: o.Epochs, Elapsed: time.Since(start)})
		}
		if es.TrainLoss > best-o.Tol {
			stall++
		} else {
			stall = 0
		}
		best = min(best, es.TrainLoss)
		if o.Patience >= 0 && stall >= o.Patience {
			rep.Status = StatusConverged
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
	c.trained = TrainedWith{Activation: net.Layers[0].Act, Optimizer: o.Optimizer, LR: o.LR, BatchSize: batch,
		Epochs: len(rep.Epochs), Seed: o.Seed, ValFraction: valFrac, TrainRows: nTrain, Scaling: o.Scaling}
	if len(o.Hidden) == 0 {
		c.trained.Activation = Linear
	}
	rep.Activation, rep.ValFraction = c.trained.Activation, valFrac
	rep.Seconds = time.Since(start).Seconds()
	return c, rep, nil
}

// checkMemory is the memory guard (memlimit.Check) before a network of
// these layer widths is made and trained on minibatches of batch rows of
// n: its weights, their gradients and the optimizer's two moments; the
// tape of one step (a value and a gradient for the product, the bias sum
// and the activation of every layer); the evaluation's batches; and the
// standardised copies of the data.
func checkMemory(sizes []int, batch, n int) error {
	params, widths := 0.0, 0.0
	for k := 1; k < len(sizes); k++ {
		params += float64(sizes[k-1])*float64(sizes[k]) + float64(sizes[k])
		widths += float64(sizes[k])
	}
	floats := 4*params + 6*float64(batch)*widths + float64(evalBatch)*widths + 3*float64(n)*float64(sizes[0])
	if err := memlimit.Check("a network of "+widthsText(sizes)+" units and its training", 8*floats,
		"ClassifierOptions.Hidden", "ClassifierOptions.BatchSize"); err != nil {
		return fmt.Errorf("nn: %w", err)
	}
	return nil
}

// widthsText writes layer widths as "4-100-3".
func widthsText(sizes []int) string {
	s := ""
	for k, w := range sizes {
		if k > 0 {
			s += "-"
		}
		s += strconv.Itoa(w)
	}
	return s
}

func (o ClassifierOptions) withDefaults() (ClassifierOptions, error) {
	if o.Hidden == nil {
		o.Hidden = []int{100}
	}
	for i, h := range o.Hidden {
		if h < 1 {
			return o, optionErr(fmt.Sprintf("Hidden[%d]", i), h, "a layer has at least 1 unit")
		}
	}
	if o.Activation == "" {
		o.Activation = ReLU
	}
	if _, err := ParseActivation(string(o.Activation)); err != nil {
		return o, optionErr("Activation", o.Activation, "unknown; use relu, tanh, sigmoid or linear")
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
		return o, optionErr("Optimizer", o.Optimizer, "unknown; use adam, sgd or momentum")
	}
	if !(o.LR > 0) || math.IsInf(o.LR, 0) {
		return o, optionErr("LR", o.LR, "the learning rate must be positive and finite")
	}
	if !(o.Momentum >= 0 && o.Momentum < 1) {
		return o, optionErr("Momentum", o.Momentum, "must be in [0, 1)")
	}
	switch o.Scaling {
	case "":
		o.Scaling = "standard"
	case "standard", "none":
	default:
		return o, optionErr("Scaling", o.Scaling, "unknown; use standard or none")
	}
	if o.Epochs == 0 {
		o.Epochs = 200
	}
	if o.Epochs < 0 {
		return o, optionErr("Epochs", o.Epochs, "give at least 1 (0 means 200)")
	}
	if o.BatchSize < 0 {
		return o, optionErr("BatchSize", o.BatchSize, "give at least 1 (0 means min(200, training rows))")
	}
	if o.ValFraction == 0 {
		o.ValFraction = 0.2
	}
	if o.ValFraction >= 1 || math.IsNaN(o.ValFraction) {
		return o, optionErr("ValFraction", o.ValFraction, "must be below 1 (negative: no validation split)")
	}
	if math.IsNaN(o.Tol) {
		return o, optionErr("Tol", o.Tol, "must be a number")
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
		fn(s, c.net.Forward(t, GatherRows(t, xs, idx)), t)
	}
}

// evaluate scores standardised rows with class indices y.
func (c *Classifier) evaluate(xs mat.Matrix, y []int) Metrics {
	k := len(c.classes)
	m := Metrics{Rows: len(y), Classes: c.Classes(), Confusion: make([][]int, k)}
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

// prepare checks x's width (a panic in op when it is not the model's)
// and values, and returns its standardised copy.
func (c *Classifier) prepare(op string, x mat.Matrix) (*mat.Dense, error) {
	if _, d := x.Dims(); d != len(c.mean) {
		panic(fmt.Sprintf("nn: %s: the data have %d columns, the model takes %d (check data from files with CheckColumns)", op, d, len(c.mean)))
	}
	if err := checkFinite(x, "data"); err != nil {
		return nil, err
	}
	xd := mat.DenseCopyOf(x)
	standardize(xd, c.mean, c.scale)
	return xd, nil
}

// CheckColumns checks that data whose columns are named names fit the
// classifier: as many columns as it has inputs and, where both the data
// and the model name a column, the same name in the same place. It
// returns a *ColumnsError saying which column differs. Call it on data
// read from a file before PredictProba, Predict, Evaluate, Classify or
// Hidden, which panic when the number of columns is wrong.
func (c *Classifier) CheckColumns(names []string) error {
	want := c.Columns()
	if len(names) != len(want) {
		return &ColumnsError{Got: slices.Clone(names), Want: want}
	}
	for j, w := range want {
		if w != "" && names[j] != "" && names[j] != w {
			return &ColumnsError{Got: slices.Clone(names), Want: want, Column: j + 1}
		}
	}
	return nil
}

// PredictProba returns the n×K matrix of class probabilities of the rows
// of x (columns in the order of Classes). It panics when x does not have
// Inputs columns; a value that is not finite is an error.
func (c *Classifier) PredictProba(x mat.Matrix) (*mat.Dense, error) {
	xs, err := c.prepare("PredictProba", x)
	if err != nil {
		return nil, err
	}
	return c.proba(xs), nil
}

// proba returns the class probabilities of the standardised rows xs.
func (c *Classifier) proba(xs *mat.Dense) *mat.Dense {
	n, _ := xs.Dims()
	k := len(c.classes)
	if n == 0 {
		return &mat.Dense{}
	}
	out := mat.NewDense(n, k, nil)
	c.logits(xs, func(start int, lg *autodiff.Node, t *autodiff.Tape) {
		sm := t.SoftmaxRows(lg)
		copy(out.RawMatrix().Data[start*k:], sm.Value)
	})
	return out
}

// classesOf returns the most probable class of each row of p.
func (c *Classifier) classesOf(p *mat.Dense) []string {
	n := len(p.RawMatrix().Data) / len(c.classes)
	out := make([]string, n)
	for i := range out {
		out[i] = c.classes[argmax(p.RawRowView(i))]
	}
	return out
}

// Predict returns the most probable class of each row of x. It panics
// when x does not have Inputs columns; a value that is not finite is an
// error.
func (c *Classifier) Predict(x mat.Matrix) ([]string, error) {
	xs, err := c.prepare("Predict", x)
	if err != nil {
		return nil, err
	}
	return c.classesOf(c.proba(xs)), nil
}

// Evaluate returns accuracy, log-loss and the confusion matrix of the
// classifier on the rows of x with their labels. It panics when x does
// not have Inputs columns or labels one entry per row; a label that is not
// one of Classes is an error naming its row, as is a value that is not
// finite.
func (c *Classifier) Evaluate(x mat.Matrix, labels []string) (Metrics, error) {
	n, _ := x.Dims()
	if len(labels) != n {
		panic(fmt.Sprintf("nn: Evaluate: %d labels for %d rows", len(labels), n))
	}
	xs, err := c.prepare("Evaluate", x)
	if err != nil {
		return Metrics{}, err
	}
	y, err := c.indices(labels)
	if err != nil {
		return Metrics{}, err
	}
	return c.evaluate(xs, y), nil
}

// indices returns the class index of each label.
func (c *Classifier) indices(labels []string) ([]int, error) {
	index := classIndex(c.classes)
	y := make([]int, len(labels))
	for i, l := range labels {
		k, ok := index[l]
		if !ok {
			return nil, fmt.Errorf("nn: row %d has label %q, which is not a class of the model (%q)", i+1, l, c.classes)
		}
		y[i] = k
	}
	return y, nil
}

// Hidden returns the activations of hidden layer layer (0 for the first)
// for the rows of x, after the classifier's own scaling of the inputs: the
// features the network learned, for use as inputs elsewhere. It panics
// when layer is not a hidden layer (0 ≤ layer < number of hidden layers)
// or x does not have Inputs columns; a value that is not finite is an
// error.
func (c *Classifier) Hidden(x mat.Matrix, layer int) (*mat.Dense, error) {
	if layer < 0 || layer >= len(c.net.Layers)-1 {
		panic(fmt.Sprintf("nn: Hidden: layer %d of a network with %d hidden layers", layer, len(c.net.Layers)-1))
	}
	xs, err := c.prepare("Hidden", x)
	if err != nil {
		return nil, err
	}
	t := autodiff.NewForwardTape()
	h := t.Const(xs)
	for _, l := range c.net.Layers[:layer+1] {
		h = l.Forward(t, h)
	}
	return mat.DenseCopyOf(h.Dense()), nil
}
