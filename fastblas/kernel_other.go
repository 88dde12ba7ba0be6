//go:build !amd64

package fastblas

func platformKernels() []*kernel { return []*kernel{goKernel} }
