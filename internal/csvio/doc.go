// Package csvio reads numeric CSV data for every latent command, with errors
// that say what is wrong, where, and what to do.
//
// A file is a table of numbers, one observation per row, with an optional
// header row and an optional label column kept apart as strings. The rules
// (tested case by case, test cases C-01…C-20 of docs/testcases.md):
//
//   - Header: in HeaderAuto mode the first row is a header when some cell in
//     it is not a number; HeaderPresent and HeaderAbsent force it (the CLI's
//     --header and --no-header). Without a header, columns are named x1, x2, …
//     Header names are trimmed of spaces; an empty or duplicated name is an
//     error.
//   - Encoding: a UTF-8 byte-order mark is removed; LF, CRLF and lone-CR
//     line ends are all accepted (lone CRs become LFs before parsing).
//   - Delimiter: any single character, ',' by default. Quoting follows RFC
//     4180; a bare or unterminated quote is an error with its line and column.
//   - Rows: every row has as many fields as the first; a short or long row is
//     an error (never padded). Completely empty lines are skipped.
//   - Cells: decimal numbers as written by people and by every common tool:
//     an optional sign, digits, an optional point and exponent ("1", "-2.5",
//     "+.5", "5.", "3e-4"). Spaces and tabs around a number are trimmed.
//     Rejected, each with its own message: empty cells and missing-value
//     markers (NA, N/A, null, -nan…), unless Options.Missing asks for them
//     to be read as missing values (NaN: empty cells and the markers it
//     lists; a row with every value missing is still an error); NaN and
//     infinities in any spelling; numbers beyond ±1.8e308
//     ("1e400"); hex floats ("0x1p-2") and digit separators ("1_000"), which
//     Go's strconv accepts but no CSV writer produces; anything else. Numbers
//     below the smallest subnormal ("1e-400") become 0, as in every parser.
//   - Errors are *Error values: file:line:column, the column's name, the
//     offending text (quoted, so NUL bytes and invalid UTF-8 show), and a hint.
//     Each wraps a sentinel (ErrNotNumber, ErrRagged, …) for errors.Is.
//
// Options.Weights and Options.Known read a column apart as the rows'
// weights (finite, ≥ 0, each bad one refused with its line, not all 0) and
// as their known classes (text; empty for unknown): Table.Weights and
// Table.Known, Reader.Weight and Reader.Known (extra.go).
//
// Reading streams: a Reader keeps one record in memory, and ReadChunk fills
// a caller's matrix a block of rows at a time, so a file larger than memory
// can be processed in bounded memory (latent's streaming EM reads this way).
// ReadAll collects everything into one matrix.
//
// Fast path (fast.go): an input that can be re-read (a file) is cut into
// 1 MiB chunks of whole lines, parsed on every core with a float parser that
// allocates nothing and gives strconv.ParseFloat's bits (Clinger's exact
// case, strconv for the rest), and merged in file order, so the result does
// not depend on GOMAXPROCS. It honours Missing, Weights and Known. Anything
// unusual (a quote, a lone CR, a ragged row, a bad cell, an over-long line)
// hands the input back to the exact reader from its start, so rows and
// errors are the exact reader's; FuzzFastExact checks that. NewFast is the
// streaming form (ReadChunk, ReadChunkWeights).
//
// Guards: a line longer than Options.MaxLine (DefaultMaxLine, 16 MiB) is
// ErrLineLength at its line, so an endless line (/dev/zero) cannot exhaust
// memory; offending text is quoted cut at about 80 bytes with its length; a
// UTF-16 file (its byte-order mark, or zero bytes between ASCII ones) is
// ErrEncoding with the advice to convert it; in HeaderAuto mode a cell in a
// text column given by number (Label or Known "5") does not make the first
// row a header, so a headerless file with a text label keeps its first row.
package csvio
