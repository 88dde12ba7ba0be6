package csvio

import (
	"os"
	"testing"
)

// BenchmarkReadFile reads the CSV file $LATENT_BENCH_CSV (the 1e6×16 set
// of ../shared/bench: python3 gen_gmm_data.py --out /tmp/bench) into a
// matrix, by the fast path and by the exact reader:
//
//	LATENT_BENCH_CSV=/tmp/bench/large.csv go test ./internal/csvio -run '^$' -bench ReadFile -benchtime 3x
func BenchmarkReadFile(b *testing.B) {
	path := os.Getenv("LATENT_BENCH_CSV")
	if path == "" {
		b.Skip("set LATENT_BENCH_CSV to a CSV file")
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		read func(f *os.File) (*Table, error)
	}{
		{"fast", func(f *os.File) (*Table, error) { return ReadAll(f, Options{Name: path}) }},
		{"exact", func(f *os.File) (*Table, error) { return exactReadAll(f, Options{Name: path}) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(st.Size())
			for b.Loop() {
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := c.read(f); err != nil {
					b.Fatal(err)
				}
				f.Close()
			}
		})
	}
}
