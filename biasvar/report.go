package biasvar

import (
	"encoding/json"
	"math"
)

// Loss selects the loss function of a decomposition.
type Loss string

const (
	// Squared is (y − ŷ)²: error = noise + bias² + variance. The default
	// for regression problems.
	Squared Loss = "squared"
	// ZeroOne is 1[y ≠ ŷ] with Domingos' (2000) unified decomposition. The
	// default for classification problems.
	ZeroOne Loss = "01"
	// LogLoss is −log q(y) with Heskes' (1998) decomposition, for
	// classifiers that give probabilities (ProbModel).
	LogLoss Loss = "log"
)

// Mode says how training sets were produced.
const (
	ModeMonteCarlo = "monte-carlo" // fresh training sets from a known process
	ModeBootstrap  = "bootstrap"   // resamples of one data set (no known truth)
)

// Estimate is a Monte Carlo estimate with its standard error. StdErr is NaN
// when it cannot be estimated (too few rounds) and 0 for exact quantities
// (a known noise level); NaN is written as null in JSON.
type Estimate struct {
	Value  float64 `json:"value"`
	StdErr float64 `json:"stderr"`
}

type jsonEstimate struct {
	Value  *float64 `json:"value"`
	StdErr *float64 `json:"stderr"`
}

func finitePtr(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// MarshalJSON writes {"value": v, "stderr": s}, with null for NaN or ±Inf.
func (e Estimate) MarshalJSON() ([]byte, error) {
	return json.Marshal(jsonEstimate{finitePtr(e.Value), finitePtr(e.StdErr)})
}

// UnmarshalJSON reads what MarshalJSON writes (null as NaN).
func (e *Estimate) UnmarshalJSON(b []byte) error {
	var j jsonEstimate
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	e.Value, e.StdErr = math.NaN(), math.NaN()
	if j.Value != nil {
		e.Value = *j.Value
	}
	if j.StdErr != nil {
		e.StdErr = *j.StdErr
	}
	return nil
}

// Totals are the decomposition's terms averaged over the test points. Which
// fields are set depends on the loss and the mode; see Report.
type Totals struct {
	// Error is the expected loss. Squared loss, Monte Carlo mode: measured
	// against fresh noisy targets y' = f(x) + ε', independently of the other
	// terms, so that Check tests the identity. Zero-one and log-loss: the
	// expectation over y | x computed exactly from the true posterior, so
	// that the terms add up exactly. Bootstrap mode: against the given
	// test targets (mlxtend's avg_expected_loss).
	Error Estimate `json:"error"`
	// Noise is the irreducible part: σ² (squared), the Bayes error
	// 1 − max_k P(k|x) (zero-one), the entropy of the true posterior (log).
	// Exact: its StdErr is 0.
	Noise *Estimate `json:"noise,omitempty"`
	// Bias2 is the squared bias E_x[(E ŷ(x) − f(x))²], corrected for the
	// Monte Carlo inflation Var/R (see the package doc). Squared loss, Monte
	// Carlo mode.
	Bias2 *Estimate `json:"bias2,omitempty"`
	// Bias2Plugin is the uncorrected (mean ŷ − f)², whose expectation
	// exceeds the squared bias by variance/R.
	Bias2Plugin *Estimate `json:"bias2_plugin,omitempty"`
	// Bias2PlusNoise is mlxtend's avg_bias in bootstrap mode: the mean of
	// (mean ŷ − y)² against noisy targets, so it includes the noise.
	Bias2PlusNoise *Estimate `json:"bias2_plus_noise,omitempty"`
	// Bias is Domingos' bias (the share of test points whose main
	// prediction differs from the Bayes-optimal class; zero-one loss, or
	// mlxtend's avg_bias in bootstrap mode) or Heskes' bias KL(p‖q̄) (log).
	Bias *Estimate `json:"bias,omitempty"`
	// Variance is the spread of single predictions around the main one:
	// E_x Var ŷ(x) with the 1/(R−1) normalisation (squared, Monte Carlo),
	// with 1/R (squared, bootstrap: mlxtend's avg_var), the share of rounds
	// disagreeing with the main prediction (zero-one), or E KL(q̄‖q) (log).
	Variance Estimate `json:"variance"`
	// VariancePlugin is the variance with the 1/R normalisation, which adds
	// up with Bias2Plugin (squared, Monte Carlo).
	VariancePlugin *Estimate `json:"variance_plugin,omitempty"`
	// Zero-one loss (Domingos 2000): NoiseTerm = E_x[c₁·N(x)], the variance
	// at unbiased and biased points, and the net variance E_x[c₂·V(x)];
	// Error = NoiseTerm + Bias + NetVariance.
	NoiseTerm        *Estimate `json:"noise_term,omitempty"`
	VarianceUnbiased *Estimate `json:"variance_unbiased,omitempty"`
	VarianceBiased   *Estimate `json:"variance_biased,omitempty"`
	NetVariance      *Estimate `json:"net_variance,omitempty"`
	// KohaviWolpert and James are the zero-one loss's other two
	// decompositions of the same Error (Monte Carlo mode), each exact.
	KohaviWolpert *KohaviWolpert `json:"kohavi_wolpert,omitempty"`
	James         *James         `json:"james,omitempty"`
}

// Check compares the measured error with the sum of the terms.
type Check struct {
	// Identity is the identity checked, in words.
	Identity string `json:"identity"`
	// Sum is the sum of the terms; Gap is Error − Sum with the Monte Carlo
	// standard error of the difference (jackknife over rounds; 0 when the
	// identity is exact by construction).
	Sum float64  `json:"sum"`
	Gap Estimate `json:"gap"`
	// Exact says the identity holds by construction (up to rounding);
	// otherwise it holds in expectation and Z = Gap/StdErr should be
	// small (Z is 0 when the standard error is unknown or 0).
	Exact bool    `json:"exact"`
	Z     float64 `json:"z"`
	// OK is |Z| ≤ 4, or |Gap| ≤ 1e-9·(1+|Error|) when Exact or when the
	// standard error is 0; false when it cannot be checked (R < 3).
	OK bool `json:"ok"`
}

// RoundFailure is a round whose fit or prediction failed.
type RoundFailure struct {
	Round int    `json:"round"`
	Error string `json:"error"`
}

// Rounds counts the rounds.
type Rounds struct {
	Attempted int `json:"attempted"`
	Succeeded int `json:"succeeded"`
	Failed    int `json:"failed"`
	// Failures lists the first MaxFailuresListed failed rounds.
	Failures []RoundFailure `json:"failures,omitempty"`
}

// MaxFailuresListed is how many failed rounds a report lists.
const MaxFailuresListed = 20

// Settings are the options of a run, as recorded in its report.
type Settings struct {
	Rounds int    `json:"rounds"`
	Seed   uint64 `json:"seed"`
	Loss   Loss   `json:"loss"`
	Fits   int    `json:"fits"`
	// NoiseSD is σ of homoscedastic Gaussian noise (Monte Carlo mode).
	NoiseSD *float64 `json:"noise_sd,omitempty"`
	// ResamplesGiven says the bootstrap resamples came from
	// Options.Resamples rather than from the seed.
	ResamplesGiven bool `json:"resamples_given,omitempty"`
}

// Report is the result of a decomposition: options, per-point arrays and
// the totals with their standard errors. Per-point arrays are indexed like
// the rows of X. Fields that do not apply to the loss or mode are empty.
type Report struct {
	Mode    string `json:"mode"`
	Loss    Loss   `json:"loss"`
	Problem string `json:"problem,omitempty"`
	Learner string `json:"learner"`
	Design  Design `json:"design,omitempty"`
	Seed    uint64 `json:"seed"`
	// Options echoes the settings that shaped the result.
	Options Settings `json:"options"`
	NTrain  int      `json:"n_train"`
	Classes int      `json:"classes,omitempty"`
	Rounds  Rounds   `json:"rounds"`

	// X are the test points; TrainX the fixed training design (Fixed
	// design only).
	X      [][]float64 `json:"x"`
	TrainX [][]float64 `json:"train_x,omitempty"`

	// Squared loss.
	F              []float64 `json:"f,omitempty"`      // true f(x) (Monte Carlo)
	Target         []float64 `json:"target,omitempty"` // test targets y (bootstrap)
	MeanPrediction []float64 `json:"mean_prediction,omitempty"`
	SDPrediction   []float64 `json:"sd_prediction,omitempty"` // √variance
	Bias2          []float64 `json:"bias2,omitempty"`
	Bias2StdErr    []float64 `json:"bias2_stderr,omitempty"`
	Bias2Plugin    []float64 `json:"bias2_plugin,omitempty"`
	Bias2PlusNoise []float64 `json:"bias2_plus_noise,omitempty"`

	// Classification.
	Posterior      [][]float64 `json:"posterior,omitempty"`       // true P(k|x)
	BayesClass     []int       `json:"bayes_class,omitempty"`     // argmax_k P(k|x)
	MainPrediction []int       `json:"main_prediction,omitempty"` // mode of ŷ (zero-one)
	MeanProba      [][]float64 `json:"mean_proba,omitempty"`      // normalised geometric mean (log)
	Bias           []float64   `json:"bias,omitempty"`
	C1             []float64   `json:"c1,omitempty"`
	C2             []float64   `json:"c2,omitempty"`
	// Kohavi–Wolpert's noise, bias² and variance, and James's systematic
	// and variance effects, per test point (zero-one loss).
	KWNoise          []float64 `json:"kw_noise,omitempty"`
	KWBias2          []float64 `json:"kw_bias2,omitempty"`
	KWVariance       []float64 `json:"kw_variance,omitempty"`
	SystematicEffect []float64 `json:"systematic_effect,omitempty"`
	VarianceEffect   []float64 `json:"variance_effect,omitempty"`

	// Every loss.
	Variance       []float64 `json:"variance"`
	VarianceStdErr []float64 `json:"variance_stderr,omitempty"`
	Noise          []float64 `json:"noise,omitempty"`
	Error          []float64 `json:"error"`
	ErrorStdErr    []float64 `json:"error_stderr,omitempty"`

	// Fits are the test-point predictions of the first few successful
	// rounds (Options.Fits), for charts.
	Fits [][]float64 `json:"fits,omitempty"`
	// Predictions[r][i] and Targets[r][i] are every successful round's
	// prediction and fresh target at test point i (Options.KeepPredictions;
	// Targets for the squared loss only). Not in JSON: write them with
	// WritePredictions.
	Predictions [][]float64 `json:"-"`
	Targets     [][]float64 `json:"-"`

	Totals Totals `json:"totals"`
	Check  *Check `json:"check,omitempty"`

	// StdErrMethod says how the standard errors were computed.
	StdErrMethod string   `json:"stderr_method"`
	Notes        []string `json:"notes,omitempty"`
	Warnings     []string `json:"warnings,omitempty"`
	Seconds      float64  `json:"seconds"`
}

func est(v, se float64) *Estimate { return &Estimate{v, se} }
