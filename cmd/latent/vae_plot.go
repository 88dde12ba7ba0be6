package main

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strconv"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/plots"
	"github.com/latentgo/latent/vae"
)

// vaeChartNames are the files `vae train --plots DIR` may write.
var vaeChartNames = []string{"curves.png", "reconstructions.png", "samples.png", "latent.png", "manifold.png", "classes.png", "pseudo-inputs.png"}

// checkVAECharts checks, before training, that the charts can be written.
func checkVAECharts(dir string, opts fileio.Options) error {
	for _, n := range vaeChartNames {
		if err := fileio.Check(filepath.Join(dir, n), opts); err != nil {
			return err
		}
	}
	return nil
}

// charts saves charts, each as soon as it is drawn, keeping the first
// error: save(name)(plots.X(…)) takes a chart function's two results.
type charts struct {
	dir   string
	opts  fileio.Options
	wrote []string
	err   error
}

func (c *charts) save(name string) func(plots.Figure, error) {
	return func(fig plots.Figure, err error) {
		if c.err != nil || name == "" {
			return
		}
		if err == nil {
			p := filepath.Join(c.dir, name)
			if err = saveFigure(p, fig, c.opts); err == nil {
				c.wrote = append(c.wrote, p)
			}
		}
		c.err = err
	}
}

// fail records an error that stops the charts.
func (c *charts) fail(err error) bool {
	if c.err == nil {
		c.err = err
	}
	return c.err != nil
}

// vaeCharts draws the charts of a trained model into dir and returns the
// files written: the training curves; for image rows, inputs above their
// reconstructions and (for a VAE) samples; the posterior means coloured
// by label in the two most used dimensions; and for two latent
// dimensions, the learned manifold.
func vaeCharts(dir string, m *vae.Model, rep *vae.Report, d *vae.Data, seed uint64, opts fileio.Options) ([]string, error) {
	c := &charts{dir: dir, opts: opts}
	kind := map[bool]string{false: "VAE", true: "Autoencoder"}[m.Autoencoder()]
	c.save("curves.png")(plots.VAECurves(rep, fmt.Sprintf("%s %s-%d on %s", kind, joinInts(rep.Encoder[:len(rep.Encoder)-1]), m.Latent(), filepath.Base(d.Name))))
	rows, labels := d.Test, d.TestLabels
	if rows == nil {
		rows, labels = d.Train, d.TrainLabels
	}
	if m.Conditional() {
		return cvaeCharts(c, m, rows, labels, d, seed)
	}
	n, dim := rows.Dims()
	if d.Height > 0 {
		sub := rows.Slice(0, min(n, 20), 0, dim)
		r, err := m.Reconstruct(sub)
		if c.fail(err) {
			return nil, c.err
		}
		c.save("reconstructions.png")(plots.VAEReconstructions(sub, r, d.Height, d.Width, "Held-out rows and their reconstructions"))
		if !m.Autoencoder() {
			s, err := priorSamples(m, 100, seed)
			if c.fail(err) {
				return nil, c.err
			}
			c.save("samples.png")(plots.VAESamples(s, d.Height, d.Width, 10, "Samples: z ~ N(0, I), decoded"))
		}
	}
	if m.Latent() >= 2 {
		k := min(n, 5000)
		mu, _, err := m.Encode(rows.Slice(0, k, 0, dim))
		if c.fail(err) {
			return nil, c.err
		}
		if labels != nil {
			labels = labels[:k]
		}
		c.save("latent.png")(latentChart(mu, labels, "Posterior means of the held-out rows"))
	}
	if u := m.PseudoInputs(); u != nil && d.Height > 0 {
		k := min(rowCount(u), 50)
		sub := u.Slice(0, k, 0, dim)
		r, err := m.Reconstruct(sub)
		if c.fail(err) {
			return nil, c.err
		}
		c.save("pseudo-inputs.png")(plots.VAECompare([]plots.ImageSet{{Name: "pseudo-input", X: sub}, {Name: "decoded", X: r}}, d.Height, d.Width,
			fmt.Sprintf("VampPrior: %d of the %d learned pseudo-inputs, and their decoded means", k, rowCount(u))))
	}
	if m.Latent() == 2 && d.Height > 0 && !m.Autoencoder() {
		c.save("manifold.png")(plots.VAEManifold(m, 20, d.Height, d.Width, "The learned manifold: z on a normal-quantile grid, decoded"))
	}
	return c.wrote, c.err
}

// cvaeCharts draws a conditional model's charts after its curves: a row
// of samples per class, and the posterior means given each row's label.
func cvaeCharts(c *charts, m *vae.Model, rows *mat.Dense, labels []string, d *vae.Data, seed uint64) ([]string, error) {
	if d.Height > 0 {
		s, _, err := m.SampleClasses(10, rand.New(rand.NewPCG(seed, vae.SampleStream)))
		if c.fail(err) {
			return nil, c.err
		}
		c.save("classes.png")(plots.VAEClassSamples(s, m.Classes(), 10, d.Height, d.Width, "Samples of each class: z ~ N(0, I), decoded given the class"))
	}
	if m.Latent() >= 2 {
		n, dim := rows.Dims()
		k := min(n, 5000)
		mu, _, err := m.EncodeGiven(rows.Slice(0, k, 0, dim), labels[:k])
		if c.fail(err) {
			return nil, c.err
		}
		c.save("latent.png")(latentChart(mu, labels[:k], "Posterior means given the class (the code holds what the label does not)"))
	}
	return c.wrote, c.err
}

// latentChart draws codes in the two dimensions of largest variance
// (vae.ColumnVariance), coloured by label.
func latentChart(mu *mat.Dense, labels []string, title string) (plots.Figure, error) {
	v := vae.ColumnVariance(mu)
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return v[idx[a]] > v[idx[b]] })
	i, j := min(idx[0], idx[1]), max(idx[0], idx[1])
	var ids []int
	var names []string
	if labels != nil {
		if ids, names = plots.SortedGroups(labels); len(names) > plots.MaxGroups {
			ids, names = nil, nil // too many classes to tell apart: one colour
		}
	}
	return plots.VAELatent(mu, i, j, ids, names, title)
}

// saveFigure writes a chart atomically.
func saveFigure(path string, fig plots.Figure, opts fileio.Options) error {
	return plots.Save(path, fig, opts)
}

func joinInts(v []int) string {
	s := ""
	for i, x := range v {
		if i > 0 {
			s += "-"
		}
		s += strconv.Itoa(x)
	}
	return s
}
