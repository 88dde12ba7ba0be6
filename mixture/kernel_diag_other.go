//go:build !amd64

package mixture

var diagAVX2 = false

func lpDiag4(lp *float64, lpStride int, x *float64, xStride int, n int, mt, pt *float64, d int, cst *float64) {
	panic("unreachable")
}

func lpSph4(lp *float64, lpStride int, x *float64, xStride int, n int, mt, p2 *float64, d int, cst *float64) {
	panic("unreachable")
}

func accDiag4(s1, s2, x *float64, xStride int, mu *float64, rows *int32, wr *float64, n, blocks int) {
	panic("unreachable")
}

func setDiagAVX2(bool) {}

func subRowsAVX2(dst, x *float64, xStride int, mu *float64, n, d int) { panic("unreachable") }

func subRowsIdxAVX2(dst, x *float64, xStride int, mu *float64, rows *int32, n, d int) {
	panic("unreachable")
}
