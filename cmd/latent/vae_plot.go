package main

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"

	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/plots"
	"github.com/latentgo/latent/vae"
)

// vaeChartNames are the files `vae train --plots DIR` may write.
var vaeChartNames = []string{"curves.png", "reconstructions.png", "samples.png", "latent.png", "manifold.png"}

// checkVAECharts checks, before training, that the charts can be written.
func checkVAECharts(dir string, opts fileio.Options) error {
	for _, n := range vaeChartNames {
		if err := fileio.Check(filepath.Join(dir, n), opts); err != nil {
			return err
		}
	}
	return nil
}

// vaeCharts draws the charts of a trained model into dir and returns the
// files written: the training curves; for image rows, inputs above their
// reconstructions and (for a VAE) samples; the posterior means coloured
// by label in the two most used dimensions; and for two latent
// dimensions, the learned manifold.
func vaeCharts(dir string, m *vae.Model, rep *vae.Report, d *vaeData, seed uint64, opts fileio.Options) ([]string, error) {
	var wrote []string
	save := func(name string, fig plots.Figure) error {
		p := filepath.Join(dir, name)
		if err := saveFigure(p, fig, opts); err != nil {
			return err
		}
		wrote = append(wrote, p)
		return nil
	}
	kind := "VAE"
	if m.Config().Autoencoder {
		kind = "Autoencoder"
	}
	title := fmt.Sprintf("%s %s-%s on %s", kind, joinInts(rep.Encoder[:len(rep.Encoder)-1]), fmt.Sprint(m.Latent()), filepath.Base(d.name))
	g, err := plots.VAECurves(rep, title)
	if err != nil {
		return nil, err
	}
	if err := save("curves.png", g); err != nil {
		return nil, err
	}
	rows, labels := d.test, d.testLabels
	if rows == nil {
		rows, labels = d.x, d.labels
	}
	n, dim := rows.Dims()
	if d.h > 0 {
		k := min(n, 20)
		sub := rows.Slice(0, k, 0, dim)
		r, err := m.Reconstruct(sub)
		if err != nil {
			return nil, err
		}
		c, err := vaeReconChart(sub, r, d.h, d.w, "Held-out rows and their reconstructions")
		if err != nil {
			return nil, err
		}
		if err := save("reconstructions.png", c); err != nil {
			return nil, err
		}
		if !m.Config().Autoencoder {
			s, err := priorSamples(m, 100, seed)
			if err != nil {
				return nil, err
			}
			c, err := vaeSamplesChart(s, d.h, d.w, 10, "Samples: z ~ N(0, I), decoded")
			if err != nil {
				return nil, err
			}
			if err := save("samples.png", c); err != nil {
				return nil, err
			}
		}
	}
	if m.Latent() >= 2 {
		k := min(n, 5000)
		mu, _, err := m.Encode(rows.Slice(0, k, 0, dim))
		if err != nil {
			return nil, err
		}
		var lab []string
		if labels != nil {
			lab = labels[:k]
		}
		i, j := topUnits(columnVariance(mu))
		p, err := vaeLatentChart(mu, i, j, lab, "Posterior means of the held-out rows")
		if err != nil {
			return nil, err
		}
		if err := save("latent.png", p); err != nil {
			return nil, err
		}
	}
	if m.Latent() == 2 && d.h > 0 && !m.Config().Autoencoder {
		c, err := plots.VAEManifold(m, 20, d.h, d.w, "The learned manifold: z on a normal-quantile grid, decoded")
		if err != nil {
			return nil, err
		}
		if err := save("manifold.png", c); err != nil {
			return nil, err
		}
	}
	return wrote, nil
}

func vaeReconChart(x, r mat.Matrix, h, w int, title string) (*plots.ImageChart, error) {
	return plots.VAEReconstructions(x, r, h, w, title)
}

func vaeSamplesChart(s mat.Matrix, h, w, cols int, title string) (*plots.ImageChart, error) {
	return plots.VAESamples(s, h, w, cols, title)
}

func vaeLatentChart(mu mat.Matrix, i, j int, labels []string, title string) (*plot.Plot, error) {
	var ids []int
	var names []string
	if labels != nil {
		ids, names = sortedGroups(labels)
		if len(names) > plots.MaxGroups {
			ids, names = nil, nil // too many classes to tell apart: one colour
		}
	}
	return plots.VAELatent(mu, i, j, ids, names, title)
}

// sortedGroups numbers the distinct labels in sorted order (numerically
// when every label is a number), so that a legend of digits reads 0 … 9.
func sortedGroups(labels []string) (ids []int, names []string) {
	seen := map[string]bool{}
	for _, l := range labels {
		if !seen[l] {
			seen[l] = true
			names = append(names, l)
		}
	}
	numeric := true
	vals := map[string]float64{}
	for _, n := range names {
		v, err := strconv.ParseFloat(n, 64)
		numeric = numeric && err == nil
		vals[n] = v
	}
	sort.SliceStable(names, func(a, b int) bool {
		if numeric {
			return vals[names[a]] < vals[names[b]]
		}
		return names[a] < names[b]
	})
	index := make(map[string]int, len(names))
	for i, n := range names {
		index[n] = i
	}
	ids = make([]int, len(labels))
	for i, l := range labels {
		ids[i] = index[l]
	}
	return ids, names
}

// saveFigure writes a chart atomically.
func saveFigure(path string, fig plots.Figure, opts fileio.Options) error {
	return plots.Save(path, fig, opts)
}
