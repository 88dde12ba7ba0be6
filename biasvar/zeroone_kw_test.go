package biasvar

import (
	"math"
	"testing"
)

// Two-class cases worked by hand (see the comments): Kohavi–Wolpert's and
// James's terms, and both sums equal to the expected zero-one loss.
func TestKohaviWolpertJamesByHand(t *testing.T) {
	cases := []struct {
		post, counts                  []float64
		loss, kwN, kwB, kwV, jSE, jVE float64
	}{
		// P = (.8,.2), P_D = (.75,.25): loss 1−(.6+.05) = .35;
		// KW ½(1−.68) = .16, ½(2·.05²) = .0025, ½(1−.625) = .1875;
		// y* = m = 0: SE 0, VE .8−.65 = .15; noise .2.
		{[]float64{.8, .2}, []float64{3, 1}, .35, .16, .0025, .1875, 0, .15},
		// P = (.3,.7), P_D = (.75,.25): loss 1−(.225+.175) = .6;
		// KW ½(1−.58) = .21, ½(2·.45²) = .2025, .1875;
		// y* = 1, m = 0: SE .7−.3 = .4, VE .3−.4 = −.1; noise .3.
		{[]float64{.3, .7}, []float64{3, 1}, .6, .21, .2025, .1875, .4, -.1},
	}
	for ci, c := range cases {
		b := argmax(c.post)
		d := domingosPoint(c.counts, 4, c.post, b)
		q := kwjamesPoint(c.counts, 4, c.post, b, d.main)
		got := []float64{d.loss, q.kwNoise, q.kwBias2, q.kwVar, q.jSE, q.jVE}
		want := []float64{c.loss, c.kwN, c.kwB, c.kwV, c.jSE, c.jVE}
		for k := range got {
			if math.Abs(got[k]-want[k]) > 1e-12 {
				t.Errorf("case %d term %d: got %v, want %v", ci, k, got[k], want[k])
			}
		}
		if g := d.loss - (q.kwNoise + q.kwBias2 + q.kwVar); math.Abs(g) > 1e-15 {
			t.Errorf("case %d: Kohavi–Wolpert gap %v", ci, g)
		}
		if g := d.loss - (d.noise + q.jSE + q.jVE); math.Abs(g) > 1e-15 {
			t.Errorf("case %d: James gap %v", ci, g)
		}
	}
}

// Every test point of a real run: the three decompositions add up to the
// same expected loss, exactly, and the report's totals carry them.
func TestKohaviWolpertJamesEveryPoint(t *testing.T) {
	cls := [][]int32{{0, 1, 2, 1}, {1, 1, 0, 2}, {2, 1, 0, 0}, {0, 0, 2, 1}, {1, 2, 2, 1}}
	post := [][]float64{{.5, .3, .2}, {.1, .6, .3}, {.2, .2, .6}, {1, 0, 0}}
	rep := &Report{}
	domingos(cls, post, rep)
	for i := range post {
		kw := rep.KWNoise[i] + rep.KWBias2[i] + rep.KWVariance[i]
		j := rep.Noise[i] + rep.SystematicEffect[i] + rep.VarianceEffect[i]
		if math.Abs(rep.Error[i]-kw) > 1e-15 || math.Abs(rep.Error[i]-j) > 1e-15 {
			t.Errorf("point %d: loss %v, KW sum %v, James sum %v", i, rep.Error[i], kw, j)
		}
	}
	if !rep.Check.OK || rep.Totals.KohaviWolpert == nil || rep.Totals.James == nil {
		t.Fatalf("check %+v, KW %v, James %v", rep.Check, rep.Totals.KohaviWolpert, rep.Totals.James)
	}
	if rep.Totals.James.Bias != *rep.Totals.Bias || rep.Totals.James.Variance != rep.Totals.Variance {
		t.Errorf("James's bias and variance are Domingos's")
	}
	if math.IsNaN(rep.Totals.KohaviWolpert.Variance.StdErr) || math.IsNaN(rep.Totals.James.VarianceEffect.StdErr) {
		t.Errorf("no jackknife standard errors: %+v %+v", rep.Totals.KohaviWolpert, rep.Totals.James)
	}
}
