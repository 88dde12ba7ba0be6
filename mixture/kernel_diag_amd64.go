package mixture

import "golang.org/x/sys/cpu"

// diagAVX2 is whether the diagonal E-step runs its AVX2 kernels
// (kernel_diag_amd64.s), which give the scalar loops' bits.
var diagAVX2 = cpu.X86.HasAVX2

//go:noescape
func lpDiag4(lp *float64, lpStride int, x *float64, xStride int, n int, mt, pt *float64, d int, cst *float64)

//go:noescape
func lpSph4(lp *float64, lpStride int, x *float64, xStride int, n int, mt, p2 *float64, d int, cst *float64)

//go:noescape
func accDiag4(s1, s2, x *float64, xStride int, mu *float64, rows *int32, wr *float64, n, blocks int)

// setDiagAVX2 turns the AVX2 kernels off and on (tests).
func setDiagAVX2(on bool) { diagAVX2 = on && cpu.X86.HasAVX2 }

//go:noescape
func subRowsAVX2(dst, x *float64, xStride int, mu *float64, n, d int)

//go:noescape
func subRowsIdxAVX2(dst, x *float64, xStride int, mu *float64, rows *int32, n, d int)
