package testutil

import (
	"os"
	"path/filepath"
	"testing"
)

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A clone and a worktree of it find the same folders beside the clone;
// the environment variables win.
func TestBeside(t *testing.T) {
	top := t.TempDir()
	clone := filepath.Join(top, "main")
	write(t, filepath.Join(clone, "go.mod"), "module x\n")
	write(t, filepath.Join(clone, ".git", "HEAD"), "ref: refs/heads/main\n")
	write(t, filepath.Join(clone, ".git", "worktrees", "wt1", "commondir"), "../..\n")
	wt := filepath.Join(top, "wt", "wt1")
	write(t, filepath.Join(wt, "go.mod"), "module x\n")
	write(t, filepath.Join(wt, ".git"), "gitdir: "+filepath.Join(clone, ".git", "worktrees", "wt1")+"\n")
	if err := os.MkdirAll(filepath.Join(wt, "pkg", "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(clone, "pkg"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(SharedEnv, "")
	t.Setenv(BenchDataEnv, "")
	for _, c := range []struct{ cwd, root string }{
		{filepath.Join(clone, "pkg"), clone},
		{filepath.Join(wt, "pkg", "sub"), wt},
	} {
		t.Chdir(c.cwd)
		if got := RepoRoot(); got != c.root {
			t.Errorf("from %s: RepoRoot got %q, want %q", c.cwd, got, c.root)
		}
		if got, want := SharedDir(), filepath.Join(top, "shared"); got != want {
			t.Errorf("from %s: SharedDir got %q, want %q", c.cwd, got, want)
		}
		if got, want := BenchDataDir(), filepath.Join(top, "bench-data"); got != want {
			t.Errorf("from %s: BenchDataDir got %q, want %q", c.cwd, got, want)
		}
	}
	t.Setenv(SharedEnv, "/elsewhere/shared")
	t.Setenv(BenchDataEnv, "/elsewhere/data")
	if got := SharedDir(); got != "/elsewhere/shared" {
		t.Errorf("with %s: got %q", SharedEnv, got)
	}
	if got := BenchDataDir(); got != "/elsewhere/data" {
		t.Errorf("with %s: got %q", BenchDataEnv, got)
	}
	t.Chdir(top)
	if got := Beside("shared"); got != "" {
		t.Errorf("outside a module: Beside got %q, want \"\"", got)
	}
}

func TestLong(t *testing.T) {
	t.Setenv(LongEnv, "")
	ran := false
	t.Run("gated", func(t *testing.T) {
		Long(t, "test")
		ran = true
	})
	if ran {
		t.Errorf("Long did not skip with %s unset", LongEnv)
	}
	t.Setenv(LongEnv, "1")
	t.Run("on", func(t *testing.T) {
		Long(t, "test")
		ran = true
	})
	if !ran {
		t.Errorf("Long skipped with %s=1", LongEnv)
	}
}
