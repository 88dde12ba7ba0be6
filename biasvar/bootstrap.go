package biasvar

import (
	"context"
	"fmt"
	"math"
	"time"

	"gonum.org/v1/gonum/mat"
)

// Data is a real data set for bootstrap mode: a training set and a test
// set with targets. For the zero-one loss the targets are class labels
// 0, 1, … as float64. DataFromTable makes one from tables read from files.
//
// The sizes are the programmer's to get right: a nil matrix, targets of
// another length than their matrix's rows, or test columns that differ
// from the training columns panic. Empty sets and values that are not
// finite are a *DataError.
type Data struct {
	XTrain mat.Matrix
	YTrain []float64
	XTest  mat.Matrix
	YTest  []float64
	// Name is shown in reports.
	Name string
}

func (d *Data) validate() error {
	if d.XTrain == nil || d.XTest == nil {
		panic("biasvar: Data.XTrain and Data.XTest must not be nil")
	}
	n, c := d.XTrain.Dims()
	m, c2 := d.XTest.Dims()
	bad := func(format string, a ...any) error {
		return &DataError{Table: d.Name, Reason: fmt.Sprintf(format, a...)}
	}
	switch {
	case n == 0 || c == 0:
		return bad("the training set is empty")
	case m == 0:
		return bad("the test set is empty")
	case len(d.YTrain) != n:
		panic(fmt.Sprintf("biasvar: Data has %d training rows but %d training targets", n, len(d.YTrain)))
	case len(d.YTest) != m:
		panic(fmt.Sprintf("biasvar: Data has %d test rows but %d test targets", m, len(d.YTest)))
	case c != c2:
		panic(fmt.Sprintf("biasvar: Data has %d training columns but %d test columns", c, c2))
	}
	for _, x := range []struct {
		name string
		m    mat.Matrix
	}{{"XTrain", d.XTrain}, {"XTest", d.XTest}} {
		if err := finiteMatrix(mat.DenseCopyOf(x.m)); err != nil {
			return bad("%s: %v", x.name, err)
		}
	}
	for _, y := range []struct {
		name string
		v    []float64
	}{{"YTrain", d.YTrain}, {"YTest", d.YTest}} {
		for i, v := range y.v {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return bad("%s[%d] is %v", y.name, i, v)
			}
		}
	}
	return nil
}

// Bootstrap decomposes the error of learner l on a real data set whose
// truth is unknown, as mlxtend's bias_variance_decomp does: round r fits l
// to a bootstrap resample (n rows drawn with replacement from the training
// set, from the PCG stream (Seed, 4r), or Options.Resamples[r]) and
// predicts the test set. With ŷ_r the predictions, y the test targets and
// ȳ the main prediction (mean for the squared loss, mode for zero-one):
//
//	error          = mean_{r,i} L(ŷ_r(x_i), y_i)
//	bias²+noise    = mean_i L(ȳ(x_i), y_i)       (mlxtend's avg_bias)
//	variance       = mean_{r,i} L(ŷ_r(x_i), ȳ(x_i)) (mlxtend's avg_var, 1/R)
//
// The "bias" is measured against noisy targets, so it includes the noise:
// the report names it bias2_plus_noise. For the squared loss error =
// bias²+noise + variance exactly; for the zero-one loss the three do not add
// up (mlxtend #964), and the report does not claim they do. The log-loss is
// not available in this mode.
func Bootstrap(ctx context.Context, d Data, l Learner, opts Options) (*Report, error) {
	start := time.Now()
	if l == nil {
		panic("biasvar: Bootstrap with a nil learner")
	}
	l = withRunContext(ctx, l)
	if err := d.validate(); err != nil {
		return nil, err
	}
	loss := opts.Loss
	if loss == "" {
		loss = Squared
	}
	if loss != Squared && loss != ZeroOne {
		return nil, optionErrorf("Options.Loss", "", "bootstrap mode supports the %q and %q losses, not %q", Squared, ZeroOne, loss)
	}
	xtr, xte := mat.DenseCopyOf(d.XTrain), mat.DenseCopyOf(d.XTest)
	n, dim := xtr.Dims()
	m, _ := xte.Dims()
	R := opts.Rounds
	if R == 0 && opts.Resamples != nil {
		R = len(opts.Resamples)
	}
	o := opts
	o.Rounds = R
	R, err := o.rounds()
	if err != nil {
		return nil, err
	}
	if err := checkMemory(l, R, m, 1, o.workers(R), n, dim, 0, "Options.Rounds"); err != nil {
		return nil, err
	}
	K := 0
	if loss == ZeroOne {
		for _, y := range []struct {
			name string
			v    []float64
		}{{"YTrain", d.YTrain}, {"YTest", d.YTest}} {
			for i, v := range y.v {
				c := int(v)
				if float64(c) != v || c < 0 {
					return nil, &DataError{Table: d.Name, Reason: fmt.Sprintf("%s[%d] = %v is not a class 0, 1, … (the zero-one loss needs class labels)", y.name, i, v)}
				}
				K = max(K, c+1)
			}
		}
	}
	if opts.Resamples != nil {
		if len(opts.Resamples) != R {
			return nil, optionErrorf("Options.Resamples", "", "%d resamples given for %d rounds (Options.Rounds)", len(opts.Resamples), R)
		}
		for r, idx := range opts.Resamples {
			if len(idx) == 0 {
				return nil, optionErrorf("Options.Resamples", "", "resample %d is empty", r)
			}
			for j, v := range idx {
				if v < 0 || v >= n {
					return nil, optionErrorf("Options.Resamples", "", "resample %d, position %d: row %d is outside 0…%d", r, j, v, n-1)
				}
			}
		}
	}
	pred := make([]float64, R*m)
	errs, err := runRounds(ctx, R, opts.workers(R), opts.Progress, func() func(int) error {
		data, lrn := newStream(), newStream()
		var x *mat.Dense
		var y []float64
		return func(r int) error {
			var idx []int
			if opts.Resamples != nil {
				idx = opts.Resamples[r]
			} else {
				rng := data.at(opts.Seed, roundStream(r, streamData))
				idx = make([]int, n)
				for j := range idx {
					idx[j] = rng.IntN(n)
				}
			}
			if x == nil || len(y) != len(idx) {
				x, y = mat.NewDense(len(idx), dim, nil), make([]float64, len(idx))
			}
			for j, v := range idx {
				copy(x.RawRowView(j), xtr.RawRowView(v))
				y[j] = d.YTrain[v]
			}
			model, err := l.Fit(x, y, lrn.at(opts.Seed, roundStream(r, streamLearner)))
			if err != nil {
				return err
			}
			row := pred[r*m : (r+1)*m]
			if loss == ZeroOne {
				return predictClasses(model, xte, K, row)
			}
			return predictRow(model, xte, row)
		}
	})
	if err != nil {
		return nil, err
	}
	rounds, ok := collect(errs)
	if len(ok) == 0 {
		return nil, allFailed(rounds)
	}
	rep := &Report{Mode: ModeBootstrap, Loss: loss, Problem: d.Name, Learner: learnerName(l), Seed: opts.Seed,
		NTrain: n, Rounds: rounds, X: rowsOf(xte), Target: d.YTest, Warnings: failureWarnings(rounds)}
	rep.Options = Settings{Rounds: R, Seed: opts.Seed, Loss: loss, Fits: opts.fits(), ResamplesGiven: opts.Resamples != nil}
	rows := make([][]float64, len(ok))
	for k, r := range ok {
		rows[k] = pred[r*m : (r+1)*m]
	}
	if opts.Resamples != nil {
		rep.Notes = append(rep.Notes, "the resamples were given (Options.Resamples), not drawn from the seed")
	}
	if loss == Squared {
		in := squaredInput{pred: rows, target: d.YTest}
		for _, row := range rows {
			e := make([]float64, m)
			for i, v := range row {
				e[i] = (v - d.YTest[i]) * (v - d.YTest[i])
			}
			in.errs = append(in.errs, e)
		}
		squared(in, rep, opts.workers(len(in.pred)))
		rep.Fits = keepFits(rows, opts.fits())
		rep.StdErrMethod = "delete-one jackknife over rounds (of the resampling only: the data set is fixed)"
		rep.Notes = append(rep.Notes,
			"bootstrap mode (mlxtend's bias_variance_decomp): the bias is measured against the noisy test targets, so bias2_plus_noise = bias² + noise; the noise cannot be separated without the true f",
			"variance uses the 1/R normalisation, as mlxtend's, so that error = bias2_plus_noise + variance exactly")
	} else {
		rep.Classes = K
		mlxtendZeroOne(rows, d.YTest, K, rep)
	}
	rep.Seconds = time.Since(start).Seconds()
	return rep, nil
}

// mlxtendZeroOne is mlxtend's zero-one "decomposition" in bootstrap mode:
// main prediction = the mode (ties to the smaller class), error = mean
// 1[ŷ ≠ y], bias = mean 1[main ≠ y], variance = mean 1[ŷ ≠ main]. They do
// not add up; Domingos' decomposition needs the true posterior.
func mlxtendZeroOne(rows [][]float64, y []float64, K int, rep *Report) {
	R, m := len(rows), len(y)
	G := min(R, maxJackGroups)
	counts := make([]float64, m*K)
	gcounts := make([]float64, G*m*K)
	gsize := make([]float64, G)
	for r, row := range rows {
		g := r * G / R
		gsize[g]++
		for i, v := range row {
			counts[i*K+int(v)]++
			gcounts[(g*m+i)*K+int(v)]++
		}
	}
	point := func(c []float64, R float64, yi int) (loss, bias, variance float64, main int) {
		main = argmax(c)
		loss = 1 - c[yi]/R
		if main != yi {
			bias = 1
		}
		return loss, bias, 1 - c[main]/R, main
	}
	fm := float64(m)
	rep.MainPrediction = make([]int, m)
	rep.Bias, rep.Variance, rep.Error = make([]float64, m), make([]float64, m), make([]float64, m)
	var tl, tb, tv float64
	for i := 0; i < m; i++ {
		l, b, v, mp := point(counts[i*K:(i+1)*K], float64(R), int(y[i]))
		rep.Error[i], rep.Bias[i], rep.Variance[i], rep.MainPrediction[i] = l, b, v, mp
		tl, tb, tv = tl+l/fm, tb+b/fm, tv+v/fm
	}
	jl, jb, jv := jack{c: tl}, jack{c: tb}, jack{c: tv}
	if G >= 2 {
		loo := make([]float64, K)
		for g := 0; g < G; g++ {
			var sl, sb, sv float64
			for i := 0; i < m; i++ {
				for k := range loo {
					loo[k] = counts[i*K+k] - gcounts[(g*m+i)*K+k]
				}
				l, b, v, _ := point(loo, float64(R)-gsize[g], int(y[i]))
				sl, sb, sv = sl+l/fm, sb+b/fm, sv+v/fm
			}
			jl.add(sl)
			jb.add(sb)
			jv.add(sv)
		}
	}
	rep.Totals = Totals{Error: Estimate{tl, jl.se()}, Bias: est(tb, jb.se()), Variance: Estimate{tv, jv.se()}}
	rep.StdErrMethod = "delete-a-group jackknife over rounds (20 groups; approximate, the mode is not smooth)"
	rep.Notes = append(rep.Notes,
		"bootstrap mode, zero-one loss, mlxtend's definitions: error = mean 1[ŷ ≠ y], bias = mean 1[main ≠ y] (against noisy labels, so it includes the noise), variance = mean 1[ŷ ≠ main]",
		"these three do NOT add up (mlxtend #964); Domingos' additive decomposition needs the true class posterior: use a Monte Carlo problem")
}
