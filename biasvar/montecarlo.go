package biasvar

import (
	"context"
	"fmt"
	"math"
	"time"

	"gonum.org/v1/gonum/mat"
)

// setup is what every round of a Monte Carlo run shares (read-only).
type setup struct {
	p      *Problem
	seed   uint64
	d, n   int
	trainX *mat.Dense // Fixed design
	test   *mat.Dense
	m      int
	f      []float64   // regression: f at the test points
	noise  []float64   // regression: Var(ε|x) at the test points
	post   [][]float64 // classification: P(k|x) at the test points
}

func prepare(p *Problem, seed uint64) (*setup, error) {
	s := &setup{p: p, seed: seed, d: p.dim(), n: p.NTrain, test: p.Test}
	st := newStream()
	if s.test == nil && !p.InSample {
		rng := st.at(seed, streamTest)
		s.test = mat.NewDense(p.NTest, s.d, nil)
		for i := 0; i < p.NTest; i++ {
			p.SampleX(rng, s.test.RawRowView(i))
		}
	}
	if p.Design == Fixed {
		s.trainX = p.TrainX
		if s.trainX == nil {
			rng := st.at(seed, streamDesign)
			s.trainX = mat.NewDense(s.n, s.d, nil)
			for i := 0; i < s.n; i++ {
				p.SampleX(rng, s.trainX.RawRowView(i))
			}
		}
		if p.InSample {
			s.test = s.trainX
		}
	}
	s.m, _ = s.test.Dims()
	if p.regression() {
		s.f = make([]float64, s.m)
		s.noise = make([]float64, s.m)
		for i := range s.f {
			x := s.test.RawRowView(i)
			s.f[i] = p.F(x)
			if p.Noise != nil {
				s.noise[i] = p.Noise.Variance(x)
			}
			if math.IsNaN(s.f[i]) || math.IsInf(s.f[i], 0) {
				return nil, fmt.Errorf("biasvar: problem %q: f = %v at test point %d: %w", p.Name, s.f[i], i, ErrProblem)
			}
			if !(s.noise[i] >= 0) || math.IsInf(s.noise[i], 0) {
				return nil, fmt.Errorf("biasvar: problem %q: noise variance %v at test point %d: %w", p.Name, s.noise[i], i, ErrProblem)
			}
		}
		return s, nil
	}
	s.post = make([][]float64, s.m)
	for i := range s.post {
		s.post[i] = make([]float64, p.Classes)
		p.Posterior(s.post[i], s.test.RawRowView(i))
		if err := checkPosterior(s.post[i]); err != nil {
			return nil, fmt.Errorf("biasvar: problem %q: posterior at test point %d: %v: %w", p.Name, i, err, ErrProblem)
		}
	}
	return s, nil
}

func checkPosterior(q []float64) error {
	var sum float64
	for k, v := range q {
		if !(v >= 0 && v <= 1) {
			return fmt.Errorf("P(class %d) = %v is not a probability", k, v)
		}
		sum += v
	}
	if math.Abs(sum-1) > 1e-9 {
		return fmt.Errorf("probabilities sum to %v, not 1", sum)
	}
	return nil
}

// mcWorker draws training sets for one goroutine.
type mcWorker struct {
	s          *setup
	data, lrn  *stream
	x          *mat.Dense
	y, postBuf []float64
}

func (s *setup) newWorker() *mcWorker {
	return &mcWorker{s: s, data: newStream(), lrn: newStream(),
		x: mat.NewDense(s.n, s.d, nil), y: make([]float64, s.n), postBuf: make([]float64, max(s.p.Classes, 1))}
}

// draw fills w.x and w.y with round r's training set.
func (w *mcWorker) draw(r int) error {
	s, p := w.s, w.s.p
	rng := w.data.at(s.seed, roundStream(r, streamData))
	if s.trainX != nil {
		w.x.Copy(s.trainX) // a fresh copy: a learner that writes into x harms only this round
	} else {
		for i := 0; i < s.n; i++ {
			p.SampleX(rng, w.x.RawRowView(i))
		}
	}
	for i := 0; i < s.n; i++ {
		x := w.x.RawRowView(i)
		if p.regression() {
			w.y[i] = p.F(x)
			if p.Noise != nil {
				w.y[i] += p.Noise.Sample(rng, x)
			}
			if math.IsNaN(w.y[i]) || math.IsInf(w.y[i], 0) {
				return fmt.Errorf("training response %d is %v", i, w.y[i])
			}
			continue
		}
		p.Posterior(w.postBuf, x)
		w.y[i] = float64(sampleClass(rng.Float64(), w.postBuf))
	}
	return nil
}

// sampleClass returns the class whose cumulative-probability interval
// contains u ∈ [0,1).
func sampleClass(u float64, q []float64) int {
	var c float64
	for k, v := range q {
		c += v
		if u < c {
			return k
		}
	}
	return len(q) - 1
}

func resolveLoss(p *Problem, l Loss) (Loss, error) {
	if l == "" {
		if p.regression() {
			return Squared, nil
		}
		return ZeroOne, nil
	}
	switch l {
	case Squared:
		if !p.regression() {
			return "", optionErrorf("Options.Loss", "", "squared loss needs a regression problem; %q is a classification problem (use %q or %q)", p.Name, ZeroOne, LogLoss)
		}
	case ZeroOne, LogLoss:
		if p.regression() {
			return "", optionErrorf("Options.Loss", "", "%s loss needs a classification problem; %q is a regression problem (use %q)", l, p.Name, Squared)
		}
	default:
		return "", optionErrorf("Options.Loss", fmt.Sprintf("%q", l), "unknown loss; use %q, %q or %q", Squared, ZeroOne, LogLoss)
	}
	return l, nil
}

// Decompose estimates the bias–variance–noise decomposition of learner l on
// problem p by Monte Carlo: R rounds, each fitting l to a fresh training
// set drawn from p (x's redrawn or fixed per p.Design) and predicting at
// the test points. See the package documentation for the estimators and
// their standard errors. Rounds run in parallel; the result depends only
// on p, l and opts (not on Workers or GOMAXPROCS).
//
// A round whose fit fails (or predicts NaN or ±Inf) is counted and listed
// in Report.Rounds; the error ErrAllRoundsFailed is returned when none
// succeeds. Invalid problems and options are errors. ctx cancels the run.
func Decompose(ctx context.Context, p *Problem, l Learner, opts Options) (*Report, error) {
	start := time.Now()
	if p == nil || l == nil {
		panic("biasvar: Decompose with a nil problem or learner")
	}
	l = withRunContext(ctx, l)
	if err := p.validate(); err != nil {
		return nil, err
	}
	loss, err := resolveLoss(p, opts.Loss)
	if err != nil {
		return nil, err
	}
	R, err := opts.rounds()
	if err != nil {
		return nil, err
	}
	if opts.Resamples != nil {
		return nil, optionErrorf("Options.Resamples", "", "for bootstrap mode only")
	}
	if opts.Stream && (loss == LogLoss || opts.KeepPredictions) {
		return nil, optionErrorf("Options.Stream", "", "streams the squared and zero-one losses, without KeepPredictions")
	}
	perPoint := map[Loss]float64{Squared: 2 + b2f(opts.KeepPredictions), ZeroOne: 1, LogLoss: float64(max(p.Classes, 1))}[loss]
	if opts.Stream {
		perPoint = 0
	}
	if err := checkMemory(l, R, p.testPoints(), perPoint, opts.workers(R), p.NTrain, p.dim(), p.Classes,
		"Options.Rounds", "Problem.NTest", "Problem.NTrain"); err != nil {
		return nil, err
	}
	s, err := prepare(p, opts.Seed)
	if err != nil {
		return nil, err
	}
	m, K := s.m, max(p.Classes, 1)
	var store []float64 // predictions: R×m (squared), R×m (zero-one classes), R×m×K (log)
	var errStore, targetStore []float64
	switch {
	case opts.Stream:
	case loss == Squared:
		store = make([]float64, R*m)
		errStore = make([]float64, R*m)
		if opts.KeepPredictions {
			targetStore = make([]float64, R*m)
		}
	case loss == ZeroOne:
		store = make([]float64, R*m)
	case loss == LogLoss:
		store = make([]float64, R*m*K)
	}
	streamed := &Report{}
	var zo zoCounts
	var errs []error
	switch {
	case opts.Stream && loss == ZeroOne:
		errs, err = streamZeroOne(ctx, s, l, R, opts, &zo)
	case opts.Stream:
		errs, err = streamSquared(ctx, s, l, R, opts, streamed)
	default:
		errs, err = s.rounds(ctx, l, R, loss, opts, store, errStore, targetStore)
	}
	if err != nil {
		return nil, err
	}
	rounds, ok := collect(errs)
	if len(ok) == 0 {
		return nil, allFailed(rounds)
	}
	rep := &Report{
		Mode: ModeMonteCarlo, Loss: loss, Problem: p.Name, Learner: learnerName(l),
		Design: p.Design, Seed: opts.Seed, NTrain: p.NTrain, Rounds: rounds,
		X: rowsOf(s.test), Warnings: failureWarnings(rounds),
	}
	if rep.Design == "" {
		rep.Design = Random
	}
	rep.Options = Settings{Rounds: R, Seed: opts.Seed, Loss: loss, Fits: opts.fits()}
	if g, ok := p.Noise.(Gaussian); ok {
		rep.Options.NoiseSD = &g.Sigma
	} else if p.Noise == nil && p.regression() {
		zero := 0.0
		rep.Options.NoiseSD = &zero
	}
	if s.trainX != nil {
		rep.TrainX = rowsOf(s.trainX)
	}
	switch loss {
	case Squared:
		rep.F = s.f
		if opts.Stream {
			notes := rep.Notes
			streamed.Mode, streamed.Loss, streamed.Problem, streamed.Learner = rep.Mode, rep.Loss, rep.Problem, rep.Learner
			streamed.Design, streamed.Seed, streamed.NTrain, streamed.Rounds = rep.Design, rep.Seed, rep.NTrain, rep.Rounds
			streamed.X, streamed.TrainX, streamed.Warnings, streamed.Options, streamed.F = rep.X, rep.TrainX, rep.Warnings, rep.Options, rep.F
			rep = streamed
			rep.Notes = append(notes, "streamed (Options.Stream): per-point running moments of 20 groups of rounds, merged in order; the predictions were not kept")
			break
		}
		in := squaredInput{target: s.f, noise: s.noise, corrected: true}
		for _, r := range ok {
			in.pred = append(in.pred, store[r*m:(r+1)*m])
			in.errs = append(in.errs, errStore[r*m:(r+1)*m])
		}
		squared(in, rep, opts.workers(len(in.pred)))
		rep.Fits = keepFits(in.pred, opts.fits())
		rep.StdErrMethod = "delete-one jackknife over rounds"
		rep.Notes = append(rep.Notes,
			"bias² is the unbiased estimate (mean prediction − f)² − variance/R; the plug-in (mean prediction − f)² (bias2_plugin) exceeds the squared bias by variance/R on average",
			"variance uses the 1/(R−1) normalisation; bias² + variance = bias2_plugin + variance_plugin = mean over rounds of (prediction − f)², exactly")
	case ZeroOne:
		if opts.Stream {
			domingosCounts(zo.counts, zo.gcounts, zo.gsize, s.post, rep)
			rep.Notes = append(rep.Notes, "streamed (Options.Stream): only the counts of predicted classes per test point and per jackknife group were kept")
			break
		}
		classes := make([][]int32, len(ok))
		for k, r := range ok {
			classes[k] = toClasses(store[r*m : (r+1)*m])
		}
		domingos(classes, s.post, rep)
	case LogLoss:
		lq := make([][]float64, len(ok))
		for k, r := range ok {
			lq[k] = store[r*m*K : (r+1)*m*K]
		}
		heskes(lq, s.post, rep)
	}
	if !p.regression() {
		rep.Classes = p.Classes
		rep.Posterior = s.post
	}
	if opts.KeepPredictions && loss != LogLoss {
		for _, r := range ok {
			rep.Predictions = append(rep.Predictions, store[r*m:(r+1)*m])
			if targetStore != nil {
				rep.Targets = append(rep.Targets, targetStore[r*m:(r+1)*m])
			}
		}
	}
	rep.Seconds = time.Since(start).Seconds()
	return rep, nil
}

// predictRow writes the model's predictions at the rows of x into dst.
func predictRow(model Model, x *mat.Dense, dst []float64) error {
	if bm, ok := model.(batchModel); ok {
		return bm.predictAll(x, dst)
	}
	for i := range dst {
		v := model.Predict(x.RawRowView(i))
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("prediction %v at test point %d", v, i)
		}
		dst[i] = v
	}
	return nil
}

func predictClasses(model Model, x *mat.Dense, K int, dst []float64) error {
	bm, batch := model.(batchModel)
	if batch {
		if err := bm.predictAll(x, dst); err != nil {
			return err
		}
	}
	for i := range dst {
		v := dst[i]
		if !batch {
			v = model.Predict(x.RawRowView(i))
		}
		if c := int(v); float64(c) != v || c < 0 || c >= K {
			return fmt.Errorf("prediction %v at test point %d is not a class 0…%d", v, i, K-1)
		}
		dst[i] = v
	}
	return nil
}

// probClip is the clipping of probabilities before the log, as
// scikit-learn's log_loss (eps = 1e-15, then renormalised).
const probClip = 1e-15

func predictLogProba(model Model, x *mat.Dense, K int, dst []float64) error {
	switch pm := model.(type) {
	case LogProbModel:
		for i := 0; i*K < len(dst); i++ {
			lp := dst[i*K : (i+1)*K]
			pm.PredictLogProba(lp, x.RawRowView(i))
			var z float64
			for k, v := range lp {
				if math.IsNaN(v) || v > 1e-9 {
					return fmt.Errorf("log-probability %v of class %d at test point %d", v, k, i)
				}
				z += math.Exp(v)
			}
			if math.Abs(z-1) > 1e-6 {
				return fmt.Errorf("probabilities at test point %d sum to %v, not 1", i, z)
			}
			lz := math.Log(z)
			for k := range lp {
				lp[k] -= lz
				if math.IsInf(lp[k], -1) {
					return fmt.Errorf("probability 0 of class %d at test point %d: the log-loss is infinite", k, i)
				}
			}
		}
		return nil
	case ProbModel:
		for i := 0; i*K < len(dst); i++ {
			q := dst[i*K : (i+1)*K]
			pm.PredictProba(q, x.RawRowView(i))
			var z float64
			for k, v := range q {
				if !(v >= 0 && v <= 1+1e-9) {
					return fmt.Errorf("probability %v of class %d at test point %d", v, k, i)
				}
				q[k] = math.Min(math.Max(v, probClip), 1-probClip)
				z += q[k]
			}
			for k := range q {
				q[k] = math.Log(q[k] / z)
			}
		}
		return nil
	}
	return fmt.Errorf("the log-loss needs class probabilities, and %T has no PredictProba method", model)
}

func toClasses(x []float64) []int32 {
	c := make([]int32, len(x))
	for i, v := range x {
		c[i] = int32(v)
	}
	return c
}

func rowsOf(x *mat.Dense) [][]float64 {
	r, c := x.Dims()
	out := make([][]float64, r)
	for i := range out {
		out[i] = make([]float64, c)
		copy(out[i], x.RawRowView(i))
	}
	return out
}

func keepFits(pred [][]float64, n int) [][]float64 {
	n = min(n, len(pred))
	out := make([][]float64, n)
	for k := 0; k < n; k++ {
		out[k] = append([]float64(nil), pred[k]...)
	}
	return out
}

// rounds runs the R rounds of a decomposition that keeps the predictions
// (store), and for the squared loss their errors (errStore) and, when
// kept, their fresh targets (targetStore).
func (s *setup) rounds(ctx context.Context, l Learner, R int, loss Loss, opts Options, store, errStore, targetStore []float64) ([]error, error) {
	p, m, K := s.p, s.m, max(s.p.Classes, 1)
	return runRounds(ctx, R, opts.workers(R), opts.Progress, func() func(int) error {
		w := s.newWorker()
		target := newStream()
		return func(r int) error {
			if err := w.draw(r); err != nil {
				return err
			}
			model, err := l.Fit(w.x, w.y, w.lrn.at(s.seed, roundStream(r, streamLearner)))
			if err != nil {
				return err
			}
			switch loss {
			case Squared:
				row := store[r*m : (r+1)*m]
				if err := predictRow(model, s.test, row); err != nil {
					return err
				}
				rng := target.at(s.seed, roundStream(r, streamTarget))
				er := errStore[r*m : (r+1)*m]
				for i, v := range row {
					y := s.f[i]
					if p.Noise != nil {
						y += p.Noise.Sample(rng, s.test.RawRowView(i))
					}
					er[i] = (v - y) * (v - y)
					if targetStore != nil {
						targetStore[r*m+i] = y
					}
				}
			case ZeroOne:
				return predictClasses(model, s.test, K, store[r*m:(r+1)*m])
			case LogLoss:
				return predictLogProba(model, s.test, K, store[r*m*K:(r+1)*m*K])
			}
			return nil
		}
	})
}
