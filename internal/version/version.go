// Package version holds latent's own version, written into every model file
// and printed by `latent version`.
package version

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version is latent's release version. Model files record it as their
// producer; a development build carries the "-dev" suffix.
const Version = "0.1.0-dev"

// Producer is the string stored in the "producer" field of model files.
func Producer() string { return "latent " + Version }

// Long describes the build: the version, the VCS revision when the binary
// was built from a checkout, the Go toolchain and the platform.
func Long() string {
	rev := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		var r, dirty string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				r = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "+dirty"
				}
			}
		}
		if len(r) > 12 {
			r = r[:12]
		}
		if r != "" {
			rev = " (" + r + dirty + ")"
		}
	}
	return fmt.Sprintf("latent %s%s %s %s/%s", Version, rev, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
