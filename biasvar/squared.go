package biasvar

import "math"

// squaredInput is what the squared-loss decomposition needs: the
// predictions of the R successful rounds at m test points, the target the
// bias is measured against, and the errors of every prediction.
type squaredInput struct {
	pred   [][]float64 // pred[r][i]
	target []float64   // f(x) (Monte Carlo) or y (bootstrap)
	noise  []float64   // Var(ε|x) (Monte Carlo) or nil (bootstrap)
	errs   [][]float64 // loss of pred[r][i] against its (noisy) target
	// corrected selects the unbiased estimators (variance with 1/(R−1),
	// bias² minus variance/R) of Monte Carlo mode; otherwise mlxtend's
	// plug-in estimators with 1/R.
	corrected bool
}

// squaredBlock is the number of test points one task of the squared-loss
// reduction handles. The partition into blocks is fixed (it does not
// depend on the number of workers), and the blocks' partial sums are added
// in block order, so the result has the same bits on any number of cores.
const squaredBlock = 16

// squared fills rep with the per-point terms, the totals and their
// delete-one jackknife standard errors over rounds, using up to workers
// goroutines (blocks of test points in parallel).
func squared(in squaredInput, rep *Report, workers int) {
	R := len(in.pred)
	m := len(in.target)
	fr := float64(R)
	mu := make([]float64, m)
	ss := make([]float64, m)
	errSum := make([]float64, m)
	varPlug := make([]float64, m)
	varUnb := make([]float64, m)
	b2Plug := make([]float64, m)
	b2Unb := make([]float64, m)
	errMean := make([]float64, m)
	bias2, variance := b2Plug, varPlug
	if in.corrected {
		bias2, variance = b2Unb, varUnb
	}
	jb := make([]jack, m)
	jv := make([]jack, m)
	je := make([]jack, m)
	varDen := fr - 1
	if in.corrected {
		varDen = fr - 2
	}
	nb := (m + squaredBlock - 1) / squaredBlock
	// Per block and round: the sums over the block's points of the
	// replicates of bias², variance and error.
	part := make([]float64, nb*R*3)
	parallelFor(nb, workers, func(blk int) {
		lo, hi := blk*squaredBlock, min((blk+1)*squaredBlock, m)
		// The mean is accumulated around the first round's prediction, so
		// that identical predictions give their value exactly (variance 0
		// and the bias of a constant or oracle exactly, catalog B-03/B-04).
		for _, row := range in.pred {
			for i := lo; i < hi; i++ {
				mu[i] += row[i] - in.pred[0][i]
			}
		}
		for i := lo; i < hi; i++ {
			mu[i] = in.pred[0][i] + mu[i]/fr
		}
		for r, row := range in.pred {
			er := in.errs[r]
			for i := lo; i < hi; i++ {
				d := row[i] - mu[i]
				ss[i] += d * d
				errSum[i] += er[i]
			}
		}
		for i := lo; i < hi; i++ {
			varPlug[i] = ss[i] / fr
			b := mu[i] - in.target[i]
			b2Plug[i] = b * b
			errMean[i] = errSum[i] / fr
			if R > 1 {
				varUnb[i] = ss[i] / (fr - 1)
				b2Unb[i] = b2Plug[i] - varUnb[i]/fr
			} else {
				b2Unb[i] = b2Plug[i]
			}
			jb[i].c, jv[i].c, je[i].c = bias2[i], variance[i], errMean[i]
		}
		if R < 2 {
			return
		}
		// Delete-one jackknife over rounds. Without round r, for point i:
		//   mean  μ₋ᵣ  = μ − dᵣ/(R−1)                with dᵣ = ŷᵣ − μ
		//   SS₋ᵣ       = SS − dᵣ²·R/(R−1)
		//   var₋ᵣ      = SS₋ᵣ/(R−2) (corrected) or SS₋ᵣ/(R−1) (plug-in)
		//   bias²₋ᵣ    = (μ₋ᵣ − t)² [− var₋ᵣ/(R−1) when corrected]
		//   error₋ᵣ    = (Σ e − eᵣ)/(R−1)
		// Totals are means over i of these, so their replicates come from
		// the same rounds and keep the correlation between test points.
		for r, row := range in.pred {
			er := in.errs[r]
			var sb, sv, se float64
			for i := lo; i < hi; i++ {
				d := row[i] - mu[i]
				muL := mu[i] - d/(fr-1)
				ssL := ss[i] - d*d*fr/(fr-1)
				if ssL < 0 {
					ssL = 0
				}
				vL := ssL / varDen
				bL := (muL - in.target[i]) * (muL - in.target[i])
				if in.corrected {
					bL -= vL / (fr - 1)
				}
				eL := (errSum[i] - er[i]) / (fr - 1)
				jb[i].add(bL)
				jv[i].add(vL)
				je[i].add(eL)
				sb += bL
				sv += vL
				se += eL
			}
			o := (blk*R + r) * 3
			part[o], part[o+1], part[o+2] = sb, sv, se
		}
	})
	var tb, tv, te, tg jack
	tb.c, tv.c, te.c = mean(bias2), mean(variance), mean(errMean)
	noiseTotal := 0.0
	if in.noise != nil {
		noiseTotal = mean(in.noise)
	}
	tg.c = te.c - noiseTotal - tb.c - tv.c
	if R >= 2 {
		fm := float64(m)
		for r := 0; r < R; r++ {
			var sb, sv, se float64
			for blk := 0; blk < nb; blk++ {
				o := (blk*R + r) * 3
				sb, sv, se = sb+part[o], sv+part[o+1], se+part[o+2]
			}
			tb.add(sb / fm)
			tv.add(sv / fm)
			te.add(se / fm)
			tg.add(se/fm - noiseTotal - sb/fm - sv/fm)
		}
	}
	nanIfInvalid := func(s float64) float64 {
		if in.corrected && R < 3 {
			return math.NaN() // var₋ᵣ needs R−2 > 0
		}
		return s
	}
	bse, vse := tb.se(), tv.se()
	pointB, pointV := jackSEs(jb), jackSEs(jv)
	if in.corrected && R < 3 {
		bse, vse = math.NaN(), math.NaN()
		pointB, pointV = nil, nil
	}

	rep.MeanPrediction = mu
	rep.SDPrediction = make([]float64, m)
	for i, v := range variance {
		rep.SDPrediction[i] = math.Sqrt(math.Max(v, 0))
	}
	rep.Variance = variance
	rep.VarianceStdErr = nilIfNaN(pointV)
	rep.Error = errMean
	rep.ErrorStdErr = nilIfNaN(jackSEs(je))
	rep.Totals.Error = Estimate{mean(errMean), te.se()}
	rep.Totals.Variance = Estimate{mean(variance), vse}
	if in.corrected {
		rep.Bias2 = bias2
		rep.Bias2StdErr = nilIfNaN(pointB)
		rep.Bias2Plugin = b2Plug
		rep.Noise = in.noise
		rep.Totals.Bias2 = est(mean(bias2), bse)
		rep.Totals.Noise = est(noiseTotal, 0)
		// Plug-in totals: their replicates differ from the corrected ones
		// by var/R terms; their SEs are those of the corrected ones to
		// O(1/R), which we report.
		rep.Totals.Bias2Plugin = est(mean(b2Plug), bse)
		rep.Totals.VariancePlugin = est(mean(varPlug), nanIfInvalid(vse))
		sum := noiseTotal + rep.Totals.Bias2.Value + rep.Totals.Variance.Value
		gap := rep.Totals.Error.Value - sum
		gse := nanIfInvalid(tg.se())
		c := &Check{Identity: "error = noise + bias² + variance (in expectation; error measured against fresh noisy targets)",
			Sum: sum, Gap: Estimate{gap, gse}}
		switch {
		case gse > 0:
			c.Z = gap / gse
			c.OK = math.Abs(c.Z) <= 4
		case gse == 0:
			// No noise and no spread: the identity is exact.
			c.OK = math.Abs(gap) <= 1e-9*(1+math.Abs(rep.Totals.Error.Value))
		}
		rep.Check = c
	} else {
		rep.Bias2PlusNoise = bias2
		rep.Totals.Bias2PlusNoise = est(mean(bias2), bse)
		sum := rep.Totals.Bias2PlusNoise.Value + rep.Totals.Variance.Value
		gap := rep.Totals.Error.Value - sum
		rep.Check = &Check{Identity: "error = (bias² + noise) + variance (exact with the 1/R variance, as mlxtend's)",
			Sum: sum, Gap: Estimate{gap, 0}, Exact: true, OK: math.Abs(gap) <= 1e-9*(1+math.Abs(rep.Totals.Error.Value))}
	}
}
