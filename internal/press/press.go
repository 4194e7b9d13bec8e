// Package press is the press office's domain: accounts and sessions, posts
// (press releases, announcements, clarifications) with their public
// revisions, attachments, the audit log, Markdown rendering and the
// publication of scheduled posts. It keeps everything in press.db.
package press

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/portal-data-bansos/portal/internal/apperr"
	"github.com/portal-data-bansos/portal/internal/store"
)

// The press domain's errors; internal/apperr gives each its HTTP status.
var (
	ErrNotFound  = &apperr.Error{Kind: apperr.NotFound, Code: "not_found"}
	ErrForbidden = &apperr.Error{Kind: apperr.Forbidden}
	ErrConflict  = &apperr.Error{Kind: apperr.Conflict}
)

// invalid says which field of a form is wrong and why: key names the
// reason in the message catalogue ("invalid." + key), with its args.
func invalid(field, key string, args ...any) error {
	return apperr.FieldError(field, "invalid."+key, args...)
}

// Store is the press office's store.
type Store struct {
	db *store.DB
}

// New wraps the press store.
func New(db *store.DB) *Store { return &Store{db: db} }

// DB returns the underlying store.
func (s *Store) DB() *store.DB { return s.db }

const timeFormat = time.RFC3339Nano

func fmtTime(t time.Time) string { return t.UTC().Format(timeFormat) }

func fmtNullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return fmtTime(t)
}

func parseTime(s sql.NullString) time.Time {
	if !s.Valid || s.String == "" {
		return time.Time{}
	}
	t, err := time.Parse(timeFormat, s.String)
	if err != nil {
		return time.Time{}
	}
	return t
}

// tx runs f in one write transaction: a crash mid-way leaves the store as
// before or as after, never in between.
func (s *Store) tx(ctx context.Context, f func(*sql.Tx) error) error {
	if s.db.W == nil {
		return errors.New("press: the store is open read-only")
	}
	tx, err := s.db.W.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("press: begin: %w", err)
	}
	defer tx.Rollback()
	if err := f(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("press: commit: %w", err)
	}
	return nil
}

// PublicVersion changes whenever readers can see something new: pages that
// show posts are cached under it.
func (s *Store) PublicVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := s.db.R.QueryRowContext(ctx, `SELECT version FROM public_version WHERE id = 1`).Scan(&v); err != nil {
		return 0, fmt.Errorf("press: public version: %w", err)
	}
	return v, nil
}

func bumpPublic(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `UPDATE public_version SET version = version + 1 WHERE id = 1`); err != nil {
		return fmt.Errorf("press: bump public version: %w", err)
	}
	return nil
}
