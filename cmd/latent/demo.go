package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/internal/version"
)

// demoPart is one section of the tour. Each model adds its part to
// demoParts; a part writes its charts through d and returns its section of
// the report.
type demoPart struct {
	name  string
	title string
	run   func(ctx context.Context, d *demo) (*demoSection, error)
}

// demoParts is the tour, in order.
var demoParts = []demoPart{
	{"data", "The embedded data sets", demoData},
	{"gmm", "Gaussian mixtures by EM", demoGmm},
	{"nn", "Backpropagation: an autodiff core and neural networks", demoNN},
	{"vae", "A variational autoencoder: the ELBO, a generator and its latent space", demoVAE},
	{"biasvar", "Bias, variance and noise of k-nearest neighbours", demoBiasvar},
}

// demo is what a part needs: where to write, the seed, the output options.
type demo struct {
	dir    string
	seed   uint64
	opts   fileio.Options
	stderr io.Writer
}

// demoSection is one part's section of report.md and report.json.
type demoSection struct {
	Name    string         `json:"name"`
	Title   string         `json:"title"`
	Seconds float64        `json:"seconds"`
	Text    string         `json:"text"`              // Markdown
	Figures []demoFigure   `json:"figures,omitempty"` // files in the output folder
	Numbers map[string]any `json:"numbers,omitempty"` // the figures quoted in Text
}

type demoFigure struct {
	File    string `json:"file"`
	Caption string `json:"caption"`
}

// write stores a file of the demo atomically in the output folder.
func (d *demo) write(name string, data []byte) error {
	return fileio.WriteBytes(filepath.Join(d.dir, name), data, d.opts)
}

// writeWith stores a file produced by fn atomically in the output folder.
func (d *demo) writeWith(name string, fn func(io.Writer) error) error {
	return fileio.WriteFile(filepath.Join(d.dir, name), fn, d.opts)
}

func newDemoCmd(e *env) *cobra.Command {
	var out, only string
	var seed uint64
	var of outFlags
	names := make([]string, len(demoParts))
	for i, p := range demoParts {
		names[i] = p.name
	}
	c := &cobra.Command{
		Use:   "demo",
		Short: "Run the tour of latent on embedded data: charts and a report",
		Long: `Run every model of latent on the embedded data sets and write the charts (PNG),
report.md and report.json into one folder (--out, default latent-demo). The
same seed gives the same numbers. Parts: ` + strings.Join(names, ", ") + `.`,
		Example: "  latent demo\n  latent demo --out docs/demo --force\n  latent demo --only data --seed 7",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			parts := demoParts
			if only != "" {
				parts = nil
				for _, n := range strings.Split(only, ",") {
					i := slices.IndexFunc(demoParts, func(p demoPart) bool { return p.name == strings.TrimSpace(n) })
					if i < 0 {
						return usagef("--only: no part %q; the parts are %s", n, strings.Join(names, ", "))
					}
					parts = append(parts, demoParts[i])
				}
			}
			if err := os.MkdirAll(out, 0o755); err != nil {
				return fmt.Errorf("demo: %w", err)
			}
			d := &demo{dir: out, seed: seed, opts: of.options(), stderr: e.stderr}
			for _, f := range []string{"report.md", "report.json"} {
				if err := fileio.Check(filepath.Join(out, f), d.opts); err != nil {
					return fmt.Errorf("demo: %w", err)
				}
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

func runDemo(ctx context.Context, e *env, d *demo, parts []demoPart) error {
	start := time.Now()
	var sections []*demoSection
	bar := newProgress(e.stderr, len(parts), "demo")
	for _, p := range parts {
		bar.Describe("demo: " + p.name)
		t0 := time.Now()
		s, err := p.run(ctx, d)
		if err != nil {
			bar.Done()
			return fmt.Errorf("demo: %s: %w", p.name, err)
		}
		s.Name, s.Title, s.Seconds = p.name, p.title, time.Since(t0).Seconds()
		sections = append(sections, s)
		bar.Add(1)
	}
	bar.Done()
	report := struct {
		Producer string         `json:"producer"`
		Seed     uint64         `json:"seed"`
		Sections []*demoSection `json:"sections"`
	}{version.Producer(), d.seed, sections}
	js, err := json.MarshalIndent(report, "", "  ")
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := d.write("report.json", append(js, '\n')); err != nil {
		return err
	}
	var md bytes.Buffer
	fmt.Fprintf(&md, "# The latent tour\n\nProduced by `latent demo --seed %d` (%s).\n", d.seed, version.Producer())
	for _, s := range sections {
		fmt.Fprintf(&md, "\n## %s\n\n%s\n", s.Title, strings.TrimSpace(s.Text))
		for _, f := range s.Figures {
			fmt.Fprintf(&md, "\n![%s](%s)\n\n*%s*\n", f.Caption, f.File, f.Caption)
		}
	}
	if err := d.write("report.md", md.Bytes()); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "latent demo: %d parts in %.1fs; wrote %s and %s\n", len(sections), time.Since(start).Seconds(),
		filepath.Join(d.dir, "report.md"), filepath.Join(d.dir, "report.json"))
	for _, s := range sections {
		files := []string{}
		for _, f := range s.Figures {
			files = append(files, f.File)
		}
		fmt.Fprintf(e.stdout, "  %-10s %5.1fs  %s\n", s.Name, s.Seconds, strings.Join(files, " "))
	}
	return nil
}
