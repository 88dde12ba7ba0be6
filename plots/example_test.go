package plots_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/plot/vg"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/plots"
)

// save writes a gallery image, replacing an older one.
func save(name string, fig plots.Figure) {
	if err := plots.Save(filepath.Join(outDir, name), fig, plots.SaveOptions{Force: true}); err != nil {
		fmt.Println(err)
	}
}

// Traces of a fit: the excess negative log-likelihood of a normal model
// of the Old Faithful eruption times, fitted by gradient descent at three
// step sizes, on a log axis.
func ExampleLines() {
	x := mat.Col(nil, 0, datasets.Faithful().X)
	n := float64(len(x))
	mle := stat.Mean(x, nil)
	sd := math.Sqrt(stat.MomentAbout(2, x, mle, nil)) // the maximum-likelihood sd
	nll := func(mu, logSigma float64) float64 {
		s := 0.0
		for _, xi := range x {
			z := (xi - mu) / math.Exp(logSigma)
			s += 0.5*z*z + logSigma + 0.5*math.Log(2*math.Pi)
		}
		return s / n
	}
	best := nll(mle, math.Log(sd))
	var series []plots.Series
	for _, rate := range []float64{0.05, 0.1, 0.2} {
		mu, ls := 2.0, 0.0
		var trace []float64
		for range 40 {
			trace = append(trace, nll(mu, ls)-best)
			// Gradients of the mean negative log-likelihood.
			gmu, gls := 0.0, 0.0
			for _, xi := range x {
				z := (xi - mu) / math.Exp(ls)
				gmu -= z / math.Exp(ls) / n
				gls += (1 - z*z) / n
			}
			mu, ls = mu-rate*gmu, ls-rate*gls
		}
		series = append(series, plots.Series{Name: fmt.Sprintf("step %g", rate), Y: trace})
	}
	p, err := plots.Lines(series, plots.LineOptions{
		Title:  "Gradient descent on a normal model of eruption times",
		XLabel: "iteration", YLabel: "excess mean NLL (nats)",
		LogY: true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	save("lines.png", p)
	fmt.Printf("final excess NLL at step 0.2: %.2g nats\n", series[2].Y[39])
	// Output:
	// final excess NLL at step 0.2: 1.2e-05 nats
}

// Points coloured by group: Fisher's iris, sepal against petal length,
// one colour and marker per species.
func ExampleScatter() {
	iris := datasets.Iris()
	ids, species := plots.GroupsOf(iris.Labels)
	xy := mat.NewDense(iris.X.RawMatrix().Rows, 2, nil)
	xy.SetCol(0, mat.Col(nil, 0, iris.X)) // sepal length
	xy.SetCol(1, mat.Col(nil, 2, iris.X)) // petal length
	p, err := plots.Scatter(xy, ids, plots.ScatterOptions{
		Title:  "Fisher's iris",
		XLabel: "sepal length (cm)", YLabel: "petal length (cm)",
		GroupNames: species,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	save("scatter.png", p)
	fmt.Println(species)
	// Output:
	// [setosa versicolor virginica]
}

// Covariance ellipses: each iris species' petal measurements with the
// ellipse that holds 95% of a normal with the species' sample mean and
// covariance, in the species' colour.
func ExampleNewEllipse() {
	iris := datasets.Iris()
	ids, species := plots.GroupsOf(iris.Labels)
	n, _ := iris.X.Dims()
	petals := mat.NewDense(n, 2, nil)
	petals.SetCol(0, mat.Col(nil, 2, iris.X))
	petals.SetCol(1, mat.Col(nil, 3, iris.X))
	p, err := plots.Scatter(petals, ids, plots.ScatterOptions{
		Title:  "Iris petals with 95% covariance ellipses",
		XLabel: "petal length (cm)", YLabel: "petal width (cm)",
		GroupNames: species,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for k := range species {
		var rows []int
		for i, g := range ids {
			if g == k {
				rows = append(rows, i)
			}
		}
		x := mat.NewDense(len(rows), 2, nil)
		for j, i := range rows {
			x.SetRow(j, petals.RawRowView(i))
		}
		var cov mat.SymDense
		stat.CovarianceMatrix(&cov, x, nil)
		mean := []float64{stat.Mean(mat.Col(nil, 0, x), nil), stat.Mean(mat.Col(nil, 1, x), nil)}
		e, err := plots.NewEllipse(mean, &cov, 0.95)
		if err != nil {
			fmt.Println(err)
			return
		}
		e.LineStyle = plots.LineStyle(k)
		e.FillColor = plots.Translucent(plots.Color(k), 0.15)
		p.Add(e)
		if k == 0 {
			fmt.Printf("r² = %.4f, the 0.95 quantile of χ²₂\n", e.Radius*e.Radius)
		}
	}
	save("ellipse.png", p)
	// Output:
	// r² = 5.9915, the 0.95 quantile of χ²₂
}

// A histogram with density curves: the eruption times of Old Faithful
// against a single normal and a Gaussian kernel density estimate.
func ExampleHistogram() {
	x := mat.Col(nil, 0, datasets.Faithful().X)
	mean, sd := stat.MeanStdDev(x, nil)
	// Silverman's rule of thumb for the kernel bandwidth.
	h := 0.9 * sd * math.Pow(float64(len(x)), -0.2)
	grid := plots.Linspace(1, 6, 200)
	normal := make([]float64, len(grid))
	kde := make([]float64, len(grid))
	for i, g := range grid {
		normal[i] = math.Exp(-0.5*(g-mean)*(g-mean)/(sd*sd)) / (sd * math.Sqrt(2*math.Pi))
		for _, xi := range x {
			z := (g - xi) / h
			kde[i] += math.Exp(-0.5*z*z) / (h * math.Sqrt(2*math.Pi) * float64(len(x)))
		}
	}
	p, err := plots.Histogram(x, []plots.Series{
		{Name: "normal fit", X: grid, Y: normal},
		{Name: "kernel density", X: grid, Y: kde},
	}, plots.HistOptions{
		Title:  "Old Faithful eruptions",
		XLabel: "eruption time (min)", Name: "data",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	save("histogram.png", p)
	fmt.Println("bins:", plots.AutoBins(x))
	// Output:
	// bins: 10
}

// A heat map with contour lines and points on top: the log density of a
// Gaussian kernel density estimate of Old Faithful, with the data.
func ExampleHeatMap() {
	d := datasets.Faithful()
	n, _ := d.X.Dims()
	// Bandwidths by Scott's rule, n^(−1/6) times each column's sd.
	hx := stat.StdDev(mat.Col(nil, 0, d.X), nil) * math.Pow(float64(n), -1.0/6)
	hy := stat.StdDev(mat.Col(nil, 1, d.X), nil) * math.Pow(float64(n), -1.0/6)
	logDensity := func(x, y float64) float64 {
		s := 0.0
		for i := range n {
			zx, zy := (x-d.X.At(i, 0))/hx, (y-d.X.At(i, 1))/hy
			s += math.Exp(-0.5 * (zx*zx + zy*zy))
		}
		return math.Log(s / (float64(n) * 2 * math.Pi * hx * hy))
	}
	x0, x1, _ := plots.ColumnRange(d.X, 0, 0.1)
	y0, y1, _ := plots.ColumnRange(d.X, 1, 0.1)
	f, err := plots.Evaluate(func(x, y float64) float64 {
		return max(logDensity(x, y), -12) // a floor keeps empty corners finite
	}, x0, x1, y0, y1, 120, 120)
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := plots.HeatMap(f, plots.FieldOptions{
		Title:  "Old Faithful: kernel density estimate",
		XLabel: "eruption time (min)", YLabel: "waiting time (min)",
		Label: "log density", Lines: true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	pts, err := plots.AddScatter(p, d.X, nil, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	pts[0].GlyphStyle.Color = plots.Translucent(plots.Color(6), 0.6)
	pts[0].GlyphStyle.Radius = vg.Points(1.5)
	save("heatmap.png", p)
	fmt.Printf("log density from %.1f to %.1f\n", f.Min(), f.Max())
	// Output:
	// log density from -12.0 to -3.8
}

// Contours of a function: the density of a two-component bivariate
// normal mixture, each level coloured by its value, with the components'
// 50% and 95% ellipses.
func ExampleContour() {
	means := [][]float64{{-1, 0}, {1.5, 1}}
	covs := []*mat.SymDense{
		mat.NewSymDense(2, []float64{1, 0.6, 0.6, 1}),
		mat.NewSymDense(2, []float64{0.5, -0.2, -0.2, 0.8}),
	}
	weights := []float64{0.6, 0.4}
	density := func(x, y float64) float64 {
		s := 0.0
		for k := range weights {
			a, b, c := covs[k].At(0, 0), covs[k].At(0, 1), covs[k].At(1, 1)
			det := a*c - b*b
			dx, dy := x-means[k][0], y-means[k][1]
			q := (c*dx*dx - 2*b*dx*dy + a*dy*dy) / det
			s += weights[k] * math.Exp(-q/2) / (2 * math.Pi * math.Sqrt(det))
		}
		return s
	}
	f, err := plots.Evaluate(density, -4.5, 4, -3.5, 4, 150, 150)
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := plots.Contour(f, plots.FieldOptions{
		Title:  "A two-component normal mixture",
		XLabel: "x₁", YLabel: "x₂", Label: "density",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for k := range means {
		for _, cover := range []float64{0.5, 0.95} {
			e, err := plots.NewEllipse(means[k], covs[k], cover)
			if err != nil {
				fmt.Println(err)
				return
			}
			e.LineStyle = plots.LineStyle(6)
			e.LineStyle.Width = vg.Points(0.75)
			e.LineStyle.Dashes = []vg.Length{vg.Points(3), vg.Points(3)}
			p.Add(e)
		}
	}
	save("contour.png", p)
	fmt.Printf("peak density %.3f\n", f.Max())
	// Output:
	// peak density 0.119
}

// Mean curves with their spread: the position of 1000 simple random
// walks (±1 steps) after t steps, mean ± sd as a band, next to the sample
// mean of the first 20 walks with ±1.96 standard errors as error bars.
func ExampleBands() {
	const walks, steps = 1000, 60
	rng := rand.New(rand.NewPCG(1, 2))
	pos := make([][]float64, walks)
	for w := range pos {
		pos[w] = make([]float64, steps)
		x := 0.0
		for t := range steps {
			if rng.IntN(2) == 0 {
				x++
			} else {
				x--
			}
			pos[w][t] = x
		}
	}
	t := make([]float64, steps)
	mean, sd := make([]float64, steps), make([]float64, steps)
	var tt, m20, se20 []float64
	col := make([]float64, walks)
	for s := range steps {
		t[s] = float64(s + 1)
		for w := range walks {
			col[w] = pos[w][s]
		}
		mean[s], sd[s] = stat.MeanStdDev(col, nil)
		if (s+1)%10 == 0 {
			m, d := stat.MeanStdDev(col[:20], nil)
			tt, m20, se20 = append(tt, t[s]), append(m20, m), append(se20, d/math.Sqrt(20))
		}
	}
	p, err := plots.Bands([]plots.BandSeries{
		{Name: "1000 walks: mean ± sd", X: t, Mean: mean, SD: sd},
		{Name: "20 walks: mean ± 1.96 se", X: tt, Mean: m20, SD: se20, K: 1.96, Spread: plots.SpreadBars},
	}, plots.BandOptions{
		Title:  "Simple random walks",
		XLabel: "step", YLabel: "position",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	save("bands.png", p)
	fmt.Printf("sd after %d steps: %.2f (√%d = %.2f)\n", steps, sd[steps-1], steps, math.Sqrt(steps))
	// Output:
	// sd after 60 steps: 7.80 (√60 = 7.75)
}

// An image grid: the first 40 of the 8×8 handwritten digits (grey
// levels 0…16), dark ink on white.
func ExampleImages() {
	digits := datasets.Digits()
	first := digits.X.Slice(0, 40, 0, 64)
	ch, err := plots.Images(first, 8, 8, plots.ImageOptions{Title: "8×8 digits"})
	if err != nil {
		fmt.Println(err)
		return
	}
	save("images.png", ch)
	w, h := plots.Size(ch)
	fmt.Printf("%d×%d images, %d screen pixels per image pixel, %.0f×%.0f pixels\n",
		ch.Grid.Rows, ch.Grid.Cols, ch.Scale, w.Dots(plots.DPI), h.Dots(plots.DPI))
	// Output:
	// 4×10 images, 7 screen pixels per image pixel, 637×288 pixels
}

// Inputs above their reconstructions: here the "reconstruction" of a
// digit is the mean image of its class, the best a ten-prototype model
// can do; a VAE's reconstructions are shown the same way.
func ExampleCompareImages() {
	digits := datasets.Digits()
	ids, names := plots.GroupsOf(digits.Labels)
	n, d := digits.X.Dims()
	means := mat.NewDense(len(names), d, nil)
	counts := make([]float64, len(names))
	for i := range n {
		row := means.RawRowView(ids[i])
		for j := range d {
			row[j] += digits.X.At(i, j)
		}
		counts[ids[i]]++
	}
	for k := range names {
		row := means.RawRowView(k)
		for j := range row {
			row[j] /= counts[k]
		}
	}
	const shown = 20
	inputs := digits.X.Slice(0, shown, 0, d)
	recon := mat.NewDense(shown, d, nil)
	for i := range shown {
		recon.SetRow(i, means.RawRowView(ids[i]))
	}
	ch, err := plots.CompareImages([]plots.ImageSet{
		{Name: "input", X: inputs},
		{Name: "class mean", X: recon},
	}, 8, 8, plots.ImageOptions{Title: "Digits and their class means"})
	if err != nil {
		fmt.Println(err)
		return
	}
	save("compare.png", ch)
	fmt.Println(ch.Grid.Rows, "rows of", ch.Grid.Cols)
	// Output:
	// 4 rows of 10
}

// A pairs view of data with more than two dimensions: the four iris
// measurements, coloured by species, histograms on the diagonal.
func ExamplePairs() {
	iris := datasets.Iris()
	ids, species := plots.GroupsOf(iris.Labels)
	g, err := plots.Pairs(iris.X, ids, plots.PairsOptions{
		Title:      "Fisher's iris (cm)",
		Names:      []string{"sepal length", "sepal width", "petal length", "petal width"},
		GroupNames: species,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	save("pairs.png", g)
	w, h := plots.Size(g)
	fmt.Printf("%.0f×%.0f pixels\n", w.Dots(plots.DPI), h.Dots(plots.DPI))
	// Output:
	// 1040×909 pixels
}

// A grid of subplots with aligned axes: the two Old Faithful
// measurements against each other and as histograms, in one figure.
func ExampleNewGrid() {
	d := datasets.Faithful()
	g := plots.NewGrid(1, 3)
	g.Title = "Old Faithful"
	g.CellWidth = 2.2 * vg.Inch
	for j, name := range d.Columns {
		p, err := plots.Histogram(mat.Col(nil, j, d.X), nil, plots.HistOptions{XLabel: name + " (min)"})
		if err != nil {
			fmt.Println(err)
			return
		}
		g.Plots[0][j] = p
	}
	p := g.At(0, 2)
	p.X.Label.Text, p.Y.Label.Text = "eruptions (min)", "waiting (min)"
	if _, err := plots.AddScatter(p, d.X, nil, nil); err != nil {
		fmt.Println(err)
		return
	}
	save("grid.png", g)
	fmt.Println(len(g.Plots), "row,", len(g.Plots[0]), "columns")
	// Output:
	// 1 row, 3 columns
}

// A colour bar next to a heat map built by hand, with a diverging colour
// map for a signed function.
func ExampleAddColorBar() {
	f, err := plots.Evaluate(func(x, y float64) float64 { return math.Sin(x) * math.Cos(y) },
		-math.Pi, math.Pi, -math.Pi, math.Pi, 80, 80)
	if err != nil {
		fmt.Println(err)
		return
	}
	cm := plots.Diverging()
	cm.SetMin(-1)
	cm.SetMax(1)
	p := plots.New("sin x · cos y", "x", "y")
	plots.AddHeatMap(p, f, cm)
	if _, err := plots.AddColorBar(p, cm, "value"); err != nil {
		fmt.Println(err)
		return
	}
	save("colorbar.png", p)
	fmt.Printf("range [%.0f, %.0f]\n", cm.Min(), cm.Max())
	// Output:
	// range [-1, 1]
}

// A legend outside the data area, for a plot built by hand: it never
// hides data, however many entries it has.
func ExampleLegendOutside() {
	p := plots.New("Polynomials on [0, 1]", "x", "y")
	x := plots.Linspace(0, 1, 50)
	for k := range 6 {
		y := make([]float64, len(x))
		for i, xi := range x {
			y[i] = math.Pow(xi, float64(k))
		}
		if _, _, err := plots.AddLine(p, plots.Series{Name: fmt.Sprintf("x^%d", k), X: x, Y: y}, k); err != nil {
			fmt.Println(err)
			return
		}
	}
	plots.LegendOutside(p)
	save("legend.png", p)
	fmt.Println("done")
	// Output:
	// done
}

// A band plotter on its own: a function and a ±20% envelope around it.
func ExampleNewBand() {
	x := plots.Linspace(0, 2*math.Pi, 100)
	y, lo, hi := make([]float64, len(x)), make([]float64, len(x)), make([]float64, len(x))
	for i, xi := range x {
		y[i] = math.Exp(-xi/3) * math.Cos(2*xi)
		lo[i], hi[i] = y[i]-0.2*math.Abs(y[i]), y[i]+0.2*math.Abs(y[i])
	}
	b, err := plots.NewBand(x, lo, hi)
	if err != nil {
		fmt.Println(err)
		return
	}
	p := plots.New("A damped cosine with a ±20% envelope", "t", "y")
	p.Add(b)
	p.Legend.Add("±20%", b)
	if _, _, err := plots.AddLine(p, plots.Series{Name: "y", X: x, Y: y}, 0); err != nil {
		fmt.Println(err)
		return
	}
	save("band.png", p)
	fmt.Println(len(b.X), "points")
	// Output:
	// 100 points
}

// An image grid plotter in a plot of its own making: ten MNIST-sized
// (28×28) images of a Gaussian blob moving across, drawn in light ink
// on black.
func ExampleNewImageGrid() {
	const side = 28
	x := mat.NewDense(10, side*side, nil)
	for k := range 10 {
		cx := 4 + 2*float64(k)
		for r := range side {
			for c := range side {
				dx, dy := float64(c)-cx, float64(r)-14
				x.Set(k, r*side+c, math.Exp(-(dx*dx+dy*dy)/18))
			}
		}
	}
	g, err := plots.NewImageGrid(x, side, side, 5)
	if err != nil {
		fmt.Println(err)
		return
	}
	g.Invert = true
	p := plots.New("A moving blob", "", "")
	p.HideAxes()
	p.Add(g)
	w, h := g.Size()
	save("imagegrid.png", plots.Sized(p, vg.Length(w)*5, vg.Length(h)*5+30))
	fmt.Printf("grid %d×%d image pixels\n", w, h)
	// Output:
	// grid 144×57 image pixels
}
