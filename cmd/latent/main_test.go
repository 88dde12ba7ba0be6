package main

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/internal/csvio"
	"github.com/latentgo/latent/internal/testutil"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"latent": func() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the end-to-end CLI scripts in testdata/script: exit
// codes, stdout/stderr separation, bad files, outputs never half-written.
// `go test ./cmd/latent -run TestScripts -update` rewrites the files that
// the scripts' cmp commands compare with (testscript's UpdateScripts).
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		UpdateScripts:       testutil.Update(),
	})
}

// `latent data export NAME` round-trips through the CSV reader bit-exactly.
func TestExportRoundTrip(t *testing.T) {
	for _, name := range []string{"faithful", "iris", "digits"} {
		var out, errb bytes.Buffer
		if code := run([]string{"data", "export", name}, nil, &out, &errb); code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, errb.String())
		}
		want, _ := datasets.Load(name)
		got, err := csvio.ReadAll(&out, csvio.Options{Name: name, Label: want.LabelName})
		if err != nil {
			t.Fatal(err)
		}
		wd := want.X.RawMatrix().Data
		for i, v := range got.X.RawMatrix().Data {
			if math.Float64bits(v) != math.Float64bits(wd[i]) {
				t.Fatalf("%s: value %d: got %v, want %v", name, i, v, wd[i])
			}
		}
		if strings.Join(got.Labels, ",") != strings.Join(want.Labels, ",") || strings.Join(got.Columns, ",") != strings.Join(want.Columns, ",") {
			t.Errorf("%s: labels or columns differ", name)
		}
	}
}

// A panic inside a command is reported as one line, without a stack trace.
func TestPanicIsOneLine(t *testing.T) {
	var out, errb bytes.Buffer
	t.Setenv("LATENT_TRACEBACK", "")
	code := execute(t.Context(), []string{"data", "describe", "-"}, panicReader{}, &out, &errb)
	if code != exitFailure {
		t.Errorf("exit %d, want %d", code, exitFailure)
	}
	if !strings.HasPrefix(errb.String(), "latent: internal error: boom") || strings.Contains(errb.String(), "goroutine") {
		t.Errorf("stderr: %q", errb.String())
	}
}

type panicReader struct{}

func (panicReader) Read([]byte) (int, error) { panic("boom") }

// LATENT_MNIST is read by the CLI, which passes it to datasets: `data fetch
// mnist` finds the files there, and a folder without them is an error
// naming it (no silent fall-back to another copy).
func TestLatentMNIST(t *testing.T) {
	dir := t.TempDir()
	idx := func(dims []uint32, data []byte) []byte {
		var b bytes.Buffer
		b.Write([]byte{0, 0, 8, byte(len(dims))})
		binary.Write(&b, binary.BigEndian, dims)
		b.Write(data)
		return b.Bytes()
	}
	for name, data := range map[string][]byte{
		"train-images-idx3-ubyte": idx([]uint32{1, 1, 2}, []byte{0, 255}),
		"train-labels-idx1-ubyte": idx([]uint32{1}, []byte{3}),
		"t10k-images-idx3-ubyte":  idx([]uint32{1, 1, 2}, []byte{9, 9}),
		"t10k-labels-idx1-ubyte":  idx([]uint32{1}, []byte{4}),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("LATENT_MNIST", dir)
	var out, errb bytes.Buffer
	if code := run([]string{"data", "fetch", "mnist"}, nil, &out, &errb); code != 0 || out.String() != dir+"\n" {
		t.Errorf("data fetch mnist: exit %d, stdout %q, stderr %q; want %q", code, out.String(), errb.String(), dir+"\n")
	}
	empty := t.TempDir()
	t.Setenv("LATENT_MNIST", empty)
	out.Reset()
	errb.Reset()
	if code := run([]string{"data", "fetch", "mnist"}, nil, &out, &errb); code != exitFailure || !strings.Contains(errb.String(), empty) {
		t.Errorf("empty LATENT_MNIST folder: exit %d, stderr %q; want exit 1 naming %s", code, errb.String(), empty)
	}
}
