package main

import (
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"gonum.org/v1/gonum/mat"

	"github.com/latentgo/latent/famix"
	"github.com/latentgo/latent/internal/cli"
	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/internal/memlimit"
)

// mixModelFlags are the flags of the commands that use a mix model file.
type mixModelFlags struct {
	model, out string
	asJSON     bool
	tf         mixTableFlags
	of         outFlags
	opts       fileio.Options
}

func (f *mixModelFlags) register(fs *pflag.FlagSet, data bool) {
	fs.StringVar(&f.model, "model", "", "model file written by 'latent mix fit --out' (required)")
	fs.StringVarP(&f.out, "out", "o", "", "write to this file instead of stdout")
	fs.BoolVar(&f.asJSON, "json", false, "print JSON")
	if data {
		f.tf.register(fs, true)
	}
	f.of.register(fs)
}

// load checks the outputs, then reads the model and, unless path is "",
// the data in the model's columns.
func (f *mixModelFlags) load(e *env, cmd *cobra.Command, path string) (*famix.Model, *famix.Table, error) {
	if f.model == "" {
		return nil, nil, usagef("%s needs --model, a file written by 'latent mix fit --out'", cmd.CommandPath())
	}
	var err error
	f.opts, err = f.of.spec([]string{path, f.model}, cli.Output{Flag: "--out", Path: f.out, Kind: cli.Stream}).Check()
	if err != nil {
		return nil, nil, err
	}
	m, err := famix.Load(f.model)
	if err != nil || path == "" {
		return m, nil, err
	}
	tab, err := f.tf.read(e, path, famix.TableOptions{Model: m})
	return m, tab, err
}

func (f *mixModelFlags) write(e *env, v any, fn func(io.Writer) error) error {
	if f.asJSON {
		fn = func(w io.Writer) error { return writeJSON(w, v) }
	}
	if f.out == "" || f.out == "-" {
		return fn(e.stdout)
	}
	return fileio.WriteFile(f.out, fn, f.opts)
}

func newMixPredictCmd(e *env) *cobra.Command {
	var f mixModelFlags
	var proba bool
	c := &cobra.Command{
		Use:   "predict DATA.csv|- --model MODEL.json",
		Short: "Each row's most probable component (1-based), or with --proba every component's posterior probability",
		Args:  exactArgs(1, "one data file, or - for stdin"),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, tab, err := f.load(e, cmd, args[0])
			if err != nil {
				return err
			}
			n, _ := tab.X.Dims()
			if err := memlimit.Check(fmt.Sprintf("the posterior of %d rows × %d components", n, m.K()), memlimit.Floats(float64(n), float64(m.K())), "the rows"); err != nil {
				return err
			}
			p, err := m.PredictProba(tab.X)
			if err != nil {
				return err
			}
			var v struct {
				Labels []int       `json:"labels"`
				Proba  [][]float64 `json:"proba,omitempty"`
			}
			for i := 0; i < n; i++ {
				row := p.RawRowView(i)
				best := 0
				for k, q := range row {
					if q > row[best] {
						best = k
					}
				}
				v.Labels = append(v.Labels, best+1)
				if proba {
					v.Proba = append(v.Proba, append([]float64(nil), row...))
				}
			}
			return f.write(e, v, func(w io.Writer) error { return writePredictions(w, v.Labels, v.Proba) })
		},
	}
	f.register(c.Flags(), true)
	c.Flags().BoolVar(&proba, "proba", false, "print every component's posterior probability")
	return c
}

func writePredictions(w io.Writer, labels []int, proba [][]float64) error {
	bw := &errWriter{w: w}
	if proba == nil {
		fmt.Fprintln(bw, "component")
		for _, l := range labels {
			fmt.Fprintln(bw, l)
		}
		return bw.err
	}
	fmt.Fprint(bw, "component")
	for k := range proba[0] {
		fmt.Fprintf(bw, ",p%d", k+1)
	}
	fmt.Fprintln(bw)
	for i, row := range proba {
		fmt.Fprint(bw, labels[i])
		for _, q := range row {
			fmt.Fprintf(bw, ",%.6g", q)
		}
		fmt.Fprintln(bw)
	}
	return bw.err
}

type errWriter struct {
	w   io.Writer
	err error
}

func (b *errWriter) Write(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	n, err := b.w.Write(p)
	b.err = err
	return n, err
}

func newMixScoreCmd(e *env) *cobra.Command {
	var f mixModelFlags
	c := &cobra.Command{
		Use:   "score DATA.csv|- --model MODEL.json",
		Short: "The data's log-likelihood under a mix model, with BIC, ICL and AIC",
		Args:  exactArgs(1, "one data file, or - for stdin"),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, tab, err := f.load(e, cmd, args[0])
			if err != nil {
				return err
			}
			cr, err := m.Criteria(tab.X, tab.Weights)
			if err != nil {
				return err
			}
			n, _ := tab.X.Dims()
			return f.write(e, cr, func(w io.Writer) error {
				_, err := fmt.Fprintf(w, "%d rows: log-likelihood %.6f (%.6f per row), %d parameters, BIC %.4f, ICL %.4f, AIC %.4f (lower is better)\n",
					n, cr.LogLik, cr.LogLik/float64(n), cr.NumParams, cr.BIC, cr.ICL, cr.AIC)
				return err
			})
		},
	}
	f.register(c.Flags(), true)
	return c
}

func newMixSampleCmd(e *env) *cobra.Command {
	var f mixModelFlags
	var n int
	var seed uint64
	var labels bool
	c := &cobra.Command{
		Use:   "sample --model MODEL.json -n N",
		Short: "Draw rows from a mix model (categorical columns as their labels)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := cli.Validate(cli.AtLeast("-n", n, 1), cli.Want("--json", f.asJSON, !f.asJSON, "sample writes CSV rows; leave --json out")); err != nil {
				return err
			}
			m, _, err := f.load(e, cmd, "")
			if err != nil {
				return err
			}
			if err := memlimit.Check(fmt.Sprintf("%d rows of %d columns", n, m.Dim()), memlimit.Floats(float64(n), float64(m.Dim()+1)), "-n"); err != nil {
				return err
			}
			x := mat.NewDense(n, m.Dim(), nil)
			z := make([]int, n)
			m.Sample(x, z, rand.New(rand.NewPCG(seed, 0)))
			if !labels {
				z = nil
			}
			return f.write(e, nil, func(w io.Writer) error { return m.WriteCSV(w, x, z) })
		},
	}
	f.register(c.Flags(), false)
	c.Flags().IntVarP(&n, "n", "n", 100, "rows to draw")
	c.Flags().Uint64Var(&seed, "seed", 0, "random seed")
	c.Flags().BoolVar(&labels, "labels", false, "add a last column with the component drawn (1-based)")
	return c
}
