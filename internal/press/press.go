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

	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/store"
)

// Errors the HTTP side maps to statuses.
var (
	ErrNotFound  = errors.New("press: not found")
	ErrForbidden = errors.New("press: not allowed")
	ErrConflict  = errors.New("press: not possible in the post's current state")
)

// InvalidError says which field of a form is wrong and why: Key names the
// reason in the message catalogue ("invalid." + Key), with its Args.
type InvalidError struct {
	Field string
	Key   string
	Args  []any
}

func (e *InvalidError) Error() string { return "press: " + e.Field + ": " + e.In(i18n.EN) }

// In is the reason in a reader's language.
func (e *InvalidError) In(l i18n.Lang) string {
	cat, err := i18n.Messages()
	if err != nil {
		return e.Key
	}
	return cat.T(l, "invalid."+e.Key, e.Args...)
}

func invalid(field, key string, args ...any) error {
	return &InvalidError{Field: field, Key: key, Args: args}
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
