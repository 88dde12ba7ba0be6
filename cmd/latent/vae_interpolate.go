package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/latentgo/latent/internal/cli"
	"github.com/latentgo/latent/internal/csvio"
	"github.com/latentgo/latent/plots"
)

func newVAEInterpolateCmd(e *env) *cobra.Command {
	var v vaeOut
	var from, to, steps int
	c := &cobra.Command{
		Use:   "interpolate --model MODEL.json [DATA.csv|-] [--data mnist|digits] --from I --to J",
		Short: "Decode the straight line between the codes of two rows",
		Long: `Encode rows I and J (0-based, among the rows --rows picks) to their posterior
means and decode --steps evenly spaced points of the segment between them,
both ends included: Decode((1 − t)·μ(x_I) + t·μ(x_J)). --out writes the decoded
rows as CSV ("-" for stdout), --plot draws them as one row of images.`,
		Example: `  latent vae interpolate --model digits-vae.json --data digits --from 0 --to 5 --steps 10 --plot line.png
  latent vae interpolate --model m.json new.csv --from 3 --to 7 --out line.csv`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := cli.Validate(
				cli.AtLeast("--from", from, 0),
				cli.AtLeast("--to", to, 0),
				cli.AtLeast("--steps", steps, 2),
			); err != nil {
				return err
			}
			if !cmd.Flags().Changed("from") || !cmd.Flags().Changed("to") {
				return usagef("give the two rows to join: --from I --to J")
			}
			m, d, x, _, err := v.load(e, cmd, args)
			if err != nil {
				return err
			}
			if n := rowCount(x); from >= n || to >= n {
				return usagef("--from %d --to %d: the %s rows of %s are 0 to %d", from, to, v.rows, d.Name, n-1)
			}
			line, err := m.Interpolate(x.RawRowView(from), x.RawRowView(to), steps)
			if err != nil {
				return fmt.Errorf("%s: %w", d.Name, err)
			}
			summary, err := writeCSVOut(e, v.out, v.opts, func(w io.Writer) error { return csvio.Write(w, modelColumns(m), line, "", nil) })
			if err != nil {
				return err
			}
			if v.plt != "" && d.Height == 0 {
				return usagef("--plot: the rows of %s are not images; give --image HxW", d.Name)
			} else if c := (&charts{opts: v.opts}); v.plt != "" {
				title := fmt.Sprintf("%s rows %d to %d through the latent space", d.Name, from, to)
				if c.save(v.plt)(plots.VAESamples(line, d.Height, d.Width, steps, title)); c.err != nil {
					return c.err
				}
			}
			if v.asJSON {
				return writeJSON(summary, struct {
					Data    string      `json:"data"`
					Rows    string      `json:"rows"`
					From    int         `json:"from"`
					To      int         `json:"to"`
					Steps   int         `json:"steps"`
					Columns []string    `json:"columns"`
					Decoded [][]float64 `json:"decoded"`
				}{d.Name, v.rows, from, to, steps, modelColumns(m), rowsOf(line)})
			}
			fmt.Fprintf(summary, "%s: %d points from %s row %d to row %d decoded with %s\n", d.Name, steps, v.rows, from, to, v.model)
			wrote(summary, "", v.out, v.plt)
			return nil
		},
	}
	fs := c.Flags()
	fs.IntVar(&from, "from", 0, "the first row (0-based, among --rows)")
	fs.IntVar(&to, "to", 0, "the last row (0-based, among --rows)")
	fs.IntVar(&steps, "steps", 10, "points decoded along the line, both ends included (at least 2)")
	return v.register(c, "decoded points", "draw the decoded points as a row of images", "decoded points")
}
