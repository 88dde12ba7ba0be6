package autodiff

import (
	"fmt"
	"math"

	"github.com/latentgo/latent/internal/logmath"
)

// The loss ops return one value per row (observation), summed over the
// columns: an m×1 column. Reduce it with Mean (PyTorch's default
// reduction) or Sum. They work in log space and are finite wherever their
// closed form is.

// log2Pi is log(2π).
var log2Pi = math.Log(2 * math.Pi)

// SoftmaxCrossEntropy returns the m×1 column of the log-losses
// −log softmax(logits_i)[labels[i]] = lse(logits_i) − logits_i,labels[i]
// of the m×k matrix of logits, one class index in [0, k) per row. It never
// forms the softmax's logarithm, so it is finite for any finite logits.
// labels is copied. It panics when len(labels) ≠ m or a label is out of
// range.
func (t *Tape) SoftmaxCrossEntropy(logits *Node, labels []int) *Node {
	t.use("SoftmaxCrossEntropy", logits)
	m, k := logits.rows, logits.cols
	if len(labels) != m {
		panic(fmt.Sprintf("autodiff: SoftmaxCrossEntropy: %d labels for %d rows", len(labels), m))
	}
	n := t.node(m, 1, softmaxCrossEntropyBack, logits, nil, nil)
	if cap(n.labels) < m {
		n.labels = make([]int, m)
	}
	n.labels = n.labels[:m]
	n.aux = grow(n.aux, m)
	for i, y := range labels {
		if y < 0 || y >= k {
			panic(fmt.Sprintf("autodiff: SoftmaxCrossEntropy: label %d of row %d is not in [0, %d)", y, i, k))
		}
		n.labels[i] = y
		row := logits.Value[i*k : (i+1)*k]
		l := logmath.LogSumExp(row)
		n.aux[i] = l
		n.Value[i] = l - row[y]
	}
	return n
}

// ∂loss_i/∂logits_ij = softmax(logits_i)_j − [j = labels_i].
func softmaxCrossEntropyBack(n *Node) {
	x := n.a
	if !x.needsGrad {
		return
	}
	k := x.cols
	for i, g := range n.Grad {
		l := n.aux[i]
		row, dst := x.Value[i*k:(i+1)*k], x.Grad[i*k:(i+1)*k]
		if !math.IsInf(l, -1) {
			for j, v := range row {
				dst[j] += g * math.Exp(v-l)
			}
		}
		dst[n.labels[i]] -= g
	}
}

// BCEWithLogits returns the m×1 column of Σ_j of the binary cross-entropy
// of target y_ij ∈ [0, 1] under Bernoulli(σ(x_ij)), from the logits x:
//
//	ℓ(x, y) = −y log σ(x) − (1−y) log(1−σ(x)) = max(x, 0) − x·y + log(1 + e^−|x|),
//
// the form of catalog N-08 and PyTorch's binary_cross_entropy_with_logits,
// which never forms σ(x): logits of ±1e308 with the matching label give 0
// and gradient 0, and x = ±800 with the wrong label gives ≈ 800. x and y
// have the same shape; y may be a constant or carry a gradient.
func (t *Tape) BCEWithLogits(x, y *Node) *Node {
	t.use("BCEWithLogits", x, y)
	sameShape("BCEWithLogits", x, y)
	n := t.node(x.rows, 1, bceWithLogitsBack, x, y, nil)
	// e^−|x| serves the loss and σ(x), which the derivative rule needs:
	// keeping σ(x) (in aux, when a gradient will be asked for) saves the
	// backward pass an exponential per entry, a tenth of a VAE's training
	// step. σ(x) = 1/(1 + e^−|x|) for x ≥ 0 and e^−|x|/(1 + e^−|x|) below:
	// logmath.Sigmoid's bits.
	if n.needsGrad && x.needsGrad {
		n.aux = grow(n.aux, len(x.Value))
	} else {
		n.aux = n.aux[:0]
	}
	t.parallelRows(n, x.rows, len(x.Value), bceRows)
	return n
}

// bceRows computes rows [lo, hi) of BCEWithLogits' node n, and σ(x) into
// n.aux when it has room for it.
func bceRows(n *Node, lo, hi int) {
	x, y := n.a, n.b
	c := x.cols
	keep := len(n.aux) > 0
	for i := lo; i < hi; i++ {
		s := 0.0
		for j, xv := range x.Value[i*c : (i+1)*c] {
			yv := y.Value[i*c+j]
			e := math.Exp(-math.Abs(xv))
			s += math.Max(xv, 0) - xv*yv + log1pUnit(e)
			if keep {
				if xv >= 0 {
					n.aux[i*c+j] = 1 / (1 + e)
				} else {
					n.aux[i*c+j] = e / (1 + e)
				}
			}
		}
		n.Value[i] = s
	}
}

// log1pUnit returns log(1 + e) for e ∈ [0, 1] (and NaN for NaN). Below
// 2⁻¹⁰ it sums the series e − e²/2 + e³/3 − e⁴/4 + e⁵/5, whose first
// omitted term e⁶/6 is below 2⁻⁵² of the result (with rounding, within 2
// ulp of math.Log1p; see TestLog1pUnit); above, it is math.Log1p. Most logits of a trained image
// model are large negative numbers (background pixels), so this takes
// the short path for most entries of a VAE's reconstruction term, where
// math.Log1p was a seventh of a training step.
func log1pUnit(e float64) float64 {
	if e < 0x1p-10 {
		return e * (1 - e*(0.5-e*(1.0/3-e*(0.25-e*0.2))))
	}
	return math.Log1p(e)
}

// ∂ℓ/∂x = σ(x) − y and ∂ℓ/∂y = −x.
func bceWithLogitsBack(n *Node) {
	x, y := n.a, n.b
	c := x.cols
	for i, g := range n.Grad {
		for j := i * c; j < (i+1)*c; j++ {
			if x.needsGrad {
				x.Grad[j] += g * (n.aux[j] - y.Value[j])
			}
			if y.needsGrad {
				y.Grad[j] -= g * x.Value[j]
			}
		}
	}
}

// MSE returns the 1×1 mean squared error mean((a − b)²) over every entry,
// PyTorch's mse_loss with its default mean reduction (derived:
// Mean(Square(Sub(a, b)))).
func (t *Tape) MSE(a, b *Node) *Node { return t.Mean(t.Square(t.Sub(a, b))) }

// KLNormal returns the m×1 column of KL(N(μ_i, diag σ_i²) ‖ N(0, I)) from
// the m×d matrices mu and logvar = log σ² (catalog N-09):
//
//	KL_i = ½ Σ_j (μ_ij² + σ_ij² − 1 − log σ_ij²).
//
// It does not clamp logvar; a caller whose log-variances can run away
// (catalog N-10) clamps them first.
func (t *Tape) KLNormal(mu, logvar *Node) *Node {
	t.use("KLNormal", mu, logvar)
	sameShape("KLNormal", mu, logvar)
	c := mu.cols
	n := t.node(mu.rows, 1, klNormalBack, mu, logvar, nil)
	for i := 0; i < mu.rows; i++ {
		s := 0.0
		for j, m := range mu.Value[i*c : (i+1)*c] {
			lv := logvar.Value[i*c+j]
			s += m*m + math.Exp(lv) - 1 - lv
		}
		n.Value[i] = s / 2
	}
	return n
}

// ∂KL/∂μ = μ and ∂KL/∂log σ² = ½(σ² − 1).
func klNormalBack(n *Node) {
	mu, lv := n.a, n.b
	c := mu.cols
	for i, g := range n.Grad {
		for j := i * c; j < (i+1)*c; j++ {
			if mu.needsGrad {
				mu.Grad[j] += g * mu.Value[j]
			}
			if lv.needsGrad {
				lv.Grad[j] += g * (math.Exp(lv.Value[j]) - 1) / 2
			}
		}
	}
}

// KLDiagNormals returns the m×1 column of KL(N(μ1, diag σ1²) ‖ N(μ2, diag
// σ2²)) between two diagonal Gaussians per row, from means and log-variances
// (catalog N-09, general case):
//
//	KL_i = ½ Σ_j ((μ1−μ2)²/σ2² + σ1²/σ2² − 1 − log σ1² + log σ2²).
//
// It is derived from the primitive ops.
func (t *Tape) KLDiagNormals(mu1, logvar1, mu2, logvar2 *Node) *Node {
	d := t.Sub(mu1, mu2)
	invVar2 := t.Exp(t.Neg(logvar2))
	dlv := t.Sub(logvar1, logvar2) // log σ1² − log σ2²
	terms := t.Add(t.Mul(t.Square(d), invVar2), t.Sub(t.Exp(dlv), dlv))
	return t.Scale(t.AddScalar(t.RowSums(terms), -float64(mu1.cols)), 0.5)
}

// GaussianLogLik returns the m×1 column of log N(x_i; μ_i, diag σ_i²) from
// the m×d matrices x, mu and logvar = log σ²:
//
//	log p_i = −½ Σ_j (log 2π + log σ_ij² + (x_ij − μ_ij)² / σ_ij²).
//
// The precision e^−log σ² is used, never 1/σ² of an underflowed σ². Any of
// x, mu and logvar may carry a gradient.
func (t *Tape) GaussianLogLik(x, mu, logvar *Node) *Node {
	t.use("GaussianLogLik", x, mu, logvar)
	sameShape("GaussianLogLik", x, mu)
	sameShape("GaussianLogLik", x, logvar)
	c := x.cols
	n := t.node(x.rows, 1, gaussianLogLikBack, x, mu, logvar)
	for i := 0; i < x.rows; i++ {
		s := 0.0
		for j := i * c; j < (i+1)*c; j++ {
			d := x.Value[j] - mu.Value[j]
			lv := logvar.Value[j]
			s += log2Pi + lv + d*d*math.Exp(-lv)
		}
		n.Value[i] = -s / 2
	}
	return n
}

// With r = (x − μ)/σ², ∂log p/∂x = −r, ∂log p/∂μ = r and
// ∂log p/∂log σ² = ½((x − μ)²/σ² − 1).
func gaussianLogLikBack(n *Node) {
	x, mu, lv := n.a, n.b, n.c
	c := x.cols
	for i, g := range n.Grad {
		for j := i * c; j < (i+1)*c; j++ {
			d := x.Value[j] - mu.Value[j]
			prec := math.Exp(-lv.Value[j])
			r := d * prec
			if x.needsGrad {
				x.Grad[j] -= g * r
			}
			if mu.needsGrad {
				mu.Grad[j] += g * r
			}
			if lv.needsGrad {
				lv.Grad[j] += g * (d*r - 1) / 2
			}
		}
	}
}
