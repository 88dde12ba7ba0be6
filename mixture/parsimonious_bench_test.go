package mixture

import "testing"

// One EM iteration (E-step over all rows on every core, merge, M-step) of
// each of mclust's 14 models on the medium set (N = 1e5, D = 10, K = 8;
// bench_test.go's shapes and start). The target is at most 0.1× of
// mclust's me() per iteration (testdata/mclust/bench_vs_mclust_models.sh
// times both in one sitting). VII, VVI, EEE and VVV are spherical, diag,
// tied and full. The models with an orientation use the full E-step kernel
// (D×D precision factors); those without, the diagonal one. The iterative
// M-steps start from the previous iteration's parameters, as in a fit.
// Besides ns/op they report cpu-ns/op, the process's CPU time per
// iteration summed over its threads (unix): on a shared machine it is
// closer to the cost alone than the elapsed time, and it compares with
// single-threaded mclust's CPU time as if latent had one core.

func BenchmarkEMIterationEII1e5x10K8(b *testing.B) {
	withCPU(b, func() { benchIteration(b, "medium", 100000, 10, 8, EII, KernelGemm) })
}

func BenchmarkEMIterationVII1e5x10K8(b *testing.B) {
	withCPU(b, func() { benchIteration(b, "medium", 100000, 10, 8, VII, KernelGemm) })
}

func BenchmarkEMIterationEEI1e5x10K8(b *testing.B) {
	withCPU(b, func() { benchIteration(b, "medium", 100000, 10, 8, EEI, KernelGemm) })
}

func BenchmarkEMIterationVEI1e5x10K8(b *testing.B) {
	withCPU(b, func() { benchIteration(b, "medium", 100000, 10, 8, VEI, KernelGemm) })
}

func BenchmarkEMIterationEVI1e5x10K8(b *testing.B) {
	withCPU(b, func() { benchIteration(b, "medium", 100000, 10, 8, EVI, KernelGemm) })
}

func BenchmarkEMIterationVVI1e5x10K8(b *testing.B) {
	withCPU(b, func() { benchIteration(b, "medium", 100000, 10, 8, VVI, KernelGemm) })
}

func BenchmarkEMIterationEEE1e5x10K8(b *testing.B) {
	withCPU(b, func() { benchIteration(b, "medium", 100000, 10, 8, EEE, KernelGemm) })
}

func BenchmarkEMIterationVEE1e5x10K8(b *testing.B) {
	withCPU(b, func() { benchIteration(b, "medium", 100000, 10, 8, VEE, KernelGemm) })
}

func BenchmarkEMIterationEVE1e5x10K8(b *testing.B) {
	withCPU(b, func() { benchIteration(b, "medium", 100000, 10, 8, EVE, KernelGemm) })
}

func BenchmarkEMIterationVVE1e5x10K8(b *testing.B) {
	withCPU(b, func() { benchIteration(b, "medium", 100000, 10, 8, VVE, KernelGemm) })
}

func BenchmarkEMIterationEEV1e5x10K8(b *testing.B) {
	withCPU(b, func() { benchIteration(b, "medium", 100000, 10, 8, EEV, KernelGemm) })
}

func BenchmarkEMIterationVEV1e5x10K8(b *testing.B) {
	withCPU(b, func() { benchIteration(b, "medium", 100000, 10, 8, VEV, KernelGemm) })
}

func BenchmarkEMIterationEVV1e5x10K8(b *testing.B) {
	withCPU(b, func() { benchIteration(b, "medium", 100000, 10, 8, EVV, KernelGemm) })
}

func BenchmarkEMIterationVVV1e5x10K8(b *testing.B) {
	withCPU(b, func() { benchIteration(b, "medium", 100000, 10, 8, VVV, KernelGemm) })
}
