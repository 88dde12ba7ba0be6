package plots

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// floats decodes data as little-endian float64s (at most 64).
func floats(data []byte) []float64 {
	var v []float64
	for len(data) >= 8 && len(v) < 64 {
		v = append(v, math.Float64frombits(binary.LittleEndian.Uint64(data)))
		data = data[8:]
	}
	return v
}

func fuzzSeeds(f *testing.F) {
	for _, seed := range [][]float64{
		{1, 2, 3},
		{-1, 0, 1},
		{5},
		{math.NaN()},
		{math.Inf(-1), 2},
		{1e308, -1e308},
		{5e-324, 1e-300},
		{0, 0, 0, 0},
		{1e300, 1e300 * (1 + 1e-15)},
	} {
		var b []byte
		for _, x := range seed {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
		}
		f.Add(b, false)
		f.Add(b, true)
	}
}

// FuzzLines: whatever the values, Lines and Encode return an image or an
// error, never panic (P-01…P-04).
func FuzzLines(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, logY bool) {
		y := floats(data)
		p, err := Lines([]Series{{Name: "s", Y: y}}, LineOptions{LogY: logY})
		if err != nil {
			if !errors.Is(err, ErrNoData) && !errors.Is(err, ErrNaN) && !errors.Is(err, ErrInf) && !errors.Is(err, ErrLogScale) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if err := Encode(&bytes.Buffer{}, "png", Sized(p, 200, 150)); err != nil {
			t.Logf("%v: %v", y, err)
		}
	})
}

// FuzzHistogramScatter: the same for Histogram and Scatter.
func FuzzHistogramScatter(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte, counts bool) {
		v := floats(data)
		if h, err := Histogram(v, nil, HistOptions{Counts: counts}); err == nil {
			if err := Encode(&bytes.Buffer{}, "png", Sized(h, 200, 150)); err != nil {
				t.Logf("histogram %v: %v", v, err)
			}
		}
		if len(v) >= 2 {
			x := mat.NewDense(len(v)/2, 2, v[:len(v)/2*2])
			if s, err := Scatter(x, nil, ScatterOptions{}); err == nil {
				if err := Encode(&bytes.Buffer{}, "png", Sized(s, 200, 150)); err != nil {
					t.Logf("scatter %v: %v", v, err)
				}
			}
		}
	})
}
