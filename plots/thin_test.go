package plots

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// TestThinLine: thinning keeps the ends, the extremes of every run, at
// most maxPoints points in order, and the same points every time (P-07).
func TestThinLine(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 0))
	y := make([]float64, 1_000_003)
	for i := range y {
		y[i] = math.Sin(float64(i)/5e4) + 0.1*rng.NormFloat64()
	}
	y[123456] = 50 // a spike must survive
	keep := thinLine(y, 4000)
	if len(keep) > 4000 || len(keep) < 2000 {
		t.Fatalf("kept %d points, want at most 4000 and most of them", len(keep))
	}
	if keep[0] != 0 || keep[len(keep)-1] != len(y)-1 {
		t.Error("the ends were dropped")
	}
	if !slices.IsSorted(keep) {
		t.Error("indices out of order")
	}
	lo, hi := extent(y)
	var klo, khi float64 = math.Inf(1), math.Inf(-1)
	for _, i := range keep {
		klo, khi = math.Min(klo, y[i]), math.Max(khi, y[i])
	}
	if klo != lo || khi != hi {
		t.Errorf("extremes [%v, %v] became [%v, %v]", lo, hi, klo, khi)
	}
	if !slices.Equal(keep, thinLine(y, 4000)) {
		t.Error("thinning is not deterministic")
	}
	if thinLine(y[:4000], 4000) != nil {
		t.Error("a short line was thinned")
	}
}

// TestThinScatter: thinning keeps one point per occupied cell of a fine
// lattice per group, so outliers and every group survive, in input
// order, deterministically (P-07).
func TestThinScatter(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 0))
	const n = 1_000_000
	x, y := make([]float64, n), make([]float64, n)
	groups := make([]int, n)
	for i := range x {
		x[i], y[i] = rng.NormFloat64(), rng.NormFloat64()
		groups[i] = i % 3
	}
	x[999_999], y[999_999], groups[999_999] = 40, -40, 2 // an outlier
	keep := thinScatter(x, y, groups, 50000)
	if len(keep) > 50000 {
		t.Fatalf("kept %d", len(keep))
	}
	if !slices.IsSorted(keep) {
		t.Error("order lost")
	}
	seen := map[int]bool{}
	for _, i := range keep {
		seen[groups[i]] = true
	}
	if len(seen) != 3 {
		t.Errorf("groups kept: %v", seen)
	}
	if !slices.Equal(keep, thinScatter(x, y, groups, 50000)) {
		t.Error("thinning is not deterministic")
	}
	// The lattice step here is 80/1024 ≈ 0.08: the outlier has a cell of
	// its own, so it survives the first pass; the stride pass keeps every
	// k-th survivor, so check the first pass alone.
	first := thinScatter(x, y, groups, n-1)
	if first[len(first)-1] != 999_999 {
		t.Error("the outlier was dropped by the lattice pass")
	}
}

// BenchmarkScatter1e6 builds and encodes a scatter of a million points
// in 3 groups (P-07: thinned to DefaultMaxScatterPoints).
func BenchmarkScatter1e6(b *testing.B) {
	rng := rand.New(rand.NewPCG(9, 0))
	const n = 1_000_000
	x := mat.NewDense(n, 2, nil)
	groups := make([]int, n)
	for i := range n {
		x.Set(i, 0, rng.NormFloat64())
		x.Set(i, 1, rng.NormFloat64())
		groups[i] = i % 3
	}
	b.ResetTimer()
	for b.Loop() {
		p, err := Scatter(x, groups, ScatterOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if err := Encode(discard{}, "png", p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLines1e6 builds and encodes a line of a million points (P-07:
// thinned to DefaultMaxLinePoints).
func BenchmarkLines1e6(b *testing.B) {
	rng := rand.New(rand.NewPCG(10, 0))
	y := make([]float64, 1_000_000)
	for i := range y {
		y[i] = math.Sin(float64(i)/5e4) + 0.1*rng.NormFloat64()
	}
	b.ResetTimer()
	for b.Loop() {
		p, err := Lines([]Series{{Name: "trace", Y: y}}, LineOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if err := Encode(discard{}, "png", p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScatter1e5Unthinned is the cost thinning saves, on a tenth
// of the points.
func BenchmarkScatter1e5Unthinned(b *testing.B) {
	rng := rand.New(rand.NewPCG(9, 0))
	const n = 100_000
	x := mat.NewDense(n, 2, nil)
	for i := range n {
		x.Set(i, 0, rng.NormFloat64())
		x.Set(i, 1, rng.NormFloat64())
	}
	b.ResetTimer()
	for b.Loop() {
		p, err := Scatter(x, nil, ScatterOptions{MaxPoints: -1})
		if err != nil {
			b.Fatal(err)
		}
		if err := Encode(discard{}, "png", p); err != nil {
			b.Fatal(err)
		}
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
