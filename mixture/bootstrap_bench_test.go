package mixture

import (
	"context"
	"testing"
)

// The bootstrap benchmarks time mclust_bootstrap.json's and mcboot_ref.json's
// cases with 999 resamples on every core (testdata/mclust/mcboot_bench.R
// times mclust on the same ones: see its header for a sitting's numbers).

func benchBootstrap(b *testing.B, name string, typ BootstrapType) {
	ref, m := bootSet(b, name)
	x := mcData(b, name)
	o := bootOptions(b, name, ref, BootstrapOptions{Type: typ, NBoot: 999, Seed: 1})
	b.ResetTimer()
	for b.Loop() {
		if _, err := Bootstrap(context.Background(), x, m, o); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBootstrapIrisVVV2x999(b *testing.B)     { benchBootstrap(b, "iris/iris_vvv2", Nonparametric) }
func BenchmarkBootstrapFaithfulEEE3x999(b *testing.B) { benchBootstrap(b, "faithful", Nonparametric) }
func BenchmarkJackknifeIrisVVV2(b *testing.B)         { benchBootstrap(b, "iris/iris_vvv2", Jackknife) }

func BenchmarkBootstrapLRTFaithfulEEEx999(b *testing.B) {
	x := mcData(b, "faithful")
	start := hcStart(b, "faithful")
	for b.Loop() {
		if _, err := BootstrapLRT(context.Background(), x, LRTOptions{Covariance: Tied, NBoot: 999, Seed: 1, Start: start}); err != nil {
			b.Fatal(err)
		}
	}
}
