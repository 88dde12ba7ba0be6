package mixture

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/internal/testutil"
)

// benchHCRows returns the first 2,000 rows of the bench set's medium.csv
// (N = 1e5, D = 10) when present — the rows testdata/mclust/time_hc.R
// times mclust's hc on — and otherwise 2,000 rows of the same shape drawn
// with a fixed seed.
func benchHCRows(b *testing.B) *mat.Dense {
	const n, d = 2000, 10
	f, err := os.Open(filepath.Join(testutil.BenchDataDir(), "medium.csv"))
	if err != nil {
		return randn(newRNG(2000), n, d)
	}
	defer f.Close()
	x := mat.NewDense(n, d, nil)
	sc := bufio.NewScanner(f)
	for i := 0; i < n && sc.Scan(); i++ {
		for j, s := range strings.Split(sc.Text(), ",")[:d] {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				b.Fatal(err)
			}
			x.Set(i, j, v)
		}
	}
	return x
}

// BenchmarkHC2000x10 is mclust's default hc (VVV, SVD) on 2,000 rows of
// 10 columns, the subset mclustBIC clusters of a large set
// (bench_vs_mclust_hc.sh times mclust on the same rows).
func BenchmarkHC2000x10(b *testing.B) {
	x := benchHCRows(b)
	b.ResetTimer()
	for range b.N {
		if _, err := HC(b.Context(), x, HCOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMclustIris is Mclust(iris[, 1:4]): the 126 cells of mclustBIC
// (K = 1…9, 14 models) from one hc, and the refit of the best.
func BenchmarkMclustIris(b *testing.B) {
	iris := datasets.Iris().X
	x := mat.DenseCopyOf(iris.Slice(0, 150, 0, 4))
	b.ResetTimer()
	for range b.N {
		if _, _, _, err := Select(b.Context(), x, MclustDefaults()); err != nil {
			b.Fatal(err)
		}
	}
}
