//go:build !linux

package memlimit

// physical is unknown outside Linux: only the Go runtime's soft limit
// (GOMEMLIMIT) bounds Check there.
func physical() float64 { return 0 }
