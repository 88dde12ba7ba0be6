package plots

import (
	"errors"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// VAEClassSamples lays perClass images of each class in one labelled row
// per class, in the classes' order, and refuses a sample count that is
// not classes × perClass.
func TestVAEClassSamples(t *testing.T) {
	const C, per, h, w = 3, 4, 2, 2
	x := mat.NewDense(C*per, h*w, nil)
	for i := 0; i < C*per; i++ {
		for j := 0; j < h*w; j++ {
			x.Set(i, j, float64(i/per)) // image value = its class
		}
	}
	c, err := VAEClassSamples(x, []string{"a", "b", "c"}, per, h, w, "t")
	if err != nil {
		t.Fatal(err)
	}
	g := c.Grid
	if g.Rows != C || g.Cols != per {
		t.Fatalf("grid %d×%d, want %d×%d", g.Rows, g.Cols, C, per)
	}
	for r := 0; r < C; r++ {
		for k := 0; k < per; k++ {
			if v := g.cells[r*per+k][0]; v != float64(r) {
				t.Errorf("row %d, image %d holds class %v", r, k, v)
			}
		}
	}
	if _, err := VAEClassSamples(x, []string{"a", "b"}, per, h, w, "t"); !errors.Is(err, ErrNoData) {
		t.Errorf("12 samples for 2 classes of 4: %v", err)
	}
}
