package plots

import (
	"bytes"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/latentgo/latent/internal/fileio"
)

func simplePlot(t *testing.T) Figure {
	t.Helper()
	p, err := Lines([]Series{{Name: "a", Y: []float64{1, 3, 2}}}, LineOptions{Title: "t"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFormatOf(t *testing.T) {
	for path, want := range map[string]string{"a.png": "png", "b/c.SVG": "svg", "d.Pdf": "pdf"} {
		if got, err := FormatOf(path); err != nil || got != want {
			t.Errorf("FormatOf(%q) = %q, %v; want %q", path, got, err, want)
		}
	}
	for _, path := range []string{"chart", "chart.gif", "chart.png.bak"} {
		if _, err := FormatOf(path); err == nil || !strings.Contains(err.Error(), ".png, .svg or .pdf") {
			t.Errorf("FormatOf(%q): got %v, want an error naming the formats", path, err)
		}
	}
}

// TestSaveFormats: PNG, SVG and PDF by extension; the PNG decodes to
// DefaultWidth × DefaultHeight at DPI (640 × 480), P-05.
func TestSaveFormats(t *testing.T) {
	dir := t.TempDir()
	fig := simplePlot(t)
	for _, c := range []struct{ name, magic string }{
		{"c.png", "\x89PNG"}, {"c.svg", "<?xml"}, {"c.pdf", "%PDF"},
	} {
		path := filepath.Join(dir, c.name)
		if err := Save(path, fig, SaveOptions{}); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, []byte(c.magic)) {
			t.Errorf("%s starts with %q, want %q", c.name, data[:min(len(data), 8)], c.magic)
		}
	}
	f, err := os.Open(filepath.Join(dir, "c.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width != 640 || cfg.Height != 480 { // 6.4 in × 4.8 in at 100 dpi
		t.Errorf("PNG is %d×%d, want 640×480", cfg.Width, cfg.Height)
	}
}

// TestSaveIsSafe: Save goes through internal/fileio: it refuses an
// existing file without Force, never writes over an input, and an error
// while drawing leaves nothing behind.
func TestSaveIsSafe(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "chart.png")
	fig := simplePlot(t)
	if err := Save(path, fig, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := Save(path, fig, SaveOptions{}); !errors.Is(err, fileio.ErrExists) {
		t.Errorf("second Save without Force: got %v, want ErrExists", err)
	}
	if err := Save(path, fig, SaveOptions{Force: true}); err != nil {
		t.Errorf("Save with Force: %v", err)
	}
	input := filepath.Join(dir, "data.png")
	if err := os.WriteFile(input, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Save(input, fig, SaveOptions{Force: true, Inputs: []string{input}}); !errors.Is(err, fileio.ErrIsInput) {
		t.Errorf("Save over an input: got %v, want ErrIsInput", err)
	}
	if data, _ := os.ReadFile(input); string(data) != "precious" {
		t.Error("the input was changed")
	}
	// A chart that fails while drawing leaves no file and no temporary.
	bad := New("", "", "")
	bad.Add(panicker{})
	if err := Save(filepath.Join(dir, "bad.png"), bad, SaveOptions{}); err == nil {
		t.Error("a failing chart was saved")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || e.Name() == "bad.png" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// TestEncodeDeterministic: the same chart gives the same bytes, so that
// gallery images and goldens change only when the drawing does.
func TestEncodeDeterministic(t *testing.T) {
	a, _ := renderPNG(t, simplePlot(t))
	b, _ := renderPNG(t, simplePlot(t))
	if !bytes.Equal(a, b) {
		t.Error("two renderings of one chart differ")
	}
}

func TestSized(t *testing.T) {
	_, img := renderPNG(t, Sized(simplePlot(t), 300, 150))
	// 300 × 150 points at 100 dpi: 416.67 → 417, 208.33 → 208 pixels.
	if b := img.Bounds(); b.Dx() != 417 || b.Dy() != 208 {
		t.Errorf("got %v, want 417×208", b)
	}
	if err := Encode(&bytes.Buffer{}, "png", Sized(simplePlot(t), 0, 100)); err == nil {
		t.Error("zero width: no error")
	}
	if err := Encode(&bytes.Buffer{}, "gif", simplePlot(t)); err == nil {
		t.Error("unknown format: no error")
	}
}
