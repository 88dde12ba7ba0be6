// Package autodiff is reverse-mode automatic differentiation on a flat tape
// of float64 matrices: the core under latent's neural networks and its
// variational autoencoder.
//
// # The idea
//
// A computation is a graph whose nodes are inputs or intermediate values and
// whose edges are elementary operations. If f depends on u only through the
// nodes x_1 … x_k that u feeds, the chain rule gives
//
//	∂f/∂u = Σ_i ∂f/∂x_i · ∂x_i/∂u.
//
// Reverse mode evaluates this from the output backwards: once ∂f/∂x_i is
// known for every consumer x_i of u, each consumer adds its term
// ∂f/∂x_i · ∂x_i/∂u into u's gradient. Recording the ops in the order they
// ran (a tape) gives an order in which every consumer comes after what it
// consumes, so one sweep over the tape in reverse computes ∂f/∂u for every
// node u, at a cost of a small constant times the forward pass, whatever
// the number of parameters (Griewank & Walther, Evaluating Derivatives, 2nd
// ed., SIAM 2008, ch. 3; Baydin et al., "Automatic differentiation in
// machine learning: a survey", JMLR 18(153), 2018, §3.2).
//
// # The shape of the code
//
// It follows Karpathy's micrograd (engine.py): each op's derivative rule
// sits beside its forward code, as a plain function that adds (+=) its
// input gradients from its output gradient; a few ops are derived from the
// others (Neg, Sub, Square, Sqrt, Mean, MSE, KLDiagNormals) and need no rule;
// Backward is one reverse sweep over the flat tape. There is no operator
// interface, no registry of rules, no virtual machine and no global state:
// "no grad" is a tape that does not record (NewForwardTape).
//
// Values are matrices stored row-major in plain []float64 slices with no
// stride (Node.Value, Node.Grad). That keeps every elementwise rule one loop,
// lets a Reset tape reuse its buffers (a training step allocates nothing
// once warm), and maps directly onto BLAS: MatMul and its two derivative
// products are each one call of fastblas's Dgemm with transpose flags,
// made explicitly, so the tape is fast in any program and importing
// autodiff leaves gonum's BLAS alone (fastblas.UseKernel chooses the
// kernel for the whole program; its "gonum" kernel is gonum's own
// arithmetic). fastblas splits large products among the cores without
// allocating and computes each element in a fixed order: the same inputs
// give the same bits whatever GOMAXPROCS is. Large elementwise ops are
// split by rows among workers of the tape's own (started once per tape),
// with the same guarantee. Node.Dense gives a gonum view without copying.
//
// Parameters (NewParam) are leaves that live across tapes; their gradients
// accumulate over Backward calls until zeroed, as PyTorch's .grad does.
// Constants (Tape.Const, Tape.NewConst) carry no gradient. A node needs a
// gradient only when a parameter is upstream, and Backward skips the rest:
// in a network, the product giving the gradient of the input batch is never
// computed.
//
// # Derivative rules
//
// With G = ∂f/∂Y the upstream gradient of the output Y, each op adds:
//
//	Y = A + B, A − B      ∂A += G, ∂B += ±G
//	Y = A ⊙ B             ∂A += G ⊙ B, ∂B += G ⊙ A
//	Y = A / B             ∂A += G / B, ∂B −= G ⊙ Y / B
//	Y = k·A, A + k        ∂A += k·G, ∂A += G
//	Y = A^p               ∂A += G ⊙ p·A^(p−1)      (0 for p = 0)
//	Y = op(A)·op(B)       ∂op(A) += G·op(B)ᵀ, ∂op(B) += op(A)ᵀ·G
//	Y = X + 1·b (bias)    ∂X += G, ∂b += 1ᵀG (column sums)
//	Y = Σ A, row / column sums    G broadcast back over what was summed
//	Y = eᴬ, log A         ∂A += G ⊙ Y, ∂A += G / A
//	Y = sin A, cos A      ∂A += G ⊙ cos A, ∂A −= G ⊙ sin A
//	Y = tanh A            ∂A += G ⊙ (1 − Y²)
//	Y = σ(A)              ∂A += G ⊙ Y ⊙ (1 − Y)
//	Y = relu(A)           ∂A += G ⊙ [A > 0]        (subgradient 0 at 0)
//	Y = clamp(A, lo, hi)  ∂A += G ⊙ [lo ≤ A ≤ hi]
//	Y = softplus(A)       ∂A += G ⊙ σ(A)
//	Y = log σ(A)          ∂A += G ⊙ σ(−A)
//	y_i = lse(a_i)        ∂a_ij += g_i · softmax(a_i)_j
//	Y = softmax rows      ∂a_ij += y_ij (G_ij − Σ_k G_ik y_ik)
//	slice, concat, reshape        the gradient is routed back to where each entry came from
//	Y = repeat rows k times       ∂a_i += Σ_s G_{ik+s}   (the k copies of row i summed)
//	Y_i = W·im2col(X_i) + b       ∂W += Σ_i G_i·im2col(X_i)ᵀ, ∂X_i += col2im(Wᵀ·G_i), ∂b += Σ G   (Conv2D)
//	Y_i = col2im(Wᵀ·X_i) + b      ∂X_i += W·im2col(G_i), ∂W += Σ_i X_i·im2col(G_i)ᵀ, ∂b += Σ G   (ConvTranspose2D)
//
// and the losses, one value per row:
//
//	cross-entropy   ℓ_i = lse(x_i) − x_{i,y_i}                     ∂x_ij = softmax(x_i)_j − [j = y_i]
//	BCE (logits)    ℓ = max(x,0) − x·y + log(1 + e^−|x|)           ∂x = σ(x) − y, ∂y = −x
//	KL to N(0, I)   ½ Σ (μ² + e^v − 1 − v), v = log σ²              ∂μ = μ, ∂v = ½(e^v − 1)
//	Gaussian        −½ Σ (log 2π + v + (x − μ)² e^−v)              ∂x = −r, ∂μ = r, ∂v = ½((x − μ)r − 1), r = (x − μ)e^−v
//
// # Numerics and edge cases (catalog N-xx, A-xx)
//
// Log-sum-exp, softplus, log-sigmoid and the sigmoid come from
// internal/logmath: a row of −Inf has log-sum-exp −Inf, not NaN (N-01), and
// passes a gradient of 0 (A-12; PyTorch gives NaN); its softmax is the zero
// row. Entries set to −Inf are masked out with gradient exactly 0.
// BCE with logits uses the form above, which gives loss 0 and gradient 0 at
// logits ±1e308 with the matching label (N-08; PyTorch's
// binary_cross_entropy_with_logits). ReLU's derivative at 0 is 0. A
// NaN input gives a NaN value and a NaN gradient through every op,
// except where BLAS multiplies it by an exact zero in a matrix product.
// Sums of empty matrices are 0 and their gradients empty.
//
// Calling Backward twice on the same recording is allowed: parameter
// gradients accumulate, so the second call adds the same gradient again
// (retain semantics, catalog A-08). Optimizers zero the gradients in Step so
// that nothing carries over between steps; Reset invalidates the recording,
// and using a node from before a Reset panics.
//
// # Checking gradients
//
// CheckGradient compares the reverse-mode Jacobian of any Func with central
// differences, entry by entry, at torch.autograd.gradcheck's tolerances
// (step 1e-6, atol 1e-5, rtol 1e-3), and checks shapes, untouched inputs and
// reentrancy on the way. CheckDirection is JAX's check_vjp for large inputs:
// one random tangent and cotangent, ⟨J·v, u⟩ by central differences against
// ⟨v, Jᵀ·u⟩ by reverse mode. Every op of the package is checked by them in
// its tests, with gonum's diff/fd as a second oracle. Only first derivatives
// are offered (no Hessian-vector products, so catalog A-14 does not apply).
package autodiff
