package mixture

import (
	"fmt"
	"strings"
)

// CovarianceType is the form of the components' covariance matrices, as
// scikit-learn's covariance_type.
type CovarianceType string

// The covariance types. The zero value "" means Full.
const (
	Full      CovarianceType = "full"      // each component its own D×D matrix
	Tied      CovarianceType = "tied"      // one D×D matrix shared by all components
	Diag      CovarianceType = "diag"      // each component its own diagonal matrix
	Spherical CovarianceType = "spherical" // each component its own σ²·I
)

// CovarianceTypes lists the covariance types, from the most to the least
// flexible per component.
var CovarianceTypes = []CovarianceType{Full, Tied, Diag, Spherical}

// ParseCovarianceType returns the covariance type named s ("full", "tied",
// "diag" or "spherical", any case).
func ParseCovarianceType(s string) (CovarianceType, error) {
	c := CovarianceType(strings.ToLower(strings.TrimSpace(s)))
	switch c {
	case Full, Tied, Diag, Spherical:
		return c, nil
	}
	return "", fmt.Errorf("mixture: unknown covariance type %q; use full, tied, diag or spherical", s)
}

func (c CovarianceType) orDefault() CovarianceType {
	if c == "" {
		return Full
	}
	return c
}

// covLen is the number of stored covariance values: full K·D·D, tied D·D,
// diag K·D, spherical K.
func covLen(c CovarianceType, k, d int) int {
	switch c {
	case Full:
		return k * d * d
	case Tied:
		return d * d
	case Diag:
		return k * d
	default:
		return k
	}
}
