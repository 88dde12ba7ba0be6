package vae

import (
	"context"
	"errors"
	"testing"
)

// frangeCycleLinear is Fu et al.'s schedule as their code builds it
// (frange_cycle_linear of github.com/haofuml/cyclical_annealing, start 0,
// stop 1): a list of ones in which each cycle's first values are
// overwritten by the ramp 0, step, 2·step, … while they stay ≤ 1. It is
// written out here, from their loop, as the reference of the schedule.
func frangeCycleLinear(nIter, nCycle int, ratio float64) []float64 {
	l := make([]float64, nIter)
	for i := range l {
		l[i] = 1
	}
	period := float64(nIter) / float64(nCycle)
	step := 1 / (period * ratio)
	for c := 0; c < nCycle; c++ {
		v, i := 0.0, 0
		for v <= 1 && int(float64(i)+float64(c)*period) < nIter {
			l[int(float64(i)+float64(c)*period)] = v
			v += step
			i++
		}
	}
	return l
}

// The cyclical schedule equals Fu et al.'s frange_cycle_linear step for
// step, for whole and fractional cycle lengths, times β.
func TestCyclicalScheduleMatchesFu(t *testing.T) {
	cases := []struct {
		name          string
		n, batch, eps int
		cycles        int
		ratio, beta   float64
	}{
		{"4 cycles of 10 steps", 100, 10, 4, 4, 0.5, 1},
		{"3 cycles of 13⅓ steps", 100, 10, 4, 3, 0.5, 1},
		{"ratio 1, β 2", 64, 8, 3, 2, 1, 2},
		{"ratio 0.25", 90, 9, 5, 5, 0.25, 1},
	}
	for _, c := range cases {
		got, err := BetaSchedule(Options{Epochs: c.eps, BatchSize: c.batch, Beta: c.beta, Anneal: AnnealCyclical, Cycles: c.cycles, Ratio: c.ratio}, c.n)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		want := frangeCycleLinear(len(got), c.cycles, c.ratio)
		for i := range got {
			if d := got[i] - c.beta*want[i]; d > 1e-12 || d < -1e-12 {
				t.Errorf("%s: step %d: β %v, want %v", c.name, i, got[i], c.beta*want[i])
			}
		}
	}
}

// Training follows the schedule: the β of every step (Progress) is
// BetaSchedule's, and each cycle starts again at 0.
func TestCyclicalTrain(t *testing.T) {
	x := twoClusters(100, 16, 5)
	o := Options{Model: Config{Hidden: []int{8}, Latent: 2}, Epochs: 4, BatchSize: 25, Anneal: AnnealCyclical, Cycles: 2, Seed: 1}
	want, err := BetaSchedule(o, 100)
	if err != nil {
		t.Fatal(err)
	}
	var got []float64
	o.Progress = func(p Progress) {
		if p.Ended == nil {
			got = append(got, p.Beta)
		}
	}
	m, rep, err := Train(context.Background(), x, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 16 || len(want) != 16 {
		t.Fatalf("%d steps, schedule of %d; want 16", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("step %d: β %v, want %v", i, got[i], want[i])
		}
	}
	// 16 steps, 2 cycles of 8, ramp over 4: 0, ¼, ½, ¾, 1, 1, 1, 1, 0, …
	if got[0] != 0 || got[1] != 0.25 || got[4] != 1 || got[8] != 0 {
		t.Errorf("schedule %v", got)
	}
	tw := m.Trained()
	if fromFile := tw.BetaSchedule(); len(fromFile) != len(want) || fromFile[5] != want[5] || fromFile[9] != want[9] {
		t.Errorf("TrainedWith.BetaSchedule %v, want %v", fromFile, want)
	}
	if tw.Anneal != AnnealCyclical || tw.Cycles != 2 || tw.Ratio != 0.5 || rep.Settings.Cycles != 2 {
		t.Errorf("trained with %+v", tw)
	}
	// The model file keeps the schedule.
	data, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"anneal": "cyclical"`, `"cycles": 2`, `"ratio": 0.5`} {
		if !contains(string(data), s) {
			t.Errorf("model file lacks %s", s)
		}
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// Bad schedules are OptionErrors naming the option, before any work.
func TestAnnealOptionErrors(t *testing.T) {
	x := twoClusters(40, 8, 1)
	cases := []struct {
		opts   Options
		option string
	}{
		{Options{Anneal: "sine"}, "Options.Anneal"},
		{Options{Cycles: 3}, "Options.Cycles"},
		{Options{Anneal: AnnealCyclical, Warmup: 2}, "Options.Warmup"},
		{Options{Anneal: AnnealCyclical, Cycles: -1}, "Options.Cycles"},
		{Options{Anneal: AnnealCyclical, Cycles: 1000, Epochs: 1}, "Options.Cycles"}, // more cycles than steps
		{Options{Anneal: AnnealCyclical, Ratio: 1.5}, "Options.Ratio"},
	}
	for _, c := range cases {
		c.opts.Model = Config{Hidden: []int{4}, Latent: 2}
		_, _, err := Train(context.Background(), x, c.opts)
		var oe *OptionError
		if !errors.As(err, &oe) || oe.Option != c.option {
			t.Errorf("%+v: got %v, want an OptionError on %s", c.opts, err, c.option)
		}
	}
}
