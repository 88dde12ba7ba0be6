package nn

import (
	"math"
	"runtime"
	"sync"

	"github.com/latentgo/latent/autodiff"
)

// Adam's update touches four arrays per weight (weight, gradient, two
// moments) and does little arithmetic on them: for a network of 650 000
// weights (the MNIST VAE) it took a sixth of a training step on one core.
// The update of each weight depends on nothing else, so it is cut into
// chunks of adamChunkLen weights, updated in parallel by workers started
// once per optimizer and by the caller; each weight is updated by exactly one goroutine with
// the same operations, so the bits do not depend on the number of cores.
// The workers hold only the chunks, never the optimizer, so they stop
// when the optimizer is garbage collected.

// adamChunkLen is the number of weights per chunk; adamParMin the fewest
// weights for which the update goes parallel.
const (
	adamChunkLen = 1 << 15
	adamParMin   = 1 << 16
)

// adamCoef are one step's coefficients, shared by the chunks.
type adamCoef struct {
	b1, b2, eps, stepSize, invSqrtBC2 float64
}

// adamChunk is a run of weights of parameter k.
type adamChunk struct {
	w, g, m, v []float64
	c          *adamCoef
	wg         *sync.WaitGroup
	k          int
	finite     bool // the chunk's gradients in the last step summed to a finite value
}

// run applies the update to the chunk and zeroes its gradient.
func (ch *adamChunk) run() {
	sum := adamUpdate(ch.w, ch.g, ch.m, ch.v, ch.c)
	ch.finite = !math.IsNaN(sum) && !math.IsInf(sum, 0)
	clear(ch.g)
}

// adamUpdate is Adam's update of one run of weights in one pass over the
// four arrays (weight, gradient, first and second moments), and returns
// the sum of the gradients (for the divergence check). It is generic over
// the element type so that a float32 optimizer is the same code; for
// float32 the square root is taken in float64 and rounded once, which is
// the correctly rounded float32 square root (53 ≥ 2·24 + 2 bits).
func adamUpdate[T float32 | float64](w, g, m, v []T, c *adamCoef) float64 {
	b1, b2, eps, stepSize, inv := T(c.b1), T(c.b2), T(c.eps), T(c.stepSize), T(c.invSqrtBC2)
	w, m, v = w[:len(g)], m[:len(g)], v[:len(g)]
	var sum T
	for i, gi := range g {
		sum += gi
		mi := b1*m[i] + (1-b1)*gi
		vi := b2*v[i] + (1-b2)*gi*gi
		m[i], v[i] = mi, vi
		w[i] -= stepSize * (mi / (T(math.Sqrt(float64(vi)))*inv + eps))
	}
	return float64(sum)
}

// adamPar is the optimizer's chunks and, for many weights, its workers.
type adamPar struct {
	coef   *adamCoef
	chunks []adamChunk
	tasks  chan *adamChunk // nil: run serially
	wg     *sync.WaitGroup
}

func newAdamPar(params []*autodiff.Node, m, v [][]float64) *adamPar {
	p := &adamPar{coef: &adamCoef{}, wg: &sync.WaitGroup{}}
	total := 0
	for k, q := range params {
		n := len(q.Grad)
		total += n
		for lo := 0; lo < n; lo += adamChunkLen {
			hi := min(lo+adamChunkLen, n)
			p.chunks = append(p.chunks, adamChunk{w: q.Value[lo:hi], g: q.Grad[lo:hi], m: m[k][lo:hi], v: v[k][lo:hi], c: p.coef, wg: p.wg, k: k, finite: true})
		}
	}
	if workers := runtime.GOMAXPROCS(0) - 1; workers > 0 && total >= adamParMin {
		p.tasks = make(chan *adamChunk)
		for range workers {
			go adamWorker(p.tasks)
		}
		runtime.AddCleanup(p, func(ch chan *adamChunk) { close(ch) }, p.tasks)
	}
	return p
}

func adamWorker(tasks chan *adamChunk) {
	for ch := range tasks {
		ch.run()
		ch.wg.Done()
	}
}

// run updates every chunk: each is handed to an idle worker (the channel
// is unbuffered, so a send succeeds only when one is waiting) or run here.
func (p *adamPar) run() {
	if p.tasks == nil {
		for i := range p.chunks {
			p.chunks[i].run()
		}
		return
	}
	p.wg.Add(len(p.chunks))
	for i := range p.chunks {
		select {
		case p.tasks <- &p.chunks[i]:
		default:
			p.chunks[i].run()
			p.wg.Done()
		}
	}
	p.wg.Wait()
}

// NonFiniteGradient returns the index (in the optimizer's parameter list)
// of the first parameter whose gradient in the last Step held a NaN or an
// infinity (or summed beyond the float64 range), or −1 when every
// gradient was finite or no step has been taken. Adam then has already
// applied the update, so that parameter's weights are no longer finite:
// it lets a training loop stop with the culprit named at no extra pass
// over the gradients.
func (o *Adam) NonFiniteGradient() int {
	if o.par == nil {
		return -1
	}
	for i := range o.par.chunks {
		if !o.par.chunks[i].finite {
			return o.par.chunks[i].k
		}
	}
	return -1
}
