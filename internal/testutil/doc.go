// Package testutil holds the helpers every latent test shares: one closeness
// rule and golden files.
//
// The closeness rule is the one used by numpy's allclose,
// torch.testing.assert_close and PyTorch's gradcheck:
//
//	|got − want| ≤ atol + rtol·|want|
//
// Infinities are close only when they are equal; NaN is close to NaN only
// when the caller opts in with [CloseNaN]. Golden files live in the calling
// package's testdata folder and are rewritten when the test binary runs with
// -update.
package testutil
