package em

import (
	"context"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/logmath"
	"github.com/latentgo/latent/internal/testutil"
)

// gm1 is a small 1-D Gaussian mixture written for these tests: the driver
// is exercised without the mixture package. Its statistics per component
// are (n, mean, M2) merged by Chan, Golub & LeVeque's update.
type gm1 struct {
	w, mu, v []float64
	reg      float64
	failAt   int // E-step on a block whose first value equals failAt returns an error
	panicAt  int
}

type gm1Stats struct{ n, m, m2 []float64 }

func (s *gm1Stats) Merge(o Stats) {
	b := o.(*gm1Stats)
	for k := range s.n {
		n := s.n[k] + b.n[k]
		if n == 0 {
			continue
		}
		d := b.m[k] - s.m[k]
		s.m[k] += d * b.n[k] / n
		s.m2[k] += b.m2[k] + d*d*s.n[k]*b.n[k]/n
		s.n[k] = n
	}
}

func (g *gm1) NewStats() Stats {
	k := len(g.w)
	return &gm1Stats{make([]float64, k), make([]float64, k), make([]float64, k)}
}

type gm1Worker struct {
	g  *gm1
	lp []float64
}

func (g *gm1) NewWorker() Worker { return &gm1Worker{g: g, lp: make([]float64, len(g.w))} }

func (wk *gm1Worker) EStep(dst Stats, first int, x *mat.Dense, w []float64) (Partial, error) {
	g := wk.g
	r, _ := x.Dims()
	if g.failAt != 0 && x.At(0, 0) == float64(g.failAt) {
		return Partial{}, errors.New("gm1: bad block")
	}
	if g.panicAt != 0 && x.At(0, 0) == float64(g.panicAt) {
		panic("gm1: boom")
	}
	var s *gm1Stats
	if dst != nil {
		s = dst.(*gm1Stats)
		for k := range s.n {
			s.n[k], s.m[k], s.m2[k] = 0, 0, 0
		}
	}
	var p Partial
	for i := 0; i < r; i++ {
		xi := x.At(i, 0)
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		for k := range g.w {
			d := xi - g.mu[k]
			wk.lp[k] = math.Log(g.w[k]) - 0.5*math.Log(2*math.Pi*g.v[k]) - 0.5*d*d/g.v[k]
		}
		ll := logmath.LogSumExp(wk.lp)
		p.LogLik += wi * ll
		p.Weight += wi
		for k := range g.w {
			q := math.Exp(wk.lp[k] - ll)
			if q > 0 {
				p.Entropy -= wi * q * (wk.lp[k] - ll)
			}
			if s != nil {
				// Welford's update with weight wi·q.
				a := wi * q
				if a == 0 {
					continue
				}
				s.n[k] += a
				d := xi - s.m[k]
				s.m[k] += d * a / s.n[k]
				s.m2[k] += a * d * (xi - s.m[k])
			}
		}
	}
	return p, nil
}

func (g *gm1) MStep(st Stats) (float64, error) {
	s := st.(*gm1Stats)
	tot := 0.0
	for k := range s.n {
		tot += s.n[k]
	}
	q := 0.0
	for k := range s.n {
		if s.n[k] == 0 {
			return 0, errors.New("gm1: empty component")
		}
		g.w[k] = s.n[k] / tot
		g.mu[k] = s.m[k]
		g.v[k] = s.m2[k]/s.n[k] + g.reg
		q += s.n[k]*(math.Log(g.w[k])-0.5*math.Log(2*math.Pi*g.v[k])) - 0.5*s.m2[k]/g.v[k]
	}
	return q, nil
}

// twoBumps draws n points from 0.3·N(−2, 1) + 0.7·N(3, 0.5²).
func twoBumps(n int, seed uint64) *mat.Dense {
	rng := rand.New(rand.NewPCG(seed, 1))
	x := mat.NewDense(n, 1, nil)
	for i := 0; i < n; i++ {
		if rng.Float64() < 0.3 {
			x.Set(i, 0, -2+rng.NormFloat64())
		} else {
			x.Set(i, 0, 3+0.5*rng.NormFloat64())
		}
	}
	return x
}

func startFrom(mu ...float64) StartFunc {
	return func(init int, rng *rand.Rand) (Model, error) {
		k := len(mu)
		g := &gm1{w: make([]float64, k), mu: append([]float64(nil), mu...), v: make([]float64, k)}
		for i := range g.w {
			g.w[i], g.v[i] = 1/float64(k), 1
		}
		return g, nil
	}
}

func TestRunRecoversTwoBumps(t *testing.T) {
	x := twoBumps(5000, 1)
	m, rep, err := Run(context.Background(), Matrix(x, nil), startFrom(-1, 1), Options{BlockRows: 512})
	if err != nil {
		t.Fatal(err)
	}
	g := m.(*gm1)
	if !rep.Converged || rep.Status != StatusConverged {
		t.Errorf("status %s after %d iterations, want converged", rep.Status, rep.Iterations)
	}
	// The true parameters of twoBumps; 5000 draws give standard errors
	// near 0.01–0.03, so 0.1 is a loose but failing-when-wrong bound.
	testutil.AssertClose(t, "weight 0", g.w[0], 0.3, 0.03, 0)
	testutil.AssertClose(t, "mean 0", g.mu[0], -2, 0.1, 0)
	testutil.AssertClose(t, "mean 1", g.mu[1], 3, 0.05, 0)
	testutil.AssertClose(t, "var 1", g.v[1], 0.25, 0.03, 0)
	if rep.Weight != 5000 {
		t.Errorf("weight %v, want 5000", rep.Weight)
	}
}

// The decomposition log p(x|θ) = ELBO(q, θ) + KL(q ‖ p(z|x,θ)): the gap
// the report shows equals the KL divergence computed row by row, it is never
// negative, and the log-likelihood never falls (catalog M-19).
func TestELBOKLDecomposition(t *testing.T) {
	x := twoBumps(800, 2)
	var snaps []*gm1
	start := startFrom(-0.5, 0.5)
	m, rep, err := Run(context.Background(), Matrix(x, nil), func(i int, rng *rand.Rand) (Model, error) {
		return start(i, rng)
	}, Options{Tol: NoTol, MaxIter: 15, BlockRows: 100, Progress: func(p Progress) {}})
	if err != nil {
		t.Fatal(err)
	}
	_ = m
	// Replay the iterations to get q_{n−1} and θ_n and compute the KL directly.
	g := &gm1{w: []float64{0.5, 0.5}, mu: []float64{-0.5, 0.5}, v: []float64{1, 1}}
	tr := rep.Starts[0].Trace
	if len(tr) != 15 {
		t.Fatalf("trace of %d iterations, want 15", len(tr))
	}
	for n, it := range tr {
		old := &gm1{w: append([]float64(nil), g.w...), mu: append([]float64(nil), g.mu...), v: append([]float64(nil), g.v...)}
		snaps = append(snaps, old)
		st := g.NewStats()
		if _, err := g.NewWorker().EStep(st, 0, x, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := g.MStep(st); err != nil {
			t.Fatal(err)
		}
		// KL(q_old ‖ p(z|x, θ_new)) summed over rows, divided by N.
		kl := 0.0
		lpOld, lpNew := make([]float64, 2), make([]float64, 2)
		for i := 0; i < 800; i++ {
			xi := x.At(i, 0)
			for k := 0; k < 2; k++ {
				d := xi - old.mu[k]
				lpOld[k] = math.Log(old.w[k]) - 0.5*math.Log(2*math.Pi*old.v[k]) - 0.5*d*d/old.v[k]
				d = xi - g.mu[k]
				lpNew[k] = math.Log(g.w[k]) - 0.5*math.Log(2*math.Pi*g.v[k]) - 0.5*d*d/g.v[k]
			}
			lo, ln := logmath.LogSumExp(lpOld), logmath.LogSumExp(lpNew)
			for k := 0; k < 2; k++ {
				q := math.Exp(lpOld[k] - lo)
				kl += q * ((lpOld[k] - lo) - (lpNew[k] - ln))
			}
		}
		kl /= 800
		// Both sides are differences of sums of 800 terms of size ~2;
		// 1e-12 absolute is rounding.
		testutil.AssertClose(t, "KL of iteration "+itoa(n+1), it.KL, kl, 1e-12, 1e-9)
		if it.KL < -RoundOff(it.Next) {
			t.Errorf("iteration %d: KL gap %g < 0", n+1, it.KL)
		}
		if it.ELBO-it.LogLik < -RoundOff(it.LogLik) {
			t.Errorf("iteration %d: the M-step lowered the ELBO: %g → %g", n+1, it.LogLik, it.ELBO)
		}
		if n > 0 && it.LogLik < tr[n-1].LogLik-RoundOff(it.LogLik) {
			t.Errorf("iteration %d: log-likelihood fell from %.17g to %.17g (catalog M-19)", n+1, tr[n-1].LogLik, it.LogLik)
		}
		if n > 0 && it.LogLik != tr[n-1].Next {
			t.Errorf("iteration %d: LogLik %v differs from the previous Next %v", n+1, it.LogLik, tr[n-1].Next)
		}
	}
	if rep.Decreases != 0 {
		t.Errorf("%d decreases flagged", rep.Decreases)
	}
	if tr[14].Next != rep.LogLikelihood || rep.LowerBound != tr[14].LogLik {
		t.Errorf("final log-likelihood %v / lower bound %v do not match the trace", rep.LogLikelihood, rep.LowerBound)
	}
}

func itoa(i int) string { return string(rune('0'+i/10)) + string(rune('0'+i%10)) }

// The same seed gives the same bits whatever the number of workers
// (DESIGN: partial statistics are merged in a fixed order).
func TestSameBitsAnyWorkers(t *testing.T) {
	x := twoBumps(10007, 3)
	var ref *gm1
	var refRep *Report
	for _, workers := range []int{1, 2, 3, 8} {
		m, rep, err := Run(context.Background(), Matrix(x, nil), startFrom(-1, 0, 1), Options{Workers: workers, BlockRows: 257, Tol: NoTol, MaxIter: 30})
		if err != nil {
			t.Fatal(err)
		}
		g := m.(*gm1)
		if ref == nil {
			ref, refRep = g, rep
			continue
		}
		for k := range g.w {
			if g.w[k] != ref.w[k] || g.mu[k] != ref.mu[k] || g.v[k] != ref.v[k] {
				t.Fatalf("workers %d: component %d differs: (%v %v %v) vs (%v %v %v)", workers, k, g.w[k], g.mu[k], g.v[k], ref.w[k], ref.mu[k], ref.v[k])
			}
		}
		if rep.LogLikelihood != refRep.LogLikelihood {
			t.Errorf("workers %d: log-likelihood %v vs %v", workers, rep.LogLikelihood, refRep.LogLikelihood)
		}
	}
}

// streamSource copies rows into the caller's buffers, as a file reader
// does; it must give the same bits as the in-memory source.
type streamSource struct{ x *mat.Dense }

func (s streamSource) Dim() int { return 1 }
func (s streamSource) Blocks(rows int) (BlockIter, error) {
	return &streamIter{x: s.x, step: rows}, nil
}

type streamIter struct {
	x          *mat.Dense
	next, step int
}

func (it *streamIter) Next(buf *mat.Dense, wbuf []float64) (*mat.Dense, []float64, error) {
	n, _ := it.x.Dims()
	if it.next >= n {
		return nil, nil, io.EOF
	}
	hi := min(it.next+it.step, n)
	for i := it.next; i < hi; i++ {
		buf.Set(i-it.next, 0, it.x.At(i, 0))
	}
	r := hi - it.next
	it.next = hi
	return buf.Slice(0, r, 0, 1).(*mat.Dense), nil, nil
}
func (it *streamIter) Close() error { return nil }

func TestStreamSameBitsAsMatrix(t *testing.T) {
	x := twoBumps(3001, 4)
	o := Options{BlockRows: 100, Tol: NoTol, MaxIter: 10, Workers: 2}
	a, _, err := Run(context.Background(), Matrix(x, nil), startFrom(-1, 1), o)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := Run(context.Background(), streamSource{x}, startFrom(-1, 1), o)
	if err != nil {
		t.Fatal(err)
	}
	ga, gb := a.(*gm1), b.(*gm1)
	for k := range ga.mu {
		if ga.mu[k] != gb.mu[k] || ga.v[k] != gb.v[k] {
			t.Errorf("component %d: stream (%v, %v) vs matrix (%v, %v)", k, gb.mu[k], gb.v[k], ga.mu[k], ga.v[k])
		}
	}
}

// Merging blocks by Chan's update agrees with one pass over all rows.
func TestBlockMergeMatchesOneBlock(t *testing.T) {
	x := twoBumps(2000, 5)
	g := &gm1{w: []float64{0.4, 0.6}, mu: []float64{-1, 2}, v: []float64{1, 1}}
	one, p1, err := Pass(context.Background(), Matrix(x, nil), g, true, Options{BlockRows: 2000})
	if err != nil {
		t.Fatal(err)
	}
	many, p2, err := Pass(context.Background(), Matrix(x, nil), g, true, Options{BlockRows: 7})
	if err != nil {
		t.Fatal(err)
	}
	a, b := one.(*gm1Stats), many.(*gm1Stats)
	for k := range a.n {
		testutil.AssertClose(t, "n", b.n[k], a.n[k], 0, 1e-13)
		testutil.AssertClose(t, "mean", b.m[k], a.m[k], 1e-13, 1e-13)
		testutil.AssertClose(t, "M2", b.m2[k], a.m2[k], 0, 1e-12)
	}
	testutil.AssertClose(t, "log-likelihood", p2.LogLik, p1.LogLik, 0, 1e-13)
	if p2.Weight != 2000 {
		t.Errorf("weight %v", p2.Weight)
	}
}

// Restarts share one random stream, so they start from different points,
// and the best final log-likelihood is kept (catalog M-23, M-24).
func TestRestartsDifferAndBestIsKept(t *testing.T) {
	x := twoBumps(1000, 6)
	var starts [][]float64
	start := func(i int, rng *rand.Rand) (Model, error) {
		mu := []float64{rng.NormFloat64() * 3, rng.NormFloat64() * 3}
		starts = append(starts, mu)
		return startFrom(mu...)(i, rng)
	}
	_, rep, err := Run(context.Background(), Matrix(x, nil), start, Options{NInit: 5, Seed: 7, MaxIter: 2})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(starts); i++ {
		if starts[i][0] == starts[0][0] {
			t.Errorf("start %d begins where start 0 does (catalog M-24)", i)
		}
	}
	if len(rep.Starts) != 5 {
		t.Fatalf("%d start reports", len(rep.Starts))
	}
	for _, s := range rep.Starts {
		if s.LogLikelihood > rep.LogLikelihood {
			t.Errorf("start %d has log-likelihood %v above the kept %v (catalog M-23)", s.Init, s.LogLikelihood, rep.LogLikelihood)
		}
	}
	if rep.Starts[rep.Best].LogLikelihood != rep.LogLikelihood {
		t.Errorf("best start %d does not match the report", rep.Best)
	}
}

func TestNoIterationsReturnsStart(t *testing.T) {
	x := twoBumps(100, 7)
	m, rep, err := Run(context.Background(), Matrix(x, nil), startFrom(-1, 1), Options{MaxIter: NoIterations})
	if err != nil {
		t.Fatal(err)
	}
	g := m.(*gm1)
	if g.mu[0] != -1 || g.mu[1] != 1 || rep.Iterations != 0 || rep.Status != StatusNoIterations {
		t.Errorf("got means %v, %d iterations, status %s", g.mu, rep.Iterations, rep.Status)
	}
	if rep.LowerBound != rep.LogLikelihood {
		t.Errorf("lower bound %v, log-likelihood %v", rep.LowerBound, rep.LogLikelihood)
	}
}

func TestOptionsErrors(t *testing.T) {
	for _, c := range []struct {
		o    Options
		want string
	}{
		{Options{MaxIter: -2}, "MaxIter -2"},
		{Options{Tol: -0.5}, "Tol -0.5"},
		{Options{Tol: math.NaN()}, "Tol NaN"},
		{Options{NInit: -1}, "NInit -1"},
		{Options{BlockRows: -1}, "BlockRows"},
		{Options{Workers: -1}, "Workers"},
	} {
		_, _, err := Run(context.Background(), Matrix(twoBumps(10, 1), nil), startFrom(0), c.o)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: got %v, want an error naming %q", c.o, err, c.want)
		}
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	_, _, err := Run(ctx, Matrix(twoBumps(1000, 8), nil), startFrom(-1, 1), Options{Tol: NoTol, MaxIter: 50, Progress: func(p Progress) {
		calls++
		if p.Iter == 3 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if calls != 3 {
		t.Errorf("progress called %d times, want 3", calls)
	}
}

func TestEStepErrorAndPanic(t *testing.T) {
	x := mat.NewDense(20, 1, nil)
	for i := 0; i < 20; i++ {
		x.Set(i, 0, float64(i))
	}
	start := func(fail, pan int) StartFunc {
		return func(int, *rand.Rand) (Model, error) {
			return &gm1{w: []float64{1}, mu: []float64{0}, v: []float64{1}, failAt: fail, panicAt: pan}, nil
		}
	}
	_, _, err := Run(context.Background(), Matrix(x, nil), start(10, 0), Options{BlockRows: 5})
	if err == nil || !strings.Contains(err.Error(), "bad block") {
		t.Errorf("got %v, want the E-step's error", err)
	}
	_, _, err = Run(context.Background(), Matrix(x, nil), start(0, 15), Options{BlockRows: 5, Workers: 2})
	if err == nil || !strings.Contains(err.Error(), "panic in the E-step: gm1: boom") {
		t.Errorf("got %v, want the E-step's panic as an error", err)
	}
}

// A warm start continues the convergence test from the earlier fit.
func TestWarmStartPrevious(t *testing.T) {
	x := twoBumps(500, 9)
	m, rep, err := Run(context.Background(), Matrix(x, nil), startFrom(-1, 1), Options{MaxIter: 200, Tol: 1e-9})
	if err != nil {
		t.Fatal(err)
	}
	prev := rep.LowerBound
	_, rep2, err := Run(context.Background(), Matrix(x, nil), func(int, *rand.Rand) (Model, error) { return m, nil }, Options{Previous: &prev, Tol: 1e-6})
	if err != nil {
		t.Fatal(err)
	}
	if !rep2.Converged || rep2.Iterations != 1 {
		t.Errorf("warm start from a converged fit: %d iterations, converged %v; want 1, true", rep2.Iterations, rep2.Converged)
	}
}

func TestIterationJSONOmitsInfiniteChange(t *testing.T) {
	b, err := Iteration{Iter: 1, Change: math.Inf(1)}.MarshalJSON()
	if err != nil || strings.Contains(string(b), "change") {
		t.Errorf("got %s, %v", b, err)
	}
	b, err = Iteration{Iter: 2, Change: -0.25}.MarshalJSON()
	if err != nil || !strings.Contains(string(b), `"change":-0.25`) {
		t.Errorf("got %s, %v", b, err)
	}
}

// A worker's RowError names the row of the whole pass: first is the
// block's offset.
func TestRowErrorNamesTheRow(t *testing.T) {
	x := mat.NewDense(25, 1, nil)
	for i := 0; i < 25; i++ {
		x.Set(i, 0, float64(i))
	}
	_, _, err := Pass(context.Background(), Matrix(x, nil), rowErrModel{17}, false, Options{BlockRows: 4, Workers: 3})
	var re *RowError
	if !errors.As(err, &re) || re.Row != 17 || !strings.Contains(err.Error(), "data row 18: bad value") {
		t.Errorf("got %v, want a RowError for row 17", err)
	}
}

type rowErrModel struct{ bad int }

func (m rowErrModel) NewStats() Stats              { return nil }
func (m rowErrModel) NewWorker() Worker            { return m }
func (m rowErrModel) MStep(Stats) (float64, error) { return 0, nil }
func (m rowErrModel) EStep(_ Stats, first int, x *mat.Dense, _ []float64) (Partial, error) {
	r, _ := x.Dims()
	for i := 0; i < r; i++ {
		if int(x.At(i, 0)) != first+i {
			return Partial{}, errors.New("first is not the block's offset")
		}
		if first+i == m.bad {
			return Partial{}, &RowError{Row: first + i, Err: errors.New("bad value")}
		}
	}
	return Partial{Weight: float64(r)}, nil
}
