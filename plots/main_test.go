package plots_test

import (
	"flag"
	"fmt"
	"os"
	"testing"
)

// gallery is the folder the examples write their images into; the
// README's gallery is made with
//
//	go generate ./plots
//
// which runs the examples with -gallery ../docs/gallery. Without the
// flag the images go to a temporary folder, removed afterwards.
var gallery = flag.String("gallery", "", "write the examples' images into this folder (the README gallery)")

// outDir is where the examples save their images.
var outDir string

func TestMain(m *testing.M) {
	flag.Parse()
	outDir = *gallery
	if outDir == "" {
		d, err := os.MkdirTemp("", "plots-examples-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		outDir = d
	} else if err := os.MkdirAll(outDir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	if *gallery == "" {
		os.RemoveAll(outDir)
	}
	os.Exit(code)
}
