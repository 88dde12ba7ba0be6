package mixture

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"
)

// A Monte Carlo study of EM with missing values (issue 15): R data sets of
// n rows from a known two-component mixture in three dimensions, 20% of
// the cells deleted completely at random (MCAR); each is fitted three
// ways: EM on the incomplete rows (Options.Missing), complete-case
// analysis (the rows with no hole; about 0.8³ = 51% of them) and EM on
// the rows completed by column means. Under MCAR the first two are
// consistent, and EM, which uses every observed cell, has the smaller
// error; mean imputation shrinks the variances and covariances (its bias
// is the check that the study can see one).
//
// The test checks, for every parameter (π₁, both means, both covariances),
// that EM's mean estimate is within 4 standard errors (sd/√R) of the
// truth, and that EM's root mean squared error, summed over the
// parameters, is below complete-case analysis's; and that mean imputation
// fails the bias check. `go test ./mixture -run MonteCarlo -v` prints the
// table.
func TestMissingMonteCarlo(t *testing.T) {
	const (
		reps = 80
		n    = 500
		frac = 0.2
	)
	truthW := []float64{0.4, 0.6}
	truthMu := [][]float64{{0, 0, 0}, {6, 5, -3}}
	truthCov := []*mat.SymDense{
		mat.NewSymDense(3, []float64{1, 0.5, 0.3, 0.5, 1, 0.2, 0.3, 0.2, 1}),
		mat.NewSymDense(3, []float64{1.5, -0.4, 0, -0.4, 1, 0.3, 0, 0.3, 0.8}),
	}
	names, truth := mcStudyParams(truthW, truthMu, truthCov)
	methods := []string{"EM, missing values", "complete cases", "mean imputation"}
	est := make([][][]float64, len(methods)) // [method][rep][param]
	rng := rand.New(rand.NewPCG(2002, 11))
	comps := make([]*distmv.Normal, 2)
	for k := range comps {
		comps[k], _ = distmv.NewNormal(truthMu[k], truthCov[k], rand.NewPCG(rng.Uint64(), 1))
	}
	ctx := context.Background()
	for r := 0; r < reps; r++ {
		x := mat.NewDense(n, 3, nil)
		for i := 0; i < n; i++ {
			k := 0
			if rng.Float64() >= truthW[0] {
				k = 1
			}
			comps[k].Rand(x.RawRowView(i))
		}
		holes := deleteCells(x, frac, rng)
		var cc []float64
		for i := 0; i < n; i++ {
			row := holes.RawRowView(i)
			if !math.IsNaN(row[0]) && !math.IsNaN(row[1]) && !math.IsNaN(row[2]) {
				cc = append(cc, row...)
			}
		}
		filled, err := missingData(holes, nil, "X")
		if err != nil {
			t.Fatal(err)
		}
		data := []struct {
			x       mat.Matrix
			missing bool
		}{
			{holes, true},
			{mat.NewDense(len(cc)/3, 3, cc), false},
			{mat.NewDense(n, 3, filled.x), false},
		}
		for j, dt := range data {
			m, _, err := Fit(ctx, dt.x, Options{K: 2, Missing: dt.missing, Seed: uint64(r), Tol: 1e-8, MaxIter: 500})
			if err != nil {
				t.Fatalf("replication %d, %s: %v", r, methods[j], err)
			}
			est[j] = append(est[j], mcEstimate(m))
		}
	}
	mean := func(j, p int) float64 {
		s := 0.0
		for _, e := range est[j] {
			s += e[p]
		}
		return s / reps
	}
	se := func(j, p int) float64 {
		mu, s := mean(j, p), 0.0
		for _, e := range est[j] {
			s += (e[p] - mu) * (e[p] - mu)
		}
		return math.Sqrt(s / (reps - 1) / reps)
	}
	rmse := func(j, p int) float64 {
		s := 0.0
		for _, e := range est[j] {
			s += (e[p] - truth[p]) * (e[p] - truth[p])
		}
		return math.Sqrt(s / reps)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d data sets of %d rows, %.0f%% of cells missing completely at random; mean estimate (bias in standard errors) and RMSE\n", reps, n, 100*frac)
	fmt.Fprintf(&b, "| parameter | truth | EM: mean (bias/se) | EM: RMSE | complete cases: mean (bias/se) | CC: RMSE | mean imputation: mean (bias/se) | MI: RMSE |\n|---|---|---|---|---|---|---|---|\n")
	sumR := make([]float64, len(methods))
	worstMI := 0.0
	for p, name := range names {
		fmt.Fprintf(&b, "| %s | %.3f |", name, truth[p])
		for j := range methods {
			z := (mean(j, p) - truth[p]) / se(j, p)
			fmt.Fprintf(&b, " %.3f (%+.1f) | %.3f |", mean(j, p), z, rmse(j, p))
			sumR[j] += rmse(j, p)
			if j == 0 && math.Abs(z) > 4 {
				t.Errorf("EM with missing values: %s is biased: mean %.4f, truth %.4f, %.1f standard errors", name, mean(j, p), truth[p], z)
			}
			if j == 2 {
				worstMI = math.Max(worstMI, math.Abs(z))
			}
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "| sum of RMSE | | | %.3f | | %.3f | | %.3f |\n", sumR[0], sumR[1], sumR[2])
	t.Log("\n" + b.String())
	if sumR[0] >= sumR[1] {
		t.Errorf("EM with missing values (sum of RMSE %.4f) is not better than complete-case analysis (%.4f)", sumR[0], sumR[1])
	}
	if worstMI < 4 {
		t.Errorf("mean imputation shows no bias beyond 4 standard errors (worst %.1f): the study cannot see a bias", worstMI)
	}
}

// mcStudyParams flattens a mixture's parameters as mcEstimate does, with their
// names: π₁, μ_k, then each Σ_k's upper triangle.
func mcStudyParams(w []float64, mu [][]float64, cov []*mat.SymDense) ([]string, []float64) {
	names := []string{"π1"}
	vals := []float64{w[0]}
	for k := range mu {
		for j, v := range mu[k] {
			names = append(names, fmt.Sprintf("μ%d[%d]", k+1, j+1))
			vals = append(vals, v)
		}
	}
	for k := range cov {
		for a := 0; a < 3; a++ {
			for b := a; b < 3; b++ {
				names = append(names, fmt.Sprintf("Σ%d[%d,%d]", k+1, a+1, b+1))
				vals = append(vals, cov[k].At(a, b))
			}
		}
	}
	return names, vals
}

// mcEstimate flattens a fitted model, its components ordered by their
// first mean coordinate (the truth's order; they are well apart).
func mcEstimate(m *Model) []float64 {
	order := []int{0, 1}
	if m.means[0] > m.means[m.d] {
		order = []int{1, 0}
	}
	w := []float64{m.weights[order[0]], m.weights[order[1]]}
	mu := [][]float64{m.means[order[0]*3 : order[0]*3+3], m.means[order[1]*3 : order[1]*3+3]}
	cov := []*mat.SymDense{m.Covariance(nil, order[0]), m.Covariance(nil, order[1])}
	_, v := mcStudyParams(w, mu, cov)
	return v
}
