//go:build openblas && cgo

// Package openblas calls the system's OpenBLAS through cgo for the
// openblas build tag of fastblas. It binds only what fastblas routes to
// OpenBLAS (cblas_dgemm, cblas_sgemm) and OpenBLAS's own configuration queries; a
// program that wants every BLAS routine through OpenBLAS can install
// gonum.org/v1/netlib/blas/netlib's Implementation with blas64.Use.
//
// Linking needs libopenblas (Debian: libopenblas-dev).
package openblas

/*
#cgo LDFLAGS: -lopenblas
#include <stddef.h>

enum CBLAS_ORDER {CblasRowMajor = 101, CblasColMajor = 102};
enum CBLAS_TRANSPOSE {CblasNoTrans = 111, CblasTrans = 112, CblasConjTrans = 113};

void cblas_dgemm(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE ta, enum CBLAS_TRANSPOSE tb,
	int m, int n, int k, double alpha, const double *a, int lda, const double *b, int ldb,
	double beta, double *c, int ldc);
void cblas_sgemm(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE ta, enum CBLAS_TRANSPOSE tb,
	int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb,
	float beta, float *c, int ldc);
char *openblas_get_corename(void);
char *openblas_get_config(void);
*/
import "C"

import "unsafe"

// Dgemm calls cblas_dgemm in row-major order. The caller has checked the
// arguments as gonum does; m, n ≥ 1 and the slices are long enough.
func Dgemm(tA, tB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	ta, tb := C.enum_CBLAS_TRANSPOSE(C.CblasNoTrans), C.enum_CBLAS_TRANSPOSE(C.CblasNoTrans)
	if tA {
		ta = C.CblasTrans
	}
	if tB {
		tb = C.CblasTrans
	}
	var ap, bp *C.double
	if len(a) > 0 {
		ap = (*C.double)(unsafe.Pointer(&a[0]))
	}
	if len(b) > 0 {
		bp = (*C.double)(unsafe.Pointer(&b[0]))
	}
	C.cblas_dgemm(C.CblasRowMajor, ta, tb, C.int(m), C.int(n), C.int(k), C.double(alpha),
		ap, C.int(lda), bp, C.int(ldb), C.double(beta), (*C.double)(unsafe.Pointer(&c[0])), C.int(ldc))
}

// Sgemm calls cblas_sgemm in row-major order, as Dgemm calls cblas_dgemm.
func Sgemm(tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	ta, tb := C.enum_CBLAS_TRANSPOSE(C.CblasNoTrans), C.enum_CBLAS_TRANSPOSE(C.CblasNoTrans)
	if tA {
		ta = C.CblasTrans
	}
	if tB {
		tb = C.CblasTrans
	}
	var ap, bp *C.float
	if len(a) > 0 {
		ap = (*C.float)(unsafe.Pointer(&a[0]))
	}
	if len(b) > 0 {
		bp = (*C.float)(unsafe.Pointer(&b[0]))
	}
	C.cblas_sgemm(C.CblasRowMajor, ta, tb, C.int(m), C.int(n), C.int(k), C.float(alpha),
		ap, C.int(lda), bp, C.int(ldb), C.float(beta), (*C.float)(unsafe.Pointer(&c[0])), C.int(ldc))
}

// Config returns OpenBLAS's build configuration and the kernel family
// (core) it chose for this CPU, e.g. "OpenBLAS 0.3.21 ... SkylakeX".
func Config() (config, core string) {
	return C.GoString(C.openblas_get_config()), C.GoString(C.openblas_get_corename())
}
