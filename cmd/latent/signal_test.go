package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/latentgo/latent/vae"
)

// C-47 (issue 22, item 21): SIGTERM is Ctrl-C: vae train stops between
// two steps, saves the run in its checkpoint, says where and how to
// continue, and exits with status 1 (it ended at once with status 143
// and no message). The test sends SIGTERM to its own process, which the
// command must catch: without the handler the test binary dies.
func TestSIGTERMCheckpoints(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "m.json")
	var stdout, stderr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run([]string{"vae", "train", "--data", "digits", "--latent", "2", "--hidden", "16", "--epochs", "100000", "--out", out}, nil, &stdout, &stderr)
	}()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if _, err := os.Stat(out + ".ckpt"); err == nil {
			break // training is under way: the first epoch is saved
		}
		if time.Now().After(deadline) {
			t.Fatal("no checkpoint after 2 minutes")
		}
		select {
		case code := <-done:
			t.Fatalf("vae train ended before the signal: exit %d, stderr %s", code, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var code int
	select {
	case code = <-done:
	case <-time.After(2 * time.Minute):
		t.Fatal("vae train did not stop within 2 minutes of SIGTERM")
	}
	if code != exitFailure {
		t.Errorf("exit %d, want %d", code, exitFailure)
	}
	for _, want := range []string{"; the run is saved in " + out + ".ckpt\n", "continue it with: latent vae train --resume " + out + ".ckpt --out " + out + " --force\n", "latent: interrupted\n"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr %q lacks %q", stderr.String(), want)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a model file was written: %v", err)
	}
	ck, err := vae.LoadCheckpoint(out + ".ckpt")
	if err != nil {
		t.Fatal(err)
	}
	if ck.At.Epoch < 1 {
		t.Errorf("checkpoint at %+v, want after the first epoch", ck.At)
	}
}
