package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"

	"github.com/mattn/go-isatty"
)

// exit codes
const (
	exitOK       = 0
	exitFailure  = 1
	exitUsage    = 2
	exitNotReady = 2
)

// command is one subcommand of the portal binary.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) int
}

// env is what a command gets from the process: standard streams and the
// environment. Passing it keeps commands testable in-process.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

func commands() []command {
	return []command{
		{"serve", "serve the site and run the scheduled aggregation (default)", runServe},
		{"aggregate", "ingest distribution files now and publish a release", runAggregate},
		{"generate", "write synthetic distribution files for tests and the demo", runGenerate},
		{"user", "manage press-office accounts (user add NAME --role editor|admin)", runUser},
		{"backup", "write a consistent online copy of the stores to one archive (backup FILE)", runBackup},
		{"restore", "restore a backup archive into a data folder (restore FILE; the portal must be stopped)", runRestore},
		{"release", "export one release as a file for read-only replicas (release export N FILE)", runRelease},
		{"press", "export the public posts and answers for read-only replicas (press export FILE)", runPress},
		{"quarantine", "list or export quarantined rows for the data steward", runQuarantine},
		{"demo", "remove the demo data from a data folder, to start clean with real files (demo remove)", runDemo},
		{"healthcheck", "ask a running portal's /healthz (for container health checks)", runHealthcheck},
	}
}

func notYet(name string) func(context.Context, *env, []string) int {
	return func(_ context.Context, e *env, _ []string) int {
		fmt.Fprintf(e.stderr, "portal %s: not yet implemented\n", name)
		return exitNotReady
	}
}

// softMemoryLimit keeps the Go heap of a run near its live size instead of
// twice it (the garbage collector's default headroom), so aggregating a
// national history stays within a small server's memory. GOMEMLIMIT in the
// environment overrides it.
const softMemoryLimit = 896 << 20

// run is the whole program: main only wires the process to it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(softMemoryLimit)
	}
	name := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	switch name {
	case "help", "-h", "--help":
		printUsage(stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, e, args)
		}
	}
	fmt.Fprintf(stderr, "portal: unknown command %q\n\n", name)
	printUsage(stderr)
	return exitUsage
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "Portal Data Bansos — open data on social assistance distribution.")
	fmt.Fprintln(w, "\nUsage: portal [command] [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'portal COMMAND -h' for a command's flags.")
}

// parseFlags loads the configuration for a command: defaults, then the
// environment, then the flags registered by reg, then validation. It returns
// a non-negative exit code when the command should stop.
func parseFlags(e *env, name string, args []string, reg func(*Config, *flag.FlagSet), extra func(*flag.FlagSet)) (*Config, *flag.FlagSet, int) {
	cfg, err := newConfig(e.getenv)
	if err != nil {
		fmt.Fprintf(e.stderr, "portal %s: %v\n", name, err)
		return nil, nil, exitUsage
	}
	fs := flag.NewFlagSet("portal "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	reg(cfg, fs)
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, nil, exitOK
		}
		return nil, nil, exitUsage
	}
	if err := cfg.validate(); err != nil {
		fmt.Fprintf(e.stderr, "portal %s: invalid settings:\n%v\n", name, indent(err.Error()))
		return nil, nil, exitUsage
	}
	return cfg, fs, -1
}

func indent(s string) string { return "  " + strings.ReplaceAll(s, "\n", "\n  ") }

// newLogger logs text on a terminal and JSON lines otherwise (for log
// collectors), at the configured level.
func newLogger(cfg *Config, w io.Writer) *slog.Logger {
	level, _ := cfg.slogLevel()
	opts := &slog.HandlerOptions{Level: level}
	format := cfg.LogFormat
	if format == "" {
		format = "json"
		if f, ok := w.(interface{ Fd() uintptr }); ok && isatty.IsTerminal(f.Fd()) {
			format = "text"
		}
	}
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}
