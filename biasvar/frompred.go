package biasvar

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/gonum/mat"
)

// Predictions are the predictions of a user's own loop — any model, any
// language — for FromPredictions to decompose with the estimators, the
// standard errors and the checks of Decompose.
type Predictions struct {
	// Name names the source in the report ("" means "predictions").
	Name string
	// Loss is Squared or ZeroOne; "" means Squared.
	Loss Loss
	// Pred[r][i] is round r's prediction at test point i (a class label 0,
	// 1, … for ZeroOne). At least one round; every round the same length m.
	Pred [][]float64
	// Target are the test targets: for the squared loss either one row of
	// m targets shared by every round or one row per round (the fresh
	// targets of a Monte Carlo run, which Decompose's error uses); for the
	// zero-one loss without Posterior, one row of class labels.
	Target [][]float64
	// F, when known, is the true f(x) at the test points (squared loss):
	// the report then separates the noise (NoiseVar, Var(ε|x) at each
	// point, nil meaning 0) as Decompose's does. Without F the report uses
	// the bootstrap mode's definitions (mlxtend's: bias² + noise together).
	F, NoiseVar []float64
	// Posterior, when known, is the true P(k|x) at the test points (m rows
	// of Classes numbers): the zero-one loss then has Domingos's,
	// Kohavi–Wolpert's and James's decompositions. Without it, mlxtend's
	// definitions (which do not add up).
	Posterior [][]float64
}

// FromPredictions decomposes a matrix of predictions from anywhere. With
// the truth (F, or Posterior) and, squared loss, one target row per round,
// the report is the one Decompose gives for the same predictions and
// targets, to the bit (its totals, per-point terms and check); without the
// truth it is the one Bootstrap gives. Uses Options.Workers and Fits; the
// other options do not apply. Shapes that do not match are an
// *OptionError on the field.
func FromPredictions(pr Predictions, opts Options) (*Report, error) {
	start := time.Now()
	if opts.Workers < 0 {
		return nil, optionErrorf("Options.Workers", fmt.Sprint(opts.Workers), "must be 0 (all cores) or positive")
	}
	loss := pr.Loss
	if loss == "" {
		loss = Squared
	}
	R := len(pr.Pred)
	if R == 0 || len(pr.Pred[0]) == 0 {
		return nil, optionErrorf("Predictions.Pred", "", "no predictions: give at least one round of at least one test point")
	}
	m := len(pr.Pred[0])
	for r, row := range pr.Pred {
		if len(row) != m {
			return nil, optionErrorf("Predictions.Pred", "", "round %d has %d predictions, round 0 has %d", r, len(row), m)
		}
		for i, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, optionErrorf("Predictions.Pred", "", "round %d, test point %d: %v", r, i, v)
			}
		}
	}
	for r, row := range pr.Target {
		if len(row) != m {
			return nil, optionErrorf("Predictions.Target", "", "row %d has %d targets for %d test points", r, len(row), m)
		}
	}
	name := pr.Name
	if name == "" {
		name = "predictions"
	}
	rep := &Report{Loss: loss, Learner: name, Rounds: Rounds{Attempted: R, Succeeded: R}}
	rep.Options = Settings{Rounds: R, Loss: loss, Fits: opts.fits()}
	rep.Warnings = failureWarnings(rep.Rounds)
	var err error
	switch loss {
	case Squared:
		err = fromSquared(pr, m, opts, rep)
	case ZeroOne:
		err = fromZeroOne(pr, m, rep)
	default:
		err = optionErrorf("Predictions.Loss", string(loss), "use %q or %q (the log-loss needs probabilities)", Squared, ZeroOne)
	}
	if err != nil {
		return nil, err
	}
	rep.Seconds = time.Since(start).Seconds()
	return rep, nil
}

func fromSquared(pr Predictions, m int, opts Options, rep *Report) error {
	R := len(pr.Pred)
	switch {
	case len(pr.Target) != 1 && len(pr.Target) != R:
		return optionErrorf("Predictions.Target", "", "%d target sets for %d rounds: give one, or one per round", len(pr.Target), R)
	case pr.F == nil && len(pr.Target) != 1:
		return optionErrorf("Predictions.Target", "", "without the truth F, give one row of test targets")
	case pr.F != nil && len(pr.F) != m:
		return optionErrorf("Predictions.F", "", "%d values for %d test points", len(pr.F), m)
	case pr.NoiseVar != nil && (pr.F == nil || len(pr.NoiseVar) != m):
		return optionErrorf("Predictions.NoiseVar", "", "needs F and one value per test point (%d)", m)
	}
	errs := make([][]float64, R)
	for r, row := range pr.Pred {
		y := pr.Target[min(r, len(pr.Target)-1)]
		errs[r] = make([]float64, m)
		for i, v := range row {
			errs[r][i] = (v - y[i]) * (v - y[i])
		}
	}
	if pr.F == nil {
		rep.Mode = ModeBootstrap
		rep.Target = pr.Target[0]
		squared(squaredInput{pred: pr.Pred, target: pr.Target[0], errs: errs}, rep, opts.workers(R))
		rep.StdErrMethod = "delete-one jackknife over rounds"
		rep.Notes = append(rep.Notes, "no truth given: mlxtend's definitions (bias² measured against the targets, so bias2_plus_noise = bias² + noise; variance with 1/R)")
	} else {
		noise := pr.NoiseVar
		if noise == nil {
			noise = make([]float64, m)
		}
		rep.Mode, rep.F = ModeMonteCarlo, pr.F
		squared(squaredInput{pred: pr.Pred, target: pr.F, noise: noise, errs: errs, corrected: true}, rep, opts.workers(R))
		rep.StdErrMethod = "delete-one jackknife over rounds"
		if len(pr.Target) == 1 && R > 1 {
			rep.Warnings = append(rep.Warnings, "one target row shared by every round: the error is measured against the same noisy targets each round, so the check holds only on average over targets; give a fresh row per round")
		}
	}
	rep.Fits = keepFits(pr.Pred, opts.fits())
	return nil
}

func fromZeroOne(pr Predictions, m int, rep *Report) error {
	K := 0
	for r, row := range pr.Pred {
		for i, v := range row {
			if c := int(v); float64(c) != v || c < 0 {
				return optionErrorf("Predictions.Pred", "", "round %d, test point %d: %v is not a class 0, 1, …", r, i, v)
			}
			K = max(K, int(v)+1)
		}
	}
	if pr.Posterior == nil {
		if len(pr.Target) != 1 {
			return optionErrorf("Predictions.Target", "", "without the posterior, give one row of class labels")
		}
		for i, v := range pr.Target[0] {
			if c := int(v); float64(c) != v || c < 0 {
				return optionErrorf("Predictions.Target", "", "test point %d: %v is not a class 0, 1, …", i, v)
			}
			K = max(K, int(v)+1)
		}
		rep.Mode, rep.Classes, rep.Target = ModeBootstrap, K, pr.Target[0]
		mlxtendZeroOne(pr.Pred, pr.Target[0], K, rep)
		return nil
	}
	if len(pr.Posterior) != m {
		return optionErrorf("Predictions.Posterior", "", "%d rows for %d test points", len(pr.Posterior), m)
	}
	C := len(pr.Posterior[0])
	for i, q := range pr.Posterior {
		if len(q) != C || C < 2 {
			return optionErrorf("Predictions.Posterior", "", "row %d has %d classes (row 0: %d; at least 2)", i, len(q), C)
		}
		if err := checkPosterior(q); err != nil {
			return optionErrorf("Predictions.Posterior", "", "row %d: %v", i, err)
		}
	}
	if K > C {
		return optionErrorf("Predictions.Pred", "", "class %d predicted, but the posterior has %d classes", K-1, C)
	}
	cls := make([][]int32, len(pr.Pred))
	for r, row := range pr.Pred {
		cls[r] = toClasses(row)
	}
	rep.Mode, rep.Classes, rep.Posterior = ModeMonteCarlo, C, pr.Posterior
	domingos(cls, pr.Posterior, rep)
	return nil
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// NewPredictions reads the matrices of `latent biasvar from-predictions`
// (and of WritePredictions): pred is m × R (rows the test points, columns
// the rounds); target, when not nil, m × 1 (one target per point) or m × R
// (a fresh target per round); truth, when not nil, m × 2 (f and Var(ε|x),
// squared loss) or m × K (the posterior P(k|x), zero-one loss).
func NewPredictions(pred, target, truth mat.Matrix, loss Loss) (Predictions, error) {
	m, _ := pred.Dims()
	pr := Predictions{Loss: loss, Pred: columns(pred)}
	if target != nil {
		if tm, _ := target.Dims(); tm != m {
			return Predictions{}, optionErrorf("Predictions.Target", "", "%d rows for %d test points (the rows of the predictions)", tm, m)
		}
		pr.Target = columns(target)
	}
	if truth != nil {
		tm, tc := truth.Dims()
		if tm != m {
			return Predictions{}, optionErrorf("Predictions.F", "", "the truth has %d rows for %d test points", tm, m)
		}
		if loss == ZeroOne {
			pr.Posterior = rowsOf(mat.DenseCopyOf(truth))
		} else {
			if tc != 2 {
				return Predictions{}, optionErrorf("Predictions.F", "", "the truth of the squared loss has 2 columns (f, noise variance), not %d", tc)
			}
			c := columns(truth)
			pr.F, pr.NoiseVar = c[0], c[1]
		}
	}
	return pr, nil
}

// columns returns the columns of a as slices.
func columns(a mat.Matrix) [][]float64 {
	r, c := a.Dims()
	out := make([][]float64, c)
	for j := range out {
		out[j] = make([]float64, r)
		for i := range out[j] {
			out[j][i] = a.At(i, j)
		}
	}
	return out
}

// writeColumns writes rows[r][i] transposed: one line per test point i,
// one column per r, under a header prefix0, prefix1, …, the numbers in the
// shortest form that reads back to the same bits.
func writeColumns(w io.Writer, rows [][]float64, header []string) error {
	var b strings.Builder
	b.WriteString(strings.Join(header, ",") + "\n")
	for i := range rows[0] {
		for r, row := range rows {
			if r > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.FormatFloat(row[i], 'g', -1, 64))
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func names(prefix string, n int) []string {
	out := make([]string, n)
	for k := range out {
		out[k] = prefix + strconv.Itoa(k)
	}
	return out
}

// WritePredictions writes Report.Predictions as CSV, one row per test
// point and one column per round (r0, r1, …): the input of
// FromPredictions and `latent biasvar from-predictions`. It needs a run
// with Options.KeepPredictions.
func (r *Report) WritePredictions(w io.Writer) error {
	if len(r.Predictions) == 0 {
		return fmt.Errorf("biasvar: no predictions kept: run with Options.KeepPredictions")
	}
	return writeColumns(w, r.Predictions, names("r", len(r.Predictions)))
}

// WriteTargets writes Report.Targets (the fresh targets of every round,
// squared loss) as WritePredictions writes the predictions.
func (r *Report) WriteTargets(w io.Writer) error {
	if len(r.Targets) == 0 {
		return fmt.Errorf("biasvar: no targets kept: a squared-loss run with Options.KeepPredictions")
	}
	return writeColumns(w, r.Targets, names("r", len(r.Targets)))
}

// WriteTruth writes the truth at the test points as CSV: columns f and
// noise_var (squared loss) or p0, p1, … (the posterior).
func (r *Report) WriteTruth(w io.Writer) error {
	if r.Posterior != nil {
		return writeColumns(w, columns(mat.NewDense(len(r.Posterior), len(r.Posterior[0]), flatten(r.Posterior))), names("p", len(r.Posterior[0])))
	}
	if r.F == nil {
		return fmt.Errorf("biasvar: no truth in a %s report", r.Mode)
	}
	return writeColumns(w, [][]float64{r.F, r.Noise}, []string{"f", "noise_var"})
}

func flatten(a [][]float64) []float64 {
	var out []float64
	for _, row := range a {
		out = append(out, row...)
	}
	return out
}
