package nn

import (
	"fmt"
	"math"
)

// AdamState is Adam's memory: the number of steps taken and, per
// parameter (in the optimizer's order), the running averages m of the
// gradient and v of its square. It is what a checkpoint must keep so that
// training resumed from it continues exactly as if it had never stopped.
type AdamState struct {
	Step int         `json:"step"`
	M    [][]float64 `json:"m"`
	V    [][]float64 `json:"v"`
}

// State returns a copy of the optimizer's memory.
func (o *Adam) State() AdamState {
	s := AdamState{Step: o.t, M: make([][]float64, len(o.m)), V: make([][]float64, len(o.v))}
	for k := range o.m {
		s.M[k] = append([]float64(nil), o.m[k]...)
		s.V[k] = append([]float64(nil), o.v[k]...)
	}
	return s
}

// SetState restores memory saved by State, copying it. It returns an error
// naming the first mismatch when s does not fit the optimizer's parameters
// (another number of parameters, another size) or holds a value that is
// not finite, a negative v or a negative step count; the optimizer is then
// unchanged.
func (o *Adam) SetState(s AdamState) error {
	if s.Step < 0 {
		return fmt.Errorf("nn: Adam state: step %d is negative", s.Step)
	}
	if len(s.M) != len(o.params) || len(s.V) != len(o.params) {
		return fmt.Errorf("nn: Adam state: %d and %d moment arrays for %d parameters", len(s.M), len(s.V), len(o.params))
	}
	for k, p := range o.params {
		if len(s.M[k]) != len(p.Value) || len(s.V[k]) != len(p.Value) {
			return fmt.Errorf("nn: Adam state: parameter %d has %d values, its moments %d and %d", k, len(p.Value), len(s.M[k]), len(s.V[k]))
		}
		for i := range s.M[k] {
			m, v := s.M[k][i], s.V[k][i]
			if math.IsNaN(m) || math.IsInf(m, 0) || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				return fmt.Errorf("nn: Adam state: parameter %d, entry %d: moments (%v, %v) must be finite, the second non-negative", k, i, m, v)
			}
		}
	}
	o.t = s.Step
	for k := range o.params {
		copy(o.m[k], s.M[k])
		copy(o.v[k], s.V[k])
	}
	return nil
}
