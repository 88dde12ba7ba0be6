package mixture

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// Defaults of online EM's step sizes η_t = (t + t0)^(−α), scikit-learn's
// for its online learner LatentDirichletAllocation (learning_decay = 0.7,
// learning_offset = 10), which uses the same schedule.
const (
	// DefaultAlpha is the decay α. Cappé & Moulines (2009) need
	// α ∈ (0.5, 1] for convergence; Liang & Klein (2009) found α from 0.5
	// to 0.7 best for fast early progress; α = 1 weighs the batches most
	// evenly (the least noise at the end of several passes, the slowest
	// to forget the first, poor, steps).
	DefaultAlpha = 0.7
	// DefaultT0 is the offset t0: a larger t0 makes the early steps
	// smaller. The first batch has η = 1 whatever t0.
	DefaultT0 = 10.0
)

// OnlineOptions control an Online fit. Options gives K, Covariance, Init
// (run on the first batch), Start, RegCovar, Seed, Workers, BlockRows,
// Kernel and FeatureNames as for Fit; MaxIter, Tol and NInit do not apply
// (each batch is one step), and Weights, Missing, Known, Fix, Prior and
// WarmStart are refused (give a batch's weights to PartialFit).
type OnlineOptions struct {
	Options
	// Alpha is the decay α of the step sizes, in (0.5, 1]; 0 means
	// DefaultAlpha.
	Alpha float64
	// T0 is the offset t0 ≥ 0 of the step sizes; 0 means DefaultT0 (use a
	// tiny positive value for an offset of almost 0).
	T0 float64
}

// Online is a Gaussian mixture fitted by online (stepwise) EM (Cappé &
// Moulines 2009; Liang & Klein 2009), one batch of rows at a time, as
// scikit-learn's partial_fit learners are: each PartialFit runs an E-step
// on its batch under the current parameters, moves the running sufficient
// statistics a step η_t towards the batch's (per unit of weight),
//
//	s_t = (1 − η_t) s_{t−1} + η_t s̄(batch_t),   η_t = (t + t0)^(−α),
//
// and sets the parameters by the family's M-step from s_t. The first batch
// (t = 1) has η_1 = 1 whatever t0: it replaces the initialisation. The
// statistics are the counts, means and scatters of each component (stats),
// so every covariance family's M-step applies unchanged. A seed and the
// same batches give the same bits, whatever the number of workers.
//
// An Online is not safe for concurrent use.
type Online struct {
	o      Options // resolved
	alpha  float64
	t0     float64
	seed   uint64
	m      *Model
	run    *runningStats
	t      int
	weight float64 // Σ of the batches' weights
	last   float64 // the last batch's mean log-likelihood
}

// NewOnline returns an Online fit with no batch seen yet, after checking
// the options (errors name the option).
func NewOnline(opts OnlineOptions) (*Online, error) {
	o, err := opts.Options.resolve()
	if err != nil {
		return nil, err
	}
	switch {
	case o.Weights != nil:
		return nil, optionErrorf("Weights", " must be nil for online EM; give each batch's weights to PartialFit")
	case o.Missing:
		return nil, optionErrorf("Missing", " is not supported by online EM; fit in memory (Fit) or streamed (FitSource)")
	case o.Known != nil:
		return nil, optionErrorf("Known", " is not supported by online EM; fit in memory (Fit)")
	case o.Fix != 0:
		return nil, optionErrorf("Fix", " is not supported by online EM")
	case o.Prior != nil:
		return nil, optionErrorf("Prior", " is not supported by online EM (its MAP M-step needs the number of rows)")
	case o.WarmStart != nil:
		return nil, optionErrorf("WarmStart", " is not supported by online EM; give its parameters as Options.Start")
	}
	a, t0 := opts.Alpha, opts.T0
	if a == 0 {
		a = DefaultAlpha
	}
	if t0 == 0 {
		t0 = DefaultT0
	}
	if !(a > 0.5 && a <= 1) {
		return nil, fmt.Errorf("mixture: OnlineOptions.Alpha %v is outside (0.5, 1]; online EM converges only for α in (0.5, 1] (0 means %g)", a, DefaultAlpha)
	}
	if !(t0 > 0) || math.IsInf(t0, 0) {
		return nil, fmt.Errorf("mixture: OnlineOptions.T0 %v must be a finite number > 0 (0 means %g)", t0, DefaultT0)
	}
	return &Online{o: o, alpha: a, t0: t0, seed: o.Seed}, nil
}

// Step returns the step size of batch t (1-based): 1 for t = 1, else
// (t + t0)^(−α).
func (f *Online) Step(t int) float64 {
	if t <= 1 {
		return 1
	}
	return math.Pow(float64(t)+f.t0, -f.alpha)
}

// Batches returns the number of batches fitted.
func (f *Online) Batches() int { return f.t }

// LastLogLik returns the mean log-likelihood per row of the last batch
// under the parameters before its step (NaN before the first batch): the
// online estimate of the fit's progress.
func (f *Online) LastLogLik() float64 {
	if f.t == 0 {
		return math.NaN()
	}
	return f.last
}

// Model returns a copy of the current model (nil before the first batch).
func (f *Online) Model() *Model {
	if f.m == nil {
		return nil
	}
	m := f.m.clone()
	m.prior = nil
	m.regCovar = f.o.regCovar
	m.seed = f.seed
	m.names = slices.Clone(f.o.FeatureNames)
	m.nIter = f.t
	m.converged = false
	m.logLik = math.NaN()
	m.lowerBound = math.NaN()
	return m
}

// PartialFit takes one step of online EM on the rows of x with weights w
// (nil means ones). The first call initialises the model on its batch with
// Options.Init (or Options.Start) before the step. The values are checked
// as by Fit; a bad batch, or a component that collapses, leaves the model
// as it was.
func (f *Online) PartialFit(ctx context.Context, x mat.Matrix, w []float64) error {
	r, err := checkData(x, w, "the batch")
	if err != nil {
		return err
	}
	if f.m != nil && r.d != f.m.d {
		return dataErrorf("the batch has %d columns, the model %d", r.d, f.m.d)
	}
	if f.o.FeatureNames != nil && len(f.o.FeatureNames) != r.d {
		return optionErrorf("FeatureNames", " has %d names for %d columns", len(f.o.FeatureNames), r.d)
	}
	eo := em.Options{Workers: f.o.Workers, BlockRows: f.o.BlockRows}
	m := f.m
	if m == nil {
		if err := checkCovarianceDim(f.o.Covariance, r.d); err != nil {
			return err
		}
		if r.n < f.o.K && !(f.o.Start != nil && f.o.Start.Weights != nil && f.o.Start.Means != nil) {
			return dataErrorf("the first batch has %d rows but K = %d; the initialisation needs at least K rows", r.n, f.o.K)
		}
		r.eo, r.src = eo, em.Matrix(x, w)
		rng := rand.New(rand.NewPCG(f.seed, emStartStream))
		if m, err = initModel(ctx, r, &f.o, rng); err != nil {
			return err
		}
		m.data = dataInfo{}
	} else {
		m = m.clone()
	}
	e := &emModel{m: m, regCovar: f.o.regCovar, iter: f.t}
	st, part, err := em.Pass(ctx, em.Matrix(x, w), e, true, eo)
	if err != nil {
		return fmt.Errorf("mixture: batch %d: %w", f.t+1, err)
	}
	if !(part.Weight > 0) {
		return dataErrorf("batch %d has a total weight of 0", f.t+1)
	}
	s := st.(*stats)
	run := f.run
	if run == nil {
		run = newRunningStats(s)
	} else {
		run = run.clone()
	}
	eta := f.Step(f.t + 1)
	run.step(s, part.Weight, m.means, eta)
	run.offsets(s, m.means)
	if _, err := e.MStep(s); err != nil {
		return err
	}
	f.m, f.run = m, run
	f.t++
	f.weight += part.Weight
	f.last = part.LogLik / part.Weight
	return nil
}

// runningStats are online EM's sufficient statistics per unit of weight,
// about the origin: the count share n_k, the mean μ_k and the scatter M2_k
// about μ_k (upper triangle or diagonal, as stats).
type runningStats struct {
	full bool
	k, d int
	n    []float64
	mu   []float64
	m2   []float64
}

func newRunningStats(s *stats) *runningStats {
	return &runningStats{full: s.full, k: s.k, d: s.d, n: make([]float64, s.k), mu: make([]float64, len(s.m)), m2: make([]float64, len(s.m2))}
}

func (r *runningStats) clone() *runningStats {
	c := *r
	c.n, c.mu, c.m2 = slices.Clone(r.n), slices.Clone(r.mu), slices.Clone(r.m2)
	return &c
}

// step moves r a step eta towards the batch statistics s (of total weight
// wt, about the shifts c): the weighted pairwise combination of Chan,
// Golub & LeVeque (1979) with weights 1 − η and η.
func (r *runningStats) step(s *stats, wt float64, c []float64, eta float64) {
	d := r.d
	per := d
	if r.full {
		per = d * d
	}
	for k := 0; k < r.k; k++ {
		na := (1 - eta) * r.n[k]
		nb := eta * s.n[k] / wt
		mu, m2 := r.mu[k*d:(k+1)*d], r.m2[k*per:(k+1)*per]
		bm, bm2 := s.m[k*d:(k+1)*d], s.m2[k*per:(k+1)*per]
		ck := c[k*d : (k+1)*d]
		n := na + nb
		if n <= 0 {
			r.n[k] = 0
			continue
		}
		f := na * nb / n
		g := eta / wt
		if r.full {
			for a := 0; a < d; a++ {
				da := ck[a] + bm[a] - mu[a]
				for b := a; b < d; b++ {
					db := ck[b] + bm[b] - mu[b]
					m2[a*d+b] = (1-eta)*m2[a*d+b] + g*bm2[a*d+b] + f*da*db
				}
			}
		} else {
			for j := 0; j < d; j++ {
				dj := ck[j] + bm[j] - mu[j]
				m2[j] = (1-eta)*m2[j] + g*bm2[j] + f*dj*dj
			}
		}
		for j := 0; j < d; j++ {
			mu[j] += (ck[j] + bm[j] - mu[j]) * (nb / n)
		}
		r.n[k] = n
	}
}

// offsets writes r into s in stats' form about the shifts c (the current
// means), for the M-step.
func (r *runningStats) offsets(s *stats, c []float64) {
	copy(s.n, r.n)
	copy(s.m2, r.m2)
	for i := range s.m {
		s.m[i] = r.mu[i] - c[i]
	}
	for k, n := range r.n {
		if n <= 0 {
			clear(s.m[k*r.d : (k+1)*r.d])
		}
	}
}

// OnlineReport describes FitOnline: the batches, passes and the final
// model's mean log-likelihood over the whole source.
type OnlineReport struct {
	K          int            `json:"k"`
	Dim        int            `json:"dim"`
	Rows       int            `json:"rows"`
	Covariance CovarianceType `json:"covariance_type"`
	Batch      int            `json:"batch"`
	Passes     int            `json:"passes"`
	Batches    int            `json:"batches"`
	Alpha      float64        `json:"alpha"`
	T0         float64        `json:"t0"`
	Seed       uint64         `json:"seed"`
	// PassLogLik is, per pass, the mean log-likelihood per row of the
	// batches under the parameters before each one's step (free to
	// compute: the E-steps give it).
	PassLogLik []float64 `json:"pass_log_likelihood"`
	// LogLikelihood is the final model's mean log-likelihood per row over
	// the source, from one more pass.
	LogLikelihood float64 `json:"log_likelihood"`
	NumParams     int     `json:"n_parameters"`
	BIC           float64 `json:"bic"`
	AIC           float64 `json:"aic"`
	Seconds       float64 `json:"seconds"`
}

// FitOnline fits a mixture by online EM over src: passes scans, each
// cut into batches of batch rows (the source's blocks, in order; the last
// may be shorter), one PartialFit per batch, then one log-likelihood pass
// of the final model over the source. With the same source, options and
// batch it gives the same bits on any number of workers.
func FitOnline(ctx context.Context, src em.Source, batch, passes int, opts OnlineOptions) (*Model, *OnlineReport, error) {
	if batch < 1 {
		return nil, nil, fmt.Errorf("mixture: FitOnline: batch %d; give at least 1 row per batch", batch)
	}
	if passes < 1 {
		return nil, nil, fmt.Errorf("mixture: FitOnline: passes %d; give at least 1", passes)
	}
	t0 := time.Now()
	f, err := NewOnline(opts)
	if err != nil {
		return nil, nil, err
	}
	rep := &OnlineReport{Batch: batch, Passes: passes, Alpha: f.alpha, T0: f.t0, Seed: f.seed}
	buf := mat.NewDense(batch, src.Dim(), nil)
	wbuf := make([]float64, batch)
	for p := 0; p < passes; p++ {
		it, err := src.Blocks(batch)
		if err != nil {
			return nil, nil, err
		}
		sum, wsum, rows := 0.0, 0.0, 0
		for {
			x, w, err := it.Next(buf, wbuf)
			if err == io.EOF {
				break
			}
			if err != nil {
				it.Close()
				return nil, nil, err
			}
			if err := f.PartialFit(ctx, x, w); err != nil {
				it.Close()
				return nil, nil, err
			}
			n, _ := x.Dims()
			rows += n
			bw := float64(n)
			if w != nil {
				bw = 0
				for _, v := range w {
					bw += v
				}
			}
			sum += f.last * bw
			wsum += bw
		}
		it.Close()
		if rows == 0 {
			return nil, nil, errors.New("mixture: FitOnline: the data have no rows")
		}
		rep.Rows = rows
		rep.PassLogLik = append(rep.PassLogLik, sum/wsum)
	}
	m := f.Model()
	eo := em.Options{Workers: f.o.Workers, BlockRows: f.o.BlockRows}
	_, part, err := em.Pass(ctx, src, &emModel{m: m, regCovar: f.o.regCovar}, false, eo)
	if err != nil {
		return nil, nil, fmt.Errorf("mixture: the final pass: %w", err)
	}
	m.logLik = part.LogLik / part.Weight
	rep.K, rep.Dim, rep.Covariance, rep.Batches = m.k, m.d, m.CovarianceType(), f.t
	rep.LogLikelihood = m.logLik
	rep.NumParams = m.NumParams()
	rep.BIC, rep.AIC = criteria(part.LogLik, rep.NumParams, part.Weight)
	rep.Seconds = time.Since(t0).Seconds()
	return m, rep, nil
}

// WriteText writes the report for people: the schedule, the passes' mean
// log-likelihoods and the final one.
func (r *OnlineReport) WriteText(w io.Writer) {
	fmt.Fprintf(w, "%d rows × %d columns\n", r.Rows, r.Dim)
	fmt.Fprintf(w, "%d components, %s covariances, online EM, seed %d: %d passes of %d batches of %d rows, step (t + %g)^-%g\n",
		r.K, r.Covariance, r.Seed, r.Passes, r.Batches/max(1, r.Passes), r.Batch, r.T0, r.Alpha)
	for i, ll := range r.PassLogLik {
		fmt.Fprintf(w, "  pass %d: mean log-likelihood of its batches %.6f per row\n", i+1, ll)
	}
	fmt.Fprintf(w, "log-likelihood %.6f per row of the final model, %d free parameters\n", r.LogLikelihood, r.NumParams)
	fmt.Fprintf(w, "BIC %.4f, AIC %.4f (scikit-learn's sign, lower is better)\n", r.BIC, r.AIC)
}
