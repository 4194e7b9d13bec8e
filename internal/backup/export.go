package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/portal-data-bansos/portal/internal/store"
)

// ExportRelease writes a self-contained published store holding release n
// only: its row of every published table (those with a release column),
// the release's metadata and its run in the ledger, and the reference
// tables the schema seeds. It reads published.db only, so nothing private
// can reach the file. The file is written under a temporary name, checked
// and renamed; a replica serves it with `portal serve --readonly`.
func ExportRelease(ctx context.Context, published string, n int, out string) (err error) {
	src, err := store.OpenFile(ctx, published, store.Published, store.Options{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	var exists int
	err = src.R.QueryRowContext(ctx, `SELECT count(*) FROM release WHERE number = ?`, n).Scan(&exists)
	src.Close()
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if exists == 0 {
		return fmt.Errorf("export: release %d does not exist in %s", n, filepath.Base(published))
	}

	if err := writeStoreFile(ctx, store.Published, out, func(db *sql.DB) error {
		return copyRelease(ctx, db, published, n)
	}); err != nil {
		return fmt.Errorf("export release %d: %w", n, err)
	}
	return nil
}

// writeStoreFile writes a new store of kind to out: its schema (seeded
// reference tables included) from the migrations, as for any new store,
// then fill's rows, then a vacuum (no freed page keeps what fill left out)
// and an integrity check, all under a temporary name renamed into place,
// so out is whole or absent. Both exports for replicas are made this way.
func writeStoreFile(ctx context.Context, kind store.Kind, out string, fill func(*sql.DB) error) (err error) {
	tmp := filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".part")
	os.Remove(tmp)
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	dst, err := store.OpenFile(ctx, tmp, kind, store.Options{})
	if err != nil {
		return err
	}
	dst.Close()
	db, err := sql.Open("sqlite3", "file:"+tmp)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if err := fill(db); err != nil {
		return err
	}
	for _, q := range []string{"PRAGMA journal_mode=DELETE", "VACUUM"} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	if err := integrity(ctx, db, filepath.Base(out)); err != nil {
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(tmp + suffix)
	}
	return os.Rename(tmp, out)
}

// copyRelease copies release n's rows from the published store at path
// into the empty store db, in one transaction.
func copyRelease(ctx context.Context, db *sql.DB, path string, n int) error {
	if _, err := db.ExecContext(ctx, `ATTACH DATABASE ? AS src`, "file:"+path+"?mode=ro"); err != nil {
		return fmt.Errorf("open %s: %w", filepath.Base(path), err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	tables, err := tableNames(ctx, tx)
	if err != nil {
		return err
	}
	// The release first: the others refer to it.
	copied := 0
	for _, t := range tables {
		cols, err := columns(ctx, tx, t)
		if err != nil {
			return err
		}
		list := `"` + strings.Join(cols, `", "`) + `"`
		var where string
		switch {
		case t == "release":
			where = "number = ?"
		case hasColumn(cols, "release"):
			where = "release = ?"
		default:
			// A reference table the migrations seed (e.g. the
			// demographic categories): already there.
			continue
		}
		res, err := tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO main."%s" (%s) SELECT %s FROM src."%s" WHERE %s`, t, list, list, t, where), n)
		if err != nil {
			return fmt.Errorf("copy %s: %w", t, err)
		}
		if k, _ := res.RowsAffected(); k > 0 {
			copied++
		}
	}
	if copied == 0 {
		return errors.New("nothing copied")
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, `DETACH DATABASE src`)
	return err
}

// tableNames lists the tables of the new store, release first, without
// SQLite's own and the migration ledger.
func tableNames(ctx context.Context, tx *sql.Tx) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name FROM main.sqlite_master WHERE type = 'table'
		AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name <> 'release', name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		names = append(names, s)
	}
	return names, rows.Err()
}

func columns(ctx context.Context, tx *sql.Tx, table string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name FROM pragma_table_info(?, 'main')`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		cols = append(cols, s)
	}
	return cols, rows.Err()
}

func hasColumn(cols []string, name string) bool {
	for _, c := range cols {
		if c == name {
			return true
		}
	}
	return false
}
