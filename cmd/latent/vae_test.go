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

// Options the library refuses come back as usage errors naming the flag
// (vae.OptionError mapped by vaeFlagError), with exit status 2.
func TestVAEFlagErrors(t *testing.T) {
	dir := t.TempDir()
	ckpt := filepath.Join(dir, "m.json.ckpt")
	var stdout, stderr bytes.Buffer
	if code := execute(context.Background(), []string{"vae", "train", "--data", "digits", "--latent", "2", "--hidden", "4", "--epochs", "2",
		"--out", filepath.Join(dir, "m.json")}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("train: exit %d: %s", code, stderr.String())
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"vae", "train", "--data", "digits", "--epochs", "1", "--scale", "minmax"}, `latent: --scale "minmax": use none or standard`},
		{[]string{"vae", "train", "--data", "digits", "--epochs", "1", "--decoder", "gaussian", "--variance", "-1"}, "latent: --variance -1: give a finite number > 0"},
		{[]string{"vae", "train", "--resume", ckpt, "--epochs", "1", "--out", filepath.Join(dir, "m1.json")}, "latent: --epochs 1: " + ckpt + " has completed 2 epochs already"},
		{[]string{"vae", "train", "--data", "digits", "--decoder", "gaussian", "--binarize"}, "latent: --binarize: dynamic binarisation needs --decoder bernoulli"},
	} {
		stdout.Reset()
		stderr.Reset()
		code := execute(context.Background(), c.args, nil, &stdout, &stderr)
		if code != exitUsage || !strings.HasPrefix(stderr.String(), c.want+"\n") {
			t.Errorf("%v: got exit %d, stderr %q; want exit %d and %q", c.args, code, stderr.String(), exitUsage, c.want)
		}
	}
}
