package biasvar

import "math"

// KohaviWolpert is Kohavi & Wolpert's (1996) decomposition of the
// expected zero-one loss, averaged over the test points:
//
//	σ²(x)       = ½ (1 − Σ_k P(k|x)²)                 (Noise)
//	bias²(x)    = ½ Σ_k (P(k|x) − P_D(ŷ = k|x))²       (Bias2)
//	variance(x) = ½ (1 − Σ_k P_D(ŷ = k|x)²)            (Variance)
//	E_{D,y} 1[y ≠ ŷ] = 1 − Σ_k P(k|x)·P_D(ŷ = k|x) = σ² + bias² + variance,
//
// exactly at every test point, with P_D the share of rounds predicting k
// (the plug-in; Kohavi & Wolpert also give a correction for a finite
// number of rounds, which breaks the exact sum and is not applied here).
// Noise is exact (StdErr 0); the others carry delete-a-group jackknife
// standard errors.
type KohaviWolpert struct {
	Noise    Estimate `json:"noise"`
	Bias2    Estimate `json:"bias2"`
	Variance Estimate `json:"variance"`
	// Gap is Error − (Noise + Bias2 + Variance), 0 up to rounding.
	Gap float64 `json:"gap"`
}

// James is James's (2003) decomposition of the expected zero-one loss
// for the Bayes class y* = argmax P(k|x) (SY) and the main prediction m =
// the mode of ŷ (SŶ), averaged over the test points:
//
//	noise Var(Y)        = 1 − P(y*|x)                  (Noise)
//	bias                = 1[m ≠ y*]                     (Bias, Domingos's too)
//	variance Var(Ŷ)     = P_D(ŷ ≠ m)                    (Variance, Domingos's too)
//	systematic effect   = P(y*|x) − P(m|x)              (SystematicEffect)
//	variance effect     = P(m|x) − Σ_k P(k|x)·P_D(ŷ = k) (VarianceEffect)
//	E_{D,y} 1[y ≠ ŷ] = Var(Y) + SE + VE, exactly at every point.
//
// Bias and variance say how the learner behaves; the systematic and
// variance effects say what that behaviour costs in loss (James 2003,
// §3): under the zero-one loss they differ, and only the effects add up.
type James struct {
	Noise            Estimate `json:"noise"`
	Bias             Estimate `json:"bias"`
	Variance         Estimate `json:"variance"`
	SystematicEffect Estimate `json:"systematic_effect"`
	VarianceEffect   Estimate `json:"variance_effect"`
	// Gap is Error − (Noise + SystematicEffect + VarianceEffect).
	Gap float64 `json:"gap"`
}

// kwjPoint holds the Kohavi–Wolpert and James terms at one test point.
type kwjPoint struct {
	kwNoise, kwBias2, kwVar float64
	jSE, jVE                float64
}

// kwjamesPoint computes both decompositions at a point whose R predictions
// fall into classes with the given counts, with true posterior post, Bayes
// class bayes and main prediction main.
func kwjamesPoint(counts []float64, R float64, post []float64, bayes, main int) kwjPoint {
	var pp, qq, pq, d2 float64
	for k, c := range counts {
		q := c / R
		pp += post[k] * post[k]
		qq += q * q
		pq += post[k] * q
		d2 += (post[k] - q) * (post[k] - q)
	}
	return kwjPoint{
		kwNoise: (1 - pp) / 2, kwBias2: d2 / 2, kwVar: (1 - qq) / 2,
		jSE: post[bayes] - post[main], jVE: post[main] - pq,
	}
}

// kwjTotals are the averaged terms: KW noise, bias², variance; James SE, VE.
type kwjTotals [5]float64

func (t *kwjTotals) add(p kwjPoint, m float64) {
	t[0] += p.kwNoise / m
	t[1] += p.kwBias2 / m
	t[2] += p.kwVar / m
	t[3] += p.jSE / m
	t[4] += p.jVE / m
}

// fill writes the two decompositions into rep, given the full-sample
// totals, their jackknife standard errors and Domingos's totals already
// in rep.
func (t kwjTotals) fill(se []float64, rep *Report) {
	tot := &rep.Totals
	e := tot.Error.Value
	rep.Totals.KohaviWolpert = &KohaviWolpert{
		Noise: Estimate{t[0], 0}, Bias2: Estimate{t[1], se[1]}, Variance: Estimate{t[2], se[2]},
		Gap: e - (t[0] + t[1] + t[2]),
	}
	rep.Totals.James = &James{
		Noise: *tot.Noise, Bias: *tot.Bias, Variance: tot.Variance,
		SystematicEffect: Estimate{t[3], se[3]}, VarianceEffect: Estimate{t[4], se[4]},
		Gap: e - (tot.Noise.Value + t[3] + t[4]),
	}
}

// kwjOK reports whether both identities hold to rounding.
func kwjOK(rep *Report) bool {
	tol := 1e-9 * (1 + math.Abs(rep.Totals.Error.Value))
	return math.Abs(rep.Totals.KohaviWolpert.Gap) <= tol && math.Abs(rep.Totals.James.Gap) <= tol
}
