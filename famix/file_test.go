package famix

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// TestFileRoundTrip: a mixed-type model saved and read back gives the same
// bits for the log-likelihood of every row; bad files are refused naming
// the field.
func TestFileRoundTrip(t *testing.T) {
	fams := []Family{Gaussian, Categorical, StudentT, StudentT, Poisson, Bernoulli}
	x, _ := simulate(300, fams, 2, 3)
	m, _, err := Fit(context.Background(), x, nil, Options{K: 2, Columns: fams, EM: em.Options{Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	data, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := Read(bytes.NewReader(data), "model.json")
	if err != nil {
		t.Fatal(err)
	}
	a, _ := m.LogLikelihoods(x)
	b, _ := back.LogLikelihoods(x)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("row %d: log-likelihood %v after a round trip, %v before", i+1, b[i], a[i])
		}
	}
	again, _ := back.Marshal()
	if !bytes.Equal(again, data) {
		t.Fatal("the file changed on a second round trip")
	}
	for _, tc := range []struct{ from, to, want string }{
		{`"k": 2`, `"k": 0`, "body.k"},
		{`"family": "poisson"`, `"family": "negbin"`, "body.blocks[3].family"},
		{`"smoothing"`, `"smoothin"`, "smoothin"},
	} {
		bad := strings.Replace(string(data), tc.from, tc.to, 1)
		if bad == string(data) {
			t.Fatalf("%q not in the file", tc.from)
		}
		_, err := Read(strings.NewReader(bad), "bad.json")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s → %s: error %v, want one naming %s", tc.from, tc.to, err, tc.want)
		}
	}
	// Sampling draws in the model's support.
	s := mat.NewDense(200, len(fams), nil)
	back.Sample(s, nil, rngFor(5))
	if _, err := back.LogLikelihoods(s); err != nil {
		t.Fatalf("sampled rows refused: %v", err)
	}
}
