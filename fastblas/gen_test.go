package fastblas

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneratedKernels: the committed assembly is what gen_amd64.go writes,
// so a hand edit of the generated files cannot slip in.
func TestGeneratedKernels(t *testing.T) {
	dir := t.TempDir()
	out, err := exec.Command("go", "run", "gen_amd64.go", "-o", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("go run gen_amd64.go: %v\n%s", err, out)
	}
	for _, name := range []string{"kernel_amd64.s", "kernel_gen_amd64.go"} {
		want, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from gen_amd64.go's output: run go generate ./fastblas", name)
		}
	}
}
