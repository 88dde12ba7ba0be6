package tour

import (
	"context"
	"fmt"
	"strings"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/internal/summary"
)

// dataPart describes the embedded data sets: what the other parts run on.
func dataPart(ctx context.Context, d *Env) (*Section, error) {
	var b strings.Builder
	b.WriteString("latent ships three classic data sets inside the module (`latent data list`); ")
	b.WriteString("every part of this tour runs on them, so it needs no download.\n\n")
	b.WriteString("| data set | rows | columns | label | source |\n|---|---|---|---|---|\n")
	nums := map[string]any{}
	for _, in := range datasets.List() {
		label := in.LabelName
		if label == "" {
			label = "–"
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %s | %s |\n", in.Name, in.Rows, in.Columns, label, in.Source)
	}
	f := datasets.Faithful()
	b.WriteString("\nOld Faithful, column by column (`latent data export faithful | latent data describe -`):\n\n")
	b.WriteString("| column | mean | sd | min | 25% | median | 75% | max |\n|---|---|---|---|---|---|---|---|\n")
	for _, c := range summary.Describe(f.X, f.Columns) {
		fmt.Fprintf(&b, "| %s | %.4g | %.4g | %.4g | %.4g | %.4g | %.4g | %.4g |\n", c.Name, c.Mean, c.SD, c.Min, c.Q25, c.Q50, c.Q75, c.Max)
		nums["faithful_"+c.Name+"_mean"] = c.Mean
	}
	return &Section{Text: b.String(), Numbers: nums}, nil
}
