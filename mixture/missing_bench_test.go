package mixture

import (
	"context"
	"sync"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// The cost of missing values: one EM iteration on the medium set (1e5 × 10,
// K = 8, full covariances) with 10% of the cells deleted completely at
// random (seeded), against BenchmarkEMIterationFull1e5x10K8 on the same
// rows complete. Issue 15 asks for a ratio of at most 3:
//
//	go test ./mixture -run '^$' -bench 'EMIteration(Full|Missing)1e5x10K8$' -count 6 | benchstat -col /name -
//
// (or compare the two lines' ns/op).

var (
	missOnce  sync.Once
	missBench *mat.Dense
)

func BenchmarkEMIterationMissing1e5x10K8(b *testing.B) {
	s := loadBench(b, "medium", 100000, 10, 8)
	missOnce.Do(func() { missBench = deleteCells(s.x, 0.10, newRNG(15)) })
	m, err := New(Full, s.start, nil)
	if err != nil {
		b.Fatal(err)
	}
	m.data.missing = true
	e := &emModel{m: m, regCovar: DefaultRegCovar, miss: newPatterns(m)}
	p, err := em.NewPasser(em.Matrix(missBench, nil), e, em.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, _, err := p.Pass(ctx, true)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := e.MStep(st); err != nil {
			b.Fatal(err)
		}
	}
}
