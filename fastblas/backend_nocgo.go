//go:build openblas && !cgo

package fastblas

// The openblas build tag needs cgo: build with CGO_ENABLED=1 (and
// libopenblas installed), or without the tag for the pure-Go kernels.
var _ = the_openblas_build_tag_needs_cgo_set_CGO_ENABLED_1
