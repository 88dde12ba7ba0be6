package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/latentgo/latent/internal/memlimit"
)

// FuzzCommandLine is C-50: the command line of every nn, vae and biasvar
// command, with any flags and values the fuzzer makes up, never panics
// (a panic would print "internal error") and always exits 0, 1 or 2. The
// input is the command line, split at spaces; it runs in a folder of its
// own holding a small CSV file, with paths outside it refused, within a
// two-second budget (the context is then cancelled, as by Ctrl-C) and a
// memory limit of 1 GB for the memory guard.
func FuzzCommandLine(f *testing.F) {
	for _, s := range []string{
		"nn train --data iris --epochs 1 --hidden 2",
		"nn train d.csv --label c --epochs 2 --batch 3 --lr 0.1 --optimizer sgd --out m.json --plot p.png --force",
		"nn train --data iris --epochs 1 --lr 1e10 --tol -1 --batch 0 --momentum 0 --patience 0 --scale minmax",
		"nn predict --model m.json d.csv --out - --json --no-header",
		"vae train d.csv --decoder gaussian --latent 1 --hidden 2 --epochs 1 --out v.json --plots charts",
		"vae train d.csv --decoder gaussian --epochs 1 --out - --checkpoint - --beta 0 --lr NaN --resume v.json.ckpt",
		"vae eval --model v.json d.csv --samples 0 --iwae-k 3 --json",
		"vae sample --model v.json -n 3 --out - --json --cols 0 --mixture g.json",
		"vae reconstruct --model v.json d.csv --show 0 --out d.csv --force",
		"vae encode --model v.json d.csv --test d.csv --out t.csv --plot x.png",
		"vae gmm --model v.json d.csv -k 1 --out g.json --plot-latent l.png",
		"biasvar run --learner knn --param k=0 --rounds 3",
		"biasvar run --data d.csv --target c --learner knnc --rounds 3 --json --report r",
		"biasvar sweep --learner poly --param degree=0:3 --rounds 2 --n-test 5",
		"biasvar run --target waiting --test-fraction 2 --noise -1 --workers -1",
		"biasvar list --json",
	} {
		f.Add(s)
	}
	defer memlimit.SetLimitForTest(1 << 30)()
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Fields(line)
		if len(args) == 0 || len(args) > 40 || len(line) > 1000 {
			return
		}
		switch args[0] {
		case "nn", "vae", "biasvar":
		default:
			return // the other commands are not this fuzzer's
		}
		for _, a := range args {
			if strings.Contains(a, "/") || strings.Contains(a, "..") || strings.HasPrefix(a, "~") {
				return // files stay in the test's folder
			}
			if strings.Contains(a, "mnist") {
				return // not downloaded here
			}
		}
		t.Chdir(t.TempDir())
		if err := os.WriteFile("d.csv", []byte("a,b,c\n1,2,x\n2,1,y\n3,3,x\n4,0,y\n5,2,x\n0,4,y\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		var stdout, stderr bytes.Buffer
		code := execute(ctx, args, strings.NewReader(""), &stdout, &stderr)
		if strings.Contains(stderr.String(), "internal error") {
			t.Fatalf("%q: a panic: %s", line, stderr.String())
		}
		if code != exitOK && code != exitFailure && code != exitUsage {
			t.Fatalf("%q: exit %d", line, code)
		}
		if code != exitOK && stderr.Len() == 0 {
			t.Fatalf("%q: exit %d and nothing on stderr", line, code)
		}
	})
}
