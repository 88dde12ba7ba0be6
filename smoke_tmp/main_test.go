package smoke

import (
	"context"
	"fmt"
	"testing"

	"github.com/latentgo/latent/biasvar"
)

func TestDD(t *testing.T) {
	for _, design := range []biasvar.Design{biasvar.Fixed, biasvar.Random} {
		p := biasvar.Sine(40, 0.3)
		p.Design = design
		vals := []float64{2, 5, 10, 20, 30, 35, 38, 40, 42, 45, 50, 60, 80, 120, 200, 400, 1000}
		k := biasvar.Knob{Name: "features", Values: vals, New: func(v float64) (biasvar.Learner, error) {
			return biasvar.RandomFeatures{Features: int(v), Scale: 1, ReLU: true}, nil
		}}
		sr, err := biasvar.Sweep(context.Background(), p, k, biasvar.Options{Rounds: 200, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, pt := range sr.Points {
			r := pt.Report
			fmt.Printf("%s p=%g err %.4g bias2 %.4g var %.4g  (%.2fs)\n", design, pt.Value, r.Totals.Error.Value, r.Totals.Bias2.Value, r.Totals.Variance.Value, r.Seconds)
		}
	}
}
