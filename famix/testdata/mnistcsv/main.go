// Command mnistcsv writes the first -n MNIST training images, binarised as
// famix's benchmark binarises them (grey level > 127), as a CSV file of
// 0/1 columns p1…p784, for the flexmix timing of bench_vs_flexmix.sh:
//
//	go run ./famix/testdata/mnistcsv -n 6000 > /tmp/mnist6000.csv
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/latentgo/latent/datasets"
)

func main() {
	n := flag.Int("n", 6000, "rows")
	flag.Parse()
	dir, err := datasets.FindMNIST("")
	if err != nil {
		log.Fatal(err)
	}
	m, err := datasets.LoadMNIST(dir)
	if err != nil {
		log.Fatal(err)
	}
	im := m.Train
	d := im.Rows * im.Cols
	w := bufio.NewWriter(os.Stdout)
	for j := 0; j < d; j++ {
		if j > 0 {
			w.WriteByte(',')
		}
		fmt.Fprintf(w, "p%d", j+1)
	}
	w.WriteByte('\n')
	for i := 0; i < min(*n, im.N); i++ {
		for j := 0; j < d; j++ {
			if j > 0 {
				w.WriteByte(',')
			}
			b := byte('0')
			if im.Pixels[i*d+j] > 127 {
				b = '1'
			}
			w.WriteByte(b)
		}
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
}
