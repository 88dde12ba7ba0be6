package mixture

import (
	"fmt"

	"github.com/latentgo/latent/em"
)

// nkFloor is added to every component's count in the M-step, as
// scikit-learn does (10·machine epsilon): an empty component gets a finite
// mean and the regularised covariance instead of 0/0 (catalog N-05, M-18).
const nkFloor = 10 * 0x1p-52

// stats are the sufficient statistics of a Gaussian mixture over some rows,
// per component k, relative to the shift c_k (the component's mean when the
// E-step ran):
//
//	n_k  = Σ_i w_i q_ik
//	m_k  = Σ_i w_i q_ik (x_i − c_k) / n_k          (0 when n_k = 0)
//	M2_k = Σ_i w_i q_ik (x_i − c_k − m_k)(x_i − c_k − m_k)ᵀ
//
// M2 holds the upper triangle of each D×D matrix when the family reads
// the full scatter (full, tied), or the diagonal (diag, spherical). While an E-step accumulates, m and M2 hold
// the raw sums Σ w q (x − c) and Σ w q (x − c)(x − c)ᵀ; finish centres them.
type stats struct {
	full bool // M2 is D×D (the family's fullScatter), else diagonal
	k, d int
	n    []float64
	m    []float64
	m2   []float64
}

func (m *Model) newStats() *stats {
	full := m.fam.fullScatter()
	per := m.d
	if full {
		per = m.d * m.d
	}
	return &stats{full: full, k: m.k, d: m.d,
		n: make([]float64, m.k), m: make([]float64, m.k*m.d), m2: make([]float64, m.k*per)}
}

func (s *stats) reset() {
	clear(s.n)
	clear(s.m)
	clear(s.m2)
}

// finish turns the raw sums about the shift into the mean offset and the
// centred scatter: M2 = S2 − S1·S1ᵀ/n. The shift is close to the points'
// mean, so the correction is small and does not cancel.
func (s *stats) finish() {
	d := s.d
	for k, n := range s.n {
		mk := s.m[k*d : (k+1)*d]
		if n <= 0 {
			clear(mk)
			if s.full {
				clear(s.m2[k*d*d : (k+1)*d*d])
			} else {
				clear(s.m2[k*d : (k+1)*d])
			}
			continue
		}
		for j := range mk {
			mk[j] /= n
		}
		if s.full {
			m2 := s.m2[k*d*d : (k+1)*d*d]
			for a := 0; a < d; a++ {
				na := n * mk[a]
				row := m2[a*d : (a+1)*d]
				for b := a; b < d; b++ {
					row[b] -= na * mk[b]
				}
			}
		} else {
			m2 := s.m2[k*d : (k+1)*d]
			for j := range m2 {
				m2[j] -= n * mk[j] * mk[j]
			}
		}
	}
}

// Merge folds o, the statistics of later rows, into s with the pairwise
// update of Chan, Golub & LeVeque (1979).
func (s *stats) Merge(o em.Stats) {
	b := o.(*stats)
	d := s.d
	for k := range s.n {
		na, nb := s.n[k], b.n[k]
		if nb <= 0 {
			continue
		}
		ma, mb := s.m[k*d:(k+1)*d], b.m[k*d:(k+1)*d]
		per := d
		if s.full {
			per = d * d
		}
		m2a, m2b := s.m2[k*per:(k+1)*per], b.m2[k*per:(k+1)*per]
		if na <= 0 {
			s.n[k] = nb
			copy(ma, mb)
			copy(m2a, m2b)
			continue
		}
		n := na + nb
		f := na * nb / n
		var delta [64]float64
		dl := delta[:0]
		if d > len(delta) {
			dl = make([]float64, d)
		} else {
			dl = delta[:d]
		}
		for j := range dl {
			dl[j] = mb[j] - ma[j]
		}
		if s.full {
			for a := 0; a < d; a++ {
				fa := f * dl[a]
				row, rb := m2a[a*d:(a+1)*d], m2b[a*d:(a+1)*d]
				for c := a; c < d; c++ {
					row[c] += rb[c] + fa*dl[c]
				}
			}
		} else {
			for j := range m2a {
				m2a[j] += m2b[j] + f*dl[j]*dl[j]
			}
		}
		r := nb / n
		for j := range ma {
			ma[j] += dl[j] * r
		}
		s.n[k] = n
	}
}

// mstep replaces m's parameters by the maximiser of the expected
// complete-data log-likelihood for the statistics s, computed about m's
// current means, with regCovar added to the covariances' diagonals (Bishop,
// PRML eq. 9.24–9.26; scikit-learn's _estimate_gaussian_parameters):
//
//	n'_k = n_k + 10ε,  π_k = n'_k / Σ_j n'_j,  μ_k = c_k + m_k·n_k/n'_k,
//	S_k  = M2_k + n_k δ_k δ_kᵀ,  δ_k = m_k − (μ_k − c_k),
//
// S_k the scatter about the new mean (its diagonal when the family reads no
// more), from which the family sets the covariances (full Σ_k = S_k / n'_k +
// reg·I; see each family's file). It returns
//
//	Q = Σ_k [ n_k log π_k + n_k (−½ D log 2π + log det A_k) − ½ tr(Σ_k⁻¹ S_k) ],
//
// which is Σ_i w_i E_q log p(x_i, z_i | θ_new). during names the step in
// errors.
func (m *Model) mstep(s *stats, regCovar float64, during string) (float64, error) {
	if m.prior != nil {
		return m.mapStep(s, regCovar, during)
	}
	k, d := m.k, m.d
	tot := 0.0
	for _, n := range s.n {
		tot += n + nkFloor
	}
	// Scatter about the new means, in a full D×D or diagonal form per
	// component, as the family reads it.
	full := s.full
	per := d
	if full {
		per = d * d
	}
	scat := make([]float64, k*per)
	nk := make([]float64, k)
	// Frozen parts (Options.Fix, fix.go) keep their values: a fixed mean
	// is the shift, so its offset is 0 and S_k is the scatter about it.
	fixW, fixM, fixC := m.data.fixed.Has(FixWeights), m.data.fixed.Has(FixMeans), m.data.fixed.Has(FixCovariances)
	for c := 0; c < k; c++ {
		n := s.n[c]
		np := n + nkFloor
		nk[c] = np
		mk := s.m[c*d : (c+1)*d]
		delta := make([]float64, d)
		mu := m.means[c*d : (c+1)*d]
		for j := 0; j < d; j++ {
			off := mk[j] * (n / np)
			if fixM {
				off = 0
			}
			delta[j] = mk[j] - off
			mu[j] += off
		}
		sc := scat[c*per : (c+1)*per]
		if full {
			m2 := s.m2[c*d*d : (c+1)*d*d]
			for a := 0; a < d; a++ {
				for b := a; b < d; b++ {
					v := m2[a*d+b] + n*delta[a]*delta[b]
					sc[a*d+b], sc[b*d+a] = v, v
				}
			}
		} else {
			m2 := s.m2[c*d : (c+1)*d]
			for j := 0; j < d; j++ {
				sc[j] = m2[j] + n*delta[j]*delta[j]
			}
		}
		if !fixW {
			m.weights[c] = np / tot
		}
	}
	if !fixC {
		if err := m.fam.mstep(&m.comps, scat, nk, tot, regCovar); err != nil {
			return 0, fmt.Errorf("%s: %w", during, err)
		}
	}
	if c, ok := m.refresh(); !ok {
		return 0, &ComponentError{Component: c, Weight: m.weights[c], Points: s.n[c], RegCovar: regCovar, Covariance: m.fam.Type(), During: during}
	}
	// Q from the statistics: no pass over the data.
	q := 0.0
	for c := 0; c < k; c++ {
		n := s.n[c]
		if n == 0 {
			continue
		}
		tr := m.fam.trace(&m.comps, c, scat[c*per:(c+1)*per])
		q += n*(m.logW[c]-0.5*float64(d)*log2Pi+m.logDet[c]) - 0.5*tr
	}
	return q, nil
}
