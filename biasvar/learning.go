package biasvar

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// NTrainParam is the Param of a learning curve's SweepReport.
const NTrainParam = "n_train"

// DefaultLogSizes is how many sizes FROM:TO:log gives (ParseSizes).
const DefaultLogSizes = 10

// ParseSizes reads training-set sizes: one size ("50"), a list
// ("10,20,50"), a range FROM:TO[:STEP] as ParseValues reads it, or a
// log-spaced range FROM:TO:log (DefaultLogSizes sizes) or FROM:TO:logN (N
// sizes), rounded to whole numbers with repeats dropped, as numpy's
// geomspace followed by rounding. Every size must be a whole number ≥ 1.
func ParseSizes(s string) ([]int, error) {
	s = strings.TrimSpace(s)
	parts := strings.Split(s, ":")
	var vs []float64
	if len(parts) == 3 && strings.HasPrefix(parts[2], "log") {
		from, err1 := parseNumber(parts[0])
		to, err2 := parseNumber(parts[1])
		if err1 != nil || err2 != nil || !(from >= 1) || !(to >= from) {
			return nil, fmt.Errorf("%q: a log range is FROM:TO:log with 1 ≤ FROM ≤ TO", s)
		}
		num := DefaultLogSizes
		if rest := parts[2][3:]; rest != "" {
			n, err := strconv.Atoi(rest)
			if err != nil || n < 2 || n > MaxValues {
				return nil, fmt.Errorf("%q: logN needs a whole N from 2 to %d", s, MaxValues)
			}
			num = n
		}
		for k := 0; k < num; k++ {
			vs = append(vs, math.Round(from*math.Pow(to/from, float64(k)/float64(num-1))))
		}
	} else {
		var err error
		if vs, err = ParseValues(s); err != nil {
			return nil, err
		}
	}
	var out []int
	for _, v := range vs {
		n := int(v)
		if float64(n) != v || n < 1 {
			return nil, fmt.Errorf("%q: training-set size %v is not a whole number ≥ 1", s, v)
		}
		if len(out) == 0 || out[len(out)-1] != n {
			out = append(out, n)
		}
	}
	return out, nil
}

// LearningCurve decomposes learner l on problem p at every training-set
// size in sizes (p.NTrain is ignored): the learning curve of "would more
// data help?", with noise, bias², variance and their standard errors at
// every n. The SweepReport's Param is NTrainParam and the point values are
// the sizes. Every size uses the same Options and seed, so the test points
// are the same at every n and round r starts from the same random stream
// (common random numbers); with the Fixed design the design at size n is
// the first n points of one sequence of draws. A size whose rounds all
// fail (a k-NN with k > n) is recorded in its point, not fatal.
//
// p.TrainX must be nil (the fixed design is drawn at each size).
func LearningCurve(ctx context.Context, p *Problem, l Learner, sizes []int, opts Options) (*SweepReport, error) {
	vals, err := sizeValues(p, sizes)
	if err != nil {
		return nil, err
	}
	knob := Knob{Name: NTrainParam, Values: vals, New: func(float64) (Learner, error) { return l, nil }}
	return sweep(ctx, knob, opts, func(v float64, l Learner, o Options) (*Report, error) {
		q := *p
		q.NTrain = int(v)
		return Decompose(ctx, &q, l, o)
	})
}

func sizeValues(p *Problem, sizes []int) ([]float64, error) {
	if len(sizes) == 0 {
		return nil, optionErrorf("sizes", "", "no training-set sizes")
	}
	if p.TrainX != nil {
		return nil, optionErrorf("Problem.TrainX", "", "a learning curve draws the fixed design at each size; leave TrainX nil")
	}
	vals := make([]float64, len(sizes))
	for i, n := range sizes {
		if n < 1 {
			return nil, optionErrorf("sizes", fmt.Sprint(n), "a training set needs at least one point")
		}
		vals[i] = float64(n)
	}
	return vals, nil
}

// GridReport is a knob sweep at every training-set size: Curves[i] is
// the sweep over the knob at NTrain[i]. Its heat maps (one per term, n
// down, knob across) come from Term.
type GridReport struct {
	Param   string         `json:"param"`
	Values  []float64      `json:"values"`
	NTrain  []int          `json:"n_train"`
	Curves  []*SweepReport `json:"curves"`
	Seconds float64        `json:"seconds"`
}

// Grid runs Sweep over knob at every size in sizes, with the same options
// and seed everywhere (see LearningCurve).
func Grid(ctx context.Context, p *Problem, knob Knob, sizes []int, opts Options) (*GridReport, error) {
	start := time.Now()
	if _, err := sizeValues(p, sizes); err != nil {
		return nil, err
	}
	g := &GridReport{Param: knob.Name, Values: knob.Values, NTrain: sizes}
	for i, n := range sizes {
		q := *p
		q.NTrain = n
		o := opts
		if opts.Progress != nil {
			o.Progress = func(pr Progress) {
				opts.Progress(Progress{Done: i*pr.Total + pr.Done, Total: pr.Total * len(sizes), Point: i})
			}
		}
		sr, err := Sweep(ctx, &q, knob, o)
		if err != nil {
			return nil, fmt.Errorf("biasvar: grid at n_train = %d: %w", n, err)
		}
		g.Curves = append(g.Curves, sr)
	}
	g.Seconds = time.Since(start).Seconds()
	return g, nil
}

// Term returns the heat map of one term (a key of Report.Terms, such as
// "bias2" or "variance"): z[i][j] at NTrain[i] and Values[j], NaN where
// the setting failed or the term does not apply.
func (g *GridReport) Term(key string) [][]float64 {
	z := make([][]float64, len(g.Curves))
	for i, sr := range g.Curves {
		z[i] = make([]float64, len(sr.Points))
		for j, p := range sr.Points {
			z[i][j] = math.NaN()
			if p.Report == nil {
				continue
			}
			for _, t := range p.Report.Terms() {
				if t.Key == key {
					z[i][j] = t.Value.Value
				}
			}
		}
	}
	return z
}

// WriteText writes one table per term (rows n_train, columns the knob),
// as `latent biasvar sweep` prints a grid.
func (g *GridReport) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "grid over n_train × %s (%d × %d settings)\n", g.Param, len(g.NTrain), len(g.Values))
	for _, key := range g.keys() {
		z := g.Term(key)
		fmt.Fprintf(&b, "\n%s (rows n_train, columns %s)\n%8s", key, g.Param, "")
		for _, v := range g.Values {
			fmt.Fprintf(&b, " %10.4g", v)
		}
		b.WriteString("\n")
		for i, n := range g.NTrain {
			fmt.Fprintf(&b, "%8d", n)
			for _, v := range z[i] {
				fmt.Fprintf(&b, " %10.4g", v)
			}
			b.WriteString("\n")
		}
	}
	_, err := w.Write([]byte(b.String()))
	return err
}

// keys are the terms of the first successful setting, plug-ins left out.
func (g *GridReport) keys() []string {
	for _, sr := range g.Curves {
		for _, p := range sr.Points {
			if p.Report == nil {
				continue
			}
			var out []string
			for _, t := range p.Report.Terms() {
				if !strings.HasSuffix(t.Key, "_plugin") {
					out = append(out, t.Key)
				}
			}
			return out
		}
	}
	return nil
}

// WriteMarkdown writes the grid's tables as Markdown, one per term.
func (g *GridReport) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Bias–variance over n_train × %s\n", g.Param)
	for _, key := range g.keys() {
		z := g.Term(key)
		fmt.Fprintf(&b, "\n## %s\n\n| n_train |", key)
		for _, v := range g.Values {
			fmt.Fprintf(&b, " %s = %g |", g.Param, v)
		}
		b.WriteString("\n|---|" + strings.Repeat("---|", len(g.Values)) + "\n")
		for i, n := range g.NTrain {
			fmt.Fprintf(&b, "| %d |", n)
			for _, v := range z[i] {
				fmt.Fprintf(&b, " %.4g |", v)
			}
			b.WriteString("\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
