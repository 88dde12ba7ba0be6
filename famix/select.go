package famix

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// Criterion names how Select ranks candidates; lower is better for each.
type Criterion string

// The criteria.
const (
	BIC Criterion = "bic" // −2 log L + p log n (Schwarz 1978)
	ICL Criterion = "icl" // BIC − 2 Σ log max_k z_ik (Biernacki, Celeux & Govaert 2000)
	AIC Criterion = "aic" // −2 log L + 2p
)

// Candidate is one fitted K of a selection.
type Candidate struct {
	Model      string    `json:"model,omitempty"` // the Variant's name
	K          int       `json:"k"`
	Status     string    `json:"status"` // em's status, or "failed"
	Error      string    `json:"error,omitempty"`
	Iterations int       `json:"n_iter"`
	Criteria   *Criteria `json:"criteria,omitempty"` // nil when the fit failed
}

func (c Candidate) score(crit Criterion) float64 {
	if c.Criteria == nil {
		return math.Inf(1)
	}
	switch crit {
	case ICL:
		return c.Criteria.ICL
	case AIC:
		return c.Criteria.AIC
	}
	return c.Criteria.BIC
}

// Report describes Select: every candidate, the chosen one and its EM run.
type Report struct {
	Columns    []Column    `json:"columns"`
	Rows       int         `json:"rows"`
	Weight     float64     `json:"weight"` // Σ w, the rows when unweighted; BIC's n
	Criterion  Criterion   `json:"criterion"`
	Candidates []Candidate `json:"candidates"`
	Best       int         `json:"best"` // index in Candidates
	K          int         `json:"k"`
	Weights    []float64   `json:"weights"` // the chosen model's mixing proportions
	Fit        *em.Report  `json:"em"`      // the chosen candidate's EM run
}

// Select fits one mixture for each K in ks (opts.K is ignored) and returns
// the one with the lowest criterion. A fit that fails (a component that
// empties, a singular covariance) is a candidate with its error, not
// fatal; Select fails when every candidate does, or when ctx is done.
func Select(ctx context.Context, x *mat.Dense, w []float64, ks []int, crit Criterion, opts Options) (*Model, *Report, error) {
	return SelectOver(ctx, []Variant{{X: x, Options: opts}}, w, ks, crit)
}

// Variant is one model of a selection over families: its name for the
// report ("student-t"), the data as that model reads them (a table read
// with its families) and its options.
type Variant struct {
	Name    string
	X       *mat.Dense
	Options Options
}

// SelectOver is Select over several variants (for example the Gaussian
// and the Student-t families for numeric data, or categorical and Poisson
// for counts): every K of every variant is a candidate. The variants must
// model the same rows with likelihoods of one kind (all densities, or all
// probabilities of discrete values) for their criteria to compare.
func SelectOver(ctx context.Context, vs []Variant, w []float64, ks []int, crit Criterion) (*Model, *Report, error) {
	if crit == "" {
		crit = BIC
	}
	if crit != BIC && crit != ICL && crit != AIC {
		return nil, nil, fmt.Errorf("famix: criterion %q: want %q, %q or %q", crit, BIC, ICL, AIC)
	}
	if len(ks) == 0 || len(vs) == 0 {
		return nil, nil, errors.New("famix: no K or no variant to select from")
	}
	n, _ := vs[0].X.Dims()
	rep := &Report{Rows: n, Criterion: crit, Best: -1}
	var best *Model
	var firstErr error
	single := len(ks) == 1 && len(vs) == 1
	for _, v := range vs {
		for _, k := range ks {
			o := v.Options
			o.K = k
			m, fr, err := Fit(ctx, v.X, w, o)
			if ctx.Err() != nil {
				return nil, nil, ctx.Err()
			}
			c := Candidate{Model: v.Name, K: k}
			if err == nil {
				var cr Criteria
				cr, err = m.Criteria(v.X, w)
				c.Criteria = &cr
			}
			if err != nil {
				var ce *ComponentError
				if single || !errors.As(err, &ce) && !errors.Is(err, ErrEmptyComponent) && n >= k {
					return nil, nil, err
				}
				if firstErr == nil {
					firstErr = err
				}
				c.Status, c.Error, c.Criteria = "failed", err.Error(), nil
				rep.Candidates = append(rep.Candidates, c)
				continue
			}
			c.Status, c.Iterations = string(fr.Status), fr.Iterations
			rep.Candidates = append(rep.Candidates, c)
			if rep.Best < 0 || c.score(crit) < rep.Candidates[rep.Best].score(crit) {
				rep.Best, best, rep.Fit = len(rep.Candidates)-1, m, fr
				rep.Weight = fr.Weight
			}
		}
	}
	if best == nil {
		return nil, rep, fmt.Errorf("famix: every candidate failed; the first: %w", firstErr)
	}
	rep.K, rep.Weights, rep.Columns = best.K(), best.Weights(), best.Columns()
	return best, rep, nil
}

// WriteText writes the report as latent mix fit prints it.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fams := map[Family][]string{}
	var order []Family
	for _, c := range r.Columns {
		if fams[c.Family] == nil {
			order = append(order, c.Family)
		}
		fams[c.Family] = append(fams[c.Family], c.Name)
	}
	fmt.Fprintf(&b, "mixture of %d rows,", r.Rows)
	for i, f := range order {
		sep := ";"
		if i == 0 {
			sep = ""
		}
		fmt.Fprintf(&b, "%s %s: %s", sep, f, strings.Join(fams[f], ", "))
	}
	b.WriteString("\n\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	named := false
	for _, c := range r.Candidates {
		named = named || c.Model != ""
	}
	if named {
		fmt.Fprint(tw, "model\t")
	}
	fmt.Fprintln(tw, "K\tparameters\tlog-likelihood\tBIC\tICL\tAIC\tstatus\t\t")
	for i, c := range r.Candidates {
		if named {
			fmt.Fprintf(tw, "%s\t", c.Model)
		}
		mark := ""
		if i == r.Best {
			mark = "← best"
		}
		if c.Criteria == nil {
			fmt.Fprintf(tw, "%d\t\t\t\t\t\t%s\t%s\t\n", c.K, c.Status, mark)
			continue
		}
		cr := c.Criteria
		fmt.Fprintf(tw, "%d\t%d\t%.4f\t%.4f\t%.4f\t%.4f\t%s\t%s\t\n", c.K, cr.NumParams, cr.LogLik, cr.BIC, cr.ICL, cr.AIC, c.Status, mark)
	}
	tw.Flush()
	for _, c := range r.Candidates {
		if c.Error != "" {
			name := ""
			if c.Model != "" {
				name = c.Model + ", "
			}
			fmt.Fprintf(&b, "%sK = %d failed: %s\n", name, c.K, c.Error)
		}
	}
	chosen := ""
	if m := r.Candidates[r.Best].Model; m != "" {
		chosen = m + ", "
	}
	fmt.Fprintf(&b, "\nchosen by %s: %sK = %d, weights", strings.ToUpper(string(r.Criterion)), chosen, r.K)
	for _, v := range r.Weights {
		fmt.Fprintf(&b, " %.4f", v)
	}
	fmt.Fprintf(&b, "\nEM: %d iterations, %s, mean log-likelihood %.6f per row\n", r.Fit.Iterations, r.Fit.Status, r.Fit.LogLikelihood)
	_, err := io.WriteString(w, trimLines(b.String()))
	return err
}
