package logmath

import (
	"math"
	"math/rand/v2"
	"testing"
)

// expCases are the values TestExpToSameBits checks: the special ones, the
// edges of math.Exp's branches (overflow, the denormal results below
// −708.4, underflow to 0 below −745.1), and random values over the range
// of the E-steps' shifted log densities (−800…0) and over all of float64.
func expCases() []float64 {
	xs := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, -0.5, 1e-300, -1e-300, 5e-324, -5e-324,
		709, 709.5, 709.78, 709.7827128933840, 709.79, 710, -708, -708.39, -708.4, -709, -720,
		-744.44, -745.13, -745.1332191019411, -745.14, -746, -1000, -1e10, -1e300, 1e300,
		math.MaxFloat64, -math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN(),
		math.Ln2, -math.Ln2, math.Ln2 / 2, -math.Ln2 / 2}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200000; i++ {
		xs = append(xs, -800*r.Float64())
	}
	for i := 0; i < 50000; i++ {
		xs = append(xs, 1500*(r.Float64()-0.5))
		xs = append(xs, -1e-6*r.Float64(), -40*r.Float64(), -708.4-37*r.Float64())
		xs = append(xs, math.Float64frombits(r.Uint64()))
	}
	return xs
}

func TestExpToSameBits(t *testing.T) {
	xs := expCases()
	for _, off := range []int{0, 1, 2, 3} { // every alignment of the blocks
		x := xs[off:]
		got := make([]float64, len(x))
		ExpTo(got, x)
		bad := 0
		for i, v := range x {
			want := math.Exp(v)
			if math.Float64bits(got[i]) != math.Float64bits(want) && !(math.IsNaN(want) && math.IsNaN(got[i])) {
				if bad < 10 {
					t.Errorf("ExpTo(%v) = %v (%#x), math.Exp = %v (%#x)", v, got[i], math.Float64bits(got[i]), want, math.Float64bits(want))
				}
				bad++
			}
		}
		if bad > 0 {
			t.Fatalf("offset %d: %d of %d values differ from math.Exp", off, bad, len(x))
		}
	}
	// In place, and short slices (the scalar tail only).
	x := []float64{-1, -2, -3, -4, -5, -6, -7}
	want := make([]float64, len(x))
	for i, v := range x {
		want[i] = math.Exp(v)
	}
	ExpTo(x, x)
	for i := range x {
		if x[i] != want[i] {
			t.Errorf("in place [%d]: %v, want %v", i, x[i], want[i])
		}
	}
	ExpTo(nil, nil)
}

func TestExpToLengths(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("ExpTo of different lengths did not panic")
		}
	}()
	ExpTo(make([]float64, 3), make([]float64, 4))
}

func BenchmarkExpTo(b *testing.B) {
	x := make([]float64, 4096)
	r := rand.New(rand.NewPCG(3, 4))
	for i := range x {
		x[i] = -50 * r.Float64()
	}
	dst := make([]float64, len(x))
	b.Run("ExpTo", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			ExpTo(dst, x)
		}
	})
	b.Run("math.Exp", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for j, v := range x {
				dst[j] = math.Exp(v)
			}
		}
	})
}
