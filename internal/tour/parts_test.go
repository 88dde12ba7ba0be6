package tour

import (
	"encoding/json"
	"os"
	"slices"
	"testing"
)

// TestPartsDeclareTheirFiles checks, without running the demo, that the
// files each part declares in parts (which the demo checks before any
// work) are the figures its section of the committed gallery lists, and
// that together with the two reports they are the gallery's files.
func TestPartsDeclareTheirFiles(t *testing.T) {
	data, err := os.ReadFile("../../docs/demo/report.json")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Sections []struct {
			Name    string `json:"name"`
			Figures []struct {
				File string `json:"file"`
			} `json:"figures"`
		} `json:"sections"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Sections) != len(parts) {
		t.Fatalf("docs/demo/report.json has %d sections, parts %d parts", len(rep.Sections), len(parts))
	}
	all := []string{"report.json", "report.md"}
	for i, s := range rep.Sections {
		p := parts[i]
		var figs []string
		for _, f := range s.Figures {
			figs = append(figs, f.File)
		}
		if s.Name != p.name || !slices.Equal(figs, p.files) {
			t.Errorf("part %d: got %s declaring %v, want %s with the gallery's figures %v", i, p.name, p.files, s.Name, figs)
		}
		all = append(all, p.files...)
	}
	slices.Sort(all)
	if got := galleryFiles(t); !slices.Equal(got, all) {
		t.Errorf("docs/demo holds %v; the parts declare %v", got, all)
	}
}

// galleryFiles returns the names of the files in docs/demo, sorted.
func galleryFiles(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir("../../docs/demo")
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
