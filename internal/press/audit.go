package press

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID     int64
	At     time.Time
	User   string
	Action string
	PostID int64
	// RequestID names the information request the entry is about (0:
	// none).
	RequestID int64
	Detail    string
}

// audit records who did what, inside the transaction that did it, so the
// log never misses a change nor records one that did not happen.
func audit(ctx context.Context, tx *sql.Tx, now time.Time, u *User, action string, postID int64, detail string) error {
	return auditOf(ctx, tx, now, u, action, postID, 0, detail)
}

// auditRequest records a step on an information request.
func auditRequest(ctx context.Context, tx *sql.Tx, now time.Time, u *User, action string, requestID int64, detail string) error {
	return auditOf(ctx, tx, now, u, action, 0, requestID, detail)
}

func auditOf(ctx context.Context, tx *sql.Tx, now time.Time, u *User, action string, postID, requestID int64, detail string) error {
	var uid any
	name := "system"
	if u != nil {
		uid, name = u.ID, u.Name
	}
	var pid, rid any
	if postID != 0 {
		pid = postID
	}
	if requestID != 0 {
		rid = requestID
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit (at, user_id, user_name, action, post_id, request_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		fmtTime(now), uid, name, action, pid, rid, detail); err != nil {
		return fmt.Errorf("press: audit %s: %w", action, err)
	}
	return nil
}

// Audit returns the newest entries of the audit log first; limit <= 0
// returns all of it.
func (s *Store) Audit(ctx context.Context, limit int) ([]AuditEntry, error) {
	q := `SELECT id, at, user_name, action, coalesce(post_id, 0), coalesce(request_id, 0), detail FROM audit ORDER BY id DESC`
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	rows, err := s.db.R.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("press: audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at sql.NullString
		if err := rows.Scan(&e.ID, &at, &e.User, &e.Action, &e.PostID, &e.RequestID, &e.Detail); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
