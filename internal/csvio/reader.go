package csvio

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"gonum.org/v1/gonum/mat"
)

// HeaderMode says whether the first row is a header.
type HeaderMode int

const (
	HeaderAuto    HeaderMode = iota // a header when some first-row cell is not a number
	HeaderPresent                   // the first row is a header (--header)
	HeaderAbsent                    // the first row is data (--no-header)
)

// Options controls reading. The zero value reads comma-separated data with
// header detection, no label column and no row limit.
type Options struct {
	// Name is the file name used in error messages; "" means "<stdin>".
	Name string
	// Delimiter separates fields; 0 means ','. It may not be a quote, CR, LF
	// or the Unicode replacement character.
	Delimiter rune
	// Header says whether the first row names the columns.
	Header HeaderMode
	// Label names a column to return apart as strings (the class label). It
	// is matched against the header names, or, failing that, read as a
	// 1-based column number. "" means no label column.
	Label string
	// MaxRows, when positive, makes ReadAll fail on a file with more data
	// rows (the CLI's --max-rows guard). Streaming reads are not limited.
	MaxRows int
	// Missing, when not nil, reads empty cells and the cells whose text
	// (trimmed of spaces) is one of Missing as missing values, NaN in X
	// (the CLI's --missing); a row with every numeric cell missing is an
	// error. nil refuses them (ErrMissing), as before. A reader with a
	// fast path honours it or leaves it to the exact reader (extra.go).
	Missing []string
	// Weights names a numeric column (as Label: a header name or a 1-based
	// number) read apart as the rows' weights (Table.Weights,
	// Reader.Weight): finite and ≥ 0, each refused with its line
	// otherwise, and not all 0 (ReadAll). "" means none.
	Weights string
	// Known names a text column (as Label) read apart as the rows' known
	// classes (Table.Known, Reader.Known): an empty cell is an unknown
	// class. "" means none.
	Known string
	// MaxLine caps the length of a line in bytes (ErrLineLength); 0 means
	// DefaultMaxLine.
	MaxLine int
}

func (o Options) maxLine() int {
	if o.MaxLine > 0 {
		return o.MaxLine
	}
	return DefaultMaxLine
}

// Table is a whole file in memory.
type Table struct {
	Columns   []string   // names of the numeric columns, in file order
	X         *mat.Dense // one row per data row, one column per numeric column
	Labels    []string   // the label column, nil when Options.Label is ""
	LabelName string     // the label column's name, "" when none
	Weights   []float64  // the weight column, nil when Options.Weights is ""
	Known     []string   // the known-class column ("" unknown), nil when Options.Known is ""
}

// Reader streams the data rows of a CSV file.
type Reader struct {
	opts     Options
	name     string
	le       *lineEnds
	cr       *csv.Reader
	names    []string // all column names, label included
	labelCol int      // index in names of the label column, -1 for none
	columns  []string // numeric column names
	pending  []string // a first row of data read during header detection
	pendLine int
	rows     int // data rows returned so far
	done     bool
	extra    extraCols // missing values, weight and known columns (extra.go)
}

// CheckDelimiter says why r cannot separate fields, or returns nil: a
// quote, CR and LF have their own meaning in CSV, and U+FFFD and invalid
// runes are what broken text decodes to.
func CheckDelimiter(r rune) error {
	switch {
	case r == '"':
		return errors.New("a quote cannot separate fields (it quotes them)")
	case r == '\r' || r == '\n':
		return errors.New("a line break cannot separate fields")
	case r == utf8.RuneError || !utf8.ValidRune(r):
		return errors.New("not a valid character")
	}
	return nil
}

// NewReader reads the header (and, for detection, the first row) of r.
func NewReader(r io.Reader, opts Options) (*Reader, error) {
	name := opts.Name
	if name == "" {
		name = "<stdin>"
	}
	delim := opts.Delimiter
	if delim == 0 {
		delim = ','
	}
	if err := CheckDelimiter(delim); err != nil {
		return nil, fmt.Errorf("csvio: delimiter %q cannot be used: %w", delim, err)
	}
	le := newLineEnds(r, opts.maxLine())
	if le.utf16() {
		return nil, &Error{File: name, Err: ErrEncoding, Detail: "the file is UTF-16 text, not UTF-8",
			Hint: "convert it to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8 IN > OUT, or save it as \"CSV UTF-8\")"}
	}
	cr := csv.NewReader(le)
	cr.Comma = delim
	cr.FieldsPerRecord = -1 // checked here, with a better message
	cr.ReuseRecord = true
	rd := &Reader{opts: opts, name: name, le: le, cr: cr, labelCol: -1}

	first, err := cr.Read()
	if err == io.EOF {
		return nil, &Error{File: name, Err: ErrEmpty, Detail: "empty input: no header and no data", Hint: "check the file name, or that the producer of the file finished writing it"}
	}
	if err != nil {
		return nil, rd.csvError(err)
	}
	line, _ := cr.FieldPos(0)
	header := opts.Header == HeaderPresent
	if opts.Header == HeaderAuto {
		header = detectHeader(first, opts)
	}
	if header {
		rd.names = make([]string, len(first))
		seen := map[string]int{}
		for i, c := range first {
			n := strings.TrimSpace(c)
			if n == "" {
				return nil, &Error{File: name, Line: line, Column: rd.col(i), Field: i + 1, Err: ErrHeader,
					Detail: "empty column name in the header", Hint: "give every column a name (pandas writes an unnamed index column unless to_csv gets index=False)"}
			}
			if j, dup := seen[n]; dup {
				return nil, &Error{File: name, Line: line, Column: rd.col(i), Field: i + 1, Name: n, Err: ErrHeader,
					Detail: fmt.Sprintf("duplicate column name (also column %d)", j+1), Hint: "rename one of them"}
			}
			seen[n] = i
			rd.names[i] = n
		}
	} else {
		rd.names = make([]string, len(first))
		for i := range first {
			rd.names[i] = "x" + strconv.Itoa(i+1)
		}
		rd.pending = append([]string(nil), first...)
		rd.pendLine = line
	}

	if opts.Label != "" {
		rd.labelCol = -1
		for i, n := range rd.names {
			if n == opts.Label && header {
				rd.labelCol = i
			}
		}
		if rd.labelCol < 0 {
			if k, err := strconv.Atoi(opts.Label); err == nil && k >= 1 && k <= len(rd.names) {
				rd.labelCol = k - 1
			}
		}
		if rd.labelCol < 0 {
			e := &Error{File: name, Err: ErrLabel, Detail: fmt.Sprintf("label column %q not found", opts.Label)}
			if header {
				e.Hint = "the columns are " + quoteList(rd.names)
			} else {
				e.Hint = fmt.Sprintf("the file has no header row (its first row is all numbers), so give the label as a column number 1..%d, or use --header", len(rd.names))
			}
			return nil, e
		}
	}
	if err := rd.resolveExtra(header); err != nil {
		return nil, err
	}
	for i, n := range rd.names {
		if i != rd.labelCol && !rd.extra.aside(i) {
			rd.columns = append(rd.columns, n)
		}
	}
	if len(rd.columns) == 0 {
		return nil, &Error{File: name, Err: ErrNoFeatures, Detail: "no numeric columns besides the label", Hint: "a data file needs at least one numeric column"}
	}
	return rd, nil
}

// detectHeader says whether the first row is a header (HeaderAuto): when
// some cell of it is not data (looksLikeData). A cell in a text column
// given by its number (Options.Label or Known, say "5") is text in a data
// row too, and does not count: a headerless file with a text label is
// data from its first row.
func detectHeader(first []string, opts Options) bool {
	text := map[int]bool{}
	for _, spec := range []string{opts.Label, opts.Known} {
		if k, err := strconv.Atoi(spec); err == nil && k >= 1 && k <= len(first) {
			text[k-1] = true
		}
	}
	for i, c := range first {
		if !text[i] && !looksLikeData(c) && !isMissingText(c, opts.Missing) {
			return true
		}
	}
	return false
}

// Columns returns the names of the numeric columns.
func (r *Reader) Columns() []string { return r.columns }

// LabelName returns the label column's name, or "".
func (r *Reader) LabelName() string {
	if r.labelCol < 0 {
		return ""
	}
	return r.names[r.labelCol]
}

// Next reads one data row into dst, which must have len(Columns()) elements,
// and returns its label ("" without a label column). It returns io.EOF after
// the last row; a file with a header and no data rows gives ErrNoRows.
func (r *Reader) Next(dst []float64) (label string, err error) {
	if len(dst) != len(r.columns) {
		panic(fmt.Sprintf("csvio: Next: dst has %d elements, want %d", len(dst), len(r.columns)))
	}
	if r.done {
		return "", io.EOF
	}
	var rec []string
	var line int
	if r.pending != nil {
		rec, line = r.pending, r.pendLine
		r.pending = nil
	} else {
		rec, err = r.cr.Read()
		if err == io.EOF {
			r.done = true
			if r.rows == 0 {
				return "", &Error{File: r.name, Err: ErrNoRows, Detail: "no data rows after the header", Hint: "the file holds only a header"}
			}
			return "", io.EOF
		}
		if err != nil {
			r.done = true
			return "", r.csvError(err)
		}
		line, _ = r.cr.FieldPos(0)
	}
	if len(rec) != len(r.names) {
		r.done = true
		return "", r.raggedError(rec, line)
	}
	j := 0
	for i, cell := range rec {
		if i == r.labelCol {
			label = strings.TrimSpace(cell)
			continue
		}
		if ok, err := r.extraCell(i, cell, line); ok {
			if err != nil {
				r.done = true
				return "", err
			}
			continue
		}
		if r.extra.missing != nil && isMissingText(cell, r.opts.Missing) {
			dst[j] = math.NaN()
			j++
			continue
		}
		v, perr, detail, hint := parseCell(cell)
		if perr == ErrNotNumber && detail == "" {
			if d, ok := otherDelimiter(cell); ok {
				hint = fmt.Sprintf("the file seems to be delimited by %q, not %q: use --delimiter %q", d, r.cr.Comma, d)
			} else if r.labelCol < 0 {
				hint = fmt.Sprintf("if column %q holds class labels, read it with --label %s; otherwise check the delimiter", r.names[i], r.names[i])
			}
		}
		if perr != nil {
			r.done = true
			return "", &Error{File: r.name, Line: line, Column: r.fieldCol(i, line), Field: i + 1, Name: r.names[i],
				Text: cell, Err: perr, Detail: detail, Hint: hint}
		}
		dst[j] = v
		j++
	}
	if err := r.extra.rowDone(r, dst, line); err != nil {
		r.done = true
		return "", err
	}
	r.rows++
	return label, nil
}

// ReadChunk fills the rows of dst (whose column count must equal
// len(Columns())) with the next data rows, and labels[i] with their labels
// when labels is not nil. It returns the number of rows filled; n < rows of
// dst only at the end of the input, where err is io.EOF (with n ≥ 0).
func (r *Reader) ReadChunk(dst *mat.Dense, labels []string) (n int, err error) {
	rows, cols := dst.Dims()
	if cols != len(r.columns) {
		panic(fmt.Sprintf("csvio: ReadChunk: dst has %d columns, want %d", cols, len(r.columns)))
	}
	if labels != nil && len(labels) < rows {
		panic(fmt.Sprintf("csvio: ReadChunk: labels has %d elements for %d rows", len(labels), rows))
	}
	raw := dst.RawMatrix()
	for n < rows {
		lab, err := r.Next(raw.Data[n*raw.Stride : n*raw.Stride+cols])
		if err != nil {
			return n, err
		}
		if labels != nil {
			labels[n] = lab
		}
		n++
	}
	return n, nil
}

// ReadAll reads every data row of r into a Table. An input that can be
// re-read (an io.ReadSeeker such as a file) is parsed on every core by the
// fast path (fast.go), with the same rows, bits and errors.
func ReadAll(r io.Reader, opts Options) (*Table, error) {
	if rs, ok := r.(io.ReadSeeker); ok {
		if base, err := rs.Seek(0, io.SeekCurrent); err == nil {
			t, err := fastReadAll(rs, opts)
			if err != errFallback {
				return t, err
			}
			if _, err := rs.Seek(base, io.SeekStart); err != nil {
				return nil, fmt.Errorf("csvio: re-reading %s: %w", opts.Name, err)
			}
		}
	}
	return exactReadAll(r, opts)
}

// exactReadAll is ReadAll by the exact reader alone.
func exactReadAll(r io.Reader, opts Options) (*Table, error) {
	rd, err := NewReader(r, opts)
	if err != nil {
		return nil, err
	}
	d := len(rd.columns)
	var data []float64
	var labels []string
	var ex extraValues
	row := make([]float64, d)
	for {
		lab, err := rd.Next(row)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if opts.MaxRows > 0 && rd.rows > opts.MaxRows {
			return nil, &Error{File: rd.name, Err: ErrTooMany, Detail: fmt.Sprintf("more than %d data rows", opts.MaxRows), Hint: "raise --max-rows, or sample the file"}
		}
		data = append(data, row...)
		if rd.labelCol >= 0 {
			labels = append(labels, lab)
		}
		ex.add(rd)
	}
	t := &Table{Columns: rd.columns, X: mat.NewDense(rd.rows, d, data), Labels: labels, LabelName: rd.LabelName()}
	return t, ex.finish(rd, t)
}

// ReadFile reads the CSV file at path, or standard input when path is "-"
// (the caller passes os.Stdin as stdin).
func ReadFile(path string, stdin io.Reader, opts Options) (*Table, error) {
	if path == "-" {
		if opts.Name == "" {
			opts.Name = "<stdin>"
		}
		return ReadAll(stdin, opts)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("csvio: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, fmt.Errorf("csvio: %s is a folder, not a CSV file", path)
	}
	if opts.Name == "" {
		opts.Name = path
	}
	return ReadAll(f, opts)
}

// col returns the 1-based byte column of field i of the current record,
// corrected for a byte-order mark on line 1.
func (r *Reader) col(field int) int {
	line, c := r.cr.FieldPos(field)
	if line == 1 && r.le.hadBOM {
		c += 3
	}
	return c
}

// fieldCol is col for a record that may be the pending first row; its
// positions were lost when the next record was read, so report none.
func (r *Reader) fieldCol(field, line int) int {
	if l, _ := r.cr.FieldPos(0); l != line {
		return 0
	}
	return r.col(field)
}

func (r *Reader) raggedError(rec []string, line int) error {
	want := len(r.names)
	what := "the header has"
	if r.pendLine != 0 || r.opts.Header == HeaderAbsent {
		what = "the first row has"
	}
	e := &Error{File: r.name, Line: line, Err: ErrRagged,
		Detail: fmt.Sprintf("%d field(s), but %s %d", len(rec), what, want)}
	switch {
	case len(rec) == 1 && strings.TrimSpace(rec[0]) == "":
		e.Hint = "the line holds only spaces; delete it"
	case len(rec) > want && strings.TrimSpace(rec[len(rec)-1]) == "":
		e.Hint = "a trailing delimiter adds an empty field; remove it"
	case len(rec) == 1 && want > 1:
		e.Hint = "is the delimiter right? use --delimiter (e.g. ';' or '\\t')"
	default:
		e.Hint = "every row needs the same number of fields; fix or remove this row"
	}
	return e
}

func (r *Reader) csvError(err error) error {
	var lt *lineTooLong
	if errors.As(err, &lt) {
		return &Error{File: r.name, Line: lt.line, Err: ErrLineLength,
			Detail: fmt.Sprintf("the line is longer than %d bytes (Options.MaxLine)", lt.max),
			Hint:   "is this a CSV file? a binary file has no line ends; if its lines are this long, raise the cap"}
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		e := &Error{File: r.name, Line: pe.Line, Column: pe.Column, Err: ErrQuote, Detail: pe.Err.Error()}
		if pe.Line == 1 && r.le.hadBOM {
			e.Column += 3
		}
		switch {
		case errors.Is(pe.Err, csv.ErrBareQuote):
			e.Hint = `a quote inside an unquoted field must be written inside a quoted field as "" (RFC 4180)`
		case errors.Is(pe.Err, csv.ErrQuote):
			e.Hint = "a quoted field is not closed, or has text after its closing quote"
		}
		if pe.StartLine != pe.Line {
			e.Detail += fmt.Sprintf(" (the field starts on line %d)", pe.StartLine)
		}
		return e
	}
	return &Error{File: r.name, Err: err, Detail: "reading failed: " + err.Error()}
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// otherDelimiter reports whether cell splits into numbers at a common
// delimiter, the sign of a file read with the wrong one.
func otherDelimiter(cell string) (rune, bool) {
	for _, d := range []rune{';', '\t', '|', ',', ' '} {
		parts := strings.Split(cell, string(d))
		if len(parts) < 2 {
			continue
		}
		ok := true
		for _, p := range parts {
			if !plainDecimal(strings.TrimSpace(p)) {
				ok = false
				break
			}
		}
		if ok {
			return d, true
		}
	}
	return 0, false
}
