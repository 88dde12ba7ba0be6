//go:build unix

package fileio

import (
	"errors"
	"syscall"
)

// processRuns reports whether a process with this PID runs (or may: a
// process of another user answers EPERM, and is taken as running).
func processRuns(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
