package mixture

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// MclustDefaults returns the selection of R's Mclust(X) (mclust 6.0):
// K = 1…9 over every mclust model that applies to the data (the 14
// multivariate models, or E and V for one column), BIC, each cell fitted
// as mclustBIC fits it (Mclust true): mclust's EM from the partition of
// one hierarchical clustering (HC, VVV on the SVD transformation of at
// most 2,000 rows), mclust's convergence rule (the relative change of the
// log-likelihood below 1e-5, no iteration limit), no regularisation, and
// a failed cell recorded with mclust's reason. Set Ks, Covariances,
// Criterion or Options.Prior to change one part.
func MclustDefaults() SelectOptions {
	return SelectOptions{
		Ks:        []int{1, 2, 3, 4, 5, 6, 7, 8, 9},
		Criterion: BIC,
		Options:   Options{Init: InitHC, RegCovar: NoRegCovar},
		Mclust:    true,
	}
}

// selectMclust is Select with opts.Mclust: mclustBIC's grid, then Mclust's
// refit of the best cell (mclust.R:mclustBIC, Mclust; NOTES.md §2, §3 in
// testdata/mclust).
func selectMclust(ctx context.Context, x mat.Matrix, opts SelectOptions, ks []int, crit Criterion) (*Model, *Report, *Selection, error) {
	o := opts.Options
	switch {
	case o.Weights != nil:
		return nil, nil, nil, errors.New("mixture: Select: Mclust does not take weights")
	case o.Missing:
		return nil, nil, nil, errors.New("mixture: Select: Mclust does not take missing values")
	case o.Known != nil || o.Fix != 0:
		return nil, nil, nil, errors.New("mixture: Select: Mclust does not take known labels or fixed parameters")
	case o.Init != "" && o.Init != InitHC:
		return nil, nil, nil, fmt.Errorf("mixture: Select: Mclust starts from hc; Options.Init %q cannot be used", o.Init)
	case o.RegCovar != 0 && o.RegCovar != NoRegCovar:
		return nil, nil, nil, errors.New("mixture: Select: Mclust fits without reg_covar; leave Options.RegCovar 0 or NoRegCovar")
	case o.Tol < 0:
		return nil, nil, nil, fmt.Errorf("mixture: Select: Options.Tol %g; give 0 (mclust's 1e-5) or more", o.Tol)
	}
	r, err := checkData(x, nil, "X")
	if err != nil {
		return nil, nil, nil, err
	}
	n, d := r.n, r.d
	rows := make([]float64, n*d)
	for i := 0; i < n; i++ {
		copy(rows[i*d:(i+1)*d], r.row(i))
	}
	covs := opts.Covariances
	if covs == nil {
		covs = MclustModelsFor(d)
		if n <= d && d > 1 { // mclustBIC keeps the diagonal models then
			covs = []CovarianceType{EII, VII, EEI, VEI, EVI, VVI}
		}
	}
	for _, c := range covs {
		if _, err := ParseCovarianceType(string(c)); err != nil {
			return nil, nil, nil, err
		}
		if o.Prior != nil && !c.HasPrior() {
			return nil, nil, nil, fmt.Errorf("mixture: Select: the %s model has no MAP M-step under the conjugate prior (mclust drops VEE, EVE, VVE, EVV with a prior); leave it out", c.MclustName())
		}
	}
	t0 := time.Now()
	st, err := newMclustStarts(ctx, rows, n, d, o)
	if err != nil {
		return nil, nil, nil, err
	}
	initSecs := time.Since(t0).Seconds()
	sel := &Selection{Criterion: crit, Best: -1}
	total := len(covs) * len(ks)
	models := make([]*Model, 0, total)
	var firstErr error
	// mclustBIC's loops: G outer, models inner; the table lists models
	// outer, K inner, as Select's.
	type cell struct {
		cand Candidate
		m    *Model
	}
	cells := make([]cell, total)
	done := 0
	for ki, k := range ks {
		for ci, c := range covs {
			t1 := time.Now()
			m, res, err := st.fit(ctx, c, k)
			cand := Candidate{K: k, Covariance: c, Model: c.MclustName(), Status: "ok"}
			if err == nil {
				var cl float64
				cl, err = m.classificationLogLik(x, nil)
				p := m.NumParams()
				cand.TotalLogLik, cand.LogLikelihood = res.logLik, res.logLik/float64(n)
				cand.BIC, cand.AIC = criteria(res.logLik, p, float64(n))
				cand.MclustBIC = -cand.BIC
				cand.ICL = cand.BIC - 2*cl
				cand.MclustICL = -cand.ICL
				cand.NumParams, cand.Iterations, cand.Converged = p, res.iter, res.converged
				if !res.converged {
					cand.Status = "not converged"
				}
			}
			if err != nil {
				if ctx.Err() != nil {
					return nil, nil, nil, ctx.Err()
				}
				cand = Candidate{K: k, Covariance: c, Model: c.MclustName(), Status: "failed", Error: mclustReason(err)}
				m = nil
				if firstErr == nil {
					firstErr = err
				}
			}
			cand.Seconds = time.Since(t1).Seconds()
			cells[ci*len(ks)+ki] = cell{cand, m}
			done++
			if opts.Progress != nil {
				opts.Progress(Progress{Done: done, Total: total, Candidate: &cand})
			}
		}
	}
	for _, c := range cells {
		sel.Candidates = append(sel.Candidates, c.cand)
		models = append(models, c.m)
	}
	sel.Best = pickMclust(sel)
	if sel.Best < 0 {
		return nil, nil, sel, fmt.Errorf("mixture: Select: every fit failed; the first: %w", firstErr)
	}
	best := sel.Candidates[sel.Best]
	// Mclust refits the best cell the same way, then replaces the
	// parameters by one more M-step on the final z when the weights and
	// the mean responsibilities differ by more than √ε (always with a
	// subset); the log-likelihood and BIC stay the EM fit's.
	m, res, err := st.fit(ctx, best.Covariance, best.K)
	if err != nil {
		return nil, nil, sel, err
	}
	if final, ok, err := st.finalMStep(ctx, m, best.Covariance, best.K); err != nil {
		return nil, nil, sel, err
	} else if ok {
		final.nIter, final.converged, final.logLik = m.nIter, m.converged, m.logLik
		m = final
	}
	m.names = slices.Clone(o.FeatureNames)
	m.seed = o.Seed
	status := em.StatusConverged
	if !res.converged {
		status = em.StatusMaxIter
	}
	tol := o.Tol
	if tol == 0 {
		tol = mcTol
	}
	rep := &Report{
		Report: em.Report{Status: status, Converged: res.converged, Iterations: res.iter, LogLikelihood: res.logLik / float64(n),
			LowerBound: res.logLik / float64(n), Weight: float64(n), Seconds: best.Seconds, MaxIter: o.MaxIter, Tol: tol, Workers: 1},
		K: best.K, Dim: d, Rows: n, Covariance: best.Covariance, Init: "hc", Seed: o.Seed, NumParams: best.NumParams,
		BIC: best.BIC, AIC: best.AIC, MclustBIC: best.MclustBIC, InitSeconds: initSecs, model: m,
	}
	if o.Prior != nil {
		mean, cov := dataMoments(r, nil)
		rep.Prior = o.Prior.resolve(familyOf(best.Covariance), best.K, n, mean, cov).values(m.fam, d)
	}
	return m, rep, sel, nil
}

// pickMclust returns the best cell as mclust's pickBIC: the highest BIC
// (or ICL), exact ties to the smaller K compared as text ("10" < "9"),
// then the model's name; -1 when every cell failed.
func pickMclust(s *Selection) int {
	best := -1
	for i, c := range s.Candidates {
		if c.Status == "failed" {
			continue
		}
		if best < 0 {
			best = i
			continue
		}
		b := s.Candidates[best]
		sc, sb := s.criterion(c), s.criterion(b)
		switch {
		case sc < sb:
			best = i
		case sc == sb:
			kc, kb := strconv.Itoa(c.K), strconv.Itoa(b.K)
			if kc < kb || kc == kb && c.Model < b.Model {
				best = i
			}
		}
	}
	return best
}

// mclustStarts holds what every cell of an mclust grid starts from: the
// hierarchical clustering (or, for one column, qclass) of the data or of
// its subset.
type mclustStarts struct {
	x     []float64 // n×d rows
	n, d  int
	h     *Hierarchy // nil for one column
	sub   []int      // the subset's rows, or nil
	subX  []float64  // their values
	o     Options
	lastZ []float64 // the last fit's final responsibilities
}

func newMclustStarts(ctx context.Context, x []float64, n, d int, o Options) (*mclustStarts, error) {
	s := &mclustStarts{x: x, n: n, d: d, o: o}
	hco := HCOptions{Seed: o.Seed}
	if o.HC != nil {
		hco = *o.HC
	}
	if d == 1 {
		maxRows := hco.MaxRows
		if maxRows == 0 {
			maxRows = DefaultHCMaxRows
		}
		switch {
		case hco.Rows != nil:
			s.sub = slices.Clone(hco.Rows)
		case maxRows > 0 && n > maxRows:
			s.sub = hcSubset(n, maxRows, hco.Seed)
		}
	} else {
		h, err := hcRows(ctx, x, n, d, hco)
		if err != nil {
			return nil, err
		}
		s.h, s.sub = h, h.Rows
	}
	if s.sub != nil {
		s.subX = make([]float64, len(s.sub)*d)
		for a, i := range s.sub {
			copy(s.subX[a*d:(a+1)*d], x[i*d:(i+1)*d])
		}
	}
	return s, nil
}

// partition returns the start's classes (0-based) of the clustered rows
// at k.
func (s *mclustStarts) partition(k int) ([]int, error) {
	m := s.n
	if s.sub != nil {
		m = len(s.sub)
	}
	if k > m {
		return nil, fmt.Errorf("K = %d is more than the %d rows clustered", k, m)
	}
	if s.h != nil {
		return s.h.Partition(k)
	}
	x := s.x
	if s.sub != nil {
		x = s.subX
	}
	cl := qclass(x, k)
	for i, c := range cl {
		if c < 0 {
			return nil, fmt.Errorf("qclass left row %d without a class", i+1)
		}
	}
	return cl, nil
}

// unmapLabels is mclust's unmap: one-hot rows (n×k) of the labels.
func unmapLabels(labels []int, k int) []float64 {
	z := make([]float64, len(labels)*k)
	for i, l := range labels {
		z[i*k+l] = 1
	}
	return z
}

func (s *mclustStarts) config(c CovarianceType, k int) *meConfig {
	tol := s.o.Tol
	if tol == em.NoTol {
		tol = 0
	}
	fam := familyOf(c)
	if c == VVE {
		fam = mclustVVEFam // mclust's own iteration (select_mclust_vve.go)
	}
	return &meConfig{fam: fam, k: k, tol: tol, maxIter: max(0, s.o.MaxIter), prior: s.o.Prior, kernel: s.o.Kernel}
}

// start returns the responsibilities of all rows mclustBIC starts the
// cell (c, k) from: the one-hot start (K = 1: every row in it); with a
// subset, the E-step on all rows of the M-step on the subset's partition.
func (s *mclustStarts) start(ctx context.Context, c CovarianceType, k int) ([]float64, error) {
	if k == 1 {
		z := make([]float64, s.n)
		for i := range z {
			z[i] = 1
		}
		return z, nil
	}
	lab, err := s.partition(k)
	if err != nil {
		return nil, err
	}
	z := unmapLabels(lab, k)
	if s.sub == nil {
		return z, nil
	}
	cfg := s.config(c, k)
	cfg.maxIter = 1
	m, _, err := meFit(ctx, s.subX, len(s.sub), s.d, z, cfg)
	if err != nil {
		return nil, err
	}
	all := make([]float64, s.n*k)
	w := m.newWorker()
	if _, err := meEStep(w, s.x, s.n, s.d, all, nil, nil); err != nil {
		return nil, err
	}
	return all, nil
}

// fit fits the cell (c, k) as mclustBIC does.
func (s *mclustStarts) fit(ctx context.Context, c CovarianceType, k int) (*Model, meResult, error) {
	if isUnivariate(c) != (s.d == 1) {
		if s.d == 1 {
			return nil, meResult{}, fmt.Errorf("the %s model needs more than one column (E and V are mclust's models for one)", c.MclustName())
		}
		return nil, meResult{}, fmt.Errorf("the %s model is for one column; the data have %d", c.MclustName(), s.d)
	}
	z, err := s.start(ctx, c, k)
	if err != nil {
		return nil, meResult{}, err
	}
	m, res, err := meFit(ctx, s.x, s.n, s.d, z, s.config(c, k))
	if err != nil {
		return nil, res, err
	}
	s.lastZ = z
	return m, res, nil
}

// isUnivariate reports whether c is E or V, mclust's models for one column.
func isUnivariate(c CovarianceType) bool {
	u, ok := familyOf(c).(interface{ isUnivariate() bool })
	return ok && u.isUnivariate()
}

// finalMStep is Mclust's last step: when the fitted weights and the mean
// of the final responsibilities z differ (Σ_k (π_k − mean_i z_ik)² > √ε),
// or the start came from a subset, the parameters of one more M-step on z
// — except for VEE, EVE, VVE and VEV, whose mstep reports return code 2
// even when it succeeds, which summaryMclustBIC takes for a failure and
// keeps EM's parameters.
func (s *mclustStarts) finalMStep(ctx context.Context, m *Model, c CovarianceType, k int) (*Model, bool, error) {
	switch c {
	case VEE, EVE, VVE, VEV:
		return nil, false, nil
	}
	z := s.lastZ
	dev := 0.0
	for j := 0; j < k; j++ {
		zbar := 0.0
		for i := 0; i < s.n; i++ {
			zbar += z[i*k+j]
		}
		zbar /= float64(s.n)
		dev += (m.weights[j] - zbar) * (m.weights[j] - zbar)
	}
	if !(dev > mcRteps) && s.sub == nil {
		return nil, false, nil
	}
	cfg := s.config(c, k)
	cfg.maxIter = 1
	f, _, err := meFit(ctx, s.x, s.n, s.d, slices.Clone(z), cfg)
	if err != nil {
		return nil, false, err
	}
	return f, true, nil
}

// WriteMclust writes the selection as R's mclust prints an mclustBIC
// table (mclust's sign, higher is better): one row per K, one column per
// model, NA for a failed cell; then the three best cells, and why the NA
// cells failed.
func (s *Selection) WriteMclust(w io.Writer) error {
	var ks []int
	var models []string
	at := map[string]Candidate{}
	for _, c := range s.Candidates {
		if !slices.Contains(ks, c.K) {
			ks = append(ks, c.K)
		}
		if !slices.Contains(models, c.Model) {
			models = append(models, c.Model)
		}
		at[c.Model+","+strconv.Itoa(c.K)] = c
	}
	name, val := "Bayesian Information Criterion (BIC)", func(c Candidate) float64 { return c.MclustBIC }
	if s.Criterion == ICL {
		name, val = "Integrated Complete-data Likelihood (ICL)", func(c Candidate) float64 { return c.MclustICL }
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s, mclust's sign (higher is better):\n", name)
	tw := tabwriter.NewWriter(&b, 0, 0, 1, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "\t")
	for _, m := range models {
		fmt.Fprintf(tw, "%s\t", m)
	}
	fmt.Fprintln(tw)
	var failed []string
	for _, k := range ks {
		fmt.Fprintf(tw, "%d\t", k)
		for _, m := range models {
			c, ok := at[m+","+strconv.Itoa(k)]
			switch {
			case !ok:
				fmt.Fprint(tw, "\t")
			case c.Status == "failed":
				fmt.Fprint(tw, "NA\t")
				failed = append(failed, fmt.Sprintf("%s,%d: %s", m, k, c.Error))
			default:
				fmt.Fprintf(tw, "%.3f\t", val(c))
			}
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	var ok []Candidate
	for _, c := range s.Candidates {
		if c.Status != "failed" {
			ok = append(ok, c)
		}
	}
	slices.SortStableFunc(ok, func(a, b Candidate) int {
		switch va, vb := val(a), val(b); {
		case va > vb:
			return -1
		case va < vb:
			return 1
		}
		return 0
	})
	fmt.Fprintf(&b, "\nTop %d models based on the %s criterion:\n", min(3, len(ok)), strings.ToUpper(string(s.Criterion)))
	tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, c := range ok[:min(3, len(ok))] {
		fmt.Fprintf(tw, "%s,%d\t", c.Model, c.K)
	}
	fmt.Fprintln(tw)
	for _, c := range ok[:min(3, len(ok))] {
		fmt.Fprintf(tw, "%.4f\t", val(c))
	}
	fmt.Fprintln(tw)
	tw.Flush()
	if len(failed) > 0 {
		fmt.Fprintf(&b, "\nNA cells (failed fits, as mclust's NA):\n")
		for _, f := range failed {
			fmt.Fprintf(&b, "  %s\n", f)
		}
	}
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// mclustReason says why a cell failed in mclust's words ("singular
// covariance", "mixing proportion fell below threshold"), then where.
func mclustReason(err error) string {
	msg := strings.TrimPrefix(err.Error(), "mixture: ")
	var me *meError
	if errors.As(err, &me) {
		what := "singular covariance"
		if errors.Is(err, errMixingProportion) {
			what = errMixingProportion.Error()
		}
		at := fmt.Sprintf("EM iteration %d", me.iter)
		if me.comp >= 0 {
			at += fmt.Sprintf(", component %d", me.comp)
		}
		return what + " (" + at + ")"
	}
	return msg
}
