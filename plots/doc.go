// Package plots draws latent's charts with gonum/plot, all in one look:
// traces of a fit, points coloured by group with covariance ellipses,
// histograms with density curves, heat maps and contours of a function
// with a colour bar, mean curves with error bands, image grids of digits,
// reconstructions and samples, and grids of aligned subplots such as a
// pairs view.
//
// # Builders, plotters, Save
//
// Builders take slices and matrices and return a *plot.Plot (or a *Grid,
// or an *ImageChart, whose natural size keeps image pixels square) and
// an error; they never touch the file system. Save writes any of them
// as PNG, SVG or PDF, chosen by the file's extension, atomically through
// internal/fileio (never over an input, over an existing file only with
// Force); Encode writes to an io.Writer.
//
//	p, err := plots.Lines([]plots.Series{{Name: "train", Y: loss}}, plots.LineOptions{LogY: true})
//	err = plots.Save("loss.png", p, plots.SaveOptions{Force: force})
//
// The builders are Lines, Scatter, Histogram, HeatMap, Contour, Bands,
// Images, CompareImages and Pairs. The plotters gonum/plot lacks are
// Ellipse, Band, ColorBar, ImageGrid, LegendOutside and Grid. Layer
// functions add to any plot: AddLine, AddScatter, AddBandSeries,
// AddHeatMap, AddContour, AddColorBar; p.Add takes any plotter.
//
// A model package adds its charts in a file of this package
// (plots/gmm.go, plots/vae.go, …): a function from the fitted model and
// its data to a *plot.Plot, composed from the pieces above, with an
// Example that draws it. The package imports no model package of its own.
//
// # The one look
//
//   - Size 6.4 × 4.8 in (DefaultWidth, DefaultHeight), PNG at DPI = 100:
//     640 × 480 pixels, matplotlib's default. Grids take GridCellWidth ×
//     GridCellHeight per cell.
//   - Text in Liberation Sans, embedded by gonum/plot (go-fonts), so
//     charts render identically without system fonts: title 13 pt, axis
//     labels 11 pt, ticks 9 pt, legend 10 pt.
//   - Colours: the colour-blind-safe palette of Okabe & Ito (2008),
//     Color(i), cycling after 8; markers Glyph(i) cycle after 7, so colour
//     and marker together tell MaxGroups = 56 groups apart. Series i, group
//     g and mixture component k are drawn in Color(i), Color(g), Color(k)
//     in every chart, so a component's points, ellipse and density share
//     a colour.
//   - Continuous values: viridis (van der Walt & Smith 2015), sequential
//     and perceptually uniform, readable in grey and by the colour-blind;
//     Diverging() for signed values. Colour bars sit right of the data.
//   - Light grey grid lines at the labelled ticks; 4 to 7 labelled ticks
//     per linear axis, every power of ten on a log axis.
//   - Legends sit outside the data area, on the right (LegendOutside), in
//     every builder unless LegendInside is set, so they never hide data.
//   - A title says what is shown; axis labels name the quantity and its
//     unit: "waiting time (min)", "excess mean NLL (nats)".
//
// # Conventions
//
// Data come in as mat.Matrix with one observation per row, or as slices;
// a Series with nil X is drawn over 1, 2, …, n (iterations, epochs).
// Group ids are ints in [0, MaxGroups); GroupsOf turns text labels into
// ids. Options structs have a zero value that means the documented
// default.
//
// Bad data are errors that say what and where, wrapping ErrNoData,
// ErrNaN, ErrInf or ErrLogScale; mismatched lengths or shapes are
// programmer errors and panic with a "plots:" message, like gonum/mat.
// The charts' test cases (docs/testcases.md in the repository, P-01 to
// P-07), each tested by a test that cites its ID:
//
//   - P-01: NaN or ±Inf anywhere is an error naming the series and index,
//     never a blank image. Encode also refuses a plot whose axis range is
//     NaN (a hand-added plotter holding NaN).
//   - P-02: empty data are ErrNoData.
//   - P-03: constant data render: empty ranges are widened by ±1, as
//     gonum/plot widens axes (half a decade each way on a log axis).
//   - P-04: a value ≤ 0 never reaches a log axis: LogX/LogY options and
//     SetLogX/SetLogY return ErrLogScale naming the value, and Encode
//     checks log axes before drawing, so gonum/plot's panic cannot
//     happen; a panic while drawing is returned as an error anyway.
//   - P-06: a one-point curve renders, with a marker so that it shows.
//   - P-07: long lines are thinned to DefaultMaxLinePoints by keeping the
//     first, last, lowest and highest point of each run (the M4 rule of
//     Jugel et al. 2014); scatters to DefaultMaxScatterPoints by keeping,
//     per group, the first point in each cell of a 1024 × 1024 lattice
//     over the data range, then every k-th. Both are deterministic.
//
// # Covariance ellipses
//
// For X ~ N(μ, Σ) in two dimensions, the squared Mahalanobis distance
// follows a χ² distribution with 2 degrees of freedom (Johnson & Wichern
// 2007, Result 4.7), whose CDF is 1 − exp(−r²/2). The ellipse that holds
// probability p is therefore
//
//	{x : (x−μ)ᵀ Σ⁻¹ (x−μ) = r²},   r² = F⁻¹χ²₂(p) = −2 ln(1 − p)
//
// (r² = 5.991 for p = 0.95), drawn as the image of a circle under the
// Cholesky factor L of Σ = L Lᵀ:
//
//	x(t) = μ + r · L · (cos t, sin t),   t ∈ [0, 2π)
//
// whose bounding box is μᵢ ± r √Σᵢᵢ. For data of more than two
// dimensions, Marginal2 gives the 2-D marginal (μᵢ, μⱼ; Σ's i, j block)
// to draw in cell (j, i) of a pairs view.
//
// # Histograms
//
// Automatic bins follow numpy's "auto" rule: the bin width is the
// smaller of Sturges' range/(log₂ n + 1) (Sturges 1926) and
// Freedman–Diaconis' 2·IQR·n^(−1/3) (Freedman & Diaconis 1981), capped
// at MaxBins bins. Histograms are densities by default, so that density
// curves overlay them.
//
// # The gallery
//
// Every plotter and builder has an Example that draws it; the README's
// gallery (docs/gallery/*.png) is those images, made by one command from
// the repository root:
//
//	go generate ./plots
//
// which runs go test -run '^Example' with -gallery ../docs/gallery.
// Golden images in testdata/*_golden.png are compared with gonum/plot's
// cmpimg.EqualApprox; refresh them with go test ./plots -run Golden
// -update (or -regen).
//
// # Sources
//
//   - Okabe, M. & Ito, K. (2008). Color Universal Design (CUD): how to
//     make figures and presentations that are friendly to colorblind
//     people. https://jfly.uni-koeln.de/color/ (the palette's RGB values).
//   - van der Walt, S. & Smith, N. (2015). mpl colormaps: viridis.
//     https://bids.github.io/colormap/ (matplotlib's table, CC0; the 17
//     anchors used here are matplotlib 3.6's viridis at k/16).
//   - Johnson, R. A. & Wichern, D. W. (2007). Applied Multivariate
//     Statistical Analysis, 6th ed., Result 4.7: the χ²ₚ distribution of
//     (X−μ)ᵀΣ⁻¹(X−μ) and the probability content of its ellipsoids.
//   - Sturges, H. A. (1926). The choice of a class interval. JASA 21:65–66.
//     Freedman, D. & Diaconis, P. (1981). On the histogram as a density
//     estimator: L2 theory. Z. Wahrscheinlichkeitstheorie 57:453–476.
//     numpy.histogram_bin_edges, bins="auto".
//   - Jugel, U., Jerzak, Z., Hackenbroich, G. & Markl, V. (2014). M4: a
//     visualization-oriented time series data aggregation. PVLDB 7(10).
//   - gonum/plot v0.17.0: plot, plotter (HeatMap, Contour), palette
//     (moreland), cmpimg.
package plots

//go:generate go test -run ^Example -count=1 . -args -gallery ../docs/gallery
