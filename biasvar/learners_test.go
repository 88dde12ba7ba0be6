package biasvar_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/biasvar"
	"github.com/latentgo/latent/internal/testutil"
)

func fit(t *testing.T, l biasvar.Learner, x *mat.Dense, y []float64) biasvar.Model {
	t.Helper()
	m, err := l.Fit(x, y, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatalf("%v: %v", l, err)
	}
	return m
}

func col(v ...float64) *mat.Dense { return mat.NewDense(len(v), 1, v) }

func TestKNN(t *testing.T) {
	x := col(0, 1, 2, 3, 10)
	y := []float64{0, 10, 20, 30, 100}
	m := fit(t, biasvar.KNN{K: 2}, x, y)
	// Nearest two of 1.4: 1 and 2.
	testutil.AssertClose(t, "knn(2) at 1.4", m.Predict([]float64{1.4}), 15, 0, 1e-15)
	// At 1.5, 1 and 2 tie; the earlier wins for the 2nd slot after 1? Both
	// are at 0.5: the two nearest are exactly {1, 2}.
	testutil.AssertClose(t, "knn(2) at 1.5", m.Predict([]float64{1.5}), 15, 0, 1e-15)
	// Ties for the last slot go to the earlier point: at 0.5, 0 and 1 are at
	// 0.5, so k=1 takes 0.
	testutil.AssertClose(t, "knn(1) tie", fit(t, biasvar.KNN{K: 1}, x, y).Predict([]float64{0.5}), 0, 0, 0)
	testutil.AssertClose(t, "knn(5) = mean", fit(t, biasvar.KNN{K: 5}, x, y).Predict([]float64{-3}), 32, 0, 1e-15)
	if _, err := (biasvar.KNN{K: 6}).Fit(x, y, nil); err == nil {
		t.Error("k > n: no error")
	}
	if (biasvar.KNN{}).String() != "knn(k=5)" {
		t.Errorf("zero KNN is %v, want k=5", biasvar.KNN{})
	}
}

func TestKNNClassifier(t *testing.T) {
	x := col(0, 1, 2, 3, 4)
	y := []float64{0, 0, 1, 1, 1}
	m := fit(t, biasvar.KNNClassifier{K: 3, Alpha: 1}, x, y)
	if got := m.Predict([]float64{0.9}); got != 0 {
		t.Errorf("class at 0.9: %v", got)
	}
	q := make([]float64, 3)
	m.(biasvar.ProbModel).PredictProba(q, []float64{0.9})
	// Neighbours 1, 0, 2 → counts (2, 1, 0); (count+1)/(3+3).
	testutil.AssertCloseSlice(t, "proba", q, []float64{3.0 / 6, 2.0 / 6, 1.0 / 6}, 0, 1e-15)
	// Ties go to the smaller class.
	m2 := fit(t, biasvar.KNNClassifier{K: 2}, col(0, 1), []float64{1, 0})
	if got := m2.Predict([]float64{0.5}); got != 0 {
		t.Errorf("tie: got class %v, want 0", got)
	}
	if _, err := (biasvar.KNNClassifier{K: 1}).Fit(col(0), []float64{0.5}, nil); err == nil {
		t.Error("label 0.5 accepted")
	}
}

func TestPolyExact(t *testing.T) {
	// A degree-10 polynomial through 30 points is recovered exactly by
	// degree 10, and by degree 12 (the extra coefficients vanish).
	coef := []float64{0.3, -1, 2, 0.5, -3, 1, 0.25, -0.5, 2, -1, 0.7}
	poly := func(x float64) float64 {
		s := 0.0
		for j := len(coef) - 1; j >= 0; j-- {
			s = s*x + coef[j]
		}
		return s
	}
	n := 30
	x := mat.NewDense(n, 1, nil)
	y := make([]float64, n)
	for i := 0; i < n; i++ {
		x.Set(i, 0, 5+10*float64(i)/float64(n-1)) // on [5, 15]: monomials would be badly conditioned
		y[i] = poly(x.At(i, 0))
	}
	for _, deg := range []int{10, 12} {
		m := fit(t, biasvar.Poly{Degree: deg}, x, y)
		for _, q := range []float64{5, 7.77, 12.3, 15} {
			testutil.AssertClose(t, "poly", m.Predict([]float64{q}), poly(q), 0, 1e-8)
		}
	}
	// Degree 0 is the mean.
	testutil.AssertClose(t, "degree 0", fit(t, biasvar.Poly{}, col(1, 2, 6), []float64{1, 2, 6}).Predict([]float64{100}), 3, 0, 1e-15)
	// Too few distinct x: singular.
	_, err := biasvar.Poly{Degree: 3}.Fit(col(1, 1, 2, 2, 3), []float64{1, 2, 3, 4, 5}, nil)
	if err == nil || !strings.Contains(err.Error(), "singular") {
		t.Errorf("3 distinct x, degree 3: %v", err)
	}
	// Several inputs: linear regression.
	xm := mat.NewDense(4, 2, []float64{0, 0, 1, 0, 0, 1, 1, 1})
	lin := fit(t, biasvar.Poly{Degree: 1}, xm, []float64{1, 3, 0, 2})
	testutil.AssertClose(t, "linear", lin.Predict([]float64{2, 3}), 1+2*2-1*3, 0, 1e-12)
	if _, err := (biasvar.Poly{Degree: 2}).Fit(xm, []float64{1, 3, 0, 2}, nil); err == nil {
		t.Error("degree 2 with 2 inputs accepted")
	}
}

func TestRidge(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	n := 25
	x := mat.NewDense(n, 1, nil)
	y := make([]float64, n)
	var ybar float64
	for i := range y {
		x.Set(i, 0, rng.Float64())
		y[i] = math.Sin(6*x.At(i, 0)) + 0.1*rng.NormFloat64()
		ybar += y[i] / float64(n)
	}
	q := []float64{0.37}
	// λ → 0 is least squares; λ → ∞ shrinks to the mean (unpenalised intercept).
	testutil.AssertClose(t, "ridge λ=1e-12 vs poly", fit(t, biasvar.Ridge{Lambda: 1e-12, Degree: 5}, x, y).Predict(q), fit(t, biasvar.Poly{Degree: 5}, x, y).Predict(q), 0, 1e-8)
	testutil.AssertClose(t, "ridge λ=1e12 vs mean", fit(t, biasvar.Ridge{Lambda: 1e12, Degree: 5}, x, y).Predict(q), ybar, 1e-9, 0)
	// Against the normal equations (AᵀA + λD)β = Aᵀy on the same basis,
	// well conditioned at this size: same fit.
	lam := 0.3
	deg := 4
	A := mat.NewDense(n, deg+1, nil)
	leg := func(dst []float64, u float64) {
		dst[0], dst[1] = 1, u
		for j := 1; j < deg; j++ {
			dst[j+1] = (float64(2*j+1)*u*dst[j] - float64(j)*dst[j-1]) / float64(j+1)
		}
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := 0; i < n; i++ {
		lo, hi = math.Min(lo, x.At(i, 0)), math.Max(hi, x.At(i, 0))
	}
	sc := func(v float64) float64 { return (2*v - lo - hi) / (hi - lo) }
	for i := 0; i < n; i++ {
		leg(A.RawRowView(i), sc(x.At(i, 0)))
	}
	var ata mat.Dense
	ata.Mul(A.T(), A)
	for j := 1; j <= deg; j++ {
		ata.Set(j, j, ata.At(j, j)+lam)
	}
	var aty, beta mat.VecDense
	aty.MulVec(A.T(), mat.NewVecDense(n, y))
	if err := beta.SolveVec(&ata, &aty); err != nil {
		t.Fatal(err)
	}
	row := make([]float64, deg+1)
	leg(row, sc(q[0]))
	want := mat.Dot(mat.NewVecDense(deg+1, row), &beta)
	testutil.AssertClose(t, "ridge vs normal equations", fit(t, biasvar.Ridge{Lambda: lam, Degree: deg}, x, y).Predict(q), want, 0, 1e-10)
	if _, err := (biasvar.Ridge{Lambda: -1}).Fit(x, y, nil); err == nil {
		t.Error("negative λ accepted")
	}
}

func TestTree(t *testing.T) {
	// A stump on a step finds the step, at the midpoint of the gap.
	x := col(0.1, 0.2, 0.3, 0.6, 0.7, 0.8)
	y := []float64{0, 0, 0, 1, 1, 1}
	m := fit(t, biasvar.Tree{MaxDepth: 1}, x, y)
	for _, c := range []struct{ x, want float64 }{{0.449, 0}, {0.451, 1}, {0.3, 0}, {1, 1}} {
		if got := m.Predict([]float64{c.x}); got != c.want {
			t.Errorf("stump at %v: got %v, want %v", c.x, got, c.want)
		}
	}
	// Unlimited depth interpolates distinct x; duplicates average.
	full := fit(t, biasvar.Tree{}, col(1, 2, 2, 3), []float64{5, 1, 3, 7})
	for _, c := range []struct{ x, want float64 }{{1, 5}, {2, 2}, {3, 7}} {
		if got := full.Predict([]float64{c.x}); got != c.want {
			t.Errorf("full tree at %v: got %v, want %v", c.x, got, c.want)
		}
	}
	// min_leaf 3 on 6 points allows only the middle split.
	ml := fit(t, biasvar.Tree{MinLeaf: 3}, col(1, 2, 3, 4, 5, 6), []float64{0, 10, 0, 0, 0, 0})
	testutil.AssertClose(t, "min_leaf", ml.Predict([]float64{1}), 10.0/3, 0, 1e-15)
	// Two inputs: the informative one is chosen.
	x2 := mat.NewDense(4, 2, []float64{0, 0, 0, 1, 1, 0, 1, 1})
	m2 := fit(t, biasvar.Tree{MaxDepth: 1}, x2, []float64{0, 5, 0, 5})
	if m2.Predict([]float64{0.2, 0.9}) != 5 || m2.Predict([]float64{0.8, 0.1}) != 0 {
		t.Errorf("2-D stump split on the wrong input")
	}
}

func TestRandomFeatures(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	n := 20
	x := mat.NewDense(n, 2, nil)
	y := make([]float64, n)
	for i := range y {
		x.Set(i, 0, rng.Float64())
		x.Set(i, 1, rng.Float64())
		y[i] = rng.NormFloat64()
	}
	// p > n: the minimum-norm solution interpolates the training data.
	m := fit(t, biasvar.RandomFeatures{Features: 60}, x, y)
	for i := 0; i < n; i++ {
		testutil.AssertClose(t, "interpolation", m.Predict(x.RawRowView(i)), y[i], 1e-6, 0)
	}
	// The same stream gives the same features.
	a := fit(t, biasvar.RandomFeatures{Features: 7}, x, y).Predict([]float64{0.3, 0.3})
	b := fit(t, biasvar.RandomFeatures{Features: 7}, x, y).Predict([]float64{0.3, 0.3})
	if a != b {
		t.Errorf("same stream, different fits: %v %v", a, b)
	}
}

func TestNewLearner(t *testing.T) {
	for _, c := range []struct {
		name   string
		params map[string]float64
		want   string
		err    string
	}{
		{"knn", nil, "knn(k=5)", ""},
		{"knn", map[string]float64{"k": 9}, "knn(k=9)", ""},
		{"poly", map[string]float64{"degree": 4}, "poly(degree=4)", ""},
		{"ridge", map[string]float64{"lambda": 0.5}, "ridge(lambda=0.5,degree=9)", ""},
		{"tree", map[string]float64{"depth": 3}, "tree(depth=3)", ""},
		{"rff", map[string]float64{"features": 40}, "rff(features=40,scale=1)", ""},
		{"knnc", map[string]float64{"k": 3, "alpha": 1}, "knnc(k=3,alpha=1)", ""},
		{"mlp", map[string]float64{"hidden": 7}, "mlp(hidden=7)", ""},
		{"mlpc", nil, "mlpc(hidden=20)", ""},
		{"logistic", map[string]float64{"epochs": 50}, "logistic", ""},
		{"knn", map[string]float64{"degree": 2}, "", `learner "knn" has no parameter "degree"; its parameters are k`},
		{"knn", map[string]float64{"k": 2.5}, "", "must be an integer"},
		{"svm", nil, "", `no learner "svm"; the learners are knn, poly`},
	} {
		l, err := biasvar.NewLearner(c.name, c.params)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s %v: error %v, want %q", c.name, c.params, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := l.(interface{ String() string }).String(); got != c.want {
			t.Errorf("%s %v: got %s, want %s", c.name, c.params, got, c.want)
		}
	}
}

func TestParseValues(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []float64
		err  string
	}{
		{"5", []float64{5}, ""},
		{"1:4", []float64{1, 2, 3, 4}, ""},
		{"0:1:0.25", []float64{0, 0.25, 0.5, 0.75, 1}, ""},
		{"0:0.3:0.1", []float64{0, 0.1, 0.2, 0.3}, ""},
		{"1e-3:1e1:x10", []float64{1e-3, 1e-2, 1e-1, 1, 10}, ""},
		{"1, 2,5", []float64{1, 2, 5}, ""},
		{"", nil, "empty"},
		{"3:1", nil, "ends"},
		{"1:2:0", nil, "step must be > 0"},
		{"0:5:x2", nil, "start above 0"},
		{"1:1e9", nil, "more than"},
		{"a", nil, "not a number"},
		{"0x10", nil, "not a number"},
		{"NaN", nil, "not a number"},
		{"1:2:3:4", nil, "FROM:TO"},
	} {
		got, err := biasvar.ParseValues(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: error %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		testutil.AssertCloseSlice(t, c.in, got, c.want, 0, 1e-12)
	}
}

// FuzzParseValues: any input gives values or an error, never a panic, and
// never more than MaxValues values or a non-finite one.
func FuzzParseValues(f *testing.F) {
	for _, s := range []string{"5", "1:12", "0:1:0.1", "1e-6:1e2:x10", "1,2,3", "1:", ":", "1e308:1.7e308:1e307", "-1:1:1e-300"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := biasvar.ParseValues(s)
		if err != nil {
			return
		}
		if len(v) == 0 || len(v) > biasvar.MaxValues {
			t.Fatalf("%q: %d values", s, len(v))
		}
		for _, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				t.Fatalf("%q: value %v", s, x)
			}
		}
	})
}
