package csvio

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Sentinel errors, wrapped by *Error.
var (
	ErrEmpty      = errors.New("empty input")
	ErrNoRows     = errors.New("no data rows")
	ErrRagged     = errors.New("wrong number of fields")
	ErrQuote      = errors.New("bad quoting")
	ErrHeader     = errors.New("bad header")
	ErrNotNumber  = errors.New("not a number")
	ErrMissing    = errors.New("missing value")
	ErrNonFinite  = errors.New("not finite")
	ErrRange      = errors.New("out of range for float64")
	ErrSyntax     = errors.New("unsupported number syntax")
	ErrLabel      = errors.New("label column not found")
	ErrTooMany    = errors.New("too many rows")
	ErrNoFeatures = errors.New("no numeric columns")
	ErrWeight     = errors.New("bad weight")
	ErrLineLength = errors.New("line too long")
	ErrEncoding   = errors.New("not UTF-8 text")
)

// Error describes a problem at a place in the input.
type Error struct {
	File   string // file name as given, "<stdin>" for standard input
	Line   int    // 1-based line, 0 when the error is about the whole file
	Column int    // 1-based column in bytes, 0 when not known
	Field  int    // 1-based field number, 0 when not about one field
	Name   string // the column's name, "" when not known
	Text   string // the offending text, "" when none
	Err    error  // one of the sentinel errors
	Detail string // what exactly is wrong, when Err alone does not say
	Hint   string // what to do about it
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	if e.Field > 0 {
		if e.Name != "" {
			fmt.Fprintf(&b, "column %d (%q): ", e.Field, e.Name)
		} else {
			fmt.Fprintf(&b, "column %d: ", e.Field)
		}
	}
	if e.Text != "" || e.Err == ErrMissing && e.Field > 0 {
		b.WriteString(quoteCut(e.Text))
		b.WriteString(": ")
	}
	if e.Detail != "" {
		b.WriteString(e.Detail)
	} else {
		b.WriteString(e.Err.Error())
	}
	if e.Hint != "" {
		b.WriteString("; ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// maxQuoted is how much of an offending text an error message quotes.
const maxQuoted = 80

// quoteCut quotes s, cut after about maxQuoted bytes (at a character's
// boundary) with the length of the whole: a 10 MB cell is not echoed.
func quoteCut(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	cut := maxQuoted - 20
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d bytes)", strconv.Quote(s[:cut]), len(s))
}
