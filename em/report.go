package em

import (
	"encoding/json"
	"math"
)

// Status says how a start ended.
type Status string

// The statuses of a start.
const (
	StatusConverged    Status = "converged"     // the change fell below Tol
	StatusMaxIter      Status = "max_iter"      // MaxIter iterations ran without converging
	StatusNoIterations Status = "no_iterations" // MaxIter was NoIterations: the start is returned as is
)

// String returns the status as it appears in JSON: "converged", "max_iter"
// or "no_iterations".
func (s Status) String() string { return string(s) }

// Report describes a Run. All log-likelihoods and ELBOs are means per row
// (per unit of weight), in nats, as scikit-learn's score and lower_bound_.
type Report struct {
	Status        Status  `json:"status"`         // of the best start
	Converged     bool    `json:"converged"`      // of the best start
	Iterations    int     `json:"n_iter"`         // M-steps of the best start
	LogLikelihood float64 `json:"log_likelihood"` // of the returned parameters
	// LowerBound is the mean log-likelihood before the best start's last
	// M-step, which scikit-learn reports as lower_bound_ (catalog M-30);
	// LogLikelihood is that of the parameters actually returned.
	LowerBound float64       `json:"lower_bound"`
	Weight     float64       `json:"weight"`    // Σ w_i, the number of rows when unweighted
	Best       int           `json:"best"`      // 0-based index of the returned start
	Starts     []StartReport `json:"starts"`    // every start, in order
	Decreases  int           `json:"decreases"` // iterations whose log-likelihood fell by more than round-off
	Seconds    float64       `json:"seconds"`
	MaxIter    int           `json:"max_iter"`
	Tol        float64       `json:"tol"`
	Workers    int           `json:"workers"`
	BlockRows  int           `json:"block_rows"`
}

// StartReport describes one start.
type StartReport struct {
	Init          int         `json:"init"` // 0-based
	Status        Status      `json:"status"`
	Converged     bool        `json:"converged"`
	Iterations    int         `json:"n_iter"`
	LogLikelihood float64     `json:"log_likelihood"` // of the start's final parameters
	LowerBound    float64     `json:"lower_bound"`    // before its last M-step
	Weight        float64     `json:"weight"`
	Decreases     int         `json:"decreases"`
	Seconds       float64     `json:"seconds"`
	Trace         []Iteration `json:"trace"`
}

// Iteration is one EM iteration n, which takes θ_{n−1} to θ_n. Its E-step
// sets q_{n−1}(z_i) = p(z_i | x_i, θ_{n−1}), which makes the ELBO equal to
// the log-likelihood; its M-step maximises the ELBO over θ. For every q and θ
//
//	log p(x | θ) = ELBO(q, θ) + KL(q ‖ p(z | x, θ)),
//
// so the iteration's gain splits into the M-step's gain, ELBO − LogLik, and
// the KL gap KL = Next − ELBO ≥ 0, which the next E-step closes.
type Iteration struct {
	Iter     int     `json:"iter"`                // 1-based
	LogLik   float64 `json:"log_likelihood"`      // log p(x | θ_{n−1}) = ELBO(q_{n−1}, θ_{n−1})
	ELBO     float64 `json:"elbo"`                // ELBO(q_{n−1}, θ_n)
	Next     float64 `json:"log_likelihood_next"` // log p(x | θ_n)
	KL       float64 `json:"kl"`                  // Next − ELBO = KL(q_{n−1} ‖ p(z | x, θ_n)) ≥ 0
	Change   float64 `json:"change"`              // LogLik minus the previous iteration's (+Inf at the first; omitted from JSON then)
	Decrease bool    `json:"decrease,omitempty"`  // Change < −RoundOff(LogLik)
	Seconds  float64 `json:"seconds"`
}

// finish records the log-likelihood of θ_n, known after the next E-step.
func (it *Iteration) finish(next float64) {
	it.Next = next
	it.KL = next - it.ELBO
}

// MarshalJSON omits a non-finite Change (the first iteration's), which JSON
// cannot represent.
func (it Iteration) MarshalJSON() ([]byte, error) {
	type plain Iteration
	v := struct {
		plain
		Change *float64 `json:"change,omitempty"`
	}{plain: plain(it)}
	if !math.IsInf(it.Change, 0) && !math.IsNaN(it.Change) {
		c := it.Change
		v.Change = &c
	}
	return json.Marshal(v)
}
