package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	abeam "github.com/apache/beam/sdks/v2/go/pkg/beam"
)

func TestMain(m *testing.M) {
	flag.Parse()
	if !testing.Verbose() {
		slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	}
	abeam.Init()
	os.Exit(m.Run())
}

// resetFlags gives every run a fresh copy of the command line's flags
// (gmm fit registers its own on it), keeping Beam's.
func resetFlags(t *testing.T) {
	t.Helper()
	saved := flag.CommandLine
	fresh := flag.NewFlagSet(os.Args[0], flag.ContinueOnError)
	saved.VisitAll(func(f *flag.Flag) {
		if fresh.Lookup(f.Name) == nil && !strings.HasPrefix(f.Name, "test.") && !isOurs(f.Name) {
			fresh.Var(f.Value, f.Name, f.Usage)
		}
	})
	flag.CommandLine = fresh
	t.Cleanup(func() { flag.CommandLine = saved })
}

func isOurs(name string) bool {
	var f fitFlags
	fs := flag.NewFlagSet("", flag.ContinueOnError)
	f.register(fs)
	return fs.Lookup(name) != nil
}

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	resetFlags(t)
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsageErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"gmm"}, "usage"},
		{[]string{"gmm", "fit"}, "give the data"},
		{[]string{"gmm", "fit", "x.csv", "--k", "0"}, "--k"},
		{[]string{"gmm", "fit", "x.csv", "--cov", "round"}, "--cov"},
		{[]string{"gmm", "fit", "x.csv", "--delimiter", "ab"}, "--delimiter"},
		{[]string{"gmm", "fit", "x.csv", "--no-such-flag"}, "no-such-flag"},
	} {
		code, _, stderr := runCmd(t, c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}

// TestFitPrism: a fit of two shards on prism writes latent gmm fit's model
// file and JSON report; an empty glob is exit 1 before any pipeline.
func TestFitPrism(t *testing.T) {
	dir := t.TempDir()
	a := "a,b\n0,0.1\n0.2,0.1\n0.1,0.3\n-0.1,0\n"
	b := "a,b\n5,5.1\n5.2,4.9\n4.8,5\n5.1,5.3\n0.05,0.2\n"
	os.WriteFile(filepath.Join(dir, "p1.csv"), []byte(a), 0o644)
	os.WriteFile(filepath.Join(dir, "p2.csv"), []byte(b), 0o644)
	model := filepath.Join(dir, "m.json")
	code, stdout, stderr := runCmd(t, "gmm", "fit", filepath.Join(dir, "p*.csv"), "--k", "2", "--block-rows", "3", "--out", model, "--json", "--runner", "prism")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got fitOut
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	if got.Rows != 9 || len(got.Shards) != 2 || got.Report == nil || got.Model == nil {
		t.Errorf("got %d rows, %d shards; want 9 and 2, a report and a model", got.Rows, len(got.Shards))
	}
	if fi, err := os.Stat(model); err != nil || fi.Size() == 0 {
		t.Errorf("no model file: %v", err)
	}
	code, _, stderr = runCmd(t, "gmm", "fit", filepath.Join(dir, "q*.csv"))
	if code != 1 || !strings.Contains(stderr, "matches no file") {
		t.Errorf("an empty glob: exit %d, %q", code, stderr)
	}
}
