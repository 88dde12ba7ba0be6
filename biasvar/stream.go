package biasvar

import (
	"context"
	"math"
)

// streamGroups is the number of groups of a streaming run: its rounds are
// cut into this many contiguous blocks, each accumulated in round order
// by one goroutine, and the blocks are the groups of the delete-a-group
// jackknife.
const streamGroups = 20

// groupMoments are the per-point running moments of one block of rounds:
// n predictions, their mean and sum of squared deviations (Welford), and
// the sum of their errors.
type groupMoments struct {
	n              float64
	mean, m2, errs []float64
}

func newGroupMoments(m int) *groupMoments {
	return &groupMoments{mean: make([]float64, m), m2: make([]float64, m), errs: make([]float64, m)}
}

// add folds one round's predictions and errors in (Welford's update).
func (g *groupMoments) add(pred, errs []float64) {
	g.n++
	for i, v := range pred {
		d := v - g.mean[i]
		g.mean[i] += d / g.n
		g.m2[i] += d * (v - g.mean[i])
		g.errs[i] += errs[i]
	}
}

// merge folds h into g (Chan, Golub & LeVeque 1979).
func (g *groupMoments) merge(h *groupMoments) {
	if h.n == 0 {
		return
	}
	n := g.n + h.n
	for i := range g.mean {
		d := h.mean[i] - g.mean[i]
		g.mean[i] += d * h.n / n
		g.m2[i] += h.m2[i] + d*d*g.n*h.n/n
		g.errs[i] += h.errs[i]
	}
	g.n = n
}

// terms of the squared loss at point i from moments: bias² (corrected),
// variance (1/(n−1)), error, and the plug-ins.
func sqTerms(n, mean, m2, errs, f float64) (b2, v, e, b2p, vp float64) {
	vp = m2 / n
	b2p = (mean - f) * (mean - f)
	v, b2 = 0, b2p
	if n > 1 {
		v = m2 / (n - 1)
		b2 = b2p - v/n
	}
	return b2, v, errs / n, b2p, vp
}

// streamSquared runs the rounds of a squared-loss decomposition without
// holding their predictions: each of streamGroups blocks of rounds is
// accumulated in round order into per-point moments, and the blocks are
// merged in block order, so the bits do not depend on Workers. Memory is
// O(streamGroups · m), whatever R is. It returns the rounds' errors.
func streamSquared(ctx context.Context, s *setup, l Learner, R int, opts Options, rep *Report) ([]error, error) {
	m, p := s.m, s.p
	G := min(R, streamGroups)
	groups := make([]*groupMoments, G)
	errsOf := make([]error, R)
	fits := make([][]float64, 0, opts.fits())
	nf := opts.fits()
	var progress func(Progress)
	if opts.Progress != nil {
		progress = func(pr Progress) { opts.Progress(Progress{Done: pr.Done * R / G, Total: R}) }
	}
	_, err := runRounds(ctx, G, opts.workers(G), progress, func() func(int) error {
		w := s.newWorker()
		target := newStream()
		pred, er := make([]float64, m), make([]float64, m)
		return func(g int) error {
			acc := newGroupMoments(m)
			for r := groupStart(g, R, G); r < groupStart(g+1, R, G); r++ {
				errsOf[r] = func() error {
					if err := w.draw(r); err != nil {
						return err
					}
					model, err := l.Fit(w.x, w.y, w.lrn.at(s.seed, roundStream(r, streamLearner)))
					if err != nil {
						return err
					}
					if err := predictRow(model, s.test, pred); err != nil {
						return err
					}
					rng := target.at(s.seed, roundStream(r, streamTarget))
					for i, v := range pred {
						y := s.f[i]
						if p.Noise != nil {
							y += p.Noise.Sample(rng, s.test.RawRowView(i))
						}
						er[i] = (v - y) * (v - y)
					}
					return nil
				}()
				if errsOf[r] != nil {
					continue
				}
				acc.add(pred, er)
				if g == 0 && len(fits) < nf {
					fits = append(fits, append([]float64(nil), pred...))
				}
			}
			groups[g] = acc
			return nil
		}
	})
	if err != nil {
		return nil, err
	}
	full := newGroupMoments(m)
	for _, g := range groups {
		full.merge(g)
	}
	if full.n == 0 {
		return errsOf, nil
	}
	streamReport(full, groups, s, rep)
	rep.Fits = fits
	return errsOf, nil
}

// streamReport fills the squared-loss report from the merged moments and
// the blocks' (delete-a-group jackknife standard errors).
func streamReport(full *groupMoments, groups []*groupMoments, s *setup, rep *Report) {
	m, fm := s.m, float64(s.m)
	rep.MeanPrediction, rep.SDPrediction = full.mean, make([]float64, m)
	rep.Bias2, rep.Bias2Plugin, rep.Variance, rep.Error = make([]float64, m), make([]float64, m), make([]float64, m), make([]float64, m)
	var tb, tbp, tv, tvp, te float64
	for i := 0; i < m; i++ {
		b2, v, e, b2p, vp := sqTerms(full.n, full.mean[i], full.m2[i], full.errs[i], s.f[i])
		rep.Bias2[i], rep.Variance[i], rep.Error[i], rep.Bias2Plugin[i] = b2, v, e, b2p
		rep.SDPrediction[i] = math.Sqrt(v)
		tb, tbp, tv, tvp, te = tb+b2/fm, tbp+b2p/fm, tv+v/fm, tvp+vp/fm, te+e/fm
	}
	noise := mean(s.noise)
	jb, jv, je := newJacks(rep.Bias2), newJacks(rep.Variance), newJacks(rep.Error)
	tj := newJacks([]float64{tb, tv, te, te - noise - tb - tv})
	for _, g := range groups {
		n := full.n - g.n
		if g.n == 0 || n < 2 {
			continue
		}
		var sb, sv, se float64
		for i := 0; i < m; i++ {
			mu := (full.n*full.mean[i] - g.n*g.mean[i]) / n
			d := g.mean[i] - mu
			m2 := math.Max(full.m2[i]-g.m2[i]-d*d*n*g.n/full.n, 0)
			b2, v, e, _, _ := sqTerms(n, mu, m2, full.errs[i]-g.errs[i], s.f[i])
			jb[i].add(b2)
			jv[i].add(v)
			je[i].add(e)
			sb, sv, se = sb+b2/fm, sv+v/fm, se+e/fm
		}
		for k, v := range []float64{sb, sv, se, se - noise - sb - sv} {
			tj[k].add(v)
		}
	}
	se := jackSEs(tj)
	rep.Bias2StdErr, rep.VarianceStdErr, rep.ErrorStdErr = nilIfNaN(jackSEs(jb)), nilIfNaN(jackSEs(jv)), nilIfNaN(jackSEs(je))
	rep.Noise = s.noise
	rep.Totals = Totals{Error: Estimate{te, se[2]}, Noise: est(noise, 0), Bias2: est(tb, se[0]), Bias2Plugin: est(tbp, se[0]),
		Variance: Estimate{tv, se[1]}, VariancePlugin: est(tvp, se[1])}
	sum := noise + tb + tv
	c := &Check{Identity: "error = noise + bias² + variance (in expectation; error measured against fresh noisy targets)",
		Sum: sum, Gap: Estimate{te - sum, se[3]}}
	switch {
	case se[3] > 0:
		c.Z = c.Gap.Value / se[3]
		c.OK = math.Abs(c.Z) <= 4
	case se[3] == 0:
		c.OK = math.Abs(c.Gap.Value) <= 1e-9*(1+math.Abs(te))
	}
	rep.Check = c
	rep.StdErrMethod = "delete-a-group jackknife over rounds (20 contiguous groups; Options.Stream keeps per-point running moments per group, not the predictions)"
}

// streamZeroOne runs the rounds of a zero-one decomposition keeping only
// the counts of predicted classes per test point and per group of rounds
// (streamGroups contiguous groups): O(streamGroups · m · K) memory,
// whatever R is. Counts are exact, so the result is the stored run's
// when no round fails (the groups then coincide).
func streamZeroOne(ctx context.Context, s *setup, l Learner, R int, opts Options, out *zoCounts) ([]error, error) {
	m, K := s.m, s.p.Classes
	G := min(R, streamGroups)
	gcounts := make([]float64, G*m*K)
	gsize := make([]float64, G)
	errsOf := make([]error, R)
	var progress func(Progress)
	if opts.Progress != nil {
		progress = func(pr Progress) { opts.Progress(Progress{Done: pr.Done * R / G, Total: R}) }
	}
	_, err := runRounds(ctx, G, opts.workers(G), progress, func() func(int) error {
		w := s.newWorker()
		row := make([]float64, m)
		return func(g int) error {
			gc := gcounts[g*m*K : (g+1)*m*K]
			for r := groupStart(g, R, G); r < groupStart(g+1, R, G); r++ {
				errsOf[r] = func() error {
					if err := w.draw(r); err != nil {
						return err
					}
					model, err := l.Fit(w.x, w.y, w.lrn.at(s.seed, roundStream(r, streamLearner)))
					if err != nil {
						return err
					}
					return predictClasses(model, s.test, K, row)
				}()
				if errsOf[r] != nil {
					continue
				}
				gsize[g]++
				for i, c := range row {
					gc[i*K+int(c)]++
				}
			}
			return nil
		}
	})
	if err != nil {
		return nil, err
	}
	counts := make([]float64, m*K)
	for g := 0; g < G; g++ {
		for j, v := range gcounts[g*m*K : (g+1)*m*K] {
			counts[j] += v
		}
	}
	*out = zoCounts{counts, gcounts, gsize}
	return errsOf, nil
}

// zoCounts are what a streamed zero-one run keeps.
type zoCounts struct{ counts, gcounts, gsize []float64 }

// groupStart is the first round of group g of G over R rounds: round r is
// in group r·G/R (integer division), as in the stored runs' jackknife.
func groupStart(g, R, G int) int { return (g*R + G - 1) / G }
