package famix

import "encoding/json"

// The Gaussian family over a block of numeric columns, full covariance
// matrices: the Student-t family's code with ν = ∞ (u ≡ 1), so that
//
//	μ_k = Σ r x / N_k,  Σ_k = Σ r (x − μ)(x − μ)ᵀ / N_k + RegCovar·I
//
// as mixture's full covariance type. It serves the numeric block of a
// mixed-type table; package mixture fits Gaussian-only data with every
// covariance shape.
func newGaussian(k, p int, reg float64) *studentT {
	f := newStudentT(k, p, 0, reg)
	f.gaussian = true
	return f
}

func init() {
	decoders[Gaussian] = func(raw json.RawMessage, k, d int, path string) (family, error) {
		return decodeT(raw, k, d, path, true)
	}
}
