package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/latentgo/latent/internal/cli"
	"github.com/latentgo/latent/internal/memlimit"
	"github.com/latentgo/latent/nn"
)

// withFlags speaks of flags where a library's error speaks of options,
// for the two guards every trainer shares: the memory guard's options to
// lower (a *memlimit.Error, exit status 1) and the divergence rule's
// learning-rate option (an *nn.DivergedError). flags maps option names
// ("ClassifierOptions.Hidden") to flags ("--hidden"); names it lacks stay.
// Other errors pass unchanged.
func withFlags(err error, flags map[string]string) error {
	var me *memlimit.Error
	if errors.As(err, &me) {
		e := *me
		e.Lower = make([]string, len(me.Lower))
		for i, l := range me.Lower {
			e.Lower[i] = l
			if f, ok := flags[l]; ok {
				e.Lower[i] = f
			}
		}
		return &e
	}
	var de *nn.DivergedError
	if errors.As(err, &de) {
		if f, ok := flags[de.LROption]; ok {
			de.LROption = f
		}
	}
	return err
}

// declare is how a command declares, once, everything it reads and
// writes, for the outputs guard (cli.Spec.Check) to check before any
// work: the input files (paths; "" and "-" are skipped), the outputs
// named by their flags, --force, and --json (which owns standard
// output). `opts, err := declare(&of, asJSON, inputs, outputs...).Check()`
// and opts for every write.
func declare(of *outFlags, asJSON bool, inputs []string, outputs ...cli.Output) cli.Spec {
	s := of.spec(inputs, outputs...)
	s.JSON = asJSON
	return s
}

// byPosition is how data read with --no-header meet a model's columns: a
// headerless file has no names (the reader calls its columns x1, x2, …),
// so its columns are matched to the model's by position, and the command
// says so on stderr. It returns the model's names when the counts agree
// (the count is still checked by the model's own check), the data's
// otherwise.
func byPosition(e *env, data string, have, model []string) []string {
	named := false
	for _, c := range model {
		named = named || c != ""
	}
	if len(have) != len(model) || !named {
		return have
	}
	fmt.Fprintf(e.stderr, "latent: %s has no header (--no-header): its %d columns are taken as the model's, by position (%s)\n",
		data, len(model), abbreviateNames(model))
	return model
}

// abbreviateNames lists the first five names, then "…".
func abbreviateNames(names []string) string {
	if len(names) > 5 {
		return strings.Join(names[:5], ", ") + ", …"
	}
	return strings.Join(names, ", ")
}

// headerHint is the end of a column-mismatch message for data whose
// columns are the names the reader gives a file without a header (x1,
// x2, …) and as many as the model's: give --no-header to match them by
// position.
func headerHint(have, model []string) string {
	if len(have) != len(model) {
		return ""
	}
	for j, c := range have {
		if c != "x"+strconv.Itoa(j+1) {
			return ""
		}
	}
	return "; the file has no header: give --no-header to take its columns as the model's, by position"
}

// dataFile is the file a --data flag names, "" for an embedded data set
// (whose names are not files).
func dataFile(data string) string {
	switch data {
	case "mnist", "digits", "iris", "faithful":
		return ""
	}
	return data
}

// sameFile reports whether a and b name one existing file (links and
// spellings such as ./x count); false when either is "" or missing.
func sameFile(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}
