package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/latentgo/latent/internal/fileio"
)

func touch(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// C-41, C-51: the outputs guard; an output that is an input is a usage error.
func TestCheckOutputs(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	touch(t, "data.csv")
	touch(t, "old.json")
	touch(t, "plz/curves.png")
	touch(t, "afile")
	if err := os.Symlink("data.csv", "alias.csv"); err != nil {
		t.Fatal(err)
	}
	if err := os.Link("old.json", "hard.json"); err != nil {
		t.Fatal(err)
	}
	out := func(flag, path string, k Kind, files ...string) Output {
		return Output{Flag: flag, Path: path, Kind: k, Files: files}
	}
	for _, c := range []struct {
		name    string
		spec    Spec
		usage   bool   // a usage error (exit 2)
		is      error  // errors.Is target, when not usage
		message string // a fragment of the message; "" for success
	}{
		{name: "nothing asked", spec: Spec{Outputs: []Output{out("--out", "", File)}}},
		{name: "new file", spec: Spec{Inputs: []string{"data.csv"}, Outputs: []Output{out("--out", "m.json", File)}}},
		{name: "stream to stdout", spec: Spec{Outputs: []Output{out("--out", "-", Stream)}}},
		{name: "file to stdout", spec: Spec{Outputs: []Output{out("--out", "-", File)}}, usage: true,
			message: "--out -: a file cannot go to standard output; give a file name"},
		{name: "stream to stdout with --json", spec: Spec{JSON: true, Outputs: []Output{out("--out", "-", Stream)}}, usage: true,
			message: "--out -: --json prints one JSON document on standard output; send --out to a file, or leave out --json"},
		{name: "stream to a file with --json", spec: Spec{JSON: true, Outputs: []Output{out("--out", "s.csv", Stream)}}},
		{name: "chart to stdout", spec: Spec{Outputs: []Output{out("--plot", "-", Chart)}}, usage: true,
			message: "--plot -: a chart cannot go to standard output"},
		{name: "folder to stdout", spec: Spec{Outputs: []Output{out("--plots", "-", Folder)}}, usage: true,
			message: "--plots -: a folder cannot go to standard output"},
		{name: "chart extension", spec: Spec{Outputs: []Output{out("--plot", "fit.txt", Chart)}}, usage: true,
			message: `unknown image format ".txt"`},
		{name: "chart without extension", spec: Spec{Outputs: []Output{out("--plot", "fit", Chart)}}, usage: true,
			message: "has no extension"},
		{name: "two outputs one name", spec: Spec{Force: true, Outputs: []Output{out("--plot", "same.png", Chart), out("--plot-trace", "./same.png", Chart)}},
			usage: true, message: "--plot same.png and --plot-trace ./same.png are one file; give each output its own name"},
		{name: "two outputs one existing file by a hard link", spec: Spec{Force: true, Outputs: []Output{out("--out", "old.json", File), out("--summary", "hard.json", Stream)}},
			usage: true, message: "are one file"},
		{name: "model and chart one file", spec: Spec{Force: true, Outputs: []Output{out("--out", "x.png", File), out("--plot", "x.png", Chart)}},
			usage: true, message: "--out x.png and --plot x.png are one file"},
		{name: "two streams on stdout", spec: Spec{Outputs: []Output{out("--out", "-", Stream), out("--json", "-", Stream)}},
			usage: true, message: "--out - and --json - both write to standard output"},
		{name: "file inside a chart folder", spec: Spec{Force: true, Outputs: []Output{out("--out", "plz/curves.png", File), out("--plots", "plz", Folder, "curves.png", "latent.png")}},
			usage: true, message: "--out plz/curves.png and --plots plz (its curves.png) are one file"},
		{name: "file inside a folder not there yet", spec: Spec{Outputs: []Output{out("--plots", "new", Folder, "a.png"), out("--out", "new/a.png", File)}},
			usage: true, message: "--plots new (its a.png) and --out new/a.png are one file"},
		{name: "file that is the output folder", spec: Spec{Outputs: []Output{out("--out", "plz", File), out("--plots", "plz", Folder, "a.png")}},
			usage: true, message: "--out plz and --plots plz are one file"},
		{name: "folder's own files", spec: Spec{Force: true, Outputs: []Output{out("--plots", "plz", Folder, "curves.png", "latent.png")}}},
		{name: "folder of a new name", spec: Spec{Outputs: []Output{out("--out", "tour", Folder, "report.md")}}},
		{name: "folder that is a file", spec: Spec{Outputs: []Output{out("--out", "afile", Folder, "report.md")}},
			message: "--out afile: a file of that name exists; give a folder"},
		{name: "existing file without force", spec: Spec{Outputs: []Output{out("--out", "old.json", File)}},
			is: fileio.ErrExists, message: "old.json: file exists; use --force to replace it"},
		{name: "existing file with force", spec: Spec{Force: true, Outputs: []Output{out("--out", "old.json", File)}}},
		{name: "existing file inside a folder", spec: Spec{Outputs: []Output{out("--plots", "plz", Folder, "curves.png")}},
			is: fileio.ErrExists, message: "plz/curves.png: file exists"},
		{name: "output is the input", spec: Spec{Force: true, Inputs: []string{"data.csv"}, Outputs: []Output{out("--out", "data.csv", Stream)}},
			usage: true, is: fileio.ErrIsInput, message: "data.csv: output is an input file; choose another output name"},
		{name: "output is the input through a link", spec: Spec{Force: true, Inputs: []string{"alias.csv"}, Outputs: []Output{out("--out", "./data.csv", File)}},
			usage: true, is: fileio.ErrIsInput, message: "output is an input file"},
		{name: "output in a folder is the input", spec: Spec{Force: true, Inputs: []string{"plz/curves.png"}, Outputs: []Output{out("--plots", "plz", Folder, "curves.png")}},
			usage: true, is: fileio.ErrIsInput, message: "output is an input file"},
		{name: "stdin is not stdout", spec: Spec{Inputs: []string{"-"}, Outputs: []Output{out("--out", "-", Stream)}}},
		{name: "missing folder", spec: Spec{Outputs: []Output{out("--out", "nowhere/m.json", File)}},
			message: "folder nowhere does not exist"},
		{name: "output is a folder", spec: Spec{Force: true, Outputs: []Output{out("--out", "plz", File)}},
			message: "plz is a folder; give a file name"},
		{name: "positional output", spec: Spec{Outputs: []Output{out("", "-", File)}}, usage: true,
			message: "the output -: a file cannot go to standard output"},
	} {
		opts, err := c.spec.Check()
		if c.message == "" && c.is == nil {
			if err != nil {
				t.Errorf("%s: got %v, want no error", c.name, err)
			}
			if opts.Force != c.spec.Force || len(opts.Inputs) != len(c.spec.Inputs) {
				t.Errorf("%s: options got %+v, want Force %v and the inputs %v", c.name, opts, c.spec.Force, c.spec.Inputs)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: got no error, want %q", c.name, c.message)
			continue
		}
		if got := IsUsage(err); got != c.usage {
			t.Errorf("%s: usage error got %v, want %v (%v)", c.name, got, c.usage, err)
		}
		if c.is != nil && !errors.Is(err, c.is) {
			t.Errorf("%s: got %v, want an error wrapping %v", c.name, err, c.is)
		}
		if !strings.Contains(err.Error(), c.message) {
			t.Errorf("%s: got %q, want it to contain %q", c.name, err, c.message)
		}
	}
}

// Check looks before any work: it writes nothing, not even the folder of a
// Folder output.
func TestCheckWritesNothing(t *testing.T) {
	dir := t.TempDir()
	spec := Spec{Outputs: []Output{{Flag: "--out", Path: filepath.Join(dir, "tour"), Kind: Folder, Files: []string{"report.md"}},
		{Flag: "--model", Path: filepath.Join(dir, "m.json"), Kind: File}}}
	if _, err := spec.Check(); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("Check wrote %v", entries)
	}
}
