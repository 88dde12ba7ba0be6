package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/plots"
)

// Kind says what an output is, and so where it may go.
type Kind int

const (
	// File is a file that only makes sense on disk (a model, a
	// checkpoint): "-" is refused.
	File Kind = iota
	// Stream is a file or "-" for standard output (CSV, JSON, text).
	Stream
	// Chart is an image whose format (PNG, SVG or PDF) is its extension:
	// "-" is refused, and an unknown extension is a usage error.
	Chart
	// Folder is a folder the command creates if needed and writes Files
	// into; "-" is refused.
	Folder
)

// Output is one thing a command writes.
type Output struct {
	// Flag is how the user named it, for messages: "--out", "--plot".
	// For a positional argument, say what it is ("the output file").
	Flag string
	// Path is where it goes; "" when the user did not ask for it (it is
	// then skipped). "-" is standard output, allowed for a Stream only.
	Path string
	Kind Kind
	// Files are the names a Folder output writes inside Path (a chart's
	// file name, report.json). Ignored for other kinds.
	Files []string
}

// Spec is everything a command reads and writes, declared once, before any
// work, and checked by Check.
type Spec struct {
	// Inputs are the files the command reads; "" and "-" (stdin) are
	// skipped. No output may be one of them, whatever its name.
	Inputs []string
	// Outputs are the files and folders the command writes.
	Outputs []Output
	// Force allows replacing existing outputs (the CLI's --force); an
	// input is never replaced, even with Force.
	Force bool
	// JSON says that the command prints its result as one JSON document
	// on standard output (the CLI's --json): no Stream may go there too.
	JSON bool
}

// Options returns the fileio.Options every write of the command uses, so
// that the write itself checks again (atomically, just before its rename)
// what Check checked.
func (s Spec) Options() fileio.Options {
	return fileio.Options{Force: s.Force, Inputs: s.Inputs}.WithForceFlag("--force")
}

// target is one file (or folder) an output writes.
type target struct {
	path   string
	desc   string // "--plots plz (its curves.png)"
	owner  int    // index of the output in Spec.Outputs
	folder bool   // the folder of a Folder output itself
	inside bool   // a file inside a Folder output
	fresh  bool   // inside a folder that does not exist yet
}

// Check says, before any work, whether the command's outputs can all be
// written, and returns the options for the writes. In order, it refuses:
//
//  1. "-" for an output that is not a Stream, or for any output when the
//     command prints JSON on standard output (JSON), and a chart whose
//     extension is not .png, .svg or .pdf (usage errors, exit 2);
//  2. two outputs that are one file or folder, by identity (links, "./x"
//     and "x" count), including a file that a Folder output writes inside
//     (--out plz/curves.png with --plots plz), and two Streams on standard
//     output (usage errors);
//  3. an output that is an input, by identity, even with Force (a usage
//     error wrapping fileio.ErrIsInput: the command line contradicts
//     itself, whatever the disk holds, so it is exit 2 like the two
//     outputs on one file of step 2);
//  4. an existing file without Force, an output that is a folder, and a
//     file whose folder does not exist (fileio.Check; ordinary errors,
//     exit 1, with fileio's messages: they depend on the disk, and
//     --force or another folder fixes them).
//
// A Folder output may not exist yet: the command creates it; but it may
// not be an existing file.
func (s Spec) Check() (fileio.Options, error) {
	opts := s.Options()
	var targets []target
	for k, o := range s.Outputs {
		if o.Path == "" {
			continue
		}
		name := o.Flag
		if name == "" {
			name = "the output"
		}
		if o.Path == "-" && o.Kind != Stream {
			what := map[Kind]string{File: "a file", Chart: "a chart", Folder: "a folder"}[o.Kind]
			return opts, Usagef("%s -: %s cannot go to standard output; give a file name", name, what)
		}
		if o.Path == "-" && s.JSON {
			return opts, Usagef("%s -: --json prints one JSON document on standard output; send %s to a file, or leave out --json", name, name)
		}
		switch o.Kind {
		case Chart:
			if _, err := plots.FormatOf(o.Path); err != nil {
				return opts, &UsageError{err}
			}
		case Folder:
			st, err := os.Stat(o.Path)
			exists := err == nil
			if exists && !st.IsDir() {
				return opts, fmt.Errorf("%s %s: a file of that name exists; give a folder", name, o.Path)
			}
			targets = append(targets, target{path: o.Path, desc: name + " " + o.Path, owner: k, folder: true})
			for _, f := range o.Files {
				targets = append(targets, target{path: filepath.Join(o.Path, f), desc: fmt.Sprintf("%s %s (its %s)", name, o.Path, f),
					owner: k, inside: true, fresh: !exists})
			}
			continue
		}
		targets = append(targets, target{path: o.Path, desc: name + " " + o.Path, owner: k})
	}
	for i := range targets {
		for j := range i {
			a, b := targets[j], targets[i]
			if a.owner == b.owner && a.folder != b.folder {
				continue // a folder and its own files
			}
			if a.path == "-" && b.path == "-" {
				return opts, Usagef("%s and %s both write to standard output; send one of them to a file", a.desc, b.desc)
			}
			if sameFile(a.path, b.path) {
				return opts, Usagef("%s and %s are one file; give each output its own name", a.desc, b.desc)
			}
		}
	}
	for _, t := range targets {
		if t.folder || t.fresh || t.path == "-" {
			continue
		}
		if err := fileio.Check(t.path, opts); err != nil {
			if errors.Is(err, fileio.ErrIsInput) {
				return opts, &UsageError{err}
			}
			return opts, err
		}
	}
	return opts, nil
}

// sameFile reports whether paths a and b name one file: by identity when
// both exist, else by their cleaned absolute paths with links in the
// folder resolved.
func sameFile(a, b string) bool {
	if a == "-" || b == "-" {
		return false
	}
	sa, ea := os.Stat(a)
	sb, eb := os.Stat(b)
	if ea == nil && eb == nil {
		return os.SameFile(sa, sb)
	}
	if (ea == nil) != (eb == nil) {
		return false
	}
	return canonical(a) == canonical(b)
}

// canonical is path made absolute, with the links of its folder resolved
// when the folder exists (the file itself does not).
func canonical(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	dir, base := filepath.Split(abs)
	if d, err := filepath.EvalSymlinks(dir); err == nil {
		return filepath.Join(d, base)
	} else if errors.Is(err, fs.ErrNotExist) {
		// A folder that does not exist yet (inside a Folder output):
		// resolve what exists of it.
		return filepath.Join(canonical(filepath.Clean(dir)), base)
	}
	return abs
}
