package biasvar_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/latentgo/latent/biasvar"
)

// knnProgram is k-NN regression as an external program speaking Exec's
// protocol: the neighbours in order of distance, ties to the earlier
// training point, the mean summed nearest first, as the built-in KNN.
const knnProgram = `package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"sort"
	"strconv"
)

func read(path string) [][]float64 {
	f, err := os.Open(path)
	if err != nil {
		panic(err)
	}
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		panic(err)
	}
	var out [][]float64
	for _, r := range recs[1:] {
		row := make([]float64, len(r))
		for j, s := range r {
			row[j], _ = strconv.ParseFloat(s, 64)
		}
		out = append(out, row)
	}
	return out
}

func main() {
	k, _ := strconv.Atoi(os.Args[1])
	if os.Getenv("LATENT_SEED") == "" {
		panic("no seed")
	}
	train, test := read(os.Getenv("LATENT_TRAIN")), read(os.Getenv("LATENT_TEST"))
	d := len(test[0])
	for _, q := range test {
		dist := make([]float64, len(train))
		idx := make([]int, len(train))
		for i, row := range train {
			var s float64
			for j := 0; j < d; j++ {
				t := row[j] - q[j]
				s += t * t
			}
			dist[i], idx[i] = s, i
		}
		sort.SliceStable(idx, func(a, b int) bool { return dist[idx[a]] < dist[idx[b]] })
		var s float64
		for _, i := range idx[:k] {
			s += train[i][d]
		}
		fmt.Println(strconv.FormatFloat(s/float64(k), 'g', -1, 64))
	}
}
`

// buildKNN compiles knnProgram (CI has Go; it needs no Python).
func buildKNN(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte(knnProgram), 0o600); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "knn")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	cmd := exec.Command(goBin, "build", "-o", bin, src)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GO111MODULE=off", "GOFLAGS=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("cannot build the test's k-NN program: %v\n%s", err, out)
	}
	return bin
}

// The same report, to the bit, from the built-in k-NN and from k-NN as an
// external program, for the same seed, on two workers.
func TestExecKNNMatchesBuiltin(t *testing.T) {
	bin := buildKNN(t)
	p := biasvar.Friedman1(30, 1)
	p.SetNTest(40)
	opts := biasvar.Options{Rounds: 12, Seed: 5, Workers: 2}
	want, err := biasvar.Decompose(context.Background(), p, biasvar.KNN{K: 3}, opts)
	if err != nil {
		t.Fatal(err)
	}
	got, err := biasvar.Decompose(context.Background(), p, biasvar.Exec{Command: []string{bin, "3"}, Timeout: time.Minute}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got.Rounds.Failed != 0 {
		t.Fatalf("rounds %+v", got.Rounds)
	}
	if !reflect.DeepEqual(got.Totals, want.Totals) || !reflect.DeepEqual(got.MeanPrediction, want.MeanPrediction) ||
		!reflect.DeepEqual(got.Variance, want.Variance) || !reflect.DeepEqual(got.Error, want.Error) || !reflect.DeepEqual(got.Fits, want.Fits) {
		t.Errorf("exec k-NN differs from the built-in:\n got %+v\nwant %+v", got.Totals, want.Totals)
	}
}

// A command that fails, prints the wrong number of predictions or runs
// past the timeout fails its round with an *ExecError the report names.
func TestExecErrors(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	p := biasvar.Sine(10, 0.3)
	p.SetNTest(5)
	cases := []struct {
		script, want string
	}{
		{"echo broken >&2; exit 3", "exit status 3; its stderr ends: broken"},
		{"echo 1; echo 2", "printed 2 predictions for 5 test points"},
		{"echo 1; echo x; echo 1; echo 1; echo 1", `stdout line 2: "x" is not a finite number`},
		{"sleep 5", "timed out after 200ms"},
	}
	for _, c := range cases {
		l := biasvar.Exec{Command: []string{"sh", "-c", c.script}, Timeout: 200 * time.Millisecond}
		_, err := biasvar.Decompose(context.Background(), p, l, biasvar.Options{Rounds: 2, Seed: 1, Workers: 2})
		if !errors.Is(err, biasvar.ErrAllRoundsFailed) || !strings.Contains(err.Error(), "round 0: exec sh -c "+c.script+": "+c.want) {
			t.Errorf("%q: %v", c.script, err)
		}
	}
	if _, err := (biasvar.Exec{}).Fit(nil, nil, nil); err == nil {
		t.Error("an empty command fitted")
	}
}

// Cancelling the run stops the commands running, not only the rounds to
// come.
func TestExecCancel(t *testing.T) {
	if _, err := exec.LookPath("sleep"); err != nil {
		t.Skip("no sleep")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := biasvar.Decompose(ctx, biasvar.Sine(5, 0.1), biasvar.Exec{Command: []string{"sleep", "30"}}, biasvar.Options{Rounds: 4, Workers: 2})
	if err == nil || time.Since(start) > 10*time.Second {
		t.Fatalf("after %v: %v", time.Since(start), err)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v does not wrap the context's", err)
	}
}
