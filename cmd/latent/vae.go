package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/internal/modelfile"
	"github.com/latentgo/latent/vae"
)

func newVAECmd(e *env) *cobra.Command {
	return group("vae", "Train and use variational autoencoders (ELBO, IWAE, generator)",
		"  latent vae train --data digits --latent 2 --hidden 128 --epochs 40 --batch 64 --out digits-vae.json --plots charts\n"+
			"  latent vae eval --model digits-vae.json --data digits --iwae-k 1000\n"+
			"  latent vae sample --model digits-vae.json -n 100 --plot samples.png\n"+
			"  latent vae gmm --model digits-vae.json --data digits -k 10 --out codes-gmm.json",
		newVAETrainCmd(e), newVAEEvalCmd(e), newVAESampleCmd(e), newVAEReconstructCmd(e), newVAEEncodeCmd(e), newVAEInterpolateCmd(e), newVAEGmmCmd(e))
}

// inputs are the files the flags and args name, for the outputs guard.
func (s *vaeSource) inputs(args []string, more ...string) []string {
	return append(append(append([]string{}, args...), dataFile(s.data), s.testPath), more...)
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

// load reads the data named by --data or args (vae.MNIST, vae.Digits or a
// CSV file); test rows come from --test, the data set's own test part or
// a seeded split (vae.Data.HoldOut). check, when not nil, validates the
// rows before they are split, so that its messages count the file's rows.
func (s *vaeSource) load(e *env, args []string, check func(name string, x *mat.Dense, columns []string) error) (*vae.Data, error) {
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
	d, err := s.read(e, src)
	if err != nil {
		return nil, err
	}
	if check != nil {
		if err := check(d.Name, d.Train, d.Columns); err != nil {
			return nil, err
		}
		if d.Test != nil {
			if err := check(orDefault(s.testPath, d.Name+" test rows"), d.Test, d.Columns); err != nil {
				return nil, err
			}
		}
	}
	d.HoldOut(s.testFrac, s.seed)
	if s.image != "" {
		if d.Height, d.Width, err = parseImage(s.image, len(d.Columns)); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// parseImage reads --image HxW for rows of cols values.
func parseImage(image string, cols int) (int, int, error) {
	hs, ws, ok := strings.Cut(strings.ToLower(image), "x")
	h, err1 := strconv.Atoi(hs)
	w, err2 := strconv.Atoi(ws)
	if !ok || err1 != nil || err2 != nil || h < 1 || w < 1 {
		return 0, 0, usagef("--image %q: give the shape as HxW, e.g. 28x28", image)
	}
	if h*w != cols {
		return 0, 0, usagef("--image %s: %d pixels, but the rows have %d values", image, h*w, cols)
	}
	return h, w, nil
}

// read reads the data set src, with the test rows of --test.
func (s *vaeSource) read(e *env, src string) (*vae.Data, error) {
	switch src {
	case "mnist":
		if s.testPath != "" {
			return nil, usagef("--test: mnist has its own test images")
		}
		d, err := vae.MNIST(mnistDir())
		if err != nil {
			return nil, fmt.Errorf("%w (run 'latent data fetch mnist')", err)
		}
		return d, nil
	case "digits":
		if s.testPath != "" {
			return nil, usagef("--test: use --test-fraction to hold out digits")
		}
		return vae.Digits(), nil
	}
	if s.data == "iris" || s.data == "faithful" {
		return nil, usagef("--data %s: use mnist, digits or a CSV file (export it with 'latent data export %s')", s.data, s.data)
	}
	tab, err := s.cf.read(e, src)
	if err != nil {
		return nil, err
	}
	if src == "-" {
		src = "<stdin>"
	}
	d := vae.NewData(src, tab.X, tab.Labels, tab.Columns, tab.LabelName)
	if s.testPath != "" {
		tt, err := s.cf.read(e, s.testPath)
		if err != nil {
			return nil, err
		}
		if err := d.SetTest(s.testPath, tt.X, tt.Labels); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// registerModel registers the data flags of a command that uses a trained
// model, with --model, --rows (when rows is not nil) and --seed.
func (s *vaeSource) registerModel(fs *pflag.FlagSet, model, rows *string, seed string) {
	s.register(fs)
	fs.StringVarP(model, "model", "m", "", "model file (or checkpoint) written by 'latent vae train'")
	if rows != nil {
		fs.StringVar(rows, "rows", "", "which rows: test, train or all (default test for mnist and digits, all for a file)")
	}
	fs.Uint64Var(&s.seed, "seed", 1, seed)
}

// fromModel fills the data flags' defaults from a model: the seed of its
// split, and data that the model was trained on.
func (s *vaeSource) fromModel(cmd *cobra.Command, m *vae.Model, args []string) {
	t := m.Trained()
	if !cmd.Flags().Changed("seed") {
		s.seed = t.Seed
	}
	if s.data == "" && len(args) == 0 && (t.Data == "mnist" || t.Data == "digits") {
		s.data = t.Data
	}
}

// modelData loads a model (or the model in a checkpoint) and the data of
// an eval/gmm/reconstruct/encode command, checked against the model's
// columns, and picks rows: --rows, by default the held-out rows of mnist
// and digits and every row of a file.
func modelData(e *env, cmd *cobra.Command, src *vaeSource, path string, args []string, rows *string) (*vae.Model, *vae.Data, *mat.Dense, []string, error) {
	if path == "" {
		return nil, nil, nil, nil, usagef("--model MODEL.json is required")
	}
	m, err := loadVAEModel(path)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	src.fromModel(cmd, m, args)
	d, err := src.load(e, args, nil)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	if src.cf.noHeader && dataFile(src.data) == src.data {
		d.Columns = byPosition(e, d.Name, d.Columns, m.Columns())
	}
	if err := m.CheckColumns(d.Name, d.Columns); err != nil {
		return nil, nil, nil, nil, fmt.Errorf("%w%s", err, headerHint(d.Columns, m.Columns()))
	}
	if *rows == "" {
		*rows = "all"
		if d.Test != nil && (src.data == "mnist" || src.data == "digits") {
			*rows = "test"
		}
	}
	switch *rows {
	case "test":
		if d.Test == nil {
			return nil, nil, nil, nil, usagef("--rows test: %s has no held-out rows (%s); use --rows all", d.Name, d.Split)
		}
		return m, d, d.Test, d.TestLabels, nil
	case "train":
		return m, d, d.Train, d.TrainLabels, nil
	case "all":
		x, labels := d.All()
		return m, d, x, labels, nil
	}
	return nil, nil, nil, nil, usagef("--rows %q: use test, train or all", *rows)
}

// loadVAEModel reads a model file, or the model inside a checkpoint.
func loadVAEModel(path string) (*vae.Model, error) {
	m, err := vae.Load(path)
	if errors.Is(err, modelfile.ErrKind) {
		ck, err := vae.LoadCheckpoint(path)
		if err != nil {
			return nil, err
		}
		return ck.Model, nil
	}
	return m, err
}

// vaeOptionFlags are the flags that set the vae options an OptionError
// may name.
var vaeOptionFlags = map[string]string{"Options.Epochs": "epochs", "ResumeOptions.Epochs": "epochs", "Options.BatchSize": "batch",
	"Options.LR": "lr", "Options.Beta": "beta", "Options.Warmup": "warmup", "Options.Cycles": "cycles", "Options.IWK": "iw-k", "Config.PseudoInputs": "pseudo-inputs", "Config.Channels": "channels", "Config.ImageH": "image", "Options.Ratio": "ratio", "Options.FreeBits": "free-bits", "Options.Scaling": "scale",
	"Options.Binarize": "binarize", "Config.Latent": "latent", "Config.Variance": "variance", "EvalOptions.Samples": "samples", "IWAEOptions.K": "iwae-k"}

// vaeFlagError turns an OptionError of package vae into a usage error
// naming the flag that set the option, and names the flags to lower in
// the divergence and memory guards' errors.
func vaeFlagError(err error) error {
	var oe *vae.OptionError
	if errors.As(err, &oe) {
		if f, ok := vaeOptionFlags[oe.Option]; ok {
			return usagef("--%s %v: %s", f, oe.Value, oe.Reason)
		}
	}
	return withFlags(err, vaeGuardFlags)
}

// vaeGuardFlags name the flags of the options vae's divergence and memory
// errors ask to lower.
var vaeGuardFlags = map[string]string{"Options.LR": "--lr", "Config.Hidden": "--hidden", "Options.BatchSize": "--batch",
	"EvalOptions.Samples": "--samples", "IWAEOptions.K": "--iwae-k"}

// writeCSVOut writes CSV output (a file, or stdout for "-") and returns
// where the human summary goes.
func writeCSVOut(e *env, out string, opts fileio.Options, write func(io.Writer) error) (io.Writer, error) {
	if out == "" {
		return e.stdout, nil
	}
	if out == "-" {
		return e.stderr, write(e.stdout)
	}
	return e.stdout, fileio.WriteFile(out, write, opts)
}

// wrote says which files were written ("" and "-" skipped): one "wrote"
// line each, or with sep one line after a blank one, the files joined by
// sep.
func wrote(w io.Writer, sep string, paths ...string) {
	var ps []string
	for _, p := range paths {
		if p != "" && p != "-" {
			ps = append(ps, p)
		}
	}
	switch {
	case len(ps) == 0:
	case sep == "":
		for _, p := range ps {
			fmt.Fprintf(w, "wrote %s\n", p)
		}
	default:
		fmt.Fprintf(w, "\nwrote %s\n", strings.Join(ps, sep))
	}
}

// priorSamples decodes n codes drawn from the prior with the stream of
// seed that vae.SampleStream names.
func priorSamples(m *vae.Model, n int, seed uint64) (*mat.Dense, error) {
	x := mat.NewDense(n, m.Inputs(), nil)
	if err := m.Sample(x, rand.New(rand.NewPCG(seed, vae.SampleStream))); err != nil {
		return nil, err
	}
	return x, nil
}

// modelColumns names the model's columns, x1… where it has no name.
func modelColumns(m *vae.Model) []string {
	cols := m.Columns()
	if cols == nil {
		cols = make([]string, m.Inputs())
	}
	for j := range cols {
		if cols[j] == "" {
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

// squareImage returns the shape of a model's rows as images: --image, or
// a square.
func squareImage(image string, m *vae.Model) (int, int, error) {
	if image != "" {
		return parseImage(image, m.Inputs())
	}
	if r := int(math.Round(math.Sqrt(float64(m.Inputs())))); r*r == m.Inputs() {
		return r, r, nil
	}
	return 0, 0, usagef("the model's rows (%d values) are not square images; give --image HxW", m.Inputs())
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
