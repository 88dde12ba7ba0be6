package datasets_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"

	"gonum.org/v1/gonum/stat"

	"github.com/latentgo/latent/datasets"
)

// ExampleFaithful reads the embedded Old Faithful data: 272 eruptions,
// their length and the wait before them, in minutes.
func ExampleFaithful() {
	f := datasets.Faithful()
	n, d := f.X.Dims()
	fmt.Println(n, d, f.Columns, f.Labels == nil)
	fmt.Printf("first eruption: %v min after a %v min wait\n", f.X.At(0, 0), f.X.At(0, 1))
	// Output:
	// 272 2 [eruptions waiting] true
	// first eruption: 3.6 min after a 79 min wait
}

// ExampleIris reads Fisher's Iris data with its species labels and takes
// the mean petal length of the first species.
func ExampleIris() {
	iris := datasets.Iris()
	var setosa []float64
	for i, l := range iris.Labels {
		if l == "setosa" {
			setosa = append(setosa, iris.X.At(i, 2))
		}
	}
	fmt.Println(iris.Columns, iris.LabelName)
	fmt.Printf("%d setosa, mean petal length %.3f cm\n", len(setosa), stat.Mean(setosa, nil))
	// Output:
	// [sepal_length sepal_width petal_length petal_width] species
	// 50 setosa, mean petal length 1.462 cm
}

// ExampleLoad loads an embedded data set by name, as `latent data export`
// does; an unknown name is an error listing the sets.
func ExampleLoad() {
	for _, in := range datasets.List() {
		d, err := datasets.Load(in.Name)
		if err != nil {
			panic(err)
		}
		n, cols := d.X.Dims()
		fmt.Printf("%-8s %4d × %-2d label %q\n", d.Name, n, cols, d.LabelName)
	}
	_, err := datasets.Load("mnist")
	fmt.Println(err)
	// Output:
	// digits   1797 × 64 label "digit"
	// faithful  272 × 2  label ""
	// iris      150 × 4  label "species"
	// datasets: no data set "mnist"; the embedded sets are digits, faithful, iris
}

// idx encodes an array of unsigned bytes in the IDX format: two zero
// bytes, the type 0x08, the number of dimensions, the dimensions as
// big-endian uint32, then the data.
func idx(dims []uint32, data []byte) []byte {
	var b bytes.Buffer
	b.Write([]byte{0, 0, 0x08, byte(len(dims))})
	binary.Write(&b, binary.BigEndian, dims)
	b.Write(data)
	return b.Bytes()
}

// ExampleReadIDX reads an IDX array, the format of the MNIST files (plain
// or gzipped), here two 2×3 images built in memory.
func ExampleReadIDX() {
	x, err := datasets.ReadIDX(bytes.NewReader(idx([]uint32{2, 2, 3}, []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})))
	if err != nil {
		panic(err)
	}
	fmt.Println(x.Dims, x.Data[6:])
	_, err = datasets.ReadIDX(bytes.NewReader(idx([]uint32{2, 2, 3}, []byte{0, 1, 2})))
	fmt.Println(err != nil)
	// Output:
	// [2 2 3] [6 7 8 9 10 11]
	// true
}

// ExampleLoadMNIST reads the four MNIST files from a folder. The real ones
// (60,000 + 10,000 images of 28×28) come with `latent data fetch mnist`;
// here the folder holds a tiny stand-in of the same layout, three training
// images and one test image of 2×2 grey levels, so the example needs no
// network. LoadMNIST("") looks in the Go module cache instead.
func ExampleLoadMNIST() {
	dir, err := os.MkdirTemp("", "mnist-example-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	files := map[string][]byte{
		"train-images-idx3-ubyte": idx([]uint32{3, 2, 2}, []byte{0, 255, 0, 255, 51, 51, 51, 51, 255, 0, 0, 0}),
		"train-labels-idx1-ubyte": idx([]uint32{3}, []byte{7, 1, 4}),
		"t10k-images-idx3-ubyte":  idx([]uint32{1, 2, 2}, []byte{0, 0, 0, 255}),
		"t10k-labels-idx1-ubyte":  idx([]uint32{1}, []byte{9}),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			panic(err)
		}
	}
	m, err := datasets.LoadMNIST(dir)
	if err != nil {
		panic(err)
	}
	x := m.Train.Dense() // one image per row, grey levels scaled to [0, 1]
	fmt.Println(m.Train.N, m.Train.Rows, m.Train.Cols, m.Test.N, m.Train.LabelStrings())
	fmt.Println(x.RawRowView(1))
	// Output:
	// 3 2 2 1 [7 1 4]
	// [0.2 0.2 0.2 0.2]
}
