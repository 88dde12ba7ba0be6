//go:build !amd64

package logmath

const vecExp = false

func expBlocks(dst, x []float64) int { return 0 }
