// Command latent-beam runs latent's EM fits as Apache Beam pipelines, on
// prism (in this process, the default) or on Flink, Spark and Dataflow.
//
//	latent-beam gmm fit 'data/*.csv' -k 8 [flags] [Beam pipeline options]
//
// The flags are latent gmm fit --stream's; every other flag is one of
// Beam's pipeline options (--runner, --endpoint, --environment_type,
// --environment_config, --project, --region, --staging_location, …),
// passed through. See the README of the beam module for the runners.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	abeam "github.com/apache/beam/sdks/v2/go/pkg/beam"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/gcs" // gs://
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/s3"  // s3://
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/dataflow"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/flink"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/spark"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/universal"

	"github.com/latentgo/latent/beam"
	"github.com/latentgo/latent/em"
	"github.com/latentgo/latent/internal/cli"
	"github.com/latentgo/latent/mixture"
)

func main() {
	// prism and the Beam SDK log every job at INFO; warnings and errors
	// are what a user of the command needs on stderr.
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: latent-beam gmm fit FILE-OR-GLOB... [flags] [Beam pipeline options]

Fits a Gaussian mixture by EM to the rows of CSV files (local paths, gs://,
s3://), every E-step a Beam pipeline; the model file and the report are
latent gmm fit's. The runner is prism (in this process) unless --runner
names another (flink, spark, dataflow, universal).
`

// run is the command: exit 0 ok, 1 failure, 2 usage error.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && strings.HasPrefix(args[0], "-") && !isHelp(args[0]) {
		// A Beam worker: the runner starts the binary with its flags.
		if err := flag.CommandLine.Parse(args); err != nil {
			return 2
		}
		abeam.Init()
		return 0
	}
	if len(args) < 2 || args[0] != "gmm" || args[1] != "fit" {
		fmt.Fprint(stderr, usage)
		return 2
	}
	err := gmmFit(args[2:], stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case cli.IsUsage(err):
		fmt.Fprintf(stderr, "latent-beam: %v\n", err)
		return 2
	default:
		fmt.Fprintf(stderr, "latent-beam: %v\n", err)
		return 1
	}
}

func isHelp(a string) bool { return a == "-h" || a == "--help" || a == "-help" }

// fitFlags are gmm fit's flags.
type fitFlags struct {
	k, nInit, maxIter, blockRows, sampleRows int
	cov, init, out, tempDir, delimiter       string
	seed                                     uint64
	tol, regCovar                            float64
	asJSON, force                            bool
}

// register puts gmm fit's flags beside Beam's, on the command line's flag
// set, so that one parse takes both.
func (f *fitFlags) register(fs *flag.FlagSet) {
	fs.IntVar(&f.k, "k", 1, "number of components")
	fs.StringVar(&f.cov, "cov", "full", "covariance type: full, tied, diag or spherical")
	fs.StringVar(&f.init, "init", "kmeans", "initialisation, on the sample: kmeans, k-means++, random, random_from_data")
	fs.Uint64Var(&f.seed, "seed", 0, "random seed (the sample, the starts)")
	fs.IntVar(&f.nInit, "n-init", 1, "number of starts; the best log-likelihood is kept")
	fs.IntVar(&f.maxIter, "max-iter", 100, "largest number of EM iterations per start (each one pipeline run)")
	fs.Float64Var(&f.tol, "tol", 1e-3, "stop when the mean log-likelihood changes by less")
	fs.Float64Var(&f.regCovar, "reg-covar", 1e-6, "added to the covariances' diagonals")
	fs.IntVar(&f.blockRows, "block-rows", em.DefaultBlockRows, "rows per E-step block: the chunking the fit's bits depend on")
	fs.IntVar(&f.sampleRows, "sample-rows", beam.DefaultSampleRows, "rows of the uniform sample the initialisation runs on")
	fs.StringVar(&f.delimiter, "delimiter", ",", "CSV field delimiter (one character)")
	fs.StringVar(&f.tempDir, "temp-dir", "", "folder the workers and this process share for the pipelines' results (gs://… off this machine); default a local temporary folder (prism only)")
	fs.StringVar(&f.out, "out", "", "write the model file here (latent gmm fit's format)")
	fs.BoolVar(&f.asJSON, "json", false, "print the report as JSON")
	fs.BoolVar(&f.force, "force", false, "replace an existing --out")
}

// parseInterleaved parses flags and positional arguments in any order.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// options checks the flags (usage errors, before any work) and returns the
// library's options.
func (f *fitFlags) options() (beam.Options, error) {
	cov, err := mixture.ParseCovarianceType(f.cov)
	if err != nil {
		return beam.Options{}, cli.Usagef("--cov %q: %v", f.cov, err)
	}
	in, err := mixture.ParseInitMethod(f.init)
	if err != nil {
		return beam.Options{}, cli.Usagef("--init %q: %v", f.init, err)
	}
	delim := []rune(f.delimiter)
	err = cli.Validate(
		cli.AtLeast("--k", f.k, 1),
		cli.AtLeast("--n-init", f.nInit, 1),
		cli.AtLeast("--max-iter", f.maxIter, 0),
		cli.AtLeast("--block-rows", f.blockRows, 1),
		cli.AtLeast("--sample-rows", f.sampleRows, 1),
		cli.Positive("--tol", f.tol),
		cli.NonNegative("--reg-covar", f.regCovar),
		cli.Want("--delimiter", f.delimiter, len(delim) == 1, "one character"),
	)
	if err != nil {
		return beam.Options{}, err
	}
	maxIter := f.maxIter
	if maxIter == 0 {
		maxIter = em.NoIterations
	}
	mo := mixture.Options{K: f.k, Covariance: cov, Init: in, Seed: f.seed, NInit: f.nInit, MaxIter: maxIter,
		Tol: f.tol, RegCovar: f.regCovar, BlockRows: f.blockRows}
	o := beam.Options{Mixture: mo, SampleRows: f.sampleRows, Runner: *runners.Runner, TempDir: f.tempDir}
	o.CSV.Delimiter = delim[0]
	return o, nil
}

func gmmFit(args []string, stdout, stderr io.Writer) error {
	var f fitFlags
	fs := flag.CommandLine
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage, "\nflags (latent's and Beam's):\n"); fs.PrintDefaults() }
	f.register(fs)
	patterns, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return cli.Usagef("%v", err)
	}
	if len(patterns) == 0 {
		return cli.Usagef("give the data: one or more CSV files or globs")
	}
	o, err := f.options()
	if err != nil {
		return err
	}
	spec := cli.Spec{Inputs: patterns, Outputs: []cli.Output{{Flag: "--out", Path: f.out, Kind: cli.File}}, Force: f.force, JSON: f.asJSON}
	wo, err := spec.Check()
	if err != nil {
		return err
	}
	abeam.Init()
	m, rep, res, err := beam.FitGMM(contextBackground(), patterns, o)
	if err != nil {
		return err
	}
	if rep.Status == em.StatusMaxIter {
		fmt.Fprintf(stderr, "latent-beam: warning: EM did not converge in %d iterations (tol %g): raise --max-iter or --tol\n", rep.Iterations, rep.Tol)
	}
	if f.out != "" {
		if err := m.Save(f.out, wo); err != nil {
			return err
		}
	}
	name := strings.Join(patterns, " ")
	if f.asJSON {
		return cli.WriteJSON(stdout, fitOut{File: name, Shards: res.Shards, Pipelines: res.Pipelines, Rows: rep.Rows,
			Columns: m.FeatureNames(), Report: rep, Model: m.FullParams(), Out: f.out})
	}
	var b bytes.Buffer
	b.WriteString(name + ": ")
	rep.WriteText(&b)
	fmt.Fprintf(&b, "%d shards, %d pipeline runs\n", len(res.Shards), res.Pipelines)
	if f.out != "" {
		fmt.Fprintf(&b, "wrote %s\n", f.out)
	}
	_, err = stdout.Write(b.Bytes())
	return err
}

// fitOut is the --json output: latent gmm fit's, with the shards and the
// number of pipeline runs.
type fitOut struct {
	File      string              `json:"file"`
	Shards    []string            `json:"shards"`
	Pipelines int                 `json:"pipelines"`
	Rows      int                 `json:"rows"`
	Columns   []string            `json:"columns"`
	Report    *mixture.Report     `json:"report"`
	Model     *mixture.FullParams `json:"model"`
	Out       string              `json:"out,omitempty"`
}

func contextBackground() context.Context { return context.Background() }
