package fileio

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The child of TestKilledWriterLeavesNoTemp: it starts writing
// $FILEIO_KILL_PATH and blocks in the middle, until it is killed.
func TestMain(m *testing.M) {
	if path := os.Getenv("FILEIO_KILL_PATH"); path != "" {
		WriteFile(path, func(w io.Writer) error {
			w.Write([]byte(strings.Repeat("half a checkpoint ", 1000)))
			select {} // killed here
		}, Options{Force: true})
		os.Exit(3)
	}
	os.Exit(m.Run())
}

// C-40 (issue 22, item 6): a writer killed with SIGKILL in the middle of
// a write leaves its temporary file; the next write of the same file, in
// another process, removes it.
func TestKilledWriterLeavesNoTemp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.ckpt")
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), "FILEIO_KILL_PATH="+path)
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	var temp string
	for deadline := time.Now().Add(30 * time.Second); temp == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			if info, err := e.Info(); err == nil && info.Size() > 0 {
				temp = e.Name()
			}
		}
	}
	child.Process.Kill()
	child.Wait()
	if temp == "" {
		t.Fatal("the child wrote no temporary file")
	}
	if want := ".c.ckpt.tmp-"; !strings.HasPrefix(temp, want) {
		t.Fatalf("temporary file %q, want a name starting %q", temp, want)
	}
	assertOnly(t, dir, temp) // the kill left it
	if err := WriteBytes(path, []byte("new"), Options{Force: true}); err != nil {
		t.Fatal(err)
	}
	assertOnly(t, dir, "c.ckpt")
}

// RemoveStale removes only temporary files of the destination whose
// writer is gone (or, in the old naming without a PID, that are old),
// never those of a running writer, its own, or other files.
func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.json")
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Skip("no true(1) to make a finished process:", err)
	}
	dead := gone.ProcessState.Pid()
	self := os.Getpid()
	files := map[string]bool{ // name: removed?
		".model.json.tmp-" + itoa(dead) + "-abc":       true,
		".model.json.tmp-" + itoa(self) + "-abc":       false, // this process writes it
		".model.json.tmp-" + itoa(os.Getppid()) + "-x": false, // a running process
		".model.json.tmp-123456789":                    true,  // old naming, aged below
		".model.json.tmp-987654321":                    false, // old naming, fresh
		".other.json.tmp-" + itoa(dead) + "-abc":       false, // another destination
		".model.json.tmp-notapid-abc":                  false, // not our naming
		"model.json":                                   false,
	}
	for name := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * StaleAge)
	os.Chtimes(filepath.Join(dir, ".model.json.tmp-123456789"), old, old)
	removed := RemoveStale(path)
	for name, want := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if got := os.IsNotExist(err); got != want {
			t.Errorf("%s: removed %v, want %v", name, got, want)
		}
	}
	if len(removed) != 2 {
		t.Errorf("RemoveStale returned %v, want the 2 stale files", removed)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
