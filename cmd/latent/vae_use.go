package main

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"strconv"

	"github.com/spf13/cobra"
	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/cli"
	"github.com/latentgo/latent/internal/csvio"
	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/internal/memlimit"
	"github.com/latentgo/latent/mixture"
	"github.com/latentgo/latent/plots"
	"github.com/latentgo/latent/vae"
	"github.com/latentgo/latent/vaemix"
)

func newVAEEvalCmd(e *env) *cobra.Command {
	var src vaeSource
	var model, rows string
	var o vae.AssessOptions
	var asJSON bool
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
			if err := cli.Validate(
				cli.AtLeast("--samples", o.Samples, 1),
				cli.AtLeast("--iwae-k", o.IWAEK, 0),
				cli.AtLeast("--iwae-rows", o.IWAERows, 0),
			); err != nil {
				return err
			}
			m, d, x, labels, err := modelData(e, cmd, &src, model, args, &rows)
			if err != nil {
				return err
			}
			if m.Conditional() {
				o.Labels = labels
			}
			if !cmd.Flags().Changed("binarize") {
				o.Binarize = m.Trained().Binarize
			}
			o.Seed = src.seed
			done := func() {}
			if o.IWAEK > 0 {
				k := rowCount(x)
				if o.IWAERows > 0 {
					k = min(k, o.IWAERows)
				}
				bar := newProgress(e.stderr, k, "vae eval: IWAE")
				o.Progress, done = func(vae.Progress) { bar.Add(1) }, bar.Done
			}
			a, err := m.Assess(cmd.Context(), x, o)
			done()
			if err != nil {
				return fmt.Errorf("%s: %w", d.Name, vaeFlagError(err))
			}
			if asJSON {
				return writeJSON(e.stdout, struct {
					Data  string `json:"data"`
					Rows  string `json:"rows"`
					Model string `json:"model"`
					*vae.Assessment
				}{d.Name, rows, model, a})
			}
			fmt.Fprintf(e.stdout, "%s: %d %s rows%s, scored with %s\n", d.Name, a.Eval.Rows, rows, map[bool]string{true: ", binarised"}[a.Binarized], model)
			return a.WriteText(e.stdout)
		},
	}
	fs := c.Flags()
	src.registerModel(fs, &model, &rows, "seed of the noise and of the split (default: the model's)")
	fs.IntVar(&o.Samples, "samples", 1, "codes drawn per row for the reconstruction term")
	fs.IntVar(&o.IWAEK, "iwae-k", 0, "importance samples per row for the IWAE estimate of log p(x) (0: none)")
	fs.IntVar(&o.IWAERows, "iwae-rows", 0, "rows used for the IWAE estimate, from the first (0: all)")
	fs.BoolVar(&o.Binarize, "binarize", false, "score a seeded binarisation of the rows (default: as the model was trained)")
	fs.BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

// vaeSample are the flags of 'vae sample'.
type vaeSample struct {
	of                                   outFlags
	model, out, plotPath, image, mixPath string
	class                                string
	n, cols                              int
	seed                                 uint64
	asJSON                               bool
}

func newVAESampleCmd(e *env) *cobra.Command {
	var v vaeSample
	c := &cobra.Command{
		Use:   "sample --model MODEL.json [-n N] [--mixture GMM.json] [--class C]",
		Short: "Generate data: codes from the prior N(0, I) (or a fitted mixture), decoded",
		Long: `Draw codes z from the prior N(0, I) and decode them: the mean of p(x | z) for
each (probabilities for a Bernoulli decoder), in the data's units. With
--mixture the codes come from a Gaussian mixture fitted to the model's codes
('latent vae gmm --out'), which also makes a plain autoencoder a generator.
A conditional model ('vae train --condition') decodes them given a class:
--class C draws -n samples of class C; without it, -n samples of every class,
class by class, drawn as one row of images per class.
--out writes the samples as CSV ("-" for stdout), --plot draws them as images.`,
		Example: `  latent vae sample --model digits-vae.json -n 100 --plot samples.png
  latent vae sample --model mnist-vae.json -n 16 --seed 7 --out samples.csv
  latent vae sample --model mnist-cvae.json --class 7 -n 10 --plot sevens.png
  latent vae sample --model mnist-ae.json --mixture codes-gmm.json -n 100 --plot ae-samples.png`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return v.run(e) },
	}
	fs := c.Flags()
	v.of.register(fs)
	fs.StringVarP(&v.model, "model", "m", "", "model file (or checkpoint) written by 'latent vae train'")
	fs.IntVarP(&v.n, "n", "n", 64, "number of samples (of each class, for a conditional model without --class)")
	fs.Uint64Var(&v.seed, "seed", 1, "random seed of the codes")
	fs.StringVarP(&v.out, "out", "o", "", `write the samples as CSV to this file ("-": stdout)`)
	fs.StringVar(&v.plotPath, "plot", "", "draw the samples as images (.png, .svg or .pdf)")
	fs.StringVar(&v.image, "image", "", "image shape HxW (default: square)")
	fs.IntVar(&v.cols, "cols", 10, "images per row of the chart")
	fs.StringVar(&v.mixPath, "mixture", "", "draw the codes from this Gaussian mixture (a latent.gmm file from 'latent vae gmm --out')")
	fs.StringVar(&v.class, "class", "", "the class to generate, for a conditional model")
	fs.BoolVar(&v.asJSON, "json", false, "print the samples as JSON")
	return c
}

func (v *vaeSample) run(e *env) error {
	if v.model == "" {
		return usagef("--model MODEL.json is required")
	}
	if err := cli.Validate(
		cli.Want("-n", v.n, v.n >= 1, "ask for at least 1 sample"),
		cli.AtLeast("--cols", v.cols, 1),
	); err != nil {
		return err
	}
	if v.class != "" && v.mixPath != "" {
		return usagef("--class and --mixture: a mixture of codes has no classes; give one of them")
	}
	opts, err := declare(&v.of, v.asJSON, []string{v.model, v.mixPath},
		cli.Output{Flag: "--out", Path: v.out, Kind: cli.Stream}, cli.Output{Flag: "--plot", Path: v.plotPath, Kind: cli.Chart}).Check()
	if err != nil {
		return err
	}
	m, err := loadVAEModel(v.model)
	if err != nil {
		return err
	}
	if v.class != "" && !m.Conditional() {
		return usagef("--class %s: %s is not a conditional model (train one with 'vae train --condition')", v.class, v.model)
	}
	total := v.n
	if m.Conditional() && v.class == "" {
		total *= len(m.Classes())
	}
	// The memory guard: the samples, and for --json their copy and text.
	copies := map[bool]float64{false: 1, true: 5}[v.asJSON]
	if err := memlimit.Check(fmt.Sprintf("%d samples of %d values", total, m.Inputs()), memlimit.Floats(float64(total), float64(m.Inputs()), copies), "-n"); err != nil {
		return err
	}
	x, labels, err := sampleVAE(m, v.mixPath, v.class, v.n, v.seed)
	if err != nil {
		return err
	}
	summary, err := writeCSVOut(e, v.out, opts, func(w io.Writer) error { return csvio.Write(w, modelColumns(m), x, "class", labels) })
	if err != nil {
		return err
	}
	if err := v.plot(m, x, labels, opts); err != nil {
		return err
	}
	if v.asJSON {
		return writeJSON(summary, struct {
			Model   string      `json:"model"`
			N       int         `json:"n"`
			Seed    uint64      `json:"seed"`
			Columns []string    `json:"columns"`
			Classes []string    `json:"classes,omitempty"`
			Samples [][]float64 `json:"samples"`
		}{v.model, total, v.seed, modelColumns(m), labels, rowsOf(x)})
	}
	what := ""
	if v.class != "" {
		what = " of class " + v.class
	} else if labels != nil {
		what = fmt.Sprintf(" (%d of each of %d classes)", v.n, len(m.Classes()))
	}
	fmt.Fprintf(summary, "%d samples%s of %d values from %s (seed %d)\n", total, what, m.Inputs(), v.model, v.seed)
	wrote(summary, "", v.out, v.plotPath)
	return nil
}

// plot draws the samples: a grid, or a row per class for a conditional
// model's samples of every class.
func (v *vaeSample) plot(m *vae.Model, x *mat.Dense, labels []string, opts fileio.Options) error {
	if v.plotPath == "" {
		return nil
	}
	h, w, err := squareImage(v.image, m)
	if err != nil {
		return err
	}
	c := &charts{opts: opts}
	title := fmt.Sprintf("%d samples from %s", rowCount(x), filepath.Base(v.model))
	if v.class != "" {
		title = fmt.Sprintf("%d samples of class %s from %s", rowCount(x), v.class, filepath.Base(v.model))
	}
	if labels != nil && v.class == "" {
		c.save(v.plotPath)(plots.VAEClassSamples(x, m.Classes(), v.n, h, w, fmt.Sprintf("Samples of each class from %s", filepath.Base(v.model))))
	} else {
		c.save(v.plotPath)(plots.VAESamples(x, h, w, v.cols, title))
	}
	return c.err
}

// sampleVAE draws n samples of the model: codes from the prior, or from
// the mixture in mixPath (vaemix.Sample), each from its seeded stream.
// A conditional model decodes them given class, or without one, n of
// every class (SampleClasses), whose labels it returns (nil otherwise).
func sampleVAE(m *vae.Model, mixPath, class string, n int, seed uint64) (*mat.Dense, []string, error) {
	x := mat.NewDense(n, m.Inputs(), nil)
	rng := rand.New(rand.NewPCG(seed, vae.SampleStream))
	switch {
	case mixPath == "" && m.Conditional() && class == "":
		return m.SampleClasses(n, rng)
	case mixPath == "" && m.Conditional():
		return x, nil, m.SampleClass(x, class, rng)
	case mixPath == "":
		err := m.Sample(x, rng)
		if errors.Is(err, vae.ErrAutoencoder) {
			err = fmt.Errorf("%w; fit a mixture to its codes with 'latent vae gmm --out GMM.json' and sample with --mixture GMM.json", err)
		}
		return x, nil, err
	}
	g, err := mixture.Load(mixPath)
	if err != nil {
		return nil, nil, err
	}
	if g.Dim() != m.Latent() {
		return nil, nil, fmt.Errorf("%s is a mixture in %d dimensions, but the model has %d latent dimensions", mixPath, g.Dim(), m.Latent())
	}
	return x, nil, vaemix.Sample(x, m, g, rand.New(rand.NewPCG(seed, vaemix.SampleStream)))
}

// vaeOut are the output flags of reconstruct and encode.
type vaeOut struct {
	src                   vaeSource
	of                    outFlags
	model, rows, out, plt string
	show                  int
	asJSON                bool
	opts                  fileio.Options // of the writes, from the outputs guard
}

func (v *vaeOut) register(c *cobra.Command, what, plot, json string) *cobra.Command {
	fs := c.Flags()
	v.src.registerModel(fs, &v.model, &v.rows, "seed of the split (default: the model's)")
	v.of.register(fs)
	fs.StringVarP(&v.out, "out", "o", "", `write the `+what+` as CSV ("-": stdout)`)
	fs.StringVar(&v.plt, "plot", "", plot+" (.png, .svg or .pdf)")
	fs.BoolVar(&v.asJSON, "json", false, "print the "+json+" as JSON")
	return c
}

// load checks the outputs, then loads the model and the rows.
func (v *vaeOut) load(e *env, cmd *cobra.Command, args []string) (*vae.Model, *vae.Data, *mat.Dense, []string, error) {
	if v.model == "" {
		return nil, nil, nil, nil, usagef("--model MODEL.json is required")
	}
	var err error
	v.opts, err = declare(&v.of, v.asJSON, v.src.inputs(args, v.model),
		cli.Output{Flag: "--out", Path: v.out, Kind: cli.Stream}, cli.Output{Flag: "--plot", Path: v.plt, Kind: cli.Chart}).Check()
	if err != nil {
		return nil, nil, nil, nil, err
	}
	return modelData(e, cmd, &v.src, v.model, args, &v.rows)
}

func newVAEReconstructCmd(e *env) *cobra.Command {
	var v vaeOut
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
			if err := cli.AtLeast("--show", v.show, 1); err != nil {
				return err
			}
			m, d, x, labels, err := v.load(e, cmd, args)
			if err != nil {
				return err
			}
			r, err := m.ReconstructGiven(x, labels) // the labels matter to a conditional model only
			if err != nil {
				return fmt.Errorf("%s: %w", d.Name, err)
			}
			term, err := m.ReconstructionTermGiven(x, labels)
			if err != nil {
				return fmt.Errorf("%s: %w", d.Name, err)
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
			opts := v.opts
			summary, err := writeCSVOut(e, v.out, opts, func(w io.Writer) error { return csvio.Write(w, modelColumns(m), r, "", nil) })
			if err != nil {
				return err
			}
			if v.plt != "" && d.Height == 0 {
				return usagef("--plot: the rows of %s are not images; give --image HxW", d.Name)
			} else if v.plt != "" {
				k, c := min(v.show, n), &charts{opts: opts}
				if c.save(v.plt)(plots.VAEReconstructions(x.Slice(0, k, 0, dim), r.Slice(0, k, 0, dim), d.Height, d.Width, fmt.Sprintf("%s and their reconstructions", d.Name))); c.err != nil {
					return c.err
				}
			}
			if v.asJSON {
				return writeJSON(summary, struct {
					Data           string  `json:"data"`
					Rows           string  `json:"rows"`
					N              int     `json:"n"`
					MSE            float64 `json:"mse"`
					Reconstruction float64 `json:"reconstruction"`
				}{d.Name, v.rows, n, mse, term})
			}
			fmt.Fprintf(summary, "%s: %d %s rows reconstructed with %s; mean squared error %.6g per value\n", d.Name, n, v.rows, v.model, mse)
			fmt.Fprintf(summary, "reconstruction term −log p(x | z = μ(x)) %.6g nats per row\n", term)
			wrote(summary, "", v.out, v.plt)
			return nil
		},
	}
	c.Flags().IntVar(&v.show, "show", 20, "rows drawn by --plot")
	return v.register(c, "reconstructions", "draw inputs above their reconstructions", "summary")
}

func newVAEEncodeCmd(e *env) *cobra.Command {
	var v vaeOut
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
			m, d, x, labels, err := v.load(e, cmd, args)
			if err != nil {
				return err
			}
			mu, lv, err := m.EncodeGiven(x, labels) // the labels matter to a conditional model only
			if err != nil {
				return fmt.Errorf("%s: %w", d.Name, err)
			}
			names := func(p string) (s []string) {
				for j := 1; j <= m.Latent(); j++ {
					s = append(s, p+strconv.Itoa(j))
				}
				return s
			}
			cols, codes := names("mu"), mu
			if lv != nil {
				cols, codes = append(cols, names("logvar")...), mat.NewDense(rowCount(mu), 2*m.Latent(), nil)
				codes.Augment(mu, lv)
			}
			opts := v.opts
			summary, err := writeCSVOut(e, v.out, opts, func(w io.Writer) error {
				return csvio.Write(w, cols, codes, orDefault(d.LabelName, "label"), labels)
			})
			if err != nil {
				return err
			}
			if v.plt != "" && m.Latent() < 2 {
				return usagef("--plot: the model has 1 latent dimension; the scatter needs 2")
			} else if c := (&charts{opts: opts}); v.plt != "" {
				if c.save(v.plt)(latentChart(mu, labels, fmt.Sprintf("Posterior means of %s", d.Name))); c.err != nil {
					return c.err
				}
			}
			if v.asJSON {
				return writeJSON(summary, struct {
					Data    string      `json:"data"`
					Rows    string      `json:"rows"`
					Columns []string    `json:"columns"`
					Codes   [][]float64 `json:"codes"`
					Labels  []string    `json:"labels,omitempty"`
				}{d.Name, v.rows, cols, rowsOf(codes), labels})
			}
			fmt.Fprintf(summary, "%s: %d %s rows encoded with %s into %d latent dimensions\n", d.Name, rowCount(x), v.rows, v.model, m.Latent())
			wrote(summary, "", v.out, v.plt)
			return nil
		},
	}
	return v.register(c, "codes", "draw the codes coloured by label", "codes")
}
