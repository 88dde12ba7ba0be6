//go:build unix

package mixture

import (
	"syscall"
	"testing"
)

// withCPU runs f, a benchmark's body, and reports the process's CPU time
// (user and system, every thread) per b.N as cpu-ns/op.
func withCPU(b *testing.B, f func()) {
	var r0, r1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &r0)
	f()
	syscall.Getrusage(syscall.RUSAGE_SELF, &r1)
	ns := float64(r1.Utime.Nano()-r0.Utime.Nano()+r1.Stime.Nano()-r0.Stime.Nano()) / float64(b.N)
	b.ReportMetric(ns, "cpu-ns/op")
}
