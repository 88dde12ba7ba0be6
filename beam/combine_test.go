package beam

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/mixture"
)

// captureEngine hands out the model of a fit's first E-step, then stops
// the fit.
type captureEngine struct {
	d int
	m em.Model
}

func (c *captureEngine) Dim() int  { return c.d }
func (c *captureEngine) Rows() int { return 0 }
func (c *captureEngine) Pass(_ context.Context, m em.Model, _ bool) (em.Stats, em.Partial, error) {
	c.m = m
	return nil, em.Partial{}, context.Canceled
}

// TestTreeCombineAnyOrder: however a runner orders the blocks and splits
// them among accumulators, the tree combine gives em.MergeOrder's bits.
func TestTreeCombineAnyOrder(t *testing.T) {
	x := threeBlobs(1000, 3)
	ce := &captureEngine{d: 3}
	mixture.FitEngine(context.Background(), ce, x, mixture.Options{K: 3, Seed: 1})
	if ce.m == nil {
		t.Fatal("no model captured")
	}
	state, err := mixture.MarshalEStep(ce.m)
	if err != nil {
		t.Fatal(err)
	}
	m, err := mixture.UnmarshalEStep(state)
	if err != nil {
		t.Fatal(err)
	}
	for _, nb := range []int{1, 2, 5, 13, 32, 37} {
		rows := 1000 / nb
		var nodes []node
		var stats []em.Stats
		var parts []em.Partial
		for b := range nb {
			blk := x.Slice(b*rows, (b+1)*rows, 0, 3)
			nd, err := blockNode(m, m.NewWorker(), int64(b), int64(b*rows), denseOf(blk), true)
			if err != nil {
				t.Fatal(err)
			}
			nodes = append(nodes, nd)
			st, _ := mixture.UnmarshalStats(nd.Stats)
			stats, parts = append(stats, st), append(parts, em.Partial{LogLik: nd.LogLik, Entropy: nd.Entropy, Weight: nd.Weight})
		}
		want, wpart := em.MergeOrder(stats, parts)
		wb, _ := mixture.MarshalStats(want)
		rng := rand.New(rand.NewPCG(uint64(nb), 7))
		for trial := range 20 {
			perm := rng.Perm(nb)
			accs := make([]treeAcc, 1+rng.IntN(4))
			var c treeCombine
			for _, i := range perm {
				j := rng.IntN(len(accs))
				if accs[j], err = c.AddInput(accs[j], nodes[i]); err != nil {
					t.Fatal(err)
				}
			}
			for len(accs) > 1 {
				i, j := rng.IntN(len(accs)), rng.IntN(len(accs)-1)
				if j >= i {
					j++
				}
				if accs[i], err = c.MergeAccumulators(accs[i], accs[j]); err != nil {
					t.Fatal(err)
				}
				accs = append(accs[:j], accs[j+1:]...)
			}
			out, err := c.ExtractOutput(accs[0])
			if err != nil {
				t.Fatal(err)
			}
			var got node
			if err := decode(out, &got); err != nil {
				t.Fatal(err)
			}
			if string(got.Stats) != string(wb) || math.Float64bits(got.LogLik) != math.Float64bits(wpart.LogLik) || got.Size != int64(nb) {
				t.Fatalf("%d blocks, trial %d: the merged statistics differ from em.MergeOrder's", nb, trial)
			}
		}
	}
}
