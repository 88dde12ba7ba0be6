package mixture

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// kmeansMaxIter and kmeansTol are scikit-learn's KMeans defaults (max_iter
// 300, tol 1e-4 relative to the mean variance of the features).
const (
	kmeansMaxIter = 300
	kmeansTol     = 1e-4
)

// rowData is the data of a fit: rows of a matrix, optional weights.
type rowData struct {
	x      []float64
	stride int
	n, d   int
	w      []float64
	src    em.Source
	eo     em.Options // Workers and BlockRows for passes
}

func (r *rowData) row(i int) []float64 { return r.x[i*r.stride : i*r.stride+r.d] }

func (r *rowData) weight(i int) float64 {
	if r.w == nil {
		return 1
	}
	return r.w[i]
}

func sqDist(a, b []float64) float64 {
	b = b[:len(a)]
	s := 0.0
	for j, v := range a {
		t := v - b[j]
		s += t * t
	}
	return s
}

// distPass is an em.Model computing, for every row, the squared distance
// to the nearest of some points; its E-step sums w_i·min(closest_i, ‖x_i −
// c_j‖²) for each candidate c_j, and with update set, stores the new
// minimum for candidate 0.
type distPass struct {
	r       *rowData
	cands   [][]float64
	closest []float64
	update  bool
}

type potStats struct{ pot []float64 }

func (s *potStats) Merge(o em.Stats) {
	for j, v := range o.(*potStats).pot {
		s.pot[j] += v
	}
}

func (p *distPass) NewStats() em.Stats              { return &potStats{make([]float64, len(p.cands))} }
func (p *distPass) NewWorker() em.Worker            { return p }
func (p *distPass) MStep(em.Stats) (float64, error) { return 0, nil }

func (p *distPass) EStep(dst em.Stats, first int, x *mat.Dense, w []float64) (em.Partial, error) {
	s := dst.(*potStats)
	clear(s.pot)
	raw := x.RawMatrix()
	var part em.Partial
	for i := 0; i < raw.Rows; i++ {
		xi := raw.Data[i*raw.Stride : i*raw.Stride+raw.Cols]
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		for j, c := range p.cands {
			d := sqDist(xi, c)
			if p.closest != nil {
				d = math.Min(d, p.closest[first+i])
			}
			s.pot[j] += wi * d
			if p.update && j == 0 {
				p.closest[first+i] = d
			}
		}
		part.Weight += wi
	}
	return part, nil
}

// kmeansPlusPlus chooses k rows by greedy k-means++ seeding, as
// scikit-learn's _kmeans_plusplus: the first row at random (in proportion
// to its weight), then each next one as the best of 2 + ⌊ln k⌋ candidates
// drawn in proportion to w_i·D(x_i)², D the distance to the nearest chosen
// row (Arthur & Vassilvitskii 2007). It returns the row indices.
func kmeansPlusPlus(ctx context.Context, r *rowData, k int, rng *rand.Rand) ([]int, error) {
	trials := 2 + int(math.Log(float64(k)))
	idx := make([]int, 0, k)
	first := drawWeighted(rng, r.n, func(i int) float64 { return r.weight(i) })
	idx = append(idx, first)
	closest := make([]float64, r.n)
	p := &distPass{r: r, cands: [][]float64{r.row(first)}, update: true}
	for i := range closest {
		closest[i] = math.Inf(1)
	}
	p.closest = closest
	st, _, err := em.Pass(ctx, r.src, p, true, r.eo)
	if err != nil {
		return nil, err
	}
	pot := st.(*potStats).pot[0]
	cum := make([]float64, r.n)
	for len(idx) < k {
		// Cumulative w·D² for the draws; when every row coincides with a
		// chosen one (pot 0), draw in proportion to the weights.
		s := 0.0
		for i := range cum {
			v := r.weight(i) * closest[i]
			if pot == 0 {
				v = r.weight(i)
			}
			s += v
			cum[i] = s
		}
		cand := make([]int, trials)
		p.cands = p.cands[:0]
		for t := range cand {
			u := rng.Float64() * s
			j := sort.SearchFloat64s(cum, u)
			// Skip rows of zero mass (SearchFloat64s finds the first cum ≥ u).
			for j < r.n-1 && cum[j] <= u {
				j++
			}
			cand[t] = min(j, r.n-1)
			p.cands = append(p.cands, r.row(cand[t]))
		}
		p.update = false
		st, _, err := em.Pass(ctx, r.src, p, true, r.eo)
		if err != nil {
			return nil, err
		}
		pots := st.(*potStats).pot
		best := 0
		for t := range pots {
			if pots[t] < pots[best] {
				best = t
			}
		}
		pot = pots[best]
		idx = append(idx, cand[best])
		p.cands = [][]float64{r.row(cand[best])}
		p.update = true
		if _, _, err := em.Pass(ctx, r.src, p, true, r.eo); err != nil {
			return nil, err
		}
	}
	return idx, nil
}

// drawWeighted draws an index in [0, n) with probability proportional to
// w(i) (uniform when all are equal).
func drawWeighted(rng *rand.Rand, n int, w func(int) float64) int {
	tot := 0.0
	for i := 0; i < n; i++ {
		tot += w(i)
	}
	u := rng.Float64() * tot
	s := 0.0
	last := 0
	for i := 0; i < n; i++ {
		wi := w(i)
		if wi <= 0 {
			continue
		}
		last = i
		s += wi
		if u < s {
			return i
		}
	}
	return last
}

// lloyd is an em.Model for one Lloyd step of k-means: the E-step labels each
// row with its nearest centre and sums w·(x − centre) per cluster (about
// the current centre, so that far-from-origin data lose no digits, catalog
// N-04).
type lloyd struct {
	r       *rowData
	centers []float64 // K·D
	labels  []int32   // N
	dist    []float64 // N: squared distance to the label's centre
	k       int
}

type lloydStats struct {
	n   []float64 // K
	sum []float64 // K·D
}

func (s *lloydStats) Merge(o em.Stats) {
	b := o.(*lloydStats)
	for i, v := range b.n {
		s.n[i] += v
	}
	for i, v := range b.sum {
		s.sum[i] += v
	}
}

func (l *lloyd) NewStats() em.Stats {
	return &lloydStats{make([]float64, l.k), make([]float64, l.k*l.r.d)}
}
func (l *lloyd) NewWorker() em.Worker            { return l }
func (l *lloyd) MStep(em.Stats) (float64, error) { return 0, nil }

func (l *lloyd) EStep(dst em.Stats, first int, x *mat.Dense, w []float64) (em.Partial, error) {
	raw := x.RawMatrix()
	d := l.r.d
	var s *lloydStats
	if dst != nil {
		s = dst.(*lloydStats)
		clear(s.n)
		clear(s.sum)
	}
	var part em.Partial
	for i := 0; i < raw.Rows; i++ {
		xi := raw.Data[i*raw.Stride : i*raw.Stride+d]
		best, bd := 0, math.Inf(1)
		for c := 0; c < l.k; c++ {
			if dd := sqDist(xi, l.centers[c*d:(c+1)*d]); dd < bd {
				best, bd = c, dd
			}
		}
		l.labels[first+i] = int32(best)
		l.dist[first+i] = bd
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		part.LogLik += wi * bd // the inertia
		part.Weight += wi
		if s != nil && wi != 0 {
			s.n[best] += wi
			cs := s.sum[best*d : (best+1)*d]
			cc := l.centers[best*d : (best+1)*d]
			for j, v := range xi {
				cs[j] += wi * (v - cc[j])
			}
		}
	}
	return part, nil
}

// kmeansLabels runs k-means, seeded by k-means++ then Lloyd's iterations
// until the labels stop changing or the centres move by less than
// 1e-4 × the mean feature variance (squared, summed), at most 300 times; an
// empty cluster takes the row farthest from its centre. These are
// scikit-learn's KMeans(n_init=1) defaults, which GaussianMixture's
// init_params="kmeans" uses. It returns each row's cluster.
func kmeansLabels(ctx context.Context, r *rowData, k int, rng *rand.Rand) ([]int32, error) {
	seeds, err := kmeansPlusPlus(ctx, r, k, rng)
	if err != nil {
		return nil, err
	}
	d := r.d
	l := &lloyd{r: r, k: k, centers: make([]float64, k*d), labels: make([]int32, r.n), dist: make([]float64, r.n)}
	for c, i := range seeds {
		copy(l.centers[c*d:(c+1)*d], r.row(i))
	}
	tol := kmeansTol * meanVariance(r)
	old := make([]int32, r.n)
	for i := range old {
		old[i] = -1
	}
	strict := false
	for it := 0; it < kmeansMaxIter; it++ {
		st, _, err := em.Pass(ctx, r.src, l, true, r.eo)
		if err != nil {
			return nil, err
		}
		s := st.(*lloydStats)
		relocateEmpty(l, s)
		shift := 0.0
		for c := 0; c < k; c++ {
			if s.n[c] <= 0 {
				continue
			}
			cc := l.centers[c*d : (c+1)*d]
			for j := range cc {
				delta := s.sum[c*d+j] / s.n[c]
				cc[j] += delta
				shift += delta * delta
			}
		}
		if slices.Equal(old, l.labels) {
			strict = true
			break
		}
		copy(old, l.labels)
		if shift <= tol {
			break
		}
	}
	if !strict {
		// Labels consistent with the final centres.
		if _, _, err := em.Pass(ctx, r.src, l, false, r.eo); err != nil {
			return nil, err
		}
	}
	return l.labels, nil
}

// relocateEmpty gives each empty cluster the row farthest from its own
// centre (scikit-learn's _relocate_empty_clusters): the row leaves its
// cluster's sums and becomes the empty cluster's centre.
func relocateEmpty(l *lloyd, s *lloydStats) {
	d := l.r.d
	var empty []int
	for c, n := range s.n {
		if n <= 0 {
			empty = append(empty, c)
		}
	}
	if len(empty) == 0 {
		return
	}
	order := make([]int, 0, l.r.n)
	for i := 0; i < l.r.n; i++ {
		if l.r.weight(i) > 0 {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return l.dist[order[a]] > l.dist[order[b]] })
	for j, c := range empty {
		if j >= len(order) {
			break
		}
		i := order[j]
		wi := l.r.weight(i)
		old := int(l.labels[i])
		xi := l.r.row(i)
		oc := l.centers[old*d : (old+1)*d]
		if s.n[old] > wi {
			for t := range xi {
				s.sum[old*d+t] -= wi * (xi[t] - oc[t])
			}
			s.n[old] -= wi
		}
		copy(l.centers[c*d:(c+1)*d], xi)
		s.n[c] = wi
		clear(s.sum[c*d : (c+1)*d])
		l.labels[i] = int32(c)
	}
}

// meanVariance returns the mean over features of the weighted variance.
func meanVariance(r *rowData) float64 {
	d := r.d
	mean := make([]float64, d)
	tot := 0.0
	for i := 0; i < r.n; i++ {
		wi := r.weight(i)
		tot += wi
		for j, v := range r.row(i) {
			mean[j] += wi * v
		}
	}
	for j := range mean {
		mean[j] /= tot
	}
	v := 0.0
	for i := 0; i < r.n; i++ {
		wi := r.weight(i)
		for j, x := range r.row(i) {
			t := x - mean[j]
			v += wi * t * t
		}
	}
	return v / tot / float64(d)
}
