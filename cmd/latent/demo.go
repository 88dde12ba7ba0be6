package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/latentgo/latent/internal/cli"
	"github.com/latentgo/latent/internal/tour"
	"github.com/latentgo/latent/internal/version"
)

// The tour's parts live in internal/tour, one file per model; the command
// checks the folder and its files, runs them and writes the two reports.
func newDemoCmd(e *env) *cobra.Command {
	var out, only string
	var seed uint64
	var of outFlags
	c := &cobra.Command{
		Use:   "demo",
		Short: "Run the tour of latent on embedded data: charts and a report",
		Long: `Run every model of latent on the embedded data sets and write the charts (PNG),
report.md and report.json into one folder (--out, default latent-demo). The
same seed gives the same numbers. Parts: ` + strings.Join(tour.Names(tour.Parts(nil)), ", ") + `.`,
		Example: "  latent demo\n  latent demo --out docs/demo --force\n  latent demo --only data --seed 7",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			d := &tour.Env{Dir: out, Seed: seed}
			parts, err := tour.Select(tour.Parts(d), only)
			if err != nil {
				return usagef("--only: %v", err)
			}
			d.Opts, err = of.spec(nil, cli.Output{Flag: "--out", Path: out, Kind: cli.Folder, Files: tour.Files(parts)}).Check()
			if err != nil {
				return fmt.Errorf("demo: %w", err)
			}
			if err := os.MkdirAll(out, 0o755); err != nil {
				return fmt.Errorf("demo: %w", err)
			}
			return runDemo(cmd.Context(), e, d, parts)
		},
	}
	c.Flags().StringVarP(&out, "out", "o", "latent-demo", "folder for the charts and the report")
	c.Flags().Uint64Var(&seed, "seed", 1, "random seed; the same seed gives the same numbers")
	c.Flags().StringVar(&only, "only", "", "comma-separated parts to run (default: all)")
	of.register(c.Flags())
	return c
}

func runDemo(ctx context.Context, e *env, d *tour.Env, parts []tour.Part) error {
	start := time.Now()
	bar := newProgress(e.stderr, len(parts), "demo")
	rep, err := tour.Run(ctx, parts, d.Seed, version.Producer(), func(p tour.Progress) {
		if p.Done > 0 {
			bar.Add(1)
		}
		if p.Part != "" {
			bar.Describe("demo: " + p.Part)
		}
	})
	bar.Done()
	if err == nil {
		err = d.WriteReports(rep)
	}
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return rep.WriteText(e.stdout, filepath.Join(d.Dir, "report.md"), filepath.Join(d.Dir, "report.json"), time.Since(start))
}
