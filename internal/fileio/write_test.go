package fileio

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteFileCreates(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	if err := WriteBytes(path, []byte("hello"), Options{}); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "hello" {
		t.Fatalf("got %q, %v; want hello", got, err)
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o644 {
		t.Errorf("perm: got %v, want 0644", st.Mode().Perm())
	}
	assertOnly(t, dir, "out.json")
}

// C-20: an existing output is replaced only with Force.
func TestWriteFileExisting(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	os.WriteFile(path, []byte("old"), 0o644)
	err := WriteBytes(path, []byte("new"), Options{})
	if !errors.Is(err, ErrExists) || !strings.HasSuffix(err.Error(), "file exists; set Force in the save options to replace it") {
		t.Fatalf("got %v, want ErrExists naming the Force option", err)
	}
	err = WriteBytes(path, []byte("new"), Options{}.WithForceFlag("--force"))
	if !errors.Is(err, ErrExists) || !strings.HasSuffix(err.Error(), "file exists; use --force to replace it") {
		t.Fatalf("got %v, want ErrExists naming --force", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Fatalf("existing file changed to %q", got)
	}
	if err := WriteBytes(path, []byte("new"), Options{Force: true}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new" {
		t.Fatalf("got %q, want new", got)
	}
}

// C-20: output path equal to the input path is refused, even with Force, and
// also through another name for the same file.
func TestWriteFileInput(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "data.csv")
	os.WriteFile(in, []byte("1,2\n"), 0o644)
	link := filepath.Join(dir, "alias.csv")
	if err := os.Symlink(in, link); err != nil {
		t.Skip("symlinks unsupported:", err)
	}
	for _, out := range []string{in, link, filepath.Join(dir, ".", "data.csv")} {
		err := WriteBytes(out, []byte("x"), Options{Force: true, Inputs: []string{in}})
		if !errors.Is(err, ErrIsInput) {
			t.Errorf("%s: got %v, want ErrIsInput", out, err)
		}
	}
	if got, _ := os.ReadFile(in); string(got) != "1,2\n" {
		t.Fatalf("input changed to %q", got)
	}
}

// C-19: a failing writer leaves nothing behind and the old file intact.
func TestWriteFileFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.json")
	boom := errors.New("boom")
	err := WriteFile(path, func(w io.Writer) error {
		w.Write([]byte("half a fi"))
		return boom
	}, Options{})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want boom", err)
	}
	assertOnly(t, dir)

	os.WriteFile(path, []byte("old"), 0o644)
	WriteFile(path, func(w io.Writer) error { return boom }, Options{Force: true})
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Fatalf("old file changed to %q", got)
	}
	assertOnly(t, dir, "model.json")
}

// C-20: a missing or unwritable folder, and a folder as destination.
func TestCheckErrors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name, path, want string
	}{
		{"missing folder", filepath.Join(dir, "nope", "x.json"), "does not exist"},
		{"folder", dir, "is a folder"},
		{"empty", "", "no output path"},
	} {
		err := Check(c.path, Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.name, err, c.want)
		}
	}
	if os.Getuid() != 0 {
		ro := filepath.Join(dir, "ro")
		os.Mkdir(ro, 0o555)
		err := WriteBytes(filepath.Join(ro, "x"), []byte("x"), Options{})
		if err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Errorf("read-only folder: got %v, want permission denied", err)
		}
	}
}

func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Errorf("folder holds %v, want %v", got, names)
	}
}

// A destination whose folder is a file is refused naming that file.
func TestCheckFolderIsAFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "afile")
	os.WriteFile(file, []byte("x"), 0o644)
	err := Check(filepath.Join(file, "out.csv"), Options{})
	if err == nil || !strings.HasSuffix(err.Error(), file+" is not a folder") {
		t.Errorf("got %v, want an error ending %q", err, file+" is not a folder")
	}
}
