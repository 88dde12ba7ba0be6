package tour

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/plots"
	"github.com/latentgo/latent/vae"
)

// partSpec is one part of the tour: a function of one model's file (gmm.go,
// vae.go, …) that writes its charts through the Env and returns its section
// of the report, with the files it writes declared here so that the demo
// checks them all before any work.
type partSpec struct {
	name  string
	title string
	files []string
	run   func(ctx context.Context, d *Env) (*Section, error)
}

// parts is the tour, in order.
var parts = []partSpec{
	{"data", "The embedded data sets", nil, dataPart},
	{"gmm", "Gaussian mixtures by EM",
		[]string{"gmm_fit.png", "gmm_bic.png", "gmm_convergence.png", "gmm_eruptions.png"}, gmmPart},
	{"bayes", "Bayesian mixtures: a Dirichlet process finds the components",
		[]string{"bgmm_weights.png", "bgmm_fit.png"}, bayesPart},
	{"nn", "Backpropagation: an autodiff core and neural networks",
		[]string{"nn_xor_loss.png", "nn_digits_loss.png"}, nnPart},
	{"vae", "A variational autoencoder: the ELBO, a generator and its latent space",
		[]string{"vae_curves.png", "vae_reconstructions.png", "vae_samples.png", "vae_latent.png", "vae_manifold.png", "vae_mixture.png", "vae_generators.png"}, vaePart},
	{"biasvar", "Bias, variance and noise of k-nearest neighbours",
		[]string{"biasvar_knn_sweep.png", "biasvar_knn_fit.png"}, biasvarPart},
}

// Env is what the tour's parts need: the output folder, the seed and the
// options of the files they write (the command checked the folder and its
// files before any part ran).
type Env struct {
	Dir   string
	Seed  uint64
	Opts  fileio.Options
	files []string // the running part's declared files
}

// Parts returns latent's tour, bound to env, for Select and Run.
func Parts(env *Env) []Part {
	out := make([]Part, len(parts))
	for i, p := range parts {
		out[i] = Part{Name: p.name, Title: p.title, Files: p.files, Run: func(ctx context.Context) (*Section, error) {
			env.files = p.files
			defer func() { env.files = nil }()
			return p.run(ctx, env)
		}}
	}
	return out
}

// WriteReports writes report.json and report.md of rep into the folder.
func (d *Env) WriteReports(rep *Report) error {
	js, err := rep.JSON()
	if err != nil {
		return fmt.Errorf("report.json: %w", err)
	}
	d.files = []string{"report.json", "report.md"}
	defer func() { d.files = nil }()
	if err := d.write("report.json", js); err != nil {
		return err
	}
	return d.write("report.md", rep.Markdown())
}

// write stores a file of the tour atomically in the output folder.
func (d *Env) write(name string, data []byte) error {
	return d.writeWith(name, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeWith stores a file produced by fn atomically in the output folder;
// the running part must have declared it.
func (d *Env) writeWith(name string, fn func(io.Writer) error) error {
	if !slices.Contains(d.files, name) {
		return fmt.Errorf("writes %s, which the part does not declare in the list of parts", name)
	}
	return fileio.WriteFile(filepath.Join(d.Dir, name), fn, d.Opts)
}

// save draws fig into the output folder, in the format its name gives.
func (d *Env) save(name string, fig plots.Figure) error {
	if !slices.Contains(d.files, name) {
		return fmt.Errorf("writes %s, which the part does not declare in the list of parts", name)
	}
	return plots.Save(filepath.Join(d.Dir, name), fig, d.Opts)
}

func pngWriter(fig plots.Figure) func(io.Writer) error {
	return func(w io.Writer) error { return plots.Encode(w, "png", fig) }
}

// priorSamples decodes n codes drawn from the prior with the stream of seed
// that vae.SampleStream names, as `latent vae sample` does.
func priorSamples(m *vae.Model, n int, seed uint64) (*mat.Dense, error) {
	x := mat.NewDense(n, m.Inputs(), nil)
	if err := m.Sample(x, rand.New(rand.NewPCG(seed, vae.SampleStream))); err != nil {
		return nil, err
	}
	return x, nil
}
