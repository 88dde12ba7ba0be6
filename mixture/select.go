package mixture

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"gonum.org/v1/gonum/mat"
)

// Criterion is a model-selection criterion; lower is better for both.
type Criterion string

// The criteria.
const (
	BIC Criterion = "bic" // −2·log L + p·ln n (Schwarz 1978)
	AIC Criterion = "aic" // −2·log L + 2p (Akaike 1974)
	// ICL = BIC − 2 Σ_i log max_k p(z = k | x_i), the integrated completed
	// likelihood (Biernacki, Celeux & Govaert 2000): BIC plus twice the
	// classification's entropy at its hard assignment, so it prefers
	// well-separated components. mclust's icl is its negative.
	ICL Criterion = "icl"
)

// SelectOptions control Select. The zero value compares K = 1…8 for every
// covariance type by BIC, each fit with the zero Options.
type SelectOptions struct {
	// Ks are the numbers of components to try; nil means 1, 2, …, 8 (…, 9
	// with Mclust).
	Ks []int
	// Covariances are the covariance types to try; nil means all four.
	Covariances []CovarianceType
	// Criterion chooses the best fit; "" means BIC.
	Criterion Criterion
	// Options are the settings of every fit; their K and Covariance are
	// ignored, and Start and WarmStart must be nil.
	Options Options
	// Mclust, when true, fits every cell as R's mclustBIC does (mclust
	// 6.0): mclust's EM (an M-step then an E-step; stop when |ℓ_k −
	// ℓ_{k−1}| / (1 + |ℓ_k|) ≤ Options.Tol, 0 meaning 1e-5; Options.MaxIter
	// 0 means no limit; no regularisation; a component whose count falls to
	// √ε or a covariance mclust calls singular fails the cell) from the
	// partition of one hierarchical clustering of the data (HC with
	// Options.HC; for one column mclust's quantile classes), cut at each K;
	// K = 1 is the single Gaussian. Covariances nil then means every mclust
	// model for the data's dimension; exact ties go as mclust's pickBIC;
	// the best cell is refitted as Mclust refits it. Weights, missing
	// values, known labels and fixed parts are refused. See MclustDefaults.
	Mclust bool
	// Progress, when not nil, is called after every fit of the grid, with
	// the fits done, the grid's size and the last fit's row (Progress.Done,
	// Total and Candidate). Options.Progress, when set, is called after
	// every EM iteration of every fit.
	Progress func(Progress)
}

// Candidate is one fit of a selection.
type Candidate struct {
	K          int            `json:"k"`
	Covariance CovarianceType `json:"covariance_type"`
	// Model is mclust's name of the covariance model (VVV for full, …).
	Model         string  `json:"model"`
	LogLikelihood float64 `json:"log_likelihood"`       // mean per row
	TotalLogLik   float64 `json:"total_log_likelihood"` // Σ_i w_i log p(x_i)
	BIC           float64 `json:"bic"`
	AIC           float64 `json:"aic"`
	MclustBIC     float64 `json:"mclust_bic"` // = −BIC, higher is better
	// ICL is BIC − 2 Σ_i log max_k z_ik (lower is better); MclustICL = −ICL,
	// mclust's sign.
	ICL       float64 `json:"icl"`
	MclustICL float64 `json:"mclust_icl"`
	// Status is "ok", "not converged" (the iteration limit was hit; the
	// numbers are kept, as mclust's return code 1) or "failed" (see Error).
	Status     string `json:"status"`
	NumParams  int    `json:"n_parameters"`
	Iterations int    `json:"n_iter"`
	Converged  bool   `json:"converged"`
	// Error says why the fit failed (for instance a collapsed component);
	// a failed fit is reported, not fatal, and its numbers are 0.
	Error   string  `json:"error,omitempty"`
	Seconds float64 `json:"seconds"`
}

// Selection is the table of a Select: every (K, covariance type) tried, in
// order (covariance types outer, K inner), and the best.
type Selection struct {
	Criterion  Criterion   `json:"criterion"`
	Candidates []Candidate `json:"candidates"`
	Best       int         `json:"best"` // index in Candidates
	// WeightSum is the sum of the rows' weights when they have some
	// (Options.Weights): the n of every candidate's BIC. 0 otherwise.
	WeightSum float64 `json:"weight_sum,omitempty"`
}

// Select fits a mixture for every K in opts.Ks and every covariance type in
// opts.Covariances and returns the one with the lowest criterion, with its
// report and the table of all fits, as mclust's Mclust does over models
// and numbers of components (Scrucca et al. 2016) with scikit-learn's sign
// convention. A fit that fails (a collapsed component, or K larger than the
// number of rows) is recorded in the table; Select fails only when the data
// are bad, ctx is cancelled, or no fit succeeds.
func Select(ctx context.Context, x mat.Matrix, opts SelectOptions) (*Model, *Report, *Selection, error) {
	ks := opts.Ks
	if ks == nil {
		ks = []int{1, 2, 3, 4, 5, 6, 7, 8}
		if opts.Mclust {
			ks = append(ks, 9)
		}
	}
	if len(ks) == 0 {
		return nil, nil, nil, errors.New("mixture: Select: no K to try")
	}
	for _, k := range ks {
		if k < 1 {
			return nil, nil, nil, fmt.Errorf("mixture: Select: K = %d; every K must be at least 1", k)
		}
	}
	covs := opts.Covariances
	if covs == nil {
		covs = CovarianceTypes
	}
	crit := opts.Criterion
	if crit == "" {
		crit = BIC
	}
	if crit != BIC && crit != AIC && crit != ICL {
		return nil, nil, nil, fmt.Errorf("mixture: Select: unknown criterion %q; use bic, aic or icl", crit)
	}
	if opts.Options.Start != nil || opts.Options.WarmStart != nil {
		return nil, nil, nil, errors.New("mixture: Select: Options.Start and WarmStart cannot be used across several K")
	}
	if opts.Mclust {
		return selectMclust(ctx, x, opts, ks, crit)
	}
	base := opts.Options
	base.K = 1
	if _, err := base.resolve(); err != nil {
		return nil, nil, nil, err
	}
	if _, err := checkInput(x, base.Weights, "X", base.Missing); err != nil {
		return nil, nil, nil, err
	}
	sel := &Selection{Criterion: crit, Best: -1}
	for _, w := range base.Weights {
		sel.WeightSum += w
	}
	total := len(covs) * len(ks)
	report := func() {
		if opts.Progress != nil {
			last := sel.Candidates[len(sel.Candidates)-1]
			opts.Progress(Progress{Done: len(sel.Candidates), Total: total, Candidate: &last})
		}
	}
	var bestM *Model
	var bestR *Report
	var firstErr error
	for _, c := range covs {
		if _, err := ParseCovarianceType(string(c)); err != nil {
			return nil, nil, nil, err
		}
		for _, k := range ks {
			o := opts.Options
			o.K, o.Covariance = k, c
			t0 := time.Now()
			m, rep, err := Fit(ctx, x, o)
			cand := Candidate{K: k, Covariance: c, Model: c.MclustName(), Status: "ok"}
			var cl float64
			if err == nil {
				cl, err = m.classificationLogLik(x, o.Weights)
			}
			cand.Seconds = time.Since(t0).Seconds()
			if err != nil {
				cand.Status = "failed"
				if ctx.Err() != nil {
					return nil, nil, nil, err
				}
				cand.Error = strings.TrimPrefix(err.Error(), "mixture: ")
				if firstErr == nil {
					firstErr = err
				}
				sel.Candidates = append(sel.Candidates, cand)
				report()
				continue
			}
			cand.LogLikelihood, cand.BIC, cand.AIC, cand.MclustBIC = rep.LogLikelihood, rep.BIC, rep.AIC, rep.MclustBIC
			cand.NumParams, cand.Iterations, cand.Converged = rep.NumParams, rep.Iterations, rep.Converged
			cand.TotalLogLik = -(rep.AIC - 2*float64(rep.NumParams)) / 2
			cand.ICL = rep.BIC - 2*cl
			cand.MclustICL = -cand.ICL
			if !cand.Converged {
				cand.Status = "not converged"
			}
			sel.Candidates = append(sel.Candidates, cand)
			report()
			score := sel.criterion(cand)
			if sel.Best < 0 || score < sel.score(sel.Best) || math.IsNaN(sel.score(sel.Best)) {
				sel.Best = len(sel.Candidates) - 1
				bestM, bestR = m, rep
			}
		}
	}
	if sel.Best < 0 {
		return nil, nil, sel, fmt.Errorf("mixture: Select: every fit failed; the first: %w", firstErr)
	}
	return bestM, bestR, sel, nil
}

func (s *Selection) score(i int) float64 { return s.criterion(s.Candidates[i]) }

func (s *Selection) criterion(c Candidate) float64 {
	switch s.Criterion {
	case AIC:
		return c.AIC
	case ICL:
		return c.ICL
	}
	return c.BIC
}
