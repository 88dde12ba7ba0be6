package vae

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strconv"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/nn"
)

// CheckpointKind is the kind of a checkpoint file ("latent.vae-checkpoint").
const CheckpointKind = "vae-checkpoint"

// checkpointSchema is the schema this package writes: 2, a JSON envelope
// and a binary payload (payload.go); it reads 1, all in JSON, too.
const checkpointSchema = 2

// checkpointBody is everything a run needs to continue bit for bit: the
// model, Adam's moments and step count, the position in the epoch, the
// epoch's running sums, the states of the random streams, and the
// history.
type checkpointBody struct {
	Model    modelBody    `json:"model"`
	Settings settings     `json:"settings"`
	Data     dataPrint    `json:"data"`
	Adam     nn.AdamState `json:"adam"`
	Position Position     `json:"position"`
	Sums     sums         `json:"sums"`
	// ShuffleRNG is the shuffle stream's state at the start of the
	// current epoch (at Position.Batch 0, of the next epoch).
	ShuffleRNG  string       `json:"shuffle_rng"`
	NoiseRNG    string       `json:"noise_rng"`
	BinarizeRNG string       `json:"binarize_rng"`
	History     []EpochStats `json:"history"`
	// Tensors lists the arrays of the binary payload that follows the
	// envelope (schema 2): the model's and Adam's arrays, empty above.
	Tensors []tensor `json:"tensors,omitempty"`
}

// dataPrint identifies the training data.
type dataPrint struct {
	Rows int    `json:"rows"`
	Cols int    `json:"cols"`
	Hash string `json:"hash"` // fingerprint, 16 hex digits
	// Labels is the fingerprint of the training labels of a conditional
	// run; "" otherwise.
	Labels string `json:"labels,omitempty"`
}

// save writes the run's state to its checkpoint file, atomically.
func (tr *trainer) save() error {
	shuffle := tr.shuffleStart
	if tr.pos.Batch == 0 {
		var err error
		if shuffle, err = tr.shuffle.MarshalBinary(); err != nil {
			return err
		}
	}
	noise, err := tr.noise.MarshalBinary()
	if err != nil {
		return err
	}
	bin, err := tr.binarize.MarshalBinary()
	if err != nil {
		return err
	}
	n, d := tr.x.Dims()
	b := checkpointBody{
		Model: tr.m.body(), Settings: tr.s,
		Data:     dataPrint{Rows: n, Cols: d, Hash: fmt.Sprintf("%016x", tr.hash), Labels: tr.labelHash},
		Adam:     tr.adam.State(),
		Position: tr.pos, Sums: tr.sums,
		ShuffleRNG: hex.EncodeToString(shuffle), NoiseRNG: hex.EncodeToString(noise), BinarizeRNG: hex.EncodeToString(bin),
		History: append([]EpochStats{}, tr.history...),
	}
	b.Model.Training = tr.trainedWith()
	if err := fileio.WriteFile(tr.checkpoint, func(w io.Writer) error { return writeCheckpoint(w, b) }, fileio.Options{Force: true}); err != nil {
		return fmt.Errorf("vae: checkpoint: %w", err)
	}
	tr.saved = true
	return nil
}

// Checkpoint is a training run saved by Train (Options.Checkpoint), ready
// to be continued by Resume.
type Checkpoint struct {
	// Path is the file it was read from.
	Path string
	// Model is the model at the saved position. Resume trains it further
	// in place; load the file again to resume it twice.
	Model *Model
	// At is the saved position; Epochs the run's target number of epochs.
	At     Position
	Epochs int
	// Settings are the run's settings (Epochs: those completed).
	Settings TrainedWith
	// History holds the completed epochs.
	History []EpochStats
	// Rows and Cols are the shape of the training data.
	Rows, Cols int

	body checkpointBody
}

// LoadCheckpoint reads a checkpoint file, checking it strictly (the
// envelope and the declared shapes of its binary payload, then the model
// as Load does, the optimizer state, the position and the random
// streams). Checkpoints of schema 1, all in JSON, still load.
func LoadCheckpoint(path string) (*Checkpoint, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("vae: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("vae: %w", err)
	}
	size := st.Size()
	if !st.Mode().IsRegular() {
		size = -1
	}
	return readCheckpoint(f, path, size)
}

// ReadCheckpoint is LoadCheckpoint from a reader; name is used in errors
// and as the checkpoint's Path.
func ReadCheckpoint(r io.Reader, name string) (*Checkpoint, error) {
	return readCheckpoint(r, name, -1)
}

// readCheckpoint reads a checkpoint of size bytes (−1: unknown). The
// size a checkpoint may have follows from the shapes its envelope
// declares (payload.go), not from a fixed cap.
func readCheckpoint(r io.Reader, name string, size int64) (*Checkpoint, error) {
	path := name
	b, err := readCheckpointBody(r, name, size)
	if err != nil {
		return nil, err
	}
	bad := func(format string, a ...any) error {
		return fmt.Errorf("vae: %s: %s", path, fmt.Sprintf(format, a...))
	}
	m, err := b.Model.model("body.model")
	if err != nil {
		return nil, fmt.Errorf("vae: %s: %w", path, err)
	}
	s := b.Settings
	if _, err := (Options{Epochs: s.Epochs, BatchSize: s.BatchSize, LR: s.LR, Beta: s.Beta, Warmup: s.Warmup, Anneal: s.Anneal, Cycles: s.Cycles, Ratio: s.Ratio, IWK: s.IWK, FreeBits: s.FreeBits,
		Binarize: s.Binarize, Scaling: s.Scaling}).settings(max(b.Data.Rows, 1), m.cfg.Likelihood); err != nil {
		return nil, fmt.Errorf("vae: %s: body.settings: %w", path, err)
	}
	if s.Epochs < 1 || s.BatchSize < 1 {
		return nil, bad("body.settings: epochs %d and batch_size %d must be at least 1", s.Epochs, s.BatchSize)
	}
	if (s.Scaling == "standard") != (m.shift != nil) {
		return nil, bad("body.settings.scaling: %q does not match the model's scaling", s.Scaling)
	}
	if m.Conditional() != (b.Data.Labels != "") {
		return nil, bad("body.data.labels: %q for a model with %d classes", b.Data.Labels, len(m.cfg.Classes))
	}
	if b.Data.Rows < 1 || b.Data.Cols != m.cfg.Inputs {
		return nil, bad("body.data: %d×%d data for a model of %d inputs", b.Data.Rows, b.Data.Cols, m.cfg.Inputs)
	}
	if _, err := strconv.ParseUint(b.Data.Hash, 16, 64); err != nil || len(b.Data.Hash) != 16 {
		return nil, bad("body.data.hash: %q is not 16 hex digits", b.Data.Hash)
	}
	nb := (b.Data.Rows + s.BatchSize - 1) / s.BatchSize
	if p := b.Position; p.Epoch < 0 || p.Epoch > s.Epochs || p.Batch < 0 || p.Batch >= nb || (p.Epoch == s.Epochs && p.Batch != 0) {
		return nil, bad("body.position: epoch %d, batch %d is outside a run of %d epochs of %d batches", p.Epoch, p.Batch, s.Epochs, nb)
	}
	if len(b.History) != b.Position.Epoch {
		return nil, bad("body.history: %d epochs, but the position says %d were completed", len(b.History), b.Position.Epoch)
	}
	for _, st := range []struct{ name, state string }{{"shuffle_rng", b.ShuffleRNG}, {"noise_rng", b.NoiseRNG}, {"binarize_rng", b.BinarizeRNG}} {
		if _, err := pcgFrom(st.state); err != nil {
			return nil, bad("body.%s: %v", st.name, err)
		}
	}
	// The optimizer state must fit the model: checked by SetState.
	if err := nn.NewAdam(m.Params(), nn.AdamOptions{LR: s.LR}).SetState(b.Adam); err != nil {
		return nil, bad("body.adam: %v", err)
	}
	tw := b.Model.Training
	return &Checkpoint{Path: path, Model: m, At: b.Position, Epochs: s.Epochs, Settings: tw, History: b.History,
		Rows: b.Data.Rows, Cols: b.Data.Cols, body: b}, nil
}

func pcgFrom(s string) (*rand.PCG, error) {
	raw, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("not hex: %v", err)
	}
	p := &rand.PCG{}
	if err := p.UnmarshalBinary(raw); err != nil {
		return nil, err
	}
	return p, nil
}

// ResumeOptions configure Resume. The zero value continues the run to its
// planned number of epochs, saving to the same checkpoint file.
type ResumeOptions struct {
	// Epochs is the total number of epochs; 0 means the run's own. It may
	// extend a finished run; it may not be below the epochs completed.
	Epochs int
	// Test, when not nil, is scored after every epoch (give the same test
	// rows as the original run for a comparable history).
	Test mat.Matrix
	// Checkpoint is where to keep saving; "" means the file resumed from.
	Checkpoint string
	// Labels and TestLabels are the classes of the training and test rows
	// of a conditional run: the labels it started with (checked).
	Labels, TestLabels []string
	// Progress is as in Options.
	Progress func(Progress)
}

// Resume continues the run saved in ck on the same training data x: with
// the same seed, the run resumed after an interruption ends with exactly
// the same model and losses as one that was never interrupted. It returns
// an error when x is not the data the run started on (shape or content).
func Resume(ctx context.Context, ck *Checkpoint, x mat.Matrix, opts ResumeOptions) (*Model, *Report, error) {
	b := ck.body
	n, d := x.Dims()
	if n != b.Data.Rows || d != b.Data.Cols {
		return nil, nil, fmt.Errorf("vae: %s was trained on %d×%d data, these are %d×%d; resume with the same data", ck.Path, b.Data.Rows, b.Data.Cols, n, d)
	}
	m := ck.Model
	if err := checkData(x, d, m.cfg.Likelihood, m.columns, "training data"); err != nil {
		return nil, nil, err
	}
	if opts.Test != nil {
		if err := checkData(opts.Test, d, m.cfg.Likelihood, m.columns, "test data"); err != nil {
			return nil, nil, err
		}
	}
	xd := dense(x)
	if h := fmt.Sprintf("%016x", fingerprint(xd)); h != b.Data.Hash {
		return nil, nil, fmt.Errorf("vae: %s was trained on other data (fingerprint %s, these data %s); resume with the same data", ck.Path, b.Data.Hash, h)
	}
	s := b.Settings
	if opts.Epochs != 0 {
		if opts.Epochs < b.Position.Epoch {
			return nil, nil, optionError("ResumeOptions.Epochs", opts.Epochs, "%s has completed %d epochs already", ck.Path, b.Position.Epoch)
		}
		s.Epochs = opts.Epochs
	}
	tr := newTrainer(m, xd, s)
	if m.Conditional() && opts.Labels != nil && labelFingerprint(opts.Labels) != b.Data.Labels {
		return nil, nil, fmt.Errorf("vae: %s was trained with other labels; resume with the same labels", ck.Path)
	}
	if err := tr.setLabels(opts.Labels, opts.Test, opts.TestLabels); err != nil {
		return nil, nil, err
	}
	if err := tr.adam.SetState(b.Adam); err != nil {
		return nil, nil, err
	}
	var err error
	shuffle, _ := pcgFrom(b.ShuffleRNG)
	noise, _ := pcgFrom(b.NoiseRNG)
	bin, _ := pcgFrom(b.BinarizeRNG)
	*tr.shuffle, *tr.noise, *tr.binarize = *shuffle, *noise, *bin
	tr.pos, tr.sums, tr.history = b.Position, b.Sums, append([]EpochStats{}, b.History...)
	if tr.pos.Batch > 0 {
		if tr.shuffleStart, err = tr.shuffle.MarshalBinary(); err != nil {
			return nil, nil, err
		}
		tr.startEpoch()
	}
	at := tr.pos
	tr.resumedAt = &at
	tr.saved = true
	path := opts.Checkpoint
	if path == "" {
		path = ck.Path
	}
	tr.hooks(opts.Test, path, opts.Progress)
	return tr.run(ctx)
}
