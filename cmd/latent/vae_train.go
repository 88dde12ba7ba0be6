package main

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/cli"
	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/internal/numfmt"
	"github.com/latentgo/latent/nn"
	"github.com/latentgo/latent/vae"
)

// vaeTrain are the flags of 'vae train'.
type vaeTrain struct {
	src                                         vaeSource
	of                                          outFlags
	hidden, act, decoder, scaling, out, ckpt    string
	resume, plotDir, anneal, condition, prior   string
	arch, channels                              string
	latent, epochs, batch, warmup, iwaeK, iwaeN int
	cycles, iwK, pseudo                         int
	lr, beta, freeBits, variance, ratio         float64
	learnVar, autoenc, binarize, asJSON         bool
}

func newVAETrainCmd(e *env) *cobra.Command {
	var t vaeTrain
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
trains the deterministic baseline. --beta, --warmup (or --anneal cyclical) and
--free-bits shape the KL term; --iw-k K trains on the importance-weighted bound
with K codes per row instead of the ELBO (IWAE); --binarize draws binary images
afresh at every batch.

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
		RunE: func(cmd *cobra.Command, args []string) error { return t.run(e, cmd, args) },
	}
	fs := c.Flags()
	t.src.register(fs)
	t.of.register(fs)
	fs.IntVar(&t.latent, "latent", 20, "latent dimensions")
	fs.StringVar(&t.hidden, "hidden", "400", `hidden layer widths of the encoder, comma-separated; the decoder mirrors them ("none" for linear maps)`)
	fs.StringVar(&t.act, "act", "relu", "hidden activation: relu, tanh or sigmoid")
	fs.StringVar(&t.decoder, "decoder", "bernoulli", "bernoulli (values in [0, 1]) or gaussian")
	fs.Float64Var(&t.variance, "variance", 1, "fixed variance of the Gaussian decoder (in standardised units with --scale standard), or the start of --learn-variance")
	fs.BoolVar(&t.learnVar, "learn-variance", false, "the Gaussian decoder learns one variance per column")
	fs.StringVar(&t.condition, "condition", "", "train a conditional VAE on this label column (digit for mnist and digits; a CSV's column, as --label)")
	fs.StringVar(&t.arch, "arch", "mlp", "networks: mlp (fully connected) or conv (stride-2 convolutions on the images, then --hidden)")
	fs.StringVar(&t.channels, "channels", "32,64", "channels of the convolutions of --arch conv, comma-separated (each layer halves the image)")
	fs.StringVar(&t.prior, "prior", "normal", "prior p(z): normal (N(0, I)) or vamp (the VampPrior, Tomczak & Welling 2018)")
	fs.IntVar(&t.pseudo, "pseudo-inputs", 500, "learned pseudo-inputs of --prior vamp")
	fs.BoolVar(&t.autoenc, "autoencoder", false, "train a plain deterministic autoencoder (the baseline): no KL term, no sampling")
	fs.IntVar(&t.epochs, "epochs", 10, "passes over the training rows (with --resume: the run's total)")
	fs.IntVar(&t.batch, "batch", 128, "minibatch size")
	fs.Float64Var(&t.lr, "lr", 1e-3, "Adam learning rate")
	fs.Float64Var(&t.beta, "beta", 1, "weight of the KL term (β-VAE; 1 is the ELBO)")
	fs.IntVar(&t.warmup, "warmup", 0, "epochs of linear KL warm-up from 0 to --beta")
	fs.StringVar(&t.anneal, "anneal", "linear", "KL schedule: linear (the --warmup ramp) or cyclical (Fu et al. 2019)")
	fs.IntVar(&t.cycles, "cycles", 4, "cycles of --anneal cyclical over the run")
	fs.Float64Var(&t.ratio, "ratio", 0.5, "share of each cycle of --anneal cyclical spent ramping the KL weight up, in (0, 1]")
	fs.IntVar(&t.iwK, "iw-k", 1, "train on the importance-weighted bound with K codes per row (IWAE, Burda et al. 2016; 1: the ELBO)")
	fs.Float64Var(&t.freeBits, "free-bits", 0, "KL allowance per latent dimension, in nats (0: none)")
	fs.BoolVar(&t.binarize, "binarize", false, "draw binary pixels afresh at every batch (dynamic binarisation)")
	fs.StringVar(&t.scaling, "scale", "", "input scaling: none or standard (default none for bernoulli, standard for gaussian)")
	fs.Uint64Var(&t.src.seed, "seed", 1, "random seed of the weights, batches, noise and split")
	fs.StringVarP(&t.out, "out", "o", "", "write the model to this JSON file")
	fs.StringVar(&t.ckpt, "checkpoint", "", "write the training state here after every epoch and on Ctrl-C (default OUT.ckpt with --out)")
	fs.StringVar(&t.resume, "resume", "", "continue the run saved in this checkpoint")
	fs.StringVar(&t.plotDir, "plots", "", "draw the charts into this folder")
	fs.IntVar(&t.iwaeK, "iwae-k", 0, "after training, estimate log p(x) on the held-out rows with K importance samples (0: no)")
	fs.IntVar(&t.iwaeN, "iwae-rows", 1000, "held-out rows used for the IWAE estimate (0: all)")
	fs.BoolVar(&t.asJSON, "json", false, "print the report as JSON")
	return c
}

// validate checks the flags' values, before anything is read: the rules
// every command follows (a value typed is that value; zeros that vae's
// options read as "default" are refused when typed: --beta 0 would train
// at β = 1).
func (t *vaeTrain) validate(cmd *cobra.Command) error {
	fs := cmd.Flags()
	if err := cli.Validate(
		cli.AtLeast("--latent", t.latent, 1),
		cli.AtLeast("--epochs", t.epochs, 1),
		cli.AtLeast("--batch", t.batch, 1),
		cli.Positive("--lr", t.lr),
		cli.Want("--beta", t.beta, t.beta > 0 && !math.IsInf(t.beta, 0), "give a finite number > 0 (--autoencoder trains without the KL term)"),
		cli.AtLeast("--warmup", t.warmup, 0),
		cli.OneOf("--anneal", t.anneal, "linear", "cyclical"),
		cli.AtLeast("--cycles", t.cycles, 1),
		cli.AtLeast("--iw-k", t.iwK, 1),
		cli.OneOf("--prior", t.prior, "normal", "vamp"),
		cli.OneOf("--arch", t.arch, "mlp", "conv"),
		cli.Want("--pseudo-inputs", t.pseudo, t.pseudo >= 1 && t.pseudo <= 1<<16, "give from 1 to 65536"),
		cli.Want("--ratio", t.ratio, t.ratio > 0 && t.ratio <= 1, "give the share of a cycle spent ramping up, in (0, 1]"),
		cli.NonNegative("--free-bits", t.freeBits),
		cli.Positive("--variance", t.variance),
		cli.AtLeast("--iwae-k", t.iwaeK, 0),
		cli.AtLeast("--iwae-rows", t.iwaeN, 0),
		cli.Want("--test-fraction", t.src.testFrac, t.src.testFrac >= 0 && t.src.testFrac < 1, "give a share in [0, 1)"),
		optional(cli.Given(fs, "scale"), cli.OneOf("--scale", t.scaling, "none", "standard")),
	); err != nil {
		return err
	}
	if t.anneal != "cyclical" && (fs.Changed("cycles") || fs.Changed("ratio")) {
		return usagef("--cycles and --ratio shape the cyclical schedule; add --anneal cyclical")
	}
	if t.anneal == "cyclical" && fs.Changed("warmup") {
		return usagef("--warmup: the cyclical schedule has its own ramps (--cycles, --ratio); drop --warmup")
	}
	if t.iwK > 1 {
		for _, f := range []string{"beta", "warmup", "anneal", "free-bits", "autoencoder"} {
			if fs.Changed(f) {
				return usagef("--%s: --iw-k %d trains on the importance-weighted bound, which has no KL term to weight, anneal or floor; drop --%s or use --iw-k 1", f, t.iwK, f)
			}
		}
	}
	if t.arch != "conv" && fs.Changed("channels") {
		return usagef("--channels belong to the convolutional architecture; add --arch conv")
	}
	if t.arch == "conv" && t.condition != "" {
		return usagef("--condition: a conditional convolutional VAE is not supported; use --arch mlp")
	}
	if t.prior != "vamp" && fs.Changed("pseudo-inputs") {
		return usagef("--pseudo-inputs belong to the VampPrior; add --prior vamp")
	}
	if t.prior == "vamp" {
		for _, f := range []string{"autoencoder", "condition", "free-bits"} {
			if fs.Changed(f) {
				return usagef("--%s: not with --prior vamp (a VampPrior needs a VAE's unconditional posterior, and its KL does not split by dimension)", f)
			}
		}
	}
	if t.condition != "" && t.autoenc {
		return usagef("--condition: a plain autoencoder is not conditional; drop --autoencoder")
	}
	if t.condition != "" && t.src.cf.label != "" && t.condition != t.src.cf.label {
		return usagef("--condition %s and --label %s name different columns; give one", t.condition, t.src.cf.label)
	}
	if t.condition != "" {
		t.src.cf.label = t.condition // a CSV file's label column
	}
	if t.resume != "" {
		for _, f := range []string{"latent", "condition", "prior", "pseudo-inputs", "arch", "channels", "hidden", "act", "decoder", "variance", "learn-variance", "autoencoder",
			"batch", "lr", "beta", "warmup", "anneal", "cycles", "ratio", "iw-k", "free-bits", "binarize", "scale"} {
			if fs.Changed(f) {
				return usagef("--%s cannot change a resumed run; it continues with the settings in %s", f, t.resume)
			}
		}
	}
	// A resumed run writes its model where --out says; without --out it
	// would only update the checkpoint in place, and write no model.
	if t.resume != "" && t.out == "" && !cli.Given(fs, "checkpoint") {
		return usagef("--resume needs --out MODEL.json, where the model of the finished run goes (the checkpoint %s is updated in place as training goes; give --checkpoint to keep it elsewhere)", t.resume)
	}
	return nil
}

// options returns the training options (without the data) and, with
// --resume, the checkpoint.
func (t *vaeTrain) options(cmd *cobra.Command, args []string) (*vae.Options, *vae.Checkpoint, error) {
	var ck *vae.Checkpoint
	if t.resume != "" {
		var err error
		if ck, err = vae.LoadCheckpoint(t.resume); err != nil {
			return nil, nil, err
		}
		if !cmd.Flags().Changed("seed") {
			t.src.seed = ck.Settings.Seed
		}
		if t.src.data == "" && len(args) == 0 {
			t.src.data = ck.Settings.Data
		}
	}
	hid, err := parseHidden(t.hidden)
	if err != nil {
		return nil, nil, err
	}
	activation, err := nn.ParseActivation(t.act)
	if err != nil {
		return nil, nil, usageError{err}
	}
	lik, err := vae.ParseLikelihood(t.decoder)
	if err != nil {
		return nil, nil, usageError{err}
	}
	if t.binarize && lik != vae.Bernoulli {
		return nil, nil, usagef("--binarize: dynamic binarisation needs --decoder bernoulli")
	}
	if ck != nil {
		lik = ck.Model.Config().Likelihood
	}
	prior, pseudo := vae.PriorNormal, 0
	if t.prior == "vamp" {
		prior, pseudo = vae.PriorVamp, t.pseudo
	}
	anneal, cycles, ratio := vae.AnnealLinear, 0, 0.0
	if t.anneal == "cyclical" {
		anneal, cycles, ratio = vae.AnnealCyclical, t.cycles, t.ratio
	}
	return &vae.Options{IWK: t.iwK, Anneal: anneal, Cycles: cycles, Ratio: ratio, Model: vae.Config{Latent: t.latent, Hidden: hid, Activation: activation, Likelihood: lik, Variance: t.variance,
		LearnVariance: t.learnVar, Autoencoder: t.autoenc, Prior: prior, PseudoInputs: pseudo},
		Epochs: t.epochs, BatchSize: t.batch, LR: t.lr, Beta: t.beta, Warmup: t.warmup, FreeBits: t.freeBits, Binarize: t.binarize || (ck != nil && ck.Settings.Binarize),
		Scaling: t.scaling, Seed: t.src.seed}, ck, nil
}

// outputs is the outputs guard of vae train, before any work: the model,
// the checkpoint (unless it is the resumed one, updated in place) and the
// charts' folder, against the data, the test rows and the resumed
// checkpoint.
func (t *vaeTrain) outputs(cmd *cobra.Command, args []string) (fileio.Options, error) {
	inputs := append(append([]string{}, args...), dataFile(t.src.data), t.src.testPath, t.resume)
	if t.ckpt == "" && t.out != "" {
		t.ckpt = t.out + ".ckpt"
	}
	if t.resume != "" && t.ckpt == t.out+".ckpt" && !cmd.Flags().Changed("checkpoint") {
		t.ckpt = t.resume
	}
	ckpt := t.ckpt
	if sameFile(ckpt, t.resume) {
		ckpt = "" // the run resumed, updated in place
	}
	spec := declare(&t.of, t.asJSON, inputs,
		cli.Output{Flag: "--out", Path: t.out, Kind: cli.File},
		cli.Output{Flag: "--checkpoint", Path: ckpt, Kind: cli.File},
		cli.Output{Flag: "--plots", Path: t.plotDir, Kind: cli.Folder, Files: vaeChartNames})
	opts, err := spec.Check()
	if errors.Is(err, fileio.ErrExists) && strings.HasPrefix(err.Error(), ckpt+": ") {
		return opts, fmt.Errorf("checkpoint %w (a previous run's? continue it with --resume %s)", err, ckpt)
	} else if err != nil {
		return opts, err
	}
	if t.plotDir != "" {
		if err := os.MkdirAll(t.plotDir, 0o755); err != nil {
			return opts, err
		}
	}
	return opts, nil
}

func (t *vaeTrain) run(e *env, cmd *cobra.Command, args []string) error {
	if err := t.validate(cmd); err != nil {
		return err
	}
	fopts, err := t.outputs(cmd, args)
	if err != nil {
		return err
	}
	o, ck, err := t.options(cmd, args)
	if err != nil {
		return err
	}
	d, err := t.src.load(e, args, func(name string, x *mat.Dense, cols []string) error {
		if err := vae.CheckData(x, o.Model.Likelihood, cols); errors.Is(err, vae.ErrRange) {
			return fmt.Errorf("%s: %w (--decoder gaussian)", name, err)
		} else if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	// With dynamic binarisation the held-out rows are scored as one fixed
	// binarisation (seeded), as 'vae eval' scores them.
	if o.Binarize && d.Test != nil {
		if d.Test, err = vae.Binarize(d.Test, t.src.seed); err != nil {
			return err
		}
		d.Split += "; held-out rows binarised once"
	}
	if d.Test != nil {
		o.Test = d.Test
	}
	if err := t.conditionOn(d, o, ck); err != nil {
		return err
	}
	if err := t.convOn(d, o, ck); err != nil {
		return err
	}
	var stop func()
	o.Checkpoint, o.Data, o.Columns = t.ckpt, d.Name, d.Columns
	o.Progress, stop = trainBar(e)
	var m *vae.Model
	var rep *vae.Report
	if ck != nil {
		epochs := 0
		if cmd.Flags().Changed("epochs") {
			epochs = t.epochs
		}
		m, rep, err = vae.Resume(cmd.Context(), ck, d.Train, vae.ResumeOptions{Epochs: epochs, Test: o.Test, Checkpoint: t.ckpt, Progress: o.Progress,
			Labels: o.Labels, TestLabels: o.TestLabels})
	} else {
		m, rep, err = vae.Train(cmd.Context(), d.Train, *o)
	}
	stop()
	if err != nil {
		var ie *vae.InterruptedError
		if errors.As(err, &ie) && ie.Checkpoint != "" {
			fmt.Fprintf(e.stderr, "vae train: stopped after %d epochs and %d batches; the run is saved in %s\n"+
				"continue it with: latent vae train --resume %s --out %s --force\n", ie.At.Epoch, ie.At.Batch, ie.Checkpoint, ie.Checkpoint, orDefault(t.out, "MODEL.json"))
		}
		if errors.Is(err, vae.ErrNoData) {
			return fmt.Errorf("%s: %w", d.Name, err)
		}
		return vaeFlagError(err)
	}
	return t.finish(e, cmd, d, m, rep, fopts)
}

// convOn sets the image shape and channels of --arch conv: the data's
// images (mnist, digits, --image).
func (t *vaeTrain) convOn(d *vae.Data, o *vae.Options, ck *vae.Checkpoint) error {
	if ck != nil || t.arch != "conv" {
		return nil
	}
	if d.Height == 0 {
		return usagef("--arch conv: the rows of %s are not images; give --image HxW", d.Name)
	}
	ch, err := parseHidden(t.channels)
	if err != nil || len(ch) == 0 {
		return usagef("--channels %q: give the channels of each layer, e.g. 32,64", t.channels)
	}
	o.Model.Arch, o.Model.ImageH, o.Model.ImageW, o.Model.Channels = vae.ArchConv, d.Height, d.Width, ch
	return nil
}

// conditionOn sets the labels of a conditional run (--condition, or the
// resumed run's): the data's label column, which must be the one named.
func (t *vaeTrain) conditionOn(d *vae.Data, o *vae.Options, ck *vae.Checkpoint) error {
	if ck != nil && !ck.Model.Conditional() || ck == nil && t.condition == "" {
		return nil
	}
	if builtin := d.Name == "mnist" || d.Name == "digits"; ck == nil && builtin && d.LabelName != t.condition {
		if d.LabelName == "" {
			return usagef("--condition %s: %s has no label column %q", t.condition, d.Name, t.condition)
		}
		return usagef("--condition %s: the labels of %s are its column %q", t.condition, d.Name, d.LabelName)
	}
	if d.TrainLabels == nil {
		return usagef("%s has no labels; a conditional model needs them (--label COLUMN for a CSV file)", d.Name)
	}
	o.Labels, o.TestLabels = d.TrainLabels, d.TestLabels
	return nil
}

// finish estimates the IWAE bound, writes the model and the charts, and
// prints the run.
func (t *vaeTrain) finish(e *env, cmd *cobra.Command, d *vae.Data, m *vae.Model, rep *vae.Report, fopts fileio.Options) error {
	var iw *vae.IWAE
	if t.iwaeK > 0 && d.Test != nil && !m.Autoencoder() {
		rows, labels := d.Test, d.TestLabels
		if n, _ := rows.Dims(); t.iwaeN > 0 && t.iwaeN < n {
			rows = d.Test.Slice(0, t.iwaeN, 0, m.Inputs()).(*mat.Dense)
			if labels != nil {
				labels = labels[:t.iwaeN]
			}
		}
		ll, err := m.LogLikelihood(cmd.Context(), rows, vae.IWAEOptions{K: t.iwaeK, Seed: t.src.seed, Labels: labels})
		if err != nil {
			return err
		}
		s := vae.Summarise(ll, t.iwaeK)
		iw = &s
	}
	if t.out != "" {
		if err := m.Save(t.out, fopts); err != nil {
			return err
		}
	}
	var charts []string
	if t.plotDir != "" {
		var err error
		if charts, err = vaeCharts(t.plotDir, m, rep, d, t.src.seed, fopts); err != nil {
			return err
		}
	}
	nTrain, nTest := rowCount(d.Train), rowCount(d.Test)
	if t.asJSON {
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
		}{d.Name, d.Split, nTrain, nTest, t.out, t.ckpt, charts, iw, rep, m.Config()})
	}
	fmt.Fprintf(e.stdout, "data      %s: %d training rows, %d held out (%s)\n", d.Name, nTrain, nTest, d.Split)
	if err := rep.WriteText(e.stdout); err != nil {
		return err
	}
	if iw != nil {
		fmt.Fprintf(e.stdout, "IWAE      log p(x) ≥ %s ± %s nats per row (k = %d, %d held-out rows)\n", numfmt.Fixed(iw.LogLik, 3), numfmt.Fixed(iw.StdErr, 3), iw.K, iw.Rows)
	}
	wrote(e.stdout, ", ", append([]string{t.out, t.ckpt}, charts...)...)
	return nil
}

// trainBar returns the progress hook of training, a bar on a terminal
// started at the step a resumed run starts from, and the function that
// removes it.
func trainBar(e *env) (func(vae.Progress), func()) {
	var bar *progress
	return func(p vae.Progress) {
			if p.Ended != nil {
				return
			}
			if bar == nil {
				bar = newProgress(e.stderr, p.Total, "vae train")
				bar.Add(p.Done - 1)
			}
			bar.Add(1)
			bar.Describe(fmt.Sprintf("vae train: epoch %d/%d batch %d/%d loss %.2f", p.Epoch, p.Epochs, p.Batch, p.Batches, p.Loss))
		}, func() {
			if bar != nil {
				bar.Done()
			}
		}
}

func rowCount(x *mat.Dense) int {
	if x == nil {
		return 0
	}
	n, _ := x.Dims()
	return n
}
