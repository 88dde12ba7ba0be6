package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/internal/cli"
	"github.com/latentgo/latent/internal/csvio"
	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/nn"
)

func newNNCmd(e *env) *cobra.Command {
	return group("nn", "Train and use neural-network classifiers (MLP, log-loss)",
		"  latent nn train iris.csv --label species --hidden 64,32 --out iris-nn.json --plot loss.png\n"+
			"  latent nn predict --model iris-nn.json iris.csv",
		newNNTrainCmd(e), newNNPredictCmd(e))
}

// nnData is a labelled data set for the nn commands: from a CSV file or an
// embedded set, with an optional given validation set (MNIST's test set).
type nnData struct {
	name, labelName   string
	x, valX           *mat.Dense
	labels, valLabels []string
	columns           []string
}

// loadNNData reads --data NAME (test=true picks MNIST's test images) or
// the CSV file in args.
func loadNNData(e *env, cf *csvFlags, args []string, data string, test bool) (*nnData, error) {
	switch {
	case data != "" && len(args) > 0:
		return nil, usagef("give a file or --data %s, not both", data)
	case data == "mnist":
		m, err := datasets.LoadMNIST(mnistDir())
		if err != nil {
			return nil, fmt.Errorf("%w (run 'latent data fetch mnist')", err)
		}
		d := &nnData{name: "mnist", labelName: "digit", columns: make([]string, m.Train.Rows*m.Train.Cols)}
		for i := range d.columns {
			d.columns[i] = "px" + strconv.Itoa(i)
		}
		if test {
			d.x, d.labels = m.Test.Dense(), m.Test.LabelStrings()
		} else {
			d.x, d.labels = m.Train.Dense(), m.Train.LabelStrings()
			d.valX, d.valLabels = m.Test.Dense(), m.Test.LabelStrings()
		}
		return d, nil
	case data == "iris" || data == "digits":
		ds, err := datasets.Load(data)
		if err != nil {
			return nil, usageError{err}
		}
		return &nnData{name: data, x: ds.X, labels: ds.Labels, columns: ds.Columns, labelName: ds.LabelName}, nil
	case data != "":
		return nil, usagef("--data %q: use iris, digits or mnist", data)
	case len(args) != 1:
		return nil, usagef("give one data file (or - for stdin), or --data iris|digits|mnist")
	}
	tab, err := cf.read(e, args[0])
	if err != nil {
		return nil, err
	}
	return tableData(args[0], tab), nil
}

func tableData(path string, tab *csvio.Table) *nnData {
	if path == "-" {
		path = "<stdin>"
	}
	return &nnData{name: path, x: tab.X, labels: tab.Labels, columns: tab.Columns, labelName: tab.LabelName}
}

// readWithModelLabel reads the data file using the model's label column
// when the file has it, and without labels when it does not.
func readWithModelLabel(e *env, cf *csvFlags, args []string, label string) (*nnData, error) {
	if len(args) != 1 {
		return nil, usagef("give one data file (or - for stdin), or --data iris|digits|mnist")
	}
	var raw []byte
	var err error
	if args[0] == "-" {
		raw, err = io.ReadAll(e.stdin)
	} else {
		raw, err = os.ReadFile(args[0])
	}
	if err != nil {
		return nil, err
	}
	d := tableData(args[0], &csvio.Table{})
	o, err := cf.options(d.name)
	if err != nil {
		return nil, err
	}
	o.Label = label
	tab, err := csvio.ReadAll(bytes.NewReader(raw), o)
	if errors.Is(err, csvio.ErrLabel) {
		o.Label = ""
		tab, err = csvio.ReadAll(bytes.NewReader(raw), o)
	}
	if err != nil {
		return nil, err
	}
	return tableData(args[0], tab), nil
}

// nnTrainFlags are the flags of nn train.
type nnTrainFlags struct {
	cf                                               csvFlags
	of                                               outFlags
	data, hidden, act, optimizer, scaling, out, plot string
	lr, momentum, val, tol                           float64
	epochs, batch, patience                          int
	seed                                             uint64
	asJSON                                           bool
}

func (f *nnTrainFlags) register(fs *pflag.FlagSet) {
	f.cf.register(fs, true)
	f.of.register(fs)
	fs.StringVar(&f.data, "data", "", "train on an embedded data set instead of a file: iris, digits or mnist")
	fs.StringVar(&f.hidden, "hidden", "100", `hidden layer widths, comma-separated ("none" for no hidden layer)`)
	fs.StringVar(&f.act, "act", "relu", "hidden activation: relu, tanh or sigmoid")
	fs.StringVar(&f.optimizer, "optimizer", "adam", "adam, sgd or momentum")
	fs.Float64Var(&f.lr, "lr", 0, "learning rate (default 0.001 for adam, 0.01 for sgd and momentum)")
	fs.Float64Var(&f.momentum, "momentum", 0.9, "momentum μ of the momentum optimizer")
	fs.IntVar(&f.epochs, "epochs", 200, "largest number of passes over the training rows")
	fs.IntVar(&f.batch, "batch", 0, "minibatch size (default min(200, training rows))")
	fs.Float64Var(&f.val, "val", 0.2, "share of rows held out for validation, per class (0: none)")
	fs.Float64Var(&f.tol, "tol", 1e-4, "stop early when the training loss has not improved by this much for --patience epochs")
	fs.IntVar(&f.patience, "patience", 10, "epochs without improvement before stopping early (negative: never stop early)")
	fs.StringVar(&f.scaling, "scale", "", "input scaling: standard or none (default standard; none for --data mnist)")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed of the weights, the split and the batch order")
	fs.StringVarP(&f.out, "out", "o", "", "write the model to this JSON file")
	fs.StringVar(&f.plot, "plot", "", "draw the loss per epoch to this image (.png, .svg or .pdf)")
	fs.BoolVar(&f.asJSON, "json", false, "print the report as JSON")
}

// options checks the flags that need no data and returns the classifier's
// options from them. Every bad value is a usage error here, before any
// data are read, with the rules of vae train: a value typed is that value
// (--lr 0 is an error, not "the default"), and the zeros that nn's options
// take for "default" are refused when typed (--tol 0, --patience 0,
// --momentum 0, --batch 0).
func (f *nnTrainFlags) options(fs *pflag.FlagSet) (nn.ClassifierOptions, error) {
	o := nn.ClassifierOptions{Optimizer: f.optimizer, LR: f.lr, Momentum: f.momentum, Epochs: f.epochs, BatchSize: f.batch,
		ValFraction: f.val, Tol: f.tol, Patience: f.patience, Scaling: f.scaling, Seed: f.seed}
	var err error
	if o.Hidden, err = parseHidden(f.hidden); err != nil {
		return o, err
	}
	if o.Activation, err = nn.ParseActivation(f.act); err != nil {
		return o, usageError{err}
	}
	given := func(flag string) bool { return cli.Given(fs, flag) }
	if err := cli.Validate(
		cli.OneOf("--optimizer", f.optimizer, "adam", "sgd", "momentum"),
		optional(given("lr"), cli.Positive("--lr", f.lr)),
		cli.Want("--momentum", f.momentum, f.momentum > 0 && f.momentum < 1, "give a number in (0, 1) (--optimizer sgd has no momentum)"),
		cli.AtLeast("--epochs", f.epochs, 1),
		optional(given("batch"), cli.AtLeast("--batch", f.batch, 1)),
		cli.Want("--val", f.val, f.val >= 0 && f.val < 1, "give a fraction in [0, 1) (0 holds out nothing)"),
		cli.Positive("--tol", f.tol),
		cli.Want("--patience", f.patience, f.patience != 0, "give at least 1, or a negative number never to stop early"),
		optional(given("scale"), cli.OneOf("--scale", f.scaling, "standard", "none")),
	); err != nil {
		return o, err
	}
	if f.data == "" && f.cf.label == "" {
		return o, usagef("--label COL is required: the column holding the classes")
	}
	if f.val == 0 {
		o.ValFraction = -1
	}
	if o.Scaling == "" && f.data == "mnist" {
		o.Scaling = "none" // pixels are in [0, 1] already
	}
	return o, nil
}

// optional is check when the flag was given, nil otherwise: for flags
// whose default is not a value the user could type (--lr's 0, "the
// optimizer's default").
func optional(given bool, check error) error {
	if !given {
		return nil
	}
	return check
}

// parseHidden reads "64,32" as layer widths; "" or "none" means no hidden
// layer.
func parseHidden(s string) ([]int, error) {
	if s == "" || s == "none" {
		return []int{}, nil
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, usagef("--hidden %q: give layer widths as positive integers separated by commas, e.g. 64,32", s)
		}
		out = append(out, n)
	}
	return out, nil
}

// nnFlags names the nn train flag that sets each field of
// nn.ClassifierOptions, to report nn's option errors as flag errors.
var nnFlags = map[string]string{"Hidden": "--hidden", "Activation": "--act", "Optimizer": "--optimizer", "LR": "--lr",
	"Momentum": "--momentum", "Epochs": "--epochs", "BatchSize": "--batch", "ValFraction": "--val", "Tol": "--tol",
	"Patience": "--patience", "Scaling": "--scale"}

// nnFlagError speaks of flags where nn's error speaks of options: an
// option error is a usage error naming the flag; the divergence and
// memory guards' errors name the flags to lower.
func nnFlagError(err error) error {
	var oe *nn.OptionError
	if errors.As(err, &oe) {
		if flag, ok := nnFlags[strings.SplitN(oe.Option, "[", 2)[0]]; ok {
			return usagef("%s %s: %s", flag, oe.ValueString(), oe.Reason)
		}
	}
	return withFlags(err, map[string]string{"ClassifierOptions.LR": "--lr", "ClassifierOptions.Hidden": "--hidden",
		"ClassifierOptions.BatchSize": "--batch"})
}

const nnTrainLong = `Train a multilayer perceptron classifier on a CSV file whose --label column holds
the classes (or on an embedded set with --data iris|digits|mnist), by minimising
the softmax cross-entropy (log-loss) with minibatch gradient descent.

Defaults follow scikit-learn's MLPClassifier: one hidden layer of 100 ReLU units,
Adam with learning rate 0.001, minibatches of min(200, n) rows, at most 200
epochs, stopping when the training loss has not improved by --tol for --patience
epochs. A seeded, stratified --val share of the rows (default 20%) is held out
and only scored: its accuracy, log-loss and confusion matrix are printed. For
--data mnist the 10000 test images are the validation set. Inputs are
standardised with the training rows' means and standard deviations (--scale
standard), stored in the model file; --data mnist defaults to --scale none, as
its pixels are already in [0, 1].

--out writes the model (see 'latent nn predict'); --plot draws the training and
validation loss per epoch (PNG, SVG or PDF by extension). The same --seed gives
the same model.`

func newNNTrainCmd(e *env) *cobra.Command {
	var f nnTrainFlags
	c := &cobra.Command{
		Use:   "train [DATA.csv|-] --label COL",
		Short: "Train an MLP classifier on log-loss",
		Long:  nnTrainLong,
		Example: `  latent nn train iris.csv --label species --hidden 64,32 --act tanh --out iris-nn.json
  latent nn train --data digits --hidden 64,32 --epochs 100 --plot loss.png
  latent nn train --data mnist --hidden 128 --epochs 5 --batch 64 --out mnist-nn.json --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runNNTrain(cmd.Context(), e, cmd.Flags(), &f, args)
		},
	}
	f.register(c.Flags())
	return c
}

func runNNTrain(ctx context.Context, e *env, fs *pflag.FlagSet, f *nnTrainFlags, args []string) error {
	o, err := f.options(fs)
	if err != nil {
		return err
	}
	opts, err := declare(&f.of, f.asJSON, args, cli.Output{Flag: "--out", Path: f.out, Kind: cli.File},
		cli.Output{Flag: "--plot", Path: f.plot, Kind: cli.Chart}).Check()
	if err != nil {
		return err
	}
	d, err := loadNNData(e, &f.cf, args, f.data, false)
	if err != nil {
		return err
	}
	if d.labels == nil {
		return usagef("%s has no label column; give --label COL", d.name)
	}
	o.Columns, o.Label = d.columns, d.labelName
	if d.valX != nil {
		o.ValX, o.ValLabels = d.valX, d.valLabels
	}
	bar := newProgress(e.stderr, f.epochs, "nn train")
	o.Progress = func(p nn.Progress) {
		bar.Add(1)
		bar.Describe(fmt.Sprintf("nn train: epoch %d loss %.4f", p.Epoch, p.TrainLoss))
	}
	clf, rep, err := nn.TrainClassifier(ctx, d.x, d.labels, o)
	bar.Done()
	if errors.Is(err, nn.ErrNoData) {
		return fmt.Errorf("%s: %w", d.name, err)
	} else if err != nil {
		return nnFlagError(err)
	}
	if f.out != "" {
		if err := clf.Save(f.out, opts); err != nil {
			return err
		}
	}
	if f.plot != "" {
		if err := saveLossChart(f.plot, rep, d.name, opts); err != nil {
			return err
		}
	}
	if f.asJSON {
		return writeJSON(e.stdout, struct {
			Data    string     `json:"data"`
			Rows    int        `json:"rows"`
			Columns int        `json:"columns"`
			Label   string     `json:"label"`
			Classes []string   `json:"classes"`
			Model   string     `json:"model,omitempty"`
			Plot    string     `json:"plot,omitempty"`
			Report  *nn.Report `json:"report"`
		}{d.name, len(d.labels), len(d.columns), d.labelName, clf.Classes(), f.out, f.plot, rep})
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "data      %s: %d rows × %d columns, label %q, %d classes\n", d.name, len(d.labels), len(d.columns), d.labelName, len(clf.Classes()))
	rep.WriteText(&b)
	writeWrote(&b, f.out, f.plot)
	_, err = e.stdout.Write(b.Bytes())
	return err
}

// writeWrote ends a summary with the files written, if any.
func writeWrote(b *bytes.Buffer, paths ...string) {
	var wrote []string
	for _, p := range paths {
		if p != "" {
			wrote = append(wrote, p)
		}
	}
	if len(wrote) > 0 {
		fmt.Fprintf(b, "\nwrote %s\n", strings.Join(wrote, ", "))
	}
}

// nnPredictFlags are the flags of nn predict.
type nnPredictFlags struct {
	cf               csvFlags
	of               outFlags
	model, data, out string
	asJSON           bool
}

func newNNPredictCmd(e *env) *cobra.Command {
	var f nnPredictFlags
	c := &cobra.Command{
		Use:   "predict --model MODEL.json [DATA.csv|-]",
		Short: "Predict classes with a trained MLP classifier",
		Long: `Predict the class of each row of a CSV file (or of an embedded set with --data;
for mnist, its test images) with a model written by 'latent nn train'.

When the file has the model's label column (or --label names one), the
accuracy, log-loss and confusion matrix are printed. --out writes one row per
input row: the predicted class and the probability of each class (CSV; "-" for
stdout, and the summary then goes to stderr). The columns must be the model's,
in the same order.`,
		Example: `  latent nn predict --model iris-nn.json iris.csv
  latent nn predict --model iris-nn.json new.csv --out predictions.csv
  latent nn predict --model mnist-nn.json --data mnist --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runNNPredict(e, &f, args) },
	}
	fs := c.Flags()
	f.cf.register(fs, true)
	f.of.register(fs)
	fs.StringVarP(&f.model, "model", "m", "", "model file written by 'latent nn train'")
	fs.StringVar(&f.data, "data", "", "predict an embedded data set: iris, digits or mnist (its test images)")
	fs.StringVarP(&f.out, "out", "o", "", `write the predictions as CSV to this file ("-": stdout)`)
	fs.BoolVar(&f.asJSON, "json", false, "print the summary and predictions as JSON")
	return c
}

func runNNPredict(e *env, f *nnPredictFlags, args []string) error {
	if f.model == "" {
		return usagef("--model MODEL.json is required")
	}
	opts, err := declare(&f.of, f.asJSON, append([]string{f.model}, args...), cli.Output{Flag: "--out", Path: f.out, Kind: cli.Stream}).Check()
	if err != nil {
		return err
	}
	clf, err := nn.LoadClassifier(f.model)
	if err != nil {
		return err
	}
	var d *nnData
	if f.data != "" || f.cf.label != "" || clf.Label() == "" {
		d, err = loadNNData(e, &f.cf, args, f.data, true)
	} else {
		d, err = readWithModelLabel(e, &f.cf, args, clf.Label())
	}
	if err != nil {
		return err
	}
	if f.cf.noHeader && f.data == "" {
		d.columns = byPosition(e, d.name, d.columns, clf.Columns())
	}
	var ce *nn.ColumnsError
	if err := clf.CheckColumns(d.columns); errors.As(err, &ce) {
		return fmt.Errorf("%s: %s%s", d.name, ce.Reason(), headerHint(d.columns, clf.Columns()))
	}
	p, err := clf.Classify(d.x, d.labels)
	if err != nil {
		return fmt.Errorf("%s: %w", d.name, err)
	}
	summary := e.stdout
	if f.out == "-" {
		if err := p.WriteCSV(e.stdout); err != nil {
			return err
		}
		summary = e.stderr
	} else if f.out != "" {
		if err := fileio.WriteFile(f.out, p.WriteCSV, opts); err != nil {
			return err
		}
	}
	if f.asJSON {
		return writeJSON(summary, struct {
			Data  string `json:"data"`
			Model string `json:"model"`
			Rows  int    `json:"rows"`
			*nn.Predictions
		}{d.name, f.model, len(p.Predicted), p})
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s: %d rows predicted with %s\n", d.name, len(p.Predicted), f.model)
	p.WriteText(&b)
	if f.out != "-" {
		writeWrote(&b, f.out)
	}
	_, err = summary.Write(b.Bytes())
	return err
}
