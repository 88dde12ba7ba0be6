package main

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/latentgo/latent/fastblas"
	"github.com/latentgo/latent/internal/version"
)

func newVersionCmd(e *env) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:     "version",
		Short:   "Print latent's version",
		Example: "  latent version\n  latent version --json",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			blas := "gonum (LATENT_FASTBLAS=off)"
			if fastblas.Enabled() {
				blas = fastblas.Backend()
			}
			if asJSON {
				return writeJSON(e.stdout, map[string]string{
					"version": version.Version, "build": version.Long(), "go": runtime.Version(), "blas": blas,
				})
			}
			_, err := fmt.Fprintf(e.stdout, "%s\nblas: %s\n", version.Long(), blas)
			return err
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}
