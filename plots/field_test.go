package plots

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/testutil"
)

func TestEvaluate(t *testing.T) {
	f, err := Evaluate(func(x, y float64) float64 { return 10*x + y }, 0, 1, -1, 1, 3, 5)
	if err != nil {
		t.Fatal(err)
	}
	c, r := f.Dims()
	if c != 3 || r != 5 {
		t.Fatalf("Dims = %d, %d; want 3, 5", c, r)
	}
	for i := range c {
		for j := range r {
			if got, want := f.Z(i, j), 10*f.X(i)+f.Y(j); got != want {
				t.Errorf("Z(%d, %d) = %v, want f(X, Y) = %v", i, j, got, want)
			}
		}
	}
	if f.X(0) != 0 || f.X(2) != 1 || f.Y(0) != -1 || f.Y(4) != 1 || f.Y(2) != 0 {
		t.Error("lattice ends or middle wrong")
	}
	if f.Min() != -1 || f.Max() != 11 {
		t.Errorf("range [%v, %v], want [-1, 11]", f.Min(), f.Max())
	}
}

func TestFieldErrors(t *testing.T) {
	z := mat.NewDense(2, 2, []float64{1, 2, 3, 4})
	for _, c := range []struct {
		name string
		x, y []float64
		z    mat.Matrix
		want error
	}{
		{"NaN value (P-01)", []float64{0, 1}, []float64{0, 1}, mat.NewDense(2, 2, []float64{1, nan, 3, 4}), ErrNaN},
		{"-Inf value (P-01)", []float64{0, 1}, []float64{0, 1}, mat.NewDense(2, 2, []float64{1, 2, math.Inf(-1), 4}), ErrInf},
		{"NaN x", []float64{0, nan}, []float64{0, 1}, z, ErrNaN},
		{"decreasing x", []float64{1, 0}, []float64{0, 1}, z, nil},
		{"repeated y", []float64{0, 1}, []float64{1, 1}, z, nil},
	} {
		_, err := NewField(c.x, c.y, c.z)
		if err == nil || (c.want != nil && !errors.Is(err, c.want)) {
			t.Errorf("%s: got %v, want an error (wrapping %v)", c.name, err, c.want)
		}
	}
	if _, err := Evaluate(func(x, y float64) float64 { return math.Log(x) }, 0, 1, 0, 1, 3, 3); !errors.Is(err, ErrInf) {
		t.Errorf("log(0) in Evaluate: got %v", err)
	}
	if _, err := Evaluate(func(x, y float64) float64 { return 0 }, 1, 0, 0, 1, 3, 3); err == nil {
		t.Error("reversed bounds: no error")
	}
	defer func() {
		if recover() == nil {
			t.Error("values of the wrong shape: no panic")
		}
	}()
	NewField([]float64{0, 1, 2}, []float64{0, 1}, z)
}

func TestNiceLevels(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   []float64
	}{
		{0, 1, []float64{0.2, 0.4, 0.6, 0.8}},              // 1/8 = 0.125 rounds up to a step of 0.2
		{-12, -3.8, []float64{-10, -8, -6, -4}},            // 8.2/8 = 1.025 rounds up to 2
		{0, 0.119, []float64{0.02, 0.04, 0.06, 0.08, 0.1}}, // 0.0149 → 0.02
		{5, 5, nil},
	} {
		got := niceLevels(c.lo, c.hi, 8)
		testutil.AssertCloseSlice(t, fmt.Sprintf("niceLevels(%v, %v)", c.lo, c.hi), got, c.want, 1e-15, 1e-12)
	}
}

// TestContourLevelColours: each contour level is drawn in the colour map's
// colour at its value, whatever order the levels come in.
func TestContourLevelColours(t *testing.T) {
	f, err := Evaluate(func(x, y float64) float64 { return x*x + y*y }, -1, 1, -1, 1, 30, 30)
	if err != nil {
		t.Fatal(err)
	}
	cm := Viridis()
	cm.SetMin(0)
	cm.SetMax(2)
	c := AddContour(New("", "", ""), f, []float64{1.5, 0.25, 1}, cm)
	if !slices.Equal(c.Levels, []float64{0.25, 1, 1.5}) {
		t.Fatalf("levels %v, want sorted", c.Levels)
	}
	for i, lv := range c.Levels {
		want, _ := cm.At(lv)
		if c.LineStyles[i].Color != want {
			t.Errorf("level %v: colour %v, want %v", lv, c.LineStyles[i].Color, want)
		}
	}
}

func TestColumnRange(t *testing.T) {
	x := mat.NewDense(3, 2, []float64{1, 5, 3, 5, 2, 5})
	lo, hi, err := ColumnRange(x, 0, 0.1)
	if err != nil || !closeRel(lo, 0.8) || !closeRel(hi, 3.2) { // [1, 3] ± 10% of 2
		t.Errorf("column 0: [%v, %v], %v; want [0.8, 3.2]", lo, hi, err)
	}
	lo, hi, err = ColumnRange(x, 1, 0) // constant: widened by ±1
	if err != nil || lo != 4 || hi != 6 {
		t.Errorf("constant column: [%v, %v], %v; want [4, 6]", lo, hi, err)
	}
	x.Set(1, 1, nan)
	if _, _, err := ColumnRange(x, 1, 0); !errors.Is(err, ErrNaN) {
		t.Errorf("NaN: got %v", err)
	}
}
