// Package table reads the data latent's models are fitted to: tables of
// numbers, one observation per row, with named columns and an optional
// column of class labels kept apart as strings.
//
// Two ways in. Read and ReadCSV load a whole table into memory (a Table,
// whose X is a *mat.Dense for mixture.Fit, nn, vae and biasvar). OpenCSV
// opens a file as a Source, an em.Source that reads the file again, block by
// block, on every pass, so that an EM fit (mixture.FitSource) holds a few
// blocks of a file larger than memory; Reservoir draws a seeded uniform
// sample of any em.Source in one pass, for the initialisation such a fit
// needs. A Source streamed and the same file read whole give the same rows,
// so a streamed fit and an in-memory one give the same bits.
//
// # CSV
//
// The CSV rules are those of every latent command (tested case by case as
// catalog C-01…C-20):
//
//   - Header: detected when some cell of the first row is not a number
//     (HeaderAuto), or forced (HeaderPresent, HeaderAbsent). Without one, the
//     columns are named x1, x2, … (DefaultColumns). Names are trimmed; an
//     empty or duplicated name is an error.
//   - A UTF-8 byte-order mark is dropped; LF, CRLF and lone-CR line ends are
//     all accepted; the delimiter is any one character (',' by default);
//     quoting follows RFC 4180.
//   - Every row has as many fields as the first; empty lines are skipped.
//   - Cells are decimal numbers ("1", "-2.5", "+.5", "3e-4"), spaces around
//     them trimmed. Empty cells, missing-value markers (NA, null, …), NaN and
//     infinities, numbers beyond ±1.8e308, hex floats and digit separators
//     are errors: no latent model takes missing or non-finite data.
//
// Errors about the data are *Error values that say where (file:line:column,
// the column's number and name), what (the offending text) and what to do;
// each wraps one of the sentinel errors (ErrNotNumber, ErrRagged, …) for
// errors.Is. CheckColumns compares a table's columns with those a model was
// fitted on, and its *ColumnsError says which differ.
//
// WriteCSV writes a Table back, numbers in Go's shortest round-trip form,
// so that reading the file gives the same float64 bits.
package table
