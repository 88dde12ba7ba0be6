package autodiff

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// Products large enough for the tape's tiled path (C with 4 or more of
// gonum's 64×64 blocks), with odd sizes and every transpose, agree with a
// plain triple loop, and give the same bits under GOMAXPROCS 1 and 2.
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

// The derivative rules of large products (tiled too) pass the JAX-style
// directional check for every transpose.
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
