package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// cancelAfter is a stdout that cancels the command's context once it has
// received limit bytes: Ctrl-C in the middle of a long output.
type cancelAfter struct {
	mu     sync.Mutex
	n      int
	limit  int
	cancel context.CancelFunc
}

func (w *cancelAfter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.n += len(p)
	if w.n >= w.limit {
		w.cancel()
	}
	return len(p), nil
}

// Issue 22, item 7: gmm sample -n 1e12 streams its rows in chunks (it
// used to allocate n × D floats first and die in the runtime's
// out-of-memory dump for -n 2000000000), and Ctrl-C stops it between two
// chunks with a message saying how far it got; with --out no file, and
// no temporary file, is left.
func TestGmmSampleStreamsAndStops(t *testing.T) {
	dir := t.TempDir()
	data, model := filepath.Join(dir, "f.csv"), filepath.Join(dir, "m.json")
	var out, errb bytes.Buffer
	if code := run([]string{"data", "export", "faithful", "--out", data}, nil, &out, &errb); code != 0 {
		t.Fatal(errb.String())
	}
	if code := run([]string{"gmm", "fit", data, "-k", "2", "--out", model}, nil, &out, &errb); code != 0 {
		t.Fatal(errb.String())
	}

	ctx, cancel := context.WithCancel(context.Background())
	w := &cancelAfter{limit: 4 << 20, cancel: cancel}
	errb.Reset()
	code := execute(ctx, []string{"gmm", "sample", "--model", model, "-n", "1e12"}, nil, w, &errb)
	if code != exitFailure {
		t.Errorf("stdout: exit %d, want %d; stderr %s", code, exitFailure, errb.String())
	}
	if w.n > 16<<20 {
		t.Errorf("%d bytes written after the cancel at 4 MB: not stopped between chunks", w.n)
	}
	if !strings.Contains(errb.String(), "latent: gmm sample stopped after ") || !strings.Contains(errb.String(), " of 1000000000000 rows\n") || !strings.Contains(errb.String(), "latent: interrupted") {
		t.Errorf("stderr %q", errb.String())
	}

	file := filepath.Join(dir, "draws.csv")
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	errb.Reset()
	code = execute(ctx, []string{"gmm", "sample", "--model", model, "-n", "1e12", "--out", file}, nil, &out, &errb)
	if code != exitFailure || !strings.Contains(errb.String(), file+" was not written") {
		t.Errorf("--out: exit %d, stderr %q", code, errb.String())
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if n := e.Name(); n != "f.csv" && n != "m.json" {
			t.Errorf("left %s in the folder", n)
		}
	}
}
