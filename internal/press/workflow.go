// A post's workflow: draft, submit, schedule, publish, correct, retract;
// who may do what, and the revision each step leaves.

package press

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/i18n"
)

// Create saves a new draft.
func (s *Store) Create(ctx context.Context, u *User, c Content, now time.Time) (int64, error) {
	if u == nil {
		return 0, ErrForbidden
	}
	return s.create(ctx, u, c, false, now)
}

// mayEdit: an editor edits their own unpublished posts; an admin any
// unpublished post. A published post only changes by a correction.
func mayEdit(u *User, p *Post) error {
	if p.Public() {
		return ErrConflict
	}
	if u.IsAdmin() || p.Author == u.Name && p.Status != StatusScheduled {
		return nil
	}
	return ErrForbidden
}

// Update saves changes to an unpublished post.
func (s *Store) Update(ctx context.Context, u *User, id int64, c Content, now time.Time) error {
	if err := c.Normalize(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		p, err := load(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := mayEdit(u, p); err != nil {
			return err
		}
		if err := writeContent(ctx, tx, id, &c, now); err != nil {
			return err
		}
		return audit(ctx, tx, now, u, "post.edit", id, "")
	})
}

// transition changes an unpublished post's status after checking it.
func (s *Store) transition(ctx context.Context, u *User, id int64, action string, now time.Time, f func(*sql.Tx, *Post) (string, error)) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		p, err := load(ctx, tx, id)
		if err != nil {
			return err
		}
		detail, err := f(tx, p)
		if err != nil {
			return err
		}
		return audit(ctx, tx, now, u, action, id, detail)
	})
}

// Submit hands a draft to the admins for publication.
func (s *Store) Submit(ctx context.Context, u *User, id int64, now time.Time) error {
	return s.transition(ctx, u, id, "post.submit", now, func(tx *sql.Tx, p *Post) (string, error) {
		if err := mayEdit(u, p); err != nil {
			return "", err
		}
		if p.Status != StatusDraft {
			return "", ErrConflict
		}
		_, err := tx.ExecContext(ctx, `UPDATE post SET status = 'submitted', updated_at = ? WHERE id = ?`, fmtTime(now), id)
		return "", err
	})
}

// Schedule sets an embargo: the post is published by the scheduler at the
// given time (admins only).
func (s *Store) Schedule(ctx context.Context, u *User, id int64, at, now time.Time) error {
	if !u.IsAdmin() {
		return ErrForbidden
	}
	if !at.After(now) {
		return invalid("publish_at", "past")
	}
	return s.transition(ctx, u, id, "post.schedule", now, func(tx *sql.Tx, p *Post) (string, error) {
		if p.Public() {
			return "", ErrConflict
		}
		_, err := tx.ExecContext(ctx, `UPDATE post SET status = 'scheduled', publish_at = ?, updated_at = ? WHERE id = ?`, fmtTime(at), fmtTime(now), id)
		return at.In(bansos.WIB).Format("2006-01-02 15:04 WIB"), err
	})
}

// Unschedule lifts an embargo: the post goes back to the submitted ones.
func (s *Store) Unschedule(ctx context.Context, u *User, id int64, now time.Time) error {
	if !u.IsAdmin() {
		return ErrForbidden
	}
	return s.transition(ctx, u, id, "post.unschedule", now, func(tx *sql.Tx, p *Post) (string, error) {
		if p.Status != StatusScheduled {
			return "", ErrConflict
		}
		_, err := tx.ExecContext(ctx, `UPDATE post SET status = 'submitted', publish_at = NULL, updated_at = ? WHERE id = ?`, fmtTime(now), id)
		return "", err
	})
}

// Publish publishes an unpublished post now (admins only).
func (s *Store) Publish(ctx context.Context, u *User, id int64, now time.Time) error {
	if !u.IsAdmin() {
		return ErrForbidden
	}
	return s.tx(ctx, func(tx *sql.Tx) error { return publish(ctx, tx, u, id, now) })
}

// publish gives the post its address, records revision 1 and makes it
// public, all in the caller's transaction.
func publish(ctx context.Context, tx *sql.Tx, u *User, id int64, now time.Time) error {
	return publishAt(ctx, tx, u, id, now, now)
}

// publishAt is publish with the publication time readers are told, which
// an embargo sets (PublishDue); now is when it happens, for the audit log.
func publishAt(ctx context.Context, tx *sql.Tx, u *User, id int64, now, published time.Time) error {
	p, err := load(ctx, tx, id)
	if err != nil {
		return err
	}
	if p.Public() {
		return ErrConflict
	}
	// Check the stored content again: it may predate a rule.
	if err := p.Content.Normalize(); err != nil {
		return err
	}
	slug := Slugify(p.Title.In(LangID))
	var taken int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM post WHERE slug = ?`, slug).Scan(&taken); err != nil {
		return err
	}
	if taken > 0 {
		slug += "-" + strconv.FormatInt(id, 10)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE post SET status = 'published', slug = ?, published_at = ?, updated_at = ?, revision = 1 WHERE id = ?`,
		slug, fmtTime(published), fmtTime(published), id); err != nil {
		return fmt.Errorf("press: publish %d: %w", id, err)
	}
	if err := addRevision(ctx, tx, u, id, 1, "publish", i18n.Text{}, nil, &p.Content, published); err != nil {
		return err
	}
	if err := bumpPublic(ctx, tx); err != nil {
		return err
	}
	return audit(ctx, tx, now, u, "post.publish", id, slug)
}

// embargoLate is how late the scheduler may publish a post and still date
// it at its embargo: the cron job runs every minute, at the minute's
// first second.
const embargoLate = time.Minute

// embargoTime is the publication time of a post scheduled for at and
// published now: its embargo, which is the minute readers and the admin
// were told, when the scheduler runs on that minute; the time it really
// became public when it runs later (after the site was down, say) — a
// post is never dated before it could be read.
func embargoTime(at, now time.Time) time.Time {
	if d := now.Sub(at); d >= 0 && d < embargoLate {
		return at
	}
	return now
}

// PublishDue publishes every scheduled post whose time has come, each in
// its own transaction, and returns how many it published. The scheduler
// calls it every minute; tests call it with their own clock. A post
// published on its minute is dated at its embargo (embargoTime).
func (s *Store) PublishDue(ctx context.Context, now time.Time) (int, error) {
	// Every post due by the end of now's second (the index narrows it;
	// the times themselves are compared below).
	posts, err := scheduledPosts(ctx, s.db.R, " AND publish_at < ?", fmtTime(now.Truncate(time.Second).Add(time.Second)))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, sp := range posts {
		if sp.at.After(now) {
			break // sorted by time: the rest are later
		}
		err := s.tx(ctx, func(tx *sql.Tx) error {
			// Still scheduled, for the same time? An admin may have lifted
			// or moved the embargo since the query above.
			again, err := scheduledPosts(ctx, tx, " AND id = ?", sp.id)
			if err != nil || len(again) == 0 || again[0].at.After(now) {
				return err
			}
			n++
			return publishAt(ctx, tx, nil, sp.id, now, embargoTime(again[0].at, now))
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// Correct changes a published post (admins only). The post keeps its id and
// address; the change is a public revision with the note saying what was
// corrected and why, in Indonesian and, when the post has English text
// (before or after the correction), in English: each language's readers
// read it in theirs.
func (s *Store) Correct(ctx context.Context, u *User, id int64, c Content, note i18n.Text, now time.Time) error {
	if !u.IsAdmin() {
		return ErrForbidden
	}
	return s.correctNote(ctx, u, id, c, note, true, now)
}

// correct is Correct without the role check, with one note for both
// languages; a nil user is the system (the demo).
func (s *Store) correct(ctx context.Context, u *User, id int64, c Content, note string, now time.Time) error {
	return s.correctNote(ctx, u, id, c, i18n.Text{ID: note}, false, now)
}

// correctNote records a correction; bilingual asks for the English note
// of a post with English text.
func (s *Store) correctNote(ctx context.Context, u *User, id int64, c Content, note i18n.Text, bilingual bool, now time.Time) error {
	note.ID, note.EN = strings.TrimSpace(note.ID), strings.TrimSpace(note.EN)
	if note.ID == "" {
		return invalid("note", "note_correction")
	}
	if err := c.Normalize(); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		p, err := loadPublished(ctx, tx, id)
		if err != nil {
			return err
		}
		if bilingual && note.EN == "" && (c.HasLang(LangEN) || p.HasLang(LangEN)) {
			return invalid("note_en", "note_correction_en")
		}
		changed := Changed(&p.Content, &c)
		if len(changed) == 0 {
			return invalid("body", "unchanged")
		}
		if err := writeContent(ctx, tx, id, &c, now); err != nil {
			return err
		}
		rev := p.Revision + 1
		if _, err := tx.ExecContext(ctx, `UPDATE post SET corrected_at = ?, revision = ? WHERE id = ?`, fmtTime(now), rev, id); err != nil {
			return err
		}
		if err := addRevision(ctx, tx, u, id, rev, "correction", note, changed, &c, now); err != nil {
			return err
		}
		if err := bumpPublic(ctx, tx); err != nil {
			return err
		}
		return audit(ctx, tx, now, u, "post.correct", id, strings.Join(changed, ", "))
	})
}

// Retract withdraws a published post (admins only); its address keeps a
// tombstone with the date and the reason.
func (s *Store) Retract(ctx context.Context, u *User, id int64, note string, now time.Time) error {
	if !u.IsAdmin() {
		return ErrForbidden
	}
	note = strings.TrimSpace(note)
	if note == "" {
		return invalid("note", "note_retraction")
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		p, err := loadPublished(ctx, tx, id)
		if err != nil {
			return err
		}
		rev := p.Revision + 1
		if _, err := tx.ExecContext(ctx, `UPDATE post SET status = 'retracted', retracted_at = ?, retract_note = ?, revision = ?, updated_at = ? WHERE id = ?`,
			fmtTime(now), note, rev, fmtTime(now), id); err != nil {
			return fmt.Errorf("press: retract %d: %w", id, err)
		}
		if err := addRevision(ctx, tx, u, id, rev, "retraction", i18n.Text{ID: note}, nil, &p.Content, now); err != nil {
			return err
		}
		if err := bumpPublic(ctx, tx); err != nil {
			return err
		}
		return audit(ctx, tx, now, u, "post.retract", id, "")
	})
}
