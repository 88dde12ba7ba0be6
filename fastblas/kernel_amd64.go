package fastblas

import "golang.org/x/sys/cpu"

//go:generate go run gen_amd64.go

// The micro-kernels are generated (gen_amd64.go → kernel_amd64.s and
// kernel_gen_amd64.go): gemmKernel14x16AVX512, a 14×16 tile of C in 28 zmm
// accumulators (two vectors of 8 per row), B's 16 values loaded as two
// vectors and A's 14 values broadcast, one step of k at a time; its
// direct-A twin; and 2-, 4-, …, 12-row versions for the edge tiles. The
// AVX2+FMA3 kernels are the same with a 6×8 tile in 12 ymm registers.

// packRowsAVX512 copies k rows of w contiguous values, src rows srcStep
// apart, into dst rows dstStep apart, padding each to width values with
// zeros; 1 ≤ w ≤ width ≤ 16: the packRowsFunc of the AVX-512 kernel. (The
// AVX2 kernel keeps the Go one, as on the CPUs it is meant for.)
//
//go:noescape
func packRowsAVX512(dst []float64, dstStep int, src []float64, srcStep int, w, width, k int)

// packRowsAVX512Checked is packRowsAVX512 behind the bounds checks that
// the assembly, reading through raw pointers, does not make. Rows so
// narrow that a whole-row store would spill past the next row
// (dstStep + width < 16) go to packRowsGo.
func packRowsAVX512Checked(dst []float64, dstStep int, src []float64, srcStep int, w, width, k int) {
	if k == 0 {
		return
	}
	if dstStep+width < 16 {
		packRowsGo(dst, dstStep, src, srcStep, w, width, k)
		return
	}
	_ = dst[(k-1)*dstStep+width-1]
	_ = src[(k-1)*srcStep+w-1]
	packRowsAVX512(dst, dstStep, src, srcStep, w, width, k)
}

// packTransAVX512 packs a transposed 16-wide panel: dst[p·16+j] =
// src[j·ld+p] for j < w, zero for w ≤ j < 16, p < k, with idx[j] = 8·j·ld.
//
//go:noescape
func packTransAVX512(dst []float64, src []float64, idx []int64, w, k int)

// packTransAVX512Checked is packTransAVX512 behind bounds checks; panels
// narrower than 16 go to packTransGo.
func packTransAVX512Checked(dst []float64, dstStep int, src []float64, ld int, w, width, k int) {
	if k == 0 {
		return
	}
	if dstStep != 16 || width != 16 {
		packTransGo(dst, dstStep, src, ld, w, width, k)
		return
	}
	_ = dst[(k-1)*16+15]
	_ = src[(w-1)*ld+k-1]
	var idx [16]int64
	for j := range w {
		idx[j] = int64(8 * j * ld)
	}
	packTransAVX512(dst, src, idx[:], w, k)
}

var (
	avx512Kernel = &kernel[float64]{name: kernelAVX512, mr: 14, nr: 16, fma: true, kc: 256, mc: 14 * 72, nc: 256, fn: gemmKernel14x16AVX512, direct: gemmKernel14x16AVX512Direct, edges: edgesAVX512, edgeRows: edgeRowsAVX512, pack: packRowsAVX512Checked, packT: packTransAVX512Checked}
	avx2Kernel   = &kernel[float64]{name: kernelAVX2, mr: 6, nr: 8, fma: true, kc: 256, mc: 6 * 168, nc: 256, fn: gemmKernel6x8AVX2, direct: gemmKernel6x8AVX2Direct, edges: edgesAVX2, edgeRows: edgeRowsAVX2, pack: packRowsGo[float64], packT: packTransGo[float64]}

	// The float32 twins: twice the columns in the same registers; the
	// blocks keep B's packed block (kc×nc) at the bytes of the float64
	// kernels'. They pack with the portable routines.
	avx512Kernel32 = &kernel[float32]{name: kernelAVX512, mr: 14, nr: 32, fma: true, kc: 256, mc: 14 * 72, nc: 512, fn: gemmKernel14x32AVX512F32, direct: gemmKernel14x32AVX512F32Direct, edges: edgesAVX512F32, edgeRows: edgeRowsAVX512F32, pack: packRowsGo[float32], packT: packTransGo[float32]}
	avx2Kernel32   = &kernel[float32]{name: kernelAVX2, mr: 6, nr: 16, fma: true, kc: 256, mc: 6 * 168, nc: 512, fn: gemmKernel6x16AVX2F32, direct: gemmKernel6x16AVX2F32Direct, edges: edgesAVX2F32, edgeRows: edgeRowsAVX2F32, pack: packRowsGo[float32], packT: packTransGo[float32]}
)

// platformSingle returns the float32 twin of an assembly kernel.
func platformSingle(k *kernel[float64]) *kernel[float32] {
	switch k {
	case avx512Kernel:
		return avx512Kernel32
	case avx2Kernel:
		return avx2Kernel32
	}
	panic("fastblas: no float32 twin of kernel " + k.name)
}

func platformKernels() []*kernel[float64] {
	var ks []*kernel[float64]
	if cpu.X86.HasAVX512F {
		ks = append(ks, avx512Kernel)
	}
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		ks = append(ks, avx2Kernel)
	}
	return append(ks, goKernel)
}
