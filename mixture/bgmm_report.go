package mixture

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// BayesReport describes a FitBayes run: every start's iterations with
// scikit-learn's lower bound and the full ELBO split into its terms, and
// the fitted model's effective number of components. Bounds are totals
// over the rows (per unit of weight), in nats, as scikit-learn's
// lower_bound_.
type BayesReport struct {
	Status     em.Status `json:"status"` // of the best start
	Converged  bool      `json:"converged"`
	Iterations int       `json:"n_iter"`
	// LowerBound is scikit-learn's lower_bound_ of the best start's last
	// iteration: the ELBO less terms that are constant at the
	// coordinate-ascent optimum (it is what Tol is measured on).
	LowerBound float64 `json:"lower_bound"`
	// ELBO is the full ELBO of that iteration, every constant kept: a
	// true lower bound on log p(X), with its terms.
	ELBO        ELBO           `json:"elbo"`
	Weight      float64        `json:"weight"` // Σ w_i, the number of rows when unweighted
	Rows        int            `json:"rows"`
	K           int            `json:"k"`
	Dim         int            `json:"dim"`
	Covariance  CovarianceType `json:"covariance_type"`
	WeightPrior WeightPrior    `json:"weight_concentration_prior_type"`
	Priors      BayesPriors    `json:"priors"`
	Init        string         `json:"init"`
	RegCovar    float64        `json:"reg_covar"`
	Seed        uint64         `json:"seed"`
	// Effective is the number of components whose weight is at least
	// EffectiveThreshold (BayesModel.EffectiveComponents).
	Effective          int          `json:"effective_components"`
	EffectiveThreshold float64      `json:"effective_threshold"`
	Best               int          `json:"best"` // 0-based index of the returned start
	Starts             []BayesStart `json:"starts"`
	// Decreases counts the iterations, over all starts, whose full ELBO
	// fell by more than round-off (em.RoundOff).
	Decreases   int     `json:"decreases"`
	Seconds     float64 `json:"seconds"`
	InitSeconds float64 `json:"init_seconds"`
	MaxIter     int     `json:"max_iter"`
	Tol         float64 `json:"tol"`
	Workers     int     `json:"workers"`
	BlockRows   int     `json:"block_rows"`

	model *BayesModel // for WriteText; nil in a report decoded from JSON
}

// BayesStart describes one start.
type BayesStart struct {
	Init       int       `json:"init"` // 0-based
	Status     em.Status `json:"status"`
	Converged  bool      `json:"converged"`
	Iterations int       `json:"n_iter"`
	LowerBound float64   `json:"lower_bound"` // of the last iteration (the initialisation's when none ran)
	ELBO       ELBO      `json:"elbo"`        // of the last iteration (only the ELBO of a warm start's when none ran)
	Weight     float64   `json:"weight"`
	Decreases  int       `json:"decreases"`
	Seconds    float64   `json:"seconds"`
	// InitialWeights are the weights after the initialisation's update of
	// q(θ) (a warm start's), before the first iteration.
	InitialWeights []float64        `json:"initial_weights"`
	Trace          []BayesIteration `json:"trace"`
}

// BayesIteration is one variational iteration n: the E-step sets q_n(z)
// from q_{n−1}(θ), the update sets q_n(θ) from q_n(z), and the bounds are
// those of q_n(z) q_n(θ).
type BayesIteration struct {
	Iter       int     `json:"iter"`        // 1-based
	LowerBound float64 `json:"lower_bound"` // scikit-learn's
	// Change is LowerBound less the previous iteration's (+Inf at the
	// first of a start; omitted from JSON then).
	Change float64 `json:"change"`
	ELBO   ELBO    `json:"elbo"` // the full ELBO and its terms
	// Decrease is set when the full ELBO fell by more than
	// em.RoundOff(ELBO) since the previous iteration.
	Decrease bool      `json:"decrease,omitempty"`
	Weights  []float64 `json:"weights"` // E_q[π] after the update
	Seconds  float64   `json:"seconds"`
}

// MarshalJSON omits a non-finite Change (the first iteration's).
func (it BayesIteration) MarshalJSON() ([]byte, error) {
	type plain BayesIteration
	v := struct {
		plain
		Change *float64 `json:"change,omitempty"`
	}{plain: plain(it)}
	if !math.IsInf(it.Change, 0) && !math.IsNaN(it.Change) {
		c := it.Change
		v.Change = &c
	}
	return json.Marshal(v)
}

// WeightTrace returns the best start's weights after its initialisation
// and after every iteration: row n is iteration n (row 0 the start). It
// is what plots.BGMMWeights draws.
func (r *BayesReport) WeightTrace() [][]float64 {
	if r.Best < 0 || r.Best >= len(r.Starts) {
		return nil
	}
	s := r.Starts[r.Best]
	out := [][]float64{append([]float64(nil), s.InitialWeights...)}
	for _, it := range s.Trace {
		out = append(out, append([]float64(nil), it.Weights...))
	}
	return out
}

// WriteText writes the report as `latent gmm fit --bayes` prints it: the
// data, the prior and the fit's status; the bounds; the components
// (weight, the effective ones marked, means and standard deviations of
// the point estimates); and the trace of the best start, per iteration
// scikit-learn's lower bound and the full ELBO with its terms, the first
// and last six iterations of a long one. The components' table needs the
// model, so it is left out of a report decoded from JSON.
func (r *BayesReport) WriteText(w io.Writer) error {
	var b bytes.Buffer
	cols := defaultNames(r.Dim)
	if r.model != nil && r.model.vb.names != nil {
		cols = r.model.FeatureNames()
	}
	fmt.Fprintf(&b, "%d rows × %d columns (%s)\n", r.Rows, r.Dim, strings.Join(cols, ", "))
	status := "converged"
	switch r.Status {
	case em.StatusMaxIter:
		status = "did NOT converge"
	case em.StatusNoIterations:
		status = "initialisation only"
	}
	starts := ""
	if len(r.Starts) > 1 {
		starts = fmt.Sprintf(", best of %d starts (#%d)", len(r.Starts), r.Best+1)
	}
	p := r.Priors
	fmt.Fprintf(&b, "Bayesian mixture by variational inference: %d components (at most), %s covariances, %s prior, init %s, seed %d%s: %s after %d iterations (tol %g on the lower bound)\n",
		r.K, r.Covariance, priorName(r.WeightPrior), r.Init, r.Seed, starts, status, r.Iterations, r.Tol)
	fmt.Fprintf(&b, "priors: weight concentration α₀ = %.4g, mean precision β₀ = %.4g, degrees of freedom ν₀ = %.4g, mean m₀ = (%s), covariance Ψ₀ with standard deviations (%s)\n",
		p.WeightConcentration, p.MeanPrecision, p.DegreesOfFreedom, formatG(p.Mean), formatG(priorSDs(p.Covariance, r.Dim)))
	e := r.ELBO
	perRow := ""
	if r.Weight > 0 {
		perRow = fmt.Sprintf(" (%.6f per row)", e.ELBO/r.Weight)
	}
	fmt.Fprintf(&b, "lower bound %.6f (scikit-learn's lower_bound_); ELBO %.6f = E log p(X|Z,θ) %.4f − KL assignments %.4f − KL weights %.4f − KL means/precisions %.4f%s\n",
		r.LowerBound, e.ELBO, e.LogLik, e.KLAssignments, e.KLWeights, e.KLParams, perRow)
	fmt.Fprintf(&b, "%d of %d components have weight ≥ %s\n\n", r.Effective, r.K, pct(r.EffectiveThreshold))
	if r.model != nil {
		writeBayesComponents(&b, r.model, cols, r.EffectiveThreshold)
	}
	if r.Best >= 0 && r.Best < len(r.Starts) {
		writeBayesTrace(&b, r.Starts[r.Best].Trace, r.model != nil)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// formatG formats numbers with 5 significant digits, comma-separated.
func formatG(v []float64) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = fmt.Sprintf("%.5g", x)
	}
	return strings.Join(parts, ", ")
}

// priorSDs returns the square roots of the covariance prior's variances
// (its diagonal, or its one value) for a D-dimensional prior.
func priorSDs(c []float64, d int) []float64 {
	var out []float64
	switch len(c) {
	case d * d:
		for j := 0; j < d; j++ {
			out = append(out, math.Sqrt(c[j*d+j]))
		}
	default:
		for _, v := range c {
			out = append(out, math.Sqrt(v))
		}
	}
	return out
}

// pct formats a fraction as a percentage.
func pct(f float64) string { return strconv.FormatFloat(100*f, 'g', 4, 64) + "%" }

func priorName(w WeightPrior) string {
	if w == DirichletProcess {
		return "Dirichlet-process"
	}
	return "Dirichlet"
}

func writeBayesComponents(b *bytes.Buffer, bm *BayesModel, cols []string, threshold float64) {
	m := bm.vb
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "component\tweight\t\t")
	for _, c := range cols {
		fmt.Fprintf(tw, "mean %s\t", c)
	}
	for _, c := range cols {
		fmt.Fprintf(tw, "sd %s\t", c)
	}
	fmt.Fprintln(tw)
	means := m.Means(nil)
	for k := 0; k < m.K(); k++ {
		mark := ""
		if m.weights[k] < threshold {
			mark = "(off)"
		}
		fmt.Fprintf(tw, "%d\t%.4g\t%s\t", k, m.weights[k], mark)
		for j := 0; j < m.d; j++ {
			fmt.Fprintf(tw, "%.5g\t", means.At(k, j))
		}
		cov := m.Covariance(nil, k)
		for j := 0; j < m.d; j++ {
			fmt.Fprintf(tw, "%.4g\t", math.Sqrt(cov.At(j, j)))
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
}

func writeBayesTrace(b *bytes.Buffer, tr []BayesIteration, gap bool) {
	if len(tr) == 0 {
		return
	}
	if gap {
		b.WriteByte('\n')
	}
	fmt.Fprintf(b, "iterations (totals): ELBO = E log p(X|Z,θ) − KL(q(z)‖p(z|π)) − KL(q(π)‖p(π)) − KL(q(μ,Λ)‖p(μ,Λ)) ≤ log p(X)\n")
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "iter\tlower bound\tELBO\tE log p(X|Z,θ)\tKL z\tKL π\tKL μ,Λ\teffective\t")
	for i, it := range tr {
		if len(tr) > 12 && i == 6 {
			fmt.Fprintf(tw, "…\t\t\t\t\t\t\t\t\n")
		}
		if len(tr) > 12 && i >= 6 && i < len(tr)-6 {
			continue
		}
		flag := ""
		if it.Decrease {
			flag = "  (ELBO fell: more than rounding)"
		}
		e := it.ELBO
		fmt.Fprintf(tw, "%d\t%.6f\t%.6f\t%.4f\t%.4f\t%.4f\t%.4f\t%d\t%s\n", it.Iter, it.LowerBound, e.ELBO, e.LogLik, e.KLAssignments, e.KLWeights, e.KLParams,
			effective(it.Weights, 0), flag)
	}
	tw.Flush()
}

// BayesEvaluation is how well a Bayesian mixture fits some data:
// `latent gmm score` on a bgmm model file.
type BayesEvaluation struct {
	Rows int `json:"rows"`
	// Score is scikit-learn's score: the mean over the rows of ln Σ_k ρ_ik,
	// the log normaliser of the variational responsibilities (not the log
	// of a density).
	Score float64 `json:"score"`
	// Predictive is the mean log posterior predictive density per row
	// (per unit of weight), in nats, and PredictiveTotal its total: the
	// held-out fit of the Bayesian mixture.
	Predictive      float64 `json:"predictive_log_density"`
	PredictiveTotal float64 `json:"total_predictive_log_density"`
	// Effective is the number of components of weight at least
	// EffectiveThreshold, of K.
	Effective          int     `json:"effective_components"`
	EffectiveThreshold float64 `json:"effective_threshold"`
	K                  int     `json:"k"`
}

// Evaluate returns the fit of the model to x (weighted by w when not
// nil): scikit-learn's score, the posterior predictive log density, and
// the effective components. Errors and panics are Score's.
func (b *BayesModel) Evaluate(x mat.Matrix, w []float64) (*BayesEvaluation, error) {
	s, err := b.Score(x, w)
	if err != nil {
		return nil, err
	}
	p, err := b.PredictiveScore(x, w)
	if err != nil {
		return nil, err
	}
	rows, _ := x.Dims()
	n := float64(rows)
	if w != nil {
		n = 0
		for _, v := range w {
			n += v
		}
	}
	return &BayesEvaluation{Rows: rows, Score: s, Predictive: p, PredictiveTotal: p * n,
		Effective: b.EffectiveComponents(0), EffectiveThreshold: DefaultEffectiveThreshold, K: b.K()}, nil
}

// WriteText writes the evaluation as `latent gmm score` prints it (after
// the file's name), on two lines.
func (e *BayesEvaluation) WriteText(w io.Writer) error {
	_, err := fmt.Fprintf(w, "%d rows; posterior predictive log density %.6f per row (%.4f in total)\nscikit-learn's score (mean log normaliser of the variational responsibilities, not a log density) %.6f; %d of %d components have weight ≥ %s\n",
		e.Rows, e.Predictive, e.PredictiveTotal, e.Score, e.Effective, e.K, pct(e.EffectiveThreshold))
	return err
}
