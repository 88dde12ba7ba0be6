package mixture

// The inner loops of the E-step, on row-major slices. Each row's result is
// computed by the same sequence of operations whatever the rows around it,
// so a row scores the same bits alone or in a batch (catalog M-38).

// subRows sets dst[i·d+j] = x[i·stride+j] − mu[j] for n rows.
func subRows(dst, x []float64, stride int, mu []float64, n, d int) {
	mu = mu[:d]
	for i := 0; i < n; i++ {
		xr := x[i*stride : i*stride+d]
		dr := dst[i*d : i*d+d]
		for j, v := range xr {
			dr[j] = v - mu[j]
		}
	}
}

// mahaLower sets maha[i] = ‖A·diff_i‖² for n rows diff_i (n×d row-major) and
// the lower triangular d×d A: the squared Mahalanobis distance when
// AᵀA = Σ⁻¹. Two rows at a time share the loads of A.
func mahaLower(maha, diff, a []float64, n, d int) {
	i := 0
	for ; i+1 < n; i += 2 {
		r0 := diff[i*d : i*d+d]
		r1 := diff[(i+1)*d : (i+1)*d+d]
		var m0, m1 float64
		for j := 0; j < d; j++ {
			aj := a[j*d : j*d+j+1]
			var s0, s1 float64
			for l, v := range aj {
				s0 += v * r0[l]
				s1 += v * r1[l]
			}
			m0 += s0 * s0
			m1 += s1 * s1
		}
		maha[i], maha[i+1] = m0, m1
	}
	for ; i < n; i++ {
		r0 := diff[i*d : i*d+d]
		var m0 float64
		for j := 0; j < d; j++ {
			aj := a[j*d : j*d+j+1]
			var s0 float64
			for l, v := range aj {
				s0 += v * r0[l]
			}
			m0 += s0 * s0
		}
		maha[i] = m0
	}
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

// accumulate adds Σ_i wr_i·diff_i to s1 (d) and Σ_i wr_i·diff_i·diff_iᵀ to
// s2: its upper triangle (d×d row-major) when full, else its diagonal (d).
func accumulate(s1, s2, diff, wr []float64, n, d int, full bool) {
	for i := 0; i < n; i++ {
		w := wr[i]
		if w == 0 {
			continue
		}
		r := diff[i*d : i*d+d]
		for j, v := range r {
			s1[j] += w * v
		}
		if full {
			for a, va := range r {
				wa := w * va
				row := s2[a*d+a : a*d+d]
				ra := r[a:]
				for b, vb := range ra {
					row[b] += wa * vb
				}
			}
		} else {
			s2 := s2[:d]
			for j, v := range r {
				s2[j] += w * v * v
			}
		}
	}
}
