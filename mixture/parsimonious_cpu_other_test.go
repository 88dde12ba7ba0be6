//go:build !unix

package mixture

import "testing"

// withCPU runs f: no CPU time where there is no getrusage.
func withCPU(_ *testing.B, f func()) { f() }
