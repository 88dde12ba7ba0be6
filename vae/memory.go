package vae

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/latentgo/latent/internal/memlimit"
	"github.com/latentgo/latent/nn"
)

// MemoryError reports sizes whose arrays cannot fit in memory: latent's
// one memory guard (as nn.MemoryError), returned by New, Train,
// Evaluate and LogLikelihood before they allocate, with the estimate and
// the options to lower. errors.Is(err, ErrMemory) tests for it.
type MemoryError = nn.MemoryError

// ErrMemory is wrapped by every *MemoryError (nn.ErrMemory).
var ErrMemory = nn.ErrMemory

// networkSizes returns the layer widths of c's encoder and decoder (c
// with its defaults).
func networkSizes(c Config) (enc, dec []int) {
	out := 2 * c.Latent
	if c.Autoencoder {
		out = c.Latent
	}
	C := len(c.Classes) // a conditional model's one-hot label on both sides
	front := convOut(c) // the MLPs' side of a convolutional front
	enc = append(append([]int{front + C}, c.Hidden...), out)
	dec = append(append([]int{c.Latent + C}, reversed(c.Hidden)...), front)
	return enc, dec
}

// counts returns the parameters and the sum of the layer widths (the
// inputs excluded) of networks of these sizes.
func counts(nets ...[]int) (params, widths float64) {
	for _, sizes := range nets {
		for k := 1; k < len(sizes); k++ {
			params += float64(sizes[k-1])*float64(sizes[k]) + float64(sizes[k])
			widths += float64(sizes[k])
		}
	}
	return params, widths
}

func shape(enc, dec []int) string {
	join := func(s []int) string {
		t := make([]string, len(s))
		for i, v := range s {
			t[i] = strconv.Itoa(v)
		}
		return strings.Join(t, "-")
	}
	return fmt.Sprintf("encoder %s, decoder %s", join(enc), join(dec))
}

// checkModelMemory is the memory guard before the networks of c are
// made: a value and a gradient per parameter.
func checkModelMemory(c Config) error {
	enc, dec := networkSizes(c)
	p, _ := counts(enc, dec)
	p += float64(c.PseudoInputs) * float64(c.Inputs) // the VampPrior's pseudo-inputs
	lower := []string{"Config.Hidden"}
	if c.PseudoInputs > 0 {
		lower = append(lower, "Config.PseudoInputs")
	}
	if err := memlimit.Check("a VAE ("+shape(enc, dec)+")", memlimit.Floats(2, p), lower...); err != nil {
		return fmt.Errorf("vae: %w", err)
	}
	return nil
}

// checkTrainMemory is the memory guard before training c on n rows in
// batches of batch: the parameters with their gradients and Adam's two
// moments, the tape of one step (a value and a gradient for each layer's
// product, bias sum and activation, and the noise), the evaluation's
// chunks, and the copies of the data.
func checkTrainMemory(c Config, n, batch int) error {
	enc, dec := networkSizes(c)
	p, w := counts(enc, dec)
	for _, s := range convShapes(c) {
		// A convolution and its transpose: their outputs, and the im2col
		// buffers of one image.
		w += float64(s.OutSize() + s.InSize())
		p += 2 * float64(s.OutC*s.KernelSize())
	}
	floats := 4*p + 6*float64(batch)*w + float64(chunkRows)*w + 3*float64(n)*float64(c.Inputs)
	if err := memlimit.Check("training a VAE ("+shape(enc, dec)+")", 8*floats, "Config.Hidden", "Options.BatchSize"); err != nil {
		return fmt.Errorf("vae: %w", err)
	}
	return nil
}
