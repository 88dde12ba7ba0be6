package biasvar

import (
	"math"

	"github.com/latentgo/latent/internal/logmath"
)

// heskesPoint decomposes the log-loss at one test point (Heskes 1998),
// given L_k = the mean over rounds of log q_r(k) and the true posterior p:
//
//	loss     = −Σ_k p_k L_k                         (expected −log q(y))
//	noise    = H(p) = −Σ_k p_k log p_k
//	q̄_k      = exp(L_k) / Z,  Z = Σ_k exp(L_k)       (normalised geometric mean)
//	bias     = KL(p ‖ q̄) = Σ_k p_k log(p_k/q̄_k)
//	variance = E_r KL(q̄ ‖ q_r) = −log Z
//
// and loss = noise + bias + variance exactly.
func heskesPoint(L, p, qbar []float64) (loss, noise, bias, variance float64) {
	logZ := logmath.LogSumExp(L)
	for k, pk := range p {
		loss -= pk * L[k]
		if qbar != nil {
			qbar[k] = math.Exp(L[k] - logZ)
		}
		if pk > 0 {
			noise -= pk * math.Log(pk)
			bias += pk * (math.Log(pk) - (L[k] - logZ))
		}
	}
	return loss, noise, bias, -logZ
}

// heskes fills rep with Heskes' decomposition of the log-loss of the
// log-probabilities lq[r][i*K+k] and delete-one jackknife standard errors.
func heskes(lq [][]float64, post [][]float64, rep *Report) {
	R, m, K := len(lq), len(post), len(post[0])
	fr, fm := float64(R), float64(m)
	S := make([]float64, m*K)
	for _, row := range lq {
		for j, v := range row {
			S[j] += v
		}
	}
	L := make([]float64, K)
	rep.MeanProba = make([][]float64, m)
	rep.Bias, rep.Variance, rep.Noise, rep.Error = make([]float64, m), make([]float64, m), make([]float64, m), make([]float64, m)
	var tl, tn, tb, tv float64
	for i := 0; i < m; i++ {
		for k := range L {
			L[k] = S[i*K+k] / fr
		}
		rep.MeanProba[i] = make([]float64, K)
		l, n, b, v := heskesPoint(L, post[i], rep.MeanProba[i])
		rep.Error[i], rep.Noise[i], rep.Bias[i], rep.Variance[i] = l, n, b, v
		tl, tn, tb, tv = tl+l/fm, tn+n/fm, tb+b/fm, tv+v/fm
	}
	jl, jb, jv := jack{c: tl}, jack{c: tb}, jack{c: tv}
	pv, pe := newJacks(rep.Variance), newJacks(rep.Error)
	if R >= 2 {
		for _, row := range lq {
			var sl, sb, sv float64
			for i := 0; i < m; i++ {
				for k := range L {
					L[k] = (S[i*K+k] - row[i*K+k]) / (fr - 1)
				}
				l, _, b, v := heskesPoint(L, post[i], nil)
				sl, sb, sv = sl+l/fm, sb+b/fm, sv+v/fm
				pv[i].add(v)
				pe[i].add(l)
			}
			jl.add(sl)
			jb.add(sb)
			jv.add(sv)
		}
	}
	rep.VarianceStdErr = nilIfNaN(jackSEs(pv))
	rep.ErrorStdErr = nilIfNaN(jackSEs(pe))
	rep.Totals = Totals{Error: Estimate{tl, jl.se()}, Noise: est(tn, 0), Bias: est(tb, jb.se()), Variance: Estimate{tv, jv.se()}}
	sum := tn + tb + tv
	gap := tl - sum
	rep.Check = &Check{Identity: "log-loss = noise + bias + variance (Heskes 1998; exact)", Sum: sum,
		Gap: Estimate{gap, 0}, Exact: true, OK: math.Abs(gap) <= 1e-9*(1+math.Abs(tl))}
	rep.StdErrMethod = "delete-one jackknife over rounds"
	rep.Notes = append(rep.Notes,
		"loss is the expected log-loss over y|x, computed exactly from the true posterior (natural log, nats) and averaged over rounds",
		"noise = entropy of the true posterior; bias = KL(posterior ‖ normalised geometric mean of the predictions); variance = mean KL(geometric mean ‖ single prediction)",
		"probabilities are clipped to [1e-15, 1−1e-15] and renormalised before the log, as scikit-learn's log_loss, unless the model gives log-probabilities")
}
