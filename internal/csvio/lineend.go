package csvio

import (
	"bufio"
	"io"
)

// lineEnds strips a leading UTF-8 byte-order mark and turns every lone CR
// (one not followed by LF) into LF, so that classic-Mac files split into
// lines; encoding/csv already folds CRLF into LF. Byte offsets are kept, so
// csv's column numbers stay right (except on line 1 after a BOM, which is
// off by three bytes and corrected by the Reader).
type lineEnds struct {
	r       *bufio.Reader
	started bool
	hadBOM  bool
}

func newLineEnds(r io.Reader) *lineEnds {
	return &lineEnds{r: bufio.NewReaderSize(r, 64<<10)}
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
		if p[i] != '\r' {
			continue
		}
		if i+1 < n {
			if p[i+1] != '\n' {
				p[i] = '\n'
			}
			continue
		}
		// The CR ends the buffer: look at the next byte without taking it.
		next, perr := l.r.Peek(1)
		if perr != nil || next[0] != '\n' {
			p[i] = '\n'
		}
	}
	return n, err
}
