package plots

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// checkerboard returns n images of h × w pixels: image k has pixel
// (r, c) = 1 when r + c + k is even, 0 otherwise.
func checkerboard(n, h, w int) *mat.Dense {
	x := mat.NewDense(n, h*w, nil)
	for k := range n {
		for r := range h {
			for c := range w {
				if (r+c+k)%2 == 0 {
					x.Set(k, r*w+c, 1)
				}
			}
		}
	}
	return x
}

// TestImageChartPixels: an untitled chart of n images is exactly
// (cols·(w+gap)+gap)·scale × (rows·(h+gap)+gap)·scale pixels, and every
// image pixel is a scale × scale block of one exact grey: no smoothing,
// no seams.
func TestImageChartPixels(t *testing.T) {
	for _, c := range []struct {
		n, h, w, cols, scale int
	}{
		{7, 4, 5, 3, 3},
		{10, 8, 8, 10, 2},  // the digits' size
		{4, 28, 28, 2, 1},  // MNIST's size, at one screen pixel per pixel
		{1, 3, 3, 0, 5},    // cols 0: as many as images
		{12, 6, 4, 5, 4},   // a partly filled last row
		{3, 28, 28, 3, 2},  // MNIST, scale 2
		{20, 2, 9, 7, 6},   // wide images
		{5, 9, 2, 5, 3},    // tall images
		{30, 5, 5, 10, 1},  // many small
		{2, 16, 16, 1, 3},  // a single column
		{6, 7, 7, 6, 4},    // odd sizes
		{9, 12, 10, 4, 2},  // rectangular, several rows
		{40, 8, 8, 10, 7},  // the gallery's digits
		{11, 3, 4, 4, 9},   // large scale
		{16, 10, 10, 8, 3}, // square blocks
	} {
		x := checkerboard(c.n, c.h, c.w)
		ch, err := Images(x, c.h, c.w, ImageOptions{Cols: c.cols, Scale: c.scale})
		if err != nil {
			t.Fatal(err)
		}
		_, img := renderPNG(t, ch)
		g := ch.Grid
		wantW := (g.Cols*(c.w+1) + 1) * c.scale
		wantH := (g.Rows*(c.h+1) + 1) * c.scale
		if b := img.Bounds(); b.Dx() != wantW || b.Dy() != wantH {
			t.Errorf("%+v: PNG is %d×%d, want %d×%d", c, b.Dx(), b.Dy(), wantW, wantH)
			continue
		}
		for k := range c.n {
			r0, c0 := k/g.Cols, k%g.Cols
			for r := range c.h {
				for col := range c.w {
					want := uint8(255) // 0 is white paper
					if (r+col+k)%2 == 0 {
						want = 0 // 1 is black ink
					}
					for dy := range c.scale {
						for dx := range c.scale {
							px := ((c0*(c.w+1)+1)+col)*c.scale + dx
							py := ((r0*(c.h+1)+1)+r)*c.scale + dy
							if got := color.GrayModel.Convert(img.At(px, py)).(color.Gray).Y; got != want {
								t.Fatalf("%+v: image %d pixel (%d, %d), screen (%d, %d): grey %d, want %d", c, k, r, col, px, py, got, want)
							}
						}
					}
				}
			}
		}
		// The border and the gaps are white.
		if got := img.At(0, 0); !isWhite(got) {
			t.Errorf("%+v: corner is %v, want white", c, got)
		}
	}
}

func isWhite(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r == 0xffff && g == 0xffff && b == 0xffff
}

func TestImageGridGrey(t *testing.T) {
	g, err := NewImageGrid(mat.NewDense(1, 4, []float64{0, 4, 8, 16}), 2, 2, 0)
	if err != nil {
		t.Fatal(err)
	}
	if g.Min != 0 || g.Max != 16 {
		t.Errorf("grey range [%v, %v], want the data's [0, 16]", g.Min, g.Max)
	}
	for _, c := range []struct {
		v    float64
		want uint8
	}{{0, 255}, {4, 191}, {8, 128}, {16, 0}, {-3, 255}, {20, 0}} { // 255·(1 − v/16), rounded, clamped
		if got := g.Color(c.v).Y; got != c.want {
			t.Errorf("grey of %v: got %d, want %d", c.v, got, c.want)
		}
	}
	g.Invert = true
	if got := g.Color(16).Y; got != 255 {
		t.Errorf("inverted grey of Max: got %d, want 255", got)
	}
	g, err = NewImageGrid(mat.NewDense(2, 4, []float64{0, 0.5, 1, 0.25, 0, 0, 0, 0}), 2, 2, 0)
	if err != nil {
		t.Fatal(err)
	}
	if g.Min != 0 || g.Max != 1 || g.Rows != 1 || g.Cols != 2 {
		t.Errorf("data in [0, 1]: range [%v, %v], %d×%d cells; want [0, 1], 1×2", g.Min, g.Max, g.Rows, g.Cols)
	}
}

func TestImageErrors(t *testing.T) {
	x := mat.NewDense(2, 4, []float64{0, 1, 0, 1, 0, nan, 0, 1})
	_, err := Images(x, 2, 2, ImageOptions{})
	if !errors.Is(err, ErrNaN) || err.Error() != "plots: images: image 1, pixel (0, 1) = NaN: value is NaN" {
		t.Errorf("got %v", err)
	}
	a := mat.NewDense(3, 4, nil)
	b := mat.NewDense(2, 4, nil)
	if _, err := CompareImages([]ImageSet{{"input", a}, {"output", b}}, 2, 2, ImageOptions{}); err == nil {
		t.Error("sets of different sizes: no error")
	}
	defer func() {
		if recover() == nil {
			t.Error("4 columns read as 3×3 images: no panic")
		}
	}()
	Images(a, 3, 3, ImageOptions{})
}

// TestCompareImagesLayout: image i of every set is in the same column,
// the sets' rows alternate in the given order.
func TestCompareImagesLayout(t *testing.T) {
	const n, side = 7, 2
	in := mat.NewDense(n, side*side, nil)
	out := mat.NewDense(n, side*side, nil)
	for i := range n {
		for j := range side * side {
			in.Set(i, j, float64(i))
			out.Set(i, j, float64(100+i))
		}
	}
	ch, err := CompareImages([]ImageSet{{"input", in}, {"reconstruction", out}}, side, side, ImageOptions{Cols: 3})
	if err != nil {
		t.Fatal(err)
	}
	g := ch.Grid
	if g.Rows != 6 || g.Cols != 3 { // ⌈7/3⌉ = 3 blocks × 2 sets
		t.Fatalf("got %d×%d cells, want 6×3", g.Rows, g.Cols)
	}
	for i := range n {
		block, col := i/3, i%3
		top := g.cells[(2*block)*3+col]
		bottom := g.cells[(2*block+1)*3+col]
		if top[0] != float64(i) || bottom[0] != float64(100+i) {
			t.Errorf("image %d: cells hold %v above %v, want %d above %d", i, top[0], bottom[0], i, 100+i)
		}
	}
	if g.cells[(2*2)*3+1] != nil || g.cells[(2*2+1)*3+2] != nil {
		t.Error("cells past the last image are not empty")
	}
	_, img := renderPNG(t, ch)
	if img.Bounds().Dx() < 10 {
		t.Errorf("image too small: %v", img.Bounds())
	}
}

var _ image.Image = (*image.Gray)(nil)

// TestImageChartVector: SVG and PDF embed the images (at vectorDPI).
func TestImageChartVector(t *testing.T) {
	ch, err := Images(checkerboard(3, 4, 4), 4, 4, ImageOptions{Title: "vector"})
	if err != nil {
		t.Fatal(err)
	}
	for format, marker := range map[string]string{"svg": "<image", "pdf": "/Image"} {
		var buf bytes.Buffer
		if err := Encode(&buf, format, ch); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if !bytes.Contains(buf.Bytes(), []byte(marker)) {
			t.Errorf("%s output holds no %q", format, marker)
		}
	}
}
