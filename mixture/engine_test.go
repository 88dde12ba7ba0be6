package mixture

import (
	"context"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// localEngine runs FitEngine's passes as a remote engine would: the model
// and the statistics go through their wire formats, every block is an
// E-step of a decoded model, and the blocks merge in em.MergeOrder.
type localEngine struct {
	x     *mat.Dense
	rows  int
	block int
}

func (e *localEngine) Dim() int  { _, d := e.x.Dims(); return d }
func (e *localEngine) Rows() int { return e.rows }

func (e *localEngine) Pass(_ context.Context, m em.Model, withStats bool) (em.Stats, em.Partial, error) {
	b, err := MarshalEStep(m)
	if err != nil {
		return nil, em.Partial{}, err
	}
	n, _ := e.x.Dims()
	e.rows = n
	var stats []em.Stats
	var parts []em.Partial
	for lo := 0; lo < n; lo += e.block {
		rm, err := UnmarshalEStep(b)
		if err != nil {
			return nil, em.Partial{}, err
		}
		hi := min(n, lo+e.block)
		var st em.Stats
		if withStats {
			st = rm.NewStats()
		}
		p, err := rm.NewWorker().EStep(st, lo, e.x.Slice(lo, hi, 0, e.Dim()).(*mat.Dense), nil)
		if err != nil {
			return nil, em.Partial{}, err
		}
		if withStats {
			wb, err := MarshalStats(st)
			if err != nil {
				return nil, em.Partial{}, err
			}
			if st, err = UnmarshalStats(wb); err != nil {
				return nil, em.Partial{}, err
			}
		}
		stats, parts = append(stats, st), append(parts, p)
	}
	s, p := em.MergeOrder(stats, parts)
	return s, p, nil
}

// TestFitEngineBits: FitEngine through the wire formats gives Fit's bits.
func TestFitEngineBits(t *testing.T) {
	tr := randomData(newRNG(18), 1300, 3, 4, 1, Full)
	for _, cov := range []CovarianceType{Full, Diag, Spherical, Tied} {
		o := Options{K: 3, Covariance: cov, Seed: 7, NInit: 2, BlockRows: 100, Tol: 1e-8}
		want, wrep, err := Fit(context.Background(), tr.x, o)
		if err != nil {
			t.Fatal(err)
		}
		got, grep, err := FitEngine(context.Background(), &localEngine{x: tr.x, block: 100}, tr.x, o)
		if err != nil {
			t.Fatal(err)
		}
		if grep.Iterations != wrep.Iterations || grep.LogLikelihood != wrep.LogLikelihood || grep.Rows != wrep.Rows {
			t.Errorf("%s: got %d iterations, log-likelihood %v, %d rows; want %d, %v, %d", cov,
				grep.Iterations, grep.LogLikelihood, grep.Rows, wrep.Iterations, wrep.LogLikelihood, wrep.Rows)
		}
		if !bitsEqual(got.means, want.means) || !bitsEqual(got.covs, want.covs) || !bitsEqual(got.weights, want.weights) {
			t.Errorf("%s: the parameters differ from Fit's", cov)
		}
	}
}

func TestEngineWireErrors(t *testing.T) {
	if _, err := UnmarshalEStep([]byte("nonsense")); err == nil {
		t.Error("UnmarshalEStep took nonsense")
	}
	if _, err := UnmarshalStats(nil); err == nil {
		t.Error("UnmarshalStats took nothing")
	}
	if _, _, err := FitEngine(context.Background(), &localEngine{}, nil, Options{Missing: true}); err == nil {
		t.Error("FitEngine took Missing")
	}
}
