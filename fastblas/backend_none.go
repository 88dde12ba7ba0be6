//go:build !openblas

package fastblas

func externalKernel() *kernel { return nil }
