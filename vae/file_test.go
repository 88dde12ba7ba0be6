package vae

import (
	"bytes"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/modelfile"
	"github.com/latentgo/latent/internal/testutil"
)

// trainedModels returns small trained models of every kind, with the data
// they were trained on.
func trainedModels(t testing.TB) (map[string]*Model, *mat.Dense) {
	x, _ := digits01()
	x = mat.DenseCopyOf(x.Slice(0, 120, 0, 64))
	out := map[string]*Model{}
	for name, cfg := range map[string]Config{
		"bernoulli":           {Hidden: []int{8}, Latent: 2},
		"gaussian":            {Hidden: []int{8, 6}, Latent: 3, Likelihood: Gaussian, Variance: 0.5},
		"gaussian learned σ²": {Hidden: []int{8}, Latent: 2, Likelihood: Gaussian, LearnVariance: true, Activation: "tanh"},
		"autoencoder":         {Hidden: []int{}, Latent: 2, Autoencoder: true},
	} {
		m, _, err := Train(context.Background(), x, Options{Model: cfg, Epochs: 2, BatchSize: 40, Seed: 3})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = m
	}
	return out, x
}

// J-01: save, load, and every method gives the same bits; J-06: the
// loaded model is validated.
func TestSaveLoadRoundTrip(t *testing.T) {
	models, x := trainedModels(t)
	for name, m := range models {
		path := filepath.Join(t.TempDir(), "m.json")
		if err := m.Save(path, SaveOptions{}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := Load(path)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		sameBits(t, name, m, got)
		if got.cfg.Likelihood != m.cfg.Likelihood || got.cfg.Autoencoder != m.cfg.Autoencoder || got.trained != m.trained {
			t.Errorf("%s: config %+v, want %+v", name, got.cfg, m.cfg)
		}
		r1, _ := m.Reconstruct(x)
		r2, _ := got.Reconstruct(x)
		if !mat.Equal(r1, r2) {
			t.Errorf("%s: reconstructions differ after loading", name)
		}
		e1, _ := m.Evaluate(x, EvalOptions{Seed: 1})
		e2, _ := got.Evaluate(x, EvalOptions{Seed: 1})
		if e1.ELBO != e2.ELBO {
			t.Errorf("%s: ELBO %v, loaded %v", name, e1.ELBO, e2.ELBO)
		}
		data, _ := m.Marshal()
		if _, err := Read(bytes.NewReader(data), "mem"); err != nil {
			t.Errorf("%s: Read: %v", name, err)
		}
	}
}

// J-03, J-06: files of another kind, or whose layers do not chain, are
// refused with the field named.
func TestLoadRejects(t *testing.T) {
	models, _ := trainedModels(t)
	m := models["gaussian"]
	for _, c := range []struct {
		name string
		edit func(b *modelBody)
		want string
	}{
		{"kind", func(b *modelBody) { b.Kind = "gan" }, `body.kind: "gan"`},
		{"likelihood", func(b *modelBody) { b.Likelihood = "poisson" }, "body.likelihood"},
		{"latent", func(b *modelBody) { b.Latent = 4 }, "body.encoder: layer widths [64 8 6 6], but the configuration"},
		{"bias", func(b *modelBody) { b.Encoder.Layers[1].B = b.Encoder.Layers[1].B[:2] }, "body.encoder.layers[1].b: 2 biases, want 6"},
		{"chain", func(b *modelBody) { b.Decoder.Layers[1].W = b.Decoder.Layers[1].W[:5] }, "body.decoder.layers[1].w: 5 rows, but layer 0 has 6 units"},
		{"activation", func(b *modelBody) { b.Decoder.Layers[2].Activation = "relu" }, `body.decoder.layers[2].activation: "relu", want "linear"`},
		{"columns", func(b *modelBody) { b.Columns = b.Columns[:3] }, "body.columns: 3 names"},
		{"scale", func(b *modelBody) { b.Scale[7] = -1 }, "body.scale[7]: -1"},
		{"scale alone", func(b *modelBody) { b.Shift = nil }, "shift and scale go together"},
		{"logvar without learning", func(b *modelBody) { b.DecoderLogVar = make([]float64, 64) }, "body.decoder_logvar: present"},
		{"variance", func(b *modelBody) { b.Variance = -2 }, "Variance -2"},
	} {
		b := m.body()
		b.Encoder, b.Decoder = m.enc.State(), m.dec.State()
		b.Scale, b.Shift = append([]float64(nil), m.scale...), append([]float64(nil), m.shift...)
		c.edit(&b)
		data, err := modelfile.Marshal(ModelKind, modelSchema, b)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if _, err := Read(bytes.NewReader(data), "f.json"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error with %q", c.name, err, c.want)
		}
	}
	other, _ := modelfile.Marshal("nn", 1, struct{}{})
	if _, err := Read(bytes.NewReader(other), "nn.json"); !errors.Is(err, modelfile.ErrKind) {
		t.Errorf("an nn file: got %v, want ErrKind", err)
	}
}

// A checkpoint that does not hang together is refused, naming the field.
func TestCheckpointRejects(t *testing.T) {
	x, _ := digits01()
	path := filepath.Join(t.TempDir(), "c.ckpt")
	if _, _, err := Train(context.Background(), x.Slice(0, 100, 0, 64), Options{Model: Config{Hidden: []int{4}, Latent: 2}, Epochs: 2, BatchSize: 50, Seed: 1, Checkpoint: path}); err != nil {
		t.Fatal(err)
	}
	ck, err := LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		edit func(b *checkpointBody)
		want string
	}{
		{"position", func(b *checkpointBody) { b.Position.Batch = 2 }, "body.position: epoch 2, batch 2 is outside"},
		{"history", func(b *checkpointBody) { b.History = b.History[:1] }, "body.history: 1 epochs"},
		{"rng", func(b *checkpointBody) { b.NoiseRNG = "zz" }, "body.noise_rng: not hex"},
		{"rng state", func(b *checkpointBody) { b.ShuffleRNG = "00" }, "body.shuffle_rng"},
		{"adam", func(b *checkpointBody) { b.Adam.M = b.Adam.M[:3] }, "body.adam"},
		{"hash", func(b *checkpointBody) { b.Data.Hash = "xyz" }, "body.data.hash"},
		{"settings", func(b *checkpointBody) { b.Settings.LR = -1 }, "body.settings: vae: Options.LR -1"},
		{"model", func(b *checkpointBody) { b.Model.Latent = 9 }, "body.model.encoder"},
	} {
		b := ck.body
		b.History = append([]EpochStats(nil), ck.body.History...)
		b.Adam.M = append([][]float64(nil), ck.body.Adam.M...)
		c.edit(&b)
		// Schema 1, all in JSON, as earlier latents wrote it.
		data, err := modelfile.Marshal(CheckpointKind, 1, b)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if _, err := ReadCheckpoint(bytes.NewReader(data), "c.ckpt"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s, schema 1: got %v, want an error with %q", c.name, err, c.want)
		}
		// Schema 2, with the binary payload; a body whose arrays do not
		// fit its shapes cannot even be written.
		var buf bytes.Buffer
		if err := writeCheckpoint(&buf, b); err != nil {
			continue
		}
		want := c.want
		if c.name == "model" {
			// The declared latent size gives other shapes than the payload's.
			want = `body.tensors[2]: "model.encoder.layers[1].w" of shape [4 4], want "model.encoder.layers[1].w" of shape [4 18]`
		}
		if _, err := ReadCheckpoint(&buf, "c.ckpt"); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s, schema 2: got %v, want an error with %q", c.name, err, want)
		}
	}
	// A model file is not a checkpoint, and the other way round.
	if _, err := Load(path); !errors.Is(err, modelfile.ErrKind) {
		t.Errorf("Load of a checkpoint: got %v", err)
	}
}

// Encode, Decode, Sample, Reconstruct and Interpolate agree with each
// other; the autoencoder refuses what needs a prior.
func TestInference(t *testing.T) {
	models, x := trainedModels(t)
	m := models["bernoulli"]
	rng := func(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, SampleStream)) }
	a := mat.NewDense(5, 64, nil)
	if err := m.Sample(a, rng(9)); err != nil {
		t.Fatal(err)
	}
	z := mat.NewDense(5, 2, nil)
	m.SampleLatent(z, rng(9))
	b, _ := m.Decode(z)
	if !mat.Equal(a, b) {
		t.Error("Sample differs from Decode(SampleLatent)")
	}
	// The codes are the generator's normal draws in row order, as
	// Sample(n, seed) drew them before it took a generator.
	r := rng(9)
	for k, v := range z.RawMatrix().Data {
		if w := r.NormFloat64(); v != w {
			t.Fatalf("code value %d: got %v, want %v", k, v, w)
		}
	}
	// A view into a wider matrix receives the same samples.
	wide := mat.NewDense(5, 70, nil)
	view := wide.Slice(0, 5, 3, 67).(*mat.Dense)
	if err := m.Sample(view, rng(9)); err != nil || !mat.Equal(view, a) {
		t.Errorf("Sample into a view: %v, equal %v", err, mat.Equal(view, a))
	}
	c := mat.NewDense(5, 64, nil)
	if err := m.Sample(c, rng(10)); err != nil || mat.Equal(a, c) {
		t.Errorf("another seed: %v, same samples %v", err, mat.Equal(a, c))
	}
	for name, f := range map[string]func(){
		"empty dst":     func() { m.Sample(&mat.Dense{}, rng(1)) },
		"wrong columns": func() { m.Sample(mat.NewDense(2, 3, nil), rng(1)) },
		"latent width":  func() { m.SampleLatent(mat.NewDense(2, 3, nil), rng(1)) },
		"nil rng":       func() { m.SampleLatent(mat.NewDense(2, 2, nil), nil) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
	row := func(i int) []float64 { return append([]float64(nil), x.RawRowView(i)...) }
	path, err := m.Interpolate(row(0), row(1), 5)
	if err != nil {
		t.Fatal(err)
	}
	rec, _ := m.Reconstruct(x.Slice(0, 2, 0, 64))
	testutil.AssertCloseSlice(t, "start", path.RawRowView(0), rec.RawRowView(0), 1e-12, 1e-12)
	testutil.AssertCloseSlice(t, "end", path.RawRowView(4), rec.RawRowView(1), 1e-12, 1e-12)
	if _, err := m.Interpolate(row(0), row(1)[:3], 5); err == nil {
		t.Error("short row: no error")
	}
	if _, err := m.Interpolate(row(0), row(1), 1); err == nil {
		t.Error("1 step: no error")
	}
	if _, _, err := m.Encode(mat.NewDense(2, 5, nil)); err == nil || !strings.Contains(err.Error(), "5 columns") {
		t.Errorf("wrong columns: %v", err)
	}
	bad := mat.DenseCopyOf(x.Slice(0, 2, 0, 64))
	bad.Set(1, 3, math.Inf(1))
	if _, _, err := m.Encode(bad); err == nil || !strings.Contains(err.Error(), "+Inf at row 2") {
		t.Errorf("Inf: %v", err)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("Decode of codes of the wrong width did not panic")
			}
		}()
		m.Decode(mat.NewDense(1, 3, nil))
	}()
	ae := models["autoencoder"]
	if err := ae.Sample(mat.NewDense(3, 64, nil), rng(1)); !errors.Is(err, ErrAutoencoder) {
		t.Errorf("autoencoder Sample: %v", err)
	}
	if _, err := ae.LogLikelihood(context.Background(), x, IWAEOptions{K: 2}); !errors.Is(err, ErrAutoencoder) {
		t.Errorf("autoencoder LogLikelihood: %v", err)
	}
	if mu, lv, err := ae.Encode(x); err != nil || lv != nil {
		t.Errorf("autoencoder Encode: %v, log-variances %v", err, lv)
	} else if _, c := mu.Dims(); c != 2 {
		t.Errorf("autoencoder codes have %d columns", c)
	}
	// A Gaussian decoder's samples come back in the data's units.
	g := models["gaussian"]
	s := mat.NewDense(200, g.Inputs(), nil)
	if err := g.Sample(s, rng(1)); err != nil {
		t.Fatal(err)
	}
	var mean float64
	for i := 0; i < 200; i++ {
		mean += s.At(i, 20) / 200
	}
	if math.Abs(mean-g.shift[20]) > 3*g.scale[20] {
		t.Errorf("Gaussian samples of column 21 average %v; the data's mean is %v (sd %v)", mean, g.shift[20], g.scale[20])
	}
}

// The IWAE estimates do not depend on the number of workers, and a
// cancelled context stops them.
func TestIWAEWorkers(t *testing.T) {
	models, x := trainedModels(t)
	m := models["bernoulli"]
	sub := x.Slice(0, 10, 0, 64)
	a, _ := m.LogLikelihood(context.Background(), sub, IWAEOptions{K: 30, Seed: 4, Workers: 1})
	b, _ := m.LogLikelihood(context.Background(), sub, IWAEOptions{K: 30, Seed: 4, Workers: 3})
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("row %d: %v with 1 worker, %v with 3", i, a[i], b[i])
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.LogLikelihood(ctx, sub, IWAEOptions{K: 30}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// FuzzRead: any bytes either load as a valid model or give an error;
// never a panic, and a loaded model can encode a row.
func FuzzRead(f *testing.F) {
	for _, cfg := range []Config{
		{Inputs: 4, Latent: 2, Hidden: []int{3}},
		{Inputs: 3, Latent: 1, Hidden: []int{}, Autoencoder: true},
		{Inputs: 2, Latent: 1, Hidden: []int{2}, Likelihood: Gaussian, LearnVariance: true},
	} {
		m, err := New(cfg)
		if err != nil {
			f.Fatal(err)
		}
		data, _ := m.Marshal()
		f.Add(data)
	}
	f.Add([]byte(`{"format":"latent.vae","version":1,"producer":"x","created":"2026-01-01T00:00:00Z","body":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Read(bytes.NewReader(data), "fuzz")
		if err != nil {
			return
		}
		if _, _, err := m.Encode(mat.NewDense(1, m.Inputs(), nil)); err != nil {
			t.Errorf("a loaded model cannot encode: %v", err)
		}
	})
}

// FuzzReadCheckpoint: as FuzzRead, for checkpoints.
func FuzzReadCheckpoint(f *testing.F) {
	// A fresh run's state, saved before any step (training here would be
	// slow under the fuzzer's coverage instrumentation).
	path := filepath.Join(f.TempDir(), "c.ckpt")
	tr, err := prepare(twoClusters(6, 4, 1), Options{Model: Config{Hidden: []int{2}, Latent: 1}, Epochs: 1, BatchSize: 4, Seed: 1, Checkpoint: path})
	if err != nil {
		f.Fatal(err)
	}
	if err := tr.save(); err != nil {
		f.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	if v1, err := os.ReadFile(filepath.Join("testdata", "checkpoint-v1.ckpt")); err == nil {
		f.Add(v1) // schema 1, all JSON
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ReadCheckpoint(bytes.NewReader(data), "fuzz")
	})
}

// J-40 (issue 22, item 5): a checkpoint is its JSON envelope and a binary
// payload whose size follows from the shapes the envelope declares: 8
// bytes per number, exactly, nothing after; a file that is cut, padded or
// altered is refused naming what is wrong, before the payload is
// allocated.
func TestCheckpointPayload(t *testing.T) {
	x, _ := digits01()
	dir := t.TempDir()
	path := filepath.Join(dir, "c.ckpt")
	train := x.Slice(0, 100, 0, 64)
	if _, _, err := Train(context.Background(), train, Options{Model: Config{Hidden: []int{6}, Latent: 2, Likelihood: Gaussian, LearnVariance: true}, Epochs: 1, BatchSize: 50, Seed: 1, Checkpoint: path}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ck, err := LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	// The payload: the model's parameters and Adam's two moments of each.
	numbers := 3 * ck.Model.NumParams()
	end := bytes.Index(data, []byte("\n}\n")) + 3 // the envelope's end
	if got, want := len(data)-end, 8*numbers; got != want {
		t.Fatalf("payload of %d bytes, want 8 × %d numbers = %d", got, numbers, want)
	}
	if !bytes.Contains(data[:end], []byte(`"version": 2`)) || !bytes.Contains(data[:end], []byte(`"name": "adam.v[8]"`)) {
		t.Errorf("envelope:\n%s", data[:end])
	}
	v1, err := modelfile.Marshal(CheckpointKind, 1, ck.body)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) >= len(v1)/2 {
		t.Errorf("schema 2 takes %d bytes, schema 1 %d: want less than half", len(data), len(v1))
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	nan := append([]byte(nil), data...)
	copy(nan[end+8*5:], []byte{0, 0, 0, 0, 0, 0, 0xf8, 0x7f}) // a NaN as the 6th number
	shape := bytes.Replace(data, []byte("\"shape\": [\n          64,\n          6\n        ]"), []byte("\"shape\": [\n          64,\n          7\n        ]"), 1)
	huge := bytes.Replace(data, []byte(`"hidden": [
        6
      ]`), []byte(`"hidden": [
        900000000
      ]`), 1)
	for _, c := range []struct {
		name string
		file []byte
		want string
	}{
		{"cut", data[:len(data)-1], "the file holds 22751 bytes after its header, but the tensors it declares take 22752 (8 per number); the file is cut or altered"},
		{"padded", append(append([]byte(nil), data...), 0), "the file holds 22753 bytes after its header"},
		{"no payload", data[:end], "the file holds 0 bytes after its header"},
		{"NaN", nan, "model.encoder.layers[0].w[5] is NaN; a checkpoint holds finite numbers"},
		{"shape", shape, `body.tensors[0]: "model.encoder.layers[0].w" of shape [64 7], want "model.encoder.layers[0].w" of shape [64 6]`},
		{"declared hidden", huge, `body.tensors[0]: "model.encoder.layers[0].w" of shape [64 6], want "model.encoder.layers[0].w" of shape [64 900000000]`},
	} {
		if _, err := LoadCheckpoint(write(c.name, c.file)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error with %q", c.name, err, c.want)
		}
	}
	// From a reader, whose size is not known, a cut file fails on the
	// payload itself, and extra bytes after it are refused.
	if _, err := ReadCheckpoint(bytes.NewReader(data[:len(data)-1]), "c.ckpt"); err == nil || !strings.Contains(err.Error(), "the payload ends in adam.v[8], at value 63 of 64; the file is cut") {
		t.Errorf("cut, from a reader: got %v", err)
	}
	if _, err := ReadCheckpoint(bytes.NewReader(append(append([]byte(nil), data...), 1)), "c.ckpt"); err == nil || !strings.Contains(err.Error(), "unexpected data after the payload") {
		t.Errorf("padded, from a reader: got %v", err)
	}
}

// J-40, J-10: a checkpoint of schema 1 (all JSON), written by latent
// before the binary payload (testdata/checkpoint-v1.ckpt, 40 digits, one
// epoch, seed 7), still loads and resumes bit for bit as an uninterrupted
// run.
func TestCheckpointSchema1(t *testing.T) {
	ck, err := LoadCheckpoint(filepath.Join("testdata", "checkpoint-v1.ckpt"))
	if err != nil {
		t.Fatal(err)
	}
	x := Digits().Train.Slice(0, 40, 0, 64)
	_, got, err := Resume(context.Background(), ck, x, ResumeOptions{Epochs: 2, Checkpoint: filepath.Join(t.TempDir(), "c.ckpt")})
	if err != nil {
		t.Fatal(err)
	}
	_, want, err := Train(context.Background(), x, Options{Model: Config{Hidden: []int{3}, Latent: 2}, Epochs: 2, BatchSize: 20, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	sameHistory(t, "resumed from schema 1", want.Epochs, got.Epochs)
}

// J-40 (issue 22, item 5): a checkpoint larger than model files may be
// (256 MB) is written and resumed: a 2500-2500 VAE on the digits, saved
// before its first step, takes 307 MB.
func TestCheckpointOver256MB(t *testing.T) {
	testutil.Long(t, "writes and reads a 307 MB checkpoint")
	x, _ := digits01()
	path := filepath.Join(t.TempDir(), "big.ckpt")
	tr, err := prepare(x.Slice(0, 64, 0, 64), Options{Model: Config{Hidden: []int{2500, 2500}, Latent: 2}, Epochs: 1, BatchSize: 64, Seed: 1, Checkpoint: path})
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.save(); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() <= modelfile.MaxFileSize {
		t.Fatalf("%d bytes: not above the %d-byte model-file limit", st.Size(), modelfile.MaxFileSize)
	}
	ck, err := LoadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := Resume(context.Background(), ck, x.Slice(0, 64, 0, 64), ResumeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Its model file would be too large to read: Save refuses it, and
	// writes nothing.
	out := filepath.Join(t.TempDir(), "big.json")
	if err := m.Save(out, SaveOptions{}); err == nil || !strings.Contains(err.Error(), "keep the training checkpoint instead") {
		t.Errorf("Save: got %v, want a refusal", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("Save wrote %s: %v", out, err)
	}
}
