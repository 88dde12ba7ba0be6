package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/latentgo/latent/internal/cli"
	"github.com/latentgo/latent/internal/csvio"
	"github.com/latentgo/latent/internal/fileio"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// env is what every command reads and writes besides its flags.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// usageError marks a mistake in the command line (exit status 2), as
// cli.UsageError does; cli.IsUsage recognises both.
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }
func (u usageError) IsUsage() bool { return true }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// execute builds the command tree, runs args and maps the outcome to an exit
// status, printing any error as one line on stderr (never a stack trace).
func execute(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	// A panic is a bug in latent, never the user's fault: say so in one
	// line and keep the stack for LATENT_TRACEBACK=1.
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "latent: internal error: %v\nThis is a bug in latent; please report it with the command line. Set LATENT_TRACEBACK=1 to print the stack.\n", r)
			if os.Getenv("LATENT_TRACEBACK") != "" {
				stderr.Write(debug.Stack())
			}
			code = exitFailure
		}
	}()
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	root := newRoot(e)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	if cli.IsUsage(err) || isCobraUsage(err) {
		fmt.Fprintf(stderr, "latent: %v\nRun '%s -h' for usage.\n", err, cmd.CommandPath())
		return exitUsage
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "latent: interrupted")
		return exitFailure
	}
	fmt.Fprintf(stderr, "latent: %v\n", err)
	return exitFailure
}

// isCobraUsage recognises the errors cobra itself returns for a bad command
// line (it has no typed errors for them).
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "accepts ", "requires at least", "requires at most", "flag needs an argument", "invalid argument"} {
		if strings.HasPrefix(msg, p) || strings.Contains(msg, " "+p) {
			return true
		}
	}
	return false
}

func newRoot(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "latent",
		Short: "Gaussian mixtures, variational autoencoders and bias-variance decompositions",
		Long: `latent fits Gaussian mixtures by EM, trains variational autoencoders and small
neural networks on its own autodiff core, and decomposes a learner's error into
noise, bias² and variance, from CSV files or embedded data sets.

Results go to stdout (text, or JSON with --json); diagnostics go to stderr.
Exit status: 0 ok, 1 failure, 2 usage error. A file argument of "-" reads stdin.`,
		Example: `  latent demo --out tour            # the tour on embedded data: charts and a report
  latent data export iris > iris.csv
  latent data describe iris.csv`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return usagef("no command given")
		},
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	root.SetHelpCommand(newHelpCmd(root))
	root.AddCommand(
		newDemoCmd(e),
		newDataCmd(e),
		withMixHint(newGmmCmd(e)), newMixCmd(e), // mix.go
		newNNCmd(e),
		newVAECmd(e),
		newBiasvarCmd(e),
		newVersionCmd(e),
	)
	return root
}

// newHelpCmd is cobra's help command, except that an unknown topic is a
// usage error listing the topics (cobra printed the root's help and exited
// 0).
func newHelpCmd(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		Long: `Help provides help for any command in the application.
Simply type ` + root.Name() + ` help [path to command] for full details.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(c *cobra.Command, args []string) error {
			cmd, rest, err := root.Find(args)
			if err != nil || len(rest) > 0 {
				if cmd == nil {
					cmd = root
				}
				var topics []string
				for _, s := range cmd.Commands() {
					if s.IsAvailableCommand() || s.Name() == "help" {
						topics = append(topics, s.Name())
					}
				}
				return usagef("unknown help topic %q; the topics are %s", strings.Join(args, " "), strings.Join(topics, ", "))
			}
			cmd.InitDefaultHelpFlag() // as cobra's own help command does
			return cmd.Help()
		},
	}
}

// group returns a command that only holds subcommands: run bare, or with an
// unknown subcommand, it is a usage error.
func group(use, short, example string, subs ...*cobra.Command) *cobra.Command {
	c := &cobra.Command{
		Use:     use,
		Short:   short,
		Example: example,
		Args:    cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			names := []string{}
			for _, s := range cmd.Commands() {
				names = append(names, s.Name())
			}
			if len(args) > 0 {
				return usagef("unknown command %q for %q; the commands are %s", args[0], cmd.CommandPath(), strings.Join(names, ", "))
			}
			return usagef("%q needs a command: %s", cmd.CommandPath(), strings.Join(names, ", "))
		},
	}
	c.AddCommand(subs...)
	return c
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("unknown command %q for %q", args[0], cmd.CommandPath())
	}
	return nil
}

func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("%s takes %s (got %d arguments)", cmd.CommandPath(), what, len(args))
		}
		return nil
	}
}

// csvFlags are the flags of every command that reads a CSV file.
type csvFlags struct {
	header, noHeader bool
	delimiter        string
	label            string
	maxRows          int
}

func (f *csvFlags) register(fs *pflag.FlagSet, withLabel bool) {
	fs.BoolVar(&f.header, "header", false, "the first row is a header (default: detected)")
	fs.BoolVar(&f.noHeader, "no-header", false, "the first row is data (default: detected)")
	fs.StringVar(&f.delimiter, "delimiter", ",", `field delimiter: one character, or "tab"`)
	fs.IntVar(&f.maxRows, "max-rows", 0, "fail on files with more data rows than this (0: no limit)")
	if withLabel {
		fs.StringVar(&f.label, "label", "", "name (or 1-based number) of a column holding class labels, read as text")
	}
}

func (f *csvFlags) options(name string) (csvio.Options, error) {
	o := csvio.Options{Name: name, Label: f.label, MaxRows: f.maxRows}
	switch {
	case f.header && f.noHeader:
		return o, usagef("--header and --no-header cannot both be given")
	case f.header:
		o.Header = csvio.HeaderPresent
	case f.noHeader:
		o.Header = csvio.HeaderAbsent
	}
	d := f.delimiter
	switch strings.ToLower(d) {
	case "tab", `\t`:
		d = "\t"
	case "space":
		d = " "
	}
	r := []rune(d)
	if err := cli.Want("--delimiter", f.delimiter, len(r) == 1, `give exactly one character (or "tab")`); err != nil {
		return o, err
	}
	o.Delimiter = r[0]
	return o, cli.Validate(
		delimiterCheck(f.delimiter, o.Delimiter),
		cli.Want("--max-rows", f.maxRows, f.maxRows >= 0, "must be 0 (no limit) or positive"),
	)
}

// delimiterCheck refuses a delimiter CSV cannot use (csvio.CheckDelimiter);
// given is the flag's value as typed, r the character it names.
func delimiterCheck(given string, r rune) error {
	err := csvio.CheckDelimiter(r)
	return cli.Want("--delimiter", given, err == nil, fmt.Sprint(err))
}

// readCSV reads path ("-" for stdin) with the flags' options.
func (f *csvFlags) read(e *env, path string) (*csvio.Table, error) {
	name := path
	if path == "-" {
		name = "<stdin>"
	}
	o, err := f.options(name)
	if err != nil {
		return nil, err
	}
	return csvio.ReadFile(path, e.stdin, o)
}

// outFlags are the flags of every command that writes a file.
type outFlags struct {
	force bool
}

func (f *outFlags) register(fs *pflag.FlagSet) {
	fs.BoolVar(&f.force, "force", false, "replace output files that already exist")
}

func (f *outFlags) options(inputs ...string) fileio.Options {
	return fileio.Options{Force: f.force, Inputs: inputs}.WithForceFlag("--force")
}

// spec declares a command's inputs and outputs for the outputs guard,
// with --force: `opts, err := of.spec(inputs, outputs...).Check()` before
// any work, then opts for every write.
func (f *outFlags) spec(inputs []string, outputs ...cli.Output) cli.Spec {
	return cli.Spec{Inputs: inputs, Outputs: outputs, Force: f.force}
}

// checkOutputs is the outputs guard (cli.Spec.Check) for the commands that
// do not declare their outputs with flag names yet: each file may be "-"
// (stdout), each chart is checked by its extension, two outputs may not be
// one file, and none may be an input or an existing file without --force.
// Empty paths are skipped.
func checkOutputs(opts fileio.Options, files []string, charts ...string) error {
	s := cli.Spec{Inputs: opts.Inputs, Force: opts.Force}
	for _, p := range files {
		s.Outputs = append(s.Outputs, cli.Output{Flag: "the output", Path: p, Kind: cli.Stream})
	}
	for _, p := range charts {
		s.Outputs = append(s.Outputs, cli.Output{Flag: "the chart", Path: p, Kind: cli.Chart})
	}
	_, err := s.Check()
	return err
}

// writeJSON prints v as indented JSON on w: all of it, or nothing and an
// error naming the field when v holds a NaN or an infinity (cli.WriteJSON).
func writeJSON(w io.Writer, v any) error { return cli.WriteJSON(w, v) }

// isTerminal reports whether w is a terminal (for progress bars).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	return termIsTerminal(int(f.Fd()))
}
