package csvio

import (
	"bufio"
	"fmt"
	"io"
)

// lineEnds strips a leading UTF-8 byte-order mark and turns every lone CR
// (one not followed by LF) into LF, so that classic-Mac files split into
// lines; encoding/csv already folds CRLF into LF. Byte offsets are kept, so
// csv's column numbers stay right (except on line 1 after a BOM, which is
// off by three bytes and corrected by the Reader).
//
// It also caps the length of a line (maxLine bytes): an endless line (a
// binary file, /dev/zero) is an error, not a slow exhaustion of memory.
type lineEnds struct {
	r       *bufio.Reader
	started bool
	hadBOM  bool
	maxLine int
	run     int // bytes since the last LF
	lines   int // LFs passed
}

// DefaultMaxLine is the cap on a line's length when Options.MaxLine is 0:
// 16 MiB, some 800,000 numbers of 20 characters.
const DefaultMaxLine = 16 << 20

// lineTooLong is lineEnds' error, turned into an *Error by the Reader.
type lineTooLong struct{ line, max int }

func (e *lineTooLong) Error() string {
	return fmt.Sprintf("line %d is longer than %d bytes", e.line, e.max)
}

func newLineEnds(r io.Reader, maxLine int) *lineEnds {
	return &lineEnds{r: bufio.NewReaderSize(r, 64<<10), maxLine: maxLine}
}

func (l *lineEnds) Read(p []byte) (int, error) {
	if !l.started {
		l.started = true
		if b, err := l.r.Peek(3); err == nil && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
			l.r.Discard(3)
			l.hadBOM = true
		}
	}
	n, err := l.r.Read(p)
	for i := 0; i < n; i++ {
		if p[i] == '\n' {
			l.run = 0
			l.lines++
			continue
		}
		if l.run++; l.run > l.maxLine {
			return i, &lineTooLong{line: l.lines + 1, max: l.maxLine}
		}
		if p[i] != '\r' {
			continue
		}
		if i+1 < n {
			if p[i+1] != '\n' {
				p[i] = '\n'
				l.run, l.lines = 0, l.lines+1
			}
			continue
		}
		// The CR ends the buffer: look at the next byte without taking it.
		next, perr := l.r.Peek(1)
		if perr != nil || next[0] != '\n' {
			p[i] = '\n'
			l.run, l.lines = 0, l.lines+1
		}
	}
	return n, err
}

// utf16 reports whether the input starts like UTF-16 text: its byte-order
// mark, or ASCII characters each followed (or preceded) by a zero byte.
func (l *lineEnds) utf16() bool {
	b, _ := l.r.Peek(4)
	if len(b) >= 2 && (b[0] == 0xFF && b[1] == 0xFE || b[0] == 0xFE && b[1] == 0xFF) {
		return true
	}
	return len(b) == 4 && (b[0] != 0 && b[1] == 0 && b[2] != 0 && b[3] == 0 || b[0] == 0 && b[1] != 0 && b[2] == 0 && b[3] != 0)
}
