package fastblas

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestPackRows checks every kernel's packRowsFunc against its definition:
// row p of dst holds src's w values then zeros up to width, and nothing
// else in dst is written (dst is filled with NaN beforehand and its rows
// may be narrower than 16, as the 14-wide panels of the AVX-512 kernel).
func TestPackRows(t *testing.T) {
	rnd := rand.New(rand.NewPCG(21, 22))
	for _, kern := range available {
		for _, width := range []int{4, 6, 8, 14, 16} {
			for w := 1; w <= width; w++ {
				for _, k := range []int{0, 1, 5} {
					srcStep := w + rnd.IntN(5)
					src := make([]float64, max(0, (k-1)*srcStep+w)+3)
					for i := range src {
						src[i] = rnd.NormFloat64()
					}
					dst := make([]float64, k*width+7)
					for i := range dst {
						dst[i] = math.NaN()
					}
					kern.pack(dst, width, src, srcStep, w, width, k)
					for i, v := range dst {
						p, j := i/width, i%width
						want := math.NaN()
						switch {
						case p < k && j < w:
							want = src[p*srcStep+j]
						case p < k:
							want = 0
						}
						if math.Float64bits(v) != math.Float64bits(want) && !(math.IsNaN(v) && math.IsNaN(want)) {
							t.Fatalf("%s width=%d w=%d k=%d: dst[%d] = %g, want %g", kern.name, width, w, k, i, v, want)
						}
					}
				}
			}
		}
	}
}

// TestPackTrans checks every kernel's transposing packer against its
// definition, dst[p·dstStep + j] = src[j·ld + p] for j < w, zeros up to
// width, nothing else written; 16 wide uses the AVX-512 gathers.
func TestPackTrans(t *testing.T) {
	rnd := rand.New(rand.NewPCG(23, 24))
	for _, kern := range available {
		for _, width := range []int{4, 6, 8, 14, 16} {
			for w := 1; w <= width; w++ {
				for _, k := range []int{0, 1, 7} {
					ld := max(1, k) + rnd.IntN(4)
					src := make([]float64, max(0, (w-1)*ld+k)+2)
					for i := range src {
						src[i] = rnd.NormFloat64()
					}
					dst := make([]float64, k*width+5)
					for i := range dst {
						dst[i] = math.NaN()
					}
					kern.packT(dst, width, src, ld, w, width, k)
					for i, v := range dst {
						p, j := i/width, i%width
						want := math.NaN()
						switch {
						case p < k && j < w:
							want = src[j*ld+p]
						case p < k:
							want = 0
						}
						if math.Float64bits(v) != math.Float64bits(want) && !(math.IsNaN(v) && math.IsNaN(want)) {
							t.Fatalf("%s width=%d w=%d k=%d: dst[%d] = %g, want %g", kern.name, width, w, k, i, v, want)
						}
					}
				}
			}
		}
	}
}
