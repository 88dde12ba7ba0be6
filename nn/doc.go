// Package nn builds and trains neural networks on the autodiff tape: dense
// layers, activations, initialisations, optimizers, minibatches, and a
// multilayer-perceptron classifier trained on log-loss, with model files.
//
// # Layers and backpropagation
//
// A dense layer maps a batch X (n×in, one observation per row) to
//
//	Z = X·W + 1·b,    A = act(Z),
//
// with W in×out and b a 1×out bias broadcast over the rows. For one
// observation this is the neuron z_j = Σ_i x_i·w_ij + b_j, a_j = act(z_j).
// Given G = ∂L/∂A, the chain rule ∂L/∂u = Σ_i ∂L/∂x_i · ∂x_i/∂u, applied by
// the tape's reverse sweep, gives
//
//	∂L/∂Z = G ⊙ act′(Z),   ∂L/∂W = Xᵀ·∂L/∂Z,   ∂L/∂b = 1ᵀ·∂L/∂Z,   ∂L/∂X = ∂L/∂Z·Wᵀ,
//
// which is backpropagation (Rumelhart, Hinton & Williams, Nature 323, 1986).
// The activations and their derivatives:
//
//	sigmoid  σ(z) = 1/(1 + e^−z)     σ′ = σ(1 − σ)
//	tanh     tanh z                  1 − tanh² z
//	ReLU     max(z, 0)               [z > 0]   (0 at z = 0, as PyTorch)
//	linear   z                       1
//
// An MLP is a stack of dense layers; its last layer is linear and returns
// logits. Layers compose through the Layer interface, so a model (the VAE's
// encoder and decoder) is a few MLPs wired on one tape.
//
// # Initialisation
//
// Weights are drawn from a seeded PCG stream, biases start at 0. Glorot
// uniform, U(±√(6/(fan_in + fan_out))), keeps activation and gradient
// variances across tanh and sigmoid layers (Glorot & Bengio, AISTATS 2010,
// eq. 16); He normal, N(0, 2/fan_in), does so for ReLU layers, which zero
// half their inputs (He et al., ICCV 2015, eq. 10). InitAuto picks He for
// ReLU layers and Glorot for the others.
//
// # Optimizers
//
// With g = ∂L/∂w for the current minibatch:
//
//	SGD        w ← w − α·g
//	momentum   v ← μ·v + g,  w ← w − α·v                (PyTorch's SGD with momentum; Polyak 1964)
//	Adam       m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²,
//	           w ← w − α·(m/(1−β1ᵗ)) / (√v/√(1−β2ᵗ) + ε)   (Kingma & Ba, ICLR 2015, Algorithm 1)
//
// with PyTorch's defaults α = 1e-3, β1 = 0.9, β2 = 0.999, ε = 1e-8 for Adam.
// The results match torch.optim to 1e-13 in float64 (see the tests). Each
// Step zeroes the gradients after using them.
//
// # The classifier
//
// TrainClassifier fits p(class k | x) = softmax(f(x))_k, f the MLP's
// logits, by minimising the mean log-loss (softmax cross-entropy) over
// minibatches,
//
//	L = −(1/n) Σ_i log softmax(f(x_i))_{y_i} = (1/n) Σ_i (lse(f(x_i)) − f(x_i)_{y_i}),
//
// computed from the logits without ever taking the log of a probability.
// Its defaults are scikit-learn's MLPClassifier: one hidden layer of 100
// ReLU units, Adam with α = 1e-3, minibatches of min(200, n) rows reshuffled
// each epoch, at most 200 epochs, stopping once the epoch's mean training
// loss has not improved by 1e-4 for 10 epochs (sklearn's tol and
// n_iter_no_change; not converging is a status, not an error). No weight
// decay is applied (sklearn's alpha = 1e-4 is not reproduced).
//
// Choices where users' expectations differ, named here:
//
//   - Validation: 20% of the rows are held out, per class (stratified, as
//     scikit-learn's train_test_split with stratify, and its MLP's own
//     early-stopping split), chosen by a seeded shuffle and rounded per
//     class (a class with one row stays in training). The held-out rows
//     are only scored, never used to choose anything, so their accuracy is
//     an honest estimate. A validation set may instead be given (MNIST's
//     test set).
//   - Scaling: each input column is standardised with the training rows'
//     mean and standard deviation (ddof 0, 1 for a constant column), as
//     scikit-learn's StandardScaler; the scaler is stored in the model file
//     and applied at prediction. Scaling "none" leaves inputs as they are,
//     for data already in [0, 1] such as MNIST pixels.
//   - Classes are the distinct labels, sorted numerically when all are
//     numbers and as text otherwise (the network's output k is class k).
//   - The training loss of an epoch is the running mean over its
//     minibatches (as Keras and the PyTorch examples report); the
//     validation loss is measured after the epoch.
//
// Reproducibility: one Seed drives the weights, the split and the batch
// order through separate PCG streams; matrix products are summed in a fixed
// order, so the same seed gives the same bits whatever GOMAXPROCS is.
//
// # Using a classifier
//
// A Classifier is opaque and never changes once trained or loaded, so one
// serves many goroutines; its accessors (Classes, Columns, Label, Inputs,
// Scaler, Network, Trained) return copies. PredictProba, Predict,
// Evaluate, Classify (all three at once, with text and CSV writers) and
// Hidden (the learned features of a hidden layer) take rows with the
// model's columns; CheckColumns compares the column names of data read
// from a file with the model's first.
//
// The report of a run (Report) has a typed Status (StatusConverged,
// StatusMaxEpochs) and renders itself with WriteText, as latent's command
// prints it; ClassifierOptions.Progress receives a Progress after every
// epoch.
//
// Errors follow gonum's rule. A mismatch between the sizes of arguments
// (labels for another number of rows, data with another number of columns
// than the model's) is the calling code's mistake and panics. Bad data are
// errors: ErrNoData, a value that is not finite, a single class, a label
// the model does not know. An invalid option is an *OptionError naming
// the field (Option "LR"); columns that are not the model's are a
// *ColumnsError.
//
// Two guards are shared by every trainer of latent, not only this
// package's. The divergence rule, Divergence.Check, is applied to the loss
// after every step: a loss that is not finite, leaves the range it is
// documented to take (a log-loss below 0) or grows a thousandfold over
// its first step's value stops training with a *DivergedError (errors.Is
// ErrDiverged) naming the step and the term, so that a run at a learning
// rate of 1e10 is never reported as converged. The memory guard
// (internal/memlimit's Check) refuses sizes whose arrays cannot fit, before
// they are allocated, with a *MemoryError (errors.Is ErrMemory) giving the
// estimate and the options to lower. package vae and biasvar's network
// learners call the same two.
//
// # Model files
//
// Save writes a "latent.nn" envelope (internal/modelfile) whose body holds
// the classes, input column names, label name, scaler, the network (per
// layer: activation, W as rows of weights, b) and the training settings.
// LoadClassifier validates it strictly and names what is wrong, down to the
// layer and row ("body.network.layers[1].w: 7 rows, but layer 0 has 8
// units"). MLP.State and MLPFromState let other models embed networks in
// their own files.
package nn
