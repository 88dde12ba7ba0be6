package testutil

import (
	"os"
	"path/filepath"
	"strings"
)

// Environment variables that override where the files beside the
// repository are found.
const (
	SharedEnv    = "LATENT_SHARED"     // the team's shared folder (peer scripts, reference notes)
	BenchDataEnv = "LATENT_BENCH_DATA" // the benchmark data sets (shared/bench/gen_gmm_data.py)
)

// RepoRoot returns the root of the module the test runs in: the nearest
// folder above the working directory (a test's package folder) that holds
// go.mod. It returns "" when there is none.
func RepoRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Beside returns the path of name in the folder that holds the main
// checkout of the repository: for a clone at /src/latent it is
// /src/name; for a git worktree (whose .git is a file pointing into the
// main checkout's .git), the folder beside that main checkout, so that all
// worktrees of one clone share it. It returns "" when the repository root
// is not found.
func Beside(name string) string {
	root := RepoRoot()
	if root == "" {
		return ""
	}
	return filepath.Join(filepath.Dir(mainCheckout(root)), name)
}

// SharedDir returns $LATENT_SHARED, else the folder shared beside the
// repository (see [Beside]).
func SharedDir() string {
	if d := os.Getenv(SharedEnv); d != "" {
		return d
	}
	return Beside("shared")
}

// BenchDataDir returns $LATENT_BENCH_DATA, else the folder bench-data
// beside the repository (see [Beside]), where shared/bench/gen_gmm_data.py
// writes the benchmark data sets.
func BenchDataDir() string {
	if d := os.Getenv(BenchDataEnv); d != "" {
		return d
	}
	return Beside("bench-data")
}

// mainCheckout returns the main working tree of the repository at root:
// root itself, unless root/.git is a worktree's "gitdir: …" file, whose
// commondir names the main repository's .git folder.
func mainCheckout(root string) string {
	b, err := os.ReadFile(filepath.Join(root, ".git"))
	if err != nil {
		return root // a folder (a plain clone), or no git at all
	}
	gitdir, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "gitdir:")
	if !ok {
		return root
	}
	gitdir = strings.TrimSpace(gitdir)
	if !filepath.IsAbs(gitdir) {
		gitdir = filepath.Join(root, gitdir)
	}
	common := gitdir
	if c, err := os.ReadFile(filepath.Join(gitdir, "commondir")); err == nil {
		common = strings.TrimSpace(string(c))
		if !filepath.IsAbs(common) {
			common = filepath.Join(gitdir, common)
		}
	}
	common = filepath.Clean(common)
	if filepath.Base(common) != ".git" {
		return root // a bare or unusual layout: stay with the worktree
	}
	return filepath.Dir(common)
}
