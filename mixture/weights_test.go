package mixture

import (
	"bytes"
	"context"
	"io"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/internal/testutil"
)

// weightedSource is copySource with weights, copied into the caller's
// buffers as a file's weight column would be.
type weightedSource struct {
	x *mat.Dense
	w []float64
}

func (s *weightedSource) Dim() int { _, c := s.x.Dims(); return c }
func (s *weightedSource) Blocks(rows int) (em.BlockIter, error) {
	return &weightedIter{s: s, step: rows}, nil
}

type weightedIter struct {
	s          *weightedSource
	next, step int
}

func (it *weightedIter) Next(buf *mat.Dense, wbuf []float64) (*mat.Dense, []float64, error) {
	n, d := it.s.x.Dims()
	if it.next >= n {
		return nil, nil, io.EOF
	}
	hi := min(it.next+it.step, n)
	blk := buf.Slice(0, hi-it.next, 0, d).(*mat.Dense)
	blk.Copy(it.s.x.Slice(it.next, hi, 0, d))
	w := wbuf[:hi-it.next]
	copy(w, it.s.w[it.next:hi])
	it.next = hi
	return blk, w, nil
}
func (it *weightedIter) Close() error { return nil }

// replicate returns the rows of x each repeated w_i times.
func replicate(x *mat.Dense, w []float64) *mat.Dense {
	_, d := x.Dims()
	var data []float64
	for i, c := range w {
		for r := 0; r < int(c); r++ {
			data = append(data, x.RawRowView(i)...)
		}
	}
	return mat.NewDense(len(data)/d, d, data)
}

// Integer weights give the fit of the rows replicated that many times, to
// 1e-12 (from the same start, every family, with and without missing
// values): parameters, the log-likelihood per unit of weight, and BIC,
// whose n is the sum of the weights.
func TestWeightsAreReplicatedRows(t *testing.T) {
	d := randomData(newRNG(71), 240, 3, 3, 6, Full)
	rng := newRNG(72)
	w := make([]float64, 240)
	for i := range w {
		w[i] = float64(rng.IntN(4)) // 0 … 3: a weight of 0 drops the row
	}
	for _, missing := range []bool{false, true} {
		x := d.x
		if missing {
			x = deleteCells(d.x, 0.2, newRNG(73))
		}
		xr := replicate(x, w)
		for _, f := range registry {
			if univariateFamily(f) {
				continue // E and V need one feature
			}
			c := f.Type()
			start, _ := fitted(t, xr, Options{K: 3, Covariance: c, Missing: missing, Seed: 1, MaxIter: 3})
			o := Options{K: 3, Covariance: c, Missing: missing, Start: start.FullParams().Params(), MaxIter: 25, Tol: em.NoTol}
			want, wrep := fitted(t, xr, o)
			o.Weights = w
			got, grep := fitted(t, x, o)
			what := string(c)
			if missing {
				what += " with missing values"
			}
			testutil.AssertCloseSlice(t, what+" weights", got.weights, want.weights, 1e-14, 1e-12)
			testutil.AssertCloseSlice(t, what+" means", got.means, want.means, 1e-14, 1e-12)
			testutil.AssertCloseSlice(t, what+" covariances", got.covs, want.covs, 1e-14, 1e-12)
			testutil.AssertClose(t, what+" log-likelihood", grep.LogLikelihood, wrep.LogLikelihood, 0, 1e-12)
			testutil.AssertClose(t, what+" BIC", grep.BIC, wrep.BIC, 0, 1e-12)
			testutil.AssertClose(t, what+" weight", grep.Weight, float64(xr.RawMatrix().Rows), 0, 0)
			if !grep.Weighted || wrep.Weighted || grep.Rows != 240 {
				t.Errorf("%s: weighted %v (replicated %v), rows %d", what, grep.Weighted, wrep.Weighted, grep.Rows)
			}
		}
	}
}

// A weighted stream gives the bits of the weighted fit in memory, and its
// report counts its rows, not its weight.
func TestWeightsStream(t *testing.T) {
	d := randomData(newRNG(74), 3000, 2, 3, 6, Full)
	w := make([]float64, 3000)
	for i := range w {
		w[i] = 0.5 + float64(i%3)
	}
	// A sample initialises a stream without its weights: start both from
	// given parameters.
	start, _ := fitted(t, d.x, Options{K: 2, Seed: 3, MaxIter: 2})
	o := Options{K: 2, BlockRows: 500, Weights: w, Start: start.FullParams().Params()}
	want, wrep := fitted(t, d.x, o)
	o.Weights = nil
	got, grep, err := FitSource(context.Background(), &weightedSource{x: d.x, w: w}, nil, o)
	if err != nil {
		t.Fatal(err)
	}
	if !bitsEqual(got.means, want.means) || !bitsEqual(got.covs, want.covs) || grep.LogLikelihood != wrep.LogLikelihood || grep.BIC != wrep.BIC {
		t.Error("the weighted stream differs from the weighted fit in memory")
	}
	if grep.Rows != 3000 || !grep.Weighted {
		t.Errorf("stream report: %d rows, weighted %v; want 3000, true", grep.Rows, grep.Weighted)
	}
}

// Selection with weights: every candidate's BIC takes the sum of the
// weights as n, and the table says so.
func TestWeightsSelect(t *testing.T) {
	d := randomData(newRNG(75), 300, 2, 2, 8, Full)
	w := make([]float64, 300)
	tot := 0.0
	for i := range w {
		w[i] = 0.25 + float64(i%4)
		tot += w[i]
	}
	_, rep, sel, err := Select(context.Background(), d.x, SelectOptions{Ks: []int{1, 2, 3}, Covariances: []CovarianceType{Full, Diag}, Options: Options{Weights: w, Seed: 2}})
	if err != nil {
		t.Fatal(err)
	}
	testutil.AssertClose(t, "weight sum", sel.WeightSum, tot, 0, 1e-15)
	for _, c := range sel.Candidates {
		want := -2*c.LogLikelihood*tot + float64(c.NumParams)*math.Log(tot)
		testutil.AssertClose(t, "candidate BIC", c.BIC, want, 0, 1e-12)
	}
	var b bytes.Buffer
	sel.WriteText(&b)
	if !strings.Contains(b.String(), "BIC's n is the sum of the weights") {
		t.Errorf("the selection table does not say its n is the weights' sum:\n%s", b.String())
	}
	b.Reset()
	rep.WriteText(&b)
	if !strings.Contains(b.String(), "is the n of BIC") {
		t.Errorf("the report does not say its n is the weights' sum:\n%s", b.String())
	}
}

// ForRows takes the weights and labels of a resample with the rows: a fit
// of rows copied by index equals the fit of the original rows weighted by
// their counts.
func TestForRowsResample(t *testing.T) {
	d := randomData(newRNG(76), 150, 2, 2, 6, Full)
	w := make([]float64, 150)
	known := make([]int, 150)
	for i := range w {
		w[i], known[i] = 1+float64(i%2), NoLabel
		if i%10 == 0 {
			known[i] = d.labels[i]
		}
	}
	rng := newRNG(77)
	idx := make([]int, 150)
	counts := make([]float64, 150)
	for t := range idx {
		idx[t] = rng.IntN(150)
		counts[idx[t]]++
	}
	start, _ := fitted(t, d.x, Options{K: 2, Seed: 1, MaxIter: 2})
	o := Options{K: 2, Weights: w, Known: known, Start: start.FullParams().Params(), MaxIter: 15, Tol: em.NoTol}
	xr := mat.NewDense(150, 2, nil)
	for t, i := range idx {
		xr.SetRow(t, d.x.RawRowView(i))
	}
	a, _ := fitted(t, xr, o.ForRows(idx))
	cw := make([]float64, 150)
	for i := range cw {
		cw[i] = w[i] * counts[i]
	}
	o.Weights = cw
	b, _ := fitted(t, d.x, o)
	testutil.AssertCloseSlice(t, "resampled means", a.means, b.means, 1e-12, 1e-12)
	testutil.AssertCloseSlice(t, "resampled covariances", a.covs, b.covs, 1e-12, 1e-12)
	if o := (Options{}).ForRows([]int{1, 2}); o.Weights != nil || o.Known != nil {
		t.Error("ForRows made weights or labels of none")
	}
}
