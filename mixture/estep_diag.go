package mixture

import (
	"math"

	"gonum.org/v1/gonum/blas"
)

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
// without the differences: it fills w.lp and w.cst only. With AVX2 the
// components go four at a time through lpDiag4 and lpSph4
// (kernel_diag_amd64.s), each lane the scalar loop below, to the bit.
func (w *worker) logProbDiag(x []float64, stride, n int) {
	m := w.m
	k, d := m.k, m.d
	base := -0.5 * float64(d) * log2Pi
	for comp := 0; comp < k; comp++ {
		w.cst[comp] = m.logW[comp] + base + m.logDet[comp]
	}
	comp := 0
	if diagAVX2 && n > 0 {
		if len(w.dg) < 9*d+4 {
			w.dg = make([]float64, 9*d+4)
		}
		mt, pt, p2 := w.dg[:4*d], w.dg[4*d:8*d], w.dg[8*d:8*d+4]
		_ = x[(n-1)*stride+d-1]
		for ; comp+4 <= k; comp += 4 {
			sph := false
			for l := 0; l < 4; l++ {
				c := comp + l
				mu := m.means[c*d : (c+1)*d]
				p, ps, _ := diagPrecision(m.fam, &m.comps, c)
				for j := 0; j < d; j++ {
					mt[4*j+l] = mu[j]
				}
				if p == nil {
					sph = true
					p2[l] = ps * ps
					continue
				}
				for j := 0; j < d; j++ {
					pt[4*j+l] = p[j]
				}
			}
			lp := w.lp[comp : (n-1)*k+comp+4]
			if sph {
				lpSph4(&lp[0], k, &x[0], stride, n, &mt[0], &p2[0], d, &w.cst[comp])
			} else {
				lpDiag4(&lp[0], k, &x[0], stride, n, &mt[0], &pt[0], d, &w.cst[comp])
			}
		}
	}
	for ; comp < k; comp++ {
		mu := m.means[comp*d : (comp+1)*d]
		p, sph, _ := diagPrecision(m.fam, &m.comps, comp)
		cst := w.cst[comp]
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
// stride) on this path: the kept rows' differences are recomputed. With
// AVX2 the columns go four at a time through accDiag4, each lane the
// scalar loop's sums in the order of the rows, to the bit.
func (w *worker) absorbStatsDiag(s *stats, x []float64, stride, n int) {
	m := w.m
	k, d, c := m.k, m.d, w.chunk
	d4 := 0
	if diagAVX2 {
		d4 = d &^ 3
		if len(w.kr) < n {
			w.kr, w.kw = make([]int32, c), make([]float64, c)
		}
	}
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
		if d4 > 0 {
			kr, kw := w.kr[:n], w.kw[:n]
			nr := 0
			for i, wi := range wr {
				if keep[i] && wi != 0 {
					kr[nr], kw[nr] = int32(i), wi
					nr++
				}
			}
			if nr == 0 {
				continue
			}
			_ = x[int(kr[nr-1])*stride+d-1]
			accDiag4(&s1[0], &s2[0], &x[0], stride, &mu[0], &kr[0], &kw[0], nr, d4/4)
			if d4 == d {
				continue
			}
			for r, wi := range kw[:nr] {
				xr := x[int(kr[r])*stride+d4 : int(kr[r])*stride+d]
				mr, t1, t2 := mu[d4:], s1[d4:], s2[d4:]
				mr, t1, t2 = mr[:len(xr)], t1[:len(xr)], t2[:len(xr)]
				for j, v := range xr {
					u := v - mr[j]
					t := wi * u
					t1[j] += t
					t2[j] += t * u
				}
			}
			continue
		}
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

// The models of one common orientation D (VEE, EVE, VVE: Σ_k = λ_k D A_k
// Dᵀ) on the Gemm kernel: with the rows rotated once per chunk, y_i =
// Dᵀ(x_i − c) for a centre c (the weighted mean of the means, so that the
// rotated differences do not cancel more than x_i − μ_k would), the
// distance to component k is the diagonal one
//
//	‖A_k^(−1/2) Dᵀ(x_i − μ_k)‖²/λ_k = Σ_j (y_ij − ν_kj)² / (λ_k a_kj),  ν_k = Dᵀ(μ_k − c):
//
// one D×D product per row instead of one per row and component. It agrees
// with the general Gemm path to rounding (not to the bit); it is
// deterministic and scores a row the same alone or in a batch, as the
// product is mahaGemm's (fastblas's Dgemm, NoTrans × Trans).

// axesLayout returns m's layout when its family has one common
// orientation and m runs the Gemm kernel.
func axesLayout(m *Model) (layout, bool) {
	if !m.kernel.gemm() {
		return layout{}, false
	}
	f, ok := m.fam.(interface{ lay() layout })
	if !ok {
		return layout{}, false
	}
	l := f.lay()
	return l, l.orient == shareEqual && l.shape != shareNone
}

// mahaAxes fills w.lp (and w.cst) for n rows of x (stride stride) by the
// rotated distances, and w.diff with the differences x_i − μ_k as logProb
// does.
func (w *worker) mahaAxes(l layout, x []float64, stride, n int) {
	w.mahaAxesLean(l, x, stride, n, true)
}

// mahaAxesLean is mahaAxes, writing the differences only with diffs.
func (w *worker) mahaAxesLean(l layout, x []float64, stride, n int, diffs bool) {
	m := w.m
	k, d, c := m.k, m.d, w.chunk
	cc := &m.comps
	o := l.orientOf(cc, 0) // D×D, the axes in columns: Dᵀ row-major is o transposed
	ot := w.axes[:d*d]
	for a := 0; a < d; a++ {
		for b := 0; b < d; b++ {
			ot[a*d+b] = o[b*d+a]
		}
	}
	centre := w.axes[d*d : d*d+d]
	clear(centre)
	for comp := 0; comp < k; comp++ {
		wk := m.weights[comp]
		for j, v := range m.means[comp*d : (comp+1)*d] {
			centre[j] += wk * v
		}
	}
	xc := w.wd[:n*d] // scratch until absorbStats
	subRows(xc, x, stride, centre, n, d)
	y := w.y[:n*d]
	// Y = xc·D, as mahaGemm forms its product: xc·Bᵀ with B = Dᵀ.
	fast.Dgemm(blas.NoTrans, blas.Trans, n, d, d, 1, xc, d, ot, d, 0, y, d)
	nu := w.axes[d*d+d : d*d+2*d]
	p := w.axes[d*d+2*d : d*d+3*d]
	base := -0.5 * float64(d) * log2Pi
	for comp := 0; comp < k; comp++ {
		mu := m.means[comp*d : (comp+1)*d]
		if diffs {
			subRows(w.diff[comp*c*d:comp*c*d+n*d], x, stride, mu, n, d)
		}
		for j := 0; j < d; j++ {
			var s float64
			for l2 := 0; l2 < d; l2++ {
				s += (mu[l2] - centre[l2]) * o[l2*d+j]
			}
			nu[j] = s
		}
		lam, a := l.scale(cc, comp), l.shapeOf(cc, comp)
		for j := range p {
			p[j] = 1 / math.Sqrt(lam*a[j])
		}
		cst := m.logW[comp] + base + m.logDet[comp]
		w.cst[comp] = cst
		if g := comp &^ 3; diagAVX2 && g+4 <= k && n > 0 {
			// Components four at a time through lpDiag4 (the loop
			// below in each lane, to the bit).
			if len(w.dg) < 9*d+4 {
				w.dg = make([]float64, 9*d+4)
			}
			mt, pt := w.dg[:4*d], w.dg[4*d:8*d]
			l := comp - g
			for j := 0; j < d; j++ {
				mt[4*j+l], pt[4*j+l] = nu[j], p[j]
			}
			if l == 3 {
				lp := w.lp[g : (n-1)*k+g+4]
				lpDiag4(&lp[0], k, &y[0], d, n, &mt[0], &pt[0], d, &w.cst[g])
			}
			continue
		}
		for i := 0; i < n; i++ {
			yr := y[i*d : i*d+d]
			nr, pr := nu[:len(yr)], p[:len(yr)]
			var s float64
			for j, v := range yr {
				t := (v - nr[j]) * pr[j]
				s += t * t
			}
			w.lp[i*k+comp] = cst - 0.5*s
		}
	}
}
