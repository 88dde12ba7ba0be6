//go:build openblas && cgo

package fastblas

import "testing"

// TestOpenBLASMatchesGonum checks the -tags openblas route against gonum's
// reference Dgemm on shapes of every kind, through the same argument
// checks and quick returns as the kernels.
func TestOpenBLASMatchesGonum(t *testing.T) {
	if external == nil {
		t.Fatal("built with -tags openblas but no external kernel")
	}
	t.Log(external.describe())
	seed := uint64(100)
	for _, s := range [][3]int{{1, 1, 1}, {5, 7, 11}, {29, 31, 257}, {130, 70, 300}} {
		for _, tA := range transposes {
			for _, tB := range transposes {
				for _, ab := range [][2]float64{{1, 0}, {-0.7, 0.3}, {0, 2}} {
					seed++
					tc := gemmCase{tA: tA, tB: tB, m: s[0], n: s[1], k: s[2], padA: 1, padB: 2, padC: 1, alpha: ab[0], beta: ab[1]}
					checkAgainstGonum(t, external, 1, tc, seed)
				}
			}
		}
	}
}
