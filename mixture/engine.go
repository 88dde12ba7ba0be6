package mixture

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// Engine runs the E-steps of FitEngine elsewhere (the module
// github.com/latentgo/latent/beam runs them as Apache Beam pipelines). Its
// Pass receives the model under fit; MarshalEStep turns it into the bytes a
// remote worker needs, UnmarshalEStep back into a model whose NewWorker and
// NewStats compute the same E-step, and MarshalStats/UnmarshalStats carry
// the statistics back, bit for bit.
type Engine interface {
	em.Engine
	// Dim is the number of columns of the data.
	Dim() int
	// Rows is the number of rows of the data (for the report), known once a
	// pass has run.
	Rows() int
}

// FitEngine fits a Gaussian mixture as FitSource does, with every E-step
// run by eng: the initialisation (on sample, as FitSource), the restarts,
// the M-steps and the report run here. With an Engine that keeps em.Pass's
// blocks and merge order (em.Engine), FitEngine gives the bits of
// FitSource and Fit over the same rows. Options.Missing and Options.Known
// are not supported (an OptionError).
func FitEngine(ctx context.Context, eng Engine, sample mat.Matrix, opts Options) (*Model, *Report, error) {
	if opts.Missing {
		return nil, nil, optionErrorf("Missing", " is not supported by FitEngine; fit data with missing values with Fit or FitSource")
	}
	return FitSource(ctx, &engineSource{eng: eng}, sample, opts)
}

// engineSource is the em.Source FitEngine hands to FitSource: its Dim, and
// no blocks (runEM sends the passes to the engine).
type engineSource struct{ eng Engine }

func (s *engineSource) Dim() int { return s.eng.Dim() }
func (s *engineSource) Blocks(int) (em.BlockIter, error) {
	return nil, errors.New("mixture: the data of FitEngine are read by its engine")
}

// runEM runs em.Run over src, or em.RunEngine when src is FitEngine's.
func runEM(ctx context.Context, src em.Source, start em.StartFunc, eo em.Options) (em.Model, *em.Report, error) {
	if cs, ok := src.(*countingSource); ok {
		if es, ok := cs.Source.(*engineSource); ok {
			m, rep, err := em.RunEngine(ctx, es.eng, start, eo)
			cs.rows = es.eng.Rows()
			return m, rep, err
		}
	}
	return em.Run(ctx, src, start, eo)
}

// The wire formats: a magic word, then little-endian integers and float64
// bits, so that a decoded model computes the E-step with the same bits.
const (
	estepMagic = 0x6c74_6573_7465_7031 // "ltestep1"
	statsMagic = 0x6c74_7374_6174_7331 // "ltstats1"
)

// MarshalEStep returns the state of the E-step of m, a model handed to an
// Engine's Pass by FitEngine: the covariance type, K, D, the means, the
// stored covariances, their precision factors and log-determinants, the
// log weights and the kernel. It fails for any other em.Model.
func MarshalEStep(m em.Model) ([]byte, error) {
	e, ok := m.(*emModel)
	if !ok || e.m == nil || e.m.fam == nil {
		return nil, fmt.Errorf("mixture: MarshalEStep: %T is not a model of FitEngine", m)
	}
	if e.miss != nil || e.known != nil {
		return nil, errors.New("mixture: MarshalEStep: a fit with missing values or known classes has no portable E-step")
	}
	g := e.m
	var w wire
	w.u64(estepMagic)
	w.str(string(g.fam.Type()))
	w.str(string(g.kernel))
	w.u64(uint64(g.k))
	w.u64(uint64(g.d))
	for _, v := range [][]float64{g.means, g.covs, g.chol, g.logDet, g.weights, g.logW} {
		w.floats(v)
	}
	return w.b, nil
}

// UnmarshalEStep decodes MarshalEStep's bytes into a model whose NewWorker
// and NewStats compute the same E-step as the marshalled one. Its MStep
// returns an error: M-steps run in FitEngine's process.
func UnmarshalEStep(b []byte) (em.Model, error) {
	r := reader{b: b}
	if r.u64() != estepMagic {
		return nil, errors.New("mixture: UnmarshalEStep: not the bytes of MarshalEStep")
	}
	cov, kern := CovarianceType(r.str()), Kernel(r.str())
	k, d := int(r.u64()), int(r.u64())
	f, ok := lookupFamily(cov)
	if r.err != nil || !ok || k < 1 || d < 1 {
		return nil, errors.New("mixture: UnmarshalEStep: corrupt state")
	}
	m := newModel(cov, k, d)
	m.kernel = kern
	m.fam = f
	for _, dst := range [][]float64{m.means, m.covs, m.chol, m.logDet, m.weights, m.logW} {
		r.floatsInto(dst)
	}
	if r.err != nil || len(r.b) != 0 {
		return nil, errors.New("mixture: UnmarshalEStep: corrupt state")
	}
	return remoteModel{&emModel{m: m}}, nil
}

// remoteModel is an E-step decoded by UnmarshalEStep.
type remoteModel struct{ *emModel }

func (remoteModel) MStep(em.Stats) (float64, error) {
	return 0, errors.New("mixture: the M-step of a decoded E-step runs in FitEngine's process")
}

// MarshalStats returns the bytes of s, statistics of a model of FitEngine
// or UnmarshalEStep.
func MarshalStats(s em.Stats) ([]byte, error) {
	st, ok := s.(*stats)
	if !ok {
		return nil, fmt.Errorf("mixture: MarshalStats: %T is not mixture's statistics", s)
	}
	var w wire
	w.u64(statsMagic)
	full := uint64(0)
	if st.full {
		full = 1
	}
	w.u64(full)
	w.u64(uint64(st.k))
	w.u64(uint64(st.d))
	w.floats(st.n)
	w.floats(st.m)
	w.floats(st.m2)
	return w.b, nil
}

// UnmarshalStats decodes MarshalStats's bytes.
func UnmarshalStats(b []byte) (em.Stats, error) {
	r := reader{b: b}
	if r.u64() != statsMagic {
		return nil, errors.New("mixture: UnmarshalStats: not the bytes of MarshalStats")
	}
	s := &stats{full: r.u64() == 1, k: int(r.u64()), d: int(r.u64())}
	s.n, s.m, s.m2 = r.floats(), r.floats(), r.floats()
	per := s.d
	if s.full {
		per = s.d * s.d
	}
	if r.err != nil || len(r.b) != 0 || len(s.n) != s.k || len(s.m) != s.k*s.d || len(s.m2) != s.k*per {
		return nil, errors.New("mixture: UnmarshalStats: corrupt statistics")
	}
	return s, nil
}

type wire struct{ b []byte }

func (w *wire) u64(v uint64) { w.b = binary.LittleEndian.AppendUint64(w.b, v) }
func (w *wire) str(s string) { w.u64(uint64(len(s))); w.b = append(w.b, s...) }
func (w *wire) floats(v []float64) {
	w.u64(uint64(len(v)))
	for _, x := range v {
		w.u64(math.Float64bits(x))
	}
}

type reader struct {
	b   []byte
	err error
}

var errShort = errors.New("short")

func (r *reader) u64() uint64 {
	if len(r.b) < 8 {
		r.err = errShort
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

func (r *reader) str() string {
	n := r.u64()
	if n > uint64(len(r.b)) {
		r.err = errShort
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *reader) floats() []float64 {
	n := r.u64()
	if n > uint64(len(r.b)/8) {
		r.err = errShort
		return nil
	}
	v := make([]float64, n)
	for i := range v {
		v[i] = math.Float64frombits(r.u64())
	}
	return v
}

func (r *reader) floatsInto(dst []float64) {
	v := r.floats()
	if len(v) != len(dst) {
		r.err = errShort
		return
	}
	copy(dst, v)
}
