// The question as published: staff may take personal data (a name, an
// address, a case number) out of a question before its answer is
// published, and the pages then show the edited question. The question as
// the asker wrote it stays in the office's record. See
// docs/information-desk.md, "What is public, what is personal".

package press

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// EditQuestion sets the question as it is published and shown everywhere
// (the public answer, the feeds, the asker's tracking page), as staff
// edited it. Editors and admins may edit an open request's question;
// once the request is closed, its answer may be public and only admins
// may. The question as the asker wrote it is kept (QuestionAsked); the
// audit log records the edit, never the text, which may hold personal
// data.
func (s *Store) EditQuestion(ctx context.Context, u *User, id int64, question string, now time.Time) error {
	if u == nil || u.Role != RoleEditor && u.Role != RoleAdmin {
		return ErrForbidden
	}
	q, err := requiredText("question", question, "required", MaxQuestion)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		r, err := loadRequest(ctx, tx, id)
		if err != nil {
			return err
		}
		if !r.Open() && !u.IsAdmin() {
			return ErrForbidden
		}
		if q == r.Question {
			return invalid("question", "unchanged")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE request SET question_asked = coalesce(question_asked, question), question = ? WHERE id = ?`,
			q, id); err != nil {
			return fmt.Errorf("press: edit the question of request %d: %w", id, err)
		}
		if r.Public() {
			if err := bumpPublic(ctx, tx); err != nil {
				return err
			}
		}
		return auditRequest(ctx, tx, now, u, "request.question", id, "")
	})
}

// QuestionAsked returns the question of a request as its asker wrote it,
// and whether staff have edited it since (Request.Question is then the
// edited one).
func (s *Store) QuestionAsked(ctx context.Context, id int64) (question string, edited bool, err error) {
	var asked sql.NullString
	err = s.db.R.QueryRowContext(ctx, `SELECT question, question_asked FROM request WHERE id = ?`, id).Scan(&question, &asked)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, ErrNotFound
	}
	if err != nil {
		return "", false, fmt.Errorf("press: question of request %d: %w", id, err)
	}
	if asked.Valid {
		return asked.String, true, nil
	}
	return question, false, nil
}
