package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/portal-data-bansos/portal/aggregator"
	"github.com/portal-data-bansos/portal/internal/datadir"
	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/internal/store"
	"github.com/portal-data-bansos/portal/internal/synth"
)

// The demo: what `portal serve` loads into a data folder that has never
// had a run, and what `portal demo remove` takes out again
// (docs/interface.md, "Demo data").

// demoRows is the size of the demo loaded on first start: large enough that
// the districts of populous provinces are mostly publishable at k = 10,
// small enough that the first start takes well under 30 s on two cores.
// A variable only so that tests can load a small demo.
var demoRows = 2_000_000

const (
	// demoDir is the folder, inside the data folder, the demo's generated
	// input files are written to.
	demoDir = "demo"
	// pageCacheDir is the site's download and page cache in the data
	// folder.
	pageCacheDir = "cache"
	// demoRemovedFile, in the data folder, records that the demo was
	// removed from it: `portal serve` does not load the demo there again.
	// Deleting the file allows it again.
	demoRemovedFile = "demo-removed"
)

// demoRemoved reports whether the demo was removed from the data folder.
func demoRemoved(data string) (bool, error) {
	_, err := os.Stat(filepath.Join(data, demoRemovedFile))
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	}
	return false, fmt.Errorf("demo marker: %w", err)
}

// loadDemoIfEmpty generates and aggregates a realistic demo when the data
// folder has never had a run (and the demo was never removed from it), so
// a new user sees a full portal at once. Its release is synthetic.
func loadDemoIfEmpty(ctx context.Context, cfg *Config, log *slog.Logger, opt aggregator.Options) error {
	if removed, err := demoRemoved(cfg.Data); err != nil {
		return err
	} else if removed {
		log.Info("the demo was removed from this data folder: not loading it again", "marker", filepath.Join(cfg.Data, demoRemovedFile))
		return nil
	}
	var runs int
	if err := opt.Published.R.QueryRowContext(ctx, `SELECT count(*) FROM run`).Scan(&runs); err != nil {
		return fmt.Errorf("count runs: %w", err)
	}
	if runs > 0 {
		return nil
	}
	lock, err := datadir.TryLock(cfg.Data)
	if err != nil {
		return err
	}
	defer lock.Unlock()
	start := time.Now()
	dir := filepath.Join(cfg.Data, demoDir)
	log.Info("empty data folder: loading the demo (use --no-demo to skip)", "rows", demoRows, "dir", dir)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	if _, err := synth.Generate(ctx, dir, synth.Options{Rows: demoRows, Seed: 1}); err != nil {
		return err
	}
	inputs := []aggregator.Input{
		{Path: filepath.Join(dir, synth.ASNFile), Kind: aggregator.ListASN},
		{Path: filepath.Join(dir, synth.DeceasedFile), Kind: aggregator.ListDeceased},
		{Path: filepath.Join(dir, synth.KuotaFile), Kind: aggregator.ListKuota},
		{Path: filepath.Join(dir, synth.DTSENFile), Kind: aggregator.ListDTSEN},
		{Path: filepath.Join(dir, synth.DistributionFile)},
	}
	opt.Trigger = "demo"
	opt.Synthetic = true
	res, err := aggregator.Run(ctx, opt, inputs)
	if err != nil {
		return err
	}
	log.Info("demo loaded", "release", res.Release, "rows", res.Report.Rows, "took", time.Since(start).Round(time.Millisecond).String())
	return nil
}

// seedDemoPress adds the example press posts when the data folder holds
// the demo and press.db has no post: example posts never sit beside real
// data.
func seedDemoPress(ctx context.Context, pub *store.DB, pr *press.Store, log *slog.Logger) error {
	h, err := aggregator.Holds(ctx, pub.R)
	if err != nil || h != aggregator.HoldsSynthetic {
		return err
	}
	n, err := pr.SeedDemo(ctx, time.Now())
	if err != nil {
		return fmt.Errorf("demo press releases: %w", err)
	}
	if n > 0 {
		log.Info("demo press releases loaded", "posts", n)
	}
	return nil
}

// runDemo is `portal demo remove`.
func runDemo(ctx context.Context, e *env, args []string) int {
	const use = "usage: portal demo remove [--data DIR]"
	if len(args) == 0 || args[0] != "remove" {
		fmt.Fprintln(e.stderr, use)
		return exitUsage
	}
	cfg, fs, code := parseFlags(e, "demo remove", args[1:], (*Config).registerData, nil)
	if code >= 0 {
		return code
	}
	if fs.NArg() != 0 {
		fmt.Fprintln(e.stderr, use)
		return exitUsage
	}
	log := newLogger(cfg, e.stderr)
	res, err := removeDemo(ctx, cfg.Data, time.Now())
	if err != nil {
		fmt.Fprintf(e.stderr, "portal demo remove: %v\n", store.Explain(err))
		return exitFailure
	}
	log.Info("demo removed", "data", cfg.Data, "example_posts", res.posts)
	fmt.Fprintf(e.stdout, "Demo removed from %s: the releases and private state of its synthetic data, the generated files, the page cache and %d example press posts.\n",
		cfg.Data, res.posts)
	if len(res.realFiles) > 0 {
		fmt.Fprintf(e.stdout, "These real files had been added on top of the demo and were removed with it; deliver them to the inbox again: %s\n",
			strings.Join(res.realFiles, ", "))
	}
	fmt.Fprintf(e.stdout, "The key file stays. 'portal serve' will not load the demo into this folder again (%s); the scheduled run takes the files in %s.\n",
		filepath.Join(cfg.Data, demoRemovedFile), cfg.Inbox)
	return exitOK
}

// demoRemoval says what removeDemo did.
type demoRemoval struct {
	posts int
	// realFiles are the distribution files real runs ingested on top of
	// the demo before runs were kept apart (docs/interface.md, "Demo
	// data"): removed with it, to be delivered again.
	realFiles []string
}

// errNoDemo is wrapped by removeDemo's error when the folder holds no
// demo.
var errNoDemo = errors.New("this data folder does not hold the demo")

// removeDemo clears a data folder that holds the demo, under the data
// folder's lock: published.db and private.db (with their -wal and -shm
// files), the generated files, the page cache and the example press
// posts. The key, the inbox and the press office's own posts and accounts
// stay. The marker that keeps `portal serve` from loading the demo again
// is written first, so an interrupted removal can be run again.
func removeDemo(ctx context.Context, data string, now time.Time) (*demoRemoval, error) {
	if _, err := os.Stat(data); err != nil {
		return nil, fmt.Errorf("%w: %v", errNoDemo, err)
	}
	lock, err := datadir.TryLock(data)
	if err != nil {
		return nil, err
	}
	defer lock.Unlock()
	pubPath := filepath.Join(data, store.Published.FileName())
	if _, err := os.Stat(pubPath); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: it has no %s", errNoDemo, store.Published.FileName())
	}
	// A running portal keeps the stores open; removing them under it would
	// leave it serving, and its scheduler writing, files no longer there.
	for _, k := range []store.Kind{store.Published, store.Press} {
		if pid := sqliteHolder(filepath.Join(data, k.FileName())); pid != 0 {
			return nil, fmt.Errorf("a portal (process %d) has %s open: stop it first", pid, k.FileName())
		}
	}

	pub, err := store.Open(ctx, data, store.Published, store.Options{})
	if err != nil {
		return nil, err
	}
	h, err := aggregator.Holds(ctx, pub.R)
	var res demoRemoval
	if err == nil && h == aggregator.HoldsSynthetic {
		res.realFiles, err = realFilesOf(ctx, pub)
	}
	pub.Close()
	switch {
	case err != nil:
		return nil, err
	case h == aggregator.HoldsReal:
		return nil, fmt.Errorf("%w: it holds releases of real data, which 'portal demo remove' never deletes", errNoDemo)
	case h != aggregator.HoldsSynthetic:
		return nil, fmt.Errorf("%w: it holds no data", errNoDemo)
	}

	marker := fmt.Sprintf("The demo was removed from this data folder on %s ('portal demo remove').\n"+
		"'portal serve' does not load the demo here again while this file exists (docs/interface.md, \"Demo data\").\n",
		now.UTC().Format(time.RFC3339))
	if err := os.WriteFile(filepath.Join(data, demoRemovedFile), []byte(marker), 0o640); err != nil {
		return nil, fmt.Errorf("demo marker: %w", err)
	}
	if pressPath := filepath.Join(data, store.Press.FileName()); fileExists(pressPath) {
		db, err := store.Open(ctx, data, store.Press, store.Options{})
		if err != nil {
			return nil, err
		}
		res.posts, err = press.New(db).RemoveDemo(ctx, now)
		db.Close()
		if err != nil {
			return nil, err
		}
	}
	for _, dir := range []string{pageCacheDir, demoDir} {
		if err := os.RemoveAll(filepath.Join(data, dir)); err != nil {
			return nil, fmt.Errorf("remove %s: %w", dir, err)
		}
	}
	// published.db last: until it is gone, the folder still says it holds
	// the demo, and the removal can be run again.
	for _, k := range []store.Kind{store.Private, store.Published} {
		base := filepath.Join(data, k.FileName())
		for _, p := range []string{base + "-wal", base + "-shm", base} {
			if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("remove %s: %w", filepath.Base(p), err)
			}
		}
	}
	return &res, nil
}

// realFilesOf lists the distribution files that runs not marked synthetic
// ingested into a folder holding the demo: possible only in a folder whose
// runs predate the mark.
func realFilesOf(ctx context.Context, pub *store.DB) ([]string, error) {
	rows, err := pub.R.QueryContext(ctx, `SELECT DISTINCT f.name FROM release_file f
		JOIN release r ON r.number = f.release JOIN run u ON u.id = r.run_id
		WHERE u.synthetic = 0 AND f.outcome = 'ingested' AND f.kind = 'penyaluran' ORDER BY f.name`)
	if err != nil {
		return nil, fmt.Errorf("real files: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("real files: %w", err)
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// sqliteHolder returns the id of another process that has the SQLite store
// at path open, or 0. Every connection to a store in WAL mode holds a read
// lock on one byte of its -shm file (the unix VFS's "DMS" byte, offset
// 128) for as long as it is open. Best effort: the calling process must
// not have the store open itself (its own locks are not reported, and
// closing a descriptor of the file would drop them).
func sqliteHolder(path string) int {
	f, err := os.Open(path + "-shm")
	if err != nil {
		return 0
	}
	defer f.Close()
	lk := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: 0, Start: 128, Len: 1}
	if err := syscall.FcntlFlock(f.Fd(), syscall.F_GETLK, &lk); err != nil || lk.Type == syscall.F_UNLCK {
		return 0
	}
	return int(lk.Pid)
}
