package main

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

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
			if asJSON {
				return writeJSON(e.stdout, map[string]string{
					"version": version.Version, "build": version.Long(), "go": runtime.Version(),
				})
			}
			_, err := fmt.Fprintln(e.stdout, version.Long())
			return err
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return c
}
