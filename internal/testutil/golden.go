package testutil

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// update is set by `go test ./PKG -update` and rewrites golden files instead
// of comparing with them.
var update = flag.Bool("update", false, "rewrite golden files in testdata/ instead of comparing with them")

// Update reports whether the test binary runs with -update: the one flag
// that refreshes golden files in every package.
func Update() bool { return *update }

// Golden compares got with testdata/name, or writes it there under -update.
func Golden(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file: %v (run the test with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; got:\n%s\nwant:\n%s\n(run with -update if the change is intended)", path, got, want)
	}
}
