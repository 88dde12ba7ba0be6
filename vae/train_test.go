package vae

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/testutil"
	"github.com/latentgo/latent/nn"
)

// resumeCases are runs that exercise every random stream and every piece
// of state a checkpoint keeps: the noise, dynamic binarisation, KL
// warm-up (which reads Adam's step count), a learned decoder variance, and
// the autoencoder.
func resumeCases(x *mat.Dense, test mat.Matrix) []struct {
	name string
	opts Options
} {
	small := Config{Hidden: []int{16}, Latent: 3}
	return []struct {
		name string
		opts Options
	}{
		{"bernoulli", Options{Model: small, Epochs: 3, BatchSize: 50, Test: test, Seed: 11}},
		{"binarize+warmup+freebits", Options{Model: small, Epochs: 3, BatchSize: 64, Binarize: true, Warmup: 2, FreeBits: 0.1, Seed: 12}},
		{"gaussian learned σ²", Options{Model: Config{Hidden: []int{16}, Latent: 3, Likelihood: Gaussian, LearnVariance: true}, Epochs: 3, BatchSize: 70, Seed: 13}},
		{"autoencoder", Options{Model: Config{Hidden: []int{16}, Latent: 3, Autoencoder: true}, Epochs: 3, BatchSize: 60, Seed: 14}},
		{"cyclical", Options{Model: small, Epochs: 3, BatchSize: 50, Anneal: AnnealCyclical, Cycles: 2, Ratio: 0.7, Seed: 15}},
		{"vamp", Options{Model: Config{Hidden: []int{16}, Latent: 3, Prior: PriorVamp, PseudoInputs: 7}, Epochs: 3, BatchSize: 50, Test: test, Seed: 17}},
		{"conv", Options{Model: Config{Hidden: []int{16}, Latent: 3, Arch: ArchConv, ImageH: 8, ImageW: 8, Channels: []int{4, 6}}, Epochs: 3, BatchSize: 50, Test: test, Seed: 18}},
		{"conditional IWAE k=3", Options{Model: small, Epochs: 3, BatchSize: 50, IWK: 3, Labels: resumeLabels(x), Seed: 16}},
	}
}

// resumeLabels are 3 classes cycling over the rows of x.
func resumeLabels(x *mat.Dense) []string {
	n, _ := x.Dims()
	l := make([]string, n)
	for i := range l {
		l[i] = string(rune('a' + i%3))
	}
	return l
}

// A run interrupted (context cancelled) in the middle of an epoch and
// resumed from its checkpoint ends with exactly the weights and epoch
// statistics of the uninterrupted run with the same seed; so does a run
// killed without warning, resumed from the checkpoint of the last
// completed epoch.
func TestResumeBitIdentical(t *testing.T) {
	x, _ := digits01()
	train, test := x.Slice(0, 400, 0, 64).(*mat.Dense), x.Slice(400, 500, 0, 64)
	for _, c := range resumeCases(train, test) {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			want, wantRep, err := Train(context.Background(), train, c.opts)
			if err != nil {
				t.Fatal(err)
			}

			// Interrupted in epoch 2, after its 3rd batch.
			ctx, cancel := context.WithCancel(context.Background())
			o := c.opts
			o.Checkpoint = filepath.Join(dir, "run.ckpt")
			o.Progress = func(b Progress) {
				if b.Ended == nil && b.Epoch == 2 && b.Batch == 3 {
					cancel()
				}
			}
			_, _, err = Train(ctx, train, o)
			var ie *InterruptedError
			if !errors.As(err, &ie) || !errors.Is(err, context.Canceled) || ie.Checkpoint != o.Checkpoint || ie.At != (Position{Epoch: 1, Batch: 3}) {
				t.Fatalf("interrupted: got %v (%+v)", err, ie)
			}
			ck, err := LoadCheckpoint(o.Checkpoint)
			if err != nil {
				t.Fatal(err)
			}
			if ck.At != (Position{Epoch: 1, Batch: 3}) || len(ck.History) != 1 {
				t.Fatalf("checkpoint at %+v with %d epochs of history", ck.At, len(ck.History))
			}
			got, rep, err := Resume(context.Background(), ck, train, ResumeOptions{Test: c.opts.Test, Labels: c.opts.Labels})
			if err != nil {
				t.Fatal(err)
			}
			sameBits(t, "interrupted and resumed", want, got)
			sameHistory(t, "interrupted and resumed", wantRep.Epochs, rep.Epochs)
			if rep.Steps != wantRep.Steps || rep.ResumedAt == nil || *rep.ResumedAt != ck.At {
				t.Errorf("steps %d (want %d), resumed at %v", rep.Steps, wantRep.Steps, rep.ResumedAt)
			}

			// Killed after epoch 1: only the epoch-1 checkpoint survives.
			o = c.opts
			o.Checkpoint = filepath.Join(dir, "kill.ckpt")
			saved := filepath.Join(dir, "epoch1.ckpt")
			o.Progress = func(p Progress) {
				if p.Ended != nil && p.Ended.Epoch == 1 {
					data, err := os.ReadFile(o.Checkpoint)
					if err != nil {
						t.Error(err)
					}
					os.WriteFile(saved, data, 0o644)
				}
			}
			if _, _, err := Train(context.Background(), train, o); err != nil {
				t.Fatal(err)
			}
			ck, err = LoadCheckpoint(saved)
			if err != nil {
				t.Fatal(err)
			}
			got, rep, err = Resume(context.Background(), ck, train, ResumeOptions{Test: c.opts.Test, Labels: c.opts.Labels, Checkpoint: filepath.Join(dir, "after.ckpt")})
			if err != nil {
				t.Fatal(err)
			}
			sameBits(t, "killed and resumed", want, got)
			sameHistory(t, "killed and resumed", wantRep.Epochs, rep.Epochs)
		})
	}
}

// Resume refuses other data, and may extend a finished run.
func TestResumeChecks(t *testing.T) {
	x, _ := digits01()
	train := x.Slice(0, 200, 0, 64).(*mat.Dense)
	path := filepath.Join(t.TempDir(), "c.ckpt")
	opts := Options{Model: Config{Hidden: []int{8}, Latent: 2}, Epochs: 2, BatchSize: 50, Seed: 1, Checkpoint: path}
	if _, _, err := Train(context.Background(), train, opts); err != nil {
		t.Fatal(err)
	}
	ck, err := LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	other := mat.DenseCopyOf(train)
	other.Set(17, 5, 0.5+other.At(17, 5)/2)
	if _, _, err := Resume(context.Background(), ck, other, ResumeOptions{}); err == nil || !strings.Contains(err.Error(), "other data") {
		t.Errorf("changed data: got %v", err)
	}
	if _, _, err := Resume(context.Background(), ck, x.Slice(0, 100, 0, 64), ResumeOptions{}); err == nil || !strings.Contains(err.Error(), "200×64") {
		t.Errorf("fewer rows: got %v", err)
	}
	if _, _, err := Resume(context.Background(), ck, train, ResumeOptions{Epochs: 1}); err == nil {
		t.Error("fewer epochs than completed: no error")
	}
	// A finished run extended by two epochs equals a 4-epoch run.
	_, rep, err := Resume(context.Background(), ck, train, ResumeOptions{Epochs: 4})
	if err != nil || len(rep.Epochs) != 4 {
		t.Fatalf("extend: %v, %d epochs", err, len(rep.Epochs))
	}
	opts.Epochs, opts.Checkpoint = 4, ""
	_, want, _ := Train(context.Background(), train, opts)
	sameHistory(t, "extended", want.Epochs, rep.Epochs)
}

// V-07: a weight turned NaN after epoch 1 stops training at the first
// step of epoch 2 with an error naming the step and the term; no model is
// returned, and the checkpoint of epoch 1 is left as it was, finite.
func TestDivergenceStops(t *testing.T) {
	x, _ := digits01()
	train := x.Slice(0, 300, 0, 64)
	path := filepath.Join(t.TempDir(), "d.ckpt")
	opts := Options{Model: Config{Hidden: []int{8}, Latent: 2}, Epochs: 3, BatchSize: 100, Seed: 1, Checkpoint: path}
	tr, err := prepare(train, opts)
	if err != nil {
		t.Fatal(err)
	}
	tr.progress = func(p Progress) {
		if p.Ended != nil && p.Ended.Epoch == 1 {
			tr.m.dec.Layers[1].W.Value[0] = math.NaN()
		}
	}
	m, _, err := tr.run(context.Background())
	var de *DivergedError
	if !errors.As(err, &de) || !errors.Is(err, ErrDiverged) || m != nil {
		t.Fatalf("got model %v, error %v; want a DivergedError", m, err)
	}
	// 300 rows in batches of 100: epoch 2 starts at step 4.
	if de.Step != 4 || de.Epoch != 2 || de.Batch != 1 || de.Term != "reconstruction term" || de.Checkpoint != path {
		t.Errorf("got %+v", de)
	}
	for _, want := range []string{"step 4", "epoch 2, batch 1", "reconstruction term is NaN", path + " from the last completed epoch is unchanged"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	ck, err := LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	if ck.At.Epoch != 1 {
		t.Errorf("checkpoint at %+v, want after epoch 1", ck.At)
	}

	// A learning rate of 1e100 blows the weights up at once: the first
	// non-finite term is reported, and no checkpoint exists yet.
	_, _, err = Train(context.Background(), train, Options{Model: Config{Hidden: []int{8}, Latent: 2}, Epochs: 2, BatchSize: 100, LR: 1e100, Seed: 1})
	if !errors.As(err, &de) || de.Checkpoint != "" {
		t.Errorf("LR 1e100: got %v", err)
	}
	t.Logf("LR 1e100: %v", err)
}

// N-40: a finite objective that grows a thousandfold over its first step
// is divergence too (an ELBO of −3.9e31 used to end a run that "completed"),
// for either decoder, with the learning rate to lower.
func TestFiniteDivergenceStops(t *testing.T) {
	x, _ := digits01()
	train := x.Slice(0, 300, 0, 64)
	for _, lik := range []Likelihood{Bernoulli, Gaussian} {
		m, rep, err := Train(context.Background(), train, Options{Model: Config{Hidden: []int{8}, Latent: 2, Likelihood: lik}, Epochs: 5, BatchSize: 50, LR: 1e10, Seed: 1})
		var de *DivergedError
		var nde *nn.DivergedError
		if !errors.As(err, &de) || !errors.As(err, &nde) || !errors.Is(err, ErrDiverged) || m != nil {
			t.Fatalf("%s: got model %v, error %v; want a DivergedError", lik, m, err)
		}
		if de.Rule != nn.RuleGrowth || de.Term != "objective" || de.Step < 2 || rep.Status != StatusStopped {
			t.Errorf("%s: got %+v, status %s; want the growth rule on the objective", lik, de.DivergedError, rep.Status)
		}
		if !strings.Contains(err.Error(), "; lower the learning rate Options.LR (1e+10), or add KL warm-up") {
			t.Errorf("%s: message %q", lik, err)
		}
	}
}

// V-08: the same seed gives bit-identical weights and loss trajectories,
// with one thread or two.
func TestSameSeedSameBits(t *testing.T) {
	x, _ := digits01()
	train, test := x.Slice(0, 300, 0, 64), x.Slice(300, 400, 0, 64)
	opts := Options{Model: Config{Hidden: []int{32}, Latent: 4}, Epochs: 2, BatchSize: 32, Test: test, Binarize: true, Seed: 5}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(1)
	a, ra, err := Train(context.Background(), train, opts)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GOMAXPROCS(2)
	b, rb, err := Train(context.Background(), train, opts)
	if err != nil {
		t.Fatal(err)
	}
	sameBits(t, "same seed", a, b)
	sameHistory(t, "same seed", ra.Epochs, rb.Epochs)
	opts.Seed = 6
	c, _, _ := Train(context.Background(), train, opts)
	if c.dec.Layers[0].W.Value[0] == a.dec.Layers[0].W.Value[0] {
		t.Error("another seed gave the same weights")
	}
}

// V-09: on toy two-cluster binary data the ELBO after training exceeds the
// initial model's; the reported per-row ELBO does not depend on how many
// rows are evaluated at once, and the objective is a mean over rows (a
// batch and the same batch twice have the same loss).
func TestELBOImprovesAndIsPerRow(t *testing.T) {
	x := twoClusters(200, 16, 1)
	opts := Options{Model: Config{Hidden: []int{8}, Latent: 2}, Epochs: 30, BatchSize: 20, Seed: 2}
	m0, err := New(Config{Inputs: 16, Hidden: []int{8}, Latent: 2, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	e0, _ := m0.Evaluate(x, EvalOptions{})
	m, rep, err := Train(context.Background(), x, opts)
	if err != nil {
		t.Fatal(err)
	}
	e1, _ := m.Evaluate(x, EvalOptions{})
	if !(e1.ELBO > e0.ELBO+1) {
		t.Errorf("ELBO %v after %d epochs, %v before", e1.ELBO, len(rep.Epochs), e0.ELBO)
	}
	// Evaluated 1, 7 or all rows at a time.
	var elbos []float64
	for _, chunk := range []int{1, 7, 1000} {
		e, err := m.evaluate(x, EvalOptions{Seed: 3}, chunk)
		if err != nil {
			t.Fatal(err)
		}
		elbos = append(elbos, e.ELBO)
	}
	testutil.AssertCloseSlice(t, "ELBO by chunk size", elbos, []float64{elbos[2], elbos[2], elbos[2]}, 1e-12, 1e-12)
	// The objective is a mean: the batch stacked twice has the same loss.
	twice := mat.NewDense(400, 16, nil)
	twice.Stack(x, x)
	a, _ := m.Evaluate(x, EvalOptions{})
	b, _ := m.Evaluate(twice, EvalOptions{})
	testutil.AssertClose(t, "KL of x and of x twice", b.KL, a.KL, 1e-12, 1e-12)
}

// V-10: the collapse monitor. An encoder that maps every x to the prior
// (μ = 0, log σ² = 0) has no active unit and KL 0, and is flagged; a
// β-VAE with a crushing KL weight collapses while training, and the
// monitor shows it in the epoch statistics.
func TestCollapseMonitor(t *testing.T) {
	x := twoClusters(100, 16, 3)
	m, err := New(Config{Inputs: 16, Hidden: []int{8}, Latent: 3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	last := m.enc.Layers[len(m.enc.Layers)-1]
	clear(last.W.Value)
	clear(last.B.Value)
	e, err := m.Evaluate(x, EvalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if e.ActiveUnits != 0 || !e.Collapsed || e.KL != 0 {
		t.Errorf("prior encoder: %d active units, collapsed %v, KL %v; want 0, true, 0", e.ActiveUnits, e.Collapsed, e.KL)
	}
	// A healthy model on the same data uses its code.
	good, rep, err := Train(context.Background(), x, Options{Model: Config{Hidden: []int{8}, Latent: 3}, Epochs: 40, BatchSize: 10, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	if last := rep.Epochs[len(rep.Epochs)-1]; last.ActiveUnits == 0 {
		t.Errorf("β = 1: no active unit (KL per dim %v)", last.KLPerDim)
	}
	_ = good
	// β = 200: the KL term dominates and the posterior collapses.
	_, rep, err = Train(context.Background(), x, Options{Model: Config{Hidden: []int{8}, Latent: 3}, Epochs: 40, BatchSize: 10, Beta: 200, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	if last := rep.Epochs[len(rep.Epochs)-1]; last.ActiveUnits != 0 || last.KL > 0.05 {
		t.Errorf("β = 200: %d active units, KL %v; want collapse", last.ActiveUnits, last.KL)
	}
}

// V-11: KL warm-up ramps β step by step from 0 to its value and changes
// the training trajectory; free bits change it too.
func TestWarmupAndFreeBitsTrain(t *testing.T) {
	x := twoClusters(100, 16, 5)
	base := Options{Model: Config{Hidden: []int{8}, Latent: 2}, Epochs: 3, BatchSize: 25, Seed: 1}
	_, r0, err := Train(context.Background(), x, base)
	if err != nil {
		t.Fatal(err)
	}
	w := base
	w.Warmup = 2
	var betas []float64
	w.Progress = func(p Progress) {
		if p.Ended == nil {
			betas = append(betas, p.Beta)
		}
	}
	_, r1, err := Train(context.Background(), x, w)
	if err != nil {
		t.Fatal(err)
	}
	// 4 batches per epoch, 2 warm-up epochs: β = 1/8, 2/8, …, 1, then 1.
	for i, b := range betas {
		want := min(1, float64(i+1)/8)
		if b != want {
			t.Errorf("step %d: β %v, want %v", i+1, b, want)
		}
	}
	if r1.Epochs[0].Beta != 0.5 || r1.Epochs[1].Beta != 1 {
		t.Errorf("epoch β %v, %v; want 0.5, 1", r1.Epochs[0].Beta, r1.Epochs[1].Beta)
	}
	if r1.Epochs[0].Loss == r0.Epochs[0].Loss {
		t.Error("warm-up did not change the loss")
	}
	f := base
	f.FreeBits = 1
	_, r2, _ := Train(context.Background(), x, f)
	if r2.Epochs[0].Loss == r0.Epochs[0].Loss {
		t.Error("free bits did not change the loss")
	}
}

// V-12: one latent dimension, batches of one row, a data set smaller than
// a batch, a single row: each trains without a shape or index panic.
func TestEdgeShapes(t *testing.T) {
	x := twoClusters(5, 6, 1)
	for _, c := range []struct {
		name string
		x    mat.Matrix
		opts Options
	}{
		{"latent 1", x, Options{Model: Config{Hidden: []int{4}, Latent: 1}, Epochs: 2, BatchSize: 2}},
		{"batch 1", x, Options{Model: Config{Hidden: []int{4}, Latent: 2}, Epochs: 2, BatchSize: 1}},
		{"fewer rows than a batch", x, Options{Model: Config{Hidden: []int{4}, Latent: 2}, Epochs: 2, BatchSize: 128}},
		{"one row", x.Slice(0, 1, 0, 6), Options{Model: Config{Hidden: []int{4}, Latent: 2}, Epochs: 2}},
		{"autoencoder, latent 1, batch 1", x, Options{Model: Config{Hidden: []int{}, Latent: 1, Autoencoder: true}, Epochs: 2, BatchSize: 1}},
	} {
		m, rep, err := Train(context.Background(), c.x, c.opts)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if len(rep.Epochs) != 2 || !finite(rep.Epochs[1].ELBO) {
			t.Errorf("%s: %d epochs, last ELBO %v", c.name, len(rep.Epochs), rep.Epochs[len(rep.Epochs)-1].ELBO)
		}
		if _, err := m.Reconstruct(c.x); err != nil {
			t.Errorf("%s: reconstruct: %v", c.name, err)
		}
	}
}

// V-04: a Bernoulli decoder refuses values outside [0, 1], naming the row
// and column and pointing to the Gaussian decoder; the Gaussian decoder
// takes the same data.
func TestBernoulliRange(t *testing.T) {
	x, _ := digits01()
	raw := mat.DenseCopyOf(x.Slice(0, 50, 0, 64))
	raw.Scale(16, raw) // the digits as shipped: 0 … 16
	_, _, err := Train(context.Background(), raw, Options{Epochs: 1})
	if !errors.Is(err, ErrRange) {
		t.Fatalf("got %v, want ErrRange", err)
	}
	for _, want := range []string{"row 1", "column", "outside [0, 1]", "divide by 16", "Gaussian decoder", "Config.Likelihood"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	if _, _, err := Train(context.Background(), raw, Options{Model: Config{Likelihood: Gaussian, Hidden: []int{8}, Latent: 2}, Epochs: 1}); err != nil {
		t.Errorf("Gaussian decoder on 0…16: %v", err)
	}
	m := tinyModel(t, 64, 2)
	if _, err := m.Evaluate(raw, EvalOptions{}); !errors.Is(err, ErrRange) {
		t.Errorf("Evaluate: got %v, want ErrRange", err)
	}
	if _, err := Binarize(raw, 1); !errors.Is(err, ErrRange) {
		t.Errorf("Binarize: got %v, want ErrRange", err)
	}
}

// Data and option errors come before any work, and name the problem.
func TestTrainErrors(t *testing.T) {
	x := twoClusters(10, 4, 1)
	nan := mat.DenseCopyOf(x)
	nan.Set(3, 2, math.NaN())
	for _, c := range []struct {
		name string
		x    mat.Matrix
		opts Options
		want string
	}{
		{"empty", &mat.Dense{}, Options{}, "no data"},
		{"NaN", nan, Options{}, "NaN at row 4, column 3"},
		{"negative epochs", x, Options{Epochs: -1}, "Epochs"},
		{"negative beta", x, Options{Beta: -1}, "Beta"},
		{"bad scaling", x, Options{Scaling: "minmax"}, "Scaling"},
		{"binarize gaussian", x, Options{Model: Config{Likelihood: Gaussian}, Binarize: true}, "Binarize"},
		{"standard bernoulli", x, Options{Scaling: "standard"}, "Bernoulli"},
		{"latent", x, Options{Model: Config{Latent: -2}}, "Latent"},
		{"inputs", x, Options{Model: Config{Inputs: 3}}, "columns"},
		{"test columns", x, Options{Test: mat.NewDense(2, 3, nil)}, "test data have 3 columns"},
	} {
		_, _, err := Train(context.Background(), c.x, c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error with %q", c.name, err, c.want)
		}
	}
}

// The Gaussian decoder with standard scaling reports the ELBO in the
// data's units: data doubled (an exact scaling in floating point) train
// to the same network bit for bit, and their ELBO is lower by d·log 2, the
// log-Jacobian of the scaling.
func TestGaussianScalingUnits(t *testing.T) {
	x, _ := digits01()
	a := mat.DenseCopyOf(x.Slice(0, 200, 0, 64))
	b := mat.DenseCopyOf(a)
	b.Scale(2, b)
	opts := Options{Model: Config{Likelihood: Gaussian, Hidden: []int{16}, Latent: 3}, Epochs: 2, BatchSize: 50, Seed: 3}
	ma, ra, err := Train(context.Background(), a, opts)
	if err != nil {
		t.Fatal(err)
	}
	mb, rb, err := Train(context.Background(), b, opts)
	if err != nil {
		t.Fatal(err)
	}
	sameBits(t, "scaled data", ma, mb)
	// Constant columns keep the scale 1 (as scikit-learn's StandardScaler),
	// so only the others carry the factor 2.
	varying := 0
	for _, s := range ma.scale {
		if s != 1 {
			varying++
		}
	}
	testutil.AssertClose(t, "ELBO shift", ra.Epochs[1].ELBO-rb.Epochs[1].ELBO, float64(varying)*math.Ln2, 1e-9, 0)
	// Reconstructions come back in data units.
	r, _ := mb.Reconstruct(b.Slice(0, 1, 0, 64))
	ra2, _ := ma.Reconstruct(a.Slice(0, 1, 0, 64))
	testutil.AssertClose(t, "reconstruction in data units", r.At(0, 10), 2*ra2.At(0, 10), 1e-12, 1e-12)
}

// Bad options are OptionErrors that name the option as a Go user writes
// it, returned before any work.
func TestOptionErrors(t *testing.T) {
	x, _ := digits01()
	x = mat.DenseCopyOf(x.Slice(0, 20, 0, 64))
	for _, c := range []struct {
		opts   Options
		option string
	}{
		{Options{Epochs: -1}, "Options.Epochs"},
		{Options{BatchSize: -2}, "Options.BatchSize"},
		{Options{LR: math.Inf(1)}, "Options.LR"},
		{Options{Beta: -1}, "Options.Beta"},
		{Options{Warmup: -1}, "Options.Warmup"},
		{Options{FreeBits: math.NaN()}, "Options.FreeBits"},
		{Options{Scaling: "minmax"}, "Options.Scaling"},
		{Options{Scaling: "standard"}, "Options.Scaling"},
		{Options{Binarize: true, Model: Config{Likelihood: Gaussian}}, "Options.Binarize"},
		{Options{Model: Config{Latent: -1}}, "Config.Latent"},
		{Options{Model: Config{Hidden: []int{4, 0}}}, "Config.Hidden[1]"},
		{Options{Model: Config{Likelihood: Gaussian, Variance: -1}}, "Config.Variance"},
		{Options{Model: Config{Init: "orthogonal"}}, "Config.Init"},
	} {
		_, _, err := Train(context.Background(), x, c.opts)
		var oe *OptionError
		if !errors.As(err, &oe) || oe.Option != c.option {
			t.Errorf("%+v: got %v, want an OptionError on %s", c.opts, err, c.option)
		} else if !strings.HasPrefix(err.Error(), "vae: "+c.option+" ") {
			t.Errorf("%s: message %q does not start with the option", c.option, err)
		}
	}
	m, _ := New(Config{Inputs: 64, Latent: 2, Hidden: []int{4}})
	if _, err := m.Evaluate(x, EvalOptions{Samples: -1}); !errors.As(err, new(*OptionError)) {
		t.Errorf("Evaluate, Samples −1: got %v, want an OptionError", err)
	}
	if _, err := m.LogLikelihood(context.Background(), x, IWAEOptions{K: -1}); !errors.As(err, new(*OptionError)) {
		t.Errorf("LogLikelihood, K −1: got %v, want an OptionError", err)
	}
}

// The one progress hook: a call per step counting the run's steps, then
// one per epoch with its summary; a resumed run goes on counting; IWAE
// counts its rows.
func TestProgress(t *testing.T) {
	x, _ := digits01()
	x = mat.DenseCopyOf(x.Slice(0, 50, 0, 64))
	var steps, ends []int
	opts := Options{Model: Config{Hidden: []int{4}, Latent: 2}, Epochs: 2, BatchSize: 20, Seed: 1,
		Checkpoint: filepath.Join(t.TempDir(), "p.ckpt")}
	opts.Progress = func(p Progress) {
		if p.Total != 6 || p.Epochs != 2 || p.Batches != 3 {
			t.Errorf("%+v: want 6 steps, 2 epochs of 3 batches", p)
		}
		if p.Ended != nil {
			if p.Ended.Epoch != p.Epoch || p.Batch != 3 {
				t.Errorf("end of epoch %d at %d/%d", p.Ended.Epoch, p.Epoch, p.Batch)
			}
			ends = append(ends, p.Done)
			return
		}
		if want := (p.Epoch-1)*p.Batches + p.Batch; p.Done != want {
			t.Errorf("epoch %d batch %d: Done %d, want %d", p.Epoch, p.Batch, p.Done, want)
		}
		steps = append(steps, p.Done)
	}
	_, rep, err := Train(context.Background(), x, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(steps, ends), "[1 2 3 4 5 6] [3 6]"; got != want {
		t.Errorf("got steps and epoch ends %s, want %s", got, want)
	}
	if rep.Status != StatusCompleted || rep.Status.String() != "completed" {
		t.Errorf("got status %v, want completed", rep.Status)
	}
	ck, err := LoadCheckpoint(opts.Checkpoint)
	if err != nil {
		t.Fatal(err)
	}
	var resumed []int
	if _, _, err := Resume(context.Background(), ck, x, ResumeOptions{Epochs: 3, Progress: func(p Progress) {
		if p.Ended == nil {
			resumed = append(resumed, p.Done)
		}
	}}); err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(resumed), "[7 8 9]"; got != want {
		t.Errorf("resumed: got steps %s, want %s", got, want)
	}
	m, _ := New(Config{Inputs: 64, Latent: 2, Hidden: []int{4}})
	var rows []int
	if _, err := m.LogLikelihood(context.Background(), x.Slice(0, 5, 0, 64), IWAEOptions{K: 3, Workers: 1, Progress: func(p Progress) {
		if p.Total != 5 {
			t.Errorf("IWAE progress %+v: want a total of 5 rows", p)
		}
		rows = append(rows, p.Done)
	}}); err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(rows), "[1 2 3 4 5]"; got != want {
		t.Errorf("IWAE: got rows done %s, want %s", got, want)
	}
}

// C-45: sizes that cannot fit in memory are refused before they are
// allocated, naming the option to lower: the networks (New, Train), the
// codes per row of Evaluate and the samples of LogLikelihood.
func TestMemoryGuard(t *testing.T) {
	x, _ := digits01()
	train := x.Slice(0, 100, 0, 64)
	_, err := New(Config{Inputs: 64, Latent: 2, Hidden: []int{1 << 36}})
	if !errors.Is(err, ErrMemory) || !strings.HasSuffix(err.Error(), "; lower Config.Hidden") {
		t.Errorf("New: got %v, want ErrMemory naming Config.Hidden", err)
	}
	_, _, err = Train(context.Background(), train, Options{Model: Config{Latent: 2, Hidden: []int{100000000}}, Epochs: 1})
	var me *MemoryError
	if !errors.As(err, &me) || !strings.HasSuffix(err.Error(), "; lower Config.Hidden or Options.BatchSize") {
		t.Errorf("Train: got %v, want a *MemoryError naming Config.Hidden and Options.BatchSize", err)
	}
	m, _, err := Train(context.Background(), train, Options{Model: Config{Latent: 2, Hidden: []int{8}}, Epochs: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Evaluate(train, EvalOptions{Samples: 1 << 50}); !errors.Is(err, ErrMemory) || !strings.HasSuffix(err.Error(), "lower EvalOptions.Samples") {
		t.Errorf("Evaluate: got %v", err)
	}
	if _, err := m.LogLikelihood(context.Background(), train, IWAEOptions{K: 1 << 50}); !errors.Is(err, ErrMemory) || !strings.HasSuffix(err.Error(), "lower IWAEOptions.K") {
		t.Errorf("LogLikelihood: got %v", err)
	}
}

// V-40: the reconstruction term at the posterior mean, which 'latent vae
// reconstruct' prints: for an autoencoder (no noise) it is Evaluate's
// reconstruction term exactly, also with standardised Gaussian data in
// data units; for a VAE it is finite and in the units of Evaluate's.
func TestReconstructionTerm(t *testing.T) {
	x, _ := digits01()
	train := x.Slice(0, 200, 0, 64)
	for _, cfg := range []Config{
		{Hidden: []int{8}, Latent: 2, Autoencoder: true},
		{Hidden: []int{8}, Latent: 2, Autoencoder: true, Likelihood: Gaussian},
		{Hidden: []int{8}, Latent: 2},
	} {
		m, _, err := Train(context.Background(), train, Options{Model: cfg, Epochs: 2, BatchSize: 50, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		got, err := m.ReconstructionTerm(train)
		if err != nil {
			t.Fatal(err)
		}
		ev, err := m.Evaluate(train, EvalOptions{Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Autoencoder && !testutil.Close(got, ev.Reconstruction, 1e-12, 1e-12) {
			t.Errorf("%+v: got %v, want Evaluate's %v", cfg, got, ev.Reconstruction)
		}
		if !cfg.Autoencoder && !(got > 0 && got < 2*ev.Reconstruction) {
			t.Errorf("%+v: got %v, Evaluate's (one noisy code) %v", cfg, got, ev.Reconstruction)
		}
	}
}
