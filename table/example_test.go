package table_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/mixture"
	"github.com/latentgo/latent/table"
)

// Read a CSV table with a label column; a bad cell is an error that says
// where it is and what to do.
func ExampleReadCSV() {
	data := "length,width,species\n5.1,3.5,setosa\n7.0,3.2,versicolor\n"
	t, err := table.ReadCSV(strings.NewReader(data), table.Options{Name: "flowers.csv", Label: "species"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.Columns, t.X.At(1, 0), t.LabelName, t.Labels)

	_, err = table.ReadCSV(strings.NewReader("a,b\n1,2\n3,NA\n"), table.Options{Name: "bad.csv"})
	fmt.Println(err)
	// Output:
	// [length width] 7 species [setosa versicolor]
	// bad.csv:3:3: column 2 ("b"): "NA": missing-value marker; to read missing values, use --missing (Options.Missing): empty cells and the markers it lists, e.g. --missing NA,?; or remove or impute the row
}

// Fit a mixture to a file without holding it in memory: the Source reads
// the file block by block in every EM iteration, and Reservoir draws the
// uniform sample the k-means initialisation runs on. The fit has the bits
// of the same fit in memory.
func ExampleOpenCSV() {
	f := datasets.Faithful()
	dir, err := os.MkdirTemp("", "table-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "faithful.csv")
	out, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := table.WriteCSV(out, &table.Table{Columns: f.Columns, X: f.X}); err != nil {
		log.Fatal(err)
	}
	out.Close()

	src, err := table.OpenCSV(path, table.Options{})
	if err != nil {
		log.Fatal(err)
	}
	sample, rows, err := table.Reservoir(src, 1000, 1) // all 272 rows: the file is small
	if err != nil {
		log.Fatal(err)
	}
	opts := mixture.Options{K: 2, Seed: 1, FeatureNames: src.Columns()}
	_, streamed, err := mixture.FitSource(context.Background(), src, sample, opts)
	if err != nil {
		log.Fatal(err)
	}
	_, inMemory, _ := mixture.Fit(context.Background(), sample, opts)
	fmt.Printf("%d rows; streamed: %s, log-likelihood %.6f; the same in memory: %v\n",
		rows, streamed.Status, streamed.LogLikelihood, streamed.LogLikelihood == inMemory.LogLikelihood)
	// Output:
	// 272 rows; streamed: converged, log-likelihood -4.155383; the same in memory: true
}

// Check that a file's columns are those a model was fitted on.
func ExampleCheckColumns() {
	fmt.Println(table.CheckColumns("new.csv", []string{"waiting", "eruptions"}, []string{"eruptions", "waiting"}))
	// Output:
	// new.csv: column 1 is "waiting", but the model's feature 1 is "eruptions" (the model's features: eruptions, waiting); give the columns in the model's order and names
}
