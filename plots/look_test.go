package plots

import (
	"fmt"
	"image/color"
	"math"
	"testing"

	"gonum.org/v1/plot/palette"
)

// The palette of Okabe & Ito (2008), "Color Universal Design", table of
// RGB values, in the package's order.
func TestPaletteIsOkabeIto(t *testing.T) {
	want := []uint32{0x0072B2, 0xE69F00, 0x009E73, 0xD55E00, 0xCC79A7, 0x56B4E9, 0x000000, 0xF0E442}
	cs := Colors()
	if len(cs) != len(want) || NumColors != len(want) {
		t.Fatalf("got %d colours, want %d", len(cs), len(want))
	}
	for i, w := range want {
		c := color.NRGBAModel.Convert(cs[i]).(color.NRGBA)
		got := uint32(c.R)<<16 | uint32(c.G)<<8 | uint32(c.B)
		if got != w || c.A != 0xFF {
			t.Errorf("colour %d: got #%06X alpha %d, want #%06X opaque", i, got, c.A, w)
		}
		if Color(i+NumColors) != Color(i) {
			t.Errorf("Color(%d) does not cycle to Color(%d)", i+NumColors, i)
		}
	}
	cs[0] = color.White // a copy: the palette is unchanged
	if Color(0) == color.Color(color.White) {
		t.Error("Colors returned the palette itself, not a copy")
	}
}

func TestColourAndGlyphTellGroupsApart(t *testing.T) {
	type pair struct {
		c color.Color
		g string
	}
	seen := map[pair]int{}
	for i := range MaxGroups {
		p := pair{Color(i), glyphName(Glyph(i))}
		if j, ok := seen[p]; ok {
			t.Fatalf("groups %d and %d share colour and marker", j, i)
		}
		seen[p] = i
	}
	if MaxGroups != 56 { // 8 colours × 7 shapes, coprime periods
		t.Errorf("MaxGroups = %d, want 56", MaxGroups)
	}
}

func glyphName(g any) string { return fmt.Sprintf("%T", g) }

func TestNegativeIndexPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"Color": func() { Color(-1) },
		"Glyph": func() { Glyph(-1) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s(-1) did not panic", name)
				}
			}()
			f()
		}()
	}
}

func TestTranslucent(t *testing.T) {
	c := Translucent(color.NRGBA{R: 10, G: 20, B: 30, A: 255}, 0.25).(color.NRGBA)
	if c.R != 10 || c.G != 20 || c.B != 30 || c.A != 64 { // 255·0.25 = 63.75 → 64
		t.Errorf("got %v, want {10 20 30 64}", c)
	}
}

// relLuminance is the WCAG relative luminance of c.
func relLuminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

func TestViridis(t *testing.T) {
	cm := Viridis()
	cm.SetMin(-2)
	cm.SetMax(6)
	at := func(v float64) color.NRGBA {
		c, err := cm.At(v)
		if err != nil {
			t.Fatalf("At(%v): %v", v, err)
		}
		return c.(color.NRGBA)
	}
	// matplotlib 3.6: viridis(0) = #440154, viridis(0.5) = #21918c,
	// viridis(1) = #fde725.
	for _, c := range []struct {
		v    float64
		want color.NRGBA
	}{
		{-2, color.NRGBA{0x44, 0x01, 0x54, 0xFF}},
		{2, color.NRGBA{0x21, 0x91, 0x8c, 0xFF}},
		{6, color.NRGBA{0xfd, 0xe7, 0x25, 0xFF}},
	} {
		if got := at(c.v); got != c.want {
			t.Errorf("At(%v): got %v, want %v", c.v, got, c.want)
		}
	}
	// Sequential: luminance rises monotonically, which is what makes it
	// readable in grey and by the colour-blind.
	prev := -1.0
	for i := range 101 {
		l := relLuminance(at(-2 + 8*float64(i)/100))
		if l < prev {
			t.Fatalf("luminance falls at step %d: %v after %v", i, l, prev)
		}
		prev = l
	}
	for _, c := range []struct {
		v    float64
		want error
	}{{math.NaN(), palette.ErrNaN}, {-2.1, palette.ErrUnderflow}, {6.1, palette.ErrOverflow}} {
		if _, err := cm.At(c.v); err != c.want {
			t.Errorf("At(%v): got error %v, want %v", c.v, err, c.want)
		}
	}
	pal := cm.Palette(5).Colors()
	if len(pal) != 5 || pal[0] != color.Color(at(-2)) || pal[4] != color.Color(at(6)) {
		t.Errorf("Palette(5) = %v: want 5 colours from At(Min) to At(Max)", pal)
	}
}
