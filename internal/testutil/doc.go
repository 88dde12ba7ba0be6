// Package testutil holds the helpers every latent test shares: one closeness
// rule, golden files, the one gate for long tests and the paths of the
// folders beside the repository.
//
// The closeness rule is the one used by numpy's allclose,
// torch.testing.assert_close and PyTorch's gradcheck:
//
//	|got − want| ≤ atol + rtol·|want|
//
// Infinities are close only when they are equal; NaN is close to NaN only
// when the caller opts in with [CloseNaN].
//
// Golden files live in the calling package's testdata folder. Every golden
// file in latent is refreshed the same way, one package at a time:
//
//	go test ./PKG -update
//
// [Golden] writes them itself; tests with their own formats (testscript's
// scripts in cmd/latent, the plots' images, mixture's golden scores and
// model files) ask [Update]. The flag is defined here, so only packages
// whose tests import testutil accept it (`go test ./... -update` fails in
// the others).
//
// Long tests (minutes) start with [Long], which skips them unless
// LATENT_LONG=1; every other test runs in plain `go test ./...`.
//
// Tests and benchmarks that use files outside the repository (the peers'
// scripts, the benchmark data) find them with [SharedDir] and
// [BenchDataDir]: beside the repository's main checkout, or where
// LATENT_SHARED and LATENT_BENCH_DATA say.
package testutil
