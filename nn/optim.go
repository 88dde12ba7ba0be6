package nn

import (
	"fmt"
	"math"

	"github.com/latentgo/latent/autodiff"
)

// Optimizer updates a fixed list of parameters from their gradients.
type Optimizer interface {
	// Step applies one update from the parameters' current gradients and
	// then sets the gradients to zero, so that nothing carries over into
	// the next step (catalog A-08). Gradients of several Backward calls
	// before one Step add up (gradient accumulation).
	Step()
}

// SGD is plain gradient descent, w ← w − α·∂L/∂w.
type SGD struct {
	LR     float64 // α, the learning rate
	params []*autodiff.Node
}

// NewSGD returns gradient descent over params with learning rate lr. It
// panics when lr is not positive.
func NewSGD(params []*autodiff.Node, lr float64) *SGD {
	checkLR("NewSGD", lr)
	return &SGD{LR: lr, params: params}
}

// Step implements Optimizer.
func (o *SGD) Step() {
	for _, p := range o.params {
		for i, g := range p.Grad {
			p.Value[i] -= o.LR * g
		}
		p.ZeroGrad()
	}
}

// Momentum is gradient descent with heavy-ball momentum in PyTorch's form
// (torch.optim.SGD with momentum μ, no dampening, no Nesterov):
//
//	v ← μ·v + ∂L/∂w,   w ← w − α·v,
//
// with v = 0 before the first step (Polyak 1964; Sutskever et al., ICML
// 2013, eq. 1–2 up to the placement of α).
type Momentum struct {
	LR, Mu float64
	params []*autodiff.Node
	vel    [][]float64
}

// NewMomentum returns momentum descent over params; mu = 0 means 0.9. It
// panics when lr is not positive or mu is outside [0, 1).
func NewMomentum(params []*autodiff.Node, lr, mu float64) *Momentum {
	checkLR("NewMomentum", lr)
	if mu == 0 {
		mu = 0.9
	}
	if mu < 0 || mu >= 1 {
		panic(fmt.Sprintf("nn: NewMomentum: momentum %v is not in [0, 1)", mu))
	}
	return &Momentum{LR: lr, Mu: mu, params: params, vel: zerosLike(params)}
}

// Step implements Optimizer.
func (o *Momentum) Step() {
	for k, p := range o.params {
		v := o.vel[k]
		for i, g := range p.Grad {
			v[i] = o.Mu*v[i] + g
			p.Value[i] -= o.LR * v[i]
		}
		p.ZeroGrad()
	}
}

// AdamOptions are Adam's settings; zero fields mean PyTorch's defaults
// (torch.optim.Adam: lr 1e-3, betas (0.9, 0.999), eps 1e-8), which are those
// of Kingma & Ba.
type AdamOptions struct {
	LR    float64 // step size α; 0 means 1e-3
	Beta1 float64 // decay of the first-moment average; 0 means 0.9
	Beta2 float64 // decay of the second-moment average; 0 means 0.999
	Eps   float64 // added to √v̂; 0 means 1e-8
}

// Adam is the Adam optimizer (Kingma & Ba, "Adam: A method for stochastic
// optimization", ICLR 2015, Algorithm 1), with PyTorch's update order: at
// step t, with g = ∂L/∂w,
//
//	m ← β1·m + (1−β1)·g,   v ← β2·v + (1−β2)·g²,
//	w ← w − α · (m / (1−β1ᵗ)) / (√v / √(1−β2ᵗ) + ε).
type Adam struct {
	AdamOptions
	params []*autodiff.Node
	m, v   [][]float64
	t      int
	par    *adamPar // the update cut into chunks, built by the first Step
}

// NewAdam returns Adam over params. It panics when a setting is out of
// range (lr ≤ 0, betas outside [0, 1), eps < 0).
func NewAdam(params []*autodiff.Node, opts AdamOptions) *Adam {
	if opts.LR == 0 {
		opts.LR = 1e-3
	}
	if opts.Beta1 == 0 {
		opts.Beta1 = 0.9
	}
	if opts.Beta2 == 0 {
		opts.Beta2 = 0.999
	}
	if opts.Eps == 0 {
		opts.Eps = 1e-8
	}
	checkLR("NewAdam", opts.LR)
	if opts.Beta1 < 0 || opts.Beta1 >= 1 || opts.Beta2 < 0 || opts.Beta2 >= 1 || opts.Eps < 0 {
		panic(fmt.Sprintf("nn: NewAdam: betas (%v, %v) must be in [0, 1) and eps %v ≥ 0", opts.Beta1, opts.Beta2, opts.Eps))
	}
	return &Adam{AdamOptions: opts, params: params, m: zerosLike(params), v: zerosLike(params)}
}

// Steps returns the number of steps taken.
func (o *Adam) Steps() int { return o.t }

// Step implements Optimizer. The update is elementwise, so it is cut into
// chunks that run on several cores when the parameters are many (see
// adamPar); every weight gets the same bits whatever the number of cores.
func (o *Adam) Step() {
	o.t++
	bc1 := 1 - math.Pow(o.Beta1, float64(o.t))
	bc2 := 1 - math.Pow(o.Beta2, float64(o.t))
	if o.par == nil {
		o.par = newAdamPar(o.params, o.m, o.v)
	}
	// PyTorch divides √v by √(1−β2ᵗ); multiplying by the reciprocal saves a
	// division per weight (a sixth of an MNIST epoch was spent here) and
	// moves results by an ulp at most.
	*o.par.coef = adamCoef{b1: o.Beta1, b2: o.Beta2, eps: o.Eps, stepSize: o.LR / bc1, invSqrtBC2: 1 / math.Sqrt(bc2)}
	o.par.run()
}

func zerosLike(params []*autodiff.Node) [][]float64 {
	out := make([][]float64, len(params))
	for i, p := range params {
		out[i] = make([]float64, len(p.Value))
	}
	return out
}

func checkLR(op string, lr float64) {
	if !(lr > 0) || math.IsInf(lr, 0) {
		panic(fmt.Sprintf("nn: %s: learning rate %v must be positive and finite", op, lr))
	}
}
