package mixture

import (
	"context"
	"sync"
	"syscall"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// The cost of missing values: one EM iteration on the medium set (1e5 × 10,
// K = 8, full covariances, the shared benchmark's start) with 10% of the
// cells deleted completely at random (seeded), against the same iteration
// on the rows complete. Issue 15 asks for a ratio of at most 3. Besides
// ns/op each reports cpu-ns/op, the process's CPU time per iteration,
// which a machine shared with other jobs disturbs less than the wall
// clock:
//
//	go test ./mixture -run '^$' -bench 'EMIterationMissing' -count 6 | benchstat -col /data -
//
// BenchmarkEMIterationFull1e5x10K8 (bench_test.go) is the complete case
// alone.

var (
	missOnce  sync.Once
	missBench *mat.Dense
)

func BenchmarkEMIterationMissing1e5x10K8(b *testing.B) {
	s := loadBench(b, "medium", 100000, 10, 8)
	missOnce.Do(func() { missBench = deleteCells(s.x, 0.10, newRNG(15)) })
	for _, c := range []struct {
		name    string
		x       *mat.Dense
		missing bool
	}{{"data=complete", s.x, false}, {"data=missing10%", missBench, true}} {
		b.Run(c.name, func(b *testing.B) {
			m, err := New(Full, s.start, nil)
			if err != nil {
				b.Fatal(err)
			}
			e := &emModel{m: m, regCovar: DefaultRegCovar}
			if c.missing {
				m.data.missing = true
				e.miss = newPatterns(m)
			}
			p, err := em.NewPasser(em.Matrix(c.x, nil), e, em.Options{})
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			cpu0 := cpuTime()
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
			b.StopTimer()
			b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
	}
}

// cpuTime is the process's user and system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
