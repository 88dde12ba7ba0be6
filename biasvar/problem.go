package biasvar

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Design says whether the training inputs are drawn once or every round.
type Design string

const (
	// Random draws fresh training inputs x every round, so the expectation
	// is over whole training sets (x and y). It is the zero value.
	Random Design = "random"
	// Fixed draws the training inputs once (or takes Problem.TrainX) and
	// redraws only the responses y each round: the textbook setting of
	// Hastie, Tibshirani & Friedman §7.3.
	Fixed Design = "fixed"
)

// Noise is the noise model of a regression problem: y = f(x) + ε.
type Noise interface {
	// Sample draws ε at x from r.
	Sample(r *rand.Rand, x []float64) float64
	// Variance is Var(ε | x), the noise term of the decomposition at x.
	Variance(x []float64) float64
}

// Gaussian is homoscedastic N(0, Sigma²) noise. Sigma 0 means no noise.
type Gaussian struct{ Sigma float64 }

// Sample returns Sigma times a standard normal draw from r.
func (g Gaussian) Sample(r *rand.Rand, x []float64) float64 {
	if g.Sigma == 0 {
		return 0
	}
	return g.Sigma * r.NormFloat64()
}

// Variance returns Sigma².
func (g Gaussian) Variance(x []float64) float64 { return g.Sigma * g.Sigma }

// Problem is a data-generating process with a known truth: inputs x drawn
// by SampleX, and either a regression function F with additive Noise, or a
// class posterior (Classes ≥ 2 classes, labels 0…Classes−1). Exactly one of
// F and Posterior is set. Decompose checks it: a definition that cannot
// run is an error wrapping ErrProblem; a TrainX or Test whose shape does
// not match NTrain and Dim is the programmer's mistake and panics.
type Problem struct {
	Name string // shown in reports
	Dim  int    // length of x; 0 means 1

	// F is E[y | x] of a regression problem.
	F func(x []float64) float64
	// Noise is the regression noise; nil means none (σ = 0).
	Noise Noise

	// Classes is the number of classes of a classification problem.
	Classes int
	// Posterior writes P(y = k | x), k < Classes, into dst.
	Posterior func(dst, x []float64)

	// SampleX draws one input into dst (length Dim).
	SampleX func(r *rand.Rand, dst []float64)

	// NTrain is the size of every training set (≥ 1).
	NTrain int
	// Design is Random (the zero value) or Fixed.
	Design Design
	// TrainX, when set with the Fixed design, is the fixed training design
	// (NTrain × Dim) instead of one drawn by SampleX.
	TrainX *mat.Dense

	// Test holds the test points, one per row. When nil, NTest points are
	// drawn from SampleX with the run's seed.
	Test  *mat.Dense
	NTest int
	// InSample, with the Fixed design, makes the test points the training
	// inputs themselves (Test and NTest are then ignored): the in-sample
	// error of Hastie, Tibshirani & Friedman §7.4, where the variance of
	// least squares with p coefficients is exactly σ²p/n. false (the zero
	// value) means separate test points.
	InSample bool
}

// dim returns Dim, 0 meaning 1.
func (p *Problem) dim() int {
	if p.Dim == 0 {
		return 1
	}
	return p.Dim
}

func (p *Problem) regression() bool { return p.F != nil }

func (p *Problem) validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("biasvar: problem %q: %w: %s", p.Name, ErrProblem, fmt.Sprintf(format, a...))
	}
	switch {
	case p.F == nil && p.Posterior == nil:
		return bad("set F (regression) or Posterior (classification)")
	case p.F != nil && p.Posterior != nil:
		return bad("set only one of F and Posterior")
	case p.Posterior != nil && p.Classes < 2:
		return bad("Classes = %d; a classification problem needs at least 2", p.Classes)
	case p.Dim < 0:
		return bad("Dim = %d is negative", p.Dim)
	case p.NTrain < 1:
		return bad("NTrain = %d; a training set needs at least one point", p.NTrain)
	case p.Design != "" && p.Design != Random && p.Design != Fixed:
		return bad("Design %q: use %q or %q", p.Design, Random, Fixed)
	}
	d := p.dim()
	if p.SampleX == nil && (p.Design != Fixed || p.TrainX == nil) {
		return bad("SampleX is nil; it is needed unless the design is fixed and TrainX is given")
	}
	if p.TrainX != nil {
		r, c := p.TrainX.Dims()
		if r != p.NTrain || c != d {
			panic(fmt.Sprintf("biasvar: problem %q: TrainX is %d×%d, want NTrain×Dim = %d×%d", p.Name, r, c, p.NTrain, d))
		}
		if err := finiteMatrix(p.TrainX); err != nil {
			return bad("TrainX: %v", err)
		}
	}
	if p.InSample {
		if p.Design != Fixed {
			return bad("InSample needs the Fixed design: with the Random design the training inputs change every round")
		}
		return nil
	}
	if p.Test != nil {
		r, c := p.Test.Dims()
		if r == 0 {
			return bad("Test has no rows: the test set is empty")
		}
		if c != d {
			panic(fmt.Sprintf("biasvar: problem %q: Test has %d columns, want Dim = %d", p.Name, c, d))
		}
		if err := finiteMatrix(p.Test); err != nil {
			return bad("Test: %v", err)
		}
	} else {
		if p.NTest < 1 {
			return bad("the test set is empty: give Test or NTest ≥ 1")
		}
		if p.SampleX == nil {
			return bad("Test is nil and SampleX is nil: no way to get test points")
		}
	}
	return nil
}

func finiteMatrix(m *mat.Dense) error {
	r, c := m.Dims()
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if v := m.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("row %d, column %d is %v", i, j, v)
			}
		}
	}
	return nil
}

// grid returns m midpoints (i+½)/m of [0,1] as an m×1 matrix: a quadrature
// rule for the uniform distribution on [0,1].
func grid(m int) *mat.Dense {
	g := mat.NewDense(m, 1, nil)
	for i := 0; i < m; i++ {
		g.Set(i, 0, (float64(i)+0.5)/float64(m))
	}
	return g
}

func uniform01(r *rand.Rand, dst []float64) { dst[0] = r.Float64() }

// testPoints returns the number of test points: Test's rows, or NTest.
func (p *Problem) testPoints() int {
	if p.InSample {
		return p.NTrain
	}
	if p.Test != nil {
		r, _ := p.Test.Dims()
		return r
	}
	return p.NTest
}

// SetNTest makes the test set n points of the same kind: for a 1-D
// problem with a given test set (the built-ins' grid of midpoints of
// [0,1]), the n midpoints (i+½)/n; otherwise n points drawn by SampleX
// with the run's seed (Test nil, NTest n). It panics when n < 1.
func (p *Problem) SetNTest(n int) {
	if n < 1 {
		panic(fmt.Sprintf("biasvar: SetNTest(%d): need at least one test point", n))
	}
	if p.Test != nil && p.Dim <= 1 {
		p.Test = grid(n)
		return
	}
	p.Test, p.NTest = nil, n
}

// DefaultNTest is the number of test points of the built-in problems.
const DefaultNTest = 100

// Sine is y = sin(2πx) + N(0, σ²) with x uniform on [0,1] and nTrain
// training points; the test points are the DefaultNTest midpoints of [0,1].
// The design is Random; set Design to Fixed for the textbook setting.
func Sine(nTrain int, sigma float64) *Problem {
	return &Problem{
		Name: "sine", Dim: 1,
		F:       func(x []float64) float64 { return math.Sin(2 * math.Pi * x[0]) },
		Noise:   Gaussian{sigma},
		SampleX: uniform01, NTrain: nTrain, Test: grid(DefaultNTest),
	}
}

// Cubic is y = 32(x−½)³ − 6(x−½) + N(0, σ²) on [0,1] (a cubic that swings
// between −1 and 1, so polynomial least squares of degree ≥ 3 is unbiased),
// with x uniform on [0,1] and the DefaultNTest midpoints as test points.
func Cubic(nTrain int, sigma float64) *Problem {
	return &Problem{
		Name: "poly", Dim: 1,
		F: func(x []float64) float64 {
			u := x[0] - 0.5
			return 32*u*u*u - 6*u
		},
		Noise:   Gaussian{sigma},
		SampleX: uniform01, NTrain: nTrain, Test: grid(DefaultNTest),
	}
}

// Step is y = −1 for x < ½ and +1 for x ≥ ½, plus N(0, σ²), with x uniform
// on [0,1] and the DefaultNTest midpoints as test points.
func Step(nTrain int, sigma float64) *Problem {
	return &Problem{
		Name: "step", Dim: 1,
		F: func(x []float64) float64 {
			if x[0] < 0.5 {
				return -1
			}
			return 1
		},
		Noise:   Gaussian{sigma},
		SampleX: uniform01, NTrain: nTrain, Test: grid(DefaultNTest),
	}
}

// Friedman1NTest is the number of test points of Friedman1.
const Friedman1NTest = 200

// Friedman1 is Friedman's (1991) first benchmark, scikit-learn's
// make_friedman1: x uniform on [0,1]¹⁰ and
//
//	y = 10 sin(π x₁x₂) + 20(x₃ − ½)² + 10x₄ + 5x₅ + N(0, σ²),
//
// where x₆…x₁₀ are irrelevant. The Friedman1NTest test points are drawn
// from the distribution of x with the run's seed. In ten dimensions random
// features are far less redundant than in one, which makes it the problem
// on which minimum-norm least squares shows double descent.
func Friedman1(nTrain int, sigma float64) *Problem {
	return &Problem{
		Name: "friedman1", Dim: 10,
		F: func(x []float64) float64 {
			return 10*math.Sin(math.Pi*x[0]*x[1]) + 20*(x[2]-0.5)*(x[2]-0.5) + 10*x[3] + 5*x[4]
		},
		Noise: Gaussian{sigma},
		SampleX: func(r *rand.Rand, dst []float64) {
			for i := range dst {
				dst[i] = r.Float64()
			}
		},
		NTrain: nTrain, NTest: Friedman1NTest,
	}
}

// TwoGaussiansNTest is the number of test points of TwoGaussians.
const TwoGaussiansNTest = 200

// TwoGaussians is a two-class problem in two dimensions: equal priors,
// class 0 ~ N((−1,0), I) and class 1 ~ N((1,0), I). Its Bayes posterior is
// P(y=1 | x) = σ(2x₁) and its Bayes error is Φ(−1) ≈ 0.1587. The
// TwoGaussiansNTest test points are drawn from the marginal of x with the
// run's seed.
func TwoGaussians(nTrain int) *Problem {
	return &Problem{
		Name: "gauss2", Dim: 2, Classes: 2,
		Posterior: func(dst, x []float64) {
			p1 := 1 / (1 + math.Exp(-2*x[0]))
			dst[0], dst[1] = 1-p1, p1
		},
		SampleX: func(r *rand.Rand, dst []float64) {
			mu := -1.0
			if r.Uint64()&1 == 1 {
				mu = 1
			}
			dst[0] = mu + r.NormFloat64()
			dst[1] = r.NormFloat64()
		},
		NTrain: nTrain, NTest: TwoGaussiansNTest,
	}
}

// ProblemInfo describes a built-in problem.
type ProblemInfo struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	Task  string `json:"task"` // "regression" or "classification"
}

// Problems lists the built-in problems, in the order of NewProblem's names.
func Problems() []ProblemInfo {
	return []ProblemInfo{
		{"sine", "y = sin(2πx) + N(0,σ²), x ~ U(0,1)", "regression"},
		{"poly", "y = 32(x−½)³ − 6(x−½) + N(0,σ²), x ~ U(0,1)", "regression"},
		{"step", "y = sign(x − ½) + N(0,σ²), x ~ U(0,1)", "regression"},
		{"friedman1", "Friedman #1: y = 10 sin(πx₁x₂) + 20(x₃−½)² + 10x₄ + 5x₅ + N(0,σ²), x ~ U(0,1)¹⁰", "regression"},
		{"gauss2", "two classes N((∓1,0), I) in 2-D, Bayes posterior σ(2x₁)", "classification"},
	}
}

// NewProblem returns the built-in problem called name (see Problems) with
// nTrain training points and noise sd sigma (ignored by classification
// problems). An nTrain below 1, a sigma that is negative or not finite,
// and an unknown name are an *OptionError (on "nTrain", "sigma" and
// "problem").
func NewProblem(name string, nTrain int, sigma float64) (*Problem, error) {
	if nTrain < 1 {
		return nil, optionErrorf("nTrain", fmt.Sprint(nTrain), "need at least 1")
	}
	if sigma < 0 || math.IsNaN(sigma) || math.IsInf(sigma, 0) {
		return nil, optionErrorf("sigma", fmt.Sprint(sigma), "give a finite sd ≥ 0")
	}
	switch name {
	case "sine":
		return Sine(nTrain, sigma), nil
	case "poly", "cubic":
		return Cubic(nTrain, sigma), nil
	case "step":
		return Step(nTrain, sigma), nil
	case "friedman1":
		return Friedman1(nTrain, sigma), nil
	case "gauss2":
		return TwoGaussians(nTrain), nil
	}
	names := []string{}
	for _, p := range Problems() {
		names = append(names, p.Name)
	}
	return nil, optionErrorf("problem", "", "no problem %q; the problems are %v", name, names)
}
