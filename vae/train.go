package vae

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/autodiff"
	"github.com/latentgo/latent/nn"
)

// Options configure Train. The zero value trains the PyTorch example's
// setting: 10 epochs of Adam with step 1e-3 on minibatches of 128 rows
// reshuffled each epoch, β = 1, no warm-up, no free bits, no
// binarisation.
type Options struct {
	// Model is the architecture; Model.Inputs 0 means the number of
	// columns of the data. Model.Seed is ignored: Seed below seeds
	// everything.
	Model Config
	// Epochs is the number of passes over the training rows; 0 means 10.
	Epochs int
	// BatchSize is the minibatch size; 0 means 128. A batch larger than
	// the data is cut to the number of rows.
	BatchSize int
	// LR is Adam's step size; 0 means 1e-3 (PyTorch's default betas and
	// eps are used).
	LR float64
	// Beta is the weight β of the KL term (Higgins et al. 2017); 0 means
	// 1, the ELBO itself. It must not be negative.
	Beta float64
	// Warmup is the number of epochs over which the KL weight rises
	// linearly, step by step, from 0 to Beta (KL annealing, Bowman et al.
	// 2016; Sønderby et al. 2016); 0 means none.
	Warmup int
	// Anneal is the schedule of the KL weight: "" or AnnealLinear is the
	// linear warm-up of Warmup epochs (none when Warmup is 0);
	// AnnealCyclical repeats a ramp from 0 to Beta Cycles times over the
	// run (Fu et al. 2019), and needs Warmup 0.
	Anneal Anneal
	// Cycles is the number of cycles of AnnealCyclical; 0 means 4, Fu et
	// al.'s setting. It must be at most the number of steps of the run.
	Cycles int
	// Ratio is the share of each cycle over which AnnealCyclical ramps β
	// up, in (0, 1]; 0 means 0.5, Fu et al.'s setting.
	Ratio float64
	// IWK is the number k of codes per row of the importance-weighted
	// bound that training maximises (IWAE, Burda et al. 2016; see
	// IWObjective); 0 and 1 mean the ELBO with its KL term in closed
	// form. k > 1 needs β = 1, no KL schedule, no free bits and a VAE.
	IWK int
	// FreeBits is λ, the KL allowance in nats per latent dimension: the
	// objective uses Σ_j max(λ, mean KL_j) over the batch (Kingma et al.
	// 2016, eq. 15); 0 means none.
	FreeBits float64
	// Binarize draws every training batch afresh as Bernoulli samples of
	// its grey levels ("dynamic binarisation", as in Burda et al. 2016);
	// the data must be in [0, 1]. The test rows are used as given
	// (binarise them once with Binarize).
	Binarize bool
	// Scaling is how the data are scaled before the networks: "none", or
	// "standard" (each column's training mean and standard deviation,
	// stored in the model). "" means none for a Bernoulli decoder, whose
	// data are in [0, 1], and standard for a Gaussian one.
	Scaling string
	// Test, when not nil, is scored (Evaluate, one code per row) after
	// every epoch.
	Test mat.Matrix
	// Labels, when not nil, are the classes of the training rows (one per
	// row), and make the model a conditional VAE (Sohn, Lee & Yan 2015):
	// the encoder and decoder take the one-hot class beside x and z. Its
	// classes are Model.Classes, or when that is nil, the distinct labels
	// sorted (ClassesOf). TestLabels are then those of the Test rows.
	Labels, TestLabels []string
	// Seed seeds the initial weights, the batch order, the noise ε and the
	// binarisation (separate streams); the same seed gives the same bits.
	Seed uint64
	// Checkpoint, when not "", is a file that receives the whole training
	// state after every epoch and when the context is cancelled,
	// atomically; Resume continues from it.
	Checkpoint string
	// Data and Columns describe the data (informative; kept in the model
	// and checkpoint: the name of a file or data set, the column names).
	Data    string
	Columns []string
	// Progress, when not nil, is called after every training step, and
	// once more at the end of every epoch with Progress.Ended set.
	Progress func(Progress)
}

// settings are the options that define a run, as kept in checkpoints.
type settings struct {
	Epochs    int     `json:"epochs"`
	BatchSize int     `json:"batch_size"`
	LR        float64 `json:"lr"`
	Beta      float64 `json:"beta"`
	Warmup    int     `json:"warmup"`
	Anneal    Anneal  `json:"anneal,omitempty"`
	Cycles    int     `json:"cycles,omitempty"`
	Ratio     float64 `json:"ratio,omitempty"`
	IWK       int     `json:"iw_k,omitempty"`
	FreeBits  float64 `json:"free_bits"`
	Binarize  bool    `json:"binarize"`
	Scaling   string  `json:"scaling"`
	Seed      uint64  `json:"seed"`
	Data      string  `json:"data"`
}

func (s settings) schedule() schedule {
	return schedule{beta: s.Beta, anneal: s.Anneal, warmup: s.Warmup, cycles: s.Cycles, ratio: s.Ratio}
}

func (o Options) settings(n int, lik Likelihood) (settings, error) {
	s := settings{Epochs: o.Epochs, BatchSize: o.BatchSize, LR: o.LR, Beta: o.Beta, Warmup: o.Warmup,
		Anneal: o.Anneal, Cycles: o.Cycles, Ratio: o.Ratio, IWK: o.IWK, FreeBits: o.FreeBits, Binarize: o.Binarize, Scaling: o.Scaling, Seed: o.Seed, Data: o.Data}
	if s.Epochs == 0 {
		s.Epochs = 10
	}
	if s.BatchSize == 0 {
		s.BatchSize = 128
	}
	if s.LR == 0 {
		s.LR = 1e-3
	}
	if s.Beta == 0 {
		s.Beta = 1
	}
	if s.Scaling == "" {
		s.Scaling = "none"
		if lik == Gaussian {
			s.Scaling = "standard"
		}
	}
	if err := s.checkAnneal(n); err != nil {
		return s, err
	}
	if err := s.checkIWK(); err != nil {
		return s, err
	}
	switch {
	case s.Epochs < 0:
		return s, optionError("Options.Epochs", s.Epochs, "must be positive")
	case s.BatchSize < 0:
		return s, optionError("Options.BatchSize", s.BatchSize, "must be positive")
	case !(s.LR > 0) || math.IsInf(s.LR, 0):
		return s, optionError("Options.LR", s.LR, "must be positive and finite")
	case !(s.Beta >= 0) || math.IsInf(s.Beta, 0):
		return s, optionError("Options.Beta", o.Beta, "must be non-negative and finite")
	case s.Warmup < 0:
		return s, optionError("Options.Warmup", s.Warmup, "must not be negative")
	case !(s.FreeBits >= 0) || math.IsInf(s.FreeBits, 0):
		return s, optionError("Options.FreeBits", s.FreeBits, "must be non-negative and finite")
	case s.Scaling != "none" && s.Scaling != "standard":
		return s, optionError("Options.Scaling", fmt.Sprintf("%q", s.Scaling), "use none or standard")
	case s.Binarize && lik != Bernoulli:
		return s, optionError("Options.Binarize", true, "needs the Bernoulli decoder")
	case s.Scaling == "standard" && lik == Bernoulli:
		return s, optionError("Options.Scaling", `"standard"`, "a Bernoulli decoder's targets must stay in [0, 1]; use none")
	}
	s.BatchSize = min(s.BatchSize, n)
	return s, nil
}

// checkAnneal fills in and checks the KL schedule. The linear schedule is
// stored as "" so that files of runs without a cyclical schedule stay as
// they were.
func (s *settings) checkAnneal(n int) error {
	switch s.Anneal {
	case "", AnnealLinear:
		s.Anneal = ""
		if s.Cycles != 0 || s.Ratio != 0 {
			return optionError("Options.Cycles", s.Cycles, "Cycles and Ratio shape the cyclical schedule; set Anneal to %q", AnnealCyclical)
		}
		return nil
	case AnnealCyclical:
	default:
		return optionError("Options.Anneal", fmt.Sprintf("%q", string(s.Anneal)), "use %q or %q", AnnealLinear, AnnealCyclical)
	}
	if s.Cycles == 0 {
		s.Cycles = 4
	}
	if s.Ratio == 0 {
		s.Ratio = 0.5
	}
	bs := min(s.BatchSize, n)
	steps := 0
	if bs > 0 && s.Epochs > 0 {
		steps = s.Epochs * ((n + bs - 1) / bs)
	}
	switch {
	case s.Warmup != 0:
		return optionError("Options.Warmup", s.Warmup, "the cyclical schedule has its own ramps; leave Warmup at 0")
	case s.Cycles < 1 || (steps > 0 && s.Cycles > steps):
		return optionError("Options.Cycles", s.Cycles, "give from 1 to the run's %d steps", steps)
	case !(s.Ratio > 0 && s.Ratio <= 1):
		return optionError("Options.Ratio", s.Ratio, "give the share of a cycle spent ramping up, in (0, 1]")
	}
	return nil
}

// checkIWK checks the importance-weighted objective's options; k = 1 is
// stored as 0, the ELBO.
func (s *settings) checkIWK() error {
	switch {
	case s.IWK < 0:
		return optionError("Options.IWK", s.IWK, "give the number of codes per row, at least 1")
	case s.IWK <= 1:
		s.IWK = 0
		return nil
	case s.Beta != 1:
		return optionError("Options.IWK", s.IWK, "the importance-weighted bound has no KL weight; leave Beta at 1")
	case s.Warmup != 0 || s.Anneal != "":
		return optionError("Options.IWK", s.IWK, "the importance-weighted bound has no KL term to anneal; leave Warmup and Anneal unset")
	case s.FreeBits != 0:
		return optionError("Options.IWK", s.IWK, "free bits apply to the ELBO's KL term; leave FreeBits at 0")
	}
	return nil
}

// Progress reports work in progress to the one hook of each options
// struct: Options.Progress and ResumeOptions.Progress after every training
// step and at the end of every epoch, IWAEOptions.Progress after every
// row.
type Progress struct {
	// Done and Total count the work: training steps of the whole run (a
	// resumed run counts the steps before it; one step per batch), or the
	// rows LogLikelihood has estimated.
	Done, Total int
	// Training only (zero for LogLikelihood): the epoch (1-based) and the
	// number of epochs, the batch of the epoch (1-based) and their number.
	Epoch, Epochs  int
	Batch, Batches int
	// Loss, Reconstruction and KL are running means over the epoch so far,
	// nats per row (the objective, and the ELBO's terms); Beta is the KL
	// weight of this step.
	Loss, Reconstruction, KL, Beta float64
	// SecondsPerBatch is the mean wall time of this session's steps.
	SecondsPerBatch float64
	// Ended, on the call that ends an epoch (after its evaluation and
	// checkpoint), is the epoch's summary; nil on the calls after a step.
	Ended *EpochStats
}

// EpochStats describe one epoch.
type EpochStats struct {
	Epoch int `json:"epoch"` // 1-based
	// Beta is the KL weight at the end of the epoch.
	Beta float64 `json:"beta"`
	// Loss is the mean objective over the epoch's steps (what Adam
	// minimised), ELBO, Reconstruction and KL the running means of the
	// ELBO and its terms over the epoch's batches, weighted by batch size,
	// in nats per row in data units (one code per row).
	Loss           float64 `json:"loss"`
	ELBO           float64 `json:"elbo"`
	Reconstruction float64 `json:"reconstruction"`
	KL             float64 `json:"kl"`
	// Test is the score on Options.Test after the epoch; nil without test
	// rows.
	Test *Eval `json:"test,omitempty"`
	// ActiveUnits and KLPerDim are the posterior-collapse monitor, on the
	// test rows, or on the first 10000 training rows without test rows.
	ActiveUnits int       `json:"active_units"`
	KLPerDim    []float64 `json:"kl_per_dim,omitempty"`
	// Seconds is the wall time of the epoch's training steps (the
	// evaluation and the checkpoint excluded).
	Seconds float64 `json:"seconds"`
}

// Status says how a training session ended.
type Status string

// The statuses of a Report.
const (
	// StatusCompleted: every epoch ran.
	StatusCompleted Status = "completed"
	// StatusStopped: the session stopped early (its context was cancelled,
	// or training diverged); the report covers the epochs completed, and
	// Train's error says why.
	StatusStopped Status = "stopped"
)

// String returns the status as it is written in JSON ("completed").
func (s Status) String() string { return string(s) }

// Report describes a training run.
type Report struct {
	// Status says whether every epoch ran.
	Status Status       `json:"status"`
	Epochs []EpochStats `json:"epochs"`
	// Encoder and Decoder are the layer widths, input first.
	Encoder []int `json:"encoder"`
	Decoder []int `json:"decoder"`
	Params  int   `json:"params"`
	// Steps is the number of optimizer steps, over all sessions.
	Steps    int         `json:"steps"`
	Settings TrainedWith `json:"settings"`
	// ResumedAt is where this session started when it resumed a
	// checkpoint (epochs completed, batches of the next epoch done).
	ResumedAt *Position `json:"resumed_at,omitempty"`
	// Seconds is the wall time of this session.
	Seconds float64 `json:"seconds"`

	cfg Config // the model's, for WriteText
}

// Position is a point in a training run.
type Position struct {
	Epoch int `json:"epoch"` // epochs completed
	Batch int `json:"batch"` // batches of the next epoch completed
}

// TrainedWith records the settings of the run that produced a model.
type TrainedWith struct {
	Kind      string  `json:"kind"` // "vae" or "autoencoder"
	Data      string  `json:"data"`
	Rows      int     `json:"rows"`
	Epochs    int     `json:"epochs"` // epochs completed
	BatchSize int     `json:"batch_size"`
	LR        float64 `json:"lr"`
	Beta      float64 `json:"beta"`
	Warmup    int     `json:"warmup"`
	// Anneal, Cycles and Ratio: the cyclical KL schedule; empty for the
	// linear one.
	Anneal Anneal  `json:"anneal,omitempty"`
	Cycles int     `json:"cycles,omitempty"`
	Ratio  float64 `json:"ratio,omitempty"`
	// IWK is the k of the importance-weighted training bound; 0 for the
	// ELBO.
	IWK      int     `json:"iw_k,omitempty"`
	FreeBits float64 `json:"free_bits"`
	Binarize bool    `json:"binarize"`
	Scaling  string  `json:"scaling"`
	Seed     uint64  `json:"seed"`
}

// DivergedError reports a run stopped by the divergence rule that every
// latent trainer shares (nn.Divergence; catalog V-07, N-40): a term or a
// gradient that stopped being finite, a term below the least value it can
// take, or an objective that grew a thousandfold over its first step's.
// Training stops at once; the last checkpoint, written at the end of an
// earlier epoch, is left as it was. It is nn's divergence error, which
// says where, which term and what to do (its Step, Epoch, Batch, Term and
// Value are promoted; Value is per row), with the checkpoint kept.
type DivergedError struct {
	*nn.DivergedError
	Checkpoint string // the checkpoint left in place, "" for none
}

// ErrDiverged is wrapped by DivergedError: nn.ErrDiverged, the sentinel of
// every trainer's divergence.
var ErrDiverged = nn.ErrDiverged

// Error says where training stopped, on which term, and what to do.
func (e *DivergedError) Error() string {
	s := e.DivergedError.Error()
	if e.Checkpoint != "" {
		s += fmt.Sprintf("; the checkpoint %s from the last completed epoch is unchanged", e.Checkpoint)
	}
	return s
}

// Unwrap returns nn's error (errors.As finds an *nn.DivergedError too).
func (e *DivergedError) Unwrap() error { return e.DivergedError }

// divergenceAdvice is what the error advises after lowering the
// learning rate.
const divergenceAdvice = "add KL warm-up, or check the data for extreme values"

// watches are the divergence rule on one session's steps: the objective
// (per row), and its two terms, which must stay finite and in range.
type watches struct {
	objective, recon, kl nn.Divergence
}

func newWatches(lik Likelihood, lr float64, iw, vamp bool) *watches {
	floor := math.Inf(-1) // a Gaussian density can exceed 1
	if lik == Bernoulli {
		floor = 0 // a Bernoulli probability cannot
	}
	objFloor := floor
	if iw {
		// An importance-weighted estimate of p(x) can exceed 1 for one
		// batch's draws (a weight p(x, z)/q(z | x) is not a probability).
		objFloor = math.Inf(-1)
	}
	d := func(term string, min, scale float64) nn.Divergence {
		return nn.Divergence{Model: "vae", Term: term, Min: min, Scale: scale, LR: lr, LROption: "Options.LR", Advice: divergenceAdvice}
	}
	klFloor := 0.0
	if vamp {
		// The VampPrior's KL is a one-draw estimate, negative at times.
		klFloor = math.Inf(-1)
	}
	return &watches{objective: d("objective", objFloor, 1), recon: d("reconstruction term", floor, math.Inf(1)), kl: d("KL term", klFloor, math.Inf(1))}
}

// InterruptedError reports a run stopped by its context between two
// steps. When the run had a checkpoint file, the state at that point was
// saved there and Resume continues exactly where it stopped.
type InterruptedError struct {
	At         Position
	Checkpoint string // "" when the run had none
	Err        error  // the context's error
}

// Error says where the run stopped and where it was saved.
func (e *InterruptedError) Error() string {
	s := fmt.Sprintf("vae: training interrupted after %d epochs and %d batches", e.At.Epoch, e.At.Batch)
	if e.Checkpoint != "" {
		s += "; saved to " + e.Checkpoint + ", resume from it"
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the context's error (context.Canceled for Ctrl-C).
func (e *InterruptedError) Unwrap() error { return e.Err }

// Train fits a VAE (or, with Options.Model.Autoencoder, a plain
// autoencoder) to the rows of x by minimising the negative ELBO with Adam
// on seeded minibatches. The context cancels training between steps; with
// a checkpoint file the state is then saved first (InterruptedError).
// A loss or gradient that is not finite stops training with a
// DivergedError. Data errors (NaN, values outside [0, 1] for a Bernoulli
// decoder, a column count that does not match Options.Model.Inputs) are
// returned before any work.
func Train(ctx context.Context, x mat.Matrix, opts Options) (*Model, *Report, error) {
	tr, err := prepare(x, opts)
	if err != nil {
		return nil, nil, err
	}
	return tr.run(ctx)
}

// prepare checks the data and options and sets up a fresh run.
func prepare(x mat.Matrix, opts Options) (*trainer, error) {
	n, d := x.Dims()
	if n == 0 || d == 0 {
		return nil, fmt.Errorf("%w: the training data are %d×%d", ErrNoData, n, d)
	}
	cfg := opts.Model
	if cfg.Inputs == 0 {
		cfg.Inputs = d
	}
	cfg.Seed = opts.Seed
	if opts.Labels != nil {
		if len(opts.Labels) != n {
			return nil, optionError("Options.Labels", len(opts.Labels), "give one label per training row (%d)", n)
		}
		if cfg.Classes == nil {
			cfg.Classes = ClassesOf(opts.Labels)
		}
	} else if cfg.Classes != nil {
		return nil, optionError("Options.Labels", "nil", "a conditional model (Model.Classes) needs the labels of the training rows")
	}
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s, err := opts.settings(n, c.Likelihood)
	if err != nil {
		return nil, err
	}
	if c.Prior == PriorVamp && s.FreeBits != 0 {
		return nil, optionError("Options.FreeBits", s.FreeBits, "free bits split the KL by dimension, which the VampPrior's does not; leave FreeBits at 0")
	}
	if c.Autoencoder && s.IWK > 1 {
		return nil, optionError("Options.IWK", s.IWK, "a plain autoencoder has no q(z | x) to weight; train a VAE")
	}
	// A step pushes k codes per row through the decoder, and the VampPrior's
	// pseudo-inputs through the encoder: as many more rows.
	if err := checkTrainMemory(c, n, s.BatchSize*max(s.IWK, 1)+c.PseudoInputs); err != nil {
		return nil, err
	}
	if err := checkData(x, c.Inputs, c.Likelihood, opts.Columns, "training data"); err != nil {
		return nil, err
	}
	if opts.Test != nil {
		if err := checkData(opts.Test, c.Inputs, c.Likelihood, opts.Columns, "test data"); err != nil {
			return nil, err
		}
	}
	m, err := New(c)
	if err != nil {
		return nil, err
	}
	if opts.Columns != nil {
		m.columns = append([]string(nil), opts.Columns...)
	}
	xd := dense(x)
	if s.Scaling == "standard" {
		m.shift, m.scale = standardScaler(xd)
	}
	if m.Vamp() {
		m.startPseudoInputs(m.toNet(xd), s.Seed)
	}
	tr := newTrainer(m, xd, s)
	if err := tr.setLabels(opts.Labels, opts.Test, opts.TestLabels); err != nil {
		return nil, err
	}
	tr.hooks(opts.Test, opts.Checkpoint, opts.Progress)
	return tr, nil
}

// setLabels keeps the classes of the training and test rows of a
// conditional model.
func (tr *trainer) setLabels(labels []string, test mat.Matrix, testLabels []string) error {
	if !tr.m.Conditional() {
		return nil
	}
	n, _ := tr.x.Dims()
	var err error
	if tr.cls, err = tr.m.classIndex(labels, n, "training data"); err != nil {
		return err
	}
	tr.labels = labels
	tr.labelHash = labelFingerprint(labels)
	if test != nil {
		nt, _ := test.Dims()
		if _, err := tr.m.classIndex(testLabels, nt, "test data"); err != nil {
			return err
		}
		tr.testLabels = testLabels
	}
	return nil
}

// trainer is a training run in progress: everything a checkpoint keeps.
type trainer struct {
	m     *Model
	x     *mat.Dense // training data as given
	xn    *mat.Dense // in the networks' units
	testX mat.Matrix
	// cls are the classes of the training rows of a conditional model
	// (nil otherwise), labels and testLabels the labels themselves, and
	// labelHash their fingerprint (for checkpoints).
	cls                []int
	labels, testLabels []string
	labelHash          string
	s                  settings
	hash               uint64
	adam               *nn.Adam
	params             []*autodiff.Node
	shuffle            *rand.PCG
	noise              *rand.PCG
	binarize           *rand.PCG
	noiseRng           *rand.Rand
	binRng             *rand.Rand
	// shuffleStart is the shuffle stream's state at the start of the
	// current epoch, from which its batch order is made again on resume.
	shuffleStart []byte
	perm         []int
	pos          Position
	sums         sums
	history      []EpochStats
	resumedAt    *Position

	checkpoint string
	saved      bool // the checkpoint file holds a state of this run
	progress   func(Progress)
	watch      *watches // the divergence rule, from this session's first step

	tape *autodiff.Tape
}

// sums are the running sums of the current epoch.
type sums struct {
	Rows    int     `json:"rows"`
	Loss    float64 `json:"loss"`
	Recon   float64 `json:"recon"`
	KL      float64 `json:"kl"`
	Seconds float64 `json:"seconds"`
}

func newTrainer(m *Model, x *mat.Dense, s settings) *trainer {
	tr := &trainer{m: m, x: x, s: s, tape: autodiff.NewTape(), watch: newWatches(m.cfg.Likelihood, s.LR, s.IWK > 1, m.Vamp())}
	tr.xn = m.toNet(x)
	tr.hash = fingerprint(x)
	tr.params = m.Params()
	tr.adam = nn.NewAdam(tr.params, nn.AdamOptions{LR: s.LR})
	tr.shuffle = rand.NewPCG(s.Seed, streamShuffle)
	tr.noise = rand.NewPCG(s.Seed, streamNoise)
	tr.binarize = rand.NewPCG(s.Seed, streamBinarize)
	tr.noiseRng, tr.binRng = rand.New(tr.noise), rand.New(tr.binarize)
	n, _ := x.Dims()
	tr.perm = make([]int, n)
	return tr
}

func (tr *trainer) hooks(test mat.Matrix, checkpoint string, progress func(Progress)) {
	tr.testX, tr.checkpoint, tr.progress = test, checkpoint, progress
}

// progressNow describes the run after its latest step, for the progress
// hook.
func (tr *trainer) progressNow(nb int, stepTime time.Duration, steps int) Progress {
	r := float64(tr.sums.Rows)
	p := Progress{Done: tr.adam.Steps(), Total: tr.s.Epochs * nb, Epoch: tr.pos.Epoch + 1, Epochs: tr.s.Epochs,
		Batch: tr.pos.Batch, Batches: nb, Loss: tr.sums.Loss / r, Beta: tr.beta(tr.adam.Steps() - 1),
		Reconstruction: tr.sums.Recon/r + tr.m.logJacobian(), KL: tr.sums.KL / r}
	if steps > 0 {
		p.SecondsPerBatch = stepTime.Seconds() / float64(steps)
	}
	return p
}

// batches returns the number of batches per epoch.
func (tr *trainer) batches() int {
	n := len(tr.perm)
	return (n + tr.s.BatchSize - 1) / tr.s.BatchSize
}

// startEpoch makes the epoch's batch order: the rows in order, shuffled
// by the shuffle stream from its state at the epoch's start.
func (tr *trainer) startEpoch() {
	for i := range tr.perm {
		tr.perm[i] = i
	}
	rand.New(tr.shuffle).Shuffle(len(tr.perm), func(i, j int) { tr.perm[i], tr.perm[j] = tr.perm[j], tr.perm[i] })
}

// beta returns the KL weight of the step after `taken` steps.
func (tr *trainer) beta(taken int) float64 {
	return tr.s.schedule().at(taken, tr.s.Epochs, tr.batches())
}

func (tr *trainer) run(ctx context.Context) (*Model, *Report, error) {
	start := time.Now()
	rep := &Report{Encoder: tr.m.enc.Sizes(), Decoder: tr.m.dec.Sizes(), Params: tr.m.NumParams(), ResumedAt: tr.resumedAt, cfg: tr.m.cfg}
	nb := tr.batches()
	var stepTime time.Duration
	stepsThisSession := 0
	for tr.pos.Epoch < tr.s.Epochs {
		if tr.pos.Batch == 0 {
			st, err := tr.shuffle.MarshalBinary()
			if err != nil {
				return nil, nil, err
			}
			tr.shuffleStart = st
			tr.startEpoch()
			tr.sums = sums{}
		}
		for tr.pos.Batch < nb {
			if err := ctx.Err(); err != nil {
				return nil, tr.report(rep, start), tr.interrupted(err)
			}
			b := tr.pos.Batch
			idx := tr.perm[b*tr.s.BatchSize : min((b+1)*tr.s.BatchSize, len(tr.perm))]
			t0 := time.Now()
			if err := tr.step(idx); err != nil {
				return nil, tr.report(rep, start), err
			}
			dt := time.Since(t0)
			stepTime += dt
			stepsThisSession++
			tr.sums.Seconds += dt.Seconds()
			tr.pos.Batch++
			if tr.progress != nil {
				tr.progress(tr.progressNow(nb, stepTime, stepsThisSession))
			}
		}
		es, err := tr.endEpoch()
		if err != nil {
			return nil, tr.report(rep, start), err
		}
		ended := tr.progressNow(nb, stepTime, stepsThisSession)
		ended.Ended = &es
		tr.history = append(tr.history, es)
		tr.pos = Position{Epoch: tr.pos.Epoch + 1}
		if tr.checkpoint != "" {
			if err := tr.save(); err != nil {
				return nil, tr.report(rep, start), err
			}
		}
		if tr.progress != nil {
			tr.progress(ended)
		}
	}
	tr.m.trained = tr.trainedWith()
	rep = tr.report(rep, start)
	rep.Status = StatusCompleted
	return tr.m, rep, nil
}

func (tr *trainer) report(rep *Report, start time.Time) *Report {
	rep.Epochs = append([]EpochStats(nil), tr.history...)
	rep.Steps = tr.adam.Steps()
	rep.Settings = tr.trainedWith()
	rep.Seconds = time.Since(start).Seconds()
	if rep.Status == "" {
		rep.Status = StatusStopped
	}
	return rep
}

func (tr *trainer) trainedWith() TrainedWith {
	kind := "vae"
	if tr.m.cfg.Autoencoder {
		kind = "autoencoder"
	} else if tr.m.Conditional() {
		kind = "cvae"
	}
	n, _ := tr.x.Dims()
	s := tr.s
	return TrainedWith{Kind: kind, Data: s.Data, Rows: n, Epochs: len(tr.history), BatchSize: s.BatchSize, LR: s.LR,
		Beta: s.Beta, Warmup: s.Warmup, Anneal: s.Anneal, Cycles: s.Cycles, Ratio: s.Ratio, IWK: s.IWK, FreeBits: s.FreeBits, Binarize: s.Binarize, Scaling: s.Scaling, Seed: s.Seed}
}

func (tr *trainer) interrupted(err error) error {
	ie := &InterruptedError{At: tr.pos, Err: err}
	if tr.checkpoint != "" {
		if serr := tr.save(); serr != nil {
			return fmt.Errorf("vae: interrupted, and saving the checkpoint failed: %w", serr)
		}
		ie.Checkpoint = tr.checkpoint
	}
	return ie
}

// step takes one Adam step on the rows idx.
func (tr *trainer) step(idx []int) error {
	m, t := tr.m, tr.tape
	d, L := m.cfg.Inputs, m.cfg.Latent
	t.Reset()
	x := t.NewConst(len(idx), d)
	raw := tr.xn.RawMatrix()
	for k, i := range idx {
		row := raw.Data[i*raw.Stride : i*raw.Stride+d]
		dst := x.Value[k*d : (k+1)*d]
		if tr.s.Binarize {
			for j, v := range row {
				if tr.binRng.Float64() < v {
					dst[j] = 1
				} else {
					dst[j] = 0
				}
			}
		} else {
			copy(dst, row)
		}
	}
	var eps *autodiff.Node
	if !m.cfg.Autoencoder {
		eps = t.NewConst(len(idx)*max(tr.s.IWK, 1), L)
		for i := range eps.Value {
			eps.Value[i] = tr.noiseRng.NormFloat64()
		}
	}
	taken := tr.adam.Steps()
	beta := tr.beta(taken)
	var cond *autodiff.Node
	if tr.cls != nil {
		C := len(m.cfg.Classes)
		cond = t.NewConst(len(idx), C)
		clear(cond.Value)
		for k, i := range idx {
			cond.Value[k*C+tr.cls[i]] = 1
		}
	}
	var terms Terms
	if tr.s.IWK > 1 {
		terms = m.IWObjectiveGiven(t, x, cond, eps, tr.s.IWK)
	} else {
		terms = m.ObjectiveGiven(t, x, cond, eps, beta, tr.s.FreeBits)
	}
	recon := sum(terms.Recon.Value)
	kl := 0.0
	if terms.KL != nil {
		kl = sum(terms.KL.Value)
	}
	step, epoch, batch := taken+1, tr.pos.Epoch+1, tr.pos.Batch+1
	stop := func(err error) error {
		de := &DivergedError{DivergedError: err.(*nn.DivergedError)}
		if tr.checkpoint != "" && tr.saved {
			de.Checkpoint = tr.checkpoint
		}
		return de
	}
	rows := float64(len(idx))
	if err := tr.watch.recon.Check(epoch, batch, step, recon/rows); err != nil {
		return stop(err)
	}
	if err := tr.watch.kl.Check(epoch, batch, step, kl/rows); err != nil {
		return stop(err)
	}
	loss := terms.Loss.Scalar()
	if err := tr.watch.objective.Check(epoch, batch, step, loss); err != nil {
		return stop(err)
	}
	t.Backward(terms.Loss)
	tr.adam.Step()
	// Adam sums each gradient as it uses it: a non-finite one is caught
	// at no extra pass. The update already happened, but the run stops
	// here and its state is never saved.
	if k := tr.adam.NonFiniteGradient(); k >= 0 {
		g := nn.Divergence{Model: "vae", Term: "gradient of the " + m.paramName(k), LR: tr.s.LR, LROption: "Options.LR", Advice: divergenceAdvice}
		return stop(g.Check(epoch, batch, step, math.NaN()))
	}
	tr.sums.Rows += len(idx)
	tr.sums.Loss += loss * float64(len(idx))
	tr.sums.Recon += recon
	tr.sums.KL += kl
	return nil
}

func sum(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// monitorRows is how many training rows the collapse monitor uses when
// there are no test rows.
const monitorRows = 10000

// endEpoch summarises the epoch and scores the test rows.
func (tr *trainer) endEpoch() (EpochStats, error) {
	r := float64(tr.sums.Rows)
	es := EpochStats{Epoch: tr.pos.Epoch + 1, Beta: tr.beta(tr.adam.Steps() - 1), Loss: tr.sums.Loss / r,
		Reconstruction: tr.sums.Recon/r + tr.m.logJacobian(), KL: tr.sums.KL / r, Seconds: tr.sums.Seconds}
	es.ELBO = -(es.Reconstruction + es.KL)
	var mon *Eval
	var err error
	if tr.testX != nil {
		es.Test, err = tr.m.Evaluate(tr.testX, EvalOptions{Seed: tr.s.Seed, Labels: tr.testLabels})
		mon = es.Test
	} else {
		n, _ := tr.x.Dims()
		var labels []string
		if tr.labels != nil {
			labels = tr.labels[:min(n, monitorRows)]
		}
		mon, err = tr.m.Evaluate(tr.x.Slice(0, min(n, monitorRows), 0, tr.m.cfg.Inputs), EvalOptions{Seed: tr.s.Seed, Labels: labels})
	}
	if err != nil {
		return es, err
	}
	es.ActiveUnits, es.KLPerDim = mon.ActiveUnits, mon.KLPerDim
	return es, nil
}
