package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/portal-data-bansos/portal/internal/backup"
	"github.com/portal-data-bansos/portal/internal/store"
)

// runBackup writes a consistent online copy of the three stores to one
// archive while the site serves.
func runBackup(ctx context.Context, e *env, args []string) int {
	var includeKey bool
	var wait time.Duration
	cfg, fs, code := parseFlags(e, "backup", args, (*Config).registerData, func(fs *flag.FlagSet) {
		fs.BoolVar(&includeKey, "include-key", false, "also put the pseudonymisation key in the archive (anyone holding the archive can then re-identify pseudonyms; see README)")
		fs.DurationVar(&wait, "wait", 30*time.Minute, "how long to wait for a running aggregation to finish before giving up")
	})
	if code >= 0 {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "usage: portal backup [--data DIR] [--include-key] FILE (FILE.tar.gz, or FILE.tar uncompressed)")
		return exitUsage
	}
	log := newLogger(cfg, e.stderr)
	start := time.Now()
	m, err := backup.Backup(ctx, backup.Options{Data: cfg.Data, KeyFile: cfg.KeyFile, IncludeKey: includeKey, Wait: wait, Log: log}, fs.Arg(0))
	if err != nil {
		log.Error("backup failed", "err", store.Explain(err))
		return exitFailure
	}
	var size int64
	if fi, err := os.Stat(fs.Arg(0)); err == nil {
		size = fi.Size()
	}
	log.Info("backup written", "file", fs.Arg(0), "release", m.Release, "bytes", size, "took", time.Since(start).Round(time.Millisecond).String())
	fmt.Fprintf(e.stdout, "Backup of release %d written to %s (%d bytes).\n", m.Release, fs.Arg(0), size)
	if includeKey {
		fmt.Fprintln(e.stderr, "WARNING: this archive contains the pseudonymisation key. With it, anyone who has the"+
			" archive can test whether a NIK is in private.db. Keep it encrypted and apart from ordinary backups.")
	} else if m.KeyFingerprint != "" {
		fmt.Fprintf(e.stdout, "The pseudonymisation key is NOT in the archive: back up %s separately (key fingerprint %s).\n", cfg.KeyFile, m.KeyFingerprint)
	}
	return exitOK
}

// runRestore unpacks a backup into a data folder (the portal must be
// stopped).
func runRestore(ctx context.Context, e *env, args []string) int {
	var force bool
	cfg, fs, code := parseFlags(e, "restore", args, (*Config).registerData, func(fs *flag.FlagSet) {
		fs.BoolVar(&force, "force", false, "replace the stores of a data folder that already has some")
	})
	if code >= 0 {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, "usage: portal restore [--data DIR] [--force] FILE")
		return exitUsage
	}
	log := newLogger(cfg, e.stderr)
	start := time.Now()
	res, err := backup.Restore(ctx, backup.RestoreOptions{Data: cfg.Data, KeyFile: cfg.KeyFile, Force: force}, fs.Arg(0))
	if err != nil {
		log.Error("restore failed", "err", err)
		return exitFailure
	}
	log.Info("restored", "file", fs.Arg(0), "release", res.Manifest.Release, "backup_of", res.Manifest.CreatedAt,
		"took", time.Since(start).Round(time.Millisecond).String())
	fmt.Fprintf(e.stdout, "Restored release %d (backup of %s) into %s.\n", res.Manifest.Release,
		res.Manifest.CreatedAt.Format(time.RFC3339), cfg.Data)
	switch {
	case res.KeyMissing:
		fmt.Fprintf(e.stderr, "WARNING: private.db was built with key %s, which is not at %s. Put the backed-up key file there"+
			" before the next aggregation (the site serves without it; aggregation refuses to run).\n", res.Manifest.KeyFingerprint, cfg.KeyFile)
	case res.KeyMismatch:
		fmt.Fprintf(e.stderr, "WARNING: the key at %s is not the one private.db was built with (%s); aggregation will refuse to run"+
			" until the right key file is there.\n", cfg.KeyFile, res.Manifest.KeyFingerprint)
	}
	return exitOK
}

// runRelease is `portal release export N FILE`: one release as a
// self-contained file for read-only replicas.
func runRelease(ctx context.Context, e *env, args []string) int {
	const use = "usage: portal release export [--data DIR] N FILE"
	if len(args) == 0 || args[0] != "export" {
		fmt.Fprintln(e.stderr, use)
		return exitUsage
	}
	cfg, fs, code := parseFlags(e, "release export", args[1:], (*Config).registerData, nil)
	if code >= 0 {
		return code
	}
	n, err := strconv.Atoi(fs.Arg(0))
	if fs.NArg() != 2 || err != nil || n < 1 {
		fmt.Fprintln(e.stderr, use)
		return exitUsage
	}
	log := newLogger(cfg, e.stderr)
	start := time.Now()
	src := filepath.Join(cfg.Data, store.Published.FileName())
	if err := backup.ExportRelease(ctx, src, n, fs.Arg(1)); err != nil {
		log.Error("export failed", "err", err)
		return exitFailure
	}
	log.Info("release exported", "release", n, "file", fs.Arg(1), "took", time.Since(start).Round(time.Millisecond).String())
	fmt.Fprintf(e.stdout, "Release %d written to %s; serve it with: portal serve --readonly --release-file %s\n", n, fs.Arg(1), fs.Arg(1))
	return exitOK
}

// runPress is `portal press export FILE`: the public part of press.db for
// a read-only replica's --press-file, without askers' personal data,
// sessions, the audit log, password hashes or unpublished posts.
func runPress(ctx context.Context, e *env, args []string) int {
	const use = "usage: portal press export [--data DIR] FILE"
	if len(args) == 0 || args[0] != "export" {
		fmt.Fprintln(e.stderr, use)
		return exitUsage
	}
	cfg, fs, code := parseFlags(e, "press export", args[1:], (*Config).registerData, nil)
	if code >= 0 {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(e.stderr, use)
		return exitUsage
	}
	log := newLogger(cfg, e.stderr)
	start := time.Now()
	if err := backup.ExportPress(ctx, filepath.Join(cfg.Data, store.Press.FileName()), fs.Arg(0)); err != nil {
		log.Error("press export failed", "err", err)
		return exitFailure
	}
	log.Info("press exported", "file", fs.Arg(0), "took", time.Since(start).Round(time.Millisecond).String())
	fmt.Fprintf(e.stdout, "Public posts and answers written to %s; serve them with: portal serve --readonly --release-file FILE --press-file %s\n", fs.Arg(0), fs.Arg(0))
	return exitOK
}
