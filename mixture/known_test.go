package mixture

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/internal/testutil"
)

// With every label known, the start (InitKnown, the M-step of the labels)
// is the class-wise maximum-likelihood estimate: each class's share, mean
// and covariance (divided by its count); one more EM iteration changes
// nothing but rounding.
func TestKnownAllLabelsClasswiseMLE(t *testing.T) {
	d := randomData(newRNG(19), 400, 3, 3, 4, Full)
	n := 400
	for _, iters := range []int{em.NoIterations, 1} {
		m, rep := fitted(t, d.x, Options{K: 3, Known: d.labels, RegCovar: NoRegCovar, MaxIter: iters, Tol: em.NoTol})
		if rep.Init != string(InitKnown) || rep.KnownRows != n {
			t.Errorf("init %q, %d known rows; want known, %d", rep.Init, rep.KnownRows, n)
		}
		for k := 0; k < 3; k++ {
			var rows []int
			for i, l := range d.labels {
				if l == k {
					rows = append(rows, i)
				}
			}
			nk := float64(len(rows))
			mu := make([]float64, 3)
			for _, i := range rows {
				for j := range mu {
					mu[j] += d.x.At(i, j) / nk
				}
			}
			testutil.AssertClose(t, "weight", m.weights[k], nk/float64(n), 1e-14, 1e-12)
			testutil.AssertCloseSlice(t, "mean", m.means[k*3:(k+1)*3], mu, 1e-12, 1e-12)
			cov := m.Covariance(nil, k)
			for a := 0; a < 3; a++ {
				for b := 0; b < 3; b++ {
					s := 0.0
					for _, i := range rows {
						s += (d.x.At(i, a) - mu[a]) * (d.x.At(i, b) - mu[b])
					}
					testutil.AssertClose(t, "covariance", cov.At(a, b), s/nk, 1e-12, 1e-11)
				}
			}
		}
	}
}

// sscModel is one model's MclustSSC.fit result in a reference file.
type sscModel struct {
	Iterations int           `json:"iterations"`
	Loglik     float64       `json:"loglik"`
	Pro        []float64     `json:"pro"`
	Mean       [][]float64   `json:"mean"`
	Sigma      [][][]float64 `json:"sigma"`
	Parameters *struct {
		Pro   []float64     `json:"pro"`
		Mean  [][]float64   `json:"mean"`
		Sigma [][][]float64 `json:"sigma"`
	} `json:"parameters"`
}

// sscReference is testdata/mclust/ssc_iris.json (ssc_iris.R, mclust on
// R's default BLAS) or testdata/mclust/mclust_ssc.json (mclust_ssc.R, on
// the reference BLAS; the parameters nested): the same fits.
type sscReference struct {
	KnownRows []int               `json:"known_rows"`
	Levels    []string            `json:"levels"`
	Models    map[string]sscModel `json:"models"`
}

// mclustNames are mclust's names of the four scikit-learn families.
var mclustNames = map[string]CovarianceType{"VVV": Full, "EEE": Tied, "VVI": Diag, "VII": Spherical}

// Against mclust 6.0's MclustSSC on Iris with a third of the labels known
// (rows 1, 4, 7, …; testdata/mclust/ssc_iris.R and mclust_ssc.R): from the
// same start and for the same number of M-steps, the same weights, means,
// covariances and log-likelihood to 1e-6 (they agree to about 1e-13), for
// every mclust model latent has a family for (by ParseCovarianceType of
// mclust's name, or the four above).
func TestKnownMatchesMclustSSC(t *testing.T) {
	for _, file := range []string{"testdata/mclust/ssc_iris.json", "testdata/mclust/mclust_ssc.json"} {
		t.Run(file, func(t *testing.T) { checkSSC(t, file) })
	}
}

func checkSSC(t *testing.T, file string) {
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var ref sscReference
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	iris := datasets.Iris()
	x := iris.X
	n, d := x.Dims()
	known := make([]int, n)
	for i := range known {
		known[i] = NoLabel
	}
	levels := map[string]int{}
	for k, l := range ref.Levels {
		levels[l] = k
	}
	for _, r := range ref.KnownRows {
		c, ok := levels[iris.Labels[r-1]]
		if !ok {
			t.Fatalf("row %d: label %q not among %v", r, iris.Labels[r-1], ref.Levels)
		}
		known[r-1] = c
	}
	tested := 0
	for name, want := range ref.Models {
		if p := want.Parameters; p != nil {
			want.Pro, want.Mean, want.Sigma = p.Pro, p.Mean, p.Sigma
		}
		cov, ok := mclustNames[name]
		if !ok {
			c, err := ParseCovarianceType(name)
			if err != nil || want.Iterations == 0 {
				continue // no family of latent's yet, or mclust failed
			}
			cov = c
		}
		skip, loose := mclustParityRestarted(cov)
		if skip {
			continue
		}
		tol := max(1e-6, loose)
		tested++
		o := Options{K: 3, Covariance: cov, Known: known, ClassNames: ref.Levels, RegCovar: NoRegCovar, MaxIter: want.Iterations - 1, Tol: em.NoTol}
		if want.Iterations == 1 {
			o.MaxIter = em.NoIterations
		}
		m, rep := fitted(t, x, o)
		testutil.AssertClose(t, name+" log-likelihood", rep.LogLikelihood*float64(n), want.Loglik, 0, tol)
		testutil.AssertCloseSlice(t, name+" weights", m.weights, want.Pro, tol, tol)
		for k := 0; k < 3; k++ {
			testutil.AssertCloseSlice(t, name+" mean", m.means[k*d:(k+1)*d], want.Mean[k], tol, tol)
			c := m.Covariance(nil, k)
			for a := 0; a < d; a++ {
				for b := 0; b < d; b++ {
					testutil.AssertClose(t, name+" covariance", c.At(a, b), want.Sigma[k][a][b], tol, tol)
				}
			}
		}
		if got := m.Classes(); len(got) != 3 || got[2] != ref.Levels[2] {
			t.Errorf("%s: classes %v", name, got)
		}
	}
	if tested < 4 {
		t.Errorf("%d mclust models compared, want at least the 4 of scikit-learn's families", tested)
	}
}

// Labels must name components 0…K−1: more classes than K, or a label past
// K, is an error naming the option; Known with another Init, or with
// FitSource, too.
func TestKnownErrors(t *testing.T) {
	x := randn(newRNG(1), 20, 2)
	known := make([]int, 20)
	for i := range known {
		known[i] = NoLabel
	}
	known[3] = 2
	_, _, err := Fit(context.Background(), x, Options{K: 2, Known: known})
	var oe *OptionError
	if !errors.As(err, &oe) || oe.Option != "Known" {
		t.Fatalf("label 2 with K = 2: %v", err)
	}
	wantErr(t, "label past K", err, "Known[3] = 2", "more classes than there are components")
	_, _, err = Fit(context.Background(), x, Options{K: 2, Known: known[:5]})
	wantErr(t, "short", err, "5 labels for 20 rows")
	_, _, err = Fit(context.Background(), x, Options{K: 2, ClassNames: []string{"a", "b", "c"}})
	wantErr(t, "names", err, "names 3 classes", "more than K = 2")
	known[3] = 1
	_, _, err = Fit(context.Background(), x, Options{K: 2, Known: known, Init: InitKMeans})
	wantErr(t, "init", err, "Options.Init = kmeans with Known")
	_, _, err = FitSource(context.Background(), em.Matrix(x, nil), x, Options{K: 2, Known: known})
	wantErr(t, "stream", err, "Options.Known must be nil for FitSource")
	m, _ := fitted(t, x, Options{K: 2, Known: known, ClassNames: []string{"a", "b"}})
	if c, err := m.ClassOf("b"); c != 1 || err != nil {
		t.Errorf("ClassOf(b) = %d, %v", c, err)
	}
	if _, err := m.ClassOf("z"); err == nil {
		t.Error("ClassOf of a label the fit never saw: no error")
	}
}
