// Package fileio writes files the way every latent command must: atomically,
// never over an input, and never over an existing file unless asked.
//
// WriteFile writes into a temporary file in the destination's folder, syncs
// it, closes it and renames it over the destination, then syncs the folder.
// A crash or an error at any point leaves either the old file or nothing at
// the destination, never a half-written one; the temporary file is removed
// on error. Rename within one folder is atomic on POSIX file systems.
//
// A process killed during a write (kill -9) cannot remove its temporary
// file, ".NAME.tmp-PID-RANDOM": the next write to the same destination,
// by any command, removes the temporary files whose writer no longer runs
// (RemoveStale), so that they do not pile up.
package fileio
