package mixture

import (
	"context"
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// M-37 for SampleStream (issue 22, item 7): exactly n rows, grouped by
// component, with counts near n·π_k, the same draws for every chunk
// size, cancellation between chunks, and n far beyond memory in O(K)
// before the first chunk.
func TestSampleStream(t *testing.T) {
	d := randomData(newRNG(38), 300, 3, 2, 20, Full)
	m, _ := fitted(t, d.x, Options{K: 3, Seed: 2})
	collect := func(n int64, chunk int) (*mat.Dense, []int) {
		var rows []float64
		var labels []int
		err := m.SampleStream(context.Background(), n, chunk, newRNG(5), func(x *mat.Dense, l []int) error {
			r, _ := x.Dims()
			if r > chunk || r != len(l) {
				t.Fatalf("chunk of %d rows and %d labels, chunk size %d", r, len(l), chunk)
			}
			for i := range r {
				rows = append(rows, x.RawRowView(i)...)
			}
			labels = append(labels, l...)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return mat.NewDense(len(labels), m.Dim(), rows), labels
	}
	const n = 20000
	x1, l1 := collect(n, 1000)
	if len(l1) != n {
		t.Fatalf("%d rows, want %d", len(l1), n)
	}
	for i := 1; i < n; i++ {
		if l1[i] < l1[i-1] {
			t.Fatalf("row %d: component %d after %d: not grouped", i, l1[i], l1[i-1])
		}
	}
	w := m.Weights(nil)
	for k := range m.K() {
		c := 0
		for _, l := range l1 {
			if l == k {
				c++
			}
		}
		sd := math.Sqrt(n * w[k] * (1 - w[k]))
		if math.Abs(float64(c)-n*w[k]) > 5*sd {
			t.Errorf("component %d: %d rows, want %.0f ± %.0f", k, c, n*w[k], sd)
		}
	}
	for _, chunk := range []int{1, 7, n, 3 * n} {
		x2, l2 := collect(n, chunk)
		if !mat.Equal(x1, x2) || !equalInts(l1, l2) {
			t.Errorf("chunk %d: draws differ from chunk 1000's", chunk)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	err := m.SampleStream(ctx, 1e12, 100, newRNG(1), func(x *mat.Dense, l []int) error {
		calls++
		if calls == 3 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || calls != 3 {
		t.Errorf("cancelled after 3 chunks of 1e12 rows: %d calls, error %v", calls, err)
	}
	for _, bad := range []int64{0, -1, MaxStreamRows + 1} {
		if err := m.SampleStream(context.Background(), bad, 10, newRNG(1), func(*mat.Dense, []int) error { return nil }); err == nil {
			t.Errorf("n = %d: no error", bad)
		}
	}
	if err := (&Model{}).SampleStream(context.Background(), 1, 1, newRNG(1), nil); !errors.Is(err, ErrNotFitted) {
		t.Errorf("zero model: %v", err)
	}
}

// TestBinomialCounts: the counts add up to n, a zero weight gets none,
// even for n = 2⁵³.
func TestBinomialCounts(t *testing.T) {
	for _, n := range []int64{1, 5, 1000, 1e12, MaxStreamRows} {
		c := binomialCounts(newRNG(2), n, []float64{0.3, 0, 0.7, 0})
		if c[0]+c[1]+c[2]+c[3] != n || c[1] != 0 || c[3] != 0 {
			t.Errorf("n = %d: counts %v", n, c)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
