package biasvar

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"text/tabwriter"
	"time"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/mixture"
)

// DensityProblem is a density-estimation problem whose truth is a known
// Gaussian mixture in 1 or 2 dimensions: every round draws NTrain points
// from Truth, a DensityLearner fits a density q_D, and its log-loss
// −log q_D(x) at fresh x ~ Truth is decomposed (Heskes 1998):
//
//	E_D E_x[−log q_D(x)] = H(p) + KL(p ‖ q̄) + E_D KL(q̄ ‖ q_D)
//	                      noise   bias       variance = −log Z
//
// with q̄ = exp(E_D log q_D)/Z the normalised geometric mean of the fitted
// densities. The expectations over x are integrals computed by the
// midpoint rule on a grid (GridPoints per dimension over the truth's means
// ± Span standard deviations), so the noise — the truth's entropy, which
// a mixture has in no closed form — is exact to quadrature error (below
// 1e-9 nats with the defaults), and so are the identity's terms.
type DensityProblem struct {
	Name  string
	Truth *mixture.Model
	// NTrain is the size of every training set (≥ 1).
	NTrain int
	// GridPoints per dimension; 0 means 400 in 1-D and 120 in 2-D.
	GridPoints int
	// Span is the half-width of the grid in standard deviations of the
	// widest component; 0 means 9.
	Span float64
}

// DensityLearner fits a density to the rows of x. rng is the round's own
// stream. Fit must be safe for concurrent use.
type DensityLearner interface {
	FitDensity(ctx context.Context, x *mat.Dense, rng *rand.Rand) (Density, error)
}

// Density is a fitted density: LogDensity writes log q(x_i) for the rows
// of x into dst.
type Density interface {
	LogDensity(dst []float64, x *mat.Dense) error
}

// bicDensity is a density that knows its BIC on its training data.
type bicDensity interface{ bic() float64 }

// GMM is the Gaussian-mixture learner (package mixture's Fit, EM from
// k-means with NInit starts): K components of the given covariance type
// ("" full), RegCovar 1e-6 (scikit-learn's). The density remembers its BIC
// on its training set, so a sweep over K shows BIC's choice beside the
// decomposition.
type GMM struct {
	K          int
	Covariance mixture.CovarianceType
	// NInit is the number of EM starts; 0 means 1.
	NInit int
	// RegCovar is mixture.Options.RegCovar (0: 1e-6; mixture.NoRegCovar: none).
	RegCovar float64
}

func (l GMM) String() string {
	return fmt.Sprintf("gmm(k=%d,cov=%s)", max(l.K, 1), orCov(l.Covariance))
}

func orCov(c mixture.CovarianceType) mixture.CovarianceType {
	if c == "" {
		return mixture.Full
	}
	return c
}

type gmmDensity struct {
	m    *mixture.Model
	bicV float64
}

func (d gmmDensity) LogDensity(dst []float64, x *mat.Dense) error {
	_, err := d.m.ScoreSamples(dst, x)
	return err
}
func (d gmmDensity) bic() float64 { return d.bicV }

// FitDensity fits the mixture with a seed from rng.
func (l GMM) FitDensity(ctx context.Context, x *mat.Dense, rng *rand.Rand) (Density, error) {
	m, _, err := mixture.Fit(ctx, x, mixture.Options{K: max(l.K, 1), Covariance: l.Covariance, NInit: l.NInit,
		RegCovar: l.RegCovar, Seed: rng.Uint64(), Workers: 1})
	if err != nil {
		return nil, err
	}
	b, err := m.BIC(x)
	if err != nil {
		return nil, err
	}
	return gmmDensity{m, b}, nil
}

// GaussianMean fits only the mean of a Gaussian whose covariance is known
// (Cov, D×D): the textbook case whose log-loss variance is exactly D/(2n)
// nats and whose bias is 0 on Gaussian data.
type GaussianMean struct{ Cov *mat.SymDense }

func (l GaussianMean) String() string { return "gaussian-mean(known covariance)" }

// FitDensity returns N(x̄, Cov).
func (l GaussianMean) FitDensity(_ context.Context, x *mat.Dense, _ *rand.Rand) (Density, error) {
	n, d := x.Dims()
	mu := make([]float64, d)
	for i := 0; i < n; i++ {
		floats.Add(mu, x.RawRowView(i))
	}
	floats.Scale(1/float64(n), mu)
	m, err := mixture.New(mixture.Full, mixture.Params{Weights: []float64{1}, Means: mat.NewDense(1, d, mu), Covariances: []*mat.SymDense{l.Cov}}, nil)
	if err != nil {
		return nil, err
	}
	return gmmDensity{m: m, bicV: math.NaN()}, nil
}

// KDE is a Gaussian kernel density estimate with bandwidth h per
// dimension: Bandwidth, or 0 for Scott's rule h_j = σ̂_j n^(−1/(D+4))
// (scipy's gaussian_kde default, on each dimension's sd).
type KDE struct{ Bandwidth float64 }

func (l KDE) String() string {
	if l.Bandwidth == 0 {
		return "kde(bandwidth=scott)"
	}
	return fmt.Sprintf("kde(bandwidth=%g)", l.Bandwidth)
}

type kdeDensity struct {
	x *mat.Dense
	h []float64
}

// FitDensity keeps the points and the bandwidths.
func (l KDE) FitDensity(_ context.Context, x *mat.Dense, _ *rand.Rand) (Density, error) {
	n, d := x.Dims()
	if l.Bandwidth < 0 || math.IsNaN(l.Bandwidth) || math.IsInf(l.Bandwidth, 0) {
		return nil, optionErrorf("KDE.Bandwidth", fmt.Sprint(l.Bandwidth), "give 0 (Scott's rule) or a positive bandwidth")
	}
	h := make([]float64, d)
	for j := range h {
		h[j] = l.Bandwidth
		if h[j] == 0 {
			col := mat.Col(nil, j, x)
			sd := math.Sqrt(varianceOf(col))
			if !(sd > 0) || n < 2 {
				return nil, fmt.Errorf("kde: column %d has no spread: Scott's bandwidth is 0", j)
			}
			h[j] = sd * math.Pow(float64(n), -1/float64(d+4))
		}
	}
	return kdeDensity{mat.DenseCopyOf(x), h}, nil
}

func varianceOf(x []float64) float64 {
	var m, s float64
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return s / float64(len(x)-1)
}

func (k kdeDensity) LogDensity(dst []float64, x *mat.Dense) error {
	n, d := k.x.Dims()
	logNorm := -math.Log(float64(n))
	for j := range k.h {
		logNorm -= math.Log(k.h[j]) + 0.5*math.Log(2*math.Pi)
	}
	terms := make([]float64, n)
	for i := range dst {
		q := x.RawRowView(i)
		for t := 0; t < n; t++ {
			var s float64
			row := k.x.RawRowView(t)
			for j := 0; j < d; j++ {
				z := (q[j] - row[j]) / k.h[j]
				s += z * z
			}
			terms[t] = -0.5 * s
		}
		dst[i] = floats.LogSumExp(terms) + logNorm
	}
	return nil
}

// DensityReport is the decomposition of a density estimator's log-loss
// (nats per test draw), with delete-a-group jackknife standard errors over
// 20 groups of rounds.
type DensityReport struct {
	Problem string `json:"problem"`
	Learner string `json:"learner"`
	NTrain  int    `json:"n_train"`
	Seed    uint64 `json:"seed"`
	Rounds  Rounds `json:"rounds"`
	// Error = Noise + Bias + Variance; Gap is what is left (quadrature).
	Error    Estimate `json:"error"`
	Noise    Estimate `json:"noise"`
	Bias     Estimate `json:"bias"`
	Variance Estimate `json:"variance"`
	Gap      float64  `json:"gap"`
	// BIC is the mean over rounds of the fitted density's BIC on its own
	// training set (GMM learners; NaN, null in JSON, otherwise).
	BIC Estimate `json:"bic"`
	// BICs are each successful round's BIC, in round order (for BIC's
	// choice per training set in a sweep).
	BICs     []float64 `json:"-"`
	Notes    []string  `json:"notes,omitempty"`
	Warnings []string  `json:"warnings,omitempty"`
	Seconds  float64   `json:"seconds"`
}

// quadrature is the grid of a DensityProblem: points, weights × p(x),
// and log p(x).
type quadrature struct {
	x       *mat.Dense
	wp, lp  []float64
	entropy float64
}

func (p *DensityProblem) grid() (*quadrature, error) {
	t := p.Truth
	d := t.Dim()
	if d > 2 {
		return nil, optionErrorf("DensityProblem.Truth", fmt.Sprint(d), "the quadrature grid takes 1 or 2 dimensions")
	}
	g := p.GridPoints
	if g == 0 {
		g = map[int]int{1: 400, 2: 120}[d]
	}
	span := p.Span
	if span == 0 {
		span = 9
	}
	if g < 2 || span < 0 {
		return nil, optionErrorf("DensityProblem.GridPoints", fmt.Sprint(g), "need at least 2 points and a positive Span")
	}
	lo, hi := make([]float64, d), make([]float64, d)
	means := t.Means(nil)
	var sd float64
	for k := 0; k < t.K(); k++ {
		c := t.Covariance(nil, k)
		for j := 0; j < d; j++ {
			sd = math.Max(sd, math.Sqrt(c.At(j, j)))
		}
	}
	for j := 0; j < d; j++ {
		lo[j], hi[j] = math.Inf(1), math.Inf(-1)
		for k := 0; k < t.K(); k++ {
			lo[j], hi[j] = math.Min(lo[j], means.At(k, j)-span*sd), math.Max(hi[j], means.At(k, j)+span*sd)
		}
	}
	m := g
	if d == 2 {
		m = g * g
	}
	q := &quadrature{x: mat.NewDense(m, d, nil), wp: make([]float64, m), lp: make([]float64, m)}
	vol := 1.0
	for j := 0; j < d; j++ {
		vol *= (hi[j] - lo[j]) / float64(g)
	}
	for i := 0; i < m; i++ {
		row := q.x.RawRowView(i)
		row[0] = lo[0] + (float64(i%g)+0.5)*(hi[0]-lo[0])/float64(g)
		if d == 2 {
			row[1] = lo[1] + (float64(i/g)+0.5)*(hi[1]-lo[1])/float64(g)
		}
	}
	if _, err := t.ScoreSamples(q.lp, q.x); err != nil {
		return nil, err
	}
	for i, l := range q.lp {
		q.wp[i] = vol * math.Exp(l)
		if q.wp[i] > 0 {
			q.entropy -= q.wp[i] * l
		}
	}
	return q, nil
}

// densityTerms are the decomposition from the mean log-density over
// rounds at the grid points and the mean cross-entropy.
func densityTerms(q *quadrature, lbar []float64, lbarScale float64, vol float64) (bias, variance float64) {
	// log Z = log Σ_j vol·exp(ℓ̄_j), by log-sum-exp.
	terms := make([]float64, len(lbar))
	for j, l := range lbar {
		terms[j] = l/lbarScale + math.Log(vol)
	}
	logZ := floats.LogSumExp(terms)
	variance = -logZ
	for j, l := range lbar {
		bias += q.wp[j] * (q.lp[j] - l/lbarScale)
	}
	bias += logZ
	return bias, variance
}

// DecomposeDensity estimates the decomposition of learner l's log-loss on
// problem p by Monte Carlo over Options.Rounds training sets (Seed,
// Workers, Progress as Decompose). The rounds' log-densities at the grid
// are summed per group of rounds (20 contiguous groups, each in round
// order, merged in order): memory does not grow with the rounds and the
// bits do not depend on Workers.
func DecomposeDensity(ctx context.Context, p *DensityProblem, l DensityLearner, opts Options) (*DensityReport, error) {
	start := time.Now()
	if p == nil || p.Truth == nil || l == nil {
		panic("biasvar: DecomposeDensity with a nil problem, truth or learner")
	}
	if p.NTrain < 1 {
		return nil, optionErrorf("DensityProblem.NTrain", fmt.Sprint(p.NTrain), "need at least 1")
	}
	R, err := opts.rounds()
	if err != nil {
		return nil, err
	}
	q, err := p.grid()
	if err != nil {
		return nil, err
	}
	m, d := q.x.Dims()
	vol := q.wp[0] / math.Exp(q.lp[0])
	G := min(R, streamGroups)
	sums := make([][]float64, G) // Σ_r log q_r(x_j) per group
	errSum := make([]float64, G) // Σ_r cross-entropy
	count := make([]float64, G)
	bics := make([]float64, R)
	roundErr := make([]error, R)
	var progress func(Progress)
	if opts.Progress != nil {
		progress = func(pr Progress) { opts.Progress(Progress{Done: pr.Done * R / G, Total: R}) }
	}
	_, err = runRounds(ctx, G, opts.workers(G), progress, func() func(int) error {
		data, lrn := newStream(), newStream()
		x := mat.NewDense(p.NTrain, d, nil)
		lq := make([]float64, m)
		return func(g int) error {
			sums[g] = make([]float64, m)
			for r := groupStart(g, R, G); r < groupStart(g+1, R, G); r++ {
				bics[r] = math.NaN()
				roundErr[r] = func() error {
					if err := p.Truth.Sample(x, nil, data.at(opts.Seed, roundStream(r, streamData))); err != nil {
						return err
					}
					dens, err := l.FitDensity(ctx, x, lrn.at(opts.Seed, roundStream(r, streamLearner)))
					if err != nil {
						return err
					}
					if err := dens.LogDensity(lq, q.x); err != nil {
						return err
					}
					for j, v := range lq {
						if math.IsNaN(v) || math.IsInf(v, 0) {
							return fmt.Errorf("log-density %v at grid point %d", v, j)
						}
					}
					if b, ok := dens.(bicDensity); ok {
						bics[r] = b.bic()
					}
					return nil
				}()
				if roundErr[r] != nil {
					continue
				}
				var ce float64
				for j, v := range lq {
					sums[g][j] += v
					ce -= q.wp[j] * v
				}
				errSum[g] += ce
				count[g]++
			}
			return nil
		}
	})
	if err != nil {
		return nil, err
	}
	rounds, ok := collect(roundErr)
	if len(ok) == 0 {
		return nil, allFailed(rounds)
	}
	total := make([]float64, m)
	var n, es float64
	for g := range sums {
		floats.Add(total, sums[g])
		n += count[g]
		es += errSum[g]
	}
	rep := &DensityReport{Problem: p.Name, Learner: fmt.Sprint(l), NTrain: p.NTrain, Seed: opts.Seed, Rounds: rounds,
		Warnings: failureWarnings(rounds)}
	bias, variance := densityTerms(q, total, n, vol)
	jb, jv, je := jack{c: bias}, jack{c: variance}, jack{c: es / n}
	loo := make([]float64, m)
	for g := range sums {
		if count[g] == 0 || n-count[g] < 1 {
			continue
		}
		floats.SubTo(loo, total, sums[g])
		b, v := densityTerms(q, loo, n-count[g], vol)
		jb.add(b)
		jv.add(v)
		je.add((es - errSum[g]) / (n - count[g]))
	}
	rep.Error, rep.Noise = Estimate{es / n, je.se()}, Estimate{q.entropy, 0}
	rep.Bias, rep.Variance = Estimate{bias, jb.se()}, Estimate{variance, jv.se()}
	rep.Gap = rep.Error.Value - (q.entropy + bias + variance)
	var bj []float64
	for _, r := range ok {
		bj = append(bj, bics[r])
	}
	rep.BICs = bj
	rep.BIC = Estimate{mean(bj), math.Sqrt(varianceOrNaN(bj) / float64(len(bj)))}
	rep.Notes = []string{
		"log-loss in nats per test draw x ~ truth; noise = the truth's entropy, bias = KL(p ‖ q̄), variance = E_D KL(q̄ ‖ q_D) = −log Z, q̄ the normalised geometric mean of the fitted densities (Heskes 1998)",
		fmt.Sprintf("expectations over x by the midpoint rule on %d grid points; gap = error − (noise + bias + variance) is quadrature error", m),
		"standard errors: delete-a-group jackknife over 20 contiguous groups of rounds; the BIC's is the sd of the rounds' BICs / √R",
	}
	rep.Seconds = time.Since(start).Seconds()
	return rep, nil
}

func varianceOrNaN(x []float64) float64 {
	if len(x) < 2 {
		return math.NaN()
	}
	return varianceOf(x)
}

// ThreeGaussians is the density problem whose truth is the 1-D mixture
// 0.3·N(−2, 0.6²) + 0.5·N(0, 1) + 0.2·N(3, 0.5²), with nTrain points
// per training set.
func ThreeGaussians(nTrain int) *DensityProblem {
	covs := []*mat.SymDense{mat.NewSymDense(1, []float64{0.36}), mat.NewSymDense(1, []float64{1}), mat.NewSymDense(1, []float64{0.25})}
	m, err := mixture.New(mixture.Full, mixture.Params{Weights: []float64{0.3, 0.5, 0.2}, Means: mat.NewDense(3, 1, []float64{-2, 0, 3}), Covariances: covs}, nil)
	if err != nil {
		panic(err)
	}
	return &DensityProblem{Name: "three-gaussians", Truth: m, NTrain: nTrain}
}

// DensitySweepPoint is the decomposition at one K.
type DensitySweepPoint struct {
	K      int            `json:"k"`
	Report *DensityReport `json:"report,omitempty"`
	Error  string         `json:"error,omitempty"`
	// BICPicks is how many rounds' training sets BIC chose this K for
	// (among the swept K, each round's lowest BIC).
	BICPicks int `json:"bic_picks"`
}

// DensitySweep is the decomposition of the log-loss over K, beside BIC.
type DensitySweep struct {
	Problem string              `json:"problem"`
	NTrain  int                 `json:"n_train"`
	Points  []DensitySweepPoint `json:"points"`
	// BestK has the lowest expected log-loss; BICK the lowest mean BIC;
	// BICModeK is the K BIC chose most often, training set by training set.
	BestK    int     `json:"best_k"`
	BICK     int     `json:"bic_k"`
	BICModeK int     `json:"bic_mode_k"`
	Seconds  float64 `json:"seconds"`
}

// SweepDensity decomposes GMM{K: k, Covariance: cov} at every k of ks with
// the same options and seed (the same training sets at every K), and
// records BIC's choice: on each training set, the K of lowest BIC.
func SweepDensity(ctx context.Context, p *DensityProblem, ks []int, cov mixture.CovarianceType, opts Options) (*DensitySweep, error) {
	start := time.Now()
	if len(ks) == 0 {
		return nil, optionErrorf("ks", "", "no K to sweep")
	}
	sw := &DensitySweep{Problem: p.Name, NTrain: p.NTrain}
	for _, k := range ks {
		if k < 1 {
			return nil, optionErrorf("ks", fmt.Sprint(k), "a mixture has at least 1 component")
		}
		rep, err := DecomposeDensity(ctx, p, GMM{K: k, Covariance: cov}, opts)
		pt := DensitySweepPoint{K: k, Report: rep}
		switch {
		case err == nil:
		case isAllFailed(err):
			pt.Error = err.Error()
		default:
			return nil, err
		}
		sw.Points = append(sw.Points, pt)
	}
	bestE, bestB := math.Inf(1), math.Inf(1)
	for _, pt := range sw.Points {
		if pt.Report == nil {
			continue
		}
		if pt.Report.Error.Value < bestE {
			bestE, sw.BestK = pt.Report.Error.Value, pt.K
		}
		if pt.Report.BIC.Value < bestB {
			bestB, sw.BICK = pt.Report.BIC.Value, pt.K
		}
	}
	// Per training set: only when every K succeeded on every round are
	// the rounds aligned.
	aligned := true
	for _, pt := range sw.Points {
		aligned = aligned && pt.Report != nil && pt.Report.Rounds.Failed == 0
	}
	if aligned {
		R := len(sw.Points[0].Report.BICs)
		for r := 0; r < R; r++ {
			best := 0
			for i, pt := range sw.Points {
				if pt.Report.BICs[r] < sw.Points[best].Report.BICs[r] {
					best = i
				}
			}
			sw.Points[best].BICPicks++
		}
		mode := 0
		for i, pt := range sw.Points {
			if pt.BICPicks > sw.Points[mode].BICPicks {
				mode = i
			}
		}
		sw.BICModeK = sw.Points[mode].K
	}
	sw.Seconds = time.Since(start).Seconds()
	return sw, nil
}

func isAllFailed(err error) bool { return errors.Is(err, ErrAllRoundsFailed) }

// WriteText writes the sweep as `latent biasvar density` prints it.
func (s *DensitySweep) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Gaussian mixtures on %s (%d training points): log-loss in nats, ± one standard error\n", s.Problem, s.NTrain)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "K\terror\tnoise\tbias\tvariance\tmean BIC\tBIC picks\t")
	for _, pt := range s.Points {
		if pt.Report == nil {
			fmt.Fprintf(tw, "%d\tfailed: %s\t\t\t\t\t\t\n", pt.K, pt.Error)
			continue
		}
		r := pt.Report
		fmt.Fprintf(tw, "%d\t%.5f ± %.1g\t%.5f\t%.5f ± %.1g\t%.5f ± %.1g\t%.2f\t%d/%d\t\n", pt.K, r.Error.Value, r.Error.StdErr, r.Noise.Value,
			r.Bias.Value, r.Bias.StdErr, r.Variance.Value, r.Variance.StdErr, r.BIC.Value, pt.BICPicks, r.Rounds.Succeeded)
	}
	tw.Flush()
	fmt.Fprintf(&b, "lowest expected log-loss at K = %d; lowest mean BIC at K = %d; BIC's most frequent choice per training set: K = %d\n", s.BestK, s.BICK, s.BICModeK)
	_, err := io.WriteString(w, b.String())
	return err
}
