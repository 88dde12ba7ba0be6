package csvio

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"sync"

	"gonum.org/v1/gonum/mat"
)

// The fast path. A file that can be re-read (an io.ReadSeeker: a file, not
// a pipe) is cut into chunks of whole lines, parsed on every core
// (GOMAXPROCS workers) and merged in file order, so the rows and their bits
// do not depend on the number of workers. A worker parses only what is
// plainly a table of numbers: no quote anywhere, LF or CRLF line ends,
// every row with the header's number of fields, every numeric cell a plain
// decimal within float64's range (or a missing value under
// Options.Missing), every weight a number ≥ 0. Anything else — a quote, a
// lone CR, a ragged row, a bad cell, a line longer than the cap, a read
// error — stops the fast path, and the exact reader (Reader) reads the
// input again from its start, skipping the rows already delivered: the
// errors are its errors, word for word, and the rows are its rows, bit for
// bit (FuzzFastExact checks both).
//
// Memory: at most fastChunks chunks of fastChunkSize bytes of text and
// their parsed values are in flight, whatever the file's size.

const (
	fastChunkSize = 1 << 20
)

// fastChunks is the number of chunks in flight: one per worker and two
// more, so that reading, parsing and delivering overlap.
func fastChunks() int { return runtime.GOMAXPROCS(0) + 2 }

// errFallback stops the fast path: the exact reader takes over.
var errFallback = errors.New("csvio: fast path declined")

// fieldKind says what a field of a row is.
type fieldKind uint8

const (
	fieldNumber fieldKind = iota
	fieldLabel
	fieldKnown
	fieldWeight
)

// fastPlan is what a worker needs to parse a chunk.
type fastPlan struct {
	delim   byte
	kinds   []fieldKind
	d       int // numeric columns
	label   bool
	known   bool
	weight  bool
	missing [][]byte // Options.Missing, nil when missing values are refused
	maxLine int      // Options.MaxLine: a longer line is the exact reader's error
}

// chunk is a block of whole lines and, once parsed, its rows.
type chunk struct {
	buf     []byte
	vals    []float64
	labels  []string
	known   []string
	weights []float64
	rows    int
	ok      bool
	done    chan struct{}
}

// fastDelim returns the delimiter as a byte when the fast path can split
// on it.
func fastDelim(opts Options) (byte, bool) {
	d := opts.Delimiter
	if d == 0 {
		d = ','
	}
	if d >= 0x80 || CheckDelimiter(d) != nil {
		return 0, false
	}
	return byte(d), true
}

// isMissingBytes is isMissingText on bytes.
func (p *fastPlan) isMissing(b []byte) bool {
	if p.missing == nil {
		return false
	}
	b = bytes.Trim(b, " \t")
	if len(b) == 0 {
		return true
	}
	for _, m := range p.missing {
		if bytes.Equal(b, m) {
			return true
		}
	}
	return false
}

// parse parses c.buf into c's rows; false means the exact reader must.
func (p *fastPlan) parse(c *chunk, intern map[string]string) bool {
	c.vals, c.labels, c.known, c.weights, c.rows = c.vals[:0], c.labels[:0], c.known[:0], c.weights[:0], 0
	data := c.buf
	if bytes.IndexByte(data, '"') >= 0 {
		return false
	}
	hasCR := bytes.IndexByte(data, '\r') >= 0
	nf := len(p.kinds)
	text := func(b []byte) string {
		b = bytes.TrimSpace(b)
		if s, ok := intern[string(b)]; ok {
			return s
		}
		if len(intern) > 1<<16 {
			return string(b)
		}
		s := string(b)
		intern[s] = s
		return s
	}
	for len(data) > 0 {
		var line []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, nil
		}
		if len(line) > p.maxLine {
			return false
		}
		if hasCR {
			if len(line) > 0 && line[len(line)-1] == '\r' {
				line = line[:len(line)-1]
			}
			if bytes.IndexByte(line, '\r') >= 0 {
				return false
			}
		}
		if len(line) == 0 {
			continue // csv skips empty lines
		}
		start := len(c.vals)
		allMissing := true
		f := 0
		for {
			var cell []byte
			i := bytes.IndexByte(line, p.delim)
			if i >= 0 {
				cell, line = line[:i], line[i+1:]
			} else {
				cell = line
			}
			if f >= nf {
				return false
			}
			switch p.kinds[f] {
			case fieldNumber:
				if p.missing != nil && p.isMissing(cell) {
					c.vals = append(c.vals, math.NaN())
					break
				}
				v, ok := parseNumber(cell)
				if !ok {
					return false
				}
				allMissing = false
				c.vals = append(c.vals, v)
			case fieldLabel:
				c.labels = append(c.labels, text(cell))
			case fieldKnown:
				c.known = append(c.known, text(cell))
			case fieldWeight:
				if p.isMissing(cell) {
					return false
				}
				v, ok := parseNumber(cell)
				if !ok || v < 0 {
					return false
				}
				c.weights = append(c.weights, v)
			}
			f++
			if i < 0 {
				break
			}
		}
		if f != nf || (p.missing != nil && allMissing) || len(c.vals)-start != p.d {
			return false
		}
		c.rows++
	}
	return true
}

// fastStream is one pass of the fast path: a goroutine that cuts the input
// into chunks, workers that parse them, and the consumer (ReadChunk or
// ReadAll) that takes them in order.
type fastStream struct {
	plan   *fastPlan
	order  chan *chunk
	free   chan *chunk
	stop   chan struct{}
	wg     sync.WaitGroup
	cur    *chunk
	pos    int // rows of cur delivered
	stopMu sync.Once
}

// startFast starts the pipeline on src, whose first bytes (already read)
// are head.
func startFast(plan *fastPlan, src io.Reader, head []byte, maxLine int) *fastStream {
	n := fastChunks()
	s := &fastStream{plan: plan, order: make(chan *chunk, n), free: make(chan *chunk, n), stop: make(chan struct{})}
	for range n {
		s.free <- &chunk{}
	}
	jobs := make(chan *chunk, n)
	workers := runtime.GOMAXPROCS(0)
	s.wg.Add(1 + workers)
	for range workers {
		go func() {
			defer s.wg.Done()
			intern := map[string]string{}
			for c := range jobs {
				c.ok = plan.parse(c, intern)
				close(c.done)
			}
		}()
	}
	go func() {
		defer s.wg.Done()
		defer close(jobs)
		defer close(s.order)
		carry := append([]byte(nil), head...)
		eof := false
		for !eof {
			var c *chunk
			select {
			case c = <-s.free:
			case <-s.stop:
				return
			}
			c.buf = append(c.buf[:0], carry...)
			carry = carry[:0]
			c.ok, c.done = false, make(chan struct{})
			bad := false
			for {
				if cap(c.buf)-len(c.buf) < fastChunkSize/2 {
					c.buf = append(c.buf, make([]byte, fastChunkSize)...)[:len(c.buf)]
				}
				k, err := io.ReadFull(src, c.buf[len(c.buf):cap(c.buf)])
				c.buf = c.buf[:len(c.buf)+k]
				if err == io.EOF || err == io.ErrUnexpectedEOF {
					eof = true
				} else if err != nil {
					bad = true
				}
				if eof || bad {
					break
				}
				if i := bytes.LastIndexByte(c.buf, '\n'); i >= 0 {
					carry = append(carry, c.buf[i+1:]...)
					c.buf = c.buf[:i+1]
					break
				}
				if len(c.buf) > maxLine {
					bad = true // a line longer than the cap: the exact reader says so
					break
				}
			}
			if bad {
				c.buf = c.buf[:0]
				close(c.done) // c.ok false
				s.order <- c
				return
			}
			jobs <- c
			s.order <- c
		}
	}()
	return s
}

// next returns the next parsed chunk, nil at the end, or errFallback.
func (s *fastStream) next() (*chunk, error) {
	c, ok := <-s.order
	if !ok {
		return nil, nil
	}
	<-c.done
	if !c.ok {
		return nil, errFallback
	}
	return c, nil
}

// release gives c back for reuse.
func (s *fastStream) release(c *chunk) { s.free <- c }

// close stops the pipeline and waits for its goroutines.
func (s *fastStream) close() {
	s.stopMu.Do(func() {
		close(s.stop)
		// Drain what the cutter has queued so that it and the workers end.
		for c := range s.order {
			<-c.done
		}
		s.wg.Wait()
	})
}

// fastStart reads the first line of rs and, when the fast path can read
// the rest, returns the header's Reader (built on that line alone, so its
// errors and names are the exact reader's), the plan, the bytes read past
// the data's start, and the reader positioned after them. ok false means
// the exact reader reads the whole input.
func fastStart(rs io.Reader, opts Options) (hdr *Reader, plan *fastPlan, head []byte, ok bool) {
	delim, ok := fastDelim(opts)
	if !ok {
		return nil, nil, nil, false
	}
	maxLine := opts.maxLine()
	buf := make([]byte, 0, 64<<10)
	nl := -1
	for nl < 0 {
		if cap(buf)-len(buf) == 0 {
			buf = append(buf, make([]byte, len(buf))...)[:len(buf)]
		}
		k, err := rs.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+k]
		nl = bytes.IndexByte(buf, '\n')
		if err != nil || len(buf) > maxLine {
			if nl < 0 {
				return nil, nil, nil, false // one line, or an error: the exact reader
			}
		}
	}
	first := buf[:nl+1]
	body := first[:nl]
	if len(body) > 0 && body[len(body)-1] == '\r' {
		body = body[:len(body)-1]
	}
	bom := bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF})
	if len(body) == 0 || bytes.IndexByte(body, '"') >= 0 || bytes.IndexByte(body, '\r') >= 0 || (bom && len(body) == 3) {
		return nil, nil, nil, false
	}
	o := opts
	o.MaxRows = 0
	hdr, err := NewReader(bytes.NewReader(first), o)
	if err != nil {
		return nil, nil, nil, false
	}
	plan = &fastPlan{delim: delim, kinds: make([]fieldKind, len(hdr.names)), d: len(hdr.columns), maxLine: maxLine}
	if hdr.labelCol >= 0 {
		plan.kinds[hdr.labelCol], plan.label = fieldLabel, true
	}
	if hdr.extra.knownCol >= 0 {
		plan.kinds[hdr.extra.knownCol], plan.known = fieldKnown, true
	}
	if hdr.extra.weightCol >= 0 {
		plan.kinds[hdr.extra.weightCol], plan.weight = fieldWeight, true
	}
	if opts.Missing != nil {
		plan.missing = [][]byte{}
		for _, m := range opts.Missing {
			plan.missing = append(plan.missing, []byte(m))
		}
	}
	head = buf[nl+1:]
	if hdr.pending != nil { // the first line is data
		head = buf
		if bom {
			head = buf[3:]
		}
	}
	return hdr, plan, head, true
}

// fastReadAll is ReadAll by the fast path, or errFallback.
func fastReadAll(rs io.Reader, opts Options) (*Table, error) {
	hdr, plan, head, ok := fastStart(rs, opts)
	if !ok {
		return nil, errFallback
	}
	s := startFast(plan, rs, head, opts.maxLine())
	defer s.close()
	var data, weights []float64
	var labels, known []string
	rows := 0
	total := 0.0
	for {
		c, err := s.next()
		if err != nil {
			return nil, err
		}
		if c == nil {
			break
		}
		if data == nil && c.rows > 0 {
			// Guess the capacity from the first chunk's density.
			if sz, ok := sizeLeft(rs); ok {
				est := int(float64(sz+int64(len(c.buf))) / float64(len(c.buf)) * float64(c.rows) * 1.02)
				if est > 0 && est < 1<<31/max(1, plan.d) {
					data = make([]float64, 0, est*plan.d)
				}
			}
		}
		data = append(data, c.vals...)
		labels = append(labels, c.labels...)
		known = append(known, c.known...)
		weights = append(weights, c.weights...)
		for _, w := range c.weights {
			total += w
		}
		rows += c.rows
		s.release(c)
		if opts.MaxRows > 0 && rows > opts.MaxRows {
			return nil, errFallback
		}
	}
	if rows == 0 || (plan.weight && total == 0) {
		return nil, errFallback
	}
	t := &Table{Columns: hdr.columns, X: mat.NewDense(rows, plan.d, data), LabelName: hdr.LabelName()}
	if plan.label {
		t.Labels = labels
	}
	if plan.weight {
		t.Weights = weights
	}
	if plan.known {
		t.Known = known
	}
	return t, nil
}

// sizeLeft returns the bytes left to read in r when it can tell.
func sizeLeft(r io.Reader) (int64, bool) {
	s, ok := r.(io.Seeker)
	if !ok {
		return 0, false
	}
	cur, err := s.Seek(0, io.SeekCurrent)
	if err != nil {
		return 0, false
	}
	end, err := s.Seek(0, io.SeekEnd)
	if err != nil {
		return 0, false
	}
	if _, err := s.Seek(cur, io.SeekStart); err != nil {
		return 0, false
	}
	return end - cur, true
}

// Fast reads the rows of a re-readable input by the fast path when it
// can, and by the exact reader otherwise; its rows and errors are those of
// a Reader on the same input. Close stops its workers.
type Fast struct {
	rs        io.ReadSeeker
	base      int64
	opts      Options
	hdr       *Reader // the header; the exact reader after a fallback
	exact     bool
	s         *fastStream
	delivered int // data rows returned
	weight    float64
	known     string
}

// NewFast reads the header of rs (and, to detect one, the first row) and
// starts reading its rows on every core.
func NewFast(rs io.ReadSeeker, opts Options) (*Fast, error) {
	base, err := rs.Seek(0, io.SeekCurrent)
	if err != nil {
		r, err := NewReader(rs, opts)
		if err != nil {
			return nil, err
		}
		return &Fast{hdr: r, exact: true, opts: opts}, nil
	}
	f := &Fast{rs: rs, base: base, opts: opts}
	hdr, plan, head, ok := fastStart(rs, opts)
	if !ok {
		return f, f.toExact()
	}
	f.hdr = hdr
	f.s = startFast(plan, rs, head, opts.maxLine())
	return f, nil
}

// toExact switches to the exact reader, from the input's start, skipping
// the rows already delivered.
func (f *Fast) toExact() error {
	if f.s != nil {
		f.s.close()
		f.s = nil
	}
	f.exact = true
	if _, err := f.rs.Seek(f.base, io.SeekStart); err != nil {
		return fmt.Errorf("csvio: re-reading %s: %w", f.opts.Name, err)
	}
	r, err := NewReader(f.rs, f.opts)
	if err != nil {
		return err
	}
	row := make([]float64, len(r.columns))
	for range f.delivered {
		if _, err := r.Next(row); err != nil {
			return err
		}
	}
	f.hdr = r
	return nil
}

// Columns returns the names of the numeric columns.
func (f *Fast) Columns() []string { return f.hdr.columns }

// LabelName returns the label column's name, or "".
func (f *Fast) LabelName() string { return f.hdr.LabelName() }

// Close stops the workers. It does not close the input.
func (f *Fast) Close() error {
	if f.s != nil {
		f.s.close()
		f.s = nil
	}
	return nil
}

// ReadChunk is Reader.ReadChunk.
func (f *Fast) ReadChunk(dst *mat.Dense, labels []string) (int, error) {
	return f.ReadChunkWeights(dst, labels, nil)
}

// ReadChunkWeights is Reader.ReadChunkWeights.
func (f *Fast) ReadChunkWeights(dst *mat.Dense, labels []string, weights []float64) (n int, err error) {
	rows, cols := dst.Dims()
	if cols != len(f.hdr.columns) {
		panic(fmt.Sprintf("csvio: ReadChunk: dst has %d columns, want %d", cols, len(f.hdr.columns)))
	}
	if f.exact {
		n, err = f.hdr.ReadChunkWeights(dst, labels, weights)
		f.delivered += n
		return n, err
	}
	raw := dst.RawMatrix()
	for n < rows {
		s := f.s
		if s.cur == nil {
			c, err := s.next()
			if err == nil && c == nil && f.delivered == 0 {
				err = errFallback // no data rows: the exact reader says so
			}
			if err != nil {
				if err := f.toExact(); err != nil {
					return n, err
				}
				m, err := f.hdr.ReadChunkWeights(dst.Slice(n, rows, 0, cols).(*mat.Dense), sub(labels, n), sub(weights, n))
				f.delivered += m
				return n + m, err
			}
			if c == nil {
				return n, io.EOF
			}
			s.cur, s.pos = c, 0
		}
		c := s.cur
		k := min(rows-n, c.rows-s.pos)
		for i := range k {
			copy(raw.Data[(n+i)*raw.Stride:(n+i)*raw.Stride+cols], c.vals[(s.pos+i)*cols:(s.pos+i+1)*cols])
		}
		if labels != nil && f.s.plan.label {
			copy(labels[n:n+k], c.labels[s.pos:s.pos+k])
		}
		if weights != nil {
			if f.s.plan.weight {
				copy(weights[n:n+k], c.weights[s.pos:s.pos+k])
			} else {
				for i := range k {
					weights[n+i] = 1
				}
			}
		}
		if last := s.pos + k - 1; k > 0 {
			if f.s.plan.weight {
				f.weight = c.weights[last]
			}
			if f.s.plan.known {
				f.known = c.known[last]
			}
		}
		s.pos += k
		n += k
		f.delivered += k
		if s.pos == c.rows {
			s.cur = nil
			s.release(c)
		}
	}
	return n, nil
}

func sub[T any](s []T, from int) []T {
	if s == nil {
		return nil
	}
	return s[from:]
}
