package main

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/latentgo/latent/mixture"
)

// gmmMclustFlags are gmm fit's flags of mclust's behaviour: --defaults
// mclust and --hc-use.
type gmmMclustFlags struct {
	defaults, hcUse string
	on              bool // --defaults mclust
}

func (f *gmmMclustFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.defaults, "defaults", "", "mclust: fit as R's Mclust(X) — hc start, mclust's EM (relative change of the log-likelihood below --tol 1e-5, no iteration limit), no --reg-covar, mclust's BIC sign; without -k and --cov, K = 1…9 over every mclust model")
	fs.StringVar(&f.hcUse, "hc-use", "SVD", "with --init hc or --defaults mclust: the data transformation of the hierarchical clustering (mclust's hcUse): VARS, STD, SPH, PCS, PCR, SVD or RND")
}

// apply checks the flags and, for --defaults mclust, sets what mclust
// does where the user gave nothing: K = 1…9, every model, hc, tol 1e-5,
// no regularisation and no iteration limit.
func (f *gmmMclustFlags) apply(fs *pflag.FlagSet, g *gmmFit, ff *gmmFitFlags) error {
	use, err := mixture.ParseHCTransform(f.hcUse)
	if err != nil {
		return usagef("--hc-use %q: use VARS, STD, SPH, PCS, PCR, SVD or RND", f.hcUse)
	}
	if use != mixture.HCSVD || fs.Changed("hc-use") {
		g.o.HC = &mixture.HCOptions{Use: use, Seed: ff.seed}
	}
	switch strings.ToLower(strings.TrimSpace(f.defaults)) {
	case "":
		if fs.Changed("hc-use") && g.o.Init != mixture.InitHC {
			return usagef("--hc-use sets the hierarchical clustering of --init hc or --defaults mclust; give one of them")
		}
		return nil
	case "mclust":
	default:
		return usagef("--defaults %q: the one preset is mclust", f.defaults)
	}
	f.on = true
	for _, c := range []struct{ flag, why string }{
		{"reg-covar", "mclust fits without regularisation"},
		{"n-init", "mclust's hc start is deterministic"},
		{"stream", "mclust's EM runs on the data in memory"},
		{"bayes", "mclust's EM is maximum likelihood (or MAP with --prior conjugate)"},
		{"online", "mclust's EM is a batch EM"},
		{"plot-trace", "mclust's EM keeps no per-iteration trace"},
		{"missing", "mclust does not take missing values"},
		{"weights", "mclust does not take weights"},
		{"known", "use R's MclustSSC semantics through --known without --defaults"},
		{"fix", "mclust fixes no parameters"},
	} {
		if fs.Lookup(c.flag) != nil && fs.Changed(c.flag) {
			return usagef("--%s cannot be used with --defaults mclust: %s", c.flag, c.why)
		}
	}
	if fs.Changed("init") && g.o.Init != mixture.InitHC {
		return usagef("--init %s cannot be used with --defaults mclust, which starts from hc", ff.init)
	}
	if !ff.kGiven {
		g.ks = []int{1, 2, 3, 4, 5, 6, 7, 8, 9}
	}
	if !fs.Changed("cov") {
		g.mclust = true // every mclust model for the data's dimension
	}
	g.o.Init, g.o.RegCovar, g.o.NInit = mixture.InitHC, mixture.NoRegCovar, 0
	g.o.Tol, g.o.MaxIter = 0, 0 // mclust's 1e-5, no limit
	if fs.Changed("tol") {
		g.o.Tol = ff.tol
	}
	if fs.Changed("max-iter") {
		g.o.MaxIter = ff.maxIter
	}
	return nil
}

// writeMclust prints the table as mclust prints it, then latent's.
func writeMclust(b *bytes.Buffer, sel *mixture.Selection) {
	sel.WriteMclust(b)
	best := sel.Candidates[sel.Best]
	fmt.Fprintf(b, "Best: %s,%d (mclust's BIC %.4f, ICL %.4f, log-likelihood %.4f, %d parameters)\n\n",
		best.Model, best.K, best.MclustBIC, best.MclustICL, best.TotalLogLik, best.NumParams)
}
