package main

import (
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

var termIsTerminal = term.IsTerminal

// progress is a progress bar on stderr, drawn only when stderr is a
// terminal; otherwise every method does nothing, so logs and pipes stay clean.
type progress struct {
	bar *progressbar.ProgressBar
}

// newProgress starts a bar of total steps described by desc.
func newProgress(w io.Writer, total int, desc string) *progress {
	if !isTerminal(w) {
		return &progress{}
	}
	bar := progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(desc),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetPredictTime(true),
	)
	return &progress{bar: bar}
}

// Add advances the bar by n steps.
func (p *progress) Add(n int) {
	if p.bar != nil {
		p.bar.Add(n)
	}
}

// Describe changes the text before the bar (for example a running loss).
func (p *progress) Describe(s string) {
	if p.bar != nil {
		p.bar.Describe(s)
	}
}

// Done removes the bar.
func (p *progress) Done() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
