package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/latentgo/latent/internal/cli"
	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/internal/tour"
	"github.com/latentgo/latent/internal/version"
)

// demoPart is one part of the tour: a function of one model's file
// (demo_gmm.go, …) that writes its charts through d and returns its
// section of the report, with the files it writes declared here so that
// the demo checks them all before any work.
type demoPart struct {
	name  string
	title string
	files []string
	run   func(ctx context.Context, d *demo) (*demoSection, error)
}

// demoParts is the tour, in order.
var demoParts = []demoPart{
	{"data", "The embedded data sets", nil, demoData},
	{"gmm", "Gaussian mixtures by EM",
		[]string{"gmm_fit.png", "gmm_bic.png", "gmm_convergence.png", "gmm_eruptions.png"}, demoGmm},
	{"bayes", "Bayesian mixtures: a Dirichlet process finds the components", // demo_bayes.go
		[]string{"bgmm_weights.png", "bgmm_fit.png"}, demoBayes},
	{"nn", "Backpropagation: an autodiff core and neural networks",
		[]string{"nn_xor_loss.png", "nn_digits_loss.png"}, demoNN},
	{"vae", "A variational autoencoder: the ELBO, a generator and its latent space",
		[]string{"vae_curves.png", "vae_reconstructions.png", "vae_samples.png", "vae_latent.png", "vae_manifold.png", "vae_mixture.png", "vae_generators.png"}, demoVAE},
	{"biasvar", "Bias, variance and noise of k-nearest neighbours",
		[]string{"biasvar_knn_sweep.png", "biasvar_knn_fit.png"}, demoBiasvar},
}

// demo is what a part needs: where to write, the seed, the output options.
type demo struct {
	dir    string
	seed   uint64
	opts   fileio.Options
	stderr io.Writer
	files  []string // the running part's declared files
}

// demoSection is what a part returns: its section of the report, without
// the name, title and time, which the tour fills in.
type demoSection struct {
	Text    string         // Markdown
	Figures []demoFigure   // files in the output folder
	Numbers map[string]any // the figures quoted in Text
}

// demoFigure is a chart a part wrote.
type demoFigure struct {
	File    string
	Caption string
}

// write stores a file of the demo atomically in the output folder.
func (d *demo) write(name string, data []byte) error {
	return d.writeWith(name, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeWith stores a file produced by fn atomically in the output folder;
// the running part must have declared it.
func (d *demo) writeWith(name string, fn func(io.Writer) error) error {
	if !slices.Contains(d.files, name) {
		return fmt.Errorf("writes %s, which the part does not declare in demoParts", name)
	}
	return fileio.WriteFile(filepath.Join(d.dir, name), fn, d.opts)
}

// parts binds the tour's parts to d.
func (d *demo) parts() []tour.Part {
	parts := make([]tour.Part, len(demoParts))
	for i, p := range demoParts {
		parts[i] = tour.Part{Name: p.name, Title: p.title, Files: p.files, Run: func(ctx context.Context) (*tour.Section, error) {
			d.files = p.files
			defer func() { d.files = nil }()
			s, err := p.run(ctx, d)
			if err != nil {
				return nil, err
			}
			sec := &tour.Section{Text: s.Text, Numbers: s.Numbers}
			for _, f := range s.Figures {
				sec.Figures = append(sec.Figures, tour.Figure(f))
			}
			return sec, nil
		}}
	}
	return parts
}

func demoNames() []string {
	names := make([]string, len(demoParts))
	for i, p := range demoParts {
		names[i] = p.name
	}
	return names
}

func newDemoCmd(e *env) *cobra.Command {
	var out, only string
	var seed uint64
	var of outFlags
	c := &cobra.Command{
		Use:   "demo",
		Short: "Run the tour of latent on embedded data: charts and a report",
		Long: `Run every model of latent on the embedded data sets and write the charts (PNG),
report.md and report.json into one folder (--out, default latent-demo). The
same seed gives the same numbers. Parts: ` + strings.Join(demoNames(), ", ") + `.`,
		Example: "  latent demo\n  latent demo --out docs/demo --force\n  latent demo --only data --seed 7",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			d := &demo{dir: out, seed: seed, stderr: e.stderr}
			parts, err := tour.Select(d.parts(), only)
			if err != nil {
				return usagef("--only: %v", err)
			}
			d.opts, err = of.spec(nil, cli.Output{Flag: "--out", Path: out, Kind: cli.Folder, Files: tour.Files(parts)}).Check()
			if err != nil {
				return fmt.Errorf("demo: %w", err)
			}
			if err := os.MkdirAll(out, 0o755); err != nil {
				return fmt.Errorf("demo: %w", err)
			}
			return runDemo(cmd.Context(), e, d, parts)
		},
	}
	c.Flags().StringVarP(&out, "out", "o", "latent-demo", "folder for the charts and the report")
	c.Flags().Uint64Var(&seed, "seed", 1, "random seed; the same seed gives the same numbers")
	c.Flags().StringVar(&only, "only", "", "comma-separated parts to run (default: all)")
	of.register(c.Flags())
	return c
}

func runDemo(ctx context.Context, e *env, d *demo, parts []tour.Part) error {
	start := time.Now()
	bar := newProgress(e.stderr, len(parts), "demo")
	rep, err := tour.Run(ctx, parts, d.seed, version.Producer(), func(p tour.Progress) {
		if p.Done > 0 {
			bar.Add(1)
		}
		if p.Part != "" {
			bar.Describe("demo: " + p.Part)
		}
	})
	bar.Done()
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	js, err := rep.JSON()
	if err != nil {
		return fmt.Errorf("demo: report.json: %w", err)
	}
	d.files = []string{"report.json", "report.md"}
	if err := d.write("report.json", js); err != nil {
		return err
	}
	if err := d.write("report.md", rep.Markdown()); err != nil {
		return err
	}
	return rep.WriteText(e.stdout, filepath.Join(d.dir, "report.md"), filepath.Join(d.dir, "report.json"), time.Since(start))
}
