package biasvar_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/mathext"

	"github.com/latentgo/latent/biasvar"
	"github.com/latentgo/latent/mixture"
)

func gaussianTruth(t *testing.T, d int) *mixture.Model {
	cov := mat.NewSymDense(d, nil)
	for j := 0; j < d; j++ {
		cov.SetSym(j, j, 1+float64(j))
	}
	m, err := mixture.New(mixture.Full, mixture.Params{Weights: []float64{1}, Means: mat.NewDense(1, d, nil), Covariances: []*mat.SymDense{cov}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// K = 1 on Gaussian data, against the closed forms (see the package doc):
// with the full covariance fitted by maximum likelihood, q̄ = N(μ, Σ/c)
// with c = n/(n−D−2), so
//
//	bias     = (D/2)(c − 1 − ln c)
//	variance = ½[Σ_{i≤D} ψ((n−i)/2) + D ln(2/n) + cD/n + D ln c] ≈ D(D+3)/(4n);
//
// with only the mean fitted (known covariance), bias 0 and variance D/(2n)
// exactly. The noise is the entropy ½D(1 + ln 2π) + ½ ln det Σ.
func TestDensityGaussianClosedForms(t *testing.T) {
	for _, d := range []int{1, 2} {
		const n = 20
		truth := gaussianTruth(t, d)
		p := &biasvar.DensityProblem{Name: "gauss", Truth: truth, NTrain: n}
		fd := float64(d)
		logDet := 0.0
		for j := 0; j < d; j++ {
			logDet += math.Log(1 + float64(j))
		}
		entropy := 0.5*fd*(1+math.Log(2*math.Pi)) + 0.5*logDet
		c := float64(n) / float64(n-d-2)
		var psi float64
		for i := 1; i <= d; i++ {
			psi += mathext.Digamma(float64(n-i) / 2)
		}
		full := struct{ bias, variance float64 }{fd / 2 * (c - 1 - math.Log(c)), 0.5 * (psi + fd*math.Log(2.0/n) + c*fd/n + fd*math.Log(c))}
		cov := truth.Covariance(nil, 0)
		for _, tc := range []struct {
			name           string
			l              biasvar.DensityLearner
			bias, variance float64
		}{
			{"full covariance", biasvar.GMM{K: 1, RegCovar: mixture.NoRegCovar}, full.bias, full.variance},
			{"mean only", biasvar.GaussianMean{Cov: cov}, 0, fd / (2 * n)},
		} {
			rep, err := biasvar.DecomposeDensity(context.Background(), p, tc.l, biasvar.Options{Rounds: 2000, Seed: 3})
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(rep.Noise.Value-entropy) > 1e-7 {
				t.Errorf("D=%d %s: noise %v, entropy %v", d, tc.name, rep.Noise.Value, entropy)
			}
			if math.Abs(rep.Gap) > 1e-7 {
				t.Errorf("D=%d %s: gap %v", d, tc.name, rep.Gap)
			}
			if math.Abs(rep.Bias.Value-tc.bias) > 3*rep.Bias.StdErr+1e-6 {
				t.Errorf("D=%d %s: bias %v ± %v, closed form %v", d, tc.name, rep.Bias.Value, rep.Bias.StdErr, tc.bias)
			}
			if math.Abs(rep.Variance.Value-tc.variance) > 3*rep.Variance.StdErr+1e-6 {
				t.Errorf("D=%d %s: variance %v ± %v, closed form %v", d, tc.name, rep.Variance.Value, rep.Variance.StdErr, tc.variance)
			}
			t.Logf("D=%d n=%d %s: error %.5f noise %.5f bias %.5f ± %.1g (closed %.5f) variance %.5f ± %.1g (closed %.5f; D/(2n) %.4f, D(D+3)/(4n) %.4f)",
				d, n, tc.name, rep.Error.Value, rep.Noise.Value, rep.Bias.Value, rep.Bias.StdErr, tc.bias, rep.Variance.Value, rep.Variance.StdErr, tc.variance, fd/(2*n), fd*(fd+3)/(4*n))
		}
	}
}

// On a three-component truth, the sweep over K: the bias falls to ≈ 0 by
// K = 3 and the variance grows past it; BIC's choice is reported beside.
func TestDensitySweepThreeGaussians(t *testing.T) {
	p := biasvar.ThreeGaussians(100)
	p.GridPoints = 300
	sw, err := biasvar.SweepDensity(context.Background(), p, []int{1, 2, 3, 4, 6}, "", biasvar.Options{Rounds: 100, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	sw.WriteText(&b)
	t.Log("\n" + b.String())
	r := func(i int) *biasvar.DensityReport { return sw.Points[i].Report }
	if !(r(0).Bias.Value > 10*r(2).Bias.Value && r(2).Bias.Value < 0.01) {
		t.Errorf("bias at K=1 %v, at K=3 %v", r(0).Bias.Value, r(2).Bias.Value)
	}
	if !(r(4).Variance.Value > r(2).Variance.Value) {
		t.Errorf("variance at K=6 %v not above K=3 %v", r(4).Variance.Value, r(2).Variance.Value)
	}
	picks := 0
	for _, pt := range sw.Points {
		picks += pt.BICPicks
		if math.Abs(pt.Report.Gap) > 1e-6 {
			t.Errorf("K=%d: gap %v", pt.K, pt.Report.Gap)
		}
	}
	// BIC is consistent, not risk-optimal: at n = 100 it often prefers
	// K = 2 where the log-loss is lowest at K = 3 (the run above).
	if picks != 100 || sw.BestK != 3 || sw.BICModeK == 0 {
		t.Errorf("BIC picks %d (want 100), lowest log-loss at K = %d (want 3), BIC's mode %d", picks, sw.BestK, sw.BICModeK)
	}
}

// The KDE's bandwidth: the variance falls as it widens, and too wide a
// kernel is biased; Scott's rule runs. (A narrow kernel is biased too in
// Heskes's sense: the geometric mean of spiky densities is not the truth.)
func TestDensityKDE(t *testing.T) {
	p := biasvar.ThreeGaussians(50)
	p.GridPoints = 200
	var reps []*biasvar.DensityReport
	for _, h := range []float64{0.1, 0.8, 2, 0} {
		rep, err := biasvar.DecomposeDensity(context.Background(), p, biasvar.KDE{Bandwidth: h}, biasvar.Options{Rounds: 40, Seed: 2})
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(rep.Gap) > 1e-6 || !math.IsNaN(rep.BIC.Value) {
			t.Errorf("h=%v: gap %v, BIC %v", h, rep.Gap, rep.BIC)
		}
		reps = append(reps, rep)
	}
	if !(reps[0].Variance.Value > reps[1].Variance.Value && reps[1].Variance.Value > reps[2].Variance.Value && reps[2].Bias.Value > reps[1].Bias.Value) {
		for i, r := range reps {
			t.Errorf("setting %d: bias %v, variance %v", i, r.Bias.Value, r.Variance.Value)
		}
	}
}
