package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/latentgo/latent/mixture"
)

// FuzzReadParams: a --init file either gives parameters of the data's shape
// or an error; never a panic.
func FuzzReadParams(f *testing.F) {
	f.Add([]byte(`{"weights": [0.5, 0.5], "means": [[2, 55], [4.5, 80]], "covariances": [[[0.1, 0], [0, 30]], [[0.2, 0], [0, 40]]]}`))
	f.Add([]byte(`{"weights": [1], "means": [[1, 2]], "covariances": [[[1, 2], [3, 1]]], "note": "x"}`))
	f.Add([]byte(`{"format": "latent.gmm"}`))
	f.Add([]byte(`[]`))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "p.json")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		e := &env{stdout: io.Discard, stderr: io.Discard}
		p, err := readParams(e, path, 2)
		if err != nil {
			return
		}
		if _, c := p.Means.Dims(); c != 2 {
			t.Fatalf("means with %d columns for 2-column data", c)
		}
		for _, s := range p.Covariances {
			if s.SymmetricDim() != 2 {
				t.Fatalf("covariance of dimension %d", s.SymmetricDim())
			}
		}
		// What readParams accepts, New either accepts or refuses with an
		// error (weights, positive definiteness); it never panics.
		_, _ = mixture.New(mixture.Full, *p, nil)
	})
}
