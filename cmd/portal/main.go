// Command portal is Portal Data Bansos: the public site, the aggregator that
// turns distribution files into releases, and the tools around them, in one
// binary. See README.md for the commands and settings.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	// Embedded time zone data: the schedule runs in Asia/Jakarta even on a
	// minimal image without /usr/share/zoneinfo.
	_ "time/tzdata"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
