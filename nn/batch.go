package nn

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/autodiff"
)

// Batches cuts 0..n−1 into minibatches in an order shuffled afresh by each
// Shuffle, from a seeded stream: the same seed gives the same batches. The
// last batch of an epoch is smaller when size does not divide n (it is
// kept, as PyTorch's DataLoader does by default).
type Batches struct {
	perm []int
	size int
	pos  int
	rng  *rand.Rand
}

// NewBatches returns minibatches of size over n rows, shuffled with a PCG
// stream of seed. It panics when n < 0 or size < 1.
func NewBatches(n, size int, seed uint64) *Batches {
	if n < 0 || size < 1 {
		panic(fmt.Sprintf("nn: NewBatches(%d, %d)", n, size))
	}
	b := &Batches{perm: make([]int, n), size: size, rng: rand.New(rand.NewPCG(seed, streamShuffle))}
	for i := range b.perm {
		b.perm[i] = i
	}
	return b
}

// Shuffle starts a new epoch in a new random order (Fisher–Yates).
func (b *Batches) Shuffle() {
	b.rng.Shuffle(len(b.perm), func(i, j int) { b.perm[i], b.perm[j] = b.perm[j], b.perm[i] })
	b.pos = 0
}

// Next returns the row indices of the next batch of the epoch, or nil when
// the epoch is over. The slice is valid until the next Shuffle.
func (b *Batches) Next() []int {
	if b.pos >= len(b.perm) {
		return nil
	}
	end := min(b.pos+b.size, len(b.perm))
	idx := b.perm[b.pos:end]
	b.pos = end
	return idx
}

// Len returns the number of batches per epoch.
func (b *Batches) Len() int { return (len(b.perm) + b.size - 1) / b.size }

// GatherRows records a len(idx)×cols constant on t holding rows idx of x.
// It allocates nothing once t has seen a batch of this size.
func GatherRows(t *autodiff.Tape, x *mat.Dense, idx []int) *autodiff.Node {
	_, c := x.Dims()
	n := t.NewConst(len(idx), c)
	raw := x.RawMatrix()
	for k, i := range idx {
		copy(n.Value[k*c:(k+1)*c], raw.Data[i*raw.Stride:i*raw.Stride+c])
	}
	return n
}
