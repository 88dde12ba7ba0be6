package logmath

import "golang.org/x/sys/cpu"

// vecExp is whether ExpTo runs expAVX2: math.Exp takes its fused
// multiply-add path when the CPU has AVX and FMA (math's useFMA), which
// expAVX2 reproduces; AVX2 is for its integer lanes.
var vecExp = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// expAVX2 sets dst[i] = math.Exp(src[i]) for the first i of the n (a
// multiple of 4) in blocks of 4, and returns how many it did: it stops
// before the first block holding NaN or a value above 709.
//
//go:noescape
func expAVX2(dst, src *float64, n int) int

// expBlocks is expAVX2 on slices of equal length, a multiple of 4.
func expBlocks(dst, x []float64) int {
	n := len(x) &^ 3
	if n == 0 {
		return 0
	}
	_ = dst[n-1]
	return expAVX2(&dst[0], &x[0], n)
}
