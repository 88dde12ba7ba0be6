package fastblas

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// TestForcedKernel: when CI forces a kernel with LATENT_FASTBLAS_KERNEL,
// that kernel must be the one in use, or the run would test something else
// than it claims.
func TestForcedKernel(t *testing.T) {
	want := strings.ToLower(strings.TrimSpace(os.Getenv(EnvKernel)))
	if want == "" {
		t.Skipf("%s not set; in use: %s, available: %v", EnvKernel, Kernel(), Kernels())
	}
	if Kernel() != want {
		t.Fatalf("%s=%s but kernel %q is in use; this CPU can run %v", EnvKernel, want, Kernel(), Kernels())
	}
}

// TestHelperProcess is not a test: the tests below run the test binary
// again with this test selected and an environment to check what the
// package did at initialisation.
func TestHelperProcess(t *testing.T) {
	if os.Getenv("FASTBLAS_HELPER") != "1" {
		t.Skip("helper for TestEnv*")
	}
	fmt.Printf("enabled=%v installed=%v kernel=%s\n", Enabled(), blas64.Implementation() == blas.Float64(Implementation{}), Kernel())
	os.Exit(0)
}

func runHelper(t *testing.T, env ...string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "FASTBLAS_HELPER=1", EnvSwitch+"=", EnvKernel+"=")
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("helper with %v: %v\n%s", env, err, out)
	}
	return strings.TrimSpace(string(out))
}

// TestEnvSwitch: importing the package installs it, unless LATENT_FASTBLAS
// says off.
func TestEnvSwitch(t *testing.T) {
	best := Kernels()[0]
	for _, tc := range []struct{ env, want string }{
		{"", "enabled=true installed=true kernel=" + best},
		{"on", "enabled=true installed=true kernel=" + best},
		{"off", "enabled=false installed=false kernel=" + best},
		{"OFF", "enabled=false installed=false kernel=" + best},
		{"0", "enabled=false installed=false kernel=" + best},
	} {
		if got := runHelper(t, EnvSwitch+"="+tc.env); got != tc.want {
			t.Errorf("%s=%q: got %q, want %q", EnvSwitch, tc.env, got, tc.want)
		}
	}
}

// TestEnvKernel: LATENT_FASTBLAS_KERNEL picks any available kernel; an
// unknown name falls back to the best one.
func TestEnvKernel(t *testing.T) {
	for _, k := range available {
		want := "enabled=true installed=true kernel=" + k.name
		if got := runHelper(t, EnvKernel+"="+strings.ToUpper(k.name)); got != want {
			t.Errorf("%s=%s: got %q, want %q", EnvKernel, k.name, got, want)
		}
	}
	want := "enabled=true installed=true kernel=" + Kernels()[0]
	if got := runHelper(t, EnvKernel+"=nonsense"); got != want {
		t.Errorf("%s=nonsense: got %q, want %q", EnvKernel, got, want)
	}
}

// TestBackend: the description names the kernel in use.
func TestBackend(t *testing.T) {
	if got := Backend(); !strings.Contains(strings.ToLower(got), Kernel()) {
		t.Errorf("Backend() = %q, want it to name kernel %q", got, Kernel())
	}
}
