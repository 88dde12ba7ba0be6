package vaemix

import (
	"bytes"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/latentgo/latent/internal/numfmt"
)

// priorName names N(0, I): the model's prior, or for an autoencoder a
// density it was never trained towards.
func (r *Report) priorName() string {
	if r.autoencoder {
		return "N(0, I) (not its prior)"
	}
	return "prior N(0, I)"
}

// WriteText writes the comparison as `latent vae gmm` prints it: the
// mixture's fit, a table of the two densities (held-out log-density and
// Fréchet distance of their samples, the reconstructions for reference),
// a note on the measure, and with labels the same in classifier features.
func (r *Report) WriteText(w io.Writer) error {
	var b bytes.Buffer
	prior := r.priorName()
	fmt.Fprintf(&b, "mixture   K = %d, %s covariances, fitted to %d training codes: %d iterations (converged %v), log-likelihood %s per code\n\n",
		r.K, r.Covariance, r.TrainCodes, r.Iterations, r.Converged, numfmt.Fixed(r.TrainLogLk, 3))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "density of codes\theld-out log-density (nats/code)\tFréchet distance of samples\t")
	fmt.Fprintf(tw, "%s\t%s\t%s\t\n", prior, numfmt.Fixed(r.PriorLogDensity, 3), numfmt.Fixed(r.FrechetPrior, 3))
	fmt.Fprintf(tw, "Gaussian mixture\t%s\t%s\t\n", numfmt.Fixed(r.MixtureLogDensity, 3), numfmt.Fixed(r.FrechetMixture, 3))
	fmt.Fprintf(tw, "(reconstructions)\t\t%s\t\n", numfmt.Fixed(r.FrechetReconstruction, 3))
	tw.Flush()
	fmt.Fprintf(&b, "\nFréchet distance: squared 2-Wasserstein distance between normals fitted to %d decoded samples and the %d held-out rows, in the data's features (lower is closer); for reference, the held-out rows' own reconstructions.\n", r.Samples, r.TestRows)
	if r.FeatureFrechetPrior != nil {
		fmt.Fprintf(&b, "\nIn %s:\n", r.Features)
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "density of codes\tFréchet distance of samples (classifier features)\t")
		fmt.Fprintf(tw, "%s\t%s\t\n", prior, numfmt.Fixed(*r.FeatureFrechetPrior, 3))
		fmt.Fprintf(tw, "Gaussian mixture\t%s\t\n", numfmt.Fixed(*r.FeatureFrechetMixture, 3))
		fmt.Fprintf(tw, "(reconstructions)\t%s\t\n", numfmt.Fixed(*r.FeatureFrechetReconstruction, 3))
		tw.Flush()
	}
	_, err := w.Write(b.Bytes())
	return err
}

// WriteMarkdown writes the comparison as a Markdown table, one row per
// density of codes, with the classifier-feature distances as a column
// when the rows were labelled, and the mixture's fit below.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b bytes.Buffer
	feat := r.FeatureFrechetPrior != nil
	b.WriteString("| density of codes | held-out log-density (nats/code) | Fréchet distance, data features |")
	if feat {
		b.WriteString(" Fréchet distance, classifier features |")
	}
	b.WriteString("\n|---|---:|---:|")
	if feat {
		b.WriteString("---:|")
	}
	b.WriteString("\n")
	row := func(name, density string, f float64, ff *float64) {
		fmt.Fprintf(&b, "| %s | %s | %.3f |", name, density, f)
		if feat {
			fmt.Fprintf(&b, " %.3f |", *ff)
		}
		b.WriteString("\n")
	}
	row(r.priorName(), fmt.Sprintf("%.3f", r.PriorLogDensity), r.FrechetPrior, r.FeatureFrechetPrior)
	row(fmt.Sprintf("Gaussian mixture, K = %d (%s)", r.K, r.Covariance), fmt.Sprintf("%.3f", r.MixtureLogDensity), r.FrechetMixture, r.FeatureFrechetMixture)
	row("(held-out reconstructions)", "", r.FrechetReconstruction, r.FeatureFrechetReconstruction)
	fmt.Fprintf(&b, "\nSquared Fréchet distances between %d decoded samples of each density and the %d held-out rows (lower is closer). "+
		"The mixture was fitted by EM to %d training codes: %d iterations, converged %v, log-likelihood %.3f per code.\n",
		r.Samples, r.TestRows, r.TrainCodes, r.Iterations, r.Converged, r.TrainLogLk)
	if feat {
		fmt.Fprintf(&b, "Classifier features: %s.\n", r.Features)
	}
	_, err := w.Write(b.Bytes())
	return err
}
