package vae

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/autodiff"
	"github.com/latentgo/latent/internal/logmath"
	"github.com/latentgo/latent/internal/memlimit"
)

// IWAEOptions configure LogLikelihood. The zero value uses k = 5000
// samples per row, seed 0 and every core.
type IWAEOptions struct {
	// K is the number of importance samples per row; 0 means 5000, the
	// figure of Burda et al. (2016, §5.1) for their test log-likelihoods.
	K int
	// Seed seeds the samples: row i draws from its own stream of (Seed,
	// i), so the estimates do not depend on the number of workers.
	Seed uint64
	// Workers is the number of rows estimated at once; 0 means GOMAXPROCS.
	Workers int
	// Labels are the classes of the rows, one per row, for a conditional
	// model (required there); ignored by an unconditional one.
	Labels []string
	// Progress, when not nil, is called after each row with the rows done
	// and their number (Progress.Done, Total); it may be called from
	// several goroutines, one at a time.
	Progress func(Progress)
}

// IWAE summarises importance-weighted log-likelihood estimates.
type IWAE struct {
	Rows int `json:"rows"`
	K    int `json:"k"`
	// LogLik is the mean of the estimates of log p(x), nats per row.
	LogLik float64 `json:"log_lik"`
	// StdErr is the standard error of that mean over rows (sample standard
	// deviation / √rows).
	StdErr float64 `json:"std_err"`
}

// sampleChunk is how many importance samples are decoded at once.
const sampleChunk = 500

// LogLikelihood returns, for each row of x, the importance-weighted
// estimate of log p(x) with k samples from the encoder's q(z | x)
// (Burda, Grosse & Salakhutdinov 2016, eq. 8, computed by log-sum-exp):
//
//	log p(x) ≈ log (1/k) Σ_{i=1..k} p(x | z_i) p(z_i) / q(z_i | x),   z_i ~ q(z | x).
//
// Its expectation is a lower bound on log p(x) that tightens as k grows
// and equals the ELBO's at k = 1. The context cancels the work between
// rows. A plain autoencoder has no q(z | x): the error wraps
// ErrAutoencoder.
func (m *Model) LogLikelihood(ctx context.Context, x mat.Matrix, opts IWAEOptions) ([]float64, error) {
	if m.cfg.Autoencoder {
		return nil, fmt.Errorf("%w: the importance-weighted log-likelihood needs the encoder's q(z | x) and the prior", ErrAutoencoder)
	}
	if err := checkData(x, m.cfg.Inputs, m.cfg.Likelihood, m.columns, "data"); err != nil {
		return nil, err
	}
	k := opts.K
	if k == 0 {
		k = 5000
	}
	if k < 1 {
		return nil, optionError("IWAEOptions.K", k, "give at least 1 sample")
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	n, _ := x.Dims()
	// The memory guard: each worker's K log-weights and a chunk of decoded
	// samples on its tape.
	_, w := counts(m.dec.Sizes())
	need := float64(min(workers, max(n, 1))) * (float64(k) + 2*float64(min(k, sampleChunk))*w)
	if err := memlimit.Check(fmt.Sprintf("the IWAE estimate with %d samples per row", k), memlimit.Floats(need), "IWAEOptions.K"); err != nil {
		return nil, fmt.Errorf("vae: %w", err)
	}
	cls, err := m.classIndex(opts.Labels, n, "the scored rows")
	if err != nil {
		return nil, err
	}
	mu, lv, err := m.encode(x, cls)
	if err != nil {
		return nil, err
	}
	xn := m.toNet(x)
	var muU, lvU *mat.Dense
	if m.Vamp() {
		muU, lvU = m.priorConsts()
	}
	out := make([]float64, n)
	rows := make(chan int)
	var wg sync.WaitGroup
	var mu2 sync.Mutex
	done := 0
	for w := 0; w < min(workers, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := newIWAEScratch(m, k, muU, lvU)
			for i := range rows {
				out[i] = s.row(m, xn.RawRowView(i), mu.RawRowView(i), lv.RawRowView(i), cls, opts.Seed, i)
				if opts.Progress != nil {
					mu2.Lock()
					done++
					opts.Progress(Progress{Done: done, Total: n})
					mu2.Unlock()
				}
			}
		}()
	}
	var cerr error
	for i := 0; i < n; i++ {
		if cerr = ctx.Err(); cerr != nil {
			break
		}
		rows <- i
	}
	close(rows)
	wg.Wait()
	if cerr != nil {
		return nil, cerr
	}
	return out, nil
}

// iwaeScratch is one worker's tape and buffers.
type iwaeScratch struct {
	tape *autodiff.Tape
	logw []float64
	// muU, lvU are the VampPrior's components (nil for N(0, I)).
	muU, lvU *mat.Dense
}

func newIWAEScratch(m *Model, k int, muU, lvU *mat.Dense) *iwaeScratch {
	return &iwaeScratch{tape: autodiff.NewForwardTape(), logw: make([]float64, k), muU: muU, lvU: lvU}
}

// row returns the estimate for one row x (network units) with posterior
// parameters mu, lv, drawing from the stream of (seed, i); cls holds the
// rows' classes for a conditional model (nil otherwise).
func (s *iwaeScratch) row(m *Model, x, mu, lv []float64, cls []int, seed uint64, i int) float64 {
	L, d := m.cfg.Latent, m.cfg.Inputs
	rng := rand.New(rand.NewPCG(seed, streamIWAE<<40|uint64(i)))
	k := len(s.logw)
	// log p(z) − log q(z | x) = Σ_j ½(ε_j² − z_j² + log σ_j²): the log 2π
	// terms of the two normals cancel.
	sd := make([]float64, L)
	halfLogVar := 0.0
	for j, v := range lv {
		sd[j] = math.Exp(0.5 * v)
		halfLogVar += 0.5 * v
	}
	for c0 := 0; c0 < k; c0 += sampleChunk {
		c := min(sampleChunk, k-c0)
		t := s.tape
		t.Reset()
		z := t.NewConst(c, L)
		for r := 0; r < c; r++ {
			lw := halfLogVar
			for j := 0; j < L; j++ {
				e := rng.NormFloat64()
				zj := mu[j] + sd[j]*e
				z.Value[r*L+j] = zj
				if s.muU == nil {
					lw += 0.5 * (e*e - zj*zj)
				} else {
					lw += 0.5 * (e*e + log2Pi) // − log q; log p(z) below
				}
			}
			s.logw[c0+r] = lw
		}
		if s.muU != nil {
			for r, lp := range logPriorRows(t, z.Value, c, s.muU, s.lvU) {
				s.logw[c0+r] += lp
			}
		}
		out := m.decNet(t, given(t, z, m.oneHot(t, cls, i, i+1, c)))
		for r := 0; r < c; r++ {
			s.logw[c0+r] += m.logLik(out.Value[r*d:(r+1)*d], x)
		}
	}
	return logmath.LogSumExp(s.logw) - math.Log(float64(k)) - m.logJacobian()
}

// Summarise returns the mean and standard error of estimates from
// LogLikelihood taken with k samples.
func Summarise(logLik []float64, k int) IWAE {
	r := IWAE{Rows: len(logLik), K: k}
	if len(logLik) == 0 {
		return r
	}
	s := 0.0
	for _, v := range logLik {
		s += v
	}
	r.LogLik = s / float64(len(logLik))
	if len(logLik) > 1 {
		ss := 0.0
		for _, v := range logLik {
			ss += (v - r.LogLik) * (v - r.LogLik)
		}
		r.StdErr = math.Sqrt(ss/float64(len(logLik)-1)) / math.Sqrt(float64(len(logLik)))
	}
	return r
}
