package main

import (
	"errors"
	"fmt"

	"github.com/latentgo/latent/internal/csvio"
	"github.com/latentgo/latent/table"
)

// gmmDataColumns checks that the columns of the data a gmm command scores
// (predict, score, impute) are the model's features, in order. With
// --no-header the file has no names (the reader calls its columns x1,
// x2, …), so they are matched by position and the command says so on
// stderr (byPosition, as nn predict and vae eval do; issue 22, item 10);
// without it, a file that looks headerless gets the hint to give
// --no-header.
func gmmDataColumns(e *env, cf *csvFlags, name string, tab *csvio.Table, model []string) error {
	if cf.noHeader {
		tab.Columns = byPosition(e, name, tab.Columns, model)
	}
	err := table.CheckColumns(name, tab.Columns, model)
	var ce *table.ColumnsError
	switch {
	case errors.As(err, &ce) && ce.Column < 0:
		return fmt.Errorf("%w, or --label COL to set a label column apart", err)
	case err != nil:
		return fmt.Errorf("%w%s", err, headerHint(tab.Columns, model))
	}
	return nil
}
