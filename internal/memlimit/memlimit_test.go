package memlimit

import (
	"errors"
	"math"
	"runtime/debug"
	"strings"
	"testing"
)

// C-45: the memory guard refuses an estimate above the limit, with the
// estimate, the limit and what to lower; it passes what fits.
func TestCheck(t *testing.T) {
	defer SetLimitForTest(1e9)()
	if err := Check("a small array", Floats(1000, 1000)); err != nil {
		t.Errorf("8 MB under a 1 GB limit: got %v, want nil", err)
	}
	err := Check("the network", Floats(1e8, 785, 4), "ClassifierOptions.Hidden", "BatchSize")
	var me *Error
	if !errors.As(err, &me) || !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v, want a *Error wrapping ErrTooLarge", err)
	}
	want := "not enough memory: the network needs about 2.51 TB, more than the 1 GB this process can use; lower ClassifierOptions.Hidden or BatchSize"
	if err.Error() != want {
		t.Errorf("got %q, want %q", err, want)
	}
	for _, b := range []float64{math.Inf(1), math.NaN(), Floats(1e300, 1e300)} {
		if Check("x", b) == nil {
			t.Errorf("estimate %v: got nil, want an error", b)
		}
	}
}

// The limit is the machine's, and the Go runtime's soft limit lowers it.
func TestLimit(t *testing.T) {
	l := Limit()
	if !(l > 1e6) {
		t.Fatalf("Limit() = %v bytes, want more than 1 MB", l)
	}
	old := debug.SetMemoryLimit(1 << 20)
	defer debug.SetMemoryLimit(old)
	if got := Limit(); got != 1<<20 {
		t.Errorf("with GOMEMLIMIT 1 MiB: got %v, want %v", got, 1<<20)
	}
}

func TestBytes(t *testing.T) {
	for _, c := range []struct {
		b    float64
		want string
	}{{512, "512 B"}, {3.4e6, "3.4 MB"}, {2.56e10, "25.6 GB"}, {6.4e17, "640 PB"}, {3.2e24, "3.2e+06 EB"}, {math.Inf(1), "+Inf EB"}} {
		if got := Bytes(c.b); got != c.want {
			t.Errorf("Bytes(%v): got %q, want %q", c.b, got, c.want)
		}
	}
	if !strings.Contains((&Error{What: "x", Bytes: 1, Limit: 2}).Error(), "x needs about 1 B") {
		t.Error("message without Lower")
	}
}
