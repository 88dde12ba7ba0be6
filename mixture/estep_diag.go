package mixture

// The E-step of the models without orientation (VII, VVI, EII, EEI, VEI,
// EVI, E, V), whose Mahalanobis distance is D multiply-adds per row and
// component: the general path (logProb, absorbStats) writes the
// differences x_i − μ_k of every row and component (K·D values a row)
// and reads them back twice, which costs more than the arithmetic. This
// path computes each row's distance from x directly, keeps no
// differences, and adds to the statistics only the rows a component keeps
// (absorbRows's negligible rule: for well-separated components about one
// in K), recomputing their differences. Every value is computed by the
// same operations in the same order as on the general path — the same
// subtraction x_ij − μ_kj, mahaDiag's and mahaSpherical's sums, the kept
// rows in order, accumulate's diagonal sums — so the two paths give the
// same bits (TestDiagEStepSameBits).

// diagPrecision returns the inverse deviations of component k for the
// families whose distance is mahaDiag's (p, D values) or mahaSpherical's
// (sph, p nil), and false for the others.
func diagPrecision(f family, c *comps, k int) (p []float64, sph float64, ok bool) {
	d := c.d
	switch f := f.(type) {
	case diagFamily:
		return c.chol[k*d : (k+1)*d], 0, true
	case sphericalFamily:
		return nil, c.chol[k], true
	case interface{ lay() layout }:
		l := f.lay()
		switch {
		case l.orient != shareNone:
			return nil, 0, false
		case l.shape != shareNone:
			return c.chol[k*d : (k+1)*d], 0, true
		}
		return nil, c.chol[k], true
	}
	return nil, 0, false
}

// diagPath reports whether the E-step of m's family can take this path.
func diagPath(m *Model) bool {
	if m.fam.fullScatter() {
		return false
	}
	_, _, ok := diagPrecision(m.fam, &m.comps, 0)
	return ok
}

// logProbDiag is logProb for n ≤ w.chunk rows of x (row stride stride)
// without the differences: it fills w.lp and w.cst only.
func (w *worker) logProbDiag(x []float64, stride, n int) {
	m := w.m
	k, d := m.k, m.d
	base := -0.5 * float64(d) * log2Pi
	for comp := 0; comp < k; comp++ {
		mu := m.means[comp*d : (comp+1)*d]
		p, sph, _ := diagPrecision(m.fam, &m.comps, comp)
		cst := m.logW[comp] + base + m.logDet[comp]
		w.cst[comp] = cst
		lp := w.lp[:n*k]
		if p != nil {
			p = p[:d]
			for i := 0; i < n; i++ {
				xr := x[i*stride : i*stride+d]
				mr, pr := mu[:len(xr)], p[:len(xr)]
				var s float64
				for j, v := range xr {
					t := (v - mr[j]) * pr[j]
					s += t * t
				}
				lp[i*k+comp] = cst - 0.5*s
			}
			continue
		}
		p2 := sph * sph
		for i := 0; i < n; i++ {
			xr := x[i*stride : i*stride+d]
			mr := mu[:len(xr)]
			var s float64
			for j, v := range xr {
				t := v - mr[j]
				s += t * t
			}
			lp[i*k+comp] = cst - 0.5*(p2*s)
		}
	}
}

// absorbStatsDiag is absorbStats for the chunk's n rows of x (stride
// stride) on this path: the kept rows' differences are recomputed.
func (w *worker) absorbStatsDiag(s *stats, x []float64, stride, n int) {
	m := w.m
	k, d, c := m.k, m.d, w.chunk
	for comp := 0; comp < k; comp++ {
		wr := w.wr[comp*c : comp*c+n]
		nk := 0.0
		for _, v := range wr {
			nk += v
		}
		s.n[comp] += nk
		mu := m.means[comp*d : (comp+1)*d]
		s1, s2 := s.m[comp*d:(comp+1)*d], s.m2[comp*d:(comp+1)*d]
		keep := w.keep[comp*c : comp*c+n]
		for i, wi := range wr {
			if !keep[i] || wi == 0 {
				continue
			}
			xr := x[i*stride : i*stride+d]
			mr, t1, t2 := mu[:len(xr)], s1[:len(xr)], s2[:len(xr)]
			for j, v := range xr {
				u := v - mr[j]
				t := wi * u
				t1[j] += t
				t2[j] += t * u
			}
		}
	}
}
