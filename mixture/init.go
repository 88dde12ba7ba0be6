package mixture

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// InitMethod is how a fit chooses its starting parameters, as
// scikit-learn's init_params.
type InitMethod string

// The initialisation methods. The zero value "" means InitKMeans.
const (
	// InitKMeans labels the rows by k-means (k-means++ seeding, then
	// Lloyd's iterations) and starts from the Gaussians of those clusters.
	InitKMeans InitMethod = "kmeans"
	// InitKMeansPP starts from K rows chosen by k-means++ seeding, each a
	// component of one point (covariance RegCovar·I, so the first E-step
	// assigns every row to its nearest seed).
	InitKMeansPP InitMethod = "k-means++"
	// InitRandom draws each row's responsibilities uniformly and starts from
	// the Gaussians they weight.
	InitRandom InitMethod = "random"
	// InitRandomFromData starts from K distinct rows drawn uniformly, each a
	// component of one point, as InitKMeansPP.
	InitRandomFromData InitMethod = "random_from_data"
	// InitHC starts from mclust's: the partition at K of a model-based
	// hierarchical clustering of the rows (HC with Options.HC; mclust's
	// default VVV on the SVD transformation, at most 2,000 rows, the
	// others weighing nothing in the first M-step). Deterministic; for one
	// column mclust's quantile classes (qclass) instead.
	InitHC InitMethod = "hc"
)

// InitMethods lists the seeded initialisation methods; InitHC, which is
// deterministic, besides.
var InitMethods = []InitMethod{InitKMeans, InitKMeansPP, InitRandom, InitRandomFromData}

// ParseInitMethod returns the method named s (any case; "kmeans++" is
// accepted for "k-means++").
func ParseInitMethod(s string) (InitMethod, error) {
	t := InitMethod(strings.ToLower(strings.TrimSpace(s)))
	if t == "kmeans++" {
		t = InitKMeansPP
	}
	if t == InitHC {
		return t, nil
	}
	for _, m := range InitMethods {
		if t == m {
			return t, nil
		}
	}
	return "", fmt.Errorf("mixture: %s", unknownInit(s))
}

func unknownInit(s string) string {
	return fmt.Sprintf("unknown initialisation %q; use kmeans, k-means++, random, random_from_data or hc", s)
}

// respPass is an em.Model whose "E-step" takes the responsibilities from a
// function of the row index instead of computing them, and accumulates the
// statistics about m's current means: the M-step of an initialisation.
type respPass struct {
	m    *Model
	resp func(row int, dst []float64)
}

func (p *respPass) NewStats() em.Stats              { return p.m.newStats() }
func (p *respPass) NewWorker() em.Worker            { return &respWorker{p: p, w: p.m.newWorker()} }
func (p *respPass) MStep(em.Stats) (float64, error) { return 0, nil }

type respWorker struct {
	p *respPass
	w *worker
}

func (rw *respWorker) EStep(dst em.Stats, first int, x *mat.Dense, wt []float64) (em.Partial, error) {
	m, w := rw.p.m, rw.w
	k, d, c := m.k, m.d, w.chunk
	s := dst.(*stats)
	s.reset()
	full := m.fam.fullScatter()
	per := d
	if full {
		per = d * d
	}
	raw := x.RawMatrix()
	q := make([]float64, k)
	var part em.Partial
	for lo := 0; lo < raw.Rows; lo += c {
		n := min(c, raw.Rows-lo)
		for i := 0; i < n; i++ {
			wi := 1.0
			if wt != nil {
				wi = wt[lo+i]
			}
			part.Weight += wi
			rw.p.resp(first+lo+i, q)
			for comp, v := range q {
				w.wr[comp*c+i] = wi * v
			}
		}
		for comp := 0; comp < k; comp++ {
			wr := w.wr[comp*c : comp*c+n]
			nk := 0.0
			for _, v := range wr {
				nk += v
			}
			if nk == 0 {
				continue
			}
			s.n[comp] += nk
			diff := w.diff[:n*d]
			subRows(diff, raw.Data[lo*raw.Stride:], raw.Stride, m.means[comp*d:(comp+1)*d], n, d)
			keep := w.keep[:n]
			for i, v := range wr {
				keep[i] = v > 0 // hard labels leave most rows out
			}
			kept := compact(diff, wr, keep, d)
			accumulate(s.m[comp*d:(comp+1)*d], s.m2[comp*per:(comp+1)*per], diff, wr, w.wd, kept, d, full, w.gemm)
		}
	}
	s.finish()
	return part, nil
}

// initFromResp sets m's parameters to the M-step of the responsibilities
// resp, in two passes: the first finds each component's mean (about the
// data's mean), the second the scatter about it, so that the covariances
// are centred (catalog N-04).
func initFromResp(ctx context.Context, m *Model, r *rowData, regCovar float64, resp func(int, []float64)) error {
	g := dataMean(r)
	for c := 0; c < m.k; c++ {
		copy(m.means[c*m.d:(c+1)*m.d], g)
	}
	p := &respPass{m: m, resp: resp}
	for pass := 0; pass < 2; pass++ {
		st, _, err := em.Pass(ctx, r.src, p, true, r.eo)
		if err != nil {
			return err
		}
		s := st.(*stats)
		if pass == 0 {
			for c := 0; c < m.k; c++ {
				if s.n[c] > 0 {
					mu := m.means[c*m.d : (c+1)*m.d]
					for j := range mu {
						mu[j] += s.m[c*m.d+j]
					}
				}
			}
			continue
		}
		if _, err := m.mstep(s, regCovar, "initialisation"); err != nil {
			return err
		}
	}
	return nil
}

// dataMean returns the weighted mean of the rows.
func dataMean(r *rowData) []float64 {
	g := make([]float64, r.d)
	tot := 0.0
	for i := 0; i < r.n; i++ {
		wi := r.weight(i)
		tot += wi
		for j, v := range r.row(i) {
			g[j] += wi * v
		}
	}
	for j := range g {
		g[j] /= tot
	}
	return g
}

// oneHot returns responsibilities that give row idx[k] wholly to component
// k and every other row to none.
func oneHot(n int, idx []int) func(int, []float64) {
	comp := make(map[int]int, len(idx))
	for k, i := range idx {
		comp[i] = k
	}
	return func(row int, dst []float64) {
		clear(dst)
		if k, ok := comp[row]; ok {
			dst[k] = 1
		}
	}
}

// chooseRows draws k distinct rows of positive weight uniformly.
func chooseRows(r *rowData, k int, rng *rand.Rand) ([]int, error) {
	var eligible []int
	for i := 0; i < r.n; i++ {
		if r.weight(i) > 0 {
			eligible = append(eligible, i)
		}
	}
	if len(eligible) < k {
		return nil, dataErrorf("only %d rows have positive weight; random_from_data needs K = %d", len(eligible), k)
	}
	// A partial Fisher–Yates shuffle.
	for j := 0; j < k; j++ {
		t := j + rng.IntN(len(eligible)-j)
		eligible[j], eligible[t] = eligible[t], eligible[j]
	}
	return eligible[:k], nil
}

// initModel returns a start of the fit: from the initialisation method,
// with the parts of opts.Start that are given in place of the method's
// (scikit-learn's weights_init, means_init, precisions_init). When Start
// gives every part the method is not run (scikit-learn #26015, catalog
// M-29).
func initModel(ctx context.Context, r *rowData, o *Options, rng *rand.Rand) (*Model, error) {
	m := newModel(o.Covariance, o.K, r.d)
	m.kernel = o.Kernel
	m.prior = o.prior // the initialisation's M-step is MAP too
	st := o.Start
	all := st != nil && st.Weights != nil && st.Means != nil && (st.Covariances != nil || st.Precisions != nil)
	if !all {
		var resp func(int, []float64)
		switch o.Init {
		case InitKMeans:
			labels, err := kmeansLabels(ctx, r, o.K, rng)
			if err != nil {
				return nil, err
			}
			resp = func(row int, dst []float64) {
				clear(dst)
				dst[labels[row]] = 1
			}
		case InitKMeansPP:
			idx, err := kmeansPlusPlus(ctx, r, o.K, rng)
			if err != nil {
				return nil, err
			}
			resp = oneHot(r.n, idx)
		case InitKnown:
			resp = knownResp(o.Known, o.K)
		case InitHC:
			var err error
			if resp, err = hcResp(ctx, r, o); err != nil {
				return nil, err
			}
		case InitRandomFromData:
			idx, err := chooseRows(r, o.K, rng)
			if err != nil {
				return nil, err
			}
			resp = oneHot(r.n, idx)
		case InitRandom:
			// Each row draws from its own stream of (s, row), so the
			// responsibilities do not depend on the order rows are read.
			s := rng.Uint64()
			resp = func(row int, dst []float64) {
				rr := rand.New(rand.NewPCG(s, uint64(row)))
				tot := 0.0
				for k := range dst {
					dst[k] = rr.Float64()
					tot += dst[k]
				}
				for k := range dst {
					dst[k] /= tot
				}
			}
		}
		if err := initFromResp(ctx, m, r, o.regCovar, resp); err != nil {
			return nil, err
		}
	}
	if st != nil {
		var fallback []float64
		if !all {
			fallback = m.Weights(nil) // the method's weights average K tied covariances
		}
		if err := m.setStart(*st, fallback, true); err != nil {
			return nil, err
		}
		if c, ok := m.refresh(); !ok {
			return nil, paramErrorf("the start's covariance of component %d is not positive definite", c)
		}
	}
	return m, nil
}

// hcResp returns the responsibilities of InitHC: one-hot rows of the
// partition at K of the hierarchical clustering (computed once per fit's
// options and kept in o), zero for rows outside its subset.
func hcResp(ctx context.Context, r *rowData, o *Options) (func(int, []float64), error) {
	if o.hcLabels == nil {
		rows := make([]float64, r.n*r.d)
		for i := 0; i < r.n; i++ {
			copy(rows[i*r.d:(i+1)*r.d], r.row(i))
		}
		st, err := newMclustStarts(ctx, rows, r.n, r.d, *o)
		if err != nil {
			return nil, err
		}
		lab, err := st.partition(o.K)
		if err != nil {
			return nil, dataErrorf("hc initialisation: %v", err)
		}
		full := make([]int, r.n)
		if st.sub == nil {
			copy(full, lab)
		} else {
			for i := range full {
				full[i] = -1
			}
			for a, i := range st.sub {
				full[i] = lab[a]
			}
		}
		o.hcLabels = full
	}
	labels := o.hcLabels
	return func(row int, dst []float64) {
		clear(dst)
		if l := labels[row]; l >= 0 {
			dst[l] = 1
		}
	}, nil
}
