package vae

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/numfmt"
)

// WriteText writes the report as `latent vae train` prints it: the model,
// the training settings, a table of epochs (at most 12, the first and
// the last among them), the held-out score of the last epoch and the
// posterior-collapse monitor. The model's configuration comes from Train
// or Resume: a Report decoded from JSON prints an empty activation and
// likelihood.
func (r *Report) WriteText(w io.Writer) error {
	var b bytes.Buffer
	c := r.cfg
	kind := "VAE"
	if c.Autoencoder || r.Settings.Kind == "autoencoder" {
		kind, c.Autoencoder = "autoencoder", true
	}
	if c.Arch == ArchConv {
		kind = fmt.Sprintf("convolutional VAE (%d×%d images, channels %s, 4×4 kernels, stride 2)", c.ImageH, c.ImageW, joinInts(c.Channels))
	}
	if len(c.Classes) > 0 {
		kind = fmt.Sprintf("conditional VAE (%d classes: %s)", len(c.Classes), strings.Join(c.Classes, " "))
	}
	dec := string(c.Likelihood) + " likelihood"
	if c.Likelihood == Gaussian {
		if c.LearnVariance {
			dec += " (learned variance)"
		} else {
			dec += fmt.Sprintf(" (variance %g)", c.Variance)
		}
	}
	s := r.Settings
	fmt.Fprintf(&b, "model     %s: encoder %s, decoder %s, %s units, %s, %d parameters; scaling %s\n",
		kind, joinInts(r.Encoder), joinInts(r.Decoder), c.Activation, dec, r.Params, s.Scaling)
	extra := ""
	if s.Beta != 1 {
		extra += fmt.Sprintf(", β %g", s.Beta)
	}
	if s.Warmup > 0 {
		extra += fmt.Sprintf(", KL warm-up %d epochs", s.Warmup)
	}
	if s.Anneal == AnnealCyclical {
		extra += fmt.Sprintf(", cyclical KL schedule (%d cycles, ramp %g)", s.Cycles, s.Ratio)
	}
	if s.IWK > 1 {
		extra += fmt.Sprintf(", importance-weighted bound k = %d", s.IWK)
	}
	if s.FreeBits > 0 {
		extra += fmt.Sprintf(", free bits %g", s.FreeBits)
	}
	if s.Binarize {
		extra += ", dynamic binarisation"
	}
	fmt.Fprintf(&b, "training  Adam lr %g, batch %d, seed %d%s: %d epochs, %d steps in %.1fs", s.LR, s.BatchSize, s.Seed, extra, len(r.Epochs), r.Steps, r.Seconds)
	if r.ResumedAt != nil {
		fmt.Fprintf(&b, " (resumed after epoch %d, batch %d)", r.ResumedAt.Epoch, r.ResumedAt.Batch)
	}
	b.WriteString("\n\n")
	if len(r.Epochs) == 0 {
		_, err := w.Write(b.Bytes())
		return err
	}
	latent := len(r.Epochs[0].KLPerDim)
	if latent == 0 {
		latent = r.cfg.Latent // the VampPrior's KL does not split by dimension
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	hasTest := r.Epochs[0].Test != nil
	if hasTest {
		fmt.Fprintln(tw, "epoch\ttrain ELBO\ttest ELBO\ttest recon\ttest KL\tactive\tseconds\t")
	} else {
		fmt.Fprintln(tw, "epoch\ttrain ELBO\trecon\tKL\tactive\tseconds\t")
	}
	for _, k := range spread(len(r.Epochs), 12) {
		e := r.Epochs[k]
		if hasTest {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d/%d\t%s\t\n", e.Epoch, numfmt.Fixed(e.ELBO, 2), numfmt.Fixed(e.Test.ELBO, 2), numfmt.Fixed(e.Test.Reconstruction, 2), numfmt.Fixed(e.Test.KL, 2), e.ActiveUnits, latent, numfmt.Fixed(e.Seconds, 1))
		} else {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d/%d\t%s\t\n", e.Epoch, numfmt.Fixed(e.ELBO, 2), numfmt.Fixed(e.Reconstruction, 2), numfmt.Fixed(e.KL, 2), e.ActiveUnits, latent, numfmt.Fixed(e.Seconds, 1))
		}
	}
	tw.Flush()
	b.WriteString("\n")
	last := r.Epochs[len(r.Epochs)-1]
	if t := last.Test; t != nil {
		if c.Autoencoder {
			fmt.Fprintf(&b, "held out  reconstruction loss %s nats per row\n", numfmt.Fixed(t.Reconstruction, 3))
		} else {
			fmt.Fprintf(&b, "held out  ELBO %s nats per row (−ELBO %s) = −reconstruction %s − KL %s\n", numfmt.Fixed(t.ELBO, 3), numfmt.Fixed(-t.ELBO, 3), numfmt.Fixed(t.Reconstruction, 3), numfmt.Fixed(t.KL, 3))
		}
	}
	if !c.Autoencoder {
		perDim := "; KL per dimension " + formatFloats(last.KLPerDim, 2)
		if last.KLPerDim == nil {
			perDim = "; KL by Monte Carlo under the VampPrior"
		}
		fmt.Fprintf(&b, "collapse  %d of %d latent dimensions active (Cov_x E[z|x] > %g)%s\n", last.ActiveUnits, latent, ActiveThreshold, perDim)
		if last.ActiveUnits == 0 {
			b.WriteString("warning   posterior collapse: no latent dimension is used; lower β, add KL warm-up or free bits\n")
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// WriteText writes the score as `latent vae eval` prints it: the ELBO and
// its terms (the reconstruction term alone for an autoencoder), the active
// units, and a warning on posterior collapse.
func (e *Eval) WriteText(w io.Writer) error {
	var b bytes.Buffer
	if e.autoencoder {
		fmt.Fprintf(&b, "reconstruction  %s nats per row (autoencoder: no KL term, no bound on log p(x))\n", numfmt.Fixed(e.Reconstruction, 3))
	} else {
		fmt.Fprintf(&b, "ELBO            %s nats per row (−ELBO %s; %d code(s) per row)\n", numfmt.Fixed(e.ELBO, 3), numfmt.Fixed(-e.ELBO, 3), e.Samples)
		fmt.Fprintf(&b, "reconstruction  %s nats per row\n", numfmt.Fixed(e.Reconstruction, 3))
		if e.KLPerDim == nil {
			codes := map[bool]string{true: "1 code", false: strconv.Itoa(e.Samples) + " codes"}[e.Samples == 1]
			fmt.Fprintf(&b, "KL              %s nats per row (Monte Carlo, %s per row, under the VampPrior)\n", numfmt.Fixed(e.KL, 3), codes)
		} else {
			fmt.Fprintf(&b, "KL              %s nats per row; per dimension %s\n", numfmt.Fixed(e.KL, 3), formatFloats(e.KLPerDim, 2))
		}
	}
	fmt.Fprintf(&b, "active units    %d of %d (Cov_x E[z|x] > %g)\n", e.ActiveUnits, len(e.UnitVariance), ActiveThreshold)
	if e.Collapsed && !e.autoencoder {
		b.WriteString("warning         posterior collapse: no latent dimension is used\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

// AssessOptions configure Assess. The zero value scores the rows as
// given with one code per row, seed 0, and no IWAE estimate.
type AssessOptions struct {
	// Samples and Seed are Evaluate's (EvalOptions); Seed also seeds the
	// binarisation and the IWAE samples.
	Samples int
	Seed    uint64
	// Binarize scores a fixed binarisation of the rows, Binarize(x, Seed):
	// how the rows are scored for a model trained with Options.Binarize.
	Binarize bool
	// IWAEK, when positive, adds the importance-weighted estimate of
	// log p(x) with IWAEK samples per row (LogLikelihood), on the first
	// IWAERows rows (0: all), with the ELBO of those rows beside it.
	IWAEK, IWAERows int
	// Workers and Progress are IWAEOptions'.
	Workers  int
	Progress func(Progress)
	// Labels are the classes of the rows for a conditional model (one per
	// row; required there), ignored by an unconditional one.
	Labels []string
}

// Assessment is a model's score on rows, what `latent vae eval` prints:
// Evaluate's ELBO, its terms and the collapse monitor, and, on request,
// the IWAE bound on the first rows with their own ELBO (the two are
// comparable only on the same rows).
type Assessment struct {
	Binarized bool  `json:"binarized"`
	Eval      *Eval `json:"eval"`
	IWAE      *IWAE `json:"iwae,omitempty"`
	// IWAEELBO is the ELBO of the rows the IWAE estimate used.
	IWAEELBO *float64 `json:"iwae_rows_elbo,omitempty"`
}

// Assess scores the rows of x: Evaluate, and with opts.IWAEK the IWAE
// estimate (LogLikelihood, which refuses an autoencoder). The context
// cancels the IWAE estimate between rows. Errors are those of Binarize,
// Evaluate and LogLikelihood.
func (m *Model) Assess(ctx context.Context, x mat.Matrix, opts AssessOptions) (*Assessment, error) {
	if opts.IWAEK < 0 || opts.IWAERows < 0 {
		return nil, optionError("AssessOptions.IWAEK, IWAERows", fmt.Sprint(opts.IWAEK, ", ", opts.IWAERows), "must not be negative")
	}
	a := &Assessment{Binarized: opts.Binarize}
	if opts.Binarize {
		var err error
		if x, err = Binarize(x, opts.Seed); err != nil {
			return nil, err
		}
	}
	ev, err := m.Evaluate(x, EvalOptions{Samples: opts.Samples, Seed: opts.Seed, Labels: opts.Labels})
	if err != nil {
		return nil, err
	}
	a.Eval = ev
	if opts.IWAEK == 0 {
		return a, nil
	}
	sub, subLabels := x, opts.Labels
	if n, _ := x.Dims(); opts.IWAERows > 0 && opts.IWAERows < n {
		sub = dense(x).Slice(0, opts.IWAERows, 0, m.cfg.Inputs)
		if subLabels != nil && len(subLabels) == n {
			subLabels = subLabels[:opts.IWAERows]
		}
	}
	ll, err := m.LogLikelihood(ctx, sub, IWAEOptions{K: opts.IWAEK, Seed: opts.Seed, Workers: opts.Workers, Progress: opts.Progress, Labels: subLabels})
	if err != nil {
		return nil, err
	}
	s := Summarise(ll, opts.IWAEK)
	a.IWAE, a.IWAEELBO = &s, &ev.ELBO
	if s.Rows < ev.Rows {
		sev, err := m.Evaluate(sub, EvalOptions{Samples: opts.Samples, Seed: opts.Seed, Labels: subLabels})
		if err != nil {
			return nil, err
		}
		a.IWAEELBO = &sev.ELBO
	}
	return a, nil
}

// WriteText writes the assessment as `latent vae eval` prints it after its
// first line: Eval's text, then the IWAE line.
func (a *Assessment) WriteText(w io.Writer) error {
	if err := a.Eval.WriteText(w); err != nil {
		return err
	}
	if a.IWAE == nil {
		return nil
	}
	_, err := fmt.Fprintf(w, "IWAE            log p(x) ≥ %s ± %s nats per row (k = %d, %d rows; their ELBO %s)\n",
		numfmt.Fixed(a.IWAE.LogLik, 3), numfmt.Fixed(a.IWAE.StdErr, 3), a.IWAE.K, a.IWAE.Rows, numfmt.Fixed(*a.IWAEELBO, 3))
	return err
}

// spread picks at most max of n indices, evenly, the first and last
// included.
func spread(n, max int) []int {
	out := make([]int, 0, min(n, max))
	if n <= max {
		for i := 0; i < n; i++ {
			out = append(out, i)
		}
		return out
	}
	for i := 0; i < max; i++ {
		out = append(out, i*(n-1)/(max-1))
	}
	return out
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, "-")
}

// formatFloats formats v with prec decimals, at most 12 of them.
func formatFloats(v []float64, prec int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = numfmt.Fixed(x, prec)
	}
	if len(s) > 12 {
		s = append(s[:12], "…")
	}
	return "[" + strings.Join(s, " ") + "]"
}
