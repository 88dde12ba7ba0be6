package mixture

import "math"

// veeFamily is mclust's VEE: proportional covariances Σ_k = λ_k C with
// one matrix C = DADᵀ of determinant 1. covs holds the K volumes λ_k, the
// shape a (C's eigenvalues, decreasing, product 1) and the orientation D
// (C's eigenvectors in columns); chol the K Cholesky precision factors.
//
// The M-step has no closed form. Celeux & Govaert (1995, §3.3, p. 785)
// alternate the conditional maximisers
//
//	C   = Σ_k W_k/λ_k / |Σ_k W_k/λ_k|^(1/D),
//	λ_k = tr(W_k C⁻¹) / (D·n_k),
//
// as mclust's msvee and mevee do, from λ = 1 (C of the pooled scatter),
// stopping when the target D·n + D·Σ_k n_k log λ_k (−2 times the profile
// log-likelihood, less constants) changes by at most tol relative to
// 1 + |itself| (mclust's sqrt(ε)). mclust starts every M-step of me from
// λ = 1; we start from the previous volumes after the first M-step, so
// that the log-likelihood never decreases (startWarm); the two agree to
// the inner tolerance.
type veeFamily struct{ layout }

var veeFam = veeFamily{layout{typ: VEE, vol: shareVary, shape: shareEqual, orient: shareEqual}}

func (f veeFamily) mstep(c *comps, scat, nk []float64, _, reg float64) error {
	return f.mstepWith(c, scat, nk, reg, f.fit)
}

func (f veeFamily) fromFull(c *comps, mats [][]float64, prec bool, w []float64) error {
	return f.project(c, mats, prec, w, f.fit)
}

func (f veeFamily) fit(c *comps, scat, nk []float64, in inner) error {
	k, d := c.k, c.d
	dd := d * d
	scale := c.covs[:k]
	if in.start != startWarm {
		for i := range scale {
			scale[i] = 1
		}
	}
	tot := 0.0
	for _, n := range nk {
		tot += n
	}
	cm, cinv, tmp := make([]float64, dd), make([]float64, dd), make([]float64, dd)
	prev := math.MaxFloat64 / 2
iterations:
	for it := 1; ; it++ {
		clear(cm)
		for i := 0; i < k; i++ {
			r := 1 / scale[i]
			for j, v := range scat[i*dd : (i+1)*dd] {
				cm[j] += v * r
			}
		}
		// |C|^(1/D) from its Cholesky factor.
		copy(tmp, cm)
		if !cholesky(tmp, d) {
			return f.singular(c)
		}
		logDet := 0.0
		for j := 0; j < d; j++ {
			logDet += 2 * math.Log(tmp[j*d+j])
		}
		g := math.Exp(logDet / float64(d))
		for j := range cm {
			cm[j] /= g
		}
		if !invertSPD(cinv, cm, d) {
			return f.singular(c)
		}
		trgt := float64(d) * tot
		for i := 0; i < k; i++ {
			s := 0.0
			for j, v := range scat[i*dd : (i+1)*dd] {
				s += v * cinv[j]
			}
			scale[i] = s / (float64(d) * nk[i])
			if !positive(scale[i]) {
				break iterations // component i is singular: factor refuses it
			}
			trgt += float64(d) * nk[i] * math.Log(scale[i])
		}
		change := math.Abs(trgt-prev) / (1 + math.Abs(trgt))
		prev = trgt
		if !(change > in.tol) || it >= in.maxIter {
			break
		}
	}
	// C = DADᵀ.
	_, or, _ := f.offsets(k, d)
	if !newLinWork(d).eig(c.covs[k:k+d], c.covs[or:or+dd], cm) {
		return f.singular(c)
	}
	return nil
}

// singular leaves parameters that factor refuses: the pooled scatter is
// singular.
func (f veeFamily) singular(c *comps) error {
	c.covs[0] = math.NaN()
	return nil
}
