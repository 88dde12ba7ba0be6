package mixture

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// Sample fills every row of dst with a draw from the mixture, made with
// rng, and, when labels is not nil, sets labels[i] to the component row i
// came from. The number of draws n is dst's row count. As scikit-learn's
// sample, the counts per component are one multinomial draw (so exactly n
// rows come back, catalog M-37; rounding n·π_k lost rows in scikit-learn
// #7701 and #7822), and the rows are grouped by component in order. The
// weights are clipped to [0, 1] and renormalised first (catalog M-14,
// scikit-learn #23032). It panics when dst is empty or not n×D, labels is
// neither nil nor of length n, or rng is nil; it returns ErrNotFitted for a
// zero Model. The model is not modified.
func (m *Model) Sample(dst *mat.Dense, labels []int, rng *rand.Rand) error {
	if err := m.fitted(); err != nil {
		return err
	}
	if dst == nil || dst.IsEmpty() {
		panic("mixture: Sample: empty dst; its rows are the draws")
	}
	n, c := dst.Dims()
	if c != m.d {
		panic(fmt.Sprintf("mixture: Sample: dst has %d columns, the model %d dimensions", c, m.d))
	}
	if labels != nil && len(labels) != n {
		panic(fmt.Sprintf("mixture: Sample: %d labels for %d rows", len(labels), n))
	}
	if rng == nil {
		panic("mixture: Sample: nil rng")
	}
	counts := multinomial(rng, n, m.weights)
	z := make([]float64, m.d)
	row := 0
	for k, c := range counts {
		for s := 0; s < c; s++ {
			for j := range z {
				z[j] = rng.NormFloat64()
			}
			m.fam.sample(&m.comps, k, dst.RawRowView(row), z)
			if labels != nil {
				labels[row] = k
			}
			row++
		}
	}
	return nil
}

// multinomial draws counts of n trials over the probabilities p (clipped to
// [0, 1] and renormalised), by inverse CDF per trial.
func multinomial(rng *rand.Rand, n int, p []float64) []int {
	cum := make([]float64, len(p))
	s := 0.0
	for k, v := range p {
		s += math.Min(1, math.Max(0, v))
		cum[k] = s
	}
	counts := make([]int, len(p))
	for i := 0; i < n; i++ {
		u := rng.Float64() * s
		k := sort.Search(len(cum), func(j int) bool { return cum[j] > u })
		if k == len(cum) {
			k = len(cum) - 1
		}
		counts[k]++
	}
	return counts
}
