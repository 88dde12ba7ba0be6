package cli

import (
	"os"
)

// Rereadable is the check of a command whose flag (--stream, --online)
// reads its input more than once: the input must be a regular file. Stdin
// ("-"), a pipe, a FIFO or a device is refused with the reason, as a usage
// error found before any work: a second pass over a pipe would find it
// empty, and over a FIFO it would wait forever for a writer. A path that
// does not exist is left to the reader, which says so with its name.
func Rereadable(flag, path, pass string) error {
	if path == "-" {
		return Usagef("%s reads the file once per %s: give a file, not stdin", flag, pass)
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil
	}
	if !st.Mode().IsRegular() {
		what := "not a regular file"
		switch m := st.Mode(); {
		case m&os.ModeNamedPipe != 0:
			what = "a pipe or FIFO"
		case m&os.ModeDevice != 0 || m&os.ModeCharDevice != 0:
			what = "a device"
		case m.IsDir():
			what = "a folder"
		}
		return Usagef("%s reads %s once per %s, but it is %s, which cannot be read twice: save the data to a file first, or drop %s", flag, path, pass, what, flag)
	}
	return nil
}
