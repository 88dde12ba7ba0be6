package plots

import (
	"errors"
	"fmt"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/latentgo/latent/vae"
)

// VAECurves returns the training curves of a VAE run as three aligned
// panels over the epochs: the ELBO, its reconstruction term and its KL
// term, each in nats per row, with the training value (the running mean
// over the epoch's batches) and, when the report has test scores, the
// test value after each epoch. An autoencoder's report gives one panel,
// its reconstruction loss. A run whose KL weight followed a schedule
// (warm-up, cyclical annealing) gets a fourth panel, β step by step on the
// same epoch axis (vae.TrainedWith.BetaSchedule). An empty report or a
// value that is not finite is an error.
func VAECurves(rep *vae.Report, title string) (*Grid, error) {
	if rep == nil || len(rep.Epochs) == 0 {
		return nil, errors.New("plots: VAECurves: the report has no epochs")
	}
	n := len(rep.Epochs)
	train := [3][]float64{make([]float64, n), make([]float64, n), make([]float64, n)}
	var test [3][]float64
	for i, e := range rep.Epochs {
		train[0][i], train[1][i], train[2][i] = e.ELBO, e.Reconstruction, e.KL
		if e.Test != nil {
			test[0] = append(test[0], e.Test.ELBO)
			test[1] = append(test[1], e.Test.Reconstruction)
			test[2] = append(test[2], e.Test.KL)
		}
	}
	panels := []struct {
		k      int
		ylabel string
	}{{0, "ELBO (nats)"}, {1, "reconstruction −log p(x|z) (nats)"}, {2, "KL(q(z|x) ‖ p(z)) (nats)"}}
	if rep.Settings.Kind == "autoencoder" {
		panels = panels[1:2]
		panels[0].ylabel = "reconstruction loss (nats)"
	}
	betas := rep.Settings.BetaSchedule()
	if len(betas) != 0 && rep.Settings.Epochs != n {
		betas = nil // a report cut short: the schedule would outrun the curves
	}
	cols := len(panels)
	if betas != nil {
		cols++
	}
	g := NewGrid(1, cols)
	g.Title = title
	g.CellWidth = 3 * vg.Inch
	g.CellHeight = 2.8 * vg.Inch
	for c, pn := range panels {
		p := g.At(0, c)
		p.X.Label.Text = "epoch"
		p.Y.Label.Text = pn.ylabel
		trainName, testName := "training", "test"
		if c > 0 { // one legend, in the first panel
			trainName, testName = "", ""
		}
		if _, _, err := AddLine(p, Series{Name: trainName, Y: train[pn.k]}, 0); err != nil {
			return nil, err
		}
		if len(test[pn.k]) == n {
			if _, _, err := AddLine(p, Series{Name: testName, Y: test[pn.k]}, 1); err != nil {
				return nil, err
			}
		}
		// The ELBO rises and the reconstruction falls: the legend sits
		// where the curves are not.
		p.Legend.Top = pn.k == 1
	}
	if betas != nil {
		p := g.At(0, len(panels))
		p.X.Label.Text = "epoch"
		p.Y.Label.Text = "KL weight β"
		steps := float64(len(betas)) / float64(n)
		x := make([]float64, len(betas))
		for t := range x {
			x[t] = float64(t+1) / steps
		}
		if _, _, err := AddLine(p, Series{X: x, Y: betas}, 2); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// VAEReconstructions returns inputs above their reconstructions: each
// block holds a row of inputs (x, one image per row of the matrix, h × w
// pixels) and below it the model's reconstructions of the same images,
// in the same columns. The errors are CompareImages's.
func VAEReconstructions(x, recon mat.Matrix, h, w int, title string) (*ImageChart, error) {
	return VAECompare([]ImageSet{{Name: "input", X: x}, {Name: "reconstruction", X: recon}}, h, w, title)
}

// VAECompare lays several sets of images out as CompareImages does (image
// i of every set in the same column: inputs, reconstructions, samples of
// different generators), ten a row, enlarged so that small charts of
// MNIST-sized images stay legible. The errors are CompareImages's.
func VAECompare(sets []ImageSet, h, w int, title string) (*ImageChart, error) {
	return legible(CompareImages(sets, h, w, ImageOptions{Title: title}))
}

// minImagesWidth is the width in pixels below which legible enlarges an
// image chart: with row labels, ten 28 × 28 images a row fit DefaultWidth
// only at one screen pixel per image pixel, too small to read, and
// narrower than a title.
const minImagesWidth = 480

// legible raises a chart's scale until its images span minImagesWidth
// pixels; the chart may then be wider than DefaultWidth.
func legible(c *ImageChart, err error) (*ImageChart, error) {
	if err != nil {
		return nil, err
	}
	gw, _ := c.Grid.Size()
	for gw*c.Scale < minImagesWidth {
		c.Scale++
	}
	return c, nil
}

// VAESamples returns a grid of generated images (one per row of samples,
// h × w pixels), cols across (0: 10). The errors are Images's.
func VAESamples(samples mat.Matrix, h, w, cols int, title string) (*ImageChart, error) {
	return legible(Images(samples, h, w, ImageOptions{Title: title, Cols: cols}))
}

// VAELatent returns the scatter of the codes (one per row) in latent
// dimensions i and j (0-based), coloured by group (nil: one colour), with
// the axes named z_{i+1} and z_{j+1}. It panics when i or j is not a
// column of codes; the errors are Scatter's.
func VAELatent(codes mat.Matrix, i, j int, groups []int, names []string, title string) (*plot.Plot, error) {
	n, d := codes.Dims()
	if n == 0 {
		return nil, fmt.Errorf("plots: VAELatent: no codes: %w", ErrNoData)
	}
	if i < 0 || i >= d || j < 0 || j >= d {
		panic(fmt.Sprintf("plots: VAELatent: dimensions %d and %d of codes with %d columns", i, j, d))
	}
	xy := mat.NewDense(n, 2, nil)
	for r := 0; r < n; r++ {
		xy.Set(r, 0, codes.At(r, i))
		xy.Set(r, 1, codes.At(r, j))
	}
	return Scatter(xy, groups, ScatterOptions{Title: title, XLabel: fmt.Sprintf("z%d (posterior mean)", i+1),
		YLabel: fmt.Sprintf("z%d (posterior mean)", j+1), GroupNames: names})
}

// ManifoldCodes returns the n² codes of the manifold grid of a
// two-dimensional latent space: the points (Φ⁻¹(u), Φ⁻¹(v)) for u, v on
// the grid (k + ½)/n, k = 0 … n−1, of the unit square, Φ⁻¹ the standard
// normal quantile function (Kingma & Welling 2014, Fig. 4), in display
// order: row r (top to bottom) has z2 falling, column c has z1 rising. It
// panics when n < 1.
func ManifoldCodes(n int) *mat.Dense {
	if n < 1 {
		panic(fmt.Sprintf("plots: ManifoldCodes(%d)", n))
	}
	q := make([]float64, n)
	for k := range q {
		q[k] = distuv.UnitNormal.Quantile((float64(k) + 0.5) / float64(n))
	}
	z := mat.NewDense(n*n, 2, nil)
	for r := 0; r < n; r++ {
		for c := 0; c < n; c++ {
			z.Set(r*n+c, 0, q[c])
			z.Set(r*n+c, 1, q[n-1-r])
		}
	}
	return z
}

// VAEManifold returns the learned manifold of a model with two latent
// dimensions: the decoded means of ManifoldCodes(n), n × n images of
// h × w pixels, z1 rising to the right and z2 upwards. It returns an error
// when the model does not have two latent dimensions or its images are
// not h × w.
func VAEManifold(m *vae.Model, n, h, w int, title string) (*ImageChart, error) {
	if m.Latent() != 2 {
		return nil, fmt.Errorf("plots: VAEManifold: the model has %d latent dimensions; the manifold chart needs 2", m.Latent())
	}
	if m.Inputs() != h*w {
		return nil, fmt.Errorf("plots: VAEManifold: the model has %d inputs, not %d×%d images", m.Inputs(), h, w)
	}
	x, err := m.Decode(ManifoldCodes(n))
	if err != nil {
		return nil, err
	}
	return Images(x, h, w, ImageOptions{Title: title, Cols: n})
}
