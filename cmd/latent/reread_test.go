//go:build unix

package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Issue 22, item 9: --stream and --online read their input once per
// iteration or pass, so a FIFO (which hung) or stdin (which read as empty
// on the second pass) is refused up front, exit 2, with the reason.
func TestStreamRefusesFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "rows")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("mkfifo:", err)
	}
	for _, args := range [][]string{
		{"gmm", "fit", fifo, "-k", "2", "--stream"},
		{"gmm", "fit", fifo, "-k", "2", "--stream", "--bayes", "dirichlet-process"},
		{"gmm", "fit", fifo, "-k", "2", "--online", "--batch", "50"},
		{"gmm", "fit", "-", "-k", "2", "--stream"},
	} {
		var out, errb bytes.Buffer
		code := run(args, strings.NewReader("x\n1\n2\n"), &out, &errb)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d; stderr %s", args, code, exitUsage, errb.String())
		}
		if want := "cannot be read twice"; args[2] != "-" && !strings.Contains(errb.String(), want) {
			t.Errorf("%v: stderr %q, want %q", args, errb.String(), want)
		}
	}
}
