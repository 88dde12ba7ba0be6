package vae

import (
	"context"
	"math"
	"testing"

	"github.com/latentgo/latent/internal/testutil"
)

// Burda et al.'s Table 1 direction on the 8×8 digits: at equal epochs,
// training on the k = 5 bound gives a better held-out log p(x) (k = 2000
// estimate) than training on the ELBO (k = 1), by more than the paired
// standard error of the difference and more than either estimate's own.
// Reference run (seed 3, 64-64-8, batch 64, 60 epochs; also
// `latent vae train --data digits --latent 8 --hidden 64 --epochs 60
// --batch 64 --seed 3 --iw-k K --iwae-k 2000 --iwae-rows 0`): k = 1
// −24.736 ± 0.133, k = 5 −24.532 ± 0.131 nats per row.
func TestIWAETrainingBeatsELBODigits(t *testing.T) {
	testutil.Long(t, "trains two digits VAEs for 60 epochs and estimates log p(x) with 2000 samples")
	d := Digits()
	d.HoldOut(0.2, 3)
	ll := map[int][]float64{}
	for _, k := range []int{1, 5} {
		m, _, err := Train(context.Background(), d.Train, Options{Model: Config{Latent: 8, Hidden: []int{64}}, Epochs: 60, BatchSize: 64, IWK: k, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		if ll[k], err = m.LogLikelihood(context.Background(), d.Test, IWAEOptions{K: 2000, Seed: 3}); err != nil {
			t.Fatal(err)
		}
	}
	s1, s5 := Summarise(ll[1], 2000), Summarise(ll[5], 2000)
	diff := make([]float64, len(ll[1]))
	for i := range diff {
		diff[i] = ll[5][i] - ll[1][i]
	}
	sd := Summarise(diff, 2000)
	t.Logf("held-out log p(x): k = 1 %.3f ± %.3f, k = 5 %.3f ± %.3f; paired difference %.3f ± %.3f", s1.LogLik, s1.StdErr, s5.LogLik, s5.StdErr, sd.LogLik, sd.StdErr)
	if !(sd.LogLik > sd.StdErr && sd.LogLik > math.Max(s1.StdErr, s5.StdErr)) {
		t.Errorf("k = 5 training gained %.3f ± %.3f nats over the ELBO; want more than the standard errors (%.3f, %.3f)", sd.LogLik, sd.StdErr, s1.StdErr, s5.StdErr)
	}
}
