package mixture

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// MaxStreamRows is the most rows SampleStream draws: the counts per
// component are binomial draws of float64 counts, exact up to 2⁵³.
const MaxStreamRows = 1 << 53

// SampleStream draws n rows from the mixture without holding them all:
// it calls fn with chunk rows at a time (the last call may have fewer),
// in x (chunk × D) and labels (each row's component); fn's arguments are
// reused between calls, so fn must copy what it keeps. As Sample, the
// counts per component are one multinomial draw and the rows come
// grouped by component in order, so that exactly n rows are drawn; but
// the counts are drawn as K conditional binomials (n_k ~ Binomial(n −
// n_0 − … − n_{k−1}, π_k / (π_k + … + π_{K−1})), in O(K) time whatever
// n), not by one uniform per row: for the same rng the draws differ from
// Sample's, which must hold every row first. For one rng and n they do
// not depend on chunk. It stops between two chunks when ctx is cancelled
// (returning ctx.Err()) or when fn returns an error (returning it). It
// returns ErrNotFitted for a zero Model and an error for n < 1, n >
// MaxStreamRows or chunk < 1; it panics when rng is nil. The model is not
// modified.
func (m *Model) SampleStream(ctx context.Context, n int64, chunk int, rng *rand.Rand, fn func(x *mat.Dense, labels []int) error) error {
	if err := m.fitted(); err != nil {
		return err
	}
	if rng == nil {
		panic("mixture: SampleStream: nil rng")
	}
	if n < 1 || n > MaxStreamRows {
		return fmt.Errorf("mixture: SampleStream: n = %d rows: give 1 to %d", n, int64(MaxStreamRows))
	}
	if chunk < 1 {
		return fmt.Errorf("mixture: SampleStream: chunk = %d rows: give at least 1", chunk)
	}
	counts := binomialCounts(rng, n, m.weights)
	rows := int(min(int64(chunk), n))
	x := mat.NewDense(rows, m.d, nil)
	labels := make([]int, rows)
	z := make([]float64, m.d)
	i := 0
	flush := func() error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if i == rows {
			return fn(x, labels)
		}
		return fn(x.Slice(0, i, 0, m.d).(*mat.Dense), labels[:i])
	}
	for k, c := range counts {
		for s := int64(0); s < c; s++ {
			for j := range z {
				z[j] = rng.NormFloat64()
			}
			m.fam.sample(&m.comps, k, x.RawRowView(i), z)
			labels[i] = k
			i++
			if i == rows {
				if err := flush(); err != nil {
					return err
				}
				i = 0
			}
		}
	}
	if i > 0 {
		return flush()
	}
	return nil
}

// binomialCounts draws the counts of n trials over the probabilities p
// (clipped to [0, 1] and renormalised) as K conditional binomials.
func binomialCounts(rng *rand.Rand, n int64, p []float64) []int64 {
	q := make([]float64, len(p))
	rest := 0.0 // Σ_{j ≥ k} q_j, computed from the end
	tail := make([]float64, len(p))
	for k, v := range p {
		q[k] = math.Min(1, math.Max(0, v))
	}
	for k := len(q) - 1; k >= 0; k-- {
		rest += q[k]
		tail[k] = rest
	}
	last := len(q) - 1 // the last component of positive weight takes the rest
	for last > 0 && q[last] <= 0 {
		last--
	}
	counts := make([]int64, len(p))
	left := n
	for k := range q {
		if left == 0 {
			break
		}
		if k == last {
			counts[k] = left
			break
		}
		pk := math.Min(1, q[k]/tail[k])
		var c int64
		switch {
		case pk <= 0:
			c = 0
		case pk >= 1:
			c = left
		default:
			c = int64(distuv.Binomial{N: float64(left), P: pk, Src: rng}.Rand())
		}
		counts[k] = min(c, left)
		left -= counts[k]
	}
	return counts
}

// SampleStream draws n rows from the mixture of the point estimates
// without holding them, as Model.SampleStream does.
func (b *BayesModel) SampleStream(ctx context.Context, n int64, chunk int, rng *rand.Rand, fn func(x *mat.Dense, labels []int) error) error {
	if err := b.fittedB(); err != nil {
		return err
	}
	return b.vb.SampleStream(ctx, n, chunk, rng, fn)
}
