package mixture

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// HCTransform is how HC transforms the data before clustering them: one
// of mclust's hcUse values (Scrucca & Raftery 2015).
type HCTransform string

// The transformations of mclust's hc(use = …). "" means HCSVD.
const (
	HCVars HCTransform = "VARS" // the data as they are
	HCStd  HCTransform = "STD"  // centred, each column divided by its sd (n − 1)
	HCSph  HCTransform = "SPH"  // centred and sphered: X V diag(1/√e), e, V of the covariance (divisor n)
	HCPcs  HCTransform = "PCS"  // centred, rotated to the principal components
	HCPcr  HCTransform = "PCR"  // standardised, rotated to the principal components
	HCSVD  HCTransform = "SVD"  // standardised S, then S V diag(1/√s), s the singular values of S: mclust's default
	HCRnd  HCTransform = "RND"  // no clustering: random merges (mclust's hcRandomPairs), from Seed
)

// HCTransforms lists the transformations.
var HCTransforms = []HCTransform{HCVars, HCStd, HCSph, HCPcs, HCPcr, HCSVD, HCRnd}

// ParseHCTransform returns the transformation named s (any case).
func ParseHCTransform(s string) (HCTransform, error) {
	t := HCTransform(strings.ToUpper(strings.TrimSpace(s)))
	if slices.Contains(HCTransforms, t) {
		return t, nil
	}
	return "", fmt.Errorf("mixture: unknown hc transformation %q; use VARS, STD, SPH, PCS, PCR, SVD or RND", s)
}

// DefaultHCMaxRows is mclust.options("subset"): hc clusters at most this
// many rows.
const DefaultHCMaxRows = 2000

// HCOptions control HC. The zero value is mclust's default: model VVV on
// the SVD transformation of at most 2,000 rows.
type HCOptions struct {
	// Use is the transformation; "" means HCSVD.
	Use HCTransform
	// Model is the criterion: "" or "VVV", mclust's default (mclust's
	// hcEII, which mclustBIC uses when n ≤ d, is not implemented: VVV runs
	// then too).
	Model string
	// MaxRows is the most rows clustered; with more, a uniform subset of
	// MaxRows rows drawn from Seed is clustered (mclust's subset). 0 means
	// DefaultHCMaxRows; negative means no limit.
	MaxRows int
	// Rows, when not nil, are the (0-based) rows to cluster, in this
	// order, instead of a drawn subset (for instance the rows R drew).
	Rows []int
	// Seed seeds the subset and HCRnd's merges.
	Seed uint64
}

// Hierarchy is the result of HC: a binary tree over the clustered rows,
// as the merges of agglomerative clustering.
type Hierarchy struct {
	// Rows are the rows of the data that were clustered (0-based, in the
	// order used; Merges and Partition index this list); nil means all,
	// in order.
	Rows []int `json:"rows,omitempty"`
	// N is the number of rows clustered.
	N int `json:"n"`
	// Model and Use are the criterion and the transformation.
	Model string      `json:"model"`
	Use   HCTransform `json:"use"`
	// Merges are the n − 1 merges in order, each (a, b) with a < b the
	// names of two clusters (a cluster is named by its smallest index
	// into Rows, 0-based): mclust's hc(...) pairs less one.
	Merges [][2]int `json:"merges"`
	// Data are the transformed rows that were clustered (nil for HCRnd).
	Data *mat.Dense `json:"-"`
}

// HC clusters the rows of x by model-based agglomerative hierarchical
// clustering (Banfield & Raftery 1993; Fraley 1998) as mclust 6.0's hc
// does, merge for merge: from singletons, every step merges the two
// clusters whose union raises the classification likelihood's criterion
// least (for VVV, mclust's regularised Σ_C m_C log(det(W_C/m_C) + (tr W_C
// + α)/m_C)), with mclust's bookkeeping and tie rule. It is
// deterministic, except the subset (when x has more than MaxRows rows) and
// HCRnd, which follow Seed. See the package documentation.
func HC(ctx context.Context, x mat.Matrix, opts HCOptions) (*Hierarchy, error) {
	r, err := checkData(x, nil, "X")
	if err != nil {
		return nil, err
	}
	return hcRows(ctx, r.x, r.n, r.d, opts)
}

// hcRows is HC on the n×d row-major rows x.
func hcRows(ctx context.Context, x []float64, n, d int, opts HCOptions) (*Hierarchy, error) {
	use := opts.Use
	if use == "" {
		use = HCSVD
	}
	if _, err := ParseHCTransform(string(use)); err != nil {
		return nil, err
	}
	rows := opts.Rows
	if rows != nil {
		for _, i := range rows {
			if i < 0 || i >= n {
				return nil, fmt.Errorf("mixture: HC: row %d is not in the data's %d rows", i, n)
			}
		}
		rows = slices.Clone(rows)
	} else {
		maxRows := opts.MaxRows
		if maxRows == 0 {
			maxRows = DefaultHCMaxRows
		}
		if maxRows > 0 && n > maxRows {
			rows = hcSubset(n, maxRows, opts.Seed)
		}
	}
	sub := x
	m := n
	if rows != nil {
		m = len(rows)
		sub = make([]float64, m*d)
		for a, i := range rows {
			copy(sub[a*d:(a+1)*d], x[i*d:(i+1)*d])
		}
	}
	if m < 2 {
		return nil, fmt.Errorf("mixture: HC: %d row; hierarchical clustering needs at least 2", m)
	}
	model := strings.ToUpper(strings.TrimSpace(opts.Model))
	if model == "" {
		model = "VVV"
	}
	h := &Hierarchy{Rows: rows, N: m, Model: model, Use: use}
	if use == HCRnd {
		h.Merges = hcRandomPairs(m, opts.Seed)
		return h, nil
	}
	z, p, err := hcTransform(sub, m, d, use)
	if err != nil {
		return nil, err
	}
	h.Data = mat.NewDense(m, p, z)
	switch model {
	case "VVV":
		h.Merges, err = hcVVV(ctx, z, m, p)
	default:
		return nil, fmt.Errorf("mixture: HC: unknown model %q; only VVV is implemented", opts.Model)
	}
	if err != nil {
		return nil, err
	}
	return h, nil
}

// hcSubset draws k of n rows uniformly without replacement (a partial
// Fisher–Yates shuffle from seed), returned in increasing order.
func hcSubset(n, k int, seed uint64) []int {
	rng := rand.New(rand.NewPCG(seed, 0x6863737562736574)) // "hcsubset"
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	for j := 0; j < k; j++ {
		t := j + rng.IntN(n-j)
		idx[j], idx[t] = idx[t], idx[j]
	}
	out := idx[:k:k]
	slices.Sort(out)
	return out
}

// hcRandomPairs is mclust's hcRandomPairs: the rows shuffled and paired,
// then random merges among the pairs' first members until one cluster is
// left.
func hcRandomPairs(n int, seed uint64) [][2]int {
	rng := rand.New(rand.NewPCG(seed, 0x6863726e64)) // "hcrnd"
	perm := rng.Perm(n)
	m := n - n%2
	var merges [][2]int
	var alive []int
	for i := 0; i+1 < m; i += 2 {
		a, b := min(perm[i], perm[i+1]), max(perm[i], perm[i+1])
		merges = append(merges, [2]int{a, b})
		alive = append(alive, a)
	}
	if n%2 == 1 { // the row left out of the pairs joins as a singleton
		alive = append(alive, perm[n-1])
	}
	for len(alive) > 1 {
		i := rng.IntN(len(alive))
		j := rng.IntN(len(alive) - 1)
		if j >= i {
			j++
		}
		a, b := min(alive[i], alive[j]), max(alive[i], alive[j])
		merges = append(merges, [2]int{a, b})
		alive = slices.DeleteFunc(alive, func(v int) bool { return v == b })
	}
	return merges
}

// hcTransform returns the rows transformed as hc(use = use) and their
// number of columns (columns with non-finite values dropped).
func hcTransform(x []float64, n, d int, use HCTransform) ([]float64, int, error) {
	cur := slices.Clone(x)
	// R's scale(): the column means and the sums of squares added in long
	// double (here compensated sums, rounded once), then x − mean and
	// (x − mean)/sd, the sd with divisor n − 1.
	centre := func(a []float64, p int) {
		col := make([]float64, n)
		for j := 0; j < p; j++ {
			for i := 0; i < n; i++ {
				col[i] = a[i*p+j]
			}
			mu := exactSum(col) / float64(n)
			for i := 0; i < n; i++ {
				a[i*p+j] -= mu
			}
		}
	}
	scale := func(a []float64, p int) {
		col := make([]float64, n)
		for j := 0; j < p; j++ {
			for i := 0; i < n; i++ {
				col[i] = a[i*p+j] * a[i*p+j]
			}
			sd := math.Sqrt(exactSum(col) / float64(max(1, n-1)))
			for i := 0; i < n; i++ {
				a[i*p+j] /= sd
			}
		}
	}
	p := d
	switch use {
	case HCVars:
		return cur, p, nil
	case HCStd:
		centre(cur, p)
		scale(cur, p)
		cur, p = dropNonFinite(cur, n, p)
		return cur, p, nil
	case HCPcr, HCSVD:
		centre(cur, p)
		scale(cur, p)
		cur, p = dropNonFinite(cur, n, p)
	case HCPcs, HCSph:
		centre(cur, p)
	}
	if p == 0 {
		return nil, 0, fmt.Errorf("mixture: HC: no column is left after the %s transformation", use)
	}
	a := mat.NewDense(n, p, cur)
	var v mat.Dense
	var s []float64
	if use == HCSph {
		var cov mat.Dense
		cov.Mul(a.T(), a)
		cov.Scale(1/float64(n), &cov)
		var svd mat.SVD
		if !svd.Factorize(&cov, mat.SVDThin) {
			return nil, 0, fmt.Errorf("mixture: HC: the SVD of the covariance failed (%s)", use)
		}
		svd.VTo(&v)
		s = svd.Values(nil)
	} else {
		var svd mat.SVD
		if !svd.Factorize(a, mat.SVDThin) {
			return nil, 0, fmt.Errorf("mixture: HC: the SVD of the data failed (%s)", use)
		}
		svd.VTo(&v)
		s = svd.Values(nil)
	}
	q := len(s) // min(n, p)
	var out mat.Dense
	out.Mul(a, v.Slice(0, p, 0, q))
	if use == HCSph || use == HCSVD {
		for j := 0; j < q; j++ {
			f := 1 / math.Sqrt(s[j])
			for i := 0; i < n; i++ {
				out.Set(i, j, out.At(i, j)*f)
			}
		}
	}
	res := out.RawMatrix().Data
	if use != HCSVD && use != HCPcr {
		res, q = dropNonFinite(res, n, q)
	}
	if q == 0 {
		return nil, 0, fmt.Errorf("mixture: HC: no column is left after the %s transformation", use)
	}
	return res, q, nil
}

// dropNonFinite removes the columns of the n×p rows a holding a NaN or an
// infinity (mclust's dropCols).
func dropNonFinite(a []float64, n, p int) ([]float64, int) {
	var keep []int
	for j := 0; j < p; j++ {
		ok := true
		for i := 0; i < n && ok; i++ {
			v := a[i*p+j]
			ok = !math.IsNaN(v) && !math.IsInf(v, 0)
		}
		if ok {
			keep = append(keep, j)
		}
	}
	if len(keep) == p {
		return a, p
	}
	out := make([]float64, n*len(keep))
	for i := 0; i < n; i++ {
		for b, j := range keep {
			out[i*len(keep)+b] = a[i*p+j]
		}
	}
	return out, len(keep)
}

// Partition returns the rows' clusters when the tree is cut at k clusters
// (mclust's hclass): the first n − k merges replayed, the clusters
// numbered 0…k−1 in order of their first row. Labels index Rows.
func (h *Hierarchy) Partition(k int) ([]int, error) {
	if k < 1 || k > h.N {
		return nil, fmt.Errorf("mixture: Hierarchy.Partition: %d clusters of %d rows; give 1 to %d", k, h.N, h.N)
	}
	parent := make([]int, h.N)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, mg := range h.Merges[:h.N-k] {
		a, b := find(mg[0]), find(mg[1])
		parent[max(a, b)] = min(a, b) // the larger name takes the smaller
	}
	lab := make([]int, h.N)
	num := map[int]int{}
	for i := range lab {
		r := find(i)
		c, ok := num[r]
		if !ok {
			c = len(num)
			num[r] = c
		}
		lab[i] = c
	}
	return lab, nil
}

// exactSum returns Σ v rounded once (Neumaier's compensated sum), as R's
// sums in long double round.
func exactSum(v []float64) float64 {
	s, c := 0.0, 0.0
	for _, x := range v {
		t := s + x
		if math.Abs(s) >= math.Abs(x) {
			c += (s - t) + x
		} else {
			c += (x - t) + s
		}
		s = t
	}
	return s + c
}

// qclass is mclust's qclass(x, k), the start of mclustBIC for one
// dimension: classes between quantiles of x (R's type 7) — k + 1 distinct
// breaks from ever finer grids, the surplus breaks dropped at the smallest
// gaps, the outer ones widened by sd(x)·√ε — class i (0-based) the rows in
// [q_i, q_{i+1}).
func qclass(x []float64, k int) []int {
	n := len(x)
	s := slices.Clone(x)
	slices.Sort(s)
	mean := exactSum(x) / float64(n)
	dev := make([]float64, n)
	for i, v := range x {
		dev[i] = (v - mean) * (v - mean)
	}
	eps := math.Sqrt(exactSum(dev)/float64(max(1, n-1))) * mcRteps
	quant := func(p float64) float64 {
		idx := float64(n-1) * p // 0-based h
		lo := math.Floor(idx)
		hi := math.Ceil(idx)
		q := s[int(lo)]
		if idx > lo && s[int(hi)] != q {
			h := idx - lo
			q = (1-h)*q + h*s[int(hi)]
		}
		return q
	}
	var q []float64
	for m := k + 1; len(q) < k+1; m++ {
		q = q[:0]
		by := 1 / float64(m-1)
		for i := 0; i < m; i++ {
			p := float64(i) * by
			if i == m-1 {
				p = 1
			}
			v := quant(p)
			if !slices.Contains(q, v) {
				q = append(q, v)
			}
		}
		if m > n+k+2 { // fewer than k + 1 distinct values: cannot happen when the caller checked
			break
		}
	}
	if extra := len(q) - k - 1; extra > 0 {
		gaps := make([]int, len(q)-1)
		for i := range gaps {
			gaps[i] = i
		}
		slices.SortStableFunc(gaps, func(a, b int) int {
			da, db := q[a+1]-q[a], q[b+1]-q[b]
			switch {
			case da < db:
				return -1
			case da > db:
				return 1
			}
			return 0
		})
		drop := map[int]bool{}
		for _, g := range gaps[:extra] {
			drop[g] = true
		}
		kept := q[:0:0]
		for i, v := range q {
			if !drop[i] {
				kept = append(kept, v)
			}
		}
		q = kept
	}
	q[0] = s[0] - eps
	q[len(q)-1] = s[n-1] + eps
	cl := make([]int, n)
	for i, v := range x {
		cl[i] = -1
		for c := 0; c < k && c+1 < len(q); c++ {
			if v >= q[c] && v < q[c+1] {
				cl[i] = c
			}
		}
	}
	return cl
}
