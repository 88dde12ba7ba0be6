package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Ctrl-C during `vae train` saves the run in its checkpoint, says how to
// continue it, exits with status 1 and leaves no model file; the resumed
// run then completes.
func TestVAETrainInterrupted(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "m.json")
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // interrupted before the first step
	var stdout, stderr bytes.Buffer
	args := []string{"vae", "train", "--data", "digits", "--latent", "2", "--hidden", "8", "--epochs", "2", "--out", out}
	code := execute(ctx, args, nil, &stdout, &stderr)
	if code != exitFailure {
		t.Fatalf("exit %d, want %d; stderr %s", code, exitFailure, stderr.String())
	}
	for _, want := range []string{"stopped after 0 epochs and 0 batches; the run is saved in " + out + ".ckpt",
		"continue it with: latent vae train --resume " + out + ".ckpt --out " + out + " --force", "latent: interrupted"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr %q lacks %q", stderr.String(), want)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a model file was written: %v", err)
	}
	stdout.Reset()
	stderr.Reset()
	code = execute(context.Background(), []string{"vae", "train", "--resume", out + ".ckpt", "--out", out, "--force"}, nil, &stdout, &stderr)
	if code != exitOK || !strings.Contains(stdout.String(), "resumed after epoch 0, batch 0") {
		t.Errorf("resume: exit %d, stdout %s, stderr %s", code, stdout.String(), stderr.String())
	}
}
