package biasvar

import (
	"fmt"

	"github.com/latentgo/latent/internal/memlimit"
	"github.com/latentgo/latent/nn"
)

// MemoryError reports a run whose arrays cannot fit in memory (latent's
// one memory guard, as nn.MemoryError): Decompose, Bootstrap and the
// sweeps return it before any round, with the estimate and the options
// to lower. errors.Is(err, ErrMemory) tests for it.
type MemoryError = nn.MemoryError

// ErrMemory is wrapped by every *MemoryError (nn.ErrMemory).
var ErrMemory = nn.ErrMemory

// fitSizer is a learner that knows the floats one fit on n points of d
// inputs (k classes, 0 for regression) holds at its peak, beyond the
// training set itself, and the option that sets its size.
type fitSizer interface {
	fitFloats(n, d, k int) float64
	sizeOption() string
}

// fitFloats of the network learners: the parameters with their gradients
// and Adam's moments, and the full batch's tape (a value and a gradient
// for the product, the bias sum and the activation of each layer).
func (l MLP) fitFloats(n, d, _ int) float64 {
	h, _, _ := l.settings()
	return netFloats(n, []int{d, h, 1})
}
func (l MLP) sizeOption() string { return "MLP.Hidden" }

func (l MLPClassifier) fitFloats(n, d, k int) float64 {
	return netFloats(n, []int{d, orInt(l.Hidden, 20), max(k, 2)})
}
func (l MLPClassifier) sizeOption() string { return "MLPClassifier.Hidden" }

// fitFloats of random features: the n×p design and the SVD's factors.
func (l RandomFeatures) fitFloats(n, d, _ int) float64 {
	p := float64(l.p())
	return 3*float64(n)*p + p*float64(d) + p*p
}
func (l RandomFeatures) sizeOption() string { return "RandomFeatures.Features" }

func netFloats(n int, sizes []int) float64 {
	params, widths := 0.0, 0.0
	for k := 1; k < len(sizes); k++ {
		params += float64(sizes[k-1])*float64(sizes[k]) + float64(sizes[k])
		widths += float64(sizes[k])
	}
	return 4*params + 6*float64(n)*widths + 2*float64(n)*float64(sizes[0])
}

// checkMemory is the memory guard before a run of R rounds on m test
// points (predictions held per round: perPoint floats per test point) by
// workers fitting at once on n points of d inputs (k classes). lower are
// the options that set R and m.
func checkMemory(l Learner, R, m int, perPoint float64, workers, n, d, k int, lower ...string) error {
	floats := float64(R)*float64(m)*perPoint + float64(m)*float64(d+4)
	fit := 2 * float64(n) * float64(d+1) // a training set
	if s, ok := l.(fitSizer); ok {
		fit += s.fitFloats(n, d, k)
		lower = append(lower, s.sizeOption())
	}
	floats += float64(workers) * fit
	if err := memlimit.Check(fmt.Sprintf("%d rounds of %v on %d test points", R, l, m), memlimit.Floats(floats), lower...); err != nil {
		return fmt.Errorf("biasvar: %w", err)
	}
	return nil
}
