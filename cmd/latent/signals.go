package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// interruptSignals are the signals latent treats as Ctrl-C: SIGINT, and
// SIGTERM, which kill, timeout(1), systemd, docker stop and CI runners
// send. A long command stops between two steps, saves what it can (vae
// train writes its checkpoint and says where) and exits with status 1;
// without this, SIGTERM ended a run at once with status 143 and no word.
var interruptSignals = []os.Signal{os.Interrupt, syscall.SIGTERM}

// signalContext returns a context that is cancelled by the first of
// interruptSignals, with an error naming the signal as its cause
// (context.Cause), and the function that releases the signals. After the
// first signal the signals have their default effect again: a second
// Ctrl-C or SIGTERM ends the process at once, even while a checkpoint is
// being written.
func signalContext(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, interruptSignals...)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			signal.Stop(ch)
			cancel(fmt.Errorf("%w by %v", context.Canceled, s))
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel(nil)
	}
}
