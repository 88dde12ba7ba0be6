package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/datasets"
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
	name      string
	x         *mat.Dense
	labels    []string
	columns   []string
	labelName string
	valX      *mat.Dense
	valLabels []string
}

// loadNNData reads --data NAME (test=true picks MNIST's test images) or
// the CSV file in args.
func loadNNData(e *env, cf *csvFlags, args []string, data string, test bool) (*nnData, error) {
	if data != "" {
		if len(args) > 0 {
			return nil, usagef("give a file or --data %s, not both", data)
		}
		switch data {
		case "mnist":
			m, err := datasets.LoadMNIST(mnistDir())
			if err != nil {
				return nil, fmt.Errorf("%w (run 'latent data fetch mnist')", err)
			}
			cols := make([]string, m.Train.Rows*m.Train.Cols)
			for i := range cols {
				cols[i] = "px" + strconv.Itoa(i)
			}
			d := &nnData{name: "mnist", columns: cols, labelName: "digit"}
			if test {
				d.x, d.labels = m.Test.Dense(), m.Test.LabelStrings()
			} else {
				d.x, d.labels = m.Train.Dense(), m.Train.LabelStrings()
				d.valX, d.valLabels = m.Test.Dense(), m.Test.LabelStrings()
			}
			return d, nil
		case "iris", "digits":
			ds, err := datasets.Load(data)
			if err != nil {
				return nil, usageError{err}
			}
			return &nnData{name: data, x: ds.X, labels: ds.Labels, columns: ds.Columns, labelName: ds.LabelName}, nil
		default:
			return nil, usagef("--data %q: use iris, digits or mnist", data)
		}
	}
	if len(args) != 1 {
		return nil, usagef("give one data file (or - for stdin), or --data iris|digits|mnist")
	}
	tab, err := cf.read(e, args[0])
	if err != nil {
		return nil, err
	}
	name := args[0]
	if name == "-" {
		name = "<stdin>"
	}
	return &nnData{name: name, x: tab.X, labels: tab.Labels, columns: tab.Columns, labelName: tab.LabelName}, nil
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

func newNNTrainCmd(e *env) *cobra.Command {
	var cf csvFlags
	var of outFlags
	var data, hidden, act, optimizer, scaling, out, plotPath string
	var lr, momentum, val, tol float64
	var epochs, batch, patience int
	var seed uint64
	var asJSON bool
	c := &cobra.Command{
		Use:   "train [DATA.csv|-] --label COL",
		Short: "Train an MLP classifier on log-loss",
		Long: `Train a multilayer perceptron classifier on a CSV file whose --label column holds
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
the same model.`,
		Example: `  latent nn train iris.csv --label species --hidden 64,32 --act tanh --out iris-nn.json
  latent nn train --data digits --hidden 64,32 --epochs 100 --plot loss.png
  latent nn train --data mnist --hidden 128 --epochs 5 --batch 64 --out mnist-nn.json --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			hid, err := parseHidden(hidden)
			if err != nil {
				return err
			}
			activation, err := nn.ParseActivation(act)
			if err != nil {
				return usageError{err}
			}
			if data == "" && cf.label == "" {
				return usagef("--label COL is required: the column holding the classes")
			}
			if val < 0 || val >= 1 {
				return usagef("--val %v: give a fraction in [0, 1) (0 holds out nothing)", val)
			}
			if epochs < 1 {
				return usagef("--epochs %d: give at least 1", epochs)
			}
			if batch < 0 {
				return usagef("--batch %d: give a positive size (0 means min(200, n))", batch)
			}
			if lr < 0 {
				return usagef("--lr %v must be positive", lr)
			}
			var inputs []string
			if len(args) == 1 && args[0] != "-" {
				inputs = args
			}
			opts := of.options(inputs...)
			if err := checkOutputs(opts, []string{out}, plotPath); err != nil {
				return err
			}
			d, err := loadNNData(e, &cf, args, data, false)
			if err != nil {
				return err
			}
			if d.labels == nil {
				return usagef("%s has no label column; give --label COL", d.name)
			}
			if scaling == "" {
				scaling = "standard"
				if data == "mnist" {
					scaling = "none"
				}
			}
			o := nn.ClassifierOptions{Hidden: hid, Activation: activation, Optimizer: optimizer, LR: lr, Momentum: momentum,
				Epochs: epochs, BatchSize: batch, ValFraction: val, Tol: tol, Patience: patience, Scaling: scaling, Seed: seed}
			if val == 0 {
				o.ValFraction = -1
			}
			if d.valX != nil {
				o.ValX, o.ValLabels = d.valX, d.valLabels
			}
			bar := newProgress(e.stderr, epochs, "nn train")
			o.Progress = func(s nn.EpochStats) {
				bar.Add(1)
				bar.Describe(fmt.Sprintf("nn train: epoch %d loss %.4f", s.Epoch, s.TrainLoss))
			}
			clf, rep, err := nn.TrainClassifier(cmd.Context(), d.x, d.labels, o)
			bar.Done()
			if err != nil {
				if errors.Is(err, nn.ErrNoData) {
					return fmt.Errorf("%s: %w", d.name, err)
				}
				return err
			}
			clf.Columns, clf.Label = d.columns, d.labelName
			if out != "" {
				if err := clf.Save(out, opts); err != nil {
					return err
				}
			}
			if plotPath != "" {
				if err := saveLossChart(plotPath, rep, d.name, opts); err != nil {
					return err
				}
			}
			if asJSON {
				return writeJSON(e.stdout, struct {
					Data    string     `json:"data"`
					Rows    int        `json:"rows"`
					Columns int        `json:"columns"`
					Label   string     `json:"label"`
					Classes []string   `json:"classes"`
					Model   string     `json:"model,omitempty"`
					Plot    string     `json:"plot,omitempty"`
					Report  *nn.Report `json:"report"`
				}{d.name, len(d.labels), len(d.columns), d.labelName, clf.Classes, out, plotPath, rep})
			}
			return printTrainSummary(e.stdout, d, clf, rep, out, plotPath)
		},
	}
	fs := c.Flags()
	cf.register(fs, true)
	of.register(fs)
	fs.StringVar(&data, "data", "", "train on an embedded data set instead of a file: iris, digits or mnist")
	fs.StringVar(&hidden, "hidden", "100", `hidden layer widths, comma-separated ("none" for no hidden layer)`)
	fs.StringVar(&act, "act", "relu", "hidden activation: relu, tanh or sigmoid")
	fs.StringVar(&optimizer, "optimizer", "adam", "adam, sgd or momentum")
	fs.Float64Var(&lr, "lr", 0, "learning rate (default 0.001 for adam, 0.01 for sgd and momentum)")
	fs.Float64Var(&momentum, "momentum", 0.9, "momentum μ of the momentum optimizer")
	fs.IntVar(&epochs, "epochs", 200, "largest number of passes over the training rows")
	fs.IntVar(&batch, "batch", 0, "minibatch size (default min(200, training rows))")
	fs.Float64Var(&val, "val", 0.2, "share of rows held out for validation, per class (0: none)")
	fs.Float64Var(&tol, "tol", 1e-4, "stop early when the training loss has not improved by this much for --patience epochs")
	fs.IntVar(&patience, "patience", 10, "epochs without improvement before stopping early (negative: never stop early)")
	fs.StringVar(&scaling, "scale", "", "input scaling: standard or none (default standard; none for --data mnist)")
	fs.Uint64Var(&seed, "seed", 1, "random seed of the weights, the split and the batch order")
	fs.StringVarP(&out, "out", "o", "", "write the model to this JSON file")
	fs.StringVar(&plotPath, "plot", "", "draw the loss per epoch to this image (.png, .svg or .pdf)")
	fs.BoolVar(&asJSON, "json", false, "print the report as JSON")
	return c
}

func printTrainSummary(w io.Writer, d *nnData, clf *nn.Classifier, rep *nn.Report, out, plotPath string) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "data      %s: %d rows × %d columns, label %q, %d classes\n", d.name, len(d.labels), len(d.columns), d.labelName, len(clf.Classes))
	sizes := make([]string, len(rep.Sizes))
	for i, s := range rep.Sizes {
		sizes[i] = strconv.Itoa(s)
	}
	act := string(clf.Trained.Activation)
	fmt.Fprintf(&b, "network   %s %s, %d parameters; scaling %s\n", strings.Join(sizes, "-"), act, rep.Params, rep.Scaling)
	fmt.Fprintf(&b, "training  %s lr %g, batch %d, seed %d: %d epochs in %.1fs (%s)\n", rep.Optimizer, rep.LR, rep.BatchSize, rep.Seed, len(rep.Epochs), rep.Seconds, rep.Status)
	fmt.Fprintf(&b, "rows      %d training", rep.Train.Rows)
	if rep.Validation != nil {
		how := "given"
		if clf.Trained.ValFraction > 0 {
			how = fmt.Sprintf("stratified %g%%", 100*clf.Trained.ValFraction)
		}
		fmt.Fprintf(&b, ", %d validation (%s)", rep.Validation.Rows, how)
	}
	b.WriteString("\n\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	if rep.Validation != nil {
		fmt.Fprintln(tw, "epoch\ttrain loss\tval loss\tval accuracy\t")
	} else {
		fmt.Fprintln(tw, "epoch\ttrain loss\t")
	}
	for _, k := range epochRows(len(rep.Epochs), 10) {
		s := rep.Epochs[k]
		if s.ValLoss != nil {
			fmt.Fprintf(tw, "%d\t%.4f\t%.4f\t%.4f\t\n", s.Epoch, s.TrainLoss, *s.ValLoss, *s.ValAccuracy)
		} else {
			fmt.Fprintf(tw, "%d\t%.4f\t\n", s.Epoch, s.TrainLoss)
		}
	}
	tw.Flush()
	b.WriteString("\n")
	writeMetrics(&b, "training", rep.Train)
	if rep.Validation != nil {
		writeMetrics(&b, "validation", *rep.Validation)
		writeConfusion(&b, *rep.Validation)
	}
	var wrote []string
	for _, p := range []string{out, plotPath} {
		if p != "" {
			wrote = append(wrote, p)
		}
	}
	if len(wrote) > 0 {
		fmt.Fprintf(&b, "\nwrote %s\n", strings.Join(wrote, ", "))
	}
	_, err := w.Write(b.Bytes())
	return err
}

// epochRows picks at most max epochs to show, first and last included.
func epochRows(n, max int) []int {
	if n <= max {
		return seqInts(n)
	}
	out := make([]int, 0, max)
	for i := 0; i < max; i++ {
		out = append(out, i*(n-1)/(max-1))
	}
	return out
}

func seqInts(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

func writeMetrics(b *bytes.Buffer, what string, m nn.Metrics) {
	correct := 0
	for i := range m.Confusion {
		correct += m.Confusion[i][i]
	}
	fmt.Fprintf(b, "%-11s accuracy %.4f (%d/%d), log-loss %.4f\n", what, m.Accuracy, correct, m.Rows, m.LogLoss)
}

func writeConfusion(b *bytes.Buffer, m nn.Metrics) {
	b.WriteString("\nconfusion matrix (rows: true class, columns: predicted)\n")
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "\t")
	for _, c := range m.Classes {
		fmt.Fprintf(tw, "%s\t", c)
	}
	fmt.Fprintln(tw)
	for i, row := range m.Confusion {
		fmt.Fprintf(tw, "%s\t", m.Classes[i])
		for _, v := range row {
			fmt.Fprintf(tw, "%d\t", v)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}

func newNNPredictCmd(e *env) *cobra.Command {
	var cf csvFlags
	var of outFlags
	var model, data, out string
	var asJSON bool
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
		RunE: func(cmd *cobra.Command, args []string) error {
			if model == "" {
				return usagef("--model MODEL.json is required")
			}
			clf, err := nn.LoadClassifier(model)
			if err != nil {
				return err
			}
			inputs := []string{model}
			if len(args) == 1 && args[0] != "-" {
				inputs = append(inputs, args[0])
			}
			opts := of.options(inputs...)
			if out != "" && out != "-" {
				if err := fileio.Check(out, opts); err != nil {
					return err
				}
			}
			var d *nnData
			if data != "" || cf.label != "" || clf.Label == "" {
				d, err = loadNNData(e, &cf, args, data, true)
			} else {
				d, err = readWithModelLabel(e, &cf, args, clf.Label)
			}
			if err != nil {
				return err
			}
			if err := checkColumns(d, clf); err != nil {
				return err
			}
			proba, err := clf.PredictProba(d.x)
			if err != nil {
				return fmt.Errorf("%s: %w", d.name, err)
			}
			var metrics *nn.Metrics
			if d.labels != nil {
				m, err := clf.Evaluate(d.x, d.labels)
				if err != nil {
					return fmt.Errorf("%s: %w", d.name, err)
				}
				metrics = &m
			}
			pred := make([]string, len(proba.RawMatrix().Data)/max(len(clf.Classes), 1))
			for i := range pred {
				pred[i] = clf.Classes[argmaxRow(proba.RawRowView(i))]
			}
			summary := e.stdout
			if out != "" {
				write := func(w io.Writer) error { return writePredictions(w, clf.Classes, pred, proba) }
				if out == "-" {
					if err := write(e.stdout); err != nil {
						return err
					}
					summary = e.stderr
				} else if err := fileio.WriteFile(out, write, opts); err != nil {
					return err
				}
			}
			if asJSON {
				v := struct {
					Data        string      `json:"data"`
					Model       string      `json:"model"`
					Rows        int         `json:"rows"`
					Classes     []string    `json:"classes"`
					Predictions []string    `json:"predictions"`
					Metrics     *nn.Metrics `json:"metrics,omitempty"`
				}{d.name, model, len(pred), clf.Classes, pred, metrics}
				return writeJSON(summary, v)
			}
			var b bytes.Buffer
			fmt.Fprintf(&b, "%s: %d rows predicted with %s\n", d.name, len(pred), model)
			counts := make(map[string]int)
			for _, p := range pred {
				counts[p]++
			}
			parts := make([]string, len(clf.Classes))
			for i, c := range clf.Classes {
				parts[i] = fmt.Sprintf("%s %d", c, counts[c])
			}
			fmt.Fprintf(&b, "predicted %s\n", strings.Join(parts, ", "))
			if metrics != nil {
				b.WriteString("\n")
				writeMetrics(&b, "labels", *metrics)
				writeConfusion(&b, *metrics)
			}
			if out != "" && out != "-" {
				fmt.Fprintf(&b, "\nwrote %s\n", out)
			}
			_, err = summary.Write(b.Bytes())
			return err
		},
	}
	fs := c.Flags()
	cf.register(fs, true)
	of.register(fs)
	fs.StringVarP(&model, "model", "m", "", "model file written by 'latent nn train'")
	fs.StringVar(&data, "data", "", "predict an embedded data set: iris, digits or mnist (its test images)")
	fs.StringVarP(&out, "out", "o", "", `write the predictions as CSV to this file ("-": stdout)`)
	fs.BoolVar(&asJSON, "json", false, "print the summary and predictions as JSON")
	return c
}

// readWithModelLabel reads the data file using the model's label column
// when the file has it, and without labels when it does not.
func readWithModelLabel(e *env, cf *csvFlags, args []string, label string) (*nnData, error) {
	if len(args) != 1 {
		return nil, usagef("give one data file (or - for stdin), or --data iris|digits|mnist")
	}
	name := args[0]
	var raw []byte
	var err error
	if name == "-" {
		raw, err = io.ReadAll(e.stdin)
		name = "<stdin>"
	} else {
		raw, err = os.ReadFile(name)
	}
	if err != nil {
		return nil, err
	}
	o, err := cf.options(name)
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
	return &nnData{name: name, x: tab.X, labels: tab.Labels, columns: tab.Columns, labelName: tab.LabelName}, nil
}

// checkColumns checks that the data have the model's input columns, in
// order, when both have names.
func checkColumns(d *nnData, clf *nn.Classifier) error {
	if len(d.columns) != len(clf.Columns) {
		return fmt.Errorf("%s: %d numeric columns, but the model takes %d (%s)", d.name, len(d.columns), len(clf.Columns), abbreviate(clf.Columns))
	}
	for j, c := range clf.Columns {
		if c != "" && d.columns[j] != "" && d.columns[j] != c {
			return fmt.Errorf("%s: column %d is %q, but the model's column %d is %q; give the columns in the model's order (%s)", d.name, j+1, d.columns[j], j+1, c, abbreviate(clf.Columns))
		}
	}
	return nil
}

func abbreviate(cols []string) string {
	q := make([]string, 0, 6)
	for i, c := range cols {
		if i == 5 {
			q = append(q, "…")
			break
		}
		q = append(q, strconv.Quote(c))
	}
	return strings.Join(q, ", ")
}

func argmaxRow(v []float64) int {
	b := 0
	for i, x := range v {
		if x > v[b] {
			b = i
		}
	}
	return b
}

// writePredictions writes predicted and p_<class> columns.
func writePredictions(w io.Writer, classes, pred []string, proba *mat.Dense) error {
	cols := make([]string, len(classes))
	for i, c := range classes {
		cols[i] = "p_" + c
	}
	return csvio.Write(w, cols, proba, "predicted", pred)
}
