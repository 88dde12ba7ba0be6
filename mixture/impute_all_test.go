package mixture

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/datasets"
)

// TestImputeAll checks that ImputeAll is Impute and a run of ImputeDraw
// calls, and that its table and JSON have the CLI's shapes.
func TestImputeAll(t *testing.T) {
	f := datasets.Faithful()
	m, _, err := Fit(context.Background(), f.X, Options{K: 2, Seed: 1, FeatureNames: f.Columns})
	if err != nil {
		t.Fatal(err)
	}
	x := mat.DenseCopyOf(f.X.Slice(0, 20, 0, 2))
	for _, c := range [][2]int{{0, 0}, {3, 1}, {7, 0}} {
		x.Set(c[0], c[1], math.NaN())
	}
	im, err := m.ImputeAll(x, ImputeOptions{SD: true})
	if err != nil {
		t.Fatal(err)
	}
	sd := mat.NewDense(20, 2, nil)
	want, err := m.Impute(nil, sd, x)
	if err != nil {
		t.Fatal(err)
	}
	if im.Missing != 3 || !mat.Equal(im.Means, want) || !mat.Equal(im.SD, sd) {
		t.Errorf("means and sd: got %d missing, equal means %v, equal sd %v; want 3, true, true", im.Missing, mat.Equal(im.Means, want), mat.Equal(im.SD, sd))
	}
	cols, tab := im.Table()
	if r, c := tab.Dims(); r != 20 || c != 4 || !slices.Equal(cols, []string{"eruptions", "waiting", "eruptions_sd", "waiting_sd"}) || tab.At(3, 3) != sd.At(3, 1) {
		t.Errorf("sd table: got %v and %d×%d", cols, r, c)
	}

	im, err = m.ImputeAll(x, ImputeOptions{Draws: 3, Rand: rand.New(rand.NewPCG(7, 1))})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 1))
	for r := range 3 {
		one, err := m.ImputeDraw(nil, x, rng)
		if err != nil {
			t.Fatal(err)
		}
		if !mat.Equal(im.Draws[r], one) {
			t.Errorf("draw %d differs from the %d-th ImputeDraw of the same rng", r+1, r+1)
		}
	}
	cols, tab = im.Table()
	if r, c := tab.Dims(); r != 60 || c != 3 || cols[2] != "draw" || tab.At(20, 2) != 2 || tab.At(20, 0) != im.Draws[1].At(0, 0) {
		t.Errorf("draws table: got %v and %d×%d", cols, r, c)
	}
	js, err := json.Marshal(im)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Columns []string      `json:"columns"`
		Missing int           `json:"missing_cells"`
		Rows    [][]float64   `json:"rows"`
		Draws   [][][]float64 `json:"draws"`
	}
	if err := json.Unmarshal(js, &back); err != nil || back.Missing != 3 || back.Rows != nil || len(back.Draws) != 3 || back.Draws[2][7][0] != im.Draws[2].At(7, 0) {
		t.Errorf("JSON: got %s (err %v)", js[:min(len(js), 120)], err)
	}

	for _, o := range []ImputeOptions{{Draws: -1}, {Draws: 2}, {Draws: 2, SD: true, Rand: rng}} {
		if _, err := m.ImputeAll(x, o); !errors.Is(err, ErrImputeOptions) {
			t.Errorf("ImputeAll(%+v): got %v, want ErrImputeOptions", o, err)
		}
	}
}
