package autodiff

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/fastblas"
)

// TestMain runs the tests and benchmarks on the kernel that
// LATENT_FASTBLAS_KERNEL names, when it is set (the package reads no
// environment; the variable is passed to fastblas.UseKernel here, as
// latent's command does at start-up): LATENT_FASTBLAS_KERNEL=gonum puts
// the tape on gonum's own Dgemm.
func TestMain(m *testing.M) {
	if k := strings.TrimSpace(os.Getenv("LATENT_FASTBLAS_KERNEL")); k != "" {
		if err := fastblas.UseKernel(k); err != nil {
			fmt.Fprintln(os.Stderr, "LATENT_FASTBLAS_KERNEL:", err)
			os.Exit(2)
		}
	}
	os.Exit(m.Run())
}

// A training step of the VAE shape (products of hundreds of rows and
// columns, split among the cores, and elementwise ops split by rows)
// allocates nothing once the tape is warm, on fastblas's default kernel
// and on gonum's own Dgemm (fastblas's "gonum" kernel).
func TestStepDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	was := fastblas.Kernel()
	defer fastblas.UseKernel(was)
	for _, kernel := range []string{"", "gonum"} {
		if err := fastblas.UseKernel(kernel); err != nil {
			t.Fatal(err)
		}
		s := newVAEStep(syntheticImages(128), 128)
		s.run()
		if a := testing.AllocsPerRun(3, func() { s.run() }); a != 0 {
			t.Errorf("kernel %s: %g allocations per step, want 0", fastblas.Kernel(), a)
		}
	}
}

// Products large enough to be split among cores (by fastblas, on every
// kernel), with odd sizes and every transpose, agree with a plain triple
// loop, and give the same bits under GOMAXPROCS 1 and 2.
func TestTiledMatMul(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	const m, k, n = 130, 71, 203
	for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
		ar, ac := m, k
		if tr[0] {
			ar, ac = k, m
		}
		br, bc := k, n
		if tr[1] {
			br, bc = n, k
		}
		a, b := ParamFrom(randMat(rng, ar, ac, -1, 1)), ParamFrom(randMat(rng, br, bc, -1, 1))
		at := func(x *Node, trans bool, i, j int) float64 {
			if trans {
				return x.At(j, i)
			}
			return x.At(i, j)
		}
		var bits [2][]float64
		for p, procs := range []int{1, 2} {
			old := runtime.GOMAXPROCS(procs)
			tp := NewTape()
			c := tp.MatMulTrans(a, tr[0], b, tr[1])
			bits[p] = append([]float64(nil), c.Value...)
			runtime.GOMAXPROCS(old)
			if p > 0 {
				continue
			}
			for i := 0; i < m; i++ {
				for j := 0; j < n; j++ {
					want := 0.0
					for l := 0; l < k; l++ {
						want += at(a, tr[0], i, l) * at(b, tr[1], l, j)
					}
					if got := c.At(i, j); math.Abs(got-want) > 1e-12 {
						t.Fatalf("transposes %v: C[%d,%d] = %v, want %v", tr, i, j, got, want)
					}
				}
			}
		}
		for i := range bits[0] {
			if math.Float64bits(bits[0][i]) != math.Float64bits(bits[1][i]) {
				t.Fatalf("transposes %v: entry %d differs between GOMAXPROCS 1 and 2", tr, i)
			}
		}
	}
}

// The derivative rules of large products pass the JAX-style directional
// check for every transpose.
func TestTiledMatMulGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	const m, k, n = 130, 90, 200
	for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
		ar, ac := m, k
		if tr[0] {
			ar, ac = k, m
		}
		br, bc := k, n
		if tr[1] {
			br, bc = n, k
		}
		f := func(t *Tape, in []*Node) *Node {
			return t.Sum(t.Tanh(t.MatMulTrans(in[0], tr[0], in[1], tr[1])))
		}
		in := []mat.Matrix{randMat(rng, ar, ac, -0.2, 0.2), randMat(rng, br, bc, -0.2, 0.2)}
		if err := CheckDirection(f, in, DirectionOptions{Seed: 3}); err != nil {
			t.Errorf("transposes %v: %v", tr, err)
		}
	}
}
