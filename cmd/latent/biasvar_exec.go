package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/latentgo/latent/biasvar"
	"github.com/latentgo/latent/internal/cli"
	"github.com/latentgo/latent/internal/fileio"
)

// checkExec: --cmd goes with --learner exec and the other way round;
// --dump with run on a known problem.
func (f *bvFlags) checkExec(fs *pflag.FlagSet) error {
	switch {
	case f.learner == "exec" && strings.TrimSpace(f.cmdLine) == "":
		return usagef("--learner exec needs --cmd, the command that fits and predicts, for example --cmd 'python3 fit_predict.py'")
	case f.learner != "exec" && fs.Changed("cmd"):
		return usagef("--cmd applies to --learner exec only")
	case f.learner != "exec" && fs.Changed("timeout"):
		return usagef("--timeout applies to --learner exec only")
	case f.dump != "" && f.data != "":
		return usagef("--dump applies to Monte Carlo runs (a known problem), not to bootstrap mode (--data)")
	}
	return nil
}

// execLearner is --learner exec: the user's command, run for every round.
func (f *bvFlags) execLearner(params biasvar.Params) (biasvar.Learner, biasvar.Knob, error) {
	if len(params.Fixed) > 0 || params.Knob != "" {
		return nil, biasvar.Knob{}, usagef("--param does not apply to --learner exec: pass the command's own arguments in --cmd")
	}
	words, err := splitWords(f.cmdLine)
	if err != nil {
		return nil, biasvar.Knob{}, usagef("--cmd %s: %v", f.cmdLine, err)
	}
	return biasvar.Exec{Command: words, Timeout: f.timeout}, biasvar.Knob{}, nil
}

// splitWords splits a command line into words as a POSIX shell would
// without expansions: blanks separate words, single quotes keep text as
// it is, double quotes keep blanks, a backslash escapes the next byte.
func splitWords(s string) ([]string, error) {
	var words []string
	var w strings.Builder
	in, quote := false, byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote == '\'' && c != '\'', quote == '"' && c != '"' && c != '\\':
			w.WriteByte(c)
		case quote != 0 && c == quote:
			quote = 0
		case c == '\\' && i+1 < len(s):
			i++
			w.WriteByte(s[i])
			in = true
		case c == '\'' || c == '"':
			quote, in = c, true
		case c == ' ' || c == '\t' || c == '\n':
			if in {
				words = append(words, w.String())
				w.Reset()
				in = false
			}
		default:
			w.WriteByte(c)
			in = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unclosed %c quote", quote)
	}
	if in {
		words = append(words, w.String())
	}
	if len(words) == 0 {
		return nil, fmt.Errorf("empty command")
	}
	return words, nil
}

// dumpFiles are the files --dump writes.
var dumpFiles = []string{"predictions.csv", "targets.csv", "truth.csv"}

func (f *bvFlags) dumpOutput() cli.Output {
	return cli.Output{Flag: "--dump", Path: f.dump, Kind: cli.Folder, Files: dumpFiles}
}

// writeDump writes --dump's files from the run's report.
func (f *bvFlags) writeDump(opts fileio.Options, rep bvReport) error {
	r, ok := rep.(*biasvar.Report)
	if f.dump == "" || !ok {
		return nil
	}
	writers := []func(io.Writer) error{r.WritePredictions, r.WriteTargets, r.WriteTruth}
	for i, name := range dumpFiles {
		if name == "targets.csv" && r.Targets == nil {
			continue
		}
		if err := fileio.WriteFile(filepath.Join(f.dump, name), writers[i], opts); err != nil {
			return err
		}
	}
	return nil
}
