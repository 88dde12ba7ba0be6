// Package fileio writes files the way every latent command must: atomically,
// never over an input, and never over an existing file unless asked.
//
// WriteFile writes into a temporary file in the destination's folder, syncs
// it, closes it and renames it over the destination, then syncs the folder.
// A crash or an error at any point leaves either the old file or nothing at
// the destination, never a half-written one; the temporary file is removed
// on error. Rename within one folder is atomic on POSIX file systems.
package fileio
