package table

import (
	"fmt"
	"io"
	"os"
	"strconv"

	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/internal/csvio"
)

// HeaderMode says whether the first row of a CSV file names the columns.
type HeaderMode = csvio.HeaderMode

// The header modes.
const (
	HeaderAuto    = csvio.HeaderAuto    // a header when some cell of the first row is not a number
	HeaderPresent = csvio.HeaderPresent // the first row is a header
	HeaderAbsent  = csvio.HeaderAbsent  // the first row is data
)

// Error is an error about the data of a file: where (File, Line, Column,
// Field, Name), the offending Text, the sentinel Err it wraps, and a Hint.
// Its message reads "file:line:column: column 2 ("b"): "NaN": …".
type Error = csvio.Error

// The sentinel errors an *Error wraps, for errors.Is.
var (
	ErrEmpty      = csvio.ErrEmpty      // the file is empty
	ErrNoRows     = csvio.ErrNoRows     // a header and no data rows
	ErrRagged     = csvio.ErrRagged     // a row with another number of fields than the first
	ErrQuote      = csvio.ErrQuote      // bad quoting
	ErrHeader     = csvio.ErrHeader     // an empty or duplicated column name
	ErrNotNumber  = csvio.ErrNotNumber  // a cell that is not a number
	ErrMissing    = csvio.ErrMissing    // an empty cell or a missing-value marker
	ErrNonFinite  = csvio.ErrNonFinite  // NaN or an infinity
	ErrRange      = csvio.ErrRange      // a number beyond ±1.8e308
	ErrSyntax     = csvio.ErrSyntax     // a hex float or a digit separator
	ErrLabel      = csvio.ErrLabel      // Options.Label names no column
	ErrTooMany    = csvio.ErrTooMany    // more data rows than Options.MaxRows
	ErrNoFeatures = csvio.ErrNoFeatures // no numeric column besides the label
	ErrWeight     = csvio.ErrWeight     // a weight that is missing, not finite or negative; or every weight 0
)

// Options control reading. The zero value reads comma-separated data,
// detects a header, keeps no label column and reads any number of rows.
type Options struct {
	// Name names the data in error messages; "" means the path (Read,
	// OpenCSV), or "<stdin>" (ReadCSV).
	Name string
	// Delimiter separates the fields of a CSV file; 0 means ','. It may not
	// be a quote, CR, LF or the Unicode replacement character.
	Delimiter rune
	// Header says whether the first row of a CSV file names the columns;
	// the zero value, HeaderAuto, detects it.
	Header HeaderMode
	// Label names a column to keep apart as strings (class labels),
	// matched against the header's names or, failing that, read as a
	// 1-based column number; "" means none. A Source skips it.
	Label string
	// MaxRows, when positive, makes Read and ReadCSV fail on a table of
	// more data rows (ErrTooMany); 0 means no limit. Sources are not
	// limited.
	MaxRows int
	// Missing, when not nil, reads empty cells and the cells whose text
	// (trimmed) is one of Missing as missing values: NaN in X (a Source's
	// blocks too). A row with every value missing is an error naming its
	// line. nil refuses missing values (ErrMissing).
	Missing []string
	// Weights names a numeric column (as Label) read apart as the rows'
	// weights: Table.Weights, and the weights of a Source's blocks. Each
	// must be finite and ≥ 0 (ErrWeight, naming the line), and not all 0.
	Weights string
	// Known names a text column (as Label) read apart as the rows' known
	// classes, "" for an unknown one: Table.Known. A Source skips it.
	Known string
}

func (o Options) csv(name string) csvio.Options {
	if o.Name != "" {
		name = o.Name
	}
	return csvio.Options{Name: name, Delimiter: o.Delimiter, Header: o.Header, Label: o.Label, MaxRows: o.MaxRows,
		Missing: o.Missing, Weights: o.Weights, Known: o.Known}
}

// Table is a table in memory.
type Table struct {
	Columns   []string   // the names of the numeric columns, in file order
	X         *mat.Dense // one row per data row, one column per numeric column
	Labels    []string   // the label column, nil when there is none
	LabelName string     // the label column's name, "" when there is none
	Weights   []float64  // the weight column (Options.Weights), nil when there is none
	Known     []string   // the known-class column (Options.Known), nil when there is none
}

// ReadCSV reads every data row of CSV data from r. Errors about the data
// are *Error values.
func ReadCSV(r io.Reader, opts Options) (*Table, error) {
	t, err := csvio.ReadAll(r, opts.csv("<stdin>"))
	if err != nil {
		return nil, err
	}
	return &Table{Columns: t.Columns, X: t.X, Labels: t.Labels, LabelName: t.LabelName, Weights: t.Weights, Known: t.Known}, nil
}

// Read reads the CSV file at path into memory.
func Read(path string, opts Options) (*Table, error) {
	f, err := openFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if opts.Name == "" {
		opts.Name = path
	}
	return ReadCSV(f, opts)
}

// openFile opens a file to read, refusing a folder.
func openFile(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("table: %w", err)
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("table: %s is a folder, not a data file", path)
	}
	return f, nil
}

// WriteCSV writes t as CSV: a header row, then the rows of t.X, numbers in
// Go's shortest round-trip form so that ReadCSV gives back the same bits,
// and when t.Labels is not nil a last column named t.LabelName. It panics
// when the lengths of t.Columns or t.Labels do not match t.X.
func WriteCSV(w io.Writer, t *Table) error {
	return csvio.Write(w, t.Columns, t.X, t.LabelName, t.Labels)
}

// DefaultColumns returns the names a table without a header gets: x1, x2,
// …, xd.
func DefaultColumns(d int) []string {
	names := make([]string, d)
	for j := range names {
		names[j] = "x" + strconv.Itoa(j+1)
	}
	return names
}
