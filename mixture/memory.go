package mixture

import (
	"fmt"
	"math"
	"runtime"

	"github.com/latentgo/latent/internal/memlimit"
)

// checkMemory is the memory guard (internal/memlimit's Check, the one
// every fit and trainer of latent calls) before EM allocates a mixture of
// k components in d dimensions for n rows held in memory (0 for a
// stream): the fitted model, the best start's and the initialisation's
// copies of its parameters (covariances and their precision factors),
// one E-step statistics buffer per worker and one merged (a D×D scatter
// per component for the full-scatter families), the M-step's D×D
// scratch matrices and the rows' responsibilities. Counted in float64
// arithmetic, so that 20,000 columns give an estimate (about 13 GB for K
// = 1 with full covariances), not an overflow. The error is a
// *memlimit.Error naming the options to lower.
func checkMemory(n, d, k int, f family, workers int) error {
	c1, a1 := f.sizes(1, d)
	c2, a2 := f.sizes(2, d)
	per := float64(c2-c1) + float64(a2-a1) + float64(d) // one component's covariance, factor and mean
	fixed := float64(2*(c1+a1) - (c2 + a2))             // a tied family's shared matrices
	params := fixed + float64(k)*per
	scatter, scratch := float64(d), 0.0
	if f.fullScatter() {
		scatter, scratch = float64(d)*float64(d), 3*float64(d)*float64(d)
	}
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	stats := float64(k) * (scatter + float64(d) + 1)
	rows := float64(n) * (2*float64(d) + 3*float64(k))
	bytes := memlimit.Floats(3*params + float64(workers+1)*stats + scratch + rows)
	lower := []string{"Options.K"}
	if f.fullScatter() {
		lower = append(lower, "Options.Covariance")
	}
	lower = append(lower, "the number of columns")
	what := fmt.Sprintf("a mixture of %d component%s with %s covariances in %d dimensions", k, plural(k), f.Type(), d)
	if f.fullScatter() {
		what += " (a D×D matrix per component; diagonal covariances need D numbers)"
	}
	return memlimit.Check(what, bytes, lower...)
}

func plural(k int) string {
	if k == 1 {
		return ""
	}
	return "s"
}

// checkOverflow refuses data whose values are finite but so large that
// EM's sums overflow float64: the column sums (n·max|x|) and the sums of
// squared deviations (the scatter, and k-means' squared distances, at
// most n·D·range²). Such data used to fail as a component "of points
// that coincide" (the covariances became +Inf); the fix is to rescale
// (issue 22, item 8). The error wraps ErrBadData.
func checkOverflow(data []float64, stride, n, d int, name string) error {
	worst, wj, wlo, whi := 0.0, 0, 0.0, 0.0
	maxAbs := 0.0
	for j := range d {
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := range n {
			v := data[i*stride+j]
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		a := math.Max(math.Abs(lo), math.Abs(hi))
		maxAbs = math.Max(maxAbs, a)
		// Compare in logs: range² itself may overflow.
		r := math.Max(hi-lo, 0)
		if math.IsInf(r, 0) {
			r = math.MaxFloat64
		}
		if s := math.Max(r, a/float64(max(n, 1))); s > worst {
			worst, wj, wlo, whi = s, j, lo, hi
		}
	}
	if worst == 0 {
		return nil
	}
	logSum := math.Log(float64(n)) + math.Log(float64(d)) + 2*math.Log(worst) + math.Log(4)
	if logSum < math.Log(math.MaxFloat64) && math.Log(float64(n))+math.Log(maxAbs) < math.Log(math.MaxFloat64) {
		return nil
	}
	scale := math.Pow(10, math.Floor(math.Log10(maxAbs)))
	return dataErrorf("%s's values overflow: column %d spans %g to %g, and EM's sums of squares over %d row%s and %d column%s exceed the largest float64 (%.3g); rescale the data (divide by %.0e, or standardise each column) and fit again",
		name, wj+1, wlo, whi, n, plural(n), d, plural(d), math.MaxFloat64, scale)
}
