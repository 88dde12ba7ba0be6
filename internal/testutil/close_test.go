package testutil

import (
	"math"
	"testing"
)

func TestClose(t *testing.T) {
	inf := math.Inf(1)
	nan := math.NaN()
	for _, c := range []struct {
		name            string
		got, want       float64
		atol, rtol      float64
		close, closeNaN bool
	}{
		{"equal", 1, 1, 0, 0, true, true},
		{"within atol", 1 + 1e-9, 1, 1e-8, 0, true, true},
		{"within rtol", 1000.001, 1000, 0, 1e-6, true, true},
		{"outside", 1.1, 1, 1e-3, 1e-3, false, false},
		{"rtol scales with want not got", 0, 1, 0, 1, true, true},
		{"inf equal", inf, inf, 0, 0, true, true},
		{"inf opposite", inf, -inf, 1, 1, false, false},
		{"inf vs finite", inf, 1e308, 1e308, 1, false, false},
		{"nan", nan, nan, 1, 1, false, true},
		{"nan vs number", nan, 1, 1, 1, false, false},
	} {
		if got := Close(c.got, c.want, c.atol, c.rtol); got != c.close {
			t.Errorf("%s: Close got %v, want %v", c.name, got, c.close)
		}
		if got := CloseNaN(c.got, c.want, c.atol, c.rtol); got != c.closeNaN {
			t.Errorf("%s: CloseNaN got %v, want %v", c.name, got, c.closeNaN)
		}
	}
}

func TestMaxAbsDiff(t *testing.T) {
	if got := MaxAbsDiff([]float64{1, 2, 3}, []float64{1, 2.5, 2}); got != 1 {
		t.Errorf("got %v, want 1", got)
	}
	if got := MaxAbsDiff([]float64{math.NaN()}, []float64{0}); !math.IsNaN(got) {
		t.Errorf("NaN difference: got %v, want NaN", got)
	}
}
