package fastblas

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/latentgo/latent/internal/testutil"
)

// gemmCase is one product: op(A) m×k, op(B) k×n, C m×n, with padded strides.
type gemmCase struct {
	tA, tB      blas.Transpose
	m, n, k     int
	padA, padB  int // lda, ldb beyond the least legal stride
	padC        int
	alpha, beta float64
}

func (tc gemmCase) String() string {
	return fmt.Sprintf("%c%c/m=%d,n=%d,k=%d/pad=%d,%d,%d/alpha=%g,beta=%g",
		tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.padA, tc.padB, tc.padC, tc.alpha, tc.beta)
}

// operands draws A, B and C for the case from a seeded stream, uniform in
// [−1, 1), and fills the padding between rows with NaN, so a kernel that
// reads past a row is caught.
func (tc gemmCase) operands(seed uint64) (a []float64, lda int, b []float64, ldb int, c []float64, ldc int) {
	rnd := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	rowsA, colsA := tc.m, tc.k
	if tc.tA == blas.Trans {
		rowsA, colsA = tc.k, tc.m
	}
	rowsB, colsB := tc.k, tc.n
	if tc.tB == blas.Trans {
		rowsB, colsB = tc.n, tc.k
	}
	fill := func(rows, cols, pad int) ([]float64, int) {
		ld := max(1, cols) + pad
		x := make([]float64, max(0, rows*ld))
		for i := range x {
			if i%ld < cols {
				x[i] = 2*rnd.Float64() - 1
			} else {
				x[i] = math.NaN()
			}
		}
		return x, ld
	}
	a, lda = fill(rowsA, colsA, tc.padA)
	b, ldb = fill(rowsB, colsB, tc.padB)
	c, ldc = fill(tc.m, tc.n, tc.padC)
	return
}

// errorBound returns, per element of C, a bound on |ours − reference|:
// each result is within γ_{k+2}·(|alpha|·(|op(A)|·|op(B)|) + |beta|·|C|) of
// the exact value, γ_j = j·u/(1−j·u) and u = 2⁻⁵³ (Higham, Accuracy and
// Stability of Numerical Algorithms, 2nd ed., §3.1 and eq. 3.13), so two
// correct implementations differ by at most twice that; the factor 2 over
// u·(k+2) is the slack for γ's denominator.
func errorBound(tc gemmCase, a []float64, lda int, b []float64, ldb int, c []float64, ldc int) []float64 {
	u := math.Ldexp(1, -53)
	bound := make([]float64, len(c))
	for i := 0; i < tc.m; i++ {
		for j := 0; j < tc.n; j++ {
			s := 0.0
			for p := 0; p < tc.k; p++ {
				var x, y float64
				if tc.tA == blas.Trans {
					x = a[p*lda+i]
				} else {
					x = a[i*lda+p]
				}
				if tc.tB == blas.Trans {
					y = b[j*ldb+p]
				} else {
					y = b[p*ldb+j]
				}
				s += math.Abs(x * y)
			}
			scale := math.Abs(tc.alpha)*s + math.Abs(tc.beta)*math.Abs(c[i*ldc+j])
			bound[i*ldc+j] = 2 * 2 * float64(tc.k+2) * u * scale
		}
	}
	return bound
}

// checkAgainstGonum runs the case with kernel kern and procs workers and
// compares every element of C with gonum's reference Dgemm; the padding of
// C must be left untouched.
func checkAgainstGonum(t *testing.T, kern *kernel[float64], procs int, tc gemmCase, seed uint64) {
	t.Helper()
	a, lda, b, ldb, c, ldc := tc.operands(seed)
	want := append([]float64(nil), c...)
	gonum.Implementation{}.Dgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, want, ldc)
	bound := errorBound(tc, a, lda, b, ldb, c, ldc)
	got := append([]float64(nil), c...)
	dgemm(kern, procs, tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, got, ldc)
	for i := range got {
		inside := i%ldc < tc.n
		if !inside {
			if !math.IsNaN(got[i]) {
				t.Fatalf("%s %v: padding C[%d] written: got %g, want NaN", kern.name, tc, i, got[i])
			}
			continue
		}
		if !testutil.Close(got[i], want[i], bound[i], 0) {
			t.Fatalf("%s %v: C[%d,%d]: got %.17g, want %.17g (gonum), |diff| %.3g > bound %.3g",
				kern.name, tc, i/ldc, i%ldc, got[i], want[i], math.Abs(got[i]-want[i]), bound[i])
		}
	}
}

var transposes = []blas.Transpose{blas.NoTrans, blas.Trans}

// testKernels returns every available kernel, and a copy of each without
// its direct variant ("NAME-packed"), which packs every operand, so both the
// in-place and the packed ways of reading A and B are checked.
func testKernels() []*kernel[float64] {
	var ks []*kernel[float64]
	for _, k := range available {
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

// TestDgemmMatchesGonum compares every kernel with gonum's reference Dgemm
// on shapes chosen to hit every edge of the blocking: 1×1×1, sizes one
// below, at and above the register tiles (mr ≤ 14, nr ≤ 16) and the cache
// blocks (kc = 256, nc = 256, mc ≥ 512), odd sizes, padded strides, both
// transposes, and the alpha/beta special values 0, 1 and others.
func TestDgemmMatchesGonum(t *testing.T) {
	shapes := [][3]int{ // m, n, k
		{1, 1, 1}, {1, 1, 7}, {2, 3, 1}, {3, 1, 5}, {1, 17, 3}, {17, 1, 9},
		{5, 7, 11}, {13, 15, 17}, {14, 16, 4}, {15, 17, 33}, {29, 31, 257},
		{6, 8, 3}, {7, 9, 2}, {4, 4, 4}, {28, 32, 512}, {43, 65, 100},
		{600, 20, 16}, {20, 300, 5}, {1030, 37, 9}, {33, 530, 300},
	}
	seed := uint64(1)
	for _, kern := range testKernels() {
		for _, s := range shapes {
			for _, tA := range transposes {
				for _, tB := range transposes {
					for _, ab := range [][2]float64{{1, 0}, {1, 1}, {-0.7, 0.3}, {2.5, -1}} {
						seed++
						tc := gemmCase{tA: tA, tB: tB, m: s[0], n: s[1], k: s[2],
							padA: int(seed % 3), padB: int(seed / 3 % 3), padC: int(seed / 9 % 2),
							alpha: ab[0], beta: ab[1]}
						checkAgainstGonum(t, kern, 2, tc, seed)
					}
				}
			}
		}
	}
}

// TestDgemmLarge crosses mc (rows packed at once) and several kc blocks
// with every kernel, on one or two workers.
func TestDgemmLarge(t *testing.T) {
	for _, kern := range testKernels() {
		for _, procs := range []int{1, 2} {
			tc := gemmCase{tA: blas.NoTrans, tB: blas.Trans, m: kern.mc + 3*kern.mr + 1, n: kern.nc + 2*kern.nr + 3,
				k: 2*kern.kc + 7, padA: 1, padB: 2, padC: 3, alpha: 0.5, beta: -0.25}
			checkAgainstGonum(t, kern, procs, tc, 42)
		}
	}
}

// TestDgemmZeroOperands checks the quick returns: k = 0 or alpha = 0
// scale C by beta without reading A and B (NaN there must not leak), and
// beta = 0 overwrites NaN in C, as reference BLAS does.
func TestDgemmZeroOperands(t *testing.T) {
	nan := math.NaN()
	for _, kern := range testKernels() {
		// alpha = 0: A and B are NaN and must not be read.
		a := []float64{nan, nan, nan, nan}
		c := []float64{1, 2, 3, 4}
		dgemm(kern, 2, blas.NoTrans, blas.NoTrans, 2, 2, 2, 0, a, 2, a, 2, 3, c, 2)
		testutil.AssertCloseSlice(t, kern.name+" alpha=0 beta=3", c, []float64{3, 6, 9, 12}, 0, 0)
		dgemm(kern, 2, blas.NoTrans, blas.NoTrans, 2, 2, 2, 0, a, 2, a, 2, 0, c, 2)
		testutil.AssertCloseSlice(t, kern.name+" alpha=0 beta=0", c, []float64{0, 0, 0, 0}, 0, 0)
		// k = 0: C = beta·C.
		c = []float64{1, 2, 3, 4}
		dgemm(kern, 2, blas.NoTrans, blas.NoTrans, 2, 2, 0, 1, a, 1, a, 2, -1, c, 2)
		testutil.AssertCloseSlice(t, kern.name+" k=0 beta=-1", c, []float64{-1, -2, -3, -4}, 0, 0)
		// beta = 0: NaN and Inf in C are overwritten, in full and edge tiles.
		for _, sz := range []int{3, 40} {
			a := make([]float64, sz*sz)
			c := make([]float64, sz*sz)
			for i := range a {
				a[i] = 1
				c[i] = nan
				if i%2 == 1 {
					c[i] = math.Inf(-1)
				}
			}
			dgemm(kern, 2, blas.NoTrans, blas.NoTrans, sz, sz, sz, 1, a, sz, a, sz, 0, c, sz)
			for i, v := range c {
				if v != float64(sz) {
					t.Fatalf("%s beta=0 size %d: C[%d] = %g, want %d (NaN/Inf in C must be overwritten)", kern.name, sz, i, v, sz)
				}
			}
		}
	}
}

// TestDgemmInfTimesZero: 0·Inf is NaN, as IEEE arithmetic and OpenBLAS
// have it; gonum's Dgemm skips zero elements of A and returns 2 here (a
// documented difference).
func TestDgemmInfTimesZero(t *testing.T) {
	for _, kern := range testKernels() {
		a := []float64{0, 1}
		b := []float64{math.Inf(1), 2}
		c := []float64{7}
		dgemm(kern, 1, blas.NoTrans, blas.NoTrans, 1, 1, 2, 1, a, 2, b, 1, 0, c, 1)
		if !math.IsNaN(c[0]) {
			t.Errorf("%s: 0·Inf + 1·2 = %g, want NaN", kern.name, c[0])
		}
	}
}

// TestDgemmPropagatesNaN: with alpha ≠ 0 a NaN or Inf in A or B reaches C
// as it does in gonum's reference.
func TestDgemmPropagatesNaN(t *testing.T) {
	for _, kern := range testKernels() {
		a := []float64{1, math.NaN(), 3, 4}
		b := []float64{1, 2, math.Inf(1), 4}
		got := make([]float64, 4)
		want := make([]float64, 4)
		dgemm(kern, 1, blas.NoTrans, blas.NoTrans, 2, 2, 2, 1, a, 2, b, 2, 0, got, 2)
		gonum.Implementation{}.Dgemm(blas.NoTrans, blas.NoTrans, 2, 2, 2, 1, a, 2, b, 2, 0, want, 2)
		for i := range got {
			if !testutil.CloseNaN(got[i], want[i], 0, 0) {
				t.Errorf("%s: C[%d] = %g, want %g (gonum)", kern.name, i, got[i], want[i])
			}
		}
	}
}

// TestDgemmDeterministic: the same inputs give the same bits with 1, 2, 3
// and 4 workers, for every kernel (each element of C is summed in an order
// fixed by k alone), both through the internal entry point and through
// the public Dgemm under GOMAXPROCS 1, 2 and 4.
func TestDgemmDeterministic(t *testing.T) {
	cases := []gemmCase{
		{tA: blas.NoTrans, tB: blas.NoTrans, m: 1000, n: 16, k: 16, alpha: 1, beta: 0},
		{tA: blas.Trans, tB: blas.NoTrans, m: 131, n: 97, k: 600, alpha: 0.5, beta: 1},
		{tA: blas.NoTrans, tB: blas.Trans, m: 64, n: 300, k: 257, padA: 1, padC: 2, alpha: -1, beta: 0.5},
		// C smaller than the workers: the depth is split (splitK).
		{tA: blas.Trans, tB: blas.NoTrans, m: 10, n: 12, k: 3000, padA: 1, alpha: 1, beta: 0},
		{tA: blas.NoTrans, tB: blas.NoTrans, m: 5, n: 7, k: 2000, padB: 2, alpha: -0.5, beta: 0.5},
		// A full and a short row tile: unbalanced, so the depth is split.
		{tA: blas.Trans, tB: blas.NoTrans, m: 16, n: 16, k: 3000, alpha: 2, beta: -1},
	}
	// Small rounds of partial products, so splitK takes several.
	defer func(old int) { maxPartials = old }(maxPartials)
	maxPartials = 300
	for _, tc := range cases {
		a, lda, b, ldb, c0, ldc := tc.operands(7)
		for _, kern := range testKernels() {
			var first []float64
			for _, procs := range []int{1, 2, 3, 4} {
				c := append([]float64(nil), c0...)
				dgemm(kern, procs, tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, c, ldc)
				if first == nil {
					first = c
					continue
				}
				assertSameBits(t, fmt.Sprintf("%s %v procs=%d", kern.name, tc, procs), c, first)
			}
		}
		var first []float64
		for _, p := range []int{1, 2, 4} {
			old := runtime.GOMAXPROCS(p)
			c := append([]float64(nil), c0...)
			Dgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, c, ldc)
			runtime.GOMAXPROCS(old)
			if first == nil {
				first = c
				continue
			}
			assertSameBits(t, fmt.Sprintf("Dgemm %v GOMAXPROCS=%d", tc, p), c, first)
		}
	}
}

// TestDirectEqualsPacked: reading A and B in place and packing them give
// the same bits, so the choice between them can never change a result.
func TestDirectEqualsPacked(t *testing.T) {
	for _, kern := range available {
		if kern.direct == nil {
			continue
		}
		packed := *kern
		packed.direct = nil
		for _, tc := range []gemmCase{
			{tA: blas.NoTrans, tB: blas.NoTrans, m: 1000, n: 16, k: 16, alpha: 1, beta: 0},
			{tA: blas.NoTrans, tB: blas.Trans, m: 131, n: 97, k: 600, padA: 3, alpha: 0.5, beta: 1},
			{tA: blas.NoTrans, tB: blas.NoTrans, m: 29, n: 33, k: 3, padA: 1, padC: 1, alpha: -2, beta: 0.5},
			{tA: blas.Trans, tB: blas.NoTrans, m: 16, n: 16, k: 3000, padA: 1, padB: 2, alpha: 1, beta: 0},
			{tA: blas.Trans, tB: blas.NoTrans, m: 9, n: 20, k: 77, padA: 2, padB: 1, alpha: 1, beta: 2},
		} {
			a, lda, b, ldb, c0, ldc := tc.operands(11)
			direct := append([]float64(nil), c0...)
			dgemm(kern, 2, tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, direct, ldc)
			pk := append([]float64(nil), c0...)
			dgemm(&packed, 2, tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, pk, ldc)
			assertSameBits(t, fmt.Sprintf("%s direct vs packed %v", kern.name, tc), direct, pk)
		}
	}
}

// TestRowsIndependentOfBatch: a row of C has the same bits whether it is
// computed alone or among many rows (and a column alone or among many), so
// a model scores an observation the same in a batch of one as in a batch
// of a million.
func TestRowsIndependentOfBatch(t *testing.T) {
	for _, kern := range testKernels() {
		for _, tc := range []gemmCase{
			{tA: blas.NoTrans, tB: blas.Trans, m: 300, n: 16, k: 16, alpha: 1, beta: 0},
			{tA: blas.Trans, tB: blas.NoTrans, m: 45, n: 37, k: 700, alpha: -1, beta: 0.5},
		} {
			a, lda, b, ldb, c0, ldc := tc.operands(13)
			batch := append([]float64(nil), c0...)
			dgemm(kern, 2, tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, batch, ldc)
			for _, i := range []int{0, 13, 14, tc.m - 1} {
				row := append([]float64(nil), c0[i*ldc:i*ldc+tc.n]...)
				ai, lda1 := a[i*lda:], lda
				if tc.tA == blas.Trans {
					ai = a[i:]
				}
				dgemm(kern, 1, tc.tA, tc.tB, 1, tc.n, tc.k, tc.alpha, ai, lda1, b, ldb, tc.beta, row, tc.n)
				assertSameBits(t, fmt.Sprintf("%s %v row %d alone", kern.name, tc, i), row, batch[i*ldc:i*ldc+tc.n])
			}
			for _, j := range []int{0, 15, tc.n - 1} {
				col := make([]float64, tc.m)
				want := make([]float64, tc.m)
				for i := range col {
					col[i] = c0[i*ldc+j]
					want[i] = batch[i*ldc+j]
				}
				bj, ldb1 := b[j:], ldb
				if tc.tB == blas.Trans {
					bj = b[j*ldb:]
				}
				dgemm(kern, 2, tc.tA, tc.tB, tc.m, 1, tc.k, tc.alpha, a, lda, bj, ldb1, tc.beta, col, 1)
				assertSameBits(t, fmt.Sprintf("%s %v column %d alone", kern.name, tc, j), col, want)
			}
		}
	}
}

func assertSameBits(t *testing.T, what string, got, want []float64) {
	t.Helper()
	for i := range got {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) && !(math.IsNaN(got[i]) && math.IsNaN(want[i])) {
			t.Fatalf("%s: C[%d] = %.17g, want the same bits as with one worker, %.17g", what, i, got[i], want[i])
		}
	}
}

// TestDgemmBlocksOfOneMatrix: A, B and C may be disjoint blocks of one
// backing slice whose address ranges interleave (the pattern of LAPACK's
// blocked factorisations); A and B may be the same matrix.
func TestDgemmBlocksOfOneMatrix(t *testing.T) {
	const n = 60
	rnd := rand.New(rand.NewPCG(3, 4))
	base := make([]float64, n*n)
	for i := range base {
		base[i] = rnd.NormFloat64()
	}
	for _, kern := range testKernels() {
		// C = columns 40..59 of rows 0..29, A = columns 0..19 of the same
		// rows, B = rows 30..49, columns 20..39.
		got := append([]float64(nil), base...)
		want := append([]float64(nil), base...)
		dgemm(kern, 2, blas.NoTrans, blas.NoTrans, 30, 20, 20, -1, got[0:], n, got[30*n+20:], n, 1, got[40:], n)
		gonum.Implementation{}.Dgemm(blas.NoTrans, blas.NoTrans, 30, 20, 20, -1, want[0:], n, want[30*n+20:], n, 1, want[40:], n)
		testutil.AssertCloseSlice(t, kern.name+" interleaved blocks", got, want, 1e-13, 1e-13)
		// C = Aᵀ·A with A = B.
		a := base[:40*n]
		got = make([]float64, n*n)
		want = make([]float64, n*n)
		dgemm(kern, 2, blas.Trans, blas.NoTrans, n, n, 40, 1, a, n, a, n, 0, got, n)
		gonum.Implementation{}.Dgemm(blas.Trans, blas.NoTrans, n, n, 40, 1, a, n, a, n, 0, want, n)
		testutil.AssertCloseSlice(t, kern.name+" AᵀA", got, want, 1e-13, 1e-13)
	}
}

// TestDgemmPanics: bad arguments panic with gonum's messages, in gonum's
// order of checks.
func TestDgemmPanics(t *testing.T) {
	x := make([]float64, 100)
	cases := []struct {
		name    string
		tA, tB  blas.Transpose
		m, n, k int
		a       []float64
		lda     int
		b       []float64
		ldb     int
		c       []float64
		ldc     int
	}{
		{"bad tA", 'X', blas.NoTrans, 2, 2, 2, x, 2, x, 2, x, 2},
		{"bad tB", blas.NoTrans, 'X', 2, 2, 2, x, 2, x, 2, x, 2},
		{"m<0", blas.NoTrans, blas.NoTrans, -1, 2, 2, x, 2, x, 2, x, 2},
		{"n<0", blas.NoTrans, blas.NoTrans, 2, -1, 2, x, 2, x, 2, x, 2},
		{"k<0", blas.NoTrans, blas.NoTrans, 2, 2, -1, x, 2, x, 2, x, 2},
		{"lda", blas.NoTrans, blas.NoTrans, 2, 2, 3, x, 2, x, 2, x, 2},
		{"lda T", blas.Trans, blas.NoTrans, 3, 2, 2, x, 2, x, 2, x, 2},
		{"ldb", blas.NoTrans, blas.NoTrans, 2, 3, 2, x, 2, x, 2, x, 3},
		{"ldb T", blas.NoTrans, blas.Trans, 2, 2, 3, x, 3, x, 2, x, 2},
		{"ldc", blas.NoTrans, blas.NoTrans, 2, 3, 2, x, 2, x, 3, x, 2},
		{"short a", blas.NoTrans, blas.NoTrans, 10, 2, 10, x[:50], 10, x, 2, x, 2},
		{"short b", blas.NoTrans, blas.NoTrans, 2, 10, 10, x, 10, x[:99], 10, x, 10},
		{"short c", blas.NoTrans, blas.NoTrans, 10, 10, 2, x, 2, x, 10, x[:99], 10},
	}
	catch := func(f func()) (r any) {
		defer func() { r = recover() }()
		f()
		return nil
	}
	for _, tc := range cases {
		want := catch(func() {
			gonum.Implementation{}.Dgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, 1, tc.a, tc.lda, tc.b, tc.ldb, 0, tc.c, tc.ldc)
		})
		got := catch(func() {
			Dgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, 1, tc.a, tc.lda, tc.b, tc.ldb, 0, tc.c, tc.ldc)
		})
		if want == nil {
			t.Fatalf("%s: gonum did not panic; the case is wrong", tc.name)
		}
		if got != want {
			t.Errorf("%s: panic %v, want %v (gonum)", tc.name, got, want)
		}
	}
}

// TestDgemmConcurrentCallers: products called from many goroutines at once
// (as a model's workers do) share the packing buffers' pool and the cores
// and still give the bits each gives alone.
func TestDgemmConcurrentCallers(t *testing.T) {
	cases := []gemmCase{
		{tA: blas.NoTrans, tB: blas.NoTrans, m: 300, n: 16, k: 16, alpha: 1},
		{tA: blas.Trans, tB: blas.NoTrans, m: 10, n: 10, k: 2000, alpha: 1},
		{tA: blas.NoTrans, tB: blas.Trans, m: 70, n: 90, k: 300, alpha: -1, beta: 1},
	}
	type result struct{ c, want []float64 }
	var results [24]result
	done := make(chan int)
	for g := range results {
		tc := cases[g%len(cases)]
		a, lda, b, ldb, c, ldc := tc.operands(uint64(g))
		want := append([]float64(nil), c...)
		dgemm(current(), 1, tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, want, ldc)
		results[g] = result{c, want}
		go func() {
			Dgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, c, ldc)
			done <- g
		}()
	}
	for range results {
		g := <-done
		assertSameBits(t, fmt.Sprintf("goroutine %d", g), results[g].c, results[g].want)
	}
}

// TestTinyMatchesKernels: products small enough for the plain-loop path
// (m·n·k ≤ tinyProduct) get the same bits as through the micro-kernels,
// for every shape up to 8×8×8, both transposes and alpha/beta special
// values, so the path taken never changes a result.
func TestTinyMatchesKernels(t *testing.T) {
	seed := uint64(900)
	for _, kern := range available {
		if !kern.fma {
			continue
		}
		for m := 1; m <= 8; m++ {
			for n := 1; n <= 8; n++ {
				for k := 1; k <= 8; k++ {
					for _, tA := range transposes {
						for _, tB := range transposes {
							seed++
							ab := [][2]float64{{1, 0}, {-0.5, 1}, {3, 0.25}}[seed%3]
							tc := gemmCase{tA: tA, tB: tB, m: m, n: n, k: k, padA: int(seed % 2), alpha: ab[0], beta: ab[1]}
							a, lda, b, ldb, c0, ldc := tc.operands(seed)
							tiny := append([]float64(nil), c0...)
							dgemm(kern, 1, tA, tB, m, n, k, tc.alpha, a, lda, b, ldb, tc.beta, tiny, ldc)
							viaKernel := append([]float64(nil), c0...)
							g := gemmArgs[float64]{tA: tA == blas.Trans, tB: tB == blas.Trans, m: m, n: n, k: k, alpha: tc.alpha, beta: tc.beta,
								a: a, lda: lda, b: b, ldb: ldb, c: viaKernel, ldc: ldc}
							g.run(kern, 1)
							assertSameBits(t, fmt.Sprintf("%s tiny vs kernel %v", kern.name, tc), tiny, viaKernel)
						}
					}
				}
			}
		}
	}
}

// TestSmallProductsDoNotAllocate: a product too small to split allocates
// nothing (its buffers come from a pool, its arguments stay on the stack).
func TestSmallProductsDoNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	a := make([]float64, 40*40)
	c := make([]float64, 40*40)
	for _, n := range []int{2, 8, 40} {
		allocs := testing.AllocsPerRun(100, func() {
			dgemm(current(), 1, blas.NoTrans, blas.NoTrans, n, n, n, 1, a, n, a, n, 0, c, n)
		})
		if allocs != 0 {
			t.Errorf("%d×%d×%d product: %g allocations per call, want 0", n, n, n, allocs)
		}
	}
}

// TestParallelProductsDoNotAllocate: a product split among workers, by
// strips of C or by depth blocks, allocates nothing once its pools are
// warm, so a training loop's steps stay allocation-free on fastblas.
func TestParallelProductsDoNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	a := make([]float64, 16*20000)
	b := make([]float64, 16*20000)
	c := make([]float64, 300*300)
	for _, tc := range []struct {
		name    string
		tA      blas.Transpose
		m, n, k int
	}{
		{"strips", blas.NoTrans, 300, 300, 16},
		{"depth", blas.Trans, 16, 16, 20000},
	} {
		lda := tc.k
		if tc.tA == blas.Trans {
			lda = tc.m
		}
		allocs := testing.AllocsPerRun(50, func() {
			dgemm(current(), 2, tc.tA, blas.NoTrans, tc.m, tc.n, tc.k, 1, a, lda, b, tc.n, 0, c, tc.n)
		})
		if allocs != 0 {
			t.Errorf("%s: %g allocations per product, want 0", tc.name, allocs)
		}
	}
}
