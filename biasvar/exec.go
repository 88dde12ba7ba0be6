package biasvar

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/gonum/mat"
)

// Exec is a learner written in any language: for every round it writes the
// training set and the test inputs to CSV files in a fresh temporary
// folder, runs Command (in the current folder, so relative paths in it
// work) and reads its predictions from standard output. The protocol (what a fit_predict.py reads and prints):
//
//   - train.csv: a header x1,…,xd,y and one training point per row, the
//     numbers in Go's shortest round-trip form (strconv 'g', −1), so a
//     program that parses them as float64 gets the same bits; the same
//     text arrives on standard input;
//   - test.csv: a header x1,…,xd and one test point per row;
//   - environment: LATENT_TRAIN and LATENT_TEST (the two paths),
//     LATENT_SEED (a seed drawn from the round's own stream, for a model
//     that draws random numbers) and LATENT_N_TEST (the rows of test.csv);
//   - standard output: exactly one number per test point, one per line (a
//     regression prediction or a class label 0, 1, …); blank lines are
//     skipped.
//
// A command that exits non-zero, runs past Timeout, or prints the wrong
// number of predictions (or one that does not parse) fails its round with
// an *ExecError naming what went wrong and the tail of its standard error;
// the report lists the round. Rounds run in parallel as Options.Workers
// allows, each in its own folder, removed afterwards.
type Exec struct {
	// Command is the program and its arguments, run without a shell
	// (["python3", "fit_predict.py"]); Command[0] is looked up in PATH.
	Command []string
	// Timeout bounds one round's command; 0 means no limit.
	Timeout time.Duration
	// Dir is where the rounds' temporary folders are made; "" means the
	// system's temporary folder.
	Dir string
	// Env is added to the command's environment (KEY=VALUE).
	Env []string

	ctx context.Context // the run's, set by Decompose and Bootstrap
}

// contextLearner is a learner that takes the run's context (so that a
// cancelled run stops the commands running, not only the rounds to come).
type contextLearner interface {
	withContext(ctx context.Context) Learner
}

func (l Exec) withContext(ctx context.Context) Learner {
	l.ctx = ctx
	return l
}

// withRunContext gives l the run's context when it takes one.
func withRunContext(ctx context.Context, l Learner) Learner {
	if cl, ok := l.(contextLearner); ok {
		return cl.withContext(ctx)
	}
	return l
}

// String returns "exec(COMMAND)".
func (l Exec) String() string { return fmt.Sprintf("exec(%s)", strings.Join(l.Command, " ")) }

// ExecError is a round whose command failed. errors.As finds it in a
// round's failure; Decompose lists it in Report.Rounds.
type ExecError struct {
	Command string
	// Reason says what failed: "exit status 1", "timed out after 2s",
	// "printed 99 predictions for 100 test points", ….
	Reason string
	// Stderr is the last lines of the command's standard error.
	Stderr string
	Err    error
}

func (e *ExecError) Error() string {
	s := fmt.Sprintf("exec %s: %s", e.Command, e.Reason)
	if e.Stderr != "" {
		s += "; its stderr ends: " + e.Stderr
	}
	return s
}

func (e *ExecError) Unwrap() error { return e.Err }

// ErrExecTimeout is wrapped by the *ExecError of a command that ran past
// Exec.Timeout.
var ErrExecTimeout = errors.New("timed out")

// Fit keeps the training set and a seed; the command runs when the
// decomposer asks for the predictions at the test points (all at once).
// An empty Command is an error.
func (l Exec) Fit(x *mat.Dense, y []float64, rng *rand.Rand) (Model, error) {
	if len(l.Command) == 0 || l.Command[0] == "" {
		return nil, optionErrorf("Exec.Command", "", "empty: give the program to run")
	}
	return &execModel{l: l, x: x, y: y, seed: rng.Uint64()}, nil
}

type execModel struct {
	l    Exec
	x    *mat.Dense
	y    []float64
	seed uint64
}

// Predict is not how an exec model is used: the decomposer calls
// predictAll. A direct call panics.
func (m *execModel) Predict([]float64) float64 {
	panic("biasvar: an Exec model predicts all test points at once; use it through Decompose or Bootstrap")
}

// batchModel predicts every row of x at once (one command per round).
type batchModel interface {
	predictAll(x *mat.Dense, dst []float64) error
}

func writeCSV(path string, x *mat.Dense, y []float64) ([]byte, error) {
	var b bytes.Buffer
	r, d := x.Dims()
	for j := 0; j < d; j++ {
		if j > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "x%d", j+1)
	}
	if y != nil {
		b.WriteString(",y")
	}
	b.WriteByte('\n')
	for i := 0; i < r; i++ {
		for j, v := range x.RawRowView(i) {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
		}
		if y != nil {
			b.WriteByte(',')
			b.WriteString(strconv.FormatFloat(y[i], 'g', -1, 64))
		}
		b.WriteByte('\n')
	}
	return b.Bytes(), os.WriteFile(path, b.Bytes(), 0o600)
}

func (m *execModel) predictAll(test *mat.Dense, dst []float64) error {
	cmdName := strings.Join(m.l.Command, " ")
	dir, err := os.MkdirTemp(m.l.Dir, "latent-biasvar-*")
	if err != nil {
		return fmt.Errorf("exec %s: %w", cmdName, err)
	}
	defer os.RemoveAll(dir)
	trainPath, testPath := filepath.Join(dir, "train.csv"), filepath.Join(dir, "test.csv")
	train, err := writeCSV(trainPath, m.x, m.y)
	if err != nil {
		return fmt.Errorf("exec %s: %w", cmdName, err)
	}
	if _, err := writeCSV(testPath, test, nil); err != nil {
		return fmt.Errorf("exec %s: %w", cmdName, err)
	}
	ctx := m.l.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	if m.l.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, m.l.Timeout)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, m.l.Command[0], m.l.Command[1:]...)
	cmd.Env = append(os.Environ(), m.l.Env...)
	cmd.Env = append(cmd.Env, "LATENT_TRAIN="+trainPath, "LATENT_TEST="+testPath,
		"LATENT_SEED="+strconv.FormatUint(m.seed, 10), "LATENT_N_TEST="+strconv.Itoa(len(dst)))
	cmd.Stdin = bytes.NewReader(train)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = time.Second
	err = cmd.Run()
	fail := func(reason string, err error) error {
		return &ExecError{Command: cmdName, Reason: reason, Stderr: tail(stderr.String(), 3), Err: err}
	}
	switch {
	case m.l.ctx != nil && m.l.ctx.Err() != nil:
		return fmt.Errorf("exec %s: %w", cmdName, m.l.ctx.Err())
	case ctx.Err() == context.DeadlineExceeded:
		return fail(fmt.Sprintf("timed out after %v", m.l.Timeout), ErrExecTimeout)
	case err != nil:
		return fail(err.Error(), err)
	}
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	k, line := 0, 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" {
			continue
		}
		if k >= len(dst) {
			k++
			continue
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return fail(fmt.Sprintf("stdout line %d: %q is not a finite number", line, s), err)
		}
		dst[k] = v
		k++
	}
	if k != len(dst) {
		return fail(fmt.Sprintf("printed %d predictions for %d test points (one per line)", k, len(dst)), nil)
	}
	return nil
}

// tail returns the last n non-empty lines of s, joined by " | ".
func tail(s string, n int) string {
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
