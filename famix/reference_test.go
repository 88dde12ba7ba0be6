package famix

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/internal/testutil"
)

type refLCA struct {
	Iterations int           `json:"iterations"`
	K          int           `json:"K"`
	LogLik     float64       `json:"loglik"`
	Trace      []float64     `json:"trace"`
	Weights    []float64     `json:"weights"`
	Levels     [][]string    `json:"levels"`
	P          [][][]float64 `json:"p"` // [d][K][L_j]
}

type refT struct {
	Iterations  int           `json:"iterations"`
	K           int           `json:"K"`
	FixedNu     float64       `json:"fixed_nu"`
	LogLik      float64       `json:"loglik"`
	Trace       []float64     `json:"trace"`
	Weights     []float64     `json:"weights"`
	Means       [][]float64   `json:"means"`
	Covariances [][][]float64 `json:"covariances"`
	Nu          []float64     `json:"nu"`
}

func loadRef(t *testing.T) (lca refLCA, ts []refT) {
	b, err := os.ReadFile("testdata/ref_lca_t.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		LCA refLCA `json:"lca"`
		T   []refT `json:"t"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return ref.LCA, ref.T
}

func readTable(t *testing.T, path string, fam Family) *Table {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tab, err := ReadTable(f, TableOptions{Name: path, Family: fam})
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// cyclic is the references' start: row i (0-based) in component i mod K.
func cyclic(n, k int) *mat.Dense {
	post := mat.NewDense(n, k, nil)
	for i := 0; i < n; i++ {
		post.Set(i, i%k, 1)
	}
	return post
}

func refEM(iter int) em.Options {
	return em.Options{MaxIter: iter, Tol: em.NoTol, Workers: 2, BlockRows: 128}
}

// TestReferenceLCA reproduces the hand-written R EM of latent class
// analysis (famix/testdata/ref_lca_t.R: 600 rows, 5 categorical columns of
// 2–4 text labels, K = 3, 40 iterations from a cyclic partition): every
// iteration's log-likelihood and the final one to 1e-10 relative, the
// weights and probabilities to 1e-8.
func TestReferenceLCA(t *testing.T) {
	ref, _ := loadRef(t)
	tab := readTable(t, "testdata/lca.csv", Categorical)
	for j, lv := range ref.Levels {
		if len(lv) != len(tab.Levels[j]) {
			t.Fatalf("column %d labels: got %v, want R's %v", j+1, tab.Levels[j], lv)
		}
		for l := range lv {
			if lv[l] != tab.Levels[j][l] {
				t.Fatalf("column %d labels: got %v, want R's %v", j+1, tab.Levels[j], lv)
			}
		}
	}
	n, _ := tab.X.Dims()
	m, rep, err := FitFromPosterior(context.Background(), tab.X, cyclic(n, ref.K), tab.Options(ref.K).withEM(refEM(ref.Iterations)))
	if err != nil {
		t.Fatal(err)
	}
	st := rep.Starts[rep.Best]
	for i, it := range st.Trace {
		testutil.AssertClose(t, "iteration log-likelihood", it.LogLik*rep.Weight, ref.Trace[i], 0, 1e-10)
	}
	testutil.AssertClose(t, "log-likelihood", rep.LogLikelihood*rep.Weight, ref.LogLik, 0, 1e-10)
	testutil.AssertCloseSlice(t, "weights", m.Weights(), ref.Weights, 1e-8, 0)
	cat := m.blocks[0].fam.(*categorical)
	for j := range ref.P {
		prof := cat.profile(j)
		for k := range prof {
			testutil.AssertCloseSlice(t, "p", prof[k], ref.P[j][k], 1e-8, 0)
		}
	}
	t.Logf("LCA: log L %.10f (R %.10f), %d iterations", rep.LogLikelihood*rep.Weight, ref.LogLik, rep.Iterations)
}

func (o Options) withEM(e em.Options) Options { o.EM = e; return o }

// TestReferenceT reproduces the R script's ECM for a two-component
// bivariate t mixture (famix/testdata/ref_lca_t.R; 300 rows drawn with
// t_4 noise), ν estimated per component (Peel & McLachlan 2000) and ν fixed
// at 4: the log-likelihood trace to 1e-9 relative, the parameters to 1e-6.
func TestReferenceT(t *testing.T) {
	_, refs := loadRef(t)
	tab := readTable(t, "testdata/tmix.csv", StudentT)
	n, _ := tab.X.Dims()
	for _, ref := range refs {
		o := tab.Options(ref.K).withEM(refEM(ref.Iterations))
		o.Nu, o.RegCovar = ref.FixedNu, NoReg
		m, rep, err := FitFromPosterior(context.Background(), tab.X, cyclic(n, ref.K), o)
		if err != nil {
			t.Fatal(err)
		}
		st := rep.Starts[rep.Best]
		for i, it := range st.Trace {
			testutil.AssertClose(t, "iteration log-likelihood", it.LogLik*rep.Weight, ref.Trace[i], 0, 1e-9)
		}
		testutil.AssertClose(t, "log-likelihood", rep.LogLikelihood*rep.Weight, ref.LogLik, 0, 1e-9)
		testutil.AssertCloseSlice(t, "weights", m.Weights(), ref.Weights, 1e-6, 0)
		f := m.blocks[0].fam.(*studentT)
		for k := 0; k < ref.K; k++ {
			testutil.AssertCloseSlice(t, "mean", f.means(k), ref.Means[k], 1e-6, 0)
			for a := range ref.Covariances[k] {
				testutil.AssertCloseSlice(t, "covariance", f.cov[k*4+a*2:k*4+a*2+2], ref.Covariances[k][a], 1e-6, 0)
			}
			testutil.AssertClose(t, "nu", f.nu[k], ref.Nu[k], 1e-6, 1e-6)
		}
		t.Logf("t (fixed ν %v): log L %.10f (R %.10f), ν %v (R %v)", ref.FixedNu, rep.LogLikelihood*rep.Weight, ref.LogLik, f.nu, ref.Nu)
	}
}

var _ = math.Abs
