package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	sqlite3 "github.com/mattn/go-sqlite3"
)

func TestOpenCreatesAndMigratesEveryStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, k := range Kinds {
		db, err := Open(ctx, dir, k, Options{})
		if err != nil {
			t.Fatalf("open %s: %v", k, err)
		}
		v, err := Version(ctx, db.R)
		if err != nil {
			t.Fatal(err)
		}
		if v != Latest(k) || v == 0 {
			t.Errorf("%s: version %d, want %d", k, v, Latest(k))
		}
		var mode string
		if err := db.W.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("%s: journal_mode %q (%v), want wal", k, mode, err)
		}
		var fk int
		if err := db.R.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
			t.Errorf("%s: foreign_keys %d (%v), want 1", k, fk, err)
		}
		if err := db.Ping(ctx); err != nil {
			t.Error(err)
		}
		if _, err := db.R.Exec("CREATE TABLE t (x)"); err == nil {
			t.Errorf("%s: read pool accepted a write", k)
		}
		db.Close()
		if _, err := os.Stat(filepath.Join(dir, k.FileName())); err != nil {
			t.Errorf("%s: %v", k, err)
		}
	}
}

func TestMigrateTwiceIsNoOp(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, t.TempDir(), Published, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	count := func() int {
		var n int
		if err := db.R.QueryRow("SELECT count(*) FROM schema_migrations").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	if err := Migrate(ctx, db.W, Published); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	if err := Migrate(ctx, db.W, Published); err != nil {
		t.Fatalf("third migrate: %v", err)
	}
	if after := count(); after != before {
		t.Errorf("migrations recorded %d then %d", before, after)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, dir, Press, Options{})
	if err != nil {
		t.Fatal(err)
	}
	future := Latest(Press) + 1
	if _, err := db.W.Exec(`INSERT INTO schema_migrations VALUES (?, 'from_the_future', '2030-01-01T00:00:00Z')`, future); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, opt := range []Options{{}, {ReadOnly: true}} {
		_, err = Open(ctx, dir, Press, opt)
		if !errors.Is(err, ErrSchemaTooNew) {
			t.Fatalf("readonly=%v: got %v, want ErrSchemaTooNew", opt.ReadOnly, err)
		}
		if !strings.Contains(err.Error(), "press.db") || !strings.Contains(err.Error(), "newer") {
			t.Errorf("error does not say which store and why: %v", err)
		}
	}
}

func TestReadOnlyNeedsExistingFile(t *testing.T) {
	_, err := Open(context.Background(), t.TempDir(), Published, Options{ReadOnly: true})
	if err == nil {
		t.Fatal("read-only open of a missing file succeeded")
	}
}

func TestMigrationsAreNumberedWithoutGaps(t *testing.T) {
	for _, k := range Kinds {
		if _, err := migrationsOf(k); err != nil {
			t.Error(err)
		}
	}
	if _, err := migrationsOf("nope"); err == nil {
		t.Error("unknown store accepted")
	}
}

func TestFailedMigrationLeavesNoTrace(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, t.TempDir(), Private, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	bad := Migration{Version: 99, Name: "0099_bad", SQL: "CREATE TABLE half (x); THIS IS NOT SQL;"}
	if err := apply(ctx, db.W, bad); err == nil {
		t.Fatal("bad migration applied")
	}
	var n int
	db.R.QueryRow("SELECT count(*) FROM sqlite_master WHERE name = 'half'").Scan(&n)
	if n != 0 {
		t.Error("a failed migration left a table behind")
	}
	if v, _ := Version(ctx, db.R); v != Latest(Private) {
		t.Errorf("version %d after failed migration", v)
	}
}

func TestExplain(t *testing.T) {
	full := fmt.Errorf("store facts: %w", sqlite3.Error{Code: sqlite3.ErrFull})
	tests := []struct {
		name string
		err  error
		hint bool
	}{
		{"SQLite full", full, true},
		{"ENOSPC", fmt.Errorf("write: %w", syscall.ENOSPC), true},
		{"other", errors.New("boom"), false},
	}
	for _, tt := range tests {
		got := Explain(tt.err)
		if strings.Contains(got.Error(), "the disk is full") != tt.hint || !errors.Is(got, tt.err) {
			t.Errorf("%s: %v", tt.name, got)
		}
	}
}

// TestPrivateStoreIsPrivate: private.db and its WAL files are readable by
// the portal's user only, new or not.
func TestPrivateStoreIsPrivate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, Private.FileName())
	if err := os.WriteFile(path, nil, 0o644); err != nil { // an old, too open file
		t.Fatal(err)
	}
	db, err := Open(context.Background(), dir, Private, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.W.Exec(`CREATE TABLE IF NOT EXISTS probe (x)`); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal"} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v", filepath.Base(p), st.Mode().Perm())
		}
	}
}

// TestSyntheticMigrationKeepsOldReleasesReal: migration 0006 on a
// published.db written before it marks as synthetic only what the demo
// load made — its run, and its release with every later one, since a
// release holds all the data aggregated before it — and keeps every
// other release real.
func TestSyntheticMigrationKeepsOldReleasesReal(t *testing.T) {
	ctx := context.Background()
	type run struct {
		trigger string
		release int // 0: published nothing
	}
	for _, tc := range []struct {
		name      string
		runs      []run
		releases  []bool // synthetic, by release number from 1
		synthRuns int
	}{
		{"real releases stay real", []run{{"command", 1}, {"schedule", 2}, {"schedule", 0}}, []bool{false, false}, 0},
		{"the demo's release is synthetic", []run{{"demo", 1}}, []bool{true}, 1},
		{"real files on top of the demo hold demo rows", []run{{"demo", 1}, {"schedule", 2}, {"command", 3}}, []bool{true, true, true}, 1},
		{"no release", nil, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, Published.FileName())
			raw, err := sql.Open("sqlite3", "file:"+path)
			if err != nil {
				t.Fatal(err)
			}
			ms, err := migrationsOf(Published)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := raw.Exec(createMigrationsTable); err != nil {
				t.Fatal(err)
			}
			for _, m := range ms[:5] {
				if err := apply(ctx, raw, m); err != nil {
					t.Fatal(err)
				}
			}
			for i, r := range tc.runs {
				id := fmt.Sprintf("run-%d", i)
				var rel any
				if r.release > 0 {
					rel = r.release
					if _, err := raw.Exec(`INSERT INTO release (number, published_at, run_id, k, report) VALUES (?, '2025-01-01T00:00:00Z', ?, 10, '{}')`, r.release, id); err != nil {
						t.Fatal(err)
					}
				}
				if _, err := raw.Exec(`INSERT INTO run (id, trigger, started_at, outcome, release) VALUES (?, ?, ?, 'published', ?)`,
					id, r.trigger, fmt.Sprintf("2025-01-0%dT00:00:00Z", i+1), rel); err != nil {
					t.Fatal(err)
				}
			}
			raw.Close()

			db, err := Open(ctx, dir, Published, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			for n, want := range tc.releases {
				var got bool
				if err := db.R.QueryRow(`SELECT synthetic FROM release WHERE number = ?`, n+1).Scan(&got); err != nil || got != want {
					t.Errorf("release %d: synthetic %v (%v), want %v", n+1, got, err, want)
				}
			}
			var synthRuns int
			db.R.QueryRow(`SELECT count(*) FROM run WHERE synthetic = 1`).Scan(&synthRuns)
			if synthRuns != tc.synthRuns {
				t.Errorf("%d synthetic runs, want %d", synthRuns, tc.synthRuns)
			}
			// New rows are real unless the aggregator says otherwise.
			if _, err := db.W.Exec(`INSERT INTO release (number, published_at, run_id, k, report) VALUES (99, '2025-02-01T00:00:00Z', 'new', 10, '{}')`); err != nil {
				t.Fatal(err)
			}
			var got bool
			if db.R.QueryRow(`SELECT synthetic FROM release WHERE number = 99`).Scan(&got); got {
				t.Error("a new release is synthetic by default")
			}
		})
	}
}

// TestPrivateStoreHasLargePages: a new private.db is made of 64 KiB pages
// in WAL mode, and keeps them when opened again; a private.db made before
// keeps its own pages.
func TestPrivateStoreHasLargePages(t *testing.T) {
	ctx := context.Background()
	pageSize := func(db *DB) (size int, mode string) {
		t.Helper()
		if err := db.W.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&size); err != nil {
			t.Fatal(err)
		}
		if err := db.W.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
			t.Fatal(err)
		}
		return size, mode
	}
	dir := t.TempDir()
	for round := range 2 {
		db, err := Open(ctx, dir, Private, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if size, mode := pageSize(db); size != privatePageSize || mode != "wal" {
			t.Errorf("round %d: page size %d, journal %s; want %d, wal", round, size, mode, privatePageSize)
		}
		db.Close()
	}
	old := t.TempDir()
	raw, err := sql.Open("sqlite3", filepath.Join(old, "private.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`PRAGMA page_size = 4096; CREATE TABLE keep (x)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	db, err := Open(ctx, old, Private, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if size, _ := pageSize(db); size != 4096 {
		t.Errorf("an existing private.db went from 4096 to %d-byte pages", size)
	}
}
