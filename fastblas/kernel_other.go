//go:build !amd64

package fastblas

func platformKernels() []*kernel[float64] { return []*kernel[float64]{goKernel} }

func platformSingle(k *kernel[float64]) *kernel[float32] {
	panic("fastblas: no float32 twin of kernel " + k.name)
}
