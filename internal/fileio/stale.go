package fileio

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Temporary files are named ".NAME.tmp-PID-RANDOM", in the destination's
// folder: NAME is the destination's base name, PID the writing process.
// A writer killed before its rename (kill -9, a power cut) leaves one
// behind; the next write to the same destination, by any command, removes
// it (RemoveStale). A file is stale when the process that named it no
// longer runs; a file of the form ".NAME.tmp-DIGITS" (the form before the
// PID was part of the name) when it has not changed for StaleAge.

// StaleAge is how long a temporary file without a writer's PID in its
// name must stay unchanged before RemoveStale takes it for stale.
const StaleAge = time.Hour

// tempPrefix is the start of the names of path's temporary files.
func tempPrefix(path string) string { return "." + filepath.Base(path) + ".tmp-" }

// createTemp creates path's temporary file, named with this process's PID.
func createTemp(path string) (*os.File, error) {
	dir, prefix := filepath.Dir(path), tempPrefix(path)+strconv.Itoa(os.Getpid())+"-"
	for range 100 {
		name := filepath.Join(dir, prefix+strconv.FormatUint(rand.Uint64()>>16, 36))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if os.IsExist(err) {
			continue
		}
		return f, err
	}
	return os.CreateTemp(dir, prefix+"*") // 100 collisions: let os pick
}

// RemoveStale removes the stale temporary files that earlier writes of
// path left in its folder, and returns their names. Files of other names,
// and the temporary files of writers still running, are left alone.
// Errors are ignored: a file that cannot be removed stays, as before.
// WriteFile calls it before every write.
func RemoveStale(path string) []string {
	dir, prefix := filepath.Dir(path), tempPrefix(path)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var removed []string
	for _, e := range ents {
		name := e.Name()
		if !strings.HasPrefix(name, prefix) || !e.Type().IsRegular() {
			continue
		}
		if !stale(strings.TrimPrefix(name, prefix), e) {
			continue
		}
		full := filepath.Join(dir, name)
		if os.Remove(full) == nil {
			removed = append(removed, full)
		}
	}
	return removed
}

// stale reports whether a temporary file whose name ends in rest
// ("PID-RANDOM", or os.CreateTemp's "DIGITS") is stale.
func stale(rest string, e os.DirEntry) bool {
	if pid, _, ok := strings.Cut(rest, "-"); ok {
		n, err := strconv.Atoi(pid)
		if err != nil || n <= 0 {
			return false // not our naming
		}
		return n != os.Getpid() && !processRuns(n)
	}
	for _, r := range rest {
		if r < '0' || r > '9' {
			return false
		}
	}
	info, err := e.Info()
	return err == nil && time.Since(info.ModTime()) > StaleAge
}
