package vae

import (
	"fmt"
	"math"
)

// Anneal names a schedule of the KL weight β over the training steps.
type Anneal string

// The schedules of Options.Anneal.
const (
	// AnnealLinear raises β linearly from 0 to Options.Beta over the
	// first Options.Warmup epochs and keeps it there (Bowman et al. 2016,
	// §3.1); with Warmup 0, β is Options.Beta from the first step.
	AnnealLinear Anneal = "linear"
	// AnnealCyclical repeats a linear ramp: the run's steps are split
	// into Options.Cycles equal cycles, and in each β rises linearly from
	// 0 to Options.Beta over the first Options.Ratio of the cycle and
	// stays at Options.Beta for the rest (Fu et al. 2019, eq. 6).
	AnnealCyclical Anneal = "cyclical"
)

// ParseAnneal returns the schedule named s: linear or cyclical.
func ParseAnneal(s string) (Anneal, error) {
	switch a := Anneal(s); a {
	case AnnealLinear, AnnealCyclical:
		return a, nil
	}
	return "", fmt.Errorf("vae: unknown KL schedule %q; use linear or cyclical", s)
}

// schedule is the KL weight of every step of a run.
type schedule struct {
	beta   float64
	anneal Anneal
	warmup int     // epochs, linear
	cycles int     // cyclical
	ratio  float64 // cyclical
}

// at returns β at step t (0-based) of a run of epochs epochs of nb
// batches.
//
// Cyclical (Fu et al. 2019, eq. 6, as their frange_cycle_linear builds
// it): with T = epochs·nb steps and cycles of P = T / M steps, cycle c
// starts at step s_c = ⌊c·P⌋ and
//
//	β_t = β · min(1, (t − s_c) / (P·R))   for s_c ≤ t < s_{c+1}.
//
// P need not be a whole number of steps.
func (s schedule) at(t, epochs, nb int) float64 {
	switch s.anneal {
	case AnnealCyclical:
		period := float64(epochs*nb) / float64(s.cycles)
		start := func(c int) int { return int(math.Floor(float64(c) * period)) }
		c := int(float64(t) / period)
		for c > 0 && start(c) > t {
			c--
		}
		for start(c+1) <= t {
			c++
		}
		return s.beta * min(1, float64(t-start(c))/(period*s.ratio))
	default:
		if s.warmup == 0 {
			return s.beta
		}
		return s.beta * min(1, float64(t+1)/float64(s.warmup*nb))
	}
}

// BetaSchedule returns the KL weight β of each training step of a run
// with these options on n training rows (n ≥ 1): the values Train uses,
// one per Adam step, for charts and checks. Invalid options are an
// *OptionError.
func BetaSchedule(opts Options, n int) ([]float64, error) {
	lik := opts.Model.Likelihood
	if lik == "" {
		lik = Bernoulli
	}
	s, err := opts.settings(n, lik)
	if err != nil {
		return nil, err
	}
	nb := (n + s.BatchSize - 1) / s.BatchSize
	out := make([]float64, s.Epochs*nb)
	sc := s.schedule()
	for t := range out {
		out[t] = sc.at(t, s.Epochs, nb)
	}
	return out, nil
}

// BetaSchedule returns the KL weight of every training step of the run
// these settings describe (Rows, BatchSize, Epochs, Beta, Warmup, Anneal,
// Cycles, Ratio): the schedule of a finished run, for charts. It returns
// nil when β was constant, or for an autoencoder or a run without rows.
func (tw TrainedWith) BetaSchedule() []float64 {
	if tw.Kind == "autoencoder" || tw.Rows < 1 || tw.BatchSize < 1 || tw.Epochs < 1 || (tw.Warmup == 0 && tw.Anneal != AnnealCyclical) {
		return nil
	}
	s := schedule{beta: tw.Beta, anneal: tw.Anneal, warmup: tw.Warmup, cycles: tw.Cycles, ratio: tw.Ratio}
	nb := (tw.Rows + tw.BatchSize - 1) / tw.BatchSize
	out := make([]float64, tw.Epochs*nb)
	for t := range out {
		out[t] = s.at(t, tw.Epochs, nb)
	}
	return out
}
