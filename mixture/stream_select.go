package mixture

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// SelectSource is Select over a Source read block by block (a file larger
// than memory): every candidate of the grid (opts.Ks × opts.Covariances,
// each with Options.NInit starts) runs its EM on its own goroutine, and
// all of them read the source in the same scans (em.Shared): a scan starts
// when every candidate still running has asked for its next pass, so one
// scan of the data serves one iteration of every candidate. A candidate
// that converges, or fails, drops out and the scans go on for the others;
// the restarts of a candidate follow one another in its own sequence of
// passes. The number of scans is therefore the largest number of passes
// of one candidate (its iterations plus one final pass, summed over its
// starts), not the sum over the grid.
//
// Each candidate is fitted by FitSource with the same options, sample and
// seed as alone: it reads the same blocks in the same order, so it ends
// with the same bits as FitSource of that candidate by itself, and hence as
// the in-memory fit of the same rows. The Selection has the shape of
// Select's (covariance types outer, K inner) and the best is chosen in
// the same way. sample is the rows the initialisation methods run on, as
// for FitSource; opts.Options.Weights must be nil (weights come with the
// source's blocks).
//
// The candidates run concurrently, each with Options.Workers goroutines of
// E-step; opts.Progress and Options.Progress are called from one goroutine
// at a time, in the order the fits finish (for opts.Progress) or iterate.
func SelectSource(ctx context.Context, src em.Source, sample mat.Matrix, opts SelectOptions) (*Model, *Report, *Selection, error) {
	return selectSource(ctx, src, em.NewShared(src), sample, opts)
}

func selectSource(ctx context.Context, src em.Source, sh *em.Shared, sample mat.Matrix, opts SelectOptions) (*Model, *Report, *Selection, error) {
	ks, covs, crit, err := opts.grid()
	if err != nil {
		return nil, nil, nil, err
	}
	base := opts.Options
	base.K = 1
	if _, err := base.resolve(); err != nil {
		return nil, nil, nil, err
	}
	if sample == nil {
		return nil, nil, nil, errors.New("mixture: SelectSource: give a sample for the initialisation")
	}
	if _, err := checkInput(sample, nil, "the sample", base.Missing); err != nil {
		return nil, nil, nil, err
	}
	type result struct {
		m    *Model
		rep  *Report
		err  error
		secs float64
	}
	n := len(covs) * len(ks)
	res := make([]result, n)
	handles := make([]*em.SharedSource, n)
	for i := range handles {
		handles[i] = sh.Join()
	}
	var mu sync.Mutex // serialises the hooks
	var done int
	sel := &Selection{Criterion: crit, Best: -1}
	var wg sync.WaitGroup
	for ci, c := range covs {
		for ki, k := range ks {
			i := ci*len(ks) + ki
			o := opts.Options
			o.K, o.Covariance = k, c
			if hook := o.Progress; hook != nil {
				o.Progress = func(p Progress) { mu.Lock(); defer mu.Unlock(); hook(p) }
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer handles[i].Leave()
				t0 := time.Now()
				m, rep, err := FitSource(ctx, handles[i], sample, o)
				res[i] = result{m, rep, err, time.Since(t0).Seconds()}
				if opts.Progress != nil {
					cand := candidateOf(k, c, rep, err, res[i].secs)
					mu.Lock()
					done++
					opts.Progress(Progress{Done: done, Total: n, Candidate: &cand})
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, nil, fmt.Errorf("mixture: %w", err)
	}
	// ICL needs Σ log max_k z_ik at each fitted model: one more pass over
	// the data for every candidate together, summed row by row in file
	// order, so each equals Select's in-memory sum bit for bit.
	fitted := make([]*Model, n)
	for i, r := range res {
		if r.err == nil {
			fitted[i] = r.m
		}
	}
	cls, clErr := classificationPass(ctx, src, fitted)
	if clErr != nil {
		return nil, nil, nil, fmt.Errorf("mixture: SelectSource: the pass for ICL: %w", clErr)
	}
	var bestM *Model
	var bestR *Report
	var firstErr error
	for ci, c := range covs {
		for ki, k := range ks {
			r := res[ci*len(ks)+ki]
			cand := candidateOf(k, c, r.rep, r.err, r.secs)
			if r.err == nil {
				cand.ICL = cand.BIC - 2*cls[ci*len(ks)+ki]
				cand.MclustICL = -cand.ICL
			}
			sel.Candidates = append(sel.Candidates, cand)
			if r.err != nil {
				if firstErr == nil {
					firstErr = r.err
				}
				continue
			}
			score := sel.criterion(cand)
			if sel.Best < 0 || score < sel.score(sel.Best) || math.IsNaN(sel.score(sel.Best)) {
				sel.Best = len(sel.Candidates) - 1
				bestM, bestR = r.m, r.rep
			}
		}
	}
	if sel.Best < 0 {
		return nil, nil, sel, fmt.Errorf("mixture: SelectSource: every fit failed; the first: %w", firstErr)
	}
	return bestM, bestR, sel, nil
}

// classificationPass returns, for each model of ms (nil entries skipped),
// Σ_i w_i log max_k p(z = k | x_i) over one pass of src, added row by row in
// file order.
func classificationPass(ctx context.Context, src em.Source, ms []*Model) ([]float64, error) {
	out := make([]float64, len(ms))
	it, err := src.Blocks(iclPassRows)
	if err != nil {
		return nil, err
	}
	if c, ok := it.(io.Closer); ok {
		defer c.Close()
	}
	buf := mat.NewDense(iclPassRows, src.Dim(), nil)
	wbuf := make([]float64, iclPassRows)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		x, w, err := it.Next(buf, wbuf)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		for i, m := range ms {
			if m == nil {
				continue
			}
			if err := m.classificationAdd(x, w, &out[i]); err != nil {
				return nil, err
			}
		}
	}
}

// candidateOf is the row of a selection's table for one fit.
func candidateOf(k int, c CovarianceType, rep *Report, err error, secs float64) Candidate {
	cand := Candidate{K: k, Covariance: c, Model: c.MclustName(), Status: "ok", Seconds: secs}
	if err != nil {
		cand.Status = "failed"
		cand.Error = strings.TrimPrefix(err.Error(), "mixture: ")
		return cand
	}
	cand.LogLikelihood, cand.BIC, cand.AIC, cand.MclustBIC = rep.LogLikelihood, rep.BIC, rep.AIC, rep.MclustBIC
	cand.NumParams, cand.Iterations, cand.Converged = rep.NumParams, rep.Iterations, rep.Converged
	cand.TotalLogLik = -(rep.AIC - 2*float64(rep.NumParams)) / 2
	if !cand.Converged {
		cand.Status = "not converged"
	}
	return cand
}

// grid resolves the grid of a selection: the Ks, the covariance types and
// the criterion, as Select does.
func (opts SelectOptions) grid() ([]int, []CovarianceType, Criterion, error) {
	ks := opts.Ks
	if ks == nil {
		ks = []int{1, 2, 3, 4, 5, 6, 7, 8}
	}
	if len(ks) == 0 {
		return nil, nil, "", errors.New("mixture: Select: no K to try")
	}
	for _, k := range ks {
		if k < 1 {
			return nil, nil, "", fmt.Errorf("mixture: Select: K = %d; every K must be at least 1", k)
		}
	}
	covs := opts.Covariances
	if covs == nil {
		covs = CovarianceTypes
	}
	for _, c := range covs {
		if _, err := ParseCovarianceType(string(c)); err != nil {
			return nil, nil, "", err
		}
	}
	crit := opts.Criterion
	if crit == "" {
		crit = BIC
	}
	if crit != BIC && crit != AIC {
		return nil, nil, "", fmt.Errorf("mixture: Select: unknown criterion %q; use bic or aic", crit)
	}
	if opts.Options.Start != nil || opts.Options.WarmStart != nil {
		return nil, nil, "", errors.New("mixture: Select: Options.Start and WarmStart cannot be used across several K")
	}
	return ks, covs, crit, nil
}

// iclPassRows is the block size of SelectSource's pass for ICL.
const iclPassRows = 4096
