// Package store opens the portal's three SQLite files and keeps their schemas
// current.
//
// The portal keeps three stores with three purposes (see DESIGN.md):
// published.db holds the immutable releases the site serves, private.db holds
// what must never be published (keyed pseudonyms, quarantined rows, the run
// ledger) and is opened only by the aggregator, and press.db holds the press
// office's posts and accounts. Splitting them makes "the site cannot leak
// what it cannot open" true by construction.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	// The cgo SQLite driver registers itself as "sqlite3".
	sqlite3 "github.com/mattn/go-sqlite3"
)

// Kind names one of the three stores; it is also the file's base name.
type Kind string

// The three stores.
const (
	Published Kind = "published"
	Private   Kind = "private"
	Press     Kind = "press"
)

// Kinds lists every store, in the order they are opened.
var Kinds = []Kind{Published, Private, Press}

// FileName is the store's file name inside the data folder.
func (k Kind) FileName() string { return string(k) + ".db" }

//go:embed migrations
var migrationFS embed.FS

// ErrSchemaTooNew is returned when a store was written by a newer portal
// than this one: running old code on a newer schema could corrupt it.
var ErrSchemaTooNew = errors.New("schema is newer than this portal knows")

// busyTimeout is how long a connection waits for a lock before it reports
// SQLITE_BUSY. The aggregator publishes a release in one transaction while
// the site reads; WAL lets readers go on, and writers queue for this long.
const busyTimeout = 10 * time.Second

// DB is an open store: one writer connection and a pool of readers.
//
// SQLite allows one writer at a time; giving the writer its own pool of
// exactly one connection makes Go queue writes instead of SQLite failing
// them with "database is locked", while readers run in parallel under WAL.
type DB struct {
	Kind Kind
	Path string
	// W is the only connection that writes. Nil when opened read-only.
	W *sql.DB
	// R is a pool of read-only connections.
	R *sql.DB
}

// Options change how a store is opened.
type Options struct {
	// ReadOnly opens the file without migrating it and without a writer,
	// e.g. for a replica serving an exported release. The schema must still
	// be one this portal knows.
	ReadOnly bool
	// Immutable, with ReadOnly, promises SQLite the file never changes
	// while open (an exported release file): no locks, no shared memory
	// file, so it can live on a read-only filesystem.
	Immutable bool
}

// Open opens (creating when absent) the store of the given kind in dir and
// migrates it to the newest schema this portal knows.
func Open(ctx context.Context, dir string, kind Kind, opt Options) (*DB, error) {
	return OpenFile(ctx, filepath.Join(dir, kind.FileName()), kind, opt)
}

// OpenFile is Open for an explicit file path.
func OpenFile(ctx context.Context, path string, kind Kind, opt Options) (*DB, error) {
	if _, err := migrationsOf(kind); err != nil {
		return nil, err
	}
	if opt.ReadOnly {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("store: open %s read-only: %w", path, err)
		}
	} else if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("store: create folder for %s: %w", path, err)
	} else if err := checkWritable(filepath.Dir(path)); err != nil {
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	if kind == Private && !opt.ReadOnly {
		// Quarantined raw rows (NIK, KK, names) and true values live
		// here: readable by the portal's user only. SQLite gives its
		// -wal and -shm files the main file's mode.
		if err := restrict(path); err != nil {
			return nil, err
		}
		if err := largePages(ctx, path); err != nil {
			return nil, err
		}
	}
	db := &DB{Kind: kind, Path: path}
	var err error
	if !opt.ReadOnly {
		// _txlock=immediate: a write transaction takes the write lock at
		// BEGIN, so two writers never deadlock upgrading read locks.
		// _foreign_keys: SQLite leaves foreign keys off unless asked, per
		// connection; our schemas rely on them to keep children consistent.
		db.W, err = sql.Open("sqlite3", dsn(path, map[string]string{
			"_journal_mode": "WAL",
			"_synchronous":  "NORMAL",
			"_busy_timeout": strconv.Itoa(int(busyTimeout / time.Millisecond)),
			"_foreign_keys": "on",
			"_txlock":       "immediate",
		}))
		if err != nil {
			return nil, fmt.Errorf("store: open %s: %w", path, err)
		}
		db.W.SetMaxOpenConns(1)
		db.W.SetMaxIdleConns(1)
		db.W.SetConnMaxLifetime(0)
		if err := db.W.PingContext(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("store: open %s: %w", path, err)
		}
		if err := Migrate(ctx, db.W, kind); err != nil {
			db.Close()
			return nil, fmt.Errorf("store: %s: %w", path, err)
		}
	}
	ro := map[string]string{
		"_busy_timeout": strconv.Itoa(int(busyTimeout / time.Millisecond)),
		"_foreign_keys": "on",
		"_query_only":   "true",
	}
	if opt.ReadOnly {
		ro["mode"] = "ro"
		if opt.Immutable {
			ro["immutable"] = "1"
		}
	}
	db.R, err = sql.Open("sqlite3", dsn(path, ro))
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s for reading: %w", path, err)
	}
	db.R.SetMaxOpenConns(max(4, runtime.NumCPU()*2))
	db.R.SetMaxIdleConns(max(4, runtime.NumCPU()*2))
	if opt.ReadOnly {
		if err := checkVersion(ctx, db.R, kind); err != nil {
			db.Close()
			return nil, fmt.Errorf("store: %s: %w", path, err)
		}
	}
	return db, nil
}

// checkWritable fails clearly when a folder cannot take the store, its
// journal and its shared-memory file: SQLite would only say "unable to
// open database file", naming the wrong cause.
func checkWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("the folder %s is not writable (%w): the portal writes its stores and their journals there"+
			" (to serve without writing, use 'portal serve --readonly --release-file FILE')", dir, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// Explain adds what an operator can do to an error a store gave: a full
// disk says so, and that SQLite rolls an interrupted write back.
func Explain(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && se.Code == sqlite3.ErrFull || errors.Is(err, syscall.ENOSPC) {
		return fmt.Errorf("%w (the disk is full: free space and run again; SQLite rolls an interrupted write back, so every store keeps its last complete state)", err)
	}
	return err
}

func dsn(path string, params map[string]string) string {
	q := url.Values{}
	for k, v := range params {
		q.Set(k, v)
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// Close closes both pools.
func (db *DB) Close() error {
	var errs []error
	if db.R != nil {
		errs = append(errs, db.R.Close())
	}
	if db.W != nil {
		errs = append(errs, db.W.Close())
	}
	return errors.Join(errs...)
}

// Ping checks that the store answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.R.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("store: ping %s: %w", db.Kind, err)
	}
	return nil
}

// Migration is one numbered schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// migrationsOf lists the embedded migrations of a store, in version order.
// File names are NNNN_name.sql; versions start at 1 without gaps.
func migrationsOf(kind Kind) ([]Migration, error) {
	dir := "migrations/" + string(kind)
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, fmt.Errorf("store: unknown store %q: %w", kind, err)
	}
	var ms []Migration
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("store: migration %s/%s: name must be NNNN_name.sql", kind, name)
		}
		body, err := fs.ReadFile(migrationFS, dir+"/"+name)
		if err != nil {
			return nil, fmt.Errorf("store: read migration %s/%s: %w", kind, name, err)
		}
		ms = append(ms, Migration{Version: v, Name: strings.TrimSuffix(name, ".sql"), SQL: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("store: migrations of %s: expected version %d, found %s", kind, i+1, m.Name)
		}
	}
	return ms, nil
}

// Latest is the newest schema version this portal knows for a store.
func Latest(kind Kind) int {
	ms, err := migrationsOf(kind)
	if err != nil {
		return 0
	}
	return len(ms)
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	applied_at TEXT NOT NULL
)`

// Version reports the schema version recorded in a store (0 when none).
func Version(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (int, error) {
	var exists int
	if err := q.QueryRowContext(ctx,
		`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&exists); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	if exists == 0 {
		return 0, nil
	}
	var v int
	if err := q.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}

func checkVersion(ctx context.Context, db *sql.DB, kind Kind) error {
	v, err := Version(ctx, db)
	if err != nil {
		return err
	}
	if latest := Latest(kind); v > latest {
		return fmt.Errorf("%w: %s.db has schema version %d, this portal knows up to %d; run a newer portal or restore a backup", ErrSchemaTooNew, kind, v, latest)
	} else if v < latest {
		return fmt.Errorf("%s.db has schema version %d, this portal needs %d; open it once without --readonly to migrate it", kind, v, latest)
	}
	return nil
}

// Migrate applies the store's pending migrations, each in its own
// transaction, and records them in schema_migrations. Applying twice is a
// no-op. A store whose recorded version is newer than the newest migration
// known is refused with ErrSchemaTooNew.
func Migrate(ctx context.Context, w *sql.DB, kind Kind) error {
	ms, err := migrationsOf(kind)
	if err != nil {
		return err
	}
	if _, err := w.ExecContext(ctx, createMigrationsTable); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	cur, err := Version(ctx, w)
	if err != nil {
		return err
	}
	if cur > len(ms) {
		return fmt.Errorf("%w: %s.db has schema version %d, this portal knows up to %d; run a newer portal or restore a backup", ErrSchemaTooNew, kind, cur, len(ms))
	}
	for _, m := range ms[cur:] {
		if err := apply(ctx, w, m); err != nil {
			return fmt.Errorf("migration %s/%s: %w", kind, m.Name, err)
		}
	}
	return nil
}

func apply(ctx context.Context, w *sql.DB, m Migration) error {
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx,
		`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.Version, m.Name, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	return tx.Commit()
}

// restrict creates path with mode 0600 when it is missing, and takes the
// group's and others' rights away from it and its WAL files when not.
// privatePageSize is the page size of a new private.db. Its bulk is
// blobs of a megabyte (seen ids, receipts, facts): 64 KiB pages, SQLite's
// largest, write and read them twice as fast as the default 4 KiB, and
// the few small tables lose little to them.
const privatePageSize = 65536

// largePages gives a new (empty) database file privatePageSize pages. The
// page size is fixed once a database is in WAL mode, so it is set by a
// connection of its own before the store's, which ask for WAL. A file
// that already holds a database keeps its pages.
func largePages(ctx context.Context, path string) error {
	fi, err := os.Stat(path)
	if err != nil || fi.Size() > 0 {
		return err
	}
	db, err := sql.Open("sqlite3", dsn(path, nil))
	if err != nil {
		return fmt.Errorf("store: create %s: %w", path, err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, fmt.Sprintf("PRAGMA page_size = %d; PRAGMA journal_mode = WAL", privatePageSize)); err != nil {
		return fmt.Errorf("store: create %s: %w", path, err)
	}
	return db.Close()
}

func restrict(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("store: create %s: %w", path, err)
	}
	f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Chmod(p, 0o600); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("store: restrict %s: %w", p, err)
		}
	}
	return nil
}
