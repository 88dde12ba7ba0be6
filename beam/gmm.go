package beam

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"

	abeam "github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local" // local paths
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"       // the default runner
	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/mixture"
	"github.com/latentgo/latent/table"
)

// DefaultSampleRows is the default size of the initialisation's sample, as
// latent gmm fit --stream's --sample-rows.
const DefaultSampleRows = 100000

// Options control FitGMM. The zero value fits one full-covariance
// component on the prism runner with mixture's defaults.
type Options struct {
	// Mixture are the options of the fit, as mixture.Fit's: K, Covariance,
	// Init, Seed, NInit, MaxIter, Tol, BlockRows (the chunking: the fit's
	// bits depend on it), RegCovar, FeatureNames, …. Weights, Known and
	// Missing are not supported. Workers is the local driver's, unused.
	Mixture mixture.Options
	// SampleRows is the size of the sample the initialisation runs on,
	// locally; 0 means DefaultSampleRows. When the data have no more rows,
	// the sample is every row in order, and the fit is mixture.Fit's on the
	// whole data, bit for bit.
	SampleRows int
	// CSV are the options of the shards' reader: Delimiter and Header
	// (table.Options); the other fields are ignored.
	CSV table.Options
	// Runner is the Beam runner: "" means prism (in this process); the
	// binary must import the others it names (latent-beam does: flink,
	// spark, dataflow, universal).
	Runner string
	// TempDir is the folder where the pipelines leave their one result for
	// the driver, through Beam's filesystems: it must be readable and
	// writable by the driver and the workers (gs://bucket/tmp on Dataflow).
	// "" means a new local temporary folder, removed at the end, which
	// only a runner in this machine (prism) can use.
	TempDir string
}

// Result is what FitGMM did besides the model and report.
type Result struct {
	Shards    []string // the files read, in the order their rows were concatenated
	Pipelines int      // pipeline runs: 1 scan, then 1 per E-step
}

// FitGMM fits a Gaussian mixture to the rows of the CSV files that
// patterns match (each pattern a path or a glob, through Beam's
// filesystems), concatenated in pattern order and, within a pattern, in
// lexical order, by EM with every E-step run as a Beam pipeline. It returns
// the model and the report of mixture.FitSource. See the package
// documentation for the pipelines and the bits.
func FitGMM(ctx context.Context, patterns []string, opts Options) (*mixture.Model, *mixture.Report, *Result, error) {
	o := opts.Mixture
	if o.Weights != nil || o.Known != nil || o.Missing {
		return nil, nil, nil, errors.New("beam: Weights, Known and Missing are not supported; fit such data with latent gmm fit")
	}
	if opts.SampleRows < 0 {
		return nil, nil, nil, fmt.Errorf("beam: SampleRows %d is negative", opts.SampleRows)
	}
	n := opts.SampleRows
	if n == 0 {
		n = DefaultSampleRows
	}
	eo, err := em.Options{BlockRows: o.BlockRows}.Resolved()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("beam: %w", err)
	}
	files, err := Expand(ctx, patterns)
	if err != nil {
		return nil, nil, nil, err
	}
	if !abeam.Initialized() {
		abeam.Init()
	}
	d := &driver{runner: opts.Runner, csv: csvOptions{Delimiter: opts.CSV.Delimiter, Header: int(opts.CSV.Header)},
		blockRows: int64(eo.BlockRows)}
	if d.tmp = opts.TempDir; d.tmp == "" {
		dir, err := os.MkdirTemp("", "latent-beam-")
		if err != nil {
			return nil, nil, nil, fmt.Errorf("beam: %w", err)
		}
		defer os.RemoveAll(dir)
		d.tmp = dir
	} else {
		d.tmp = strings.TrimSuffix(d.tmp, "/") + fmt.Sprintf("/latent-beam-%d", os.Getpid())
	}
	res := &Result{Shards: files}
	sample, err := d.scan(ctx, files, o.Seed, int64(n))
	res.Pipelines = int(d.runs.Load())
	if err != nil {
		return nil, nil, res, err
	}
	if o.FeatureNames == nil {
		o.FeatureNames = d.columns
	}
	m, rep, err := mixture.FitEngine(ctx, d, sample, o)
	res.Pipelines = int(d.runs.Load())
	return m, rep, res, err
}

// Expand lists the files that patterns match, through Beam's filesystems:
// in pattern order, each pattern's files in lexical order, each file once.
// A pattern that matches nothing is an error naming it.
func Expand(ctx context.Context, patterns []string) ([]string, error) {
	if len(patterns) == 0 {
		return nil, errors.New("beam: no input: give one or more files or globs")
	}
	var files []string
	seen := map[string]bool{}
	for _, p := range patterns {
		fs, err := filesystem.New(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("beam: %s: %w", p, err)
		}
		list, err := fs.List(ctx, p)
		fs.Close()
		if err != nil {
			return nil, fmt.Errorf("beam: %s: %w", p, err)
		}
		if len(list) == 0 {
			return nil, fmt.Errorf("beam: %s matches no file; check the path or the glob", p)
		}
		slices.Sort(list)
		for _, f := range list {
			if !seen[f] {
				seen[f] = true
				files = append(files, f)
			}
		}
	}
	return files, nil
}

// driver is FitGMM's mixture.Engine: it runs the pipelines.
type driver struct {
	runner    string
	csv       csvOptions
	blockRows int64
	tmp       string
	runs      atomic.Int64

	spans   []span
	columns []string
	rows    int64
}

func (d *driver) Dim() int  { return len(d.columns) }
func (d *driver) Rows() int { return int(d.rows) }

// run runs pipeline p and returns the bytes its writeFn left at out.
func (d *driver) run(ctx context.Context, p *abeam.Pipeline, out string) ([]byte, error) {
	runner := d.runner
	if runner == "" {
		runner = "prism"
	}
	d.runs.Add(1)
	if _, err := abeam.Run(ctx, runner, p); err != nil {
		return nil, jobError(err)
	}
	fs, err := filesystem.New(ctx, out)
	if err != nil {
		return nil, err
	}
	defer fs.Close()
	b, err := filesystem.Read(ctx, fs, out)
	if err != nil {
		return nil, fmt.Errorf("beam: reading the pipeline's result %s: %w", out, err)
	}
	return b, nil
}

func (d *driver) outPath(name string) string {
	if !strings.Contains(d.tmp, "://") {
		return filepath.Join(d.tmp, name)
	}
	return d.tmp + "/" + name
}

// scan runs the first pipeline: every shard read once for its rows, its
// columns and its candidates for the sample. It places the shards and
// returns the sample in row order.
func (d *driver) scan(ctx context.Context, files []string, seed uint64, n int64) (*mat.Dense, error) {
	p, s := abeam.NewPipelineWithRoot()
	shards := make([]shard, len(files))
	for i, f := range files {
		shards[i] = shard{Index: int64(i), Path: f}
	}
	out := d.outPath("scan.gob")
	col := abeam.ParDo(s, &scanFn{CSV: d.csv, Seed: seed, SampleRows: n}, abeam.CreateList(s, shards))
	abeam.ParDo0(s, &writeFn{Path: out}, abeam.Combine(s, &scanCombine{SampleRows: n}, col))
	b, err := d.run(ctx, p, out)
	if err != nil {
		return nil, err
	}
	var acc scanAcc
	if err := decode(b, &acc); err != nil {
		return nil, err
	}
	slices.SortFunc(acc.Shards, func(a, b shardInfo) int { return int(a.Index - b.Index) })
	if len(acc.Shards) != len(files) {
		return nil, fmt.Errorf("beam: internal error: the scan saw %d of %d shards", len(acc.Shards), len(files))
	}
	for _, si := range acc.Shards {
		if si.Rows == 0 {
			continue // an empty shard: nothing to read again
		}
		if d.columns == nil {
			d.columns = si.Columns
		} else if err := table.CheckColumns(si.Path, si.Columns, d.columns); err != nil {
			return nil, fmt.Errorf("beam: shard %d (%s) has other columns than shard 1 (%s): %w", si.Index+1, si.Path, files[0], err)
		}
		d.spans = append(d.spans, span{Index: si.Index, Path: si.Path, First: d.rows, Rows: si.Rows})
		d.rows += si.Rows
	}
	if d.rows == 0 {
		return nil, fmt.Errorf("beam: the %d files have no data rows", len(files))
	}
	rows := acc.Sample
	slices.SortFunc(rows, func(a, b sampleRow) int {
		if a.Shard != b.Shard {
			return int(a.Shard - b.Shard)
		}
		return int(a.Row - b.Row)
	})
	dim := len(d.columns)
	x := mat.NewDense(len(rows), dim, nil)
	for i, r := range rows {
		x.SetRow(i, r.Values)
	}
	return x, nil
}

// Pass runs one E-step of m as a pipeline (mixture.Engine).
func (d *driver) Pass(ctx context.Context, m em.Model, withStats bool) (em.Stats, em.Partial, error) {
	state, err := mixture.MarshalEStep(m)
	if err != nil {
		return nil, em.Partial{}, err
	}
	p, s := abeam.NewPipelineWithRoot()
	model := abeam.Create(s, state)
	out := d.outPath(fmt.Sprintf("pass-%d.gob", d.runs.Load()))
	blocks, pieces := abeam.ParDo2(s, &estepFn{CSV: d.csv, Columns: d.columns, BlockRows: d.blockRows, Total: d.rows, WithStats: withStats},
		abeam.CreateList(s, d.spans), abeam.SideInput{Input: model})
	joined := abeam.ParDo(s, &joinFn{Dim: int64(len(d.columns)), BlockRows: d.blockRows, WithStats: withStats},
		abeam.GroupByKey(s, pieces), abeam.SideInput{Input: model})
	merged := abeam.Combine(s, &treeCombine{}, abeam.Flatten(s, blocks, joined))
	abeam.ParDo0(s, &writeFn{Path: out}, merged)
	b, err := d.run(ctx, p, out)
	if err != nil {
		return nil, em.Partial{}, err
	}
	var nd node
	if err := decode(b, &nd); err != nil {
		return nil, em.Partial{}, err
	}
	nb := (d.rows + d.blockRows - 1) / d.blockRows
	if nd.Lo != 0 || nd.Size != nb {
		return nil, em.Partial{}, fmt.Errorf("beam: internal error: the pass merged blocks %d…%d of %d", nd.Lo, nd.Lo+nd.Size-1, nb)
	}
	part := em.Partial{LogLik: nd.LogLik, Entropy: nd.Entropy, Weight: nd.Weight}
	if !withStats {
		return nil, part, nil
	}
	st, err := mixture.UnmarshalStats(nd.Stats)
	return st, part, err
}

// jobError shortens the error of a failed job to the error of the DoFn
// that failed it (a runner reports the whole execution plan): the shard's
// name, line and column, what was wrong and what to do.
func jobError(err error) error {
	msg := err.Error()
	const mark = "] failed:\n"
	if i := strings.LastIndex(msg, mark); i >= 0 {
		cause := msg[i+len(mark):]
		if j := strings.IndexByte(cause, '\n'); j >= 0 {
			cause = cause[:j]
		}
		cause = strings.TrimSuffix(strings.TrimSuffix(cause, `"`), `\"`)
		return &JobError{Cause: cause, Err: err}
	}
	return &JobError{Err: err}
}

// JobError is the error of a pipeline that failed on the runner. Cause is
// the error of the DoFn that failed it, when the runner's report names one
// (for a bad shard: "path:line:column: …").
type JobError struct {
	Cause string
	Err   error // the runner's whole report
}

func (e *JobError) Error() string {
	if e.Cause != "" {
		return "beam: the pipeline failed: " + e.Cause
	}
	return "beam: the pipeline failed: " + e.Err.Error()
}

func (e *JobError) Unwrap() error { return e.Err }
