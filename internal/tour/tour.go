// Package tour runs `latent demo`: the parts of the tour in order, each
// writing its charts into one folder and returning its section of the
// report, and the report itself, as report.json (every number the text
// quotes, for the gallery check) and report.md (the text and the charts).
//
// The parts are here too, one file per model (gmm.go, vae.go, …): each
// calls the same library functions as the command it quotes, writes its
// charts through an Env and returns its section; parts.go lists them, with
// the files each declares. cmd/latent only checks the folder, runs them and
// prints the summary.
package tour

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/latentgo/latent/internal/cli"
)

// Figure is a chart a part wrote into the output folder.
type Figure struct {
	File    string `json:"file"`
	Caption string `json:"caption"`
}

// Section is one part's section of report.md and report.json.
type Section struct {
	Name    string         `json:"name"`
	Title   string         `json:"title"`
	Seconds float64        `json:"seconds"`
	Text    string         `json:"text"`              // Markdown
	Figures []Figure       `json:"figures,omitempty"` // files in the output folder
	Numbers map[string]any `json:"numbers,omitempty"` // the figures quoted in Text
}

// Part is one part of the tour.
type Part struct {
	Name  string // short name, for --only
	Title string // the section's heading
	// Files are the names of the files the part writes into the output
	// folder, declared before any part runs so that the command can check
	// them all first (cli.Spec); a part that reports another figure is an
	// error.
	Files []string
	// Run does the part's work and returns its section; Run fills in the
	// section's Name, Title and Seconds.
	Run func(ctx context.Context) (*Section, error)
}

// Names returns the parts' names, in order.
func Names(parts []Part) []string {
	names := make([]string, len(parts))
	for i, p := range parts {
		names[i] = p.Name
	}
	return names
}

// Select returns the parts named in the comma-separated list only, in the
// list's order; "" selects all of them. An unknown name is an error that
// lists the parts.
func Select(parts []Part, only string) ([]Part, error) {
	if only == "" {
		return parts, nil
	}
	var out []Part
	for _, n := range strings.Split(only, ",") {
		i := slices.IndexFunc(parts, func(p Part) bool { return p.Name == strings.TrimSpace(n) })
		if i < 0 {
			return nil, fmt.Errorf("no part %q; the parts are %s", n, strings.Join(Names(parts), ", "))
		}
		out = append(out, parts[i])
	}
	return out, nil
}

// Files returns the files that parts write, in order, after report.md and
// report.json.
func Files(parts []Part) []string {
	files := []string{"report.md", "report.json"}
	for _, p := range parts {
		files = append(files, p.Files...)
	}
	return files
}

// Progress is what Run reports before each part and once at the end.
type Progress struct {
	Done, Total int    // parts finished, parts to run
	Part        string // the part about to run; "" at the end
}

// Report is the tour's outcome.
type Report struct {
	Producer string     `json:"producer"`
	Seed     uint64     `json:"seed"`
	Sections []*Section `json:"sections"`
}

// Run runs parts in order and returns the report. It stops at the first
// part that fails, or that reports a figure it did not declare in Files,
// with an error naming the part. progress may be nil.
func Run(ctx context.Context, parts []Part, seed uint64, producer string, progress func(Progress)) (*Report, error) {
	rep := &Report{Producer: producer, Seed: seed}
	for i, p := range parts {
		if progress != nil {
			progress(Progress{Done: i, Total: len(parts), Part: p.Name})
		}
		t0 := time.Now()
		s, err := p.Run(ctx)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Name, err)
		}
		for _, f := range s.Figures {
			if !slices.Contains(p.Files, f.File) {
				return nil, fmt.Errorf("%s: reports the figure %s, which the part does not declare in its Files", p.Name, f.File)
			}
		}
		s.Name, s.Title, s.Seconds = p.Name, p.Title, time.Since(t0).Seconds()
		rep.Sections = append(rep.Sections, s)
	}
	if progress != nil {
		progress(Progress{Done: len(parts), Total: len(parts)})
	}
	return rep, nil
}

// JSON returns report.json: indented, every number to the last bit; a NaN
// or an infinity is an error naming it (cli.JSON).
func (r *Report) JSON() ([]byte, error) { return cli.JSON(r) }

// Markdown returns report.md: a heading, then each section's text and its
// figures with their captions.
func (r *Report) Markdown() []byte {
	var md bytes.Buffer
	fmt.Fprintf(&md, "# The latent tour\n\nProduced by `latent demo --seed %d` (%s).\n", r.Seed, r.Producer)
	for _, s := range r.Sections {
		fmt.Fprintf(&md, "\n## %s\n\n%s\n", s.Title, strings.TrimSpace(s.Text))
		for _, f := range s.Figures {
			fmt.Fprintf(&md, "\n![%s](%s)\n\n*%s*\n", f.Caption, f.File, f.Caption)
		}
	}
	return md.Bytes()
}

// WriteText writes what `latent demo` prints when done: the parts, their
// time and their files, below a line naming the two reports (md and json)
// and the time the whole tour took.
func (r *Report) WriteText(w io.Writer, md, json string, elapsed time.Duration) error {
	var b strings.Builder
	fmt.Fprintf(&b, "latent demo: %d parts in %.1fs; wrote %s and %s\n", len(r.Sections), elapsed.Seconds(), md, json)
	for _, s := range r.Sections {
		files := []string{}
		for _, f := range s.Figures {
			files = append(files, f.File)
		}
		fmt.Fprintf(&b, "  %-10s %5.1fs  %s\n", s.Name, s.Seconds, strings.Join(files, " "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
