package main

import (
	"bytes"
	"math"
	"os"
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
