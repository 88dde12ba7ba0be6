// Package cli holds the checks every command of cmd/latent goes through, so
// that a command added later cannot skip them:
//
//   - [Spec.Check], the outputs guard: a command declares all its inputs
//     and outputs once, and one check, before any work, refuses an output
//     that is an input (by file identity), two outputs that are one file, an
//     output inside an output folder under the name of a file the command
//     writes there, "-" where no stream makes sense (and any "-" when the
//     command prints JSON, Spec.JSON: --json is one document on stdout), a
//     chart without a known image extension (each a [UsageError], exit
//     status 2: the command line contradicts itself), and an existing file
//     without --force or a folder that does not exist (exit status 1: they
//     depend on the disk).
//   - The flag checks ([Validate], [Positive], [NonNegative], [AtLeast],
//     [OneOf], [Want], [Requires], [Exclusive]): a bad flag value is a
//     [UsageError] (exit status 2) naming the flag, found before any work.
//   - [WriteJSON], the one JSON writer for reports: a NaN or an infinity,
//     which JSON cannot hold, is a [NonFiniteError] naming the field
//     (columns[1].sd), never a bare encoder error, and nothing is written.
//
// The two other guards every command and trainer shares live where the
// trainers can call them: the divergence rule, nn.Divergence.Check, and the
// memory guard, internal/memlimit's Check; cmd/latent renames the options
// their errors name to flags.
//
// The package speaks of flags, not options: it is the command line's side
// of the API contract (docs/DESIGN.md), where library errors name options
// and cmd/latent maps them to flags.
package cli
