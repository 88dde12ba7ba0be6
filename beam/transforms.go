package beam

import (
	"bytes"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"sort"

	abeam "github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/mixture"
	"github.com/latentgo/latent/table"
)

func init() {
	register.DoFn2x2[context.Context, shard, []byte, error](&scanFn{})
	register.Combiner3[scanAcc, []byte, []byte](&scanCombine{})
	register.DoFn5x1[context.Context, span, []byte, func(node), func(int64, frag), error](&estepFn{})
	register.Emitter1[node]()
	register.Emitter2[int64, frag]()
	register.DoFn5x1[context.Context, int64, func(*frag) bool, []byte, func(node), error](&joinFn{})
	register.Iter1[frag]()
	register.Combiner3[treeAcc, node, []byte](&treeCombine{})
	register.DoFn2x1[context.Context, []byte, error](&writeFn{})
}

// csvOptions are the parts of table.Options a worker reads shards with.
type csvOptions struct {
	Delimiter int32
	Header    int
}

func (c csvOptions) table(name string) table.Options {
	return table.Options{Name: name, Delimiter: rune(c.Delimiter), Header: table.HeaderMode(c.Header)}
}

// readShard reads one CSV shard whole, through Beam's filesystems (local
// paths, gs://, s3://, … whichever the binary registered).
func readShard(ctx context.Context, path string, c csvOptions) (*table.Table, error) {
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("beam: %s: %w", path, err)
	}
	defer fs.Close()
	rc, err := fs.OpenRead(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("beam: %s: %w", path, err)
	}
	defer rc.Close()
	t, err := table.ReadCSV(rc, c.table(path))
	if errors.Is(err, table.ErrNoRows) || errors.Is(err, table.ErrEmpty) {
		// An empty part file, as engines write them: no rows, and no
		// columns to check.
		return &table.Table{X: &mat.Dense{}}, nil
	}
	if err != nil {
		return nil, err // a *table.Error: path:line:column, what and what to do
	}
	return t, nil
}

// shard is one input file, by its position in the expanded glob.
type shard struct {
	Index int64
	Path  string
}

// sampleRow is a row of the initialisation's sample: a bottom-n sample by
// a seeded hash key of (shard, row), which is a uniform sample without
// replacement that any number of workers draw the same.
type sampleRow struct {
	Key    uint64
	Shard  int64
	Row    int64
	Values []float64
}

func sampleLess(a, b sampleRow) bool {
	if a.Key != b.Key {
		return a.Key < b.Key
	}
	if a.Shard != b.Shard {
		return a.Shard < b.Shard
	}
	return a.Row < b.Row
}

// shardInfo is what the scan learns of a shard.
type shardInfo struct {
	Index   int64
	Path    string
	Rows    int64
	Columns []string
}

// scanAcc accumulates the scan: every shard's facts and the n rows of
// smallest key.
type scanAcc struct {
	Shards []shardInfo
	Sample []sampleRow
}

// scanFn reads a shard once: its rows, its columns and its candidates for
// the sample (its n rows of smallest key).
type scanFn struct {
	CSV        csvOptions
	Seed       uint64
	SampleRows int64
}

func (f *scanFn) ProcessElement(ctx context.Context, s shard) ([]byte, error) {
	t, err := readShard(ctx, s.Path, f.CSV)
	if err != nil {
		return nil, err
	}
	n, d := 0, 0
	if !t.X.IsEmpty() {
		n, d = t.X.Dims()
	}
	keys := make([]sampleRow, n)
	for i := range keys {
		keys[i] = sampleRow{Key: sampleKey(f.Seed, s.Index, int64(i)), Shard: s.Index, Row: int64(i)}
	}
	sort.Slice(keys, func(a, b int) bool { return sampleLess(keys[a], keys[b]) })
	keys = keys[:min(int64(n), f.SampleRows)]
	for i := range keys {
		keys[i].Values = append([]float64(nil), t.X.RawRowView(int(keys[i].Row))[:d]...)
	}
	return encode(scanAcc{Shards: []shardInfo{{Index: s.Index, Path: s.Path, Rows: int64(n), Columns: t.Columns}}, Sample: keys})
}

// sampleKey is splitmix64 (Steele, Lea & Flood 2014) of the seed, the
// shard and the row: the priority of the row in the bottom-n sample.
func sampleKey(seed uint64, shard, row int64) uint64 {
	z := seed ^ uint64(shard)*0x9e3779b97f4a7c15 ^ uint64(row)*0xbf58476d1ce4e5b9
	for range 2 {
		z += 0x9e3779b97f4a7c15
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		z ^= z >> 31
	}
	return z
}

// scanCombine merges the scans of the shards: the union of the facts and
// the n rows of smallest key, whatever the order of the merges.
type scanCombine struct{ SampleRows int64 }

func (c *scanCombine) CreateAccumulator() scanAcc { return scanAcc{} }

func (c *scanCombine) AddInput(a scanAcc, b []byte) (scanAcc, error) {
	var s scanAcc
	if err := decode(b, &s); err != nil {
		return a, err
	}
	return c.MergeAccumulators(a, s), nil
}

func (c *scanCombine) MergeAccumulators(a, b scanAcc) scanAcc {
	a.Shards = append(a.Shards, b.Shards...)
	rows := append(a.Sample, b.Sample...)
	sort.Slice(rows, func(i, j int) bool { return sampleLess(rows[i], rows[j]) })
	a.Sample = rows[:min(int64(len(rows)), c.SampleRows)]
	return a
}

func (c *scanCombine) ExtractOutput(a scanAcc) ([]byte, error) { return encode(a) }

// span is a shard placed in the data: its rows are rows First … First+Rows−1
// of the concatenation of the shards.
type span struct {
	Index int64
	Path  string
	First int64
	Rows  int64
}

// node is the E-step of the aligned run of Size blocks from block Lo:
// the statistics' wire bytes (nil in a log-likelihood-only pass) and the
// partial sums.
type node struct {
	Lo, Size                int64
	Stats                   []byte
	LogLik, Entropy, Weight float64
}

// frag is the part of a block that one shard holds, when a block spans
// shards.
type frag struct {
	Shard int64
	Rows  int64
	Data  []float64
}

// estepFn computes, for one shard, the E-step of every block that lies
// wholly in it, and emits the pieces of the blocks it shares with other
// shards, keyed by block, for joinFn.
type estepFn struct {
	CSV       csvOptions
	Columns   []string
	BlockRows int64
	Total     int64 // rows of all shards
	WithStats bool
}

func (f *estepFn) ProcessElement(ctx context.Context, sp span, model []byte, emit func(node), emitFrag func(int64, frag)) error {
	t, err := readShard(ctx, sp.Path, f.CSV)
	if err != nil {
		return err
	}
	if err := table.CheckColumns(sp.Path, t.Columns, f.Columns); err != nil {
		return fmt.Errorf("beam: shard %d: %w", sp.Index, err)
	}
	n, d := t.X.Dims()
	if int64(n) != sp.Rows {
		return fmt.Errorf("beam: %s has %d data rows, %d when the fit began: a shard changed during the fit", sp.Path, n, sp.Rows)
	}
	m, err := mixture.UnmarshalEStep(model)
	if err != nil {
		return err
	}
	w := m.NewWorker()
	bs := f.BlockRows
	for b := sp.First / bs; b*bs < sp.First+sp.Rows; b++ {
		blo, bhi := b*bs, min((b+1)*bs, f.Total)
		lo, hi := max(blo, sp.First), min(bhi, sp.First+sp.Rows)
		x := t.X.Slice(int(lo-sp.First), int(hi-sp.First), 0, d).(*mat.Dense)
		if lo == blo && hi == bhi {
			nd, err := blockNode(m, w, b, blo, x, f.WithStats)
			if err != nil {
				return err
			}
			emit(nd)
			continue
		}
		data := make([]float64, 0, int(hi-lo)*d)
		for i := range int(hi - lo) {
			data = append(data, x.RawRowView(i)...)
		}
		emitFrag(b, frag{Shard: sp.Index, Rows: hi - lo, Data: data})
	}
	return nil
}

// blockNode runs the E-step of block b (its first row first) alone, as a
// worker of em.Pass does.
func blockNode(m em.Model, w em.Worker, b, first int64, x *mat.Dense, withStats bool) (node, error) {
	var st em.Stats
	if withStats {
		st = m.NewStats()
	}
	p, err := w.EStep(st, int(first), x, nil)
	if err != nil {
		return node{}, err
	}
	nd := node{Lo: b, Size: 1, LogLik: p.LogLik, Entropy: p.Entropy, Weight: p.Weight}
	if withStats {
		if nd.Stats, err = mixture.MarshalStats(st); err != nil {
			return node{}, err
		}
	}
	return nd, nil
}

// joinFn puts together, in shard order, the pieces of a block that spans
// shards, and computes its E-step.
type joinFn struct {
	Dim       int64
	BlockRows int64
	WithStats bool
}

func (f *joinFn) ProcessElement(ctx context.Context, b int64, pieces func(*frag) bool, model []byte, emit func(node)) error {
	var fs []frag
	var p frag
	for pieces(&p) {
		fs = append(fs, p)
		p = frag{}
	}
	sort.Slice(fs, func(i, j int) bool { return fs[i].Shard < fs[j].Shard })
	var data []float64
	for _, p := range fs {
		data = append(data, p.Data...)
	}
	m, err := mixture.UnmarshalEStep(model)
	if err != nil {
		return err
	}
	x := mat.NewDense(len(data)/int(f.Dim), int(f.Dim), data)
	nd, err := blockNode(m, m.NewWorker(), b, b*f.BlockRows, x, f.WithStats)
	if err != nil {
		return err
	}
	emit(nd)
	return nil
}

// treeAcc holds E-step nodes not yet merged: aligned runs whose sibling has
// not come yet.
type treeAcc struct {
	Nodes []node
}

// treeCombine merges the blocks' E-steps in em.Pass's tree, whatever the
// order in which the runner hands them over: two aligned runs of 2^j
// blocks merge (left into right's predecessor: the earlier rows first)
// only when both are complete, so every merge is one em.Pass makes, and
// ExtractOutput folds what remains from the last run, as em.Pass ends
// (em.MergeOrder).
type treeCombine struct{}

func (treeCombine) CreateAccumulator() treeAcc { return treeAcc{} }

func (treeCombine) AddInput(a treeAcc, n node) (treeAcc, error) { return insert(a, n) }

func (treeCombine) MergeAccumulators(a, b treeAcc) (treeAcc, error) {
	var err error
	for _, n := range b.Nodes {
		if a, err = insert(a, n); err != nil {
			return a, err
		}
	}
	return a, nil
}

func (treeCombine) ExtractOutput(a treeAcc) ([]byte, error) {
	ns := a.Nodes
	if len(ns) == 0 {
		return encode(node{})
	}
	sort.Slice(ns, func(i, j int) bool { return ns[i].Lo < ns[j].Lo })
	acc := ns[len(ns)-1]
	for i := len(ns) - 2; i >= 0; i-- {
		if ns[i].Lo+ns[i].Size != acc.Lo {
			return nil, fmt.Errorf("beam: internal error: blocks %d…%d are missing from the merge", ns[i].Lo+ns[i].Size, acc.Lo-1)
		}
		var err error
		if acc, err = mergeNodes(ns[i], acc); err != nil {
			return nil, err
		}
	}
	return encode(acc)
}

// insert adds n to a, merging it with its sibling while the sibling is
// there.
func insert(a treeAcc, n node) (treeAcc, error) {
	for {
		sib := n.Lo + n.Size
		if n.Lo%(2*n.Size) != 0 {
			sib = n.Lo - n.Size
		}
		j := -1
		for i, o := range a.Nodes {
			if o.Lo == sib && o.Size == n.Size {
				j = i
				break
			}
		}
		if j < 0 {
			a.Nodes = append(a.Nodes, n)
			return a, nil
		}
		o := a.Nodes[j]
		a.Nodes = append(a.Nodes[:j], a.Nodes[j+1:]...)
		var err error
		if sib < n.Lo {
			n, err = mergeNodes(o, n)
		} else {
			n, err = mergeNodes(n, o)
		}
		if err != nil {
			return a, err
		}
	}
}

// mergeNodes merges b, the run after a, into a, as em's merge stack does.
func mergeNodes(a, b node) (node, error) {
	out := node{Lo: a.Lo, Size: a.Size + b.Size,
		LogLik: a.LogLik + b.LogLik, Entropy: a.Entropy + b.Entropy, Weight: a.Weight + b.Weight}
	if a.Stats == nil {
		return out, nil
	}
	sa, err := mixture.UnmarshalStats(a.Stats)
	if err != nil {
		return out, err
	}
	sb, err := mixture.UnmarshalStats(b.Stats)
	if err != nil {
		return out, err
	}
	sa.Merge(sb)
	out.Stats, err = mixture.MarshalStats(sa)
	return out, err
}

// writeFn writes the pipeline's one result where the driver reads it.
type writeFn struct{ Path string }

func (f *writeFn) ProcessElement(ctx context.Context, b []byte) error {
	fs, err := filesystem.New(ctx, f.Path)
	if err != nil {
		return err
	}
	defer fs.Close()
	return filesystem.Write(ctx, fs, f.Path, b)
}

func encode(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(v); err != nil {
		return nil, fmt.Errorf("beam: encoding %T: %w", v, err)
	}
	return b.Bytes(), nil
}

func decode(b []byte, v any) error {
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(v); err != nil {
		return fmt.Errorf("beam: decoding %T: %w", v, err)
	}
	return nil
}

var _ = abeam.Init
