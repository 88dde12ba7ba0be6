// Command latent fits Gaussian mixtures, trains variational autoencoders and
// neural networks, and decomposes a learner's error into bias, variance and
// noise, from CSV files or embedded data, writing JSON models, reports and
// PNG charts.
//
// Run `latent -h` for the commands, and `latent COMMAND -h` for each one's
// flags and an example. Results go to standard output (as text, or as JSON
// with --json); diagnostics and progress bars go to standard error. The exit
// status is 0 on success, 1 on failure and 2 on a usage error. Ctrl-C and
// SIGTERM stop a long command between two steps, as a failure (status 1),
// after it has saved what it can.
package main

import (
	"context"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes the command line args with the given streams and returns the
// exit status. It is main without the process: tests call it directly.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signalContext(context.Background())
	defer stop()
	return execute(ctx, args, stdin, stdout, stderr)
}
