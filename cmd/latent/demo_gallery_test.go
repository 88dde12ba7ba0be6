package main

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/latentgo/latent/fastblas"
)

// galleryDir is the demo's output committed for the README, made by
//
//	go run ./cmd/latent demo --out docs/demo --force
const galleryDir = "../../docs/demo"

// TestDemoGallery checks that the committed gallery (docs/demo) is what the
// demo produces today. It compares the folder named by $LATENT_DEMO_DIR,
// where .ci/run has just run the demo, with docs/demo:
//
//   - the same files;
//   - report.json equal, every number to the last digit (the demo is
//     seeded, so its numbers are bit-reproducible whatever GOMAXPROCS is,
//     for a given matrix-product kernel: fastblas's AVX-512 kernel, which
//     these machines and CI use, its AVX2 and Go kernels, and gonum's own
//     BLAS (LATENT_FASTBLAS=off) round differently, and the last digits of
//     some numbers differ between them), after dropping what
//     rightly changes from run to run: wall times (every key named
//     "seconds" or with "seconds" as a word of its name, such as a part's
//     "seconds_per_epoch") and the producing version;
//   - report.md equal, apart from its line naming the producing version;
//   - each PNG of the same width and height. Pixels are not compared:
//     a chart whose numbers are the same but whose drawing changed
//     (a new gonum/plot, a style fix) is not stale in what it says, and
//     PNG bytes are not a contract.
//
// Without $LATENT_DEMO_DIR it is skipped: running the whole demo belongs to
// CI, not to every go test.
func TestDemoGallery(t *testing.T) {
	fresh := os.Getenv("LATENT_DEMO_DIR")
	if fresh == "" {
		t.Skip("set LATENT_DEMO_DIR to a folder written by `latent demo` to compare it with docs/demo")
	}
	regen := "; regenerate the gallery with `go run ./cmd/latent demo --out docs/demo --force` and commit docs/demo" +
		" (on a machine with the AVX-512 kernel, as CI's: `latent version` names it)"
	// The committed gallery was made with fastblas's AVX-512 kernel; another
	// kernel changes the last bits of every product, and through training
	// the printed numbers. Elsewhere only the structure is compared.
	exact := fastblas.Enabled() && fastblas.Kernel() == "avx512"
	if !exact {
		t.Logf("matrix products on %q, not the AVX-512 kernel the gallery was made with: comparing files and image sizes only", fastblas.Kernel())
	}
	want, got := listDir(t, galleryDir), listDir(t, fresh)
	if !slices.Equal(want, got) {
		t.Fatalf("docs/demo holds %v, the demo writes %v%s (remove the files it no longer writes)", want, got, regen)
	}
	for _, name := range want {
		a, err := os.ReadFile(filepath.Join(galleryDir, name))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(fresh, name))
		if err != nil {
			t.Fatal(err)
		}
		switch ext := filepath.Ext(name); {
		case (ext == ".json" || ext == ".md") && !exact:
			continue
		case ext == ".json":
			ja, jb := demoReportForCompare(t, name, a), demoReportForCompare(t, name, b)
			if !reflect.DeepEqual(ja, jb) {
				t.Errorf("docs/demo/%s differs from the demo's: %s%s", name, firstJSONDiff("", ja, jb), regen)
			}
		case ext == ".md":
			if la, lb := dropProducer(a), dropProducer(b); la != lb {
				t.Errorf("docs/demo/%s differs from the demo's: %s%s", name, firstLineDiff(la, lb), regen)
			}
		case ext == ".png":
			ca, err := png.DecodeConfig(bytes.NewReader(a))
			if err != nil {
				t.Fatalf("docs/demo/%s: %v", name, err)
			}
			cb, err := png.DecodeConfig(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("%s: %v", filepath.Join(fresh, name), err)
			}
			if ca.Width != cb.Width || ca.Height != cb.Height {
				t.Errorf("docs/demo/%s is %d×%d pixels, the demo's %d×%d%s", name, ca.Width, ca.Height, cb.Width, cb.Height, regen)
			}
		}
	}
}

// TestREADMEShowsGallery checks that the README embeds every chart of the
// committed gallery, so that a new demo part's charts reach the README.
func TestREADMEShowsGallery(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range listDir(t, galleryDir) {
		if filepath.Ext(name) == ".png" && !bytes.Contains(readme, []byte("](docs/demo/"+name+")")) {
			t.Errorf("README.md does not show docs/demo/%s; add it to the gallery table of the tour section", name)
		}
	}
}

// listDir returns the names of the files in dir, sorted.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names
}

// demoReportForCompare decodes report.json keeping numbers as their text
// (json.Number), without the producer and the wall times.
func demoReportForCompare(t *testing.T, name string, data []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var r map[string]any
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	delete(r, "producer")
	dropTimes(r)
	return r
}

// dropTimes removes, at every depth, the keys that hold wall times: those
// with "seconds" as one of their underscore-separated words.
func dropTimes(v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if slices.Contains(strings.Split(k, "_"), "seconds") {
				delete(x, k)
				continue
			}
			dropTimes(e)
		}
	case []any:
		for _, e := range x {
			dropTimes(e)
		}
	}
}

// dropProducer returns report.md without its line naming the producer.
func dropProducer(data []byte) string {
	var keep []string
	for _, l := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(l, "Produced by ") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// firstLineDiff describes the first line where a and b differ.
func firstLineDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < max(len(la), len(lb)); i++ {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			return "line " + strconv.Itoa(i+1) + ": committed " + strconv.Quote(short(x)) + ", demo " + strconv.Quote(short(y))
		}
	}
	return "no line differs"
}

// firstJSONDiff describes the first place where decoded JSON values a and b
// differ, as a path such as sections[2].numbers.best_bic.
func firstJSONDiff(path string, a, b any) string {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			break
		}
		keys := make([]string, 0, len(x)+len(y))
		for k := range x {
			keys = append(keys, k)
		}
		for k := range y {
			if _, ok := x[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			if !reflect.DeepEqual(x[k], y[k]) {
				p := k
				if path != "" {
					p = path + "." + k
				}
				return firstJSONDiff(p, x[k], y[k])
			}
		}
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			break
		}
		for i := range x {
			if !reflect.DeepEqual(x[i], y[i]) {
				return firstJSONDiff(path+"["+strconv.Itoa(i)+"]", x[i], y[i])
			}
		}
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return path + ": committed " + short(string(ja)) + ", demo " + short(string(jb))
}

func short(s string) string {
	if r := []rune(s); len(r) > 160 {
		return string(r[:160]) + "…"
	}
	return s
}
