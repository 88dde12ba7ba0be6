package mixture

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"testing"

	"github.com/latentgo/latent/internal/testutil"
)

// hcStart returns the LRT's start from the reference's hierarchical
// clustering (hc(X, "VVV", use = "SVD") cut at k, as mclustBIC starts),
// 0-based.
func hcStart(t testing.TB, name string) func(k int) ([]int, error) {
	parts := loadMclust(t, name).HC["VVV"]["SVD"].Partitions
	return func(k int) ([]int, error) {
		p, ok := parts[fmt.Sprint(k)]
		if !ok {
			return nil, fmt.Errorf("no hc partition for %d components", k)
		}
		out := make([]int, len(p))
		for i, v := range p {
			out[i] = v - 1
		}
		return out, nil
	}
}

// ksTwoSample returns the two-sample Kolmogorov–Smirnov statistic
// sup |F_a − F_b| of the samples a and b.
func ksTwoSample(a, b []float64) float64 {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	i, j, d := 0, 0, 0.0
	for i < len(a) && j < len(b) {
		v := math.Min(a[i], b[j])
		for i < len(a) && a[i] <= v {
			i++
		}
		for j < len(b) && b[j] <= v {
			j++
		}
		d = math.Max(d, math.Abs(float64(i)/float64(len(a))-float64(j)/float64(len(b))))
	}
	return d
}

// TestBootstrapLRTMatchesMclust runs the sequential bootstrap LRT from
// mclust's hc starts and compares it with mclustBootstrapLRT (999
// replicates each): the observed statistics are deterministic (to 1e-6);
// the p-values are within 4 of their Monte Carlo errors √2·√(p(1−p)/B)
// (at least that of p = 1/(B+1)); and the bootstrap distributions agree by
// the two-sample Kolmogorov–Smirnov test at the 0.1% level (D ≤
// 1.95·√(2/999) = 0.087).
func TestBootstrapLRTMatchesMclust(t *testing.T) {
	for _, name := range []string{"faithful", "iris"} {
		t.Run(name, func(t *testing.T) {
			ref, _ := bootSet(t, name)
			cov, _ := mcCovariance(ref.Model)
			want := ref.LRT
			rep, err := BootstrapLRT(context.Background(), mcData(t, name), LRTOptions{Covariance: cov, NBoot: 999, Seed: uint64(want.Seed), Start: hcStart(t, name)})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Tests) != len(want.G) {
				t.Fatalf("got %d tests, mclust ran %d", len(rep.Tests), len(want.G))
			}
			b := float64(999)
			for g, test := range rep.Tests {
				what := fmt.Sprintf("%d vs %d", test.K, test.K+1)
				testutil.AssertClose(t, what+" LRTS", test.Statistic, want.Obs[g], 1e-6, 1e-6)
				p := math.Max(test.PValue, 1/(b+1))
				mc := math.Sqrt2 * math.Sqrt(p*(1-p)/b)
				if z := (test.PValue - want.PValue[g]) / mc; math.Abs(z) > 4 {
					t.Errorf("%s p-value: got %.4g, mclust %.4g: %.1f Monte Carlo errors (%.2g) apart", what, test.PValue, want.PValue[g], z, mc)
				}
				ks := ksTwoSample(test.Boot, want.Boot[g])
				if ks > 1.95*math.Sqrt(2/b) {
					t.Errorf("%s: the bootstrap LRTS distributions differ: KS D = %.3f > %.3f", what, ks, 1.95*math.Sqrt(2/b))
				}
				t.Logf("%s: LRTS %.6f (mclust %.6f, |Δ| %.2g), p %.4g (mclust %.4g), KS D %.3f, %d redrawn", what, test.Statistic, want.Obs[g], math.Abs(test.Statistic-want.Obs[g]), test.PValue, want.PValue[g], ks, test.NonFit)
			}
			if rep.Status != LRTStopped || rep.Selected != want.G[len(want.G)-1] {
				t.Errorf("selected %d (%s), want %d (stopped)", rep.Selected, rep.Status, want.G[len(want.G)-1])
			}
		})
	}
}

// TestBootstrapLRTMaxKMatchesMclust: mclustBootstrapLRT(iris, "VVV",
// maxG = 3) runs every test of 1 vs 2 … 3 vs 4 (mcboot_ref.json).
func TestBootstrapLRTMaxKMatchesMclust(t *testing.T) {
	ref, err := mcExtra()
	if err != nil {
		t.Fatal(err)
	}
	want := ref.LRT
	rep, err := BootstrapLRT(context.Background(), mcData(t, "iris"), LRTOptions{Covariance: Full, MaxK: 4, NBoot: 999, Seed: uint64(want.Seed), Start: hcStart(t, "iris")})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Tests) != 3 {
		t.Fatalf("got %d tests, want 3", len(rep.Tests))
	}
	b := 999.0
	for g, test := range rep.Tests {
		what := fmt.Sprintf("%d vs %d", test.K, test.K+1)
		testutil.AssertClose(t, what+" LRTS", test.Statistic, want.Obs[g], 1e-6, 1e-6)
		p := math.Max(test.PValue, 1/(b+1))
		mc := math.Sqrt2 * math.Sqrt(p*(1-p)/b)
		if z := (test.PValue - want.PValue[g]) / mc; math.Abs(z) > 4 {
			t.Errorf("%s p-value: got %.4g, mclust %.4g: %.1f Monte Carlo errors apart", what, test.PValue, want.PValue[g], z)
		}
		if ks := ksTwoSample(test.Boot, want.Boot[g]); ks > 1.95*math.Sqrt(2/b) {
			t.Errorf("%s: KS D = %.3f > %.3f", what, ks, 1.95*math.Sqrt(2/b))
		}
		t.Logf("%s: LRTS %.6f (mclust %.6f, |Δ| %.2g), p %.4g (mclust %.4g), KS D %.3f, %d redrawn", what, test.Statistic, want.Obs[g], math.Abs(test.Statistic-want.Obs[g]), test.PValue, want.PValue[g], ksTwoSample(test.Boot, want.Boot[g]), test.NonFit)
	}
	if rep.Selected != 3 || rep.Status != LRTStopped {
		t.Errorf("selected %d (%s), want 3 (stopped: 3 vs 4 not significant)", rep.Selected, rep.Status)
	}
}

// TestBootstrapLRTSameBits: the same seed gives the same statistics on 1
// and 2 workers and with GOMAXPROCS 1, and MaxK runs every test.
func TestBootstrapLRTSameBits(t *testing.T) {
	x := mcData(t, "faithful")
	run := func(workers int) *LRTReport {
		rep, err := BootstrapLRT(context.Background(), x, LRTOptions{Covariance: Tied, MaxK: 3, NBoot: 30, Seed: 5, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	one, two := run(1), run(2)
	prev := runtime.GOMAXPROCS(1)
	dflt := run(0)
	runtime.GOMAXPROCS(prev)
	if len(one.Tests) != 2 {
		t.Fatalf("MaxK 3: got %d tests, want 2", len(one.Tests))
	}
	for _, other := range []*LRTReport{two, dflt} {
		for g := range one.Tests {
			if !bitsEqual(one.Tests[g].Boot, other.Tests[g].Boot) || one.Tests[g].Statistic != other.Tests[g].Statistic {
				t.Errorf("test %d differs between 1 and %d workers", g, other.Workers)
			}
		}
	}
}

func TestBootstrapLRTOptionErrors(t *testing.T) {
	x := mcData(t, "faithful")
	for _, tc := range []struct {
		o      LRTOptions
		option string
	}{
		{LRTOptions{MaxK: 1}, "MaxK"},
		{LRTOptions{NBoot: -1}, "NBoot"},
		{LRTOptions{Level: 1.5}, "Level"},
		{LRTOptions{Covariance: "nope"}, "Covariance"},
		{LRTOptions{Tol: -1}, "Tol"},
		{LRTOptions{Workers: -2}, "Workers"},
		{LRTOptions{MaxK: 3, NBoot: 5, Start: func(k int) ([]int, error) { return make([]int, 3), nil }}, "Start"},
	} {
		_, err := BootstrapLRT(context.Background(), x, tc.o)
		var oe *OptionError
		if !errors.As(err, &oe) || oe.Option != tc.option {
			t.Errorf("%+v: got %v, want an *OptionError naming %s", tc.o, err, tc.option)
		}
	}
}
