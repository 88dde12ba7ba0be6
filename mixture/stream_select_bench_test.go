package mixture

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/table"
)

// The streamed grid against separate streamed fits, on a CSV file of the
// medium shape (N = 1e5, D = 10; the bench set's medium.csv when present,
// else synthetic data written to a temporary file): the 36 candidates
// K = 1…9 × four covariance types, each running exactly 2 iterations and
// its final pass (3 passes), so the grid reads the file 3 times and the
// separate fits 108 times. Both do the same E-steps and M-steps; the ratio
// of their times is what sharing the scans saves. The time per op divided
// by 3 is the time of one streamed grid iteration.
//
//	go test ./mixture -run XXX -bench 'StreamGrid' -benchtime 1x -count 3
func BenchmarkStreamGrid(b *testing.B) {
	path, sample := streamGridFile(b)
	so := SelectOptions{Ks: []int{1, 2, 3, 4, 5, 6, 7, 8, 9}, Options: Options{MaxIter: 2, Tol: em.NoTol, Seed: 1}}
	open := func() em.Source {
		src, err := table.OpenCSV(path, table.Options{Header: table.HeaderAbsent})
		if err != nil {
			b.Fatal(err)
		}
		return src
	}
	b.Run("shared", func(b *testing.B) {
		for b.Loop() {
			if _, _, _, err := SelectSource(context.Background(), open(), sample, so); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("separate", func(b *testing.B) {
		for b.Loop() {
			for _, c := range CovarianceTypes {
				for _, k := range so.Ks {
					o := so.Options
					o.K, o.Covariance = k, c
					_, _, _ = FitSource(context.Background(), open(), sample, o)
				}
			}
		}
	})
}

func streamGridFile(b *testing.B) (string, *mat.Dense) {
	s := loadBench(b, "medium", 100000, 10, 8)
	path := filepath.Join(b.TempDir(), "medium.csv")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	n, d := s.x.Dims()
	buf := make([]byte, 0, 256)
	for i := 0; i < n; i++ {
		buf = buf[:0]
		for j := 0; j < d; j++ {
			if j > 0 {
				buf = append(buf, ',')
			}
			buf = strconv.AppendFloat(buf, s.x.At(i, j), 'g', -1, 64)
		}
		buf = append(buf, '\n')
		if _, err := f.Write(buf); err != nil {
			b.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		b.Fatal(fmt.Errorf("writing %s: %w", path, err))
	}
	return path, s.x
}
