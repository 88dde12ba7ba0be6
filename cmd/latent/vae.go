package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/internal/csvio"
	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/internal/modelfile"
	"github.com/latentgo/latent/mixture"
	"github.com/latentgo/latent/nn"
	"github.com/latentgo/latent/vae"
)

func newVAECmd(e *env) *cobra.Command {
	return group("vae", "Train and use variational autoencoders (ELBO, IWAE, generator)",
		"  latent vae train --data digits --latent 2 --hidden 128 --epochs 40 --batch 64 --out digits-vae.json --plots charts\n"+
			"  latent vae eval --model digits-vae.json --data digits --iwae-k 1000\n"+
			"  latent vae sample --model digits-vae.json -n 100 --plot samples.png\n"+
			"  latent vae gmm --model digits-vae.json --data digits -k 10 --out codes-gmm.json",
		newVAETrainCmd(e), newVAEEvalCmd(e), newVAESampleCmd(e), newVAEReconstructCmd(e), newVAEEncodeCmd(e), newVAEGmmCmd(e))
}

// vaeData is what the vae commands read: a data set in rows, split into
// training and held-out rows when there is a split, with labels (for
// colours) and an image shape when the rows are images.
type vaeData struct {
	name                string
	x, test             *mat.Dense
	labels, testLabels  []string
	columns             []string
	labelName           string
	h, w                int // image height and width; 0 when the rows are not images
	split               string
	trainRows, testRows int
}

// vaeSource are the flags that choose data.
type vaeSource struct {
	cf       csvFlags
	data     string
	testPath string
	testFrac float64
	image    string
	seed     uint64
}

func (s *vaeSource) register(fs *pflag.FlagSet) {
	s.cf.register(fs, true)
	fs.StringVar(&s.data, "data", "", "mnist, digits (the 8×8 digits divided by 16), or a CSV file (or give the file as an argument)")
	fs.StringVar(&s.testPath, "test", "", "held-out rows from this CSV file (same columns)")
	fs.Float64Var(&s.testFrac, "test-fraction", 0.2, "share of the rows held out, by a seeded shuffle, for digits and files without --test (0: none); mnist keeps its own 10000 test images")
	fs.StringVar(&s.image, "image", "", `image shape HxW of each row, for the image charts (default: 28x28 for mnist, 8x8 for digits, square rows of files of at least 16 values)`)
}

// load reads the data named by --data or args; test rows come from
// --test, the data set's own test part (mnist) or a seeded split. check,
// when not nil, validates the rows before they are split, so that its
// messages count the rows of the file.
func (s *vaeSource) load(e *env, args []string, check func(name string, x *mat.Dense, columns []string) error) (*vaeData, error) {
	src := s.data
	if len(args) > 0 {
		if src != "" {
			return nil, usagef("give a data file or --data %s, not both", src)
		}
		src = args[0]
	}
	if src == "" {
		return nil, usagef("give the data: --data mnist, --data digits, or a CSV file")
	}
	if s.testFrac < 0 || s.testFrac >= 1 {
		return nil, usagef("--test-fraction %v: give a share in [0, 1)", s.testFrac)
	}
	d := &vaeData{name: src}
	switch src {
	case "mnist":
		if s.testPath != "" {
			return nil, usagef("--test: mnist has its own test images")
		}
		m, err := datasets.LoadMNIST(mnistDir())
		if err != nil {
			return nil, fmt.Errorf("%w (run 'latent data fetch mnist')", err)
		}
		d.x, d.labels = m.Train.Dense(), m.Train.LabelStrings()
		d.test, d.testLabels = m.Test.Dense(), m.Test.LabelStrings()
		d.columns = make([]string, m.Train.Rows*m.Train.Cols)
		for i := range d.columns {
			d.columns[i] = "px" + strconv.Itoa(i)
		}
		d.labelName, d.h, d.w, d.split = "digit", m.Train.Rows, m.Train.Cols, "MNIST's 60000 training and 10000 test images"
	case "digits":
		ds := datasets.Digits()
		ds.X.Scale(1.0/16, ds.X)
		d.x, d.labels, d.columns, d.labelName, d.h, d.w = ds.X, ds.Labels, ds.Columns, ds.LabelName, 8, 8
		if s.testPath != "" {
			return nil, usagef("--test: use --test-fraction to hold out digits")
		}
	default:
		if s.data == "iris" || s.data == "faithful" {
			return nil, usagef("--data %s: use mnist, digits or a CSV file (export it with 'latent data export %s')", s.data, s.data)
		}
		tab, err := s.cf.read(e, src)
		if err != nil {
			return nil, err
		}
		if src == "-" {
			d.name = "<stdin>"
		}
		d.x, d.labels, d.columns, d.labelName = tab.X, tab.Labels, tab.Columns, tab.LabelName
		if s.testPath != "" {
			tt, err := s.cf.read(e, s.testPath)
			if err != nil {
				return nil, err
			}
			if len(tt.Columns) != len(d.columns) {
				return nil, fmt.Errorf("%s has %d columns, %s has %d; the test rows need the same columns", s.testPath, len(tt.Columns), src, len(d.columns))
			}
			d.test, d.testLabels = tt.X, tt.Labels
			d.split = "test rows from " + s.testPath
		}
	}
	if check != nil {
		if err := check(d.name, d.x, d.columns); err != nil {
			return nil, err
		}
		if d.test != nil {
			testName := s.testPath
			if testName == "" {
				testName = d.name + " test rows"
			}
			if err := check(testName, d.test, d.columns); err != nil {
				return nil, err
			}
		}
	}
	if d.test == nil && s.testFrac > 0 {
		d.x, d.labels, d.test, d.testLabels = holdOut(d.x, d.labels, s.testFrac, s.seed)
		d.split = fmt.Sprintf("%g%% held out by a shuffle of seed %d", 100*s.testFrac, s.seed)
	}
	if d.split == "" {
		d.split = "no held-out rows"
	}
	d.trainRows, _ = d.x.Dims()
	if d.test != nil {
		d.testRows, _ = d.test.Dims()
	}
	if err := s.shape(d); err != nil {
		return nil, err
	}
	return d, nil
}

// shape sets the image shape from --image or the data.
func (s *vaeSource) shape(d *vaeData) error {
	cols := len(d.columns)
	if s.image != "" {
		hs, ws, ok := strings.Cut(strings.ToLower(s.image), "x")
		h, err1 := strconv.Atoi(hs)
		w, err2 := strconv.Atoi(ws)
		if !ok || err1 != nil || err2 != nil || h < 1 || w < 1 {
			return usagef("--image %q: give the shape as HxW, e.g. 28x28", s.image)
		}
		if h*w != cols {
			return usagef("--image %s: %d pixels, but the rows have %d values", s.image, h*w, cols)
		}
		d.h, d.w = h, w
		return nil
	}
	if d.h == 0 && cols >= 16 {
		if r := int(math.Round(math.Sqrt(float64(cols)))); r*r == cols {
			d.h, d.w = r, r
		}
	}
	return nil
}

// holdOut splits rows by a seeded shuffle: the last ⌈frac·n⌉ rows of the
// permutation (at least one, and at least one row left to train on) are
// held out; both parts keep the data's row order.
func holdOut(x *mat.Dense, labels []string, frac float64, seed uint64) (train *mat.Dense, trainLabels []string, test *mat.Dense, testLabels []string) {
	n, d := x.Dims()
	k := min(max(int(math.Ceil(frac*float64(n))), 1), n-1)
	if k < 1 {
		return x, labels, nil, nil
	}
	perm := rand.New(rand.NewPCG(seed, 0x5eed)).Perm(n)
	held := make([]bool, n)
	for _, i := range perm[n-k:] {
		held[i] = true
	}
	train, test = mat.NewDense(n-k, d, nil), mat.NewDense(k, d, nil)
	a, b := 0, 0
	for i := 0; i < n; i++ {
		if held[i] {
			test.SetRow(b, x.RawRowView(i))
			if labels != nil {
				testLabels = append(testLabels, labels[i])
			}
			b++
		} else {
			train.SetRow(a, x.RawRowView(i))
			if labels != nil {
				trainLabels = append(trainLabels, labels[i])
			}
			a++
		}
	}
	return train, trainLabels, test, testLabels
}

// rows returns the rows a command works on: "test" (the held-out rows),
// "train" or "all".
func (d *vaeData) rows(which string) (*mat.Dense, []string, error) {
	switch which {
	case "test":
		if d.test == nil {
			return nil, nil, usagef("--rows test: %s has no held-out rows (%s); use --rows all", d.name, d.split)
		}
		return d.test, d.testLabels, nil
	case "train":
		return d.x, d.labels, nil
	case "all":
		if d.test == nil {
			return d.x, d.labels, nil
		}
		n, c := d.x.Dims()
		k, _ := d.test.Dims()
		all := mat.NewDense(n+k, c, nil)
		all.Stack(d.x, d.test)
		var labels []string
		if d.labels != nil && d.testLabels != nil {
			labels = append(append(labels, d.labels...), d.testLabels...)
		}
		return all, labels, nil
	}
	return nil, nil, usagef("--rows %q: use test, train or all", which)
}

// loadVAEModel reads a model file, or the model inside a checkpoint.
func loadVAEModel(path string) (*vae.Model, error) {
	m, err := vae.Load(path)
	if errors.Is(err, modelfile.ErrKind) {
		ck, cerr := vae.LoadCheckpoint(path)
		if cerr != nil {
			return nil, cerr
		}
		return ck.Model, nil
	}
	return m, err
}

// checkVAEColumns checks that the data have the model's columns, in
// order, when both have names.
func checkVAEColumns(d *vaeData, m *vae.Model) error {
	if len(d.columns) != m.Inputs() {
		return fmt.Errorf("%s: %d numeric columns, but the model takes %d (%s)", d.name, len(d.columns), m.Inputs(), abbreviate(m.Columns))
	}
	for j, c := range m.Columns {
		if c != "" && d.columns[j] != "" && d.columns[j] != c {
			return fmt.Errorf("%s: column %d is %q, but the model's column %d is %q; give the columns in the model's order (%s)", d.name, j+1, d.columns[j], j+1, c, abbreviate(m.Columns))
		}
	}
	return nil
}

// modelSource fills the data flags' defaults from a model: the seed of
// its split, and data that the model was trained on.
func (s *vaeSource) fromModel(cmd *cobra.Command, m *vae.Model, args []string) {
	if !cmd.Flags().Changed("seed") {
		s.seed = m.Trained.Seed
	}
	if s.data == "" && len(args) == 0 && (m.Trained.Data == "mnist" || m.Trained.Data == "digits") {
		s.data = m.Trained.Data
	}
}

func newVAETrainCmd(e *env) *cobra.Command {
	var src vaeSource
	var of outFlags
	var hidden, act, decoder, scaling, out, ckpt, resume, plotDir string
	var latent, epochs, batch, warmup, iwaeK, iwaeRows int
	var lr, beta, freeBits, variance float64
	var learnVar, autoenc, binarize, asJSON bool
	c := &cobra.Command{
		Use:   "train [DATA.csv|-] [--data mnist|digits|FILE.csv]",
		Short: "Train a variational autoencoder (or a plain autoencoder) on the ELBO",
		Long: `Train a variational autoencoder by maximising the evidence lower bound
(Kingma & Welling 2014) with Adam on seeded minibatches, on MNIST (grey levels in
[0, 1]), the 8×8 digits (divided by 16) or any CSV file.

The defaults are the PyTorch example's: an encoder 784-400-(20+20) and a decoder
20-400-784 with ReLU units, a Bernoulli decoder (binary cross-entropy with
logits) on grey levels, Adam 1e-3, batches of 128, 10 epochs. --decoder
gaussian models real-valued data (standardised by default); --autoencoder
trains the deterministic baseline. --beta, --warmup and --free-bits shape the KL
term; --binarize draws binary images afresh at every batch.

After every epoch the held-out rows are scored: ELBO, reconstruction and KL
terms, KL per latent dimension and active units (posterior-collapse monitor).
With --out the whole training state goes to a checkpoint (--checkpoint, default
OUT.ckpt) after every epoch and on Ctrl-C; --resume CHECKPOINT continues the run
exactly where it stopped (same data, same result as an uninterrupted run), and
may raise --epochs. --plots DIR draws the training curves, inputs above their
reconstructions, samples, the latent space by label and, for --latent 2, the
learned manifold.`,
		Example: `  latent vae train --data mnist --epochs 10 --out mnist-vae.json --plots charts
  latent vae train --data digits --latent 2 --hidden 128 --epochs 40 --batch 64 --out digits-vae.json
  latent vae train --resume mnist-vae.json.ckpt --epochs 20 --out mnist-vae.json --force
  latent vae train measurements.csv --decoder gaussian --latent 3 --hidden 32 --out m.json --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var ck *vae.Checkpoint
			if resume != "" {
				var err error
				if ck, err = vae.LoadCheckpoint(resume); err != nil {
					return err
				}
				for _, f := range []string{"latent", "hidden", "act", "decoder", "variance", "learn-variance", "autoencoder",
					"batch", "lr", "beta", "warmup", "free-bits", "binarize", "scale"} {
					if cmd.Flags().Changed(f) {
						return usagef("--%s cannot change a resumed run; it continues with the settings in %s", f, resume)
					}
				}
				if !cmd.Flags().Changed("seed") {
					src.seed = ck.Settings.Seed
				}
				if src.data == "" && len(args) == 0 {
					src.data = ck.Settings.Data
				}
			}
			hid, err := parseHidden(hidden)
			if err != nil {
				return err
			}
			activation, err := nn.ParseActivation(act)
			if err != nil {
				return usageError{err}
			}
			lik, err := vae.ParseLikelihood(decoder)
			if err != nil {
				return usageError{err}
			}
			switch {
			case latent < 1:
				return usagef("--latent %d: give at least 1", latent)
			case epochs < 1:
				return usagef("--epochs %d: give at least 1", epochs)
			case batch < 1:
				return usagef("--batch %d: give at least 1", batch)
			case !(lr > 0):
				return usagef("--lr %v must be positive", lr)
			case beta < 0:
				return usagef("--beta %v must not be negative", beta)
			case freeBits < 0:
				return usagef("--free-bits %v must not be negative", freeBits)
			case iwaeK < 0 || iwaeRows < 0:
				return usagef("--iwae-k and --iwae-rows must not be negative")
			}
			var inputs []string
			for _, p := range append(append([]string{}, args...), src.data, src.testPath, resume) {
				if p != "" && p != "-" && p != "mnist" && p != "digits" {
					inputs = append(inputs, p)
				}
			}
			opts := of.options(inputs...)
			if ckpt == "" && out != "" {
				ckpt = out + ".ckpt"
			}
			if resume != "" && ckpt == out+".ckpt" && !cmd.Flags().Changed("checkpoint") {
				ckpt = resume
			}
			if out != "" {
				if err := fileio.Check(out, opts); err != nil {
					return err
				}
			}
			if ckpt != "" && ckpt != resume {
				if ckpt == out {
					return usagef("--checkpoint and --out are the same file")
				}
				if err := fileio.Check(ckpt, opts); err != nil {
					return fmt.Errorf("checkpoint %w (a previous run's? continue it with --resume %s)", err, ckpt)
				}
			}
			if plotDir != "" {
				if err := os.MkdirAll(plotDir, 0o755); err != nil {
					return err
				}
				if err := checkVAECharts(plotDir, opts); err != nil {
					return err
				}
			}
			if ck != nil {
				lik = ck.Model.Config.Likelihood
			}
			d, err := src.load(e, args, func(name string, x *mat.Dense, cols []string) error {
				if err := vae.CheckData(x, lik, cols); err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
				return nil
			})
			if err != nil {
				return err
			}
			var bar *progress
			started := false
			onBatch := func(b vae.BatchInfo) {
				if !started {
					bar = newProgress(e.stderr, b.Epochs*b.Batches, "vae train")
					bar.Add((b.Epoch-1)*b.Batches + b.Batch - 1)
					started = true
				}
				bar.Add(1)
				bar.Describe(fmt.Sprintf("vae train: epoch %d/%d batch %d/%d loss %.2f", b.Epoch, b.Epochs, b.Batch, b.Batches, b.Loss))
			}
			// With dynamic binarisation the held-out rows are scored as one
			// fixed binarisation (seeded), as 'vae eval' scores them.
			if (binarize || (ck != nil && ck.Settings.Binarize)) && d.test != nil {
				if d.test, err = vae.Binarize(d.test, src.seed); err != nil {
					return err
				}
				d.split += "; held-out rows binarised once"
			}
			var test mat.Matrix
			if d.test != nil {
				test = d.test
			}
			var m *vae.Model
			var rep *vae.Report
			if ck != nil {
				m, rep, err = vae.Resume(cmd.Context(), ck, d.x, vae.ResumeOptions{Epochs: epochsIf(cmd, epochs), Test: test, Checkpoint: ckpt, OnBatch: onBatch})
			} else {
				o := vae.Options{
					Model: vae.Config{Latent: latent, Hidden: hid, Activation: activation, Likelihood: lik, Variance: variance,
						LearnVariance: learnVar, Autoencoder: autoenc},
					Epochs: epochs, BatchSize: batch, LR: lr, Beta: beta, Warmup: warmup, FreeBits: freeBits, Binarize: binarize,
					Scaling: scaling, Test: test, Seed: src.seed, Checkpoint: ckpt, Data: d.name, Columns: d.columns, OnBatch: onBatch,
				}
				m, rep, err = vae.Train(cmd.Context(), d.x, o)
			}
			if bar != nil {
				bar.Done()
			}
			if err != nil {
				var ie *vae.InterruptedError
				if errors.As(err, &ie) && ie.Checkpoint != "" {
					fmt.Fprintf(e.stderr, "vae train: stopped after %d epochs and %d batches; the run is saved in %s\n"+
						"continue it with: latent vae train --resume %s --out %s --force\n", ie.At.Epoch, ie.At.Batch, ie.Checkpoint, ie.Checkpoint, orDefault(out, "MODEL.json"))
				}
				if errors.Is(err, vae.ErrNoData) {
					return fmt.Errorf("%s: %w", d.name, err)
				}
				return err
			}
			var iw *vae.IWAE
			if iwaeK > 0 && d.test != nil && !m.Config.Autoencoder {
				rows := d.test
				if n, _ := rows.Dims(); iwaeRows > 0 && iwaeRows < n {
					rows = d.test.Slice(0, iwaeRows, 0, m.Inputs()).(*mat.Dense)
				}
				ll, err := m.LogLikelihood(cmd.Context(), rows, vae.IWAEOptions{K: iwaeK, Seed: src.seed})
				if err != nil {
					return err
				}
				s := vae.Summarise(ll, iwaeK)
				iw = &s
			}
			if out != "" {
				if err := m.Save(out, opts); err != nil {
					return err
				}
			}
			var charts []string
			if plotDir != "" {
				if charts, err = vaeCharts(plotDir, m, rep, d, src.seed, opts); err != nil {
					return err
				}
			}
			if asJSON {
				return writeJSON(e.stdout, struct {
					Data       string      `json:"data"`
					Split      string      `json:"split"`
					TrainRows  int         `json:"train_rows"`
					TestRows   int         `json:"test_rows"`
					Model      string      `json:"model,omitempty"`
					Checkpoint string      `json:"checkpoint,omitempty"`
					Charts     []string    `json:"charts,omitempty"`
					IWAE       *vae.IWAE   `json:"iwae,omitempty"`
					Report     *vae.Report `json:"report"`
					Config     vae.Config  `json:"config"`
				}{d.name, d.split, d.trainRows, d.testRows, out, ckpt, charts, iw, rep, m.Config})
			}
			return printVAETrain(e.stdout, d, m, rep, iw, out, ckpt, charts)
		},
	}
	fs := c.Flags()
	src.register(fs)
	of.register(fs)
	fs.IntVar(&latent, "latent", 20, "latent dimensions")
	fs.StringVar(&hidden, "hidden", "400", `hidden layer widths of the encoder, comma-separated; the decoder mirrors them ("none" for linear maps)`)
	fs.StringVar(&act, "act", "relu", "hidden activation: relu, tanh or sigmoid")
	fs.StringVar(&decoder, "decoder", "bernoulli", "bernoulli (values in [0, 1]) or gaussian")
	fs.Float64Var(&variance, "variance", 1, "fixed variance of the Gaussian decoder (in standardised units with --scale standard), or the start of --learn-variance")
	fs.BoolVar(&learnVar, "learn-variance", false, "the Gaussian decoder learns one variance per column")
	fs.BoolVar(&autoenc, "autoencoder", false, "train a plain deterministic autoencoder (the baseline): no KL term, no sampling")
	fs.IntVar(&epochs, "epochs", 10, "passes over the training rows (with --resume: the run's total)")
	fs.IntVar(&batch, "batch", 128, "minibatch size")
	fs.Float64Var(&lr, "lr", 1e-3, "Adam learning rate")
	fs.Float64Var(&beta, "beta", 1, "weight of the KL term (β-VAE; 1 is the ELBO)")
	fs.IntVar(&warmup, "warmup", 0, "epochs of linear KL warm-up from 0 to --beta")
	fs.Float64Var(&freeBits, "free-bits", 0, "KL allowance per latent dimension, in nats (0: none)")
	fs.BoolVar(&binarize, "binarize", false, "draw binary pixels afresh at every batch (dynamic binarisation)")
	fs.StringVar(&scaling, "scale", "", "input scaling: none or standard (default none for bernoulli, standard for gaussian)")
	fs.Uint64Var(&src.seed, "seed", 1, "random seed of the weights, batches, noise and split")
	fs.StringVarP(&out, "out", "o", "", "write the model to this JSON file")
	fs.StringVar(&ckpt, "checkpoint", "", "write the training state here after every epoch and on Ctrl-C (default OUT.ckpt with --out)")
	fs.StringVar(&resume, "resume", "", "continue the run saved in this checkpoint")
	fs.StringVar(&plotDir, "plots", "", "draw the charts into this folder")
	fs.IntVar(&iwaeK, "iwae-k", 0, "after training, estimate log p(x) on the held-out rows with K importance samples (0: no)")
	fs.IntVar(&iwaeRows, "iwae-rows", 1000, "held-out rows used for the IWAE estimate (0: all)")
	fs.BoolVar(&asJSON, "json", false, "print the report as JSON")
	return c
}

func epochsIf(cmd *cobra.Command, epochs int) int {
	if cmd.Flags().Changed("epochs") {
		return epochs
	}
	return 0
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, "-")
}

func printVAETrain(w io.Writer, d *vaeData, m *vae.Model, rep *vae.Report, iw *vae.IWAE, out, ckpt string, charts []string) error {
	var b bytes.Buffer
	c := m.Config
	kind := "VAE"
	if c.Autoencoder {
		kind = "autoencoder"
	}
	fmt.Fprintf(&b, "data      %s: %d training rows, %d held out (%s)\n", d.name, d.trainRows, d.testRows, d.split)
	dec := string(c.Likelihood) + " likelihood"
	if c.Likelihood == vae.Gaussian {
		if c.LearnVariance {
			dec += " (learned variance)"
		} else {
			dec += fmt.Sprintf(" (variance %g)", c.Variance)
		}
	}
	fmt.Fprintf(&b, "model     %s: encoder %s, decoder %s, %s units, %s, %d parameters; scaling %s\n",
		kind, joinInts(rep.Encoder), joinInts(rep.Decoder), c.Activation, dec, rep.Params, rep.Settings.Scaling)
	s := rep.Settings
	extra := ""
	if s.Beta != 1 {
		extra += fmt.Sprintf(", β %g", s.Beta)
	}
	if s.Warmup > 0 {
		extra += fmt.Sprintf(", KL warm-up %d epochs", s.Warmup)
	}
	if s.FreeBits > 0 {
		extra += fmt.Sprintf(", free bits %g", s.FreeBits)
	}
	if s.Binarize {
		extra += ", dynamic binarisation"
	}
	fmt.Fprintf(&b, "training  Adam lr %g, batch %d, seed %d%s: %d epochs, %d steps in %.1fs", s.LR, s.BatchSize, s.Seed, extra, len(rep.Epochs), rep.Steps, rep.Seconds)
	if rep.ResumedAt != nil {
		fmt.Fprintf(&b, " (resumed after epoch %d, batch %d)", rep.ResumedAt.Epoch, rep.ResumedAt.Batch)
	}
	b.WriteString("\n\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	hasTest := len(rep.Epochs) > 0 && rep.Epochs[0].Test != nil
	if hasTest {
		fmt.Fprintln(tw, "epoch\ttrain ELBO\ttest ELBO\ttest recon\ttest KL\tactive\tseconds\t")
	} else {
		fmt.Fprintln(tw, "epoch\ttrain ELBO\trecon\tKL\tactive\tseconds\t")
	}
	for _, k := range epochRows(len(rep.Epochs), 12) {
		e := rep.Epochs[k]
		if hasTest {
			fmt.Fprintf(tw, "%d\t%.2f\t%.2f\t%.2f\t%.2f\t%d/%d\t%.1f\t\n", e.Epoch, e.ELBO, e.Test.ELBO, e.Test.Reconstruction, e.Test.KL, e.ActiveUnits, c.Latent, e.Seconds)
		} else {
			fmt.Fprintf(tw, "%d\t%.2f\t%.2f\t%.2f\t%d/%d\t%.1f\t\n", e.Epoch, e.ELBO, e.Reconstruction, e.KL, e.ActiveUnits, c.Latent, e.Seconds)
		}
	}
	tw.Flush()
	b.WriteString("\n")
	last := rep.Epochs[len(rep.Epochs)-1]
	if last.Test != nil {
		t := last.Test
		if c.Autoencoder {
			fmt.Fprintf(&b, "held out  reconstruction loss %.3f nats per row\n", t.Reconstruction)
		} else {
			fmt.Fprintf(&b, "held out  ELBO %.3f nats per row (−ELBO %.3f) = −reconstruction %.3f − KL %.3f\n", t.ELBO, -t.ELBO, t.Reconstruction, t.KL)
		}
	}
	if !c.Autoencoder {
		fmt.Fprintf(&b, "collapse  %d of %d latent dimensions active (Cov_x E[z|x] > %g); KL per dimension %s\n", last.ActiveUnits, c.Latent, vae.ActiveThreshold, fmtFloats(last.KLPerDim, 2))
		if last.ActiveUnits == 0 {
			b.WriteString("warning   posterior collapse: no latent dimension is used; lower --beta, add --warmup or --free-bits\n")
		}
	}
	if iw != nil {
		fmt.Fprintf(&b, "IWAE      log p(x) ≥ %.3f ± %.3f nats per row (k = %d, %d held-out rows)\n", iw.LogLik, iw.StdErr, iw.K, iw.Rows)
	}
	var wrote []string
	for _, p := range append([]string{out, ckpt}, charts...) {
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

func fmtFloats(v []float64, prec int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.FormatFloat(x, 'f', prec, 64)
	}
	if len(s) > 12 {
		s = append(s[:12], "…")
	}
	return "[" + strings.Join(s, " ") + "]"
}

// topUnits returns the two latent dimensions of largest variance (0 and 1
// in order when there are two).
func topUnits(variance []float64) (int, int) {
	idx := make([]int, len(variance))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return variance[idx[a]] > variance[idx[b]] })
	i, j := idx[0], idx[1]
	if i > j {
		i, j = j, i
	}
	return i, j
}

func newVAEEvalCmd(e *env) *cobra.Command {
	var src vaeSource
	var model, rows string
	var samples, iwaeK, iwaeRows int
	var binarize, asJSON bool
	c := &cobra.Command{
		Use:   "eval --model MODEL.json [DATA.csv|-] [--data mnist|digits]",
		Short: "Score a VAE: ELBO, reconstruction, KL, active units, IWAE log-likelihood",
		Long: `Score a model written by 'latent vae train' (or the model in a checkpoint) on
rows of data: the mean ELBO with its reconstruction and KL terms (nats per row),
the KL per latent dimension and the active units, and with --iwae-k K the
importance-weighted estimate of log p(x) with K samples per row (Burda et al.
2016; K = 5000 is the paper's figure).

--data mnist scores MNIST's test images; --data digits the digits held out by
the model's seed and --test-fraction, as 'vae train' split them; a file is
scored whole. --rows test|train|all picks other rows. A model trained with
--binarize is scored on a fixed binarisation of the rows (seeded).`,
		Example: `  latent vae eval --model mnist-vae.json --data mnist
  latent vae eval --model mnist-vae.json --data mnist --iwae-k 5000 --iwae-rows 1000 --json
  latent vae eval --model m.json new.csv --samples 10`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if model == "" {
				return usagef("--model MODEL.json is required")
			}
			if samples < 1 || iwaeK < 0 || iwaeRows < 0 {
				return usagef("--samples must be at least 1; --iwae-k and --iwae-rows must not be negative")
			}
			m, err := loadVAEModel(model)
			if err != nil {
				return err
			}
			src.fromModel(cmd, m, args)
			d, err := src.load(e, args, nil)
			if err != nil {
				return err
			}
			if err := checkVAEColumns(d, m); err != nil {
				return err
			}
			if rows == "" {
				rows = "all"
				if d.test != nil && (src.data == "mnist" || src.data == "digits") {
					rows = "test"
				}
			}
			x, _, err := d.rows(rows)
			if err != nil {
				return err
			}
			if !cmd.Flags().Changed("binarize") {
				binarize = m.Trained.Binarize
			}
			if binarize {
				if x, err = vae.Binarize(x, src.seed); err != nil {
					return err
				}
			}
			ev, err := m.Evaluate(x, vae.EvalOptions{Samples: samples, Seed: src.seed})
			if err != nil {
				return fmt.Errorf("%s: %w", d.name, err)
			}
			var iw *vae.IWAE
			var iwELBO *float64 // the ELBO of the rows IWAE used
			if iwaeK > 0 {
				sub := x
				if n, _ := x.Dims(); iwaeRows > 0 && iwaeRows < n {
					sub = x.Slice(0, iwaeRows, 0, m.Inputs()).(*mat.Dense)
				}
				n, _ := sub.Dims()
				bar := newProgress(e.stderr, n, "vae eval: IWAE")
				ll, err := m.LogLikelihood(cmd.Context(), sub, vae.IWAEOptions{K: iwaeK, Seed: src.seed, Progress: func(int) { bar.Add(1) }})
				bar.Done()
				if err != nil {
					return err
				}
				s := vae.Summarise(ll, iwaeK)
				iw = &s
				if iw.Rows < ev.Rows {
					sev, err := m.Evaluate(sub, vae.EvalOptions{Samples: samples, Seed: src.seed})
					if err != nil {
						return err
					}
					iwELBO = &sev.ELBO
				} else {
					iwELBO = &ev.ELBO
				}
			}
			if asJSON {
				return writeJSON(e.stdout, struct {
					Data      string    `json:"data"`
					Rows      string    `json:"rows"`
					Model     string    `json:"model"`
					Binarized bool      `json:"binarized"`
					Eval      *vae.Eval `json:"eval"`
					IWAE      *vae.IWAE `json:"iwae,omitempty"`
					IWAEELBO  *float64  `json:"iwae_rows_elbo,omitempty"`
				}{d.name, rows, model, binarize, ev, iw, iwELBO})
			}
			var b bytes.Buffer
			how := ""
			if binarize {
				how = ", binarised"
			}
			fmt.Fprintf(&b, "%s: %d %s rows%s, scored with %s\n", d.name, ev.Rows, rows, how, model)
			if m.Config.Autoencoder {
				fmt.Fprintf(&b, "reconstruction  %.3f nats per row (autoencoder: no KL term, no bound on log p(x))\n", ev.Reconstruction)
			} else {
				fmt.Fprintf(&b, "ELBO            %.3f nats per row (−ELBO %.3f; %d code(s) per row)\n", ev.ELBO, -ev.ELBO, ev.Samples)
				fmt.Fprintf(&b, "reconstruction  %.3f nats per row\n", ev.Reconstruction)
				fmt.Fprintf(&b, "KL              %.3f nats per row; per dimension %s\n", ev.KL, fmtFloats(ev.KLPerDim, 2))
			}
			fmt.Fprintf(&b, "active units    %d of %d (Cov_x E[z|x] > %g)\n", ev.ActiveUnits, m.Latent(), vae.ActiveThreshold)
			if ev.Collapsed && !m.Config.Autoencoder {
				b.WriteString("warning         posterior collapse: no latent dimension is used\n")
			}
			if iw != nil {
				fmt.Fprintf(&b, "IWAE            log p(x) ≥ %.3f ± %.3f nats per row (k = %d, %d rows; their ELBO %.3f)\n", iw.LogLik, iw.StdErr, iw.K, iw.Rows, *iwELBO)
			}
			_, err = e.stdout.Write(b.Bytes())
			return err
		},
	}
	fs := c.Flags()
	src.register(fs)
	fs.StringVarP(&model, "model", "m", "", "model file (or checkpoint) written by 'latent vae train'")
	fs.StringVar(&rows, "rows", "", "which rows: test, train or all (default test for mnist and digits, all for a file)")
	fs.IntVar(&samples, "samples", 1, "codes drawn per row for the reconstruction term")
	fs.IntVar(&iwaeK, "iwae-k", 0, "importance samples per row for the IWAE estimate of log p(x) (0: none)")
	fs.IntVar(&iwaeRows, "iwae-rows", 0, "rows used for the IWAE estimate, from the first (0: all)")
	fs.BoolVar(&binarize, "binarize", false, "score a seeded binarisation of the rows (default: as the model was trained)")
	fs.Uint64Var(&src.seed, "seed", 1, "seed of the noise and of the split (default: the model's)")
	fs.BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

// writeOrSummarise writes CSV output (a file, or stdout for "-") and
// returns where the human summary goes.
func writeCSVOut(e *env, out string, opts fileio.Options, write func(io.Writer) error) (io.Writer, error) {
	if out == "" {
		return e.stdout, nil
	}
	if out == "-" {
		return e.stderr, write(e.stdout)
	}
	return e.stdout, fileio.WriteFile(out, write, opts)
}

func newVAESampleCmd(e *env) *cobra.Command {
	var of outFlags
	var model, out, plotPath, image, mixPath string
	var n, cols int
	var seed uint64
	var asJSON bool
	c := &cobra.Command{
		Use:   "sample --model MODEL.json [-n N] [--mixture GMM.json]",
		Short: "Generate data: codes from the prior N(0, I) (or a fitted mixture), decoded",
		Long: `Draw codes z from the prior N(0, I) and decode them: the mean of p(x | z) for
each (probabilities for a Bernoulli decoder), in the data's units. With
--mixture the codes come from a Gaussian mixture fitted to the model's codes
('latent vae gmm --out'), which also makes a plain autoencoder a generator.
--out writes the samples as CSV ("-" for stdout), --plot draws them as images.`,
		Example: `  latent vae sample --model digits-vae.json -n 100 --plot samples.png
  latent vae sample --model mnist-vae.json -n 16 --seed 7 --out samples.csv
  latent vae sample --model mnist-ae.json --mixture codes-gmm.json -n 100 --plot ae-samples.png`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if model == "" {
				return usagef("--model MODEL.json is required")
			}
			if n < 1 {
				return usagef("-n %d: ask for at least 1 sample", n)
			}
			opts := of.options(model)
			if err := checkOutputs(opts, []string{out}, plotPath); err != nil {
				return err
			}
			m, err := loadVAEModel(model)
			if err != nil {
				return err
			}
			var x *mat.Dense
			if mixPath != "" {
				x, err = sampleMixture(m, mixPath, n, seed)
			} else {
				x, err = m.Sample(n, seed)
				if errors.Is(err, vae.ErrAutoencoder) {
					err = fmt.Errorf("%w; fit a mixture to its codes with 'latent vae gmm --out GMM.json' and sample with --mixture GMM.json", err)
				}
			}
			if err != nil {
				return err
			}
			summary, err := writeCSVOut(e, out, opts, func(w io.Writer) error { return csvio.Write(w, modelColumns(m), x, "", nil) })
			if err != nil {
				return err
			}
			if plotPath != "" {
				h, w, err := imageShape(image, m)
				if err != nil {
					return err
				}
				ch, err := vaeSamplesChart(x, h, w, cols, fmt.Sprintf("%d samples from %s", n, filepath.Base(model)))
				if err != nil {
					return err
				}
				if err := saveFigure(plotPath, ch, opts); err != nil {
					return err
				}
			}
			if asJSON {
				return writeJSON(summary, struct {
					Model   string      `json:"model"`
					N       int         `json:"n"`
					Seed    uint64      `json:"seed"`
					Columns []string    `json:"columns"`
					Samples [][]float64 `json:"samples"`
				}{model, n, seed, modelColumns(m), rowsOf(x)})
			}
			fmt.Fprintf(summary, "%d samples of %d values from %s (seed %d)\n", n, m.Inputs(), model, seed)
			for _, p := range []string{out, plotPath} {
				if p != "" && p != "-" {
					fmt.Fprintf(summary, "wrote %s\n", p)
				}
			}
			return nil
		},
	}
	fs := c.Flags()
	of.register(fs)
	fs.StringVarP(&model, "model", "m", "", "model file (or checkpoint) written by 'latent vae train'")
	fs.IntVarP(&n, "n", "n", 64, "number of samples")
	fs.Uint64Var(&seed, "seed", 1, "random seed of the codes")
	fs.StringVarP(&out, "out", "o", "", `write the samples as CSV to this file ("-": stdout)`)
	fs.StringVar(&plotPath, "plot", "", "draw the samples as images (.png, .svg or .pdf)")
	fs.StringVar(&image, "image", "", "image shape HxW (default: square)")
	fs.IntVar(&cols, "cols", 10, "images per row of the chart")
	fs.StringVar(&mixPath, "mixture", "", "draw the codes from this Gaussian mixture (a latent.gmm file from 'latent vae gmm --out')")
	fs.BoolVar(&asJSON, "json", false, "print the samples as JSON")
	return c
}

// sampleMixture draws n codes from the mixture in path and decodes them,
// in a shuffled order (the mixture returns them grouped by component).
func sampleMixture(m *vae.Model, path string, n int, seed uint64) (*mat.Dense, error) {
	g, err := mixture.Load(path)
	if err != nil {
		return nil, err
	}
	if g.Dim() != m.Latent() {
		return nil, fmt.Errorf("%s is a mixture in %d dimensions, but the model has %d latent dimensions", path, g.Dim(), m.Latent())
	}
	rng := rand.New(rand.NewPCG(seed, 0x9e0))
	z := mat.NewDense(n, g.Dim(), nil)
	if err := g.Sample(z, nil, rng); err != nil {
		return nil, err
	}
	perm := rng.Perm(n)
	shuffled := mat.NewDense(n, m.Latent(), nil)
	for i, p := range perm {
		shuffled.SetRow(i, z.RawRowView(p))
	}
	return m.Decode(shuffled)
}

func modelColumns(m *vae.Model) []string {
	cols := make([]string, m.Inputs())
	for j := range cols {
		if j < len(m.Columns) && m.Columns[j] != "" {
			cols[j] = m.Columns[j]
		} else {
			cols[j] = "x" + strconv.Itoa(j+1)
		}
	}
	return cols
}

func rowsOf(x *mat.Dense) [][]float64 {
	n, _ := x.Dims()
	out := make([][]float64, n)
	for i := range out {
		out[i] = append([]float64(nil), x.RawRowView(i)...)
	}
	return out
}

// imageShape returns the shape of the model's rows as images: --image,
// or a square.
func imageShape(image string, m *vae.Model) (int, int, error) {
	s := vaeSource{image: image}
	d := &vaeData{columns: make([]string, m.Inputs())}
	if err := s.shape(d); err != nil {
		return 0, 0, err
	}
	if d.h == 0 {
		if r := int(math.Round(math.Sqrt(float64(m.Inputs())))); r*r == m.Inputs() {
			return r, r, nil
		}
		return 0, 0, usagef("the model's rows (%d values) are not square images; give --image HxW", m.Inputs())
	}
	return d.h, d.w, nil
}

// dataRows loads the data of a reconstruct/encode command and picks its
// rows.
func dataRows(e *env, cmd *cobra.Command, src *vaeSource, m *vae.Model, args []string, rows string) (*vaeData, *mat.Dense, []string, string, error) {
	src.fromModel(cmd, m, args)
	d, err := src.load(e, args, nil)
	if err != nil {
		return nil, nil, nil, "", err
	}
	if err := checkVAEColumns(d, m); err != nil {
		return nil, nil, nil, "", err
	}
	if rows == "" {
		rows = "all"
		if d.test != nil && (src.data == "mnist" || src.data == "digits") {
			rows = "test"
		}
	}
	x, labels, err := d.rows(rows)
	return d, x, labels, rows, err
}

func newVAEReconstructCmd(e *env) *cobra.Command {
	var src vaeSource
	var of outFlags
	var model, rows, out, plotPath string
	var show int
	var asJSON bool
	c := &cobra.Command{
		Use:   "reconstruct --model MODEL.json [DATA.csv|-] [--data mnist|digits]",
		Short: "Reconstruct rows through a VAE: decode(encode(x))",
		Long: `Encode each row to its posterior mean and decode it: the model's
reconstruction, in the data's units (probabilities for a Bernoulli decoder).
--out writes them as CSV ("-" for stdout), --plot draws the first --show rows
above their reconstructions. The summary gives the mean squared error and the
mean reconstruction term −log p(x | z = μ(x)).`,
		Example: `  latent vae reconstruct --model mnist-vae.json --data mnist --plot recon.png
  latent vae reconstruct --model m.json new.csv --out recon.csv`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if model == "" {
				return usagef("--model MODEL.json is required")
			}
			opts := of.options(append([]string{model}, args...)...)
			if err := checkOutputs(opts, []string{out}, plotPath); err != nil {
				return err
			}
			m, err := loadVAEModel(model)
			if err != nil {
				return err
			}
			d, x, _, which, err := dataRows(e, cmd, &src, m, args, rows)
			if err != nil {
				return err
			}
			r, err := m.Reconstruct(x)
			if err != nil {
				return fmt.Errorf("%s: %w", d.name, err)
			}
			n, dim := x.Dims()
			mse := 0.0
			for i := 0; i < n; i++ {
				for j, v := range x.RawRowView(i) {
					diff := v - r.At(i, j)
					mse += diff * diff
				}
			}
			mse /= float64(n * dim)
			summary, err := writeCSVOut(e, out, opts, func(w io.Writer) error { return csvio.Write(w, modelColumns(m), r, "", nil) })
			if err != nil {
				return err
			}
			if plotPath != "" {
				if d.h == 0 {
					return usagef("--plot: the rows of %s are not images; give --image HxW", d.name)
				}
				k := min(show, n)
				ch, err := vaeReconChart(x.Slice(0, k, 0, dim), r.Slice(0, k, 0, dim), d.h, d.w, fmt.Sprintf("%s and their reconstructions", d.name))
				if err != nil {
					return err
				}
				if err := saveFigure(plotPath, ch, opts); err != nil {
					return err
				}
			}
			if asJSON {
				return writeJSON(summary, struct {
					Data string  `json:"data"`
					Rows string  `json:"rows"`
					N    int     `json:"n"`
					MSE  float64 `json:"mse"`
				}{d.name, which, n, mse})
			}
			fmt.Fprintf(summary, "%s: %d %s rows reconstructed with %s; mean squared error %.6g per value\n", d.name, n, which, model, mse)
			for _, p := range []string{out, plotPath} {
				if p != "" && p != "-" {
					fmt.Fprintf(summary, "wrote %s\n", p)
				}
			}
			return nil
		},
	}
	fs := c.Flags()
	src.register(fs)
	of.register(fs)
	fs.StringVarP(&model, "model", "m", "", "model file (or checkpoint) written by 'latent vae train'")
	fs.StringVar(&rows, "rows", "", "which rows: test, train or all (default test for mnist and digits, all for a file)")
	fs.StringVarP(&out, "out", "o", "", `write the reconstructions as CSV ("-": stdout)`)
	fs.StringVar(&plotPath, "plot", "", "draw inputs above their reconstructions (.png, .svg or .pdf)")
	fs.IntVar(&show, "show", 20, "rows drawn by --plot")
	fs.Uint64Var(&src.seed, "seed", 1, "seed of the split (default: the model's)")
	fs.BoolVar(&asJSON, "json", false, "print the summary as JSON")
	return c
}

func newVAEEncodeCmd(e *env) *cobra.Command {
	var src vaeSource
	var of outFlags
	var model, rows, out, plotPath string
	var asJSON bool
	c := &cobra.Command{
		Use:   "encode --model MODEL.json [DATA.csv|-] [--data mnist|digits]",
		Short: "Encode rows to their latent codes: posterior means and log-variances",
		Long: `Encode each row: the mean μ and log-variance log σ² of q(z | x) (the code
itself for an autoencoder). --out writes them as CSV (columns mu1…, logvar1…,
then the label column if the data have one; "-" for stdout), --plot draws the
codes in the two most used dimensions, coloured by label.`,
		Example: `  latent vae encode --model digits-vae.json --data digits --rows all --plot latent.png
  latent vae encode --model m.json new.csv --out codes.csv`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if model == "" {
				return usagef("--model MODEL.json is required")
			}
			opts := of.options(append([]string{model}, args...)...)
			if err := checkOutputs(opts, []string{out}, plotPath); err != nil {
				return err
			}
			m, err := loadVAEModel(model)
			if err != nil {
				return err
			}
			d, x, labels, which, err := dataRows(e, cmd, &src, m, args, rows)
			if err != nil {
				return err
			}
			mu, lv, err := m.Encode(x)
			if err != nil {
				return fmt.Errorf("%s: %w", d.name, err)
			}
			n, _ := x.Dims()
			L := m.Latent()
			cols := make([]string, 0, 2*L)
			for j := 1; j <= L; j++ {
				cols = append(cols, "mu"+strconv.Itoa(j))
			}
			codes := mat.DenseCopyOf(mu)
			if lv != nil {
				for j := 1; j <= L; j++ {
					cols = append(cols, "logvar"+strconv.Itoa(j))
				}
				codes = mat.NewDense(n, 2*L, nil)
				codes.Augment(mu, lv)
			}
			summary, err := writeCSVOut(e, out, opts, func(w io.Writer) error {
				return csvio.Write(w, cols, codes, orDefault(d.labelName, "label"), labels)
			})
			if err != nil {
				return err
			}
			var i, j int
			if L >= 2 {
				i, j = topUnits(columnVariance(mu))
			}
			if plotPath != "" {
				if L < 2 {
					return usagef("--plot: the model has 1 latent dimension; the scatter needs 2")
				}
				p, err := vaeLatentChart(mu, i, j, labels, fmt.Sprintf("Posterior means of %s", d.name))
				if err != nil {
					return err
				}
				if err := saveFigure(plotPath, p, opts); err != nil {
					return err
				}
			}
			if asJSON {
				return writeJSON(summary, struct {
					Data    string      `json:"data"`
					Rows    string      `json:"rows"`
					Columns []string    `json:"columns"`
					Codes   [][]float64 `json:"codes"`
					Labels  []string    `json:"labels,omitempty"`
				}{d.name, which, cols, rowsOf(codes), labels})
			}
			fmt.Fprintf(summary, "%s: %d %s rows encoded with %s into %d latent dimensions\n", d.name, n, which, model, L)
			for _, p := range []string{out, plotPath} {
				if p != "" && p != "-" {
					fmt.Fprintf(summary, "wrote %s\n", p)
				}
			}
			return nil
		},
	}
	fs := c.Flags()
	src.register(fs)
	of.register(fs)
	fs.StringVarP(&model, "model", "m", "", "model file (or checkpoint) written by 'latent vae train'")
	fs.StringVar(&rows, "rows", "", "which rows: test, train or all (default test for mnist and digits, all for a file)")
	fs.StringVarP(&out, "out", "o", "", `write the codes as CSV ("-": stdout)`)
	fs.StringVar(&plotPath, "plot", "", "draw the codes coloured by label (.png, .svg or .pdf)")
	fs.Uint64Var(&src.seed, "seed", 1, "seed of the split (default: the model's)")
	fs.BoolVar(&asJSON, "json", false, "print the codes as JSON")
	return c
}

// columnVariance returns each column's variance (divisor n).
func columnVariance(x *mat.Dense) []float64 {
	n, d := x.Dims()
	out := make([]float64, d)
	for j := 0; j < d; j++ {
		mean := 0.0
		for i := 0; i < n; i++ {
			mean += x.At(i, j)
		}
		mean /= float64(n)
		for i := 0; i < n; i++ {
			r := x.At(i, j) - mean
			out[j] += r * r
		}
		out[j] /= float64(n)
	}
	return out
}
