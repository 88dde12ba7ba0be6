package plots

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
)

// viridisAnchors are matplotlib's viridis colour map (van der Walt &
// Smith 2015, CC0) sampled at 17 evenly spaced points, 0, 1/16, …, 1
// (matplotlib 3.6 colormaps["viridis"], printed as hex).
var viridisAnchors = [...][3]uint8{
	{0x44, 0x01, 0x54}, {0x48, 0x18, 0x6a}, {0x47, 0x2d, 0x7b}, {0x42, 0x40, 0x86},
	{0x3b, 0x52, 0x8b}, {0x33, 0x63, 0x8d}, {0x2c, 0x72, 0x8e}, {0x26, 0x82, 0x8e},
	{0x21, 0x91, 0x8c}, {0x1f, 0xa0, 0x88}, {0x28, 0xae, 0x80}, {0x3f, 0xbc, 0x73},
	{0x5e, 0xc9, 0x62}, {0x84, 0xd4, 0x4b}, {0xad, 0xdc, 0x30}, {0xd8, 0xe2, 0x19},
	{0xfd, 0xe7, 0x25},
}

// Viridis returns a fresh viridis colour map on [0, 1]: sequential,
// perceptually uniform, readable by the colour-blind and in grey scale
// (van der Walt & Smith 2015). It is the colour map of every heat map,
// contour and colour bar of the package unless the caller gives another.
// Colours between the 17 anchors are interpolated linearly in sRGB.
// Set its range with SetMin and SetMax.
func Viridis() palette.ColorMap { return &viridis{min: 0, max: 1, alpha: 1} }

// Diverging returns a fresh diverging colour map on [0, 1] (Moreland's
// smooth blue–red, from gonum/plot), for signed quantities such as a
// decision function, centred on the middle of its range.
func Diverging() palette.DivergingColorMap { return moreland.SmoothBlueRed() }

type viridis struct{ min, max, alpha float64 }

// At returns the colour at v; it is an error for v to be NaN or outside
// [Min, Max].
func (m *viridis) At(v float64) (color.Color, error) {
	switch {
	case math.IsNaN(v):
		return nil, palette.ErrNaN
	case v < m.min:
		return nil, palette.ErrUnderflow
	case v > m.max:
		return nil, palette.ErrOverflow
	}
	t := 0.5
	if m.max > m.min {
		t = (v - m.min) / (m.max - m.min)
	}
	return m.at(t), nil
}

// at returns the colour at t in [0, 1].
func (m *viridis) at(t float64) color.Color {
	pos := t * float64(len(viridisAnchors)-1)
	i := int(pos)
	if i >= len(viridisAnchors)-1 {
		i = len(viridisAnchors) - 2
	}
	f := pos - float64(i)
	a, b := viridisAnchors[i], viridisAnchors[i+1]
	mix := func(k int) uint8 {
		return uint8(math.Round((1-f)*float64(a[k]) + f*float64(b[k])))
	}
	return color.NRGBA{R: mix(0), G: mix(1), B: mix(2), A: uint8(math.Round(m.alpha * 255))}
}

func (m *viridis) Max() float64     { return m.max }
func (m *viridis) Min() float64     { return m.min }
func (m *viridis) SetMax(v float64) { m.max = v }
func (m *viridis) SetMin(v float64) { m.min = v }
func (m *viridis) Alpha() float64   { return m.alpha }
func (m *viridis) SetAlpha(a float64) {
	if a < 0 || a > 1 {
		panic("plots: colour map alpha out of [0, 1]")
	}
	m.alpha = a
}

// Palette returns n colours evenly spaced over the map, first to last.
func (m *viridis) Palette(n int) palette.Palette {
	cs := make(colors, n)
	for i := range cs {
		t := 0.5
		if n > 1 {
			t = float64(i) / float64(n-1)
		}
		cs[i] = m.at(t)
	}
	return cs
}

type colors []color.Color

func (c colors) Colors() []color.Color { return c }
