package fastblas

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// envKernel names the variable with which CI runs these tests once per
// kernel (.ci/run). The package itself reads no environment: TestMain
// passes it to UseKernel, as latent's command does at start-up.
const envKernel = "LATENT_FASTBLAS_KERNEL"

func TestMain(m *testing.M) {
	if os.Getenv("FASTBLAS_HELPER") != "1" { // the helper process checks the untouched package
		if k := strings.TrimSpace(os.Getenv(envKernel)); k != "" {
			if err := UseKernel(k); err != nil {
				fmt.Fprintf(os.Stderr, "%s=%s: %v\n", envKernel, k, err)
				os.Exit(2)
			}
		}
	}
	os.Exit(m.Run())
}

// TestForcedKernel: when CI forces a kernel with LATENT_FASTBLAS_KERNEL,
// that kernel must be the one in use, or the run would test something else
// than it claims.
func TestForcedKernel(t *testing.T) {
	want := strings.ToLower(strings.TrimSpace(os.Getenv(envKernel)))
	if want == "" {
		t.Skipf("%s not set; in use: %s, available: %v", envKernel, Kernel(), Kernels())
	}
	if Kernel() != want {
		t.Fatalf("%s=%s but kernel %q is in use; this CPU can run %v", envKernel, want, Kernel(), Kernels())
	}
}

// TestHelperProcess is not a test: TestImportIsInert runs the test binary
// again with this test selected to see the package as importing it left
// it.
func TestHelperProcess(t *testing.T) {
	if os.Getenv("FASTBLAS_HELPER") != "1" {
		t.Skip("helper for TestImportIsInert")
	}
	_, gonumInstalled := blas64.Implementation().(gonum.Implementation)
	fmt.Printf("enabled=%v gonum-installed=%v kernel=%s\n", Enabled(), gonumInstalled, Kernel())
	os.Exit(0)
}

// TestImportIsInert: importing the package installs nothing (gonum's BLAS
// stays gonum's) and reads no environment: the variables that latent's
// command reads change nothing here.
func TestImportIsInert(t *testing.T) {
	want := "enabled=false gonum-installed=true kernel=" + defaultKernel().name
	for _, env := range [][]string{
		nil,
		{"LATENT_FASTBLAS=on", envKernel + "=go"},
		{"LATENT_FASTBLAS=off", envKernel + "=gonum"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
		cmd.Env = append(os.Environ(), "FASTBLAS_HELPER=1", "LATENT_FASTBLAS=", envKernel+"=")
		cmd.Env = append(cmd.Env, env...)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("helper with %v: %v\n%s", env, err, out)
		}
		if got := strings.TrimSpace(string(out)); got != want {
			t.Errorf("environment %v: got %q, want %q", env, got, want)
		}
	}
}

// TestUseKernel: every name of Kernels can be chosen (in any case), and
// products then run on it; an unknown name is an error that leaves the
// kernel alone; "" restores the default.
func TestUseKernel(t *testing.T) {
	was := Kernel()
	defer UseKernel(was)
	for _, name := range Kernels() {
		if err := UseKernel(strings.ToUpper(name)); err != nil {
			t.Fatalf("UseKernel(%q): %v", strings.ToUpper(name), err)
		}
		if got := Kernel(); got != name {
			t.Errorf("after UseKernel(%q): Kernel() = %q", name, got)
		}
		if got := Backend(); !strings.Contains(strings.ToLower(got), name) {
			t.Errorf("kernel %s: Backend() = %q, want it to name the kernel", name, got)
		}
		tc := gemmCase{tA: blas.NoTrans, tB: blas.Trans, m: 70, n: 300, k: 40, alpha: 1.5, beta: 0.5}
		a, lda, b, ldb, c, ldc := tc.operands(7)
		want := append([]float64(nil), c...)
		dgemm(current(), 1, tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, want, ldc)
		Dgemm(tc.tA, tc.tB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, c, ldc)
		assertSameBits(t, name+": Dgemm after UseKernel", c, want)
	}
	UseKernel("go")
	err := UseKernel("avx9000")
	if !errors.Is(err, ErrUnknownKernel) {
		t.Errorf("UseKernel(avx9000): got %v, want an error wrapping ErrUnknownKernel", err)
	}
	if Kernel() != "go" {
		t.Errorf("after a failed UseKernel: kernel %q, want go (unchanged)", Kernel())
	}
	if err := UseKernel(""); err != nil || Kernel() != defaultKernel().name {
		t.Errorf(`UseKernel(""): err %v, kernel %q, want the default %q`, err, Kernel(), defaultKernel().name)
	}
}

// TestGonumKernel: the "gonum" kernel gives, element by element, the bits
// of gonum's serial Dgemm (each element summed over the whole depth, here
// computed alone as a 1×1 product), for products small and large enough
// to be tiled, every transpose, under GOMAXPROCS 1 and 2; its Dsyrk is
// gonum's.
func TestGonumKernel(t *testing.T) {
	for _, s := range [][3]int{{3, 5, 7}, {130, 203, 71}, {65, 400, 33}} {
		for _, tA := range transposes {
			for _, tB := range transposes {
				tc := gemmCase{tA: tA, tB: tB, m: s[0], n: s[1], k: s[2], padA: 1, padC: 2, alpha: 0.7, beta: -0.3}
				a, lda, b, ldb, c0, ldc := tc.operands(uint64(s[0]))
				want := append([]float64(nil), c0...)
				for i := 0; i < tc.m; i++ {
					for j := 0; j < tc.n; j++ {
						ai, bj := i*lda, j // row i of op(A), column j of op(B)
						if tA == blas.Trans {
							ai = i
						}
						if tB == blas.Trans {
							bj = j * ldb
						}
						gonum.Implementation{}.Dgemm(tA, tB, 1, 1, tc.k, tc.alpha, a[ai:], lda, b[bj:], ldb, tc.beta, want[i*ldc+j:], ldc)
					}
				}
				for _, procs := range []int{1, 2} {
					old := runtime.GOMAXPROCS(procs)
					got := append([]float64(nil), c0...)
					dgemm(gonumKernel, 0, tA, tB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, got, ldc)
					runtime.GOMAXPROCS(old)
					assertSameBits(t, fmt.Sprintf("gonum kernel %v GOMAXPROCS=%d", tc, procs), got, want)
				}
			}
		}
	}
	const n, k = 150, 40
	a, _, _, _, c0, _ := gemmCase{tA: blas.NoTrans, tB: blas.NoTrans, m: n, n: n, k: k}.operands(3)
	got, want := append([]float64(nil), c0...), append([]float64(nil), c0...)
	dsyrk(gonumKernel, 0, blas.Upper, blas.NoTrans, n, k, 1.5, a, k, 0.5, got, n)
	gonum.Implementation{}.Dsyrk(blas.Upper, blas.NoTrans, n, k, 1.5, a, k, 0.5, want, n)
	assertSameBits(t, "gonum kernel Dsyrk", got, want)
}

// TestGonumKernelDoesNotAllocate: a product large enough for gonum to go
// parallel is cut into tiles it computes serially, so it allocates
// nothing. This also guards gonumBlock and gonumMinPar, copies of gonum's
// unexported constants: were a gonum release to lower them, the tiles
// would go parallel inside gonum and allocate.
func TestGonumKernelDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	a := make([]float64, 300*64)
	c := make([]float64, 300*300)
	allocs := testing.AllocsPerRun(20, func() {
		dgemm(gonumKernel, 2, blas.NoTrans, blas.Trans, 300, 300, 64, 1, a, 64, a, 64, 0, c, 300)
	})
	if allocs != 0 {
		t.Errorf("300×300×64 on the gonum kernel: %g allocations per product, want 0", allocs)
	}
}
