package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// gmm fit --defaults mclust is Mclust(X): on Iris mclust's table (VEV,2
// −561.7285 best, the NA cells) and bad flags refused with exit 2.
func TestGmmFitDefaultsMclust(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "iris.csv")
	var out, errb bytes.Buffer
	if code := run([]string{"data", "export", "iris", "--out", data}, nil, &out, &errb); code != 0 {
		t.Fatal(errb.String())
	}
	out.Reset()
	// The species column is text: the four measurements only.
	charts := []string{filepath.Join(dir, "bic.png"), filepath.Join(dir, "class.png"), filepath.Join(dir, "unc.svg")}
	if code := run([]string{"gmm", "fit", data, "--label", "species", "--defaults", "mclust",
		"--plot-mclust-bic", charts[0], "--plot-classification", charts[1], "--plot-uncertainty", charts[2]}, nil, &out, &errb); code != 0 {
		t.Fatal(errb.String())
	}
	s := out.String()
	for _, want := range []string{"VEV,2", "-561.7285", "-562.5522", "-574.0178", "VEE,5: singular covariance", "Best: VEV,2"} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	for _, c := range charts {
		if st, err := os.Stat(c); err != nil || st.Size() < 1000 {
			t.Errorf("chart %s: %v", c, err)
		}
	}
	for _, bad := range [][]string{
		{"-k", "3", "--plot-mclust-bic", filepath.Join(dir, "x.png")},
		{"--defaults", "mclust", "--reg-covar", "1e-3"},
		{"--defaults", "sklearn"},
		{"--defaults", "mclust", "--init", "kmeans"},
		{"--hc-use", "VARS"},
		{"--init", "hc", "--hc-use", "XYZ"},
	} {
		errb.Reset()
		if code := run(append([]string{"gmm", "fit", data, "--label", "species"}, bad...), nil, &out, &errb); code != exitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", bad, code, exitUsage, errb.String())
		}
	}
}
