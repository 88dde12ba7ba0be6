package tour

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/mixture"
	"github.com/latentgo/latent/plots"
	"gonum.org/v1/gonum/mat"
)

// gmmPart is the tour's mixtures part: Old Faithful, K and the covariance
// type chosen by BIC, the fitted components, and EM's ELBO/KL bookkeeping.
func gmmPart(ctx context.Context, d *Env) (*Section, error) {
	f := datasets.Faithful()
	n, _ := f.X.Dims()
	base := mixture.Options{Seed: d.Seed, FeatureNames: f.Columns}
	best, rep, sel, err := mixture.Select(ctx, f.X, mixture.SelectOptions{Ks: []int{1, 2, 3, 4, 5, 6}, Options: base})
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "A mixture of Gaussians fitted by EM to Old Faithful (%d eruptions: length and waiting time, minutes), ", n)
	b.WriteString("for K = 1…6 components and the four covariance types (`latent gmm fit faithful.csv -k 1:6 --cov all`). ")
	b.WriteString("BIC = −2 log L + p ln n, scikit-learn's sign: lower is better (mclust prints −BIC, higher is better).\n\n")
	sel.WriteMarkdown(&b)
	fmt.Fprintf(&b, "\nBIC chooses **K = %d with %s covariances** — mclust's choice for these data too (its EEE, one shared covariance, 3 components). ",
		best.K(), best.CovarianceType())
	fmt.Fprintf(&b, "It converged after %d EM iterations to a mean log-likelihood of %.4f per eruption (BIC %.1f, %d free parameters):\n\n",
		rep.Iterations, rep.LogLikelihood, rep.BIC, rep.NumParams)
	b.WriteString("| component | weight | mean length | mean waiting | sd length | sd waiting | correlation |\n|---|---|---|---|---|---|---|\n")
	means := best.Means(nil)
	w := best.Weights(nil)
	for k := 0; k < best.K(); k++ {
		c := best.Covariance(nil, k)
		s0, s1 := math.Sqrt(c.At(0, 0)), math.Sqrt(c.At(1, 1))
		fmt.Fprintf(&b, "| %d | %.3f | %.2f | %.1f | %.2f | %.1f | %.2f |\n", k, w[k], means.At(k, 0), means.At(k, 1), s0, s1, c.At(0, 1)/(s0*s1))
	}

	// The two-component full model, iteration by iteration: the ELBO and
	// the KL gap of log p(x|θ) = ELBO(q, θ) + KL(q ‖ p(z|x, θ)).
	two, rep2, err := mixture.Fit(ctx, f.X, mixture.Options{K: 2, Seed: d.Seed, Init: mixture.InitRandom, Tol: 1e-8, MaxIter: 200, FeatureNames: f.Columns})
	if err != nil {
		return nil, err
	}
	tr := rep2.Starts[0].Trace
	fmt.Fprintf(&b, "\nEM at work: K = 2, full covariances, from random responsibilities, to a tolerance of 1e-8 (%d iterations). ", len(tr))
	b.WriteString("Each iteration's M-step raises the ELBO; the gap left, log p(x|θ) − ELBO, is the KL divergence from q to the new posterior, which the next E-step closes. ")
	if rep2.Decreases == 0 {
		b.WriteString("The log-likelihood never fell by more than rounding.\n\n")
	} else {
		fmt.Fprintf(&b, "The log-likelihood fell by more than rounding in %d iterations (flagged in the report).\n\n", rep2.Decreases)
	}
	b.WriteString("| iteration | log p(x\\|θ_{n−1}) | ELBO(q_{n−1}, θ_n) | log p(x\\|θ_n) | KL gap |\n|---|---|---|---|---|\n")
	for i, it := range tr {
		if i >= 6 && i < len(tr)-2 {
			if i == 6 {
				b.WriteString("| … | | | | |\n")
			}
			continue
		}
		fmt.Fprintf(&b, "| %d | %.6f | %.6f | %.6f | %.2e |\n", it.Iter, it.LogLik, it.ELBO, it.Next, it.KL)
	}
	nums := map[string]any{
		"best_k":              best.K(),
		"best_covariance":     string(best.CovarianceType()),
		"best_bic":            rep.BIC,
		"best_log_likelihood": rep.LogLikelihood,
		"k2_full_iterations":  rep2.Iterations,
		"k2_full_weights":     two.Weights(nil),
		"k2_log_likelihood":   rep2.LogLikelihood,
		"k2_status":           string(rep2.Status),
		"decreases":           rep2.Decreases,
	}
	if rep2.Status != em.StatusConverged {
		return nil, fmt.Errorf("the K = 2 fit did not converge in %d iterations", rep2.Iterations)
	}
	sec := &Section{Text: b.String(), Numbers: nums}
	if err := gmmFigures(d, sec, f, best, rep, sel, two, rep2); err != nil {
		return nil, err
	}
	return sec, nil
}

func gmmTitle(m *mixture.Model) string {
	s := "s"
	if m.K() == 1 {
		s = ""
	}
	return fmt.Sprintf("%d component%s, %s covariances", m.K(), s, m.CovarianceType())
}

// gmmFigures adds the mixtures part's charts: the chosen model's fit,
// BIC against K, EM's convergence and the eruption lengths' density.
func gmmFigures(d *Env, sec *Section, f *datasets.Dataset, best *mixture.Model, rep *mixture.Report, sel *mixture.Selection, two *mixture.Model, rep2 *mixture.Report) error {
	figs := []struct {
		file, caption string
		make          func() (plots.Figure, error)
	}{
		{"gmm_fit.png", fmt.Sprintf("Old Faithful with the mixture BIC chose (%s): each eruption coloured by its most probable component, 95%% covariance ellipses, contours of the log density.", gmmTitle(best)),
			func() (plots.Figure, error) {
				return plots.GMMFit(f.X, best, plots.GMMOptions{Title: "Old Faithful: " + gmmTitle(best)})
			}},
		{"gmm_bic.png", "BIC (scikit-learn's sign, lower is better) against the number of components, for each covariance type; the ring marks the choice.",
			func() (plots.Figure, error) { return plots.GMMSelection(sel) }},
		{"gmm_convergence.png", "EM from random responsibilities, K = 2: the log-likelihood and the ELBO each M-step reaches (top); what each half-step gains (bottom, log scale): the M-step raises the ELBO, the E-step closes the KL gap.",
			func() (plots.Figure, error) {
				return plots.GMMConvergence(rep2.Starts[0].Trace, "EM on Old Faithful, K = 2, full covariances")
			}},
		{"gmm_eruptions.png", "Eruption lengths with the K = 2 mixture's density along that axis and its two weighted components.",
			func() (plots.Figure, error) {
				return plots.GMMDensity1D(mat.Col(nil, 0, f.X), two, 0, plots.GMMOptions{Title: "Old Faithful eruption lengths, K = 2"})
			}},
	}
	for _, fg := range figs {
		fig, err := fg.make()
		if err != nil {
			return fmt.Errorf("%s: %w", fg.file, err)
		}
		if err := d.save(fg.file, fig); err != nil {
			return err
		}
		sec.Figures = append(sec.Figures, Figure{File: fg.file, Caption: fg.caption})
	}
	return nil
}
