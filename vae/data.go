package vae

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Random streams drawn from one seed: each use has its own PCG stream, so
// that changing how many numbers one use draws never shifts another.
const (
	streamInit     = 1            // initial weights
	streamShuffle  = 2            // minibatch order
	streamNoise    = 3            // reparameterisation noise ε while training
	streamBinarize = 4            // dynamic binarisation while training
	streamEval     = 5            // the noise of Evaluate
	streamSample   = SampleStream // Sample's codes (exported: SampleStream)
	streamIWAE     = 7            // IWAE: one stream per row, streamIWAE<<40 | row
	streamBinFixed = 8            // Binarize (a fixed binarisation)
	streamPseudo   = 9            // the training rows that start the VampPrior's pseudo-inputs
)

// ErrNoData is wrapped when there is nothing to train on or evaluate.
var ErrNoData = errors.New("vae: no data")

// ErrRange is wrapped when a Bernoulli decoder is given values outside
// [0, 1] (catalog V-04).
var ErrRange = errors.New("values outside [0, 1]")

// CheckData checks data for a model with the given likelihood before any
// work: at least one row and column, every value finite, and for the
// Bernoulli decoder every value in [0, 1] (catalog V-04; the error wraps
// ErrRange and points to the Gaussian decoder). Errors name the row and
// column (by its name when columns has one), counted from 1.
func CheckData(x mat.Matrix, lik Likelihood, columns []string) error {
	_, d := x.Dims()
	return checkData(x, d, lik, columns, "data")
}

// checkData checks that x is n×d with n ≥ 1, finite, and, for a Bernoulli
// decoder, in [0, 1]. what names the data in messages ("training data").
func checkData(x mat.Matrix, d int, lik Likelihood, columns []string, what string) error {
	n, c := x.Dims()
	if n == 0 || c == 0 {
		return fmt.Errorf("%w: the %s are %d×%d", ErrNoData, what, n, c)
	}
	if c != d {
		return fmt.Errorf("vae: the %s have %d columns, the model takes %d", what, c, d)
	}
	for i := 0; i < n; i++ {
		for j := 0; j < c; j++ {
			v := x.At(i, j)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("vae: the %s hold %v at row %d, %s; remove or impute it", what, v, i+1, colName(columns, j))
			}
			if lik == Bernoulli && (v < 0 || v > 1) {
				return fmt.Errorf("vae: the %s hold %v at row %d, %s: %w; a Bernoulli decoder models values in [0, 1]: "+
					"scale the data into [0, 1] (the 8×8 digits: divide by 16; 8-bit pixels: by 255), "+
					"or use the Gaussian decoder (Config.Likelihood: vae.Gaussian)", what, v, i+1, colName(columns, j), ErrRange)
			}
		}
	}
	return nil
}

func colName(columns []string, j int) string {
	if j < len(columns) && columns[j] != "" {
		return fmt.Sprintf("column %d (%q)", j+1, columns[j])
	}
	return fmt.Sprintf("column %d", j+1)
}

// dense returns x as a *mat.Dense with a contiguous row-major layout,
// without copying when it already is one.
func dense(x mat.Matrix) *mat.Dense {
	if d, ok := x.(*mat.Dense); ok {
		if raw := d.RawMatrix(); raw.Stride == raw.Cols {
			return d
		}
	}
	return mat.DenseCopyOf(x)
}

// standardScaler returns each column's mean and standard deviation (ddof
// 0, as scikit-learn's StandardScaler), 1 for a constant column.
func standardScaler(x *mat.Dense) (shift, scale []float64) {
	n, d := x.Dims()
	shift, scale = make([]float64, d), make([]float64, d)
	raw := x.RawMatrix()
	for i := 0; i < n; i++ {
		for j, v := range raw.Data[i*raw.Stride : i*raw.Stride+d] {
			shift[j] += v
		}
	}
	for j := range shift {
		shift[j] /= float64(n)
	}
	for i := 0; i < n; i++ {
		for j, v := range raw.Data[i*raw.Stride : i*raw.Stride+d] {
			r := v - shift[j]
			scale[j] += r * r
		}
	}
	for j := range scale {
		scale[j] = math.Sqrt(scale[j] / float64(n))
		if !(scale[j] > 0) {
			scale[j] = 1
		}
	}
	return shift, scale
}

// toNet returns x in the networks' units, a new matrix when the model
// scales its inputs and x itself (as a Dense) otherwise.
func (m *Model) toNet(x mat.Matrix) *mat.Dense {
	if m.shift == nil {
		return dense(x)
	}
	n, d := x.Dims()
	out := mat.NewDense(n, d, nil)
	for i := 0; i < n; i++ {
		row := out.RawRowView(i)
		for j := range row {
			row[j] = (x.At(i, j) - m.shift[j]) / m.scale[j]
		}
	}
	return out
}

// fromNet maps decoder means in the networks' units back to data units,
// in place.
func (m *Model) fromNet(x *mat.Dense) {
	if m.shift == nil {
		return
	}
	n, _ := x.Dims()
	for i := 0; i < n; i++ {
		row := x.RawRowView(i)
		for j := range row {
			row[j] = row[j]*m.scale[j] + m.shift[j]
		}
	}
}

// Binarize returns a fixed random binarisation of x: each value v ∈ [0, 1]
// becomes 1 with probability v and 0 otherwise, drawn from a stream of
// seed, in row order. It is how a test set is binarised once for models
// trained with Options.Binarize (which draws afresh at every batch). It
// returns an error when a value is outside [0, 1] or not finite.
func Binarize(x mat.Matrix, seed uint64) (*mat.Dense, error) {
	n, d := x.Dims()
	if n == 0 || d == 0 {
		return &mat.Dense{}, nil
	}
	if err := checkData(x, d, Bernoulli, nil, "data to binarise"); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, streamBinFixed))
	out := mat.NewDense(n, d, nil)
	for i := 0; i < n; i++ {
		row := out.RawRowView(i)
		for j := range row {
			if rng.Float64() < x.At(i, j) {
				row[j] = 1
			}
		}
	}
	return out, nil
}

// fingerprint is a 64-bit hash of the bits of x and its shape, to check
// that a resumed run is given the data it started on.
func fingerprint(x *mat.Dense) uint64 {
	const prime = 0x100000001b3
	n, d := x.Dims()
	h := uint64(0xcbf29ce484222325)
	mix := func(v uint64) {
		h ^= v
		h *= prime
		h ^= h >> 29
	}
	mix(uint64(n))
	mix(uint64(d))
	raw := x.RawMatrix()
	for i := 0; i < n; i++ {
		for _, v := range raw.Data[i*raw.Stride : i*raw.Stride+d] {
			mix(math.Float64bits(v))
		}
	}
	return h
}

// labelFingerprint identifies a list of labels (16 hex digits), for
// checkpoints of conditional runs.
func labelFingerprint(labels []string) string {
	const prime = 0x100000001b3
	h := uint64(0xcbf29ce484222325)
	mix := func(b byte) {
		h ^= uint64(b)
		h *= prime
	}
	for _, l := range labels {
		for i := 0; i < len(l); i++ {
			mix(l[i])
		}
		mix(0)
	}
	return fmt.Sprintf("%016x", h)
}
