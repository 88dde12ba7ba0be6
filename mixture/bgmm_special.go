package mixture

import "math"

// Special functions of the variational mixture (bgmm*.go).

// digamma returns ψ(x) = d/dx ln Γ(x) for x > 0: the recurrence ψ(x) =
// ψ(x+1) − 1/x up to x ≥ 10, then the asymptotic series
//
//	ψ(x) ~ ln x − 1/(2x) − Σ_{n≥1} B_2n / (2n x^2n)
//
// to the term in x⁻¹⁴ (DLMF 5.5.2, 5.11.2), whose first omitted term is
// below 5e-17 at x = 10: ψ to about one rounding unit, as scipy's digamma
// (gonum's mathext.Digamma stops at x⁻⁸ from x ≥ 6.5, about 2e-12).
func digamma(x float64) float64 {
	if !(x > 0) || math.IsInf(x, 1) {
		if math.IsInf(x, 1) {
			return x
		}
		return math.NaN()
	}
	r := 0.0
	for x < 10 {
		r -= 1 / x
		x++
	}
	f := 1 / (x * x)
	t := f * (-1.0/12 + f*(1.0/120+f*(-1.0/252+f*(1.0/240+f*(-1.0/132+f*(691.0/32760+f*(-1.0/12)))))))
	return r + math.Log(x) - 0.5/x + t
}

// lgamma returns ln Γ(x) for x > 0.
func lgamma(x float64) float64 {
	v, _ := math.Lgamma(x)
	return v
}

// betaln returns ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b).
func betaln(a, b float64) float64 { return lgamma(a) + lgamma(b) - lgamma(a+b) }

// sumDigammaWishart returns Σ_{i=0}^{D−1} ψ((ν − i)/2), the digamma part
// of a Wishart's E ln|Λ| (Bishop, PRML eq. B.81).
func sumDigammaWishart(nu float64, d int) float64 {
	s := 0.0
	for i := 0; i < d; i++ {
		s += digamma(0.5 * (nu - float64(i)))
	}
	return s
}

// sumLgammaWishart returns Σ_{i=0}^{D−1} ln Γ((ν − i)/2), the
// multivariate gamma function ln Γ_D(ν/2) less its ¼D(D−1) ln π.
func sumLgammaWishart(nu float64, d int) float64 {
	s := 0.0
	for i := 0; i < d; i++ {
		s += lgamma(0.5 * (nu - float64(i)))
	}
	return s
}

// lnWishartB returns ln B(W, ν), the log normaliser of the Wishart density
// W(Λ | W, ν) = B(W, ν) |Λ|^{(ν−D−1)/2} exp(−½ tr(W⁻¹Λ)) (PRML eq. B.79),
// given lnDetW = ln|W|:
//
//	ln B = −(ν/2) ln|W| − (νD/2) ln 2 − (D(D−1)/4) ln π − Σ_{i=0}^{D−1} ln Γ((ν − i)/2).
func lnWishartB(lnDetW, nu float64, d int) float64 {
	fd := float64(d)
	return -0.5*nu*lnDetW - 0.5*nu*fd*math.Ln2 - 0.25*fd*(fd-1)*math.Log(math.Pi) - sumLgammaWishart(nu, d)
}

// klGamma returns KL(Gamma(aq, bq) ‖ Gamma(ap, bp)) for shapes a and rates
// b:
//
//	(aq − ap) ψ(aq) − ln Γ(aq) + ln Γ(ap) + ap (ln bq − ln bp) + aq (bp − bq)/bq.
func klGamma(aq, bq, ap, bp float64) float64 {
	return (aq-ap)*digamma(aq) - lgamma(aq) + lgamma(ap) + ap*(math.Log(bq)-math.Log(bp)) + aq*(bp-bq)/bq
}

// klBeta returns KL(Beta(a, b) ‖ Beta(a0, b0)):
//
//	ln B(a0, b0) − ln B(a, b) + (a − a0) ψ(a) + (b − b0) ψ(b) + (a0 + b0 − a − b) ψ(a + b).
func klBeta(a, b, a0, b0 float64) float64 {
	return betaln(a0, b0) - betaln(a, b) + (a-a0)*digamma(a) + (b-b0)*digamma(b) + (a0+b0-a-b)*digamma(a+b)
}
