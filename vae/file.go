package vae

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"regexp"
	"slices"

	"github.com/latentgo/latent/autodiff"
	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/internal/modelfile"
	"github.com/latentgo/latent/nn"
)

// ModelKind is the kind of a model file ("latent.vae"), for VAEs and plain
// autoencoders alike.
const ModelKind = "vae"

// modelSchema is the schema version this package reads up to. Files are
// written as version 1 unless they need 2: version 2 adds the classes of
// a conditional VAE (Config.Classes), which version 1 files may not hold.
const modelSchema = 2

// modelBody is a model as stored in a file.
type modelBody struct {
	Kind          string        `json:"kind"` // vae or autoencoder
	Likelihood    Likelihood    `json:"likelihood"`
	Inputs        int           `json:"inputs"`
	Latent        int           `json:"latent"`
	Hidden        []int         `json:"hidden"`
	Activation    nn.Activation `json:"activation"`
	Variance      float64       `json:"variance,omitempty"`
	LearnVariance bool          `json:"learn_variance,omitempty"`
	DecoderLogVar []float64     `json:"decoder_logvar,omitempty"`
	Columns       []string      `json:"columns"`
	Shift         []float64     `json:"shift,omitempty"`
	Scale         []float64     `json:"scale,omitempty"`
	Encoder       nn.MLPState   `json:"encoder"`
	Decoder       nn.MLPState   `json:"decoder"`
	Training      TrainedWith   `json:"training"`
	// Classes are a conditional VAE's class names (schema 2).
	Classes []string `json:"classes,omitempty"`
	// Prior is "vamp" for the VampPrior, with its pseudo-inputs, one per
	// row, in the networks' units before any clamp (schema 2); empty for
	// N(0, I).
	Prior        Prior       `json:"prior,omitempty"`
	PseudoCount  int         `json:"pseudo_count,omitempty"`
	PseudoInputs [][]float64 `json:"pseudo_inputs,omitempty"`
	// Arch is "conv" for the convolutional architecture, with the image
	// shape, the channels and the layers (schema 2); empty for the MLP.
	Arch        Arch        `json:"arch,omitempty"`
	ImageH      int         `json:"image_h,omitempty"`
	ImageW      int         `json:"image_w,omitempty"`
	Channels    []int       `json:"channels,omitempty"`
	EncoderConv []ConvState `json:"encoder_conv,omitempty"`
	DecoderConv []ConvState `json:"decoder_conv,omitempty"`
}

func (m *Model) body() modelBody {
	c := m.cfg
	kind := "vae"
	if c.Autoencoder {
		kind = "autoencoder"
	}
	cols := m.columns
	if cols == nil {
		cols = make([]string, c.Inputs)
	}
	b := modelBody{Kind: kind, Likelihood: c.Likelihood, Inputs: c.Inputs, Latent: c.Latent,
		Hidden: append([]int{}, c.Hidden...), Activation: c.Activation, Variance: c.Variance, LearnVariance: c.LearnVariance,
		Columns: cols, Shift: m.shift, Scale: m.scale, Encoder: m.enc.State(), Decoder: m.dec.State(), Training: m.trained,
		Classes: m.Classes(), Prior: c.Prior, Arch: c.Arch, ImageH: c.ImageH, ImageW: c.ImageW, Channels: c.Channels,
		EncoderConv: convState(m.encConv), DecoderConv: convState(m.decConv)}
	if m.pseudo != nil {
		b.PseudoCount = c.PseudoInputs
		b.PseudoInputs = make([][]float64, c.PseudoInputs)
		for k := range b.PseudoInputs {
			b.PseudoInputs[k] = append([]float64(nil), m.pseudo.Value[k*c.Inputs:(k+1)*c.Inputs]...)
		}
	}
	if m.logVar != nil {
		b.DecoderLogVar = append([]float64(nil), m.logVar.Value...)
	}
	return b
}

// SaveOptions controls Save. It is the options type of latent's atomic
// writer: Force replaces an existing file (otherwise Save refuses it), and
// Inputs lists files Save must never replace (the data the model was read
// from, say). The zero value refuses to replace anything.
type SaveOptions = fileio.Options

// Save writes the model to path as a "latent.vae" model file, atomically:
// a temporary file in the same folder, synced, then renamed. A model
// whose file would be larger than Load reads (modelfile.MaxFileSize,
// about 7 million parameters) is an error, and nothing is written: a file
// latent writes, latent reads. Such a model lives in its training
// checkpoint, whose size has no such cap, and which latent's commands
// read as a model.
func (m *Model) Save(path string, opts SaveOptions) error {
	data, err := m.Marshal()
	if err != nil {
		return err
	}
	if len(data) > modelfile.MaxFileSize {
		return fmt.Errorf("vae: %s: the model file would take %d bytes (%d parameters as JSON text), more than the %d that model files may have; keep the training checkpoint instead, which every command reads as the model", path, len(data), m.NumParams(), modelfile.MaxFileSize)
	}
	return fileio.WriteBytes(path, data, opts)
}

// Marshal returns the model file as bytes.
func (m *Model) Marshal() ([]byte, error) {
	schema := 1
	if m.Conditional() || m.Vamp() || m.cfg.Arch == ArchConv {
		schema = 2
	}
	return modelfile.Marshal(ModelKind, schema, m.body())
}

// Load reads a model written by Save, checking the envelope strictly and
// then the model (catalog J-06): the layer shapes chain from the inputs
// through the hidden layers to the latent parameters and back, the
// activations are the configured ones with linear output layers, the
// scaling and decoder variance fit, and every number is finite. Errors
// name the file and the field.
func Load(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("modelfile: %w", err)
	}
	defer f.Close()
	return Read(f, path)
}

// Read is Load from a reader; name is used in errors.
func Read(r io.Reader, name string) (*Model, error) {
	// A checkpoint (whose binary payload follows its envelope, and may be
	// larger than a model file) is told by its first bytes: ErrKind, so
	// that a caller can read it with LoadCheckpoint instead.
	br := bufio.NewReader(r)
	if head, _ := br.Peek(512); formatOf(head) == "latent."+CheckpointKind {
		return nil, fmt.Errorf("modelfile: %s: %w: it holds a %q model, want %q", name, modelfile.ErrKind, CheckpointKind, ModelKind)
	}
	var b modelBody
	h, err := modelfile.Read(br, name, ModelKind, modelSchema, &b)
	if err != nil {
		return nil, err
	}
	if h.Version < 2 && b.Classes != nil {
		return nil, fmt.Errorf("vae: %s: body.classes: a version %d file cannot hold a conditional model (version 2 can)", name, h.Version)
	}
	if h.Version < 2 && (b.Arch != "" || b.EncoderConv != nil || b.DecoderConv != nil) {
		return nil, fmt.Errorf("vae: %s: body.arch: a version %d file cannot hold a convolutional model (version 2 can)", name, h.Version)
	}
	if h.Version < 2 && (b.Prior != "" || b.PseudoInputs != nil) {
		return nil, fmt.Errorf("vae: %s: body.prior: a version %d file cannot hold a VampPrior (version 2 can)", name, h.Version)
	}
	m, err := b.model("body")
	if err != nil {
		return nil, fmt.Errorf("vae: %s: %w", name, err)
	}
	return m, nil
}

// model validates b and builds the model; at prefixes the field names.
func (b modelBody) model(at string) (*Model, error) {
	var ae bool
	switch b.Kind {
	case "vae":
	case "autoencoder":
		ae = true
	default:
		return nil, fmt.Errorf("%s.kind: %q; want vae or autoencoder", at, b.Kind)
	}
	if _, err := ParseLikelihood(string(b.Likelihood)); err != nil {
		return nil, fmt.Errorf("%s.likelihood: %w", at, err)
	}
	if b.Inputs < 1 || b.Latent < 1 {
		return nil, fmt.Errorf("%s: inputs %d and latent %d must be at least 1", at, b.Inputs, b.Latent)
	}
	if len(b.Hidden) > 64 {
		return nil, fmt.Errorf("%s.hidden: %d layers; at most 64", at, len(b.Hidden))
	}
	cfg := Config{Inputs: b.Inputs, Latent: b.Latent, Hidden: b.Hidden, Activation: b.Activation, Likelihood: b.Likelihood,
		Variance: b.Variance, LearnVariance: b.LearnVariance, Autoencoder: ae, Classes: b.Classes,
		Prior: b.Prior, PseudoInputs: b.PseudoCount, Arch: b.Arch, ImageH: b.ImageH, ImageW: b.ImageW, Channels: b.Channels}
	if b.Arch == ArchMLP {
		return nil, fmt.Errorf("%s.arch: %q is written as no arch field", at, b.Arch)
	}
	if b.Likelihood == Gaussian && b.Variance == 0 {
		return nil, fmt.Errorf("%s.variance: missing; a Gaussian decoder stores its (starting) variance", at)
	}
	if b.Prior == PriorVamp && b.PseudoCount < 1 {
		return nil, fmt.Errorf("%s.pseudo_count: %d; a VampPrior has at least 1 pseudo-input", at, b.PseudoCount)
	}
	if b.Prior == PriorNormal {
		return nil, fmt.Errorf("%s.prior: %q is written as no prior field", at, b.Prior)
	}
	if b.Classes != nil && len(b.Classes) < 2 {
		return nil, fmt.Errorf("%s.classes: %d classes; a conditional model has at least 2", at, len(b.Classes))
	}
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", at, err)
	}
	if b.Likelihood == Bernoulli && (b.Variance != 0 || b.LearnVariance) {
		return nil, fmt.Errorf("%s.variance: a Bernoulli decoder has no variance", at)
	}
	enc, err := nn.MLPFromState(b.Encoder, at+".encoder")
	if err != nil {
		return nil, err
	}
	dec, err := nn.MLPFromState(b.Decoder, at+".decoder")
	if err != nil {
		return nil, err
	}
	encSizes, decSizes := networkSizes(c)
	if err := checkNet(enc, encSizes, c.Activation, nn.Linear, at+".encoder"); err != nil {
		return nil, err
	}
	last := nn.Linear
	if c.Arch == ArchConv {
		last = c.Activation // the decoder's MLP feeds its convolutions
	}
	if err := checkNet(dec, decSizes, c.Activation, last, at+".decoder"); err != nil {
		return nil, err
	}
	m := &Model{cfg: c, enc: enc, dec: dec, trained: b.Training}
	if c.Arch == ArchConv {
		m.encConv, m.decConv = newConvNets(c, rand.New(rand.NewPCG(0, 0)))
		if err := convFromState(b.EncoderConv, m.encConv, at+".encoder_conv"); err != nil {
			return nil, err
		}
		if err := convFromState(b.DecoderConv, m.decConv, at+".decoder_conv"); err != nil {
			return nil, err
		}
	} else if b.EncoderConv != nil || b.DecoderConv != nil {
		return nil, fmt.Errorf("%s.encoder_conv: present, but the architecture is the MLP", at)
	}
	switch {
	case c.LearnVariance && len(b.DecoderLogVar) != c.Inputs:
		return nil, fmt.Errorf("%s.decoder_logvar: %d values, want one per input (%d)", at, len(b.DecoderLogVar), c.Inputs)
	case !c.LearnVariance && b.DecoderLogVar != nil:
		return nil, fmt.Errorf("%s.decoder_logvar: present, but learn_variance is false", at)
	case c.LearnVariance:
		for j, v := range b.DecoderLogVar {
			if !finite(v) {
				return nil, fmt.Errorf("%s.decoder_logvar[%d]: %v is not finite", at, j, v)
			}
		}
		m.logVar = autodiff.NewParam(1, c.Inputs, b.DecoderLogVar)
	}
	if len(b.Columns) != c.Inputs {
		return nil, fmt.Errorf("%s.columns: %d names, but the model takes %d inputs", at, len(b.Columns), c.Inputs)
	}
	m.columns = b.Columns
	if c.Prior == PriorVamp {
		if len(b.PseudoInputs) != c.PseudoInputs {
			return nil, fmt.Errorf("%s.pseudo_inputs: %d rows, pseudo_count says %d", at, len(b.PseudoInputs), c.PseudoInputs)
		}
		v := make([]float64, 0, c.PseudoInputs*c.Inputs)
		for k, row := range b.PseudoInputs {
			if len(row) != c.Inputs {
				return nil, fmt.Errorf("%s.pseudo_inputs[%d]: %d values, want one per input (%d)", at, k, len(row), c.Inputs)
			}
			for j, x := range row {
				if !finite(x) {
					return nil, fmt.Errorf("%s.pseudo_inputs[%d][%d]: %v is not finite", at, k, j, x)
				}
			}
			v = append(v, row...)
		}
		m.pseudo = autodiff.NewParam(c.PseudoInputs, c.Inputs, v)
	} else if b.PseudoInputs != nil || b.PseudoCount != 0 {
		return nil, fmt.Errorf("%s.pseudo_inputs: present, but the prior is N(0, I)", at)
	}
	switch {
	case (b.Shift == nil) != (b.Scale == nil):
		return nil, fmt.Errorf("%s: shift and scale go together; one of them is missing", at)
	case b.Shift != nil:
		if len(b.Shift) != c.Inputs || len(b.Scale) != c.Inputs {
			return nil, fmt.Errorf("%s.shift, scale: %d and %d values, want %d", at, len(b.Shift), len(b.Scale), c.Inputs)
		}
		if c.Likelihood == Bernoulli {
			return nil, fmt.Errorf("%s.shift: a Bernoulli decoder's data are not scaled", at)
		}
		for j := range b.Shift {
			if !finite(b.Shift[j]) {
				return nil, fmt.Errorf("%s.shift[%d]: %v is not finite", at, j, b.Shift[j])
			}
			if s := b.Scale[j]; !(s > 0) || math.IsInf(s, 0) {
				return nil, fmt.Errorf("%s.scale[%d]: %v; scales are positive and finite", at, j, s)
			}
		}
		m.shift, m.scale = b.Shift, b.Scale
	}
	return m, nil
}

// formatOf returns the "format" of an envelope from its first bytes, as
// modelfile writes it (the first key), or "".
func formatOf(head []byte) string {
	m := formatRE.FindSubmatch(head)
	if m == nil {
		return ""
	}
	return string(m[1])
}

var formatRE = regexp.MustCompile(`^\s*\{\s*"format"\s*:\s*"([^"\\]{0,64})"`)

// checkNet checks a network's widths and activations against the
// configuration.
func checkNet(net *nn.MLP, sizes []int, act, lastAct nn.Activation, at string) error {
	got := net.Sizes()
	if !slices.Equal(got, sizes) {
		return fmt.Errorf("%s: layer widths %v, but the configuration (inputs, hidden, latent) gives %v", at, got, sizes)
	}
	for k, l := range net.Layers {
		want := act
		if k == len(net.Layers)-1 {
			want = lastAct
		}
		if l.Act != want {
			return fmt.Errorf("%s.layers[%d].activation: %q, want %q", at, k, l.Act, want)
		}
	}
	return nil
}
