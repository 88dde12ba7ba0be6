package plots

import (
	"bytes"
	"image"
	"image/png"
	"testing"
)

// renderPNG draws fig as a PNG and returns the encoded bytes and the
// decoded image.
func renderPNG(t testing.TB, fig Figure) ([]byte, image.Image) {
	t.Helper()
	var buf bytes.Buffer
	if err := Encode(&buf, "png", fig); err != nil {
		t.Fatalf("Encode: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("decoding the PNG: %v", err)
	}
	return buf.Bytes(), img
}

// countColor returns the number of pixels of img within dist (per
// channel, 0…255) of c.
func countColor(img image.Image, r, g, b uint8, dist int) int {
	n := 0
	bnd := img.Bounds()
	for y := bnd.Min.Y; y < bnd.Max.Y; y++ {
		for x := bnd.Min.X; x < bnd.Max.X; x++ {
			pr, pg, pb, _ := img.At(x, y).RGBA()
			if abs(int(pr>>8)-int(r)) <= dist && abs(int(pg>>8)-int(g)) <= dist && abs(int(pb>>8)-int(b)) <= dist {
				n++
			}
		}
	}
	return n
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// nonWhite returns the number of pixels that are not white.
func nonWhite(img image.Image) int {
	bnd := img.Bounds()
	return bnd.Dx()*bnd.Dy() - countColor(img, 255, 255, 255, 0)
}
