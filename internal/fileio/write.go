package fileio

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// ErrExists is wrapped by the error returned when the destination exists and
// Options.Force is false.
var ErrExists = errors.New("file exists")

// ErrIsInput is wrapped by the error returned when the destination is one of
// the inputs.
var ErrIsInput = errors.New("output is an input file")

// Options controls WriteFile and Check. The zero value refuses to replace an
// existing file and writes with permissions 0644.
type Options struct {
	// Force allows replacing an existing destination (the CLI's --force).
	// An input file is never replaced, even with Force.
	Force bool
	// Inputs lists the files the command reads; the destination may not be
	// any of them (compared by identity, so links and relative paths count).
	Inputs []string
	// Perm is the permission of a new file; zero means 0644.
	Perm fs.FileMode

	// forceFlag is how the refusal of an existing file names the way to
	// replace it: the command line's flag (WithForceFlag), or, when "",
	// the Force option.
	forceFlag string
}

// WithForceFlag returns opts whose "file exists" errors tell the user to
// give flag (the CLI's "--force") rather than to set the Force option: the
// command line speaks of flags, the library of options.
func (o Options) WithForceFlag(flag string) Options {
	o.forceFlag = flag
	return o
}

// Check reports whether WriteFile(path, …, opts) would be refused for a
// reason known before writing: the destination is an input, it exists and
// Force is false, it is a folder, or its folder is missing. Commands call it
// before long work so that a user does not wait for a fit to learn that the
// output cannot be written.
func Check(path string, opts Options) error {
	if path == "" {
		return errors.New("no output path given")
	}
	if path == "-" {
		return nil
	}
	st, err := os.Stat(path)
	switch {
	case err == nil:
		if st.IsDir() {
			return fmt.Errorf("%s is a folder; give a file name", path)
		}
		for _, in := range opts.Inputs {
			if in == "" || in == "-" {
				continue
			}
			if ist, err := os.Stat(in); err == nil && os.SameFile(st, ist) {
				return fmt.Errorf("%s: %w; choose another output name", path, ErrIsInput)
			}
		}
		if !opts.Force {
			if opts.forceFlag != "" {
				return fmt.Errorf("%s: %w; use %s to replace it", path, ErrExists, opts.forceFlag)
			}
			return fmt.Errorf("%s: %w; set Force in the save options to replace it", path, ErrExists)
		}
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
		// ENOTDIR: a part of the folder is a file (out/x.csv with a file out).
		dir := filepath.Dir(path)
		dst, derr := os.Stat(dir)
		if derr != nil {
			return fmt.Errorf("cannot write %s: folder %s does not exist", path, dir)
		}
		if !dst.IsDir() {
			return fmt.Errorf("cannot write %s: %s is not a folder", path, dir)
		}
	default:
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}

// WriteFile creates path with the bytes write produces, atomically: write
// goes to a temporary file in the same folder, which is synced and renamed
// over path only if write returns nil. On any error nothing is left behind
// and an existing file at path is untouched.
func WriteFile(path string, write func(w io.Writer) error, opts Options) (err error) {
	if err := Check(path, opts); err != nil {
		return err
	}
	perm := opts.Perm
	if perm == 0 {
		perm = 0o644
	}
	dir := filepath.Dir(path)
	RemoveStale(path)
	tmp, err := createTemp(path)
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Chmod(perm); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	// Check again just before the rename: the destination may have appeared
	// while write ran.
	if err = Check(path, opts); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	syncDir(dir)
	return nil
}

// WriteBytes is WriteFile for data already in memory.
func WriteBytes(path string, data []byte, opts Options) error {
	return WriteFile(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}, opts)
}

// syncDir makes the rename durable. Errors are ignored: some file systems
// do not support syncing a folder, and the rename has already happened.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	d.Sync()
	d.Close()
}
