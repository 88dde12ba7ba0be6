package vae

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/latentgo/latent/autodiff"
	"github.com/latentgo/latent/internal/memlimit"
	"github.com/latentgo/latent/internal/modelfile"
	"github.com/latentgo/latent/nn"
)

// A checkpoint of schema 2 is its JSON envelope (internal/modelfile, as
// every latent file) followed, after the envelope's final newline, by a
// binary payload: the float64 arrays of the model and of Adam's moments,
// little-endian IEEE 754, 8 bytes each, in the order of the body's
// "tensors" list, which names each array and gives its shape. The arrays
// are empty in the JSON. So a checkpoint takes 8 bytes per number, not the
// 30 of indented JSON text (a 488 MB file for a 35000-unit VAE on the
// digits), and its size follows from the shapes it declares: the
// envelope is capped at modelfile.MaxFileSize, the payload is exactly
// 8 × the declared numbers, checked against the file's size and the
// memory guard before anything is allocated, and must be followed by
// nothing. Schema 1 (everything in the JSON) is still read.

// tensor is one array of the payload.
type tensor struct {
	Name  string `json:"name"`
	Shape []int  `json:"shape"`
}

func (t tensor) size() float64 {
	n := 1.0
	for _, s := range t.Shape {
		n *= float64(s)
	}
	return n
}

// ckptTensors returns the arrays of a checkpoint body's payload, in
// payload order, with pointers to where they go in the body: the
// encoder's and the decoder's layers (w as In×Out, b as Out), the
// decoder's log-variances when learned, and Adam's two moments per
// parameter, in the optimizer's (the model's Params) order. The shapes
// come from the body's declared configuration (inputs, hidden, latent,
// kind, learn_variance, classes), never from the payload.
func ckptTensors(b *checkpointBody) ([]tensor, error) {
	mb := &b.Model
	if mb.Inputs < 1 || mb.Latent < 1 || len(mb.Hidden) > 64 {
		return nil, fmt.Errorf("body.model: inputs %d, latent %d and %d hidden layers do not make a model", mb.Inputs, mb.Latent, len(mb.Hidden))
	}
	for i, h := range mb.Hidden {
		if h < 1 {
			return nil, fmt.Errorf("body.model.hidden[%d]: %d; a layer has at least 1 unit", i, h)
		}
	}
	if len(mb.Classes) > 1<<20 {
		return nil, fmt.Errorf("body.model.classes: %d classes", len(mb.Classes))
	}
	if mb.PseudoCount < 0 || mb.PseudoCount > 1<<16 {
		return nil, fmt.Errorf("body.model.pseudo_count: %d", mb.PseudoCount)
	}
	cfg := Config{Inputs: mb.Inputs, Latent: mb.Latent, Hidden: mb.Hidden, Autoencoder: mb.Kind == "autoencoder", Classes: mb.Classes,
		Arch: mb.Arch, ImageH: mb.ImageH, ImageW: mb.ImageW, Channels: mb.Channels}
	if mb.Arch == ArchConv {
		if err := cfg.checkArch(); err != nil {
			return nil, fmt.Errorf("body.model: %w", err)
		}
	}
	enc, dec := networkSizes(cfg)
	var ts, params []tensor
	shapes := convShapes(cfg)
	convTensors := func(name string, k int, s autodiff.ConvShape, transpose bool) {
		nb := s.OutC
		if transpose {
			nb = s.InC
		}
		w := tensor{fmt.Sprintf("model.%s[%d].w", name, k), []int{s.OutC, s.KernelSize()}}
		bb := tensor{fmt.Sprintf("model.%s[%d].b", name, k), []int{nb}}
		ts, params = append(ts, w, bb), append(params, w, bb)
	}
	for k, sh := range shapes {
		convTensors("encoder_conv", k, sh, false)
	}
	for k := 1; k < len(enc); k++ {
		w := tensor{fmt.Sprintf("model.encoder.layers[%d].w", k-1), []int{enc[k-1], enc[k]}}
		bb := tensor{fmt.Sprintf("model.encoder.layers[%d].b", k-1), []int{enc[k]}}
		ts, params = append(ts, w, bb), append(params, w, bb)
	}
	for k := 1; k < len(dec); k++ {
		w := tensor{fmt.Sprintf("model.decoder.layers[%d].w", k-1), []int{dec[k-1], dec[k]}}
		bb := tensor{fmt.Sprintf("model.decoder.layers[%d].b", k-1), []int{dec[k]}}
		ts, params = append(ts, w, bb), append(params, w, bb)
	}
	for k := range shapes {
		convTensors("decoder_conv", k, shapes[len(shapes)-1-k], true)
	}
	if mb.LearnVariance {
		lv := tensor{"model.decoder_logvar", []int{mb.Inputs}}
		ts, params = append(ts, lv), append(params, lv)
	}
	if mb.Prior == PriorVamp {
		u := tensor{"model.pseudo_inputs", []int{mb.PseudoCount, mb.Inputs}}
		ts, params = append(ts, u), append(params, u)
	}
	for _, m := range []string{"m", "v"} {
		for k, p := range params {
			ts = append(ts, tensor{fmt.Sprintf("adam.%s[%d]", m, k), p.Shape})
		}
	}
	return ts, nil
}

// stripPayload moves the body's arrays into a payload, in ckptTensors'
// order, leaving them empty in the body.
func stripPayload(b *checkpointBody) ([]tensor, [][]float64, error) {
	ts, err := ckptTensors(b)
	if err != nil {
		return nil, nil, err
	}
	var data [][]float64
	stripConv := func(cs []ConvState) {
		for _, c := range cs {
			var w []float64
			for _, row := range c.W {
				w = append(w, row...)
			}
			data = append(data, w, c.B)
		}
	}
	stripConv(b.Model.EncoderConv)
	b.Model.EncoderConv = nil
	for _, l := range layerRefs(b) {
		var w []float64
		for _, row := range l.s.W {
			w = append(w, row...)
		}
		data = append(data, w, l.s.B)
		l.s.W, l.s.B = [][]float64{}, []float64{}
	}
	stripConv(b.Model.DecoderConv)
	b.Model.DecoderConv = nil
	if b.Model.LearnVariance {
		data = append(data, b.Model.DecoderLogVar)
		b.Model.DecoderLogVar = nil
	}
	if b.Model.Prior == PriorVamp {
		var u []float64
		for _, row := range b.Model.PseudoInputs {
			u = append(u, row...)
		}
		data = append(data, u)
		b.Model.PseudoInputs = nil
	}
	data = append(append(data, b.Adam.M...), b.Adam.V...)
	b.Adam.M, b.Adam.V = [][]float64{}, [][]float64{}
	if len(data) != len(ts) {
		return nil, nil, fmt.Errorf("vae: checkpoint: %d arrays for %d tensors", len(data), len(ts))
	}
	for i, t := range ts {
		if float64(len(data[i])) != t.size() {
			return nil, nil, fmt.Errorf("vae: checkpoint: %s has %d values, its shape %v", t.Name, len(data[i]), t.Shape)
		}
		for j, v := range data[i] {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, nil, fmt.Errorf("vae: checkpoint: %s[%d] is %v", t.Name, j, v)
			}
		}
	}
	return ts, data, nil
}

// layerRef points at a layer of the body's networks.
type layerRef struct{ s *nn.LayerState }

func layerRefs(b *checkpointBody) []layerRef {
	var out []layerRef
	for _, net := range []*[]nn.LayerState{&b.Model.Encoder.Layers, &b.Model.Decoder.Layers} {
		for i := range *net {
			out = append(out, layerRef{&(*net)[i]})
		}
	}
	return out
}

// writeCheckpoint writes b as a schema-2 checkpoint: the envelope, then
// the payload.
func writeCheckpoint(w io.Writer, b checkpointBody) error {
	b.Model.Encoder.Layers = slices.Clone(b.Model.Encoder.Layers)
	b.Model.Decoder.Layers = slices.Clone(b.Model.Decoder.Layers)
	ts, data, err := stripPayload(&b)
	if err != nil {
		return err
	}
	b.Tensors = ts
	head, err := modelfile.Marshal(CheckpointKind, checkpointSchema, b)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	if _, err := bw.Write(head); err != nil {
		return err
	}
	var buf [8]byte
	for _, a := range data {
		for _, v := range a {
			binary.LittleEndian.PutUint64(buf[:], math.Float64bits(v))
			if _, err := bw.Write(buf[:]); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

// readCheckpointBody reads a checkpoint of schema 1 or 2 from r (size is
// the file's size in bytes, or −1 when unknown) into a body whose arrays
// are filled, or returns the error that names what is wrong.
func readCheckpointBody(r io.Reader, name string, size int64) (checkpointBody, error) {
	var b checkpointBody
	prefix := "modelfile: " + name + ": "
	lr := &io.LimitedReader{R: r, N: modelfile.MaxFileSize + 1}
	dec := json.NewDecoder(lr)
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		// Not one JSON value: let modelfile say what is wrong, as it
		// says it for every latent file.
		rest, rerr := io.ReadAll(io.LimitReader(io.MultiReader(dec.Buffered(), lr), modelfile.MaxFileSize))
		if rerr != nil {
			return b, fmt.Errorf("%s%w", prefix, rerr)
		}
		if _, err := modelfile.Unmarshal(rest, name, CheckpointKind, checkpointSchema, &b); err != nil {
			return b, err
		}
		return b, fmt.Errorf("%s%v", prefix, err)
	}
	head := int64(dec.InputOffset())
	rest := io.MultiReader(dec.Buffered(), r)
	h, err := modelfile.Unmarshal(raw, name, CheckpointKind, checkpointSchema, &b)
	if err != nil {
		return b, err
	}
	// The envelope ends with one newline.
	var nl [1]byte
	if n, _ := io.ReadFull(rest, nl[:]); n == 1 && nl[0] != '\n' {
		return b, fmt.Errorf("%sunexpected data after the JSON document", prefix)
	}
	if h.Version == 1 {
		if b.Tensors != nil {
			return b, fmt.Errorf("%sbody.tensors: a schema-1 checkpoint has no binary payload", prefix)
		}
		if n, _ := rest.Read(nl[:]); n > 0 {
			return b, fmt.Errorf("%sunexpected data after the JSON document", prefix)
		}
		return b, nil
	}
	want, err := ckptTensors(&b)
	if err != nil {
		return b, fmt.Errorf("vae: %s: %w", name, err)
	}
	if len(b.Tensors) != len(want) {
		return b, fmt.Errorf("vae: %s: body.tensors: %d arrays, but the model and its optimizer have %d", name, len(b.Tensors), len(want))
	}
	total := 0.0
	for i, t := range want {
		if got := b.Tensors[i]; got.Name != t.Name || !slices.Equal(got.Shape, t.Shape) {
			return b, fmt.Errorf("vae: %s: body.tensors[%d]: %q of shape %v, want %q of shape %v", name, i, got.Name, got.Shape, t.Name, t.Shape)
		}
		total += t.size()
	}
	if b.Adam.M == nil || len(b.Adam.M) != 0 || len(b.Adam.V) != 0 || b.Model.DecoderLogVar != nil || b.Model.PseudoInputs != nil {
		return b, fmt.Errorf("vae: %s: body: the arrays of a schema-2 checkpoint are in its payload, not in the JSON", name)
	}
	for _, l := range layerRefs(&b) {
		if len(l.s.W) != 0 || len(l.s.B) != 0 {
			return b, fmt.Errorf("vae: %s: body: the arrays of a schema-2 checkpoint are in its payload, not in the JSON", name)
		}
	}
	if size >= 0 && float64(size-head-1) != 8*total {
		return b, fmt.Errorf("vae: %s: the file holds %d bytes after its header, but the tensors it declares take %.0f (8 per number); the file is cut or altered", name, size-head-1, 8*total)
	}
	// The memory guard: the payload, and the model built from it.
	if err := memlimit.Check("the checkpoint's "+fmt.Sprintf("%.0f", total)+" numbers", memlimit.Floats(3, total)); err != nil {
		return b, fmt.Errorf("vae: %s: %w", name, err)
	}
	br := bufio.NewReaderSize(rest, 1<<16)
	data := make([][]float64, len(want))
	var buf [8]byte
	for i, t := range want {
		a := make([]float64, int(t.size()))
		for j := range a {
			if _, err := io.ReadFull(br, buf[:]); err != nil {
				return b, fmt.Errorf("vae: %s: the payload ends in %s, at value %d of %d; the file is cut", name, t.Name, j, len(a))
			}
			a[j] = math.Float64frombits(binary.LittleEndian.Uint64(buf[:]))
			if math.IsNaN(a[j]) || math.IsInf(a[j], 0) {
				return b, fmt.Errorf("vae: %s: %s[%d] is %v; a checkpoint holds finite numbers", name, t.Name, j, a[j])
			}
		}
		data[i] = a
	}
	if n, _ := br.Read(buf[:1]); n > 0 {
		return b, fmt.Errorf("vae: %s: unexpected data after the payload", name)
	}
	fillPayload(&b, want, data)
	b.Tensors = nil // the body now holds its arrays, as schema 1's
	return b, nil
}

// fillPayload puts the payload's arrays back into the body.
func fillPayload(b *checkpointBody, ts []tensor, data [][]float64) {
	k := 0
	fillConv := func(n int) []ConvState {
		var out []ConvState
		for range n {
			w, cols := data[k], ts[k].Shape[1]
			c := ConvState{W: make([][]float64, ts[k].Shape[0]), B: data[k+1]}
			for i := range c.W {
				c.W[i] = w[i*cols : (i+1)*cols]
			}
			out = append(out, c)
			k += 2
		}
		return out
	}
	nconv := len(b.Model.Channels)
	if b.Model.Arch == ArchConv && b.Model.Channels == nil {
		nconv = 2 // the default {32, 64}
	}
	if b.Model.Arch != ArchConv {
		nconv = 0
	}
	b.Model.EncoderConv = fillConv(nconv)
	for _, l := range layerRefs(b) {
		w, cols := data[k], ts[k].Shape[1]
		l.s.W = make([][]float64, ts[k].Shape[0])
		for i := range l.s.W {
			l.s.W[i] = w[i*cols : (i+1)*cols]
		}
		l.s.B = data[k+1]
		k += 2
	}
	b.Model.DecoderConv = fillConv(nconv)
	if b.Model.LearnVariance {
		b.Model.DecoderLogVar = data[k]
		k++
	}
	if b.Model.Prior == PriorVamp {
		u, cols := data[k], ts[k].Shape[1]
		b.Model.PseudoInputs = make([][]float64, ts[k].Shape[0])
		for i := range b.Model.PseudoInputs {
			b.Model.PseudoInputs[i] = u[i*cols : (i+1)*cols]
		}
		k++
	}
	n := (len(ts) - k) / 2
	b.Adam.M, b.Adam.V = data[k:k+n], data[k+n:]
}
