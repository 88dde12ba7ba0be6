package famix

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
)

// Init names how a start chooses its first partition of the rows.
type Init string

// The initialisations.
const (
	// InitKMeansPP draws K seed rows by k-means++ (Arthur & Vassilvitskii
	// 2007) on the numeric columns scaled to unit variance (a Bernoulli
	// column as it is, a categorical column counting 1 for a mismatch) and
	// gives each row to its nearest seed.
	InitKMeansPP Init = "kmeans++"
	// InitRandom gives each row a uniformly drawn component, as flexmix's
	// default start does.
	InitRandom Init = "random"
)

// Options control Fit.
type Options struct {
	// K is the number of components; it must be ≥ 1.
	K int
	// Family is every column's family when Columns is nil.
	Family Family
	// Columns, when not nil, gives each column's family (a mixed-type
	// table): the columns of one family form one block, and the blocks are
	// independent given the component. Its length is the data's columns.
	Columns []Family
	// Names are the columns' names, kept in the model file; nil means x1,
	// x2, ….
	Names []string
	// Levels gives, for each categorical column (indexed as the data's
	// columns; nil entries for the others), the labels of its categories:
	// the column holds the 0-based index of a label. A nil Levels, or a nil
	// entry for a categorical column, means the labels "0", "1", … up to
	// the largest index in the data.
	Levels [][]string
	// Smoothing is the pseudo-count a added to every cell of the Bernoulli
	// and categorical M-steps (the mode under a Beta(a+1, a+1) or
	// Dirichlet(a+1, …) prior); 0 is maximum likelihood (flexmix's,
	// poLCA's), 1 is Laplace smoothing.
	Smoothing float64
	// Nu, when positive, fixes the Student-t family's degrees of freedom
	// for every component; 0 estimates ν_k per component by ECM (Peel &
	// McLachlan 2000).
	Nu float64
	// RegCovar is added to the diagonal of the Student-t and Gaussian
	// covariances after each M-step; 0 means 1e-6 (scikit-learn's
	// reg_covar), NoReg none.
	RegCovar float64
	// Init chooses the starting partition; "" means InitKMeansPP.
	Init Init
	// EM holds the driver's options: iterations, tolerance, starts
	// (NInit), the seed, workers.
	EM em.Options
}

// NoReg as Options.RegCovar adds nothing to the covariances.
const NoReg = -1.0

// DefaultRegCovar is Options.RegCovar's default.
const DefaultRegCovar = 1e-6

func (o Options) reg() float64 {
	switch {
	case o.RegCovar == NoReg:
		return 0
	case o.RegCovar == 0:
		return DefaultRegCovar
	}
	return o.RegCovar
}

// families returns each column's family for d columns, or the error naming
// the option.
func (o Options) families(d int) ([]Family, error) {
	fams := o.Columns
	if fams == nil {
		if o.Family == "" {
			return nil, fmt.Errorf("famix: Options.Family is empty: want one of %v", Families)
		}
		fams = make([]Family, d)
		for j := range fams {
			fams[j] = o.Family
		}
	}
	if len(fams) != d {
		return nil, fmt.Errorf("famix: Options.Columns has %d families for %d columns", len(fams), d)
	}
	for j, f := range fams {
		if !slices.Contains(Families, f) {
			return nil, fmt.Errorf("famix: family %q of column %d: want one of %v", f, j+1, Families)
		}
	}
	return fams, nil
}

func (o Options) check(d int) ([]Family, error) {
	if o.K < 1 {
		return nil, fmt.Errorf("famix: Options.K %d: want ≥ 1", o.K)
	}
	if !(o.Smoothing >= 0) || math.IsInf(o.Smoothing, 0) {
		return nil, fmt.Errorf("famix: Options.Smoothing %v: want a finite value ≥ 0", o.Smoothing)
	}
	if !(o.Nu >= 0) || math.IsInf(o.Nu, 0) {
		return nil, fmt.Errorf("famix: Options.Nu %v: want 0 (estimate) or a finite ν > 0", o.Nu)
	}
	if o.RegCovar != NoReg && !(o.RegCovar >= 0) {
		return nil, fmt.Errorf("famix: Options.RegCovar %v: want ≥ 0 or NoReg", o.RegCovar)
	}
	if o.Init != "" && o.Init != InitKMeansPP && o.Init != InitRandom {
		return nil, fmt.Errorf("famix: Options.Init %q: want %q or %q", o.Init, InitKMeansPP, InitRandom)
	}
	if o.Names != nil && len(o.Names) != d {
		return nil, fmt.Errorf("famix: Options.Names has %d names for %d columns", len(o.Names), d)
	}
	if o.Levels != nil && len(o.Levels) != d {
		return nil, fmt.Errorf("famix: Options.Levels has %d entries for %d columns", len(o.Levels), d)
	}
	if _, err := o.EM.Resolved(); err != nil {
		return nil, err
	}
	return o.families(d)
}

// newModel returns a model with K components over the columns of x, its
// parameters unset.
func newModel(x *mat.Dense, fams []Family, o Options) (*Model, error) {
	_, d := x.Dims()
	m := &Model{k: o.K, d: d, weight: make([]float64, o.K), columns: o.Names, levels: make([][]string, d)}
	var order []Family
	byFam := map[Family][]int{}
	for j, f := range fams {
		if byFam[f] == nil {
			order = append(order, f)
		}
		byFam[f] = append(byFam[f], j)
	}
	for _, f := range order {
		cols := byFam[f]
		var fam family
		switch f {
		case Bernoulli:
			fam = newBernoulli(o.K, len(cols), o.Smoothing)
		case Poisson:
			fam = newPoisson(o.K, len(cols))
		case Categorical:
			lv, err := levelsOf(x, cols, o.Levels)
			if err != nil {
				return nil, err
			}
			for i, c := range cols {
				m.levels[c] = lv[i]
			}
			fam = newCategorical(o.K, lv, o.Smoothing)
		case StudentT:
			fam = newStudentT(o.K, len(cols), o.Nu, o.reg())
		case Gaussian:
			fam = newGaussian(o.K, len(cols), o.reg())
		}
		m.blocks = append(m.blocks, block{cols: cols, fam: fam})
	}
	return m, nil
}

// levelsOf returns the labels of the categorical columns cols.
func levelsOf(x *mat.Dense, cols []int, given [][]string) ([][]string, error) {
	n, _ := x.Dims()
	out := make([][]string, len(cols))
	for i, c := range cols {
		if given != nil && given[c] != nil {
			out[i] = given[c]
			continue
		}
		mx := -1.0
		for r := 0; r < n; r++ {
			v := x.At(r, c)
			if !(v >= 0 && v == math.Trunc(v) && v < 1e6) {
				return nil, &em.RowError{Row: r, Err: &DataError{Row: r, Col: c, Family: Categorical, Value: v, Detail: "a categorical column given as numbers takes category indices 0, 1, 2, …, not " + fmtVal(v)}}
			}
			mx = math.Max(mx, v)
		}
		for l := 0; l <= int(mx); l++ {
			out[i] = append(out[i], strconv.Itoa(l))
		}
	}
	return out, nil
}

// startFrom sets m's parameters by one M-step from the initial posterior
// post (n×K).
func (m *Model) startFrom(x, post *mat.Dense) error {
	w := &worker{m: m}
	subs := make([]*mat.Dense, len(m.blocks))
	w.sub = make([][]float64, len(m.blocks))
	for i, b := range m.blocks {
		subs[i] = m.view(b, x, &w.sub[i])
	}
	if err := m.check(0, x, subs); err != nil {
		return err
	}
	st := m.NewStats().(*stats)
	n, _ := post.Dims()
	for i := 0; i < n; i++ {
		for k, v := range post.RawRowView(i) {
			st.n[k] += v
		}
	}
	for i, b := range m.blocks {
		b.fam.accumulate(st.bs[i], subs[i], post)
	}
	_, err := m.MStep(st)
	return err
}

// FitFromPosterior fits a mixture (K = columns of post; opts.K is ignored)
// to the rows of x by EM, starting with the M-step from the initial
// posterior post (n×K, rows summing to 1), as flexmix does with a given
// partition. opts.EM.MaxIter counts the EM iterations after that first
// M-step.
func FitFromPosterior(ctx context.Context, x *mat.Dense, post *mat.Dense, opts Options) (*Model, *em.Report, error) {
	n, d := x.Dims()
	pn, k := post.Dims()
	if pn != n || k < 1 {
		return nil, nil, fmt.Errorf("famix: initial posterior is %d×%d for %d rows", pn, k, n)
	}
	opts.K = k
	fams, err := opts.check(d)
	if err != nil {
		return nil, nil, err
	}
	m, err := newModel(x, fams, opts)
	if err != nil {
		return nil, nil, err
	}
	if err := m.startFrom(x, post); err != nil {
		return nil, nil, err
	}
	m.checked = true
	start := func(int, *rand.Rand) (em.Model, error) { return m, nil }
	best, rep, err := em.Run(ctx, em.Matrix(x, nil), start, opts.EM)
	m.checked = false
	if err != nil {
		return nil, rep, err
	}
	return best.(*Model), rep, nil
}

// Fit fits a K-component mixture to the rows of x (weights w, nil for
// ones) by EM from opts.EM.NInit starts, each from a partition drawn as
// opts.Init says, and returns the start with the highest log-likelihood.
func Fit(ctx context.Context, x *mat.Dense, w []float64, opts Options) (*Model, *em.Report, error) {
	n, d := x.Dims()
	fams, err := opts.check(d)
	if err != nil {
		return nil, nil, err
	}
	if n < opts.K {
		return nil, nil, fmt.Errorf("famix: %d rows for Options.K = %d components", n, opts.K)
	}
	if w != nil && len(w) != n {
		return nil, nil, fmt.Errorf("famix: %d weights for %d rows", len(w), n)
	}
	proto, err := newModel(x, fams, opts)
	if err != nil {
		return nil, nil, err
	}
	start := func(_ int, rng *rand.Rand) (em.Model, error) {
		m := proto.clone()
		post := initialPartition(x, m, opts.Init, rng)
		if w != nil {
			for i := 0; i < n; i++ {
				row := post.RawRowView(i)
				for k := range row {
					row[k] *= w[i]
				}
			}
		}
		if err := m.startFrom(x, post); err != nil {
			return nil, err
		}
		m.checked = true // startFrom checked x, which em.Run reads
		return m, nil
	}
	best, rep, err := em.Run(ctx, em.Matrix(x, w), start, opts.EM)
	if err != nil {
		return nil, rep, err
	}
	best.(*Model).checked = false
	return best.(*Model), rep, nil
}

// initialPartition returns a hard partition (n×K, 0/1) of the rows of x.
func initialPartition(x *mat.Dense, m *Model, init Init, rng *rand.Rand) *mat.Dense {
	n, d := x.Dims()
	post := mat.NewDense(n, m.k, nil)
	if init == InitRandom {
		for i := 0; i < n; i++ {
			post.Set(i, rng.IntN(m.k), 1)
		}
		return post
	}
	cat := make([]bool, d)
	scale := make([]float64, d)
	for _, b := range m.blocks {
		for _, c := range b.cols {
			cat[c] = b.fam.Family() == Categorical
			if b.fam.Family() == Bernoulli {
				scale[c] = 1 // 0/1 already: scaling a rare pixel by 1/var would let it pick every seed
			}
		}
	}
	for c := 0; c < d; c++ {
		if cat[c] || scale[c] != 0 {
			continue
		}
		var s, s2 float64
		for i := 0; i < n; i++ {
			v := x.At(i, c)
			s += v
			s2 += v * v
		}
		mean := s / float64(n)
		if v := s2/float64(n) - mean*mean; v > 0 {
			scale[c] = 1 / v
		}
	}
	dist := func(a, b []float64) float64 {
		var s float64
		for c := range a {
			if cat[c] {
				if a[c] != b[c] {
					s++
				}
				continue
			}
			t := a[c] - b[c]
			s += t * t * scale[c]
		}
		return s
	}
	seeds := [][]float64{x.RawRowView(rng.IntN(n))}
	near := make([]float64, n)
	for i := range near {
		near[i] = dist(x.RawRowView(i), seeds[0])
	}
	for len(seeds) < m.k {
		var tot float64
		for _, v := range near {
			tot += v
		}
		pick := rng.IntN(n)
		if tot > 0 {
			u := rng.Float64() * tot
			for i, v := range near {
				u -= v
				if u < 0 {
					pick = i
					break
				}
			}
		}
		s := x.RawRowView(pick)
		seeds = append(seeds, s)
		for i := range near {
			near[i] = math.Min(near[i], dist(x.RawRowView(i), s))
		}
	}
	// Lloyd's iterations from the seeds (as scikit-learn's kmeans start
	// runs k-means): the centres are the means of their rows (the most
	// frequent label of a categorical column), so that an outlying seed
	// does not start a component of one row.
	centres := make([][]float64, m.k)
	for k, s := range seeds {
		centres[k] = append([]float64(nil), s...)
	}
	assign := make([]int, n)
	for it := 0; it <= lloydIterations; it++ {
		moved := false
		for i := 0; i < n; i++ {
			best, bk := math.Inf(1), 0
			for k, c := range centres {
				if dd := dist(x.RawRowView(i), c); dd < best {
					best, bk = dd, k
				}
			}
			if bk != assign[i] || it == 0 {
				moved = true
			}
			assign[i] = bk
		}
		if !moved || it == lloydIterations {
			break
		}
		centresOf(centres, x, assign, cat)
	}
	for i, k := range assign {
		post.Set(i, k, 1)
	}
	// A seed that draws no row (ties, duplicates) takes a random row, so
	// that every component starts with some weight.
	for k := 0; k < m.k; k++ {
		if mat.Sum(post.ColView(k)) == 0 {
			i := rng.IntN(n)
			post.SetRow(i, make([]float64, m.k))
			post.Set(i, k, 1)
		}
	}
	return post
}

// lloydIterations is the number of k-means steps after k-means++ seeding.
const lloydIterations = 5

// centresOf sets each non-empty cluster's centre: the mean of its rows, or
// for a categorical column its most frequent label (the lowest on a tie).
func centresOf(centres [][]float64, x *mat.Dense, assign []int, cat []bool) {
	n, d := x.Dims()
	k := len(centres)
	sum := make([]float64, k*d)
	cnt := make([]float64, k)
	counts := map[[3]int]int{}
	for i := 0; i < n; i++ {
		c := assign[i]
		cnt[c]++
		for j, v := range x.RawRowView(i) {
			if cat[j] {
				counts[[3]int{c, j, int(v)}]++
				continue
			}
			sum[c*d+j] += v
		}
	}
	for c := 0; c < k; c++ {
		if cnt[c] == 0 {
			continue // keeps its centre
		}
		for j := 0; j < d; j++ {
			if !cat[j] {
				centres[c][j] = sum[c*d+j] / cnt[c]
			}
		}
	}
	best := map[[2]int][2]int{} // (cluster, column) → (label, count)
	for key, v := range counts {
		b, ok := best[[2]int{key[0], key[1]}]
		if !ok || v > b[1] || v == b[1] && key[2] < b[0] {
			best[[2]int{key[0], key[1]}] = [2]int{key[2], v}
		}
	}
	for key, b := range best {
		centres[key[0]][key[1]] = float64(b[0])
	}
}
