// Package memlimit is latent's memory guard: the one function every
// command and trainer calls before an allocation whose size the user
// chooses (a network's width, a sample count, a number of rounds), so that
// an impossible size is refused with the estimate and what to lower,
// before any work, instead of ending in the Go runtime's out-of-memory
// crash (a "fatal error" and hundreds of lines of stack).
//
//	if err := memlimit.Check("the network and its optimizer", bytes, "ClassifierOptions.Hidden"); err != nil {
//		return err // *memlimit.Error: "… needs about 25.6 GB, more than the 23.4 GB this machine has; lower ClassifierOptions.Hidden"
//	}
//
// The limit is the smallest of the machine's physical memory, the
// control group's memory limit (cgroup v2 memory.max, or v1
// memory.limit_in_bytes) and the Go runtime's soft limit (GOMEMLIMIT, as
// runtime/debug reports it). The estimate is the caller's: the bytes of
// the largest arrays it is about to make, counted in float64 arithmetic so
// that absurd sizes do not overflow. The check refuses only what cannot
// fit at all; an estimate below the limit may still fail on a machine
// that is busy.
package memlimit

import (
	"errors"
	"fmt"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
)

// ErrTooLarge is wrapped by every *Error.
var ErrTooLarge = errors.New("not enough memory")

// Error reports an allocation refused by Check.
type Error struct {
	// What is being allocated: "the network and its optimizer state".
	What string
	// Bytes is the estimate, Limit the memory available to the process.
	Bytes, Limit float64
	// Lower names what to lower: options in a library's error, flags
	// once a command has rewritten them ("--hidden").
	Lower []string
}

// Error gives the estimate, the limit and what to lower.
func (e *Error) Error() string {
	s := fmt.Sprintf("%v: %s needs about %s, more than the %s this process can use", ErrTooLarge, e.What, Bytes(e.Bytes), Bytes(e.Limit))
	if len(e.Lower) > 0 {
		s += "; lower " + list(e.Lower)
	}
	return s
}

// Unwrap returns ErrTooLarge.
func (e *Error) Unwrap() error { return ErrTooLarge }

// Check returns a *Error when an allocation of about bytes for what does
// not fit in Limit; lower names what the caller can lower. A NaN or
// infinite estimate (a size computed in overflowing arithmetic) is
// refused too.
func Check(what string, bytes float64, lower ...string) error {
	limit := Limit()
	if bytes <= limit && !math.IsNaN(bytes) {
		return nil
	}
	return &Error{What: what, Bytes: bytes, Limit: limit, Lower: lower}
}

// Floats returns the bytes of n float64 values, as Check wants them: a
// product of sizes given as float64, so that it cannot overflow.
func Floats(sizes ...float64) float64 {
	b := 8.0
	for _, s := range sizes {
		b *= s
	}
	return b
}

var (
	limitOnce sync.Once
	machine   float64
	override  float64
)

// Limit returns the bytes the process can use: the smallest of the
// physical memory, the control group's limit and the Go runtime's soft
// memory limit. It is +Inf where none of them is known.
func Limit() float64 {
	if override > 0 {
		return override
	}
	limitOnce.Do(func() {
		machine = math.Inf(1)
		if m := physical(); m > 0 {
			machine = m
		}
		for _, f := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
			if b, err := os.ReadFile(f); err == nil {
				if v, err := strconv.ParseFloat(strings.TrimSpace(string(b)), 64); err == nil && v > 0 {
					machine = math.Min(machine, v) // "max" does not parse: no limit
				}
			}
		}
	})
	l := machine
	if soft := debug.SetMemoryLimit(-1); soft > 0 && soft < math.MaxInt64 {
		l = math.Min(l, float64(soft))
	}
	return l
}

// SetLimitForTest makes Limit return bytes (0 restores the machine's) and
// returns a function that restores the previous setting. For tests only:
// it is not safe while other goroutines call Check.
func SetLimitForTest(bytes float64) (restore func()) {
	old := override
	override = bytes
	return func() { override = old }
}

// Bytes formats a number of bytes for messages: "512 B", "3.4 MB",
// "25.6 GB", "640 PB", "3.2e+06 EB".
func Bytes(b float64) string {
	units := []string{"B", "kB", "MB", "GB", "TB", "PB", "EB"}
	k := 0
	for k < len(units)-1 && math.Abs(b) >= 1000 {
		b /= 1000
		k++
	}
	switch {
	case math.IsInf(b, 0) || math.IsNaN(b):
		return fmt.Sprint(b) + " " + units[k]
	case k == 0:
		return fmt.Sprintf("%.0f B", b)
	case b >= 1e3:
		return fmt.Sprintf("%.2g %s", b, units[k])
	}
	return fmt.Sprintf("%.3g %s", b, units[k])
}

// list joins "a, b or c".
func list(items []string) string {
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
