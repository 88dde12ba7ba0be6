package mixture

import (
	"context"
	"fmt"
	"math"
)

// hcVVV is mclust's hcVVV (mclust.f:hcvvv) on the n×p rows z, returning
// the n − 1 merges (a < b, the clusters' smallest rows, 0-based). It
// follows mclust's bookkeeping step for step (testdata/mclust/NOTES.md
// §6), since that decides ties and, through the factor rows mclust keeps,
// the costs themselves:
//
//   - clusters sit in slots 0…m−1; the merge costs in a packed lower
//     triangle, searched in the order j = 1…m−1, i = 0…j−1 (the packed
//     order), ties to the last pair;
//   - merging slots i < j puts the union in slot i and moves the last
//     slot's cluster into slot j; only the costs between slot i and the
//     others are recomputed;
//   - a cluster keeps √m·mean, tr W, its term, the matrix its factor was
//     built from, and the matrix of the factor rows mclust stores: min(m −
//     1, p) copies of the factor's first row r, the k-th read back as (0,
//     …, 0, r_k, …, r_p); later determinants add that, not W.
//
// The criterion (Banfield & Raftery 1993, regularised as mclust): a
// cluster of m rows has term m log([m > p] det(W/m) + (tr W + α)/m), α =
// max(traceW(z/√(np)), ε), β = 1; a merge costs the union's term less
// its parts'.
func hcVVV(ctx context.Context, z []float64, n, p int) ([][2]int, error) {
	alpha := math.Max(hcTraceW(z, n, p, math.Sqrt(float64(n*p))), mcEps)
	const beta = 1.0
	ablog := math.Log(beta * alpha)
	const rthalf = 0.7071067811865476 // sqrt(1/2), as mclust's constant
	pp := p * p

	// Per slot.
	cnt := make([]int, n)
	name := make([]int, n)
	x := make([]float64, n*p) // √m · mean
	tr := make([]float64, n)
	term := make([]float64, n)
	mtrue := make([]float64, n*pp)   // the matrix the factor was built from
	mstored := make([]float64, n*pp) // Σ of the stored factor rows' outer products
	copy(x, z)
	for i := 0; i < n; i++ {
		cnt[i], name[i], term[i] = 1, i, ablog
	}
	// The newest cluster's pair values against every other slot.
	svTr := make([]float64, n)
	svTm := make([]float64, n)
	svM := make([]float64, n*pp)
	svWK := make([]float64, n) // the other cluster's weight in the scaled sum
	svWC := make([]float64, n) // the newest cluster's

	cost := make([]float64, n*(n-1)/2)
	at := func(i, j int) int { // i < j
		return j*(j-1)/2 + i
	}
	v := make([]float64, p)
	for j := 1; j < n; j++ {
		zj := z[j*p : (j+1)*p]
		for i := 0; i < j; i++ {
			zi := z[i*p : (i+1)*p]
			for k := range v {
				v[k] = (zi[k] - zj[k]) * rthalf
			}
			t := hcDot(v)
			cost[at(i, j)] = 2*math.Log(beta*(t+alpha)/2) - (ablog + ablog)
		}
	}
	w := newHCWork(p)
	last := -1
	m := n
	merges := make([][2]int, 0, n-1)
	xnew := make([]float64, p)
	for step := 0; step < n-1; step++ {
		if step%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		// The search: the last minimum in packed order.
		best := math.Inf(1)
		bi, bj := -1, -1
		idx := 0
		for j := 1; j < m; j++ {
			for i, c := range cost[idx : idx+j] {
				if c <= best {
					best, bi, bj = c, i, j
				}
			}
			idx += j
		}
		if bi < 0 { // every cost NaN
			return nil, fmt.Errorf("mixture: HC: no merge has a finite cost at step %d (are the data finite?)", step+1)
		}
		merges = append(merges, [2]int{min(name[bi], name[bj]), max(name[bi], name[bj])})
		mi, mj := cnt[bi], cnt[bj]
		mt := mi + mj
		xi, xj := x[bi*p:(bi+1)*p], x[bj*p:(bj+1)*p]
		var ntr, nterm float64
		nM := w.m
		if bi == last || bj == last {
			other := bj
			if bj == last {
				other = bi
			}
			xc, xk := x[last*p:(last+1)*p], x[other*p:(other+1)*p]
			for k := range xnew {
				xnew[k] = svWK[other]*xk[k] + svWC[other]*xc[k]
			}
			ntr, nterm = svTr[other], svTm[other]
			copy(nM, svM[other*pp:(other+1)*pp])
		} else {
			// A cost computed before the last merge: the union rebuilt
			// from the two clusters' stored rows.
			var si, sj float64
			if mi == 1 && mj == 1 {
				si, sj = rthalf, rthalf
				for k := range v {
					v[k] = (xi[k] - xj[k]) * rthalf
				}
			} else {
				qij := 1 / float64(mt)
				si, sj = math.Sqrt(float64(mi)*qij), math.Sqrt(float64(mj)*qij)
				for k := range v {
					v[k] = xi[k]*sj - si*xj[k]
				}
			}
			ntr = (tr[bi] + tr[bj]) + hcDot(v)
			nterm = best + (term[bi] + term[bj])
			mi0, mj0 := mstored[bi*pp:(bi+1)*pp], mstored[bj*pp:(bj+1)*pp]
			for a := 0; a < p; a++ {
				for b := 0; b < p; b++ {
					nM[a*p+b] = (mi0[a*p+b] + mj0[a*p+b]) + v[a]*v[b]
				}
			}
			for k := range xnew {
				xnew[k] = si*xi[k] + sj*xj[k]
			}
		}
		// Slot bi takes the union.
		cnt[bi], name[bi] = mt, min(name[bi], name[bj])
		copy(x[bi*p:(bi+1)*p], xnew)
		tr[bi], term[bi] = ntr, nterm
		copy(mtrue[bi*pp:(bi+1)*pp], nM)
		hcStoredRows(mstored[bi*pp:(bi+1)*pp], nM, mt, p)
		// The last slot moves into slot bj.
		mlast := m - 1
		if bj != mlast {
			cnt[bj], name[bj] = cnt[mlast], name[mlast]
			copy(x[bj*p:(bj+1)*p], x[mlast*p:(mlast+1)*p])
			tr[bj], term[bj] = tr[mlast], term[mlast]
			copy(mtrue[bj*pp:(bj+1)*pp], mtrue[mlast*pp:(mlast+1)*pp])
			copy(mstored[bj*pp:(bj+1)*pp], mstored[mlast*pp:(mlast+1)*pp])
			for i := 0; i < mlast; i++ {
				if i == bj {
					continue
				}
				cost[at(min(i, bj), max(i, bj))] = cost[at(min(i, mlast), max(i, mlast))]
			}
		}
		m--
		last = bi
		if m == 1 {
			break
		}
		// The costs of the new cluster against every other slot.
		c := bi
		xc := x[c*p : (c+1)*p]
		ni := cnt[c]
		for k := 0; k < m; k++ {
			if k == c {
				continue
			}
			xk := x[k*p : (k+1)*p]
			nij := ni + cnt[k]
			qij := 1 / float64(nij)
			si := math.Sqrt(float64(ni) * qij)
			sj := math.Sqrt(float64(cnt[k]) * qij)
			for a := range v {
				v[a] = xk[a]*si - sj*xc[a]
			}
			var t, termk float64
			if cnt[k] == 1 {
				t = tr[c] + hcDot(v)
				termk = ablog
			} else {
				t = (tr[c] + tr[k]) + hcDot(v)
				termk = term[k]
			}
			sm := svM[k*pp : (k+1)*pp]
			mc, sk := mtrue[c*pp:(c+1)*pp], mstored[k*pp:(k+1)*pp]
			for a := 0; a < p; a++ {
				for b := 0; b < p; b++ {
					sm[a*p+b] = (mc[a*p+b] + sk[a*p+b]) + v[a]*v[b]
				}
			}
			tm := w.term(nij, t, sm, alpha, beta)
			cost[at(min(k, c), max(k, c))] = tm - (term[c] + termk)
			svTr[k], svTm[k], svWK[k], svWC[k] = t, tm, sj, si
		}
	}
	return merges, nil
}

// hcTraceW is mclust's traceW (mcltrw) of the n×p rows x divided by f: the
// sum over columns of the squared deviations from the column mean, the
// mean accumulated as Σ (x/√n)·… in mclust's order.
func hcTraceW(x []float64, n, p int, f float64) float64 {
	fac := 1 / math.Sqrt(float64(n))
	ss := 0.0
	for j := 0; j < p; j++ {
		u := 0.0
		for i := 0; i < n; i++ {
			u += fac * (x[i*p+j] / f)
		}
		s := 0.0
		for i := 0; i < n; i++ {
			c := x[i*p+j]/f - fac*u
			s += c * c
		}
		ss += s
	}
	return ss
}

func hcDot(v []float64) float64 {
	s := 0.0
	for _, a := range v {
		s += a * a
	}
	return s
}

// hcWork is the scratch of hcVVV's terms.
type hcWork struct {
	p int
	m []float64 // the union's matrix
	l []float64 // a Cholesky factor
}

func newHCWork(p int) *hcWork {
	return &hcWork{p: p, m: make([]float64, p*p), l: make([]float64, p*p)}
}

// term is mclust's vvvtij: the VVV term of a cluster of l rows with trace
// tr and scatter factor matrix mm.
func (w *hcWork) term(l int, tr float64, mm []float64, alpha, beta float64) float64 {
	p := w.p
	fl := float64(l)
	if l <= p {
		return fl * math.Log(beta*(tr+alpha)/fl)
	}
	if tr == 0 {
		return fl * math.Log((alpha*beta)/fl)
	}
	// Upper Cholesky R of mm (RᵀR = mm), column by column as LAPACK's
	// unblocked dpotf2.
	r := w.l
	clear(r)
	for j := 0; j < p; j++ {
		s := mm[j*p+j]
		for k := 0; k < j; k++ {
			s -= r[k*p+j] * r[k*p+j]
		}
		if !(s > 0) {
			return fl * math.Log(beta*(tr+alpha)/fl)
		}
		rjj := math.Sqrt(s)
		r[j*p+j] = rjj
		for c := j + 1; c < p; c++ {
			t := mm[j*p+c]
			for k := 0; k < j; k++ {
				t -= r[k*p+j] * r[k*p+c]
			}
			r[j*p+c] = t / rjj
		}
	}
	s := math.Sqrt(1 / fl)
	detlog := 0.0
	for j := 0; j < p; j++ {
		if r[j*p+j] == 0 {
			return fl * math.Log(beta*(tr+alpha)/fl)
		}
		detlog += math.Log(math.Abs(r[j*p+j] * s))
	}
	detlog *= 2
	if detlog <= 0 {
		return fl * math.Log(math.Exp(detlog)+beta*(tr+alpha)/fl)
	}
	return fl * (math.Log(1+math.Exp(-detlog)*(beta*(tr+alpha)/fl)) + detlog)
}

// hcStoredRows sets dst to what mclust's stored factor rows of a cluster
// of m rows stand for: with r the first row of the upper Cholesky factor
// of mm (mm's first row over √mm₁₁), Σ_{k<min(m−1,p)} v_k v_kᵀ, v_k = (0,
// …, 0, r_k, …, r_p).
func hcStoredRows(dst, mm []float64, m, p int) {
	clear(dst)
	q := min(m-1, p)
	if q <= 0 || !(mm[0] > 0) {
		return
	}
	r := make([]float64, p)
	s := math.Sqrt(mm[0])
	for j := range r {
		r[j] = mm[j] / s
	}
	for k := 0; k < q; k++ {
		for a := k; a < p; a++ {
			for b := k; b < p; b++ {
				dst[a*p+b] += r[a] * r[b]
			}
		}
	}
}
