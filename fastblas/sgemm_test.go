package fastblas

import (
	"fmt"
	"math"
	"runtime"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// The float32 product is tested as the float64 one is, against a
// reference: here the product of the same float32 operands computed in
// float64 (whose own error, about 2⁻⁵³·k, is negligible), within twice
// Higham's bound γ_{k+2}·(|alpha|·|A|·|B| + |beta|·|C|) with u = 2⁻²⁴.

// operands32 draws the case's operands as float32 (the float64 values of
// operands rounded), NaN in the padding.
func (tc gemmCase) operands32(seed uint64) (a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	a64, lda, b64, ldb, c64, ldc := tc.operands(seed)
	return toF32(a64), lda, toF32(b64), ldb, toF32(c64), ldc
}

func toF32(x []float64) []float32 {
	y := make([]float32, len(x))
	for i, v := range x {
		y[i] = float32(v)
	}
	return y
}

// reference32 returns C = alpha·op(A)·op(B) + beta·C computed in float64
// from the float32 operands, and the per-element bound on a float32
// result's distance from it.
func reference32(tc gemmCase, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) (ref, bound []float64) {
	u := math.Ldexp(1, -24)
	ref = make([]float64, len(c))
	bound = make([]float64, len(c))
	alpha, beta := float64(float32(tc.alpha)), float64(float32(tc.beta))
	for i := 0; i < tc.m; i++ {
		for j := 0; j < tc.n; j++ {
			s, abs := 0.0, 0.0
			for p := 0; p < tc.k; p++ {
				var x, y float64
				if tc.tA == blas.Trans {
					x = float64(a[p*lda+i])
				} else {
					x = float64(a[i*lda+p])
				}
				if tc.tB == blas.Trans {
					y = float64(b[j*ldb+p])
				} else {
					y = float64(b[p*ldb+j])
				}
				s += x * y
				abs += math.Abs(x * y)
			}
			cij := 0.0
			if beta != 0 {
				cij = float64(c[i*ldc+j])
			}
			ref[i*ldc+j] = alpha*s + beta*cij
			scale := math.Abs(alpha)*abs + math.Abs(beta)*math.Abs(cij)
			bound[i*ldc+j] = 2*float64(tc.k+2)*u*scale + math.SmallestNonzeroFloat32
		}
	}
	return ref, bound
}

// checkSgemm runs the case with kernel kern and procs workers and compares
// every element of C with the float64 reference; the padding of C must be
// left untouched.
func checkSgemm(t *testing.T, kern *kernel[float32], procs int, tc gemmCase, seed uint64) {
	t.Helper()
	a, lda, b, ldb, c, ldc := tc.operands32(seed)
	ref, bound := reference32(tc, a, lda, b, ldb, c, ldc)
	got := append([]float32(nil), c...)
	gemm(kern, procs, tc.tA, tc.tB, tc.m, tc.n, tc.k, float32(tc.alpha), a, lda, b, ldb, float32(tc.beta), got, ldc)
	for i := range got {
		if i%ldc >= tc.n {
			if !math.IsNaN(float64(got[i])) {
				t.Fatalf("%s %v: padding C[%d] written: got %g, want NaN", kern.name, tc, i, got[i])
			}
			continue
		}
		if d := math.Abs(float64(got[i]) - ref[i]); !(d <= bound[i]) {
			t.Fatalf("%s %v: C[%d,%d]: got %.9g, want %.9g (float64 reference), |diff| %.3g > bound %.3g",
				kern.name, tc, i/ldc, i%ldc, got[i], ref[i], d, bound[i])
		}
	}
}

// testKernels32 is testKernels for float32: every available kernel's twin,
// and a copy of each that packs every operand.
func testKernels32() []*kernel[float32] {
	var ks []*kernel[float32]
	for _, k64 := range available {
		k := single(k64)
		ks = append(ks, k)
		if k.direct != nil {
			packed := *k
			packed.name += "-packed"
			packed.direct = nil
			ks = append(ks, &packed)
		}
	}
	return ks
}

// TestSgemmMatchesReference: every float32 kernel on the shapes of
// TestDgemmMatchesGonum, scaled to the float32 tiles (nr = 32 and 16), both
// transposes, padded strides and alpha/beta special values.
func TestSgemmMatchesReference(t *testing.T) {
	shapes := [][3]int{ // m, n, k
		{1, 1, 1}, {1, 1, 7}, {2, 3, 1}, {3, 1, 5}, {1, 33, 3}, {17, 1, 9},
		{5, 7, 11}, {13, 15, 17}, {14, 32, 4}, {15, 33, 33}, {29, 63, 257},
		{6, 16, 3}, {7, 17, 2}, {4, 4, 4}, {28, 64, 512}, {43, 65, 100},
		{600, 20, 16}, {20, 600, 5}, {1030, 37, 9}, {33, 530, 300},
	}
	seed := uint64(1)
	for _, kern := range testKernels32() {
		for _, s := range shapes {
			for _, tA := range transposes {
				for _, tB := range transposes {
					for _, ab := range [][2]float64{{1, 0}, {1, 1}, {-0.75, 0.25}, {2.5, -1}} {
						seed++
						tc := gemmCase{tA: tA, tB: tB, m: s[0], n: s[1], k: s[2],
							padA: int(seed % 3), padB: int(seed / 3 % 3), padC: int(seed / 9 % 2),
							alpha: ab[0], beta: ab[1]}
						checkSgemm(t, kern, 2, tc, seed)
					}
				}
			}
		}
	}
}

// TestSgemmLarge crosses mc and several kc blocks with every kernel, and
// the VAE's weight-gradient shape, on two workers (TestSgemmDeterministic
// shows the bits do not depend on the workers).
func TestSgemmLarge(t *testing.T) {
	for _, kern := range testKernels32() {
		tc := gemmCase{tA: blas.NoTrans, tB: blas.Trans, m: kern.mc + 3*kern.mr + 1, n: kern.nc + 2*kern.nr + 3,
			k: 2*kern.kc + 7, padA: 1, padB: 2, padC: 3, alpha: 0.5, beta: -0.25}
		checkSgemm(t, kern, 2, tc, 42)
		if kern.direct != nil { // the packed copies read the same shape the same way
			checkSgemm(t, kern, 2, gemmCase{tA: blas.Trans, tB: blas.NoTrans, m: 784, n: 400, k: 128, alpha: 1, beta: 1}, 43)
		}
	}
}

// TestSgemmPublic: Sgemm and Implementation.Sgemm run the twin of the
// kernel in use (CI sets it with LATENT_FASTBLAS_KERNEL, "gonum" included)
// and meet the reference's bound, every transpose.
func TestSgemmPublic(t *testing.T) {
	for _, tA := range transposes {
		for _, tB := range transposes {
			tc := gemmCase{tA: tA, tB: tB, m: 150, n: 203, k: 301, padA: 1, padC: 2, alpha: 0.75, beta: -0.5}
			a, lda, b, ldb, c, ldc := tc.operands32(5)
			ref, bound := reference32(tc, a, lda, b, ldb, c, ldc)
			for i, f := range []func(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int){Sgemm, Implementation{}.Sgemm} {
				got := append([]float32(nil), c...)
				f(tc.tA, tc.tB, tc.m, tc.n, tc.k, float32(tc.alpha), a, lda, b, ldb, float32(tc.beta), got, ldc)
				for e := range got {
					if e%ldc >= tc.n {
						continue
					}
					if d := math.Abs(float64(got[e]) - ref[e]); !(d <= bound[e]) {
						t.Fatalf("entry point %d, kernel %s, %v: C[%d] = %g, want %g ± %g", i, Kernel(), tc, e, got[e], ref[e], bound[e])
					}
				}
			}
		}
	}
}

// TestSgemmDeterministic: the same bits with 1, 2, 3 and 4 workers for
// every float32 kernel, the depth split included, and through the public
// Sgemm under GOMAXPROCS 1, 2 and 4.
func TestSgemmDeterministic(t *testing.T) {
	cases := []gemmCase{
		{tA: blas.NoTrans, tB: blas.NoTrans, m: 1000, n: 32, k: 16, alpha: 1, beta: 0},
		{tA: blas.Trans, tB: blas.NoTrans, m: 131, n: 97, k: 600, alpha: 0.5, beta: 1},
		{tA: blas.NoTrans, tB: blas.Trans, m: 64, n: 300, k: 257, padA: 1, padC: 2, alpha: -1, beta: 0.5},
		{tA: blas.Trans, tB: blas.NoTrans, m: 10, n: 12, k: 3000, padA: 1, alpha: 1, beta: 0},
		{tA: blas.NoTrans, tB: blas.NoTrans, m: 5, n: 7, k: 2000, padB: 2, alpha: -0.5, beta: 0.5},
		{tA: blas.Trans, tB: blas.NoTrans, m: 16, n: 32, k: 3000, alpha: 2, beta: -1},
	}
	defer func(old int) { maxPartials = old }(maxPartials)
	maxPartials = 300
	for _, tc := range cases {
		a, lda, b, ldb, c0, ldc := tc.operands32(7)
		for _, kern := range testKernels32() {
			var first []float32
			for _, procs := range []int{1, 2, 3, 4} {
				c := append([]float32(nil), c0...)
				gemm(kern, procs, tc.tA, tc.tB, tc.m, tc.n, tc.k, float32(tc.alpha), a, lda, b, ldb, float32(tc.beta), c, ldc)
				if first == nil {
					first = c
					continue
				}
				assertSameBits32(t, fmt.Sprintf("%s %v procs=%d", kern.name, tc, procs), c, first)
			}
		}
		var first []float32
		for _, p := range []int{1, 2, 4} {
			old := runtime.GOMAXPROCS(p)
			c := append([]float32(nil), c0...)
			Sgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, float32(tc.alpha), a, lda, b, ldb, float32(tc.beta), c, ldc)
			runtime.GOMAXPROCS(old)
			if first == nil {
				first = c
				continue
			}
			assertSameBits32(t, fmt.Sprintf("Sgemm %v GOMAXPROCS=%d", tc, p), c, first)
		}
	}
}

// TestSgemmDirectEqualsPackedAndTiny: reading operands in place, packing
// them, and the tiny products' plain loops (whose float32 fused
// multiply-add is emulated in float64 with round-to-odd) give the kernels'
// bits, so none of these choices can change a result.
func TestSgemmDirectEqualsPackedAndTiny(t *testing.T) {
	for _, k64 := range available {
		kern := single(k64)
		if kern.direct == nil {
			continue
		}
		packed := *kern
		packed.direct = nil
		for _, tc := range []gemmCase{
			{tA: blas.NoTrans, tB: blas.NoTrans, m: 1000, n: 32, k: 16, alpha: 1, beta: 0},
			{tA: blas.NoTrans, tB: blas.Trans, m: 131, n: 97, k: 600, padA: 3, alpha: 0.5, beta: 1},
			{tA: blas.NoTrans, tB: blas.NoTrans, m: 29, n: 33, k: 3, padA: 1, padC: 1, alpha: -2, beta: 0.5},
			{tA: blas.Trans, tB: blas.NoTrans, m: 16, n: 16, k: 3000, padA: 1, padB: 2, alpha: 1, beta: 0},
		} {
			a, lda, b, ldb, c0, ldc := tc.operands32(11)
			direct := append([]float32(nil), c0...)
			gemm(kern, 2, tc.tA, tc.tB, tc.m, tc.n, tc.k, float32(tc.alpha), a, lda, b, ldb, float32(tc.beta), direct, ldc)
			pk := append([]float32(nil), c0...)
			gemm(&packed, 2, tc.tA, tc.tB, tc.m, tc.n, tc.k, float32(tc.alpha), a, lda, b, ldb, float32(tc.beta), pk, ldc)
			assertSameBits32(t, fmt.Sprintf("%s direct vs packed %v", kern.name, tc), direct, pk)
		}
		if !kern.fma {
			continue
		}
		for _, s := range [][3]int{{1, 1, 1}, {2, 3, 4}, {4, 4, 8}, {1, 5, 25}, {3, 3, 14}} {
			for _, tA := range transposes {
				for _, tB := range transposes {
					tc := gemmCase{tA: tA, tB: tB, m: s[0], n: s[1], k: s[2], padA: 1, alpha: 1.5, beta: -0.75}
					a, lda, b, ldb, c0, ldc := tc.operands32(uint64(s[2]))
					tiny := append([]float32(nil), c0...)
					gemm(kern, 1, tc.tA, tc.tB, tc.m, tc.n, tc.k, float32(tc.alpha), a, lda, b, ldb, float32(tc.beta), tiny, ldc)
					viaKernel := append([]float32(nil), c0...)
					g := gemmArgs[float32]{tA: tA == blas.Trans, tB: tB == blas.Trans, m: tc.m, n: tc.n, k: tc.k,
						alpha: float32(tc.alpha), beta: float32(tc.beta), a: a, lda: lda, b: b, ldb: ldb, c: viaKernel, ldc: ldc}
					g.run(kern, 1)
					assertSameBits32(t, fmt.Sprintf("%s tiny vs kernel %v", kern.name, tc), tiny, viaKernel)
				}
			}
		}
	}
}

// TestFMA32: the emulated float32 fused multiply-add is correctly rounded:
// it equals the float64 FMA of the same values rounded once to float32
// wherever that is exact, and on cases where rounding first to float64
// and then to float32 (double rounding) would be wrong.
func TestFMA32(t *testing.T) {
	// x·y = 1 + 2⁻²⁴ (a float32 midpoint) and z a tiny nudge below it:
	// rounded to float64 first, the nudge is lost and the tie goes to
	// even, 1; the correct result is just below the midpoint, also 1.
	// With the nudge above, the correct answer is 1 + 2⁻²³.
	x := float32(1 + math.Ldexp(1, -12))
	y := float32(1 + math.Ldexp(1, -12))
	// x·y = 1 + 2⁻¹¹ + 2⁻²⁴ exactly.
	for _, tc := range []struct{ z, want float32 }{
		{float32(math.Ldexp(1, -80)), float32(1 + math.Ldexp(1, -11) + math.Ldexp(1, -23))},
		{-float32(math.Ldexp(1, -80)), float32(1 + math.Ldexp(1, -11))},
		{0, float32(1 + math.Ldexp(1, -11))}, // the tie, to even
	} {
		if got := fma32(x, y, tc.z); got != tc.want {
			t.Errorf("fma32(%g, %g, %g) = %.10g, want %.10g", x, y, tc.z, got, tc.want)
		}
	}
	if got := fma32(3, 4, -12); got != 0 {
		t.Errorf("fma32(3, 4, -12) = %g, want 0", got)
	}
	if got := fma32(float32(math.Inf(1)), 0, 1); !math.IsNaN(float64(got)) {
		t.Errorf("fma32(Inf, 0, 1) = %g, want NaN", got)
	}
}

func assertSameBits32(t *testing.T, what string, got, want []float32) {
	t.Helper()
	for i := range got {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) && !(got[i] != got[i] && want[i] != want[i]) {
			t.Fatalf("%s: C[%d] = %.9g, want the same bits %.9g", what, i, got[i], want[i])
		}
	}
}

// TestSgemmSpecialCases: the quick returns (alpha = 0 or k = 0 leave A and
// B unread; beta = 0 overwrites NaN in C), NaN propagation, and the panics
// of gonum's Sgemm for bad arguments.
func TestSgemmSpecialCases(t *testing.T) {
	nan := float32(math.NaN())
	for _, kern := range testKernels32() {
		a := []float32{nan, nan, nan, nan}
		c := []float32{1, 2, 3, 4}
		gemm(kern, 2, blas.NoTrans, blas.NoTrans, 2, 2, 2, 0, a, 2, a, 2, 3, c, 2)
		if c[0] != 3 || c[3] != 12 {
			t.Errorf("%s alpha=0 beta=3: %v", kern.name, c)
		}
		c = []float32{1, 2, 3, 4}
		gemm(kern, 2, blas.NoTrans, blas.NoTrans, 2, 2, 0, 1, a, 1, a, 2, -1, c, 2)
		if c[0] != -1 || c[3] != -4 {
			t.Errorf("%s k=0 beta=-1: %v", kern.name, c)
		}
		for _, sz := range []int{3, 40} {
			a := make([]float32, sz*sz)
			for i := range a {
				a[i] = 1
			}
			c := make([]float32, sz*sz)
			for i := range c {
				c[i] = nan
			}
			gemm(kern, 2, blas.NoTrans, blas.NoTrans, sz, sz, sz, 1, a, sz, a, sz, 0, c, sz)
			for i, v := range c {
				if v != float32(sz) {
					t.Fatalf("%s beta=0 %d²: C[%d] = %g, want %d (NaN in C overwritten)", kern.name, sz, i, v, sz)
				}
			}
		}
		a = []float32{1, nan, 3, 4}
		b := []float32{1, 2, float32(math.Inf(1)), 4}
		got := make([]float32, 4)
		want := make([]float32, 4)
		gemm(kern, 1, blas.NoTrans, blas.NoTrans, 2, 2, 2, 1, a, 2, b, 2, 0, got, 2)
		gonum.Implementation{}.Sgemm(blas.NoTrans, blas.NoTrans, 2, 2, 2, 1, a, 2, b, 2, 0, want, 2)
		for i := range got {
			if got[i] != want[i] && !(got[i] != got[i] && want[i] != want[i]) {
				t.Errorf("%s: NaN/Inf: C[%d] = %g, want %g (gonum)", kern.name, i, got[i], want[i])
			}
		}
	}
	x := make([]float32, 100)
	for _, bad := range []func(f func(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)){
		func(f func(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)) {
			f('X', blas.NoTrans, 2, 2, 2, 1, x, 2, x, 2, 0, x, 2)
		},
		func(f func(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)) {
			f(blas.NoTrans, blas.NoTrans, -1, 2, 2, 1, x, 2, x, 2, 0, x, 2)
		},
		func(f func(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)) {
			f(blas.NoTrans, blas.NoTrans, 2, 2, 3, 1, x, 2, x, 2, 0, x, 2)
		},
		func(f func(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)) {
			f(blas.NoTrans, blas.NoTrans, 20, 20, 20, 1, x, 20, x, 20, 0, x, 20)
		},
	} {
		if got, want := panicOf(func() { bad(Sgemm) }), panicOf(func() { bad(gonum.Implementation{}.Sgemm) }); got != want {
			t.Errorf("Sgemm panics %q, gonum's Sgemm %q", got, want)
		}
	}
}

func panicOf(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	f()
	return "no panic"
}

// TestSgemmDoesNotAllocate: a parallel float32 product, in the steady
// state, allocates nothing.
func TestSgemmDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	a := make([]float32, 128*784)
	w := make([]float32, 784*400)
	c := make([]float32, 128*400)
	for _, kern := range testKernels32() {
		allocs := testing.AllocsPerRun(10, func() {
			gemm(kern, 2, blas.NoTrans, blas.NoTrans, 128, 400, 784, 1, a, 784, w, 400, 0, c, 400)
		})
		if allocs != 0 {
			t.Errorf("%s: 128×784·784×400: %g allocations per product, want 0", kern.name, allocs)
		}
	}
}
