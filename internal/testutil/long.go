package testutil

import (
	"os"
	"testing"
)

// LongEnv is the environment variable that turns long tests on.
const LongEnv = "LATENT_LONG"

// Long skips t unless LATENT_LONG=1. It is the one gate for long tests in
// latent: a test that takes minutes (a full MNIST training, a fidelity run
// against a peer's published figure) starts with
//
//	testutil.Long(t, "trains on the 60,000 MNIST images (about 5 min)")
//
// and every other test runs in plain `go test ./...`, which CI runs and
// which must stay within its budget (a few minutes on 2 cores). Tests that
// take seconds are not gated at all; `go test -short` is not used.
func Long(t testing.TB, what string) {
	t.Helper()
	if os.Getenv(LongEnv) != "1" {
		t.Skipf("long test (%s): run it with %s=1", what, LongEnv)
	}
}
