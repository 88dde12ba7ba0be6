package mixture

import (
	"math"

	"github.com/latentgo/latent/internal/logmath"
)

// The inner loops of the E-step, on row-major slices. Each row's result is
// computed by the same sequence of operations whatever the rows around it,
// so a row scores the same bits alone or in a batch (catalog M-38). The
// loops are register-tiled by hand (Go does not vectorise), and written so
// that the compiler can drop the bounds checks of the innermost loops.

// subRows sets dst[i·d+j] = x[i·stride+j] − mu[j] for n rows.
func subRows(dst, x []float64, stride int, mu []float64, n, d int) {
	mu = mu[:d]
	if diagAVX2 && n > 0 && d > 0 { // the same subtractions, four at a time
		_, _ = x[(n-1)*stride+d-1], dst[n*d-1]
		subRowsAVX2(&dst[0], &x[0], stride, &mu[0], n, d)
		return
	}
	for i := 0; i < n; i++ {
		xr := x[i*stride : i*stride+d]
		dr := dst[i*d : i*d+d]
		dr, m := dr[:len(xr)], mu[:len(xr)]
		for j, v := range xr {
			dr[j] = v - m[j]
		}
	}
}

// mahaLower sets maha[i] = ‖A·diff_i‖² for n rows diff_i (n×d row-major) and
// the lower triangular d×d A (row-major; only l ≤ j is read): the squared
// Mahalanobis distance when AᵀA = Σ⁻¹. Two rows and two outputs at a time
// share their loads (4 loads per 4 multiply-adds, all in registers: wider
// tiles spill in Go and ran half as fast). Per row, y_j = Σ_{l≤j}
// A_jl·diff_il is summed in the order of l and ‖y‖² in pairs (j, j+1), the
// same in the tile and in mahaRow.
func mahaLower(maha, diff, a []float64, n, d int) {
	i := 0
	for ; i+1 < n; i += 2 {
		r0 := diff[i*d : i*d+d]
		r1 := diff[(i+1)*d : (i+1)*d+d]
		var m0, m1 float64
		j := 0
		for ; j+1 < d; j += 2 {
			a0 := a[j*d : j*d+j+2] // A_jl for l ≤ j+1 (A_j,j+1 = 0)
			a1 := a[(j+1)*d : (j+1)*d+j+2]
			a1 = a1[:len(a0)]
			x0, x1 := r0[:len(a0)], r1[:len(a0)]
			var s00, s01, s10, s11 float64
			for l, u := range a0 {
				v := a1[l]
				e0, e1 := x0[l], x1[l]
				s00 += u * e0
				s01 += v * e0
				s10 += u * e1
				s11 += v * e1
			}
			m0 += s00*s00 + s01*s01
			m1 += s10*s10 + s11*s11
		}
		if j < d {
			a0 := a[j*d : j*d+j+1]
			x0, x1 := r0[:len(a0)], r1[:len(a0)]
			var s0, s1 float64
			for l, u := range a0 {
				s0 += u * x0[l]
				s1 += u * x1[l]
			}
			m0 += s0 * s0
			m1 += s1 * s1
		}
		maha[i], maha[i+1] = m0, m1
	}
	for ; i < n; i++ {
		maha[i] = mahaRow(diff[i*d:i*d+d], a, d)
	}
}

// mahaRow is mahaLower for one row, with the same order of operations.
func mahaRow(r, a []float64, d int) float64 {
	var m float64
	j := 0
	for ; j+1 < d; j += 2 {
		a0 := a[j*d : j*d+j+2]
		a1 := a[(j+1)*d : (j+1)*d+j+2]
		a1 = a1[:len(a0)]
		x := r[:len(a0)]
		var s0, s1 float64
		for l, u := range a0 {
			s0 += u * x[l]
			s1 += a1[l] * x[l]
		}
		m += s0*s0 + s1*s1
	}
	if j < d {
		a0 := a[j*d : j*d+j+1]
		x := r[:len(a0)]
		var s0 float64
		for l, u := range a0 {
			s0 += u * x[l]
		}
		m += s0 * s0
	}
	return m
}

// mahaDiag sets maha[i] = Σ_j (p_j·diff_ij)².
func mahaDiag(maha, diff, p []float64, n, d int) {
	p = p[:d]
	for i := 0; i < n; i++ {
		r := diff[i*d : i*d+d]
		var s float64
		for j, v := range r {
			t := v * p[j]
			s += t * t
		}
		maha[i] = s
	}
}

// mahaSpherical sets maha[i] = p²·Σ_j diff_ij².
func mahaSpherical(maha, diff []float64, p float64, n, d int) {
	p2 := p * p
	for i := 0; i < n; i++ {
		r := diff[i*d : i*d+d]
		var s float64
		for _, v := range r {
			s += v * v
		}
		maha[i] = p2 * s
	}
}

// logNorm returns ll = log Σ_k exp(lp_k) and s = Σ_k exp(lp_k − max),
// writing exp(lp_k − max) into e, so that q_k = e_k/s: one exponential per
// component and one logarithm per row. As logmath.LogSumExp it shifts by
// the maximum; a row of −Inf gives −Inf (catalog N-01), which the callers
// turn into an error or a −Inf score.
func logNorm(lp, e []float64) (ll, s float64) {
	e = e[:len(lp)]
	mx := math.Inf(-1)
	for _, v := range lp {
		if v > mx {
			mx = v
		}
	}
	if math.IsInf(mx, 0) || math.IsNaN(mx) {
		return mx, 0
	}
	for k, v := range lp {
		t := math.Exp(v - mx)
		e[k] = t
		s += t
	}
	return mx + math.Log(s), s
}

// normRows is logNorm for the n rows of the chunk in w.lp at once: it
// sets w.ech[i·K+k] = exp(lp_ik − max_k lp_ik), w.rowS[i] their sum and
// w.rowLL[i] = log Σ_k exp(lp_ik), with the same bits as logNorm row by
// row (the exponentials by logmath.ExpTo, math.Exp's bits, four at a
// time). A row whose maximum is not finite gets rowLL = that maximum and
// rowS = 0, as logNorm returns, and exponentials of 0.
func (w *worker) normRows(n int) {
	k := w.m.k
	lp, e := w.lp[:n*k], w.ech[:n*k]
	ll, rs := w.rowLL[:n], w.rowS[:n]
	for i := range ll {
		r := lp[i*k : (i+1)*k]
		er := e[i*k : (i+1)*k]
		er = er[:len(r)]
		mx := math.Inf(-1)
		for _, v := range r {
			if v > mx {
				mx = v
			}
		}
		ll[i] = mx
		if math.IsInf(mx, 0) || math.IsNaN(mx) {
			for j := range er {
				er[j] = math.Inf(-1) // exp: 0
			}
			continue
		}
		for j, v := range r {
			er[j] = v - mx
		}
	}
	logmath.ExpTo(e, e)
	// The sums, two rows side by side (each in the order of k).
	i := 0
	for ; i+1 < n; i += 2 {
		a, b := e[i*k:(i+1)*k], e[(i+1)*k:(i+2)*k]
		b = b[:len(a)]
		var s, t float64
		for j, v := range a {
			s += v
			t += b[j]
		}
		rs[i], rs[i+1] = s, t
	}
	for ; i < n; i++ {
		var s float64
		for _, t := range e[i*k : (i+1)*k] {
			s += t
		}
		rs[i] = s
	}
	for i, mx := range ll {
		if math.IsInf(mx, 0) || math.IsNaN(mx) {
			rs[i] = 0
			continue
		}
		ll[i] = mx + math.Log(rs[i])
	}
}

// accumulate adds Σ_i wr_i·diff_i to s1 (d) and Σ_i wr_i·diff_i·diff_iᵀ to
// s2: its upper triangle (d×d row-major) when full, else its diagonal (d).
// wd is scratch of n·d. The full case scales the rows once (wd_i =
// wr_i·diff_i) and then sums wd_iᵀ·diff_i over the rows in 2×4 register
// tiles of s2, or with one Gemm when gemm is set.
func accumulate(s1, s2, diff, wr, wd []float64, n, d int, full, gemm bool) {
	wr = wr[:n]
	if !full {
		s1, s2 := s1[:d], s2[:d]
		for i, w := range wr {
			if w == 0 {
				continue
			}
			r := diff[i*d : i*d+d]
			for j, v := range r {
				t := w * v
				s1[j] += t
				s2[j] += t * v
			}
		}
		return
	}
	wd = wd[:n*d]
	s1 = s1[:d]
	for i, w := range wr {
		r := diff[i*d : i*d+d]
		o := wd[i*d : i*d+d]
		o, t1 := o[:len(r)], s1[:len(r)]
		for j, v := range r {
			t := w * v
			o[j] = t
			t1[j] += t
		}
	}
	if gemm {
		scatterGemm(s2, wd, diff, n, d)
		return
	}
	a := 0
	for ; a+1 < d; a += 2 {
		b := a
		for ; b+3 < d; b += 4 {
			var c00, c01, c02, c03, c10, c11, c12, c13 float64
			for i := 0; i < n; i++ {
				o := wd[i*d+a : i*d+a+2]
				r := diff[i*d+b : i*d+b+4]
				w0, w1 := o[0], o[1]
				x0, x1, x2, x3 := r[0], r[1], r[2], r[3]
				c00 += w0 * x0
				c01 += w0 * x1
				c02 += w0 * x2
				c03 += w0 * x3
				c10 += w1 * x0
				c11 += w1 * x1
				c12 += w1 * x2
				c13 += w1 * x3
			}
			r0 := s2[a*d+b : a*d+b+4]
			r1 := s2[(a+1)*d+b : (a+1)*d+b+4]
			r0[0] += c00
			r0[1] += c01
			r0[2] += c02
			r0[3] += c03
			r1[0] += c10 // (a+1, a) when b = a: below the diagonal, unused
			r1[1] += c11
			r1[2] += c12
			r1[3] += c13
		}
		for ; b+1 < d; b += 2 {
			var c00, c01, c10, c11 float64
			for i := 0; i < n; i++ {
				o := wd[i*d+a : i*d+a+2]
				r := diff[i*d+b : i*d+b+2]
				w0, w1 := o[0], o[1]
				x0, x1 := r[0], r[1]
				c00 += w0 * x0
				c01 += w0 * x1
				c10 += w1 * x0
				c11 += w1 * x1
			}
			s2[a*d+b] += c00
			s2[a*d+b+1] += c01
			s2[(a+1)*d+b] += c10
			s2[(a+1)*d+b+1] += c11
		}
		for ; b < d; b++ {
			var c0, c1 float64
			for i := 0; i < n; i++ {
				x := diff[i*d+b]
				c0 += wd[i*d+a] * x
				c1 += wd[i*d+a+1] * x
			}
			s2[a*d+b] += c0
			s2[(a+1)*d+b] += c1
		}
	}
	if a < d { // the last row of an odd d: only its diagonal element
		var c float64
		for i := 0; i < n; i++ {
			c += wd[i*d+a] * diff[i*d+a]
		}
		s2[a*d+a] += c
	}
}
