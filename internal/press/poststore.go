// The press store's posts: reading and writing rows of post and
// post_revision (migrations in internal/store/migrations/press).

package press

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/portal-data-bansos/portal/internal/i18n"
)

const postColumns = `p.id, coalesce(p.slug, ''), p.status, p.kind, p.lang, p.title_id, p.summary_id, p.body_id, p.title_en, p.summary_en, p.body_en,
	p.category, p.tags, p.regions, p.programs, p.links, p.example, coalesce(u.name, ''), p.created_at, p.updated_at,
	p.publish_at, p.published_at, p.corrected_at, p.retracted_at, p.retract_note, p.revision`

const postFrom = ` FROM post p LEFT JOIN user u ON u.id = p.author_id`

type scanner interface{ Scan(...any) error }

func scanPost(r scanner) (*Post, error) {
	var p Post
	var tags, regions, programs, links string
	var created, updated, publishAt, published, corrected, retracted sql.NullString
	if err := r.Scan(&p.ID, &p.Slug, &p.Status, &p.Kind, &p.Lang, &p.Title.ID, &p.Summary.ID, &p.Body.ID, &p.Title.EN, &p.Summary.EN, &p.Body.EN,
		&p.Category, &tags, &regions, &programs, &links, &p.Example, &p.Author, &created, &updated,
		&publishAt, &published, &corrected, &retracted, &p.RetractNote, &p.Revision); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(tags), &p.Tags); err != nil {
		return nil, fmt.Errorf("press: post %d tags: %w", p.ID, err)
	}
	if err := json.Unmarshal([]byte(links), &p.Links); err != nil {
		return nil, fmt.Errorf("press: post %d links: %w", p.ID, err)
	}
	p.Regions, p.Programs = strings.Fields(regions), strings.Fields(programs)
	p.Created, p.Updated, p.PublishAt = parseTime(created), parseTime(updated), parseTime(publishAt)
	p.Published, p.Corrected, p.Retracted = parseTime(published), parseTime(corrected), parseTime(retracted)
	return &p, nil
}

// padded stores a list so that " X " finds X with LIKE.
func padded(list []string) string { return " " + strings.Join(list, " ") + " " }

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	if string(b) == "null" {
		return "[]"
	}
	return string(b)
}

// Get returns a post by id.
func (s *Store) Get(ctx context.Context, id int64) (*Post, error) {
	p, err := scanPost(s.db.R.QueryRowContext(ctx, `SELECT `+postColumns+postFrom+` WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("press: post %d: %w", id, err)
	}
	return p, nil
}

// BySlug returns a public post by its address.
func (s *Store) BySlug(ctx context.Context, slug string) (*Post, error) {
	p, err := scanPost(s.db.R.QueryRowContext(ctx, `SELECT `+postColumns+postFrom+` WHERE p.slug = ? AND p.status IN ('published', 'retracted')`, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("press: post %q: %w", slug, err)
	}
	return p, nil
}

// Filter selects posts.
type Filter struct {
	Statuses []string
	Kind     string
	Category string
	Program  string
	// Region matches posts about the region or any region inside it: a
	// province matches posts about its regencies.
	Region string
	Limit  int
	Offset int
}

// List returns the posts the filter selects, newest first (by publication,
// then by last change), and how many there are in all.
func (s *Store) List(ctx context.Context, f Filter) ([]*Post, int, error) {
	var where []string
	var args []any
	if len(f.Statuses) > 0 {
		where = append(where, "p.status IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(f.Statuses)), ", ")+")")
		for _, st := range f.Statuses {
			args = append(args, st)
		}
	}
	if f.Kind != "" {
		where, args = append(where, "p.kind = ?"), append(args, f.Kind)
	}
	if f.Category != "" {
		where, args = append(where, "p.category = ?"), append(args, f.Category)
	}
	if f.Program != "" {
		where, args = append(where, "p.programs LIKE ?"), append(args, "% "+f.Program+" %")
	}
	if f.Region != "" {
		where, args = append(where, "(p.regions LIKE ? OR p.regions LIKE ?)"), append(args, "% "+f.Region+" %", "% "+f.Region+".%")
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.db.R.QueryRowContext(ctx, `SELECT count(*) FROM post p`+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("press: count posts: %w", err)
	}
	q := `SELECT ` + postColumns + postFrom + cond + ` ORDER BY coalesce(p.published_at, p.publish_at, p.updated_at) DESC, p.id DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, max(f.Offset, 0))
	}
	rows, err := s.db.R.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("press: list posts: %w", err)
	}
	defer rows.Close()
	var out []*Post
	for rows.Next() {
		p, err := scanPost(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	return out, total, rows.Err()
}

// Count returns the number of posts of any status.
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	err := s.db.R.QueryRowContext(ctx, `SELECT count(*) FROM post`).Scan(&n)
	return n, err
}

// Revisions returns a post's public history, oldest first.
func (s *Store) Revisions(ctx context.Context, id int64) ([]Revision, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT r.number, r.kind, r.at, coalesce(u.name, ''), r.note, r.note_en, r.changed, r.snapshot
		FROM post_revision r LEFT JOIN user u ON u.id = r.user_id WHERE r.post_id = ? ORDER BY r.number`, id)
	if err != nil {
		return nil, fmt.Errorf("press: revisions of %d: %w", id, err)
	}
	defer rows.Close()
	var out []Revision
	for rows.Next() {
		r := Revision{PostID: id}
		var at sql.NullString
		var changed, snap string
		if err := rows.Scan(&r.Number, &r.Kind, &at, &r.User, &r.Note.ID, &r.Note.EN, &changed, &snap); err != nil {
			return nil, err
		}
		r.At, r.Changed = parseTime(at), strings.Fields(changed)
		if err := json.Unmarshal([]byte(snap), &r.Content); err != nil {
			return nil, fmt.Errorf("press: revision %d/%d: %w", id, r.Number, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// create saves a draft; a nil user is the system (the demo).
func (s *Store) create(ctx context.Context, u *User, c Content, example bool, now time.Time) (int64, error) {
	var author any
	if u != nil {
		author = u.ID
	}
	if err := c.Normalize(); err != nil {
		return 0, err
	}
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO post (kind, status, lang, title_id, summary_id, body_id, title_en, summary_en, body_en,
			category, tags, regions, programs, links, example, author_id, created_at, updated_at)
			VALUES (?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.Kind, c.Lang, c.Title.ID, c.Summary.ID, c.Body.ID, c.Title.EN, c.Summary.EN, c.Body.EN,
			c.Category, jsonText(c.Tags), padded(c.Regions), padded(c.Programs), jsonText(c.Links), example, author, fmtTime(now), fmtTime(now))
		if err != nil {
			return fmt.Errorf("press: create post: %w", err)
		}
		id, _ = res.LastInsertId()
		return audit(ctx, tx, now, u, "post.create", id, c.Title.In(LangID))
	})
	return id, err
}

// load reads a post inside a transaction.
func load(ctx context.Context, tx *sql.Tx, id int64) (*Post, error) {
	p, err := scanPost(tx.QueryRowContext(ctx, `SELECT `+postColumns+postFrom+` WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("press: post %d: %w", id, err)
	}
	return p, nil
}

// loadPublished reads a post that must be published (the only state a
// correction or a retraction applies to).
func loadPublished(ctx context.Context, tx *sql.Tx, id int64) (*Post, error) {
	p, err := load(ctx, tx, id)
	if err == nil && p.Status != StatusPublished {
		err = ErrConflict
	}
	return p, err
}

func writeContent(ctx context.Context, tx *sql.Tx, id int64, c *Content, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE post SET kind = ?, lang = ?, title_id = ?, summary_id = ?, body_id = ?, title_en = ?, summary_en = ?, body_en = ?,
		category = ?, tags = ?, regions = ?, programs = ?, links = ?, updated_at = ? WHERE id = ?`,
		c.Kind, c.Lang, c.Title.ID, c.Summary.ID, c.Body.ID, c.Title.EN, c.Summary.EN, c.Body.EN,
		c.Category, jsonText(c.Tags), padded(c.Regions), padded(c.Programs), jsonText(c.Links), fmtTime(now), id)
	if err != nil {
		return fmt.Errorf("press: save post %d: %w", id, err)
	}
	return nil
}

// addRevision records a public state of a post; note is the revision's
// note in both languages (EN empty when written once for both).
func addRevision(ctx context.Context, tx *sql.Tx, u *User, id int64, n int, kind string, note i18n.Text, changed []string, c *Content, now time.Time) error {
	var uid any
	if u != nil {
		uid = u.ID
	}
	snap, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO post_revision (post_id, number, kind, at, user_id, note, note_en, changed, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, n, kind, fmtTime(now), uid, note.ID, note.EN, strings.Join(changed, " "), string(snap)); err != nil {
		return fmt.Errorf("press: revision %d of post %d: %w", n, id, err)
	}
	return nil
}

// scheduled is a scheduled post's id and time.
type scheduled struct {
	id int64
	at time.Time
}

// scheduledPosts lists the scheduled posts with their times, earliest
// first. Times are compared as times, not as their stored text: RFC 3339
// with a fraction of a second ("10:00:00.2Z") sorts before the same
// second without one ("10:00:00Z").
func scheduledPosts(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, where string, args ...any) ([]scheduled, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, publish_at FROM post WHERE status = 'scheduled' AND publish_at IS NOT NULL`+where, args...)
	if err != nil {
		return nil, fmt.Errorf("press: scheduled posts: %w", err)
	}
	defer rows.Close()
	var out []scheduled
	for rows.Next() {
		var p scheduled
		var at sql.NullString
		if err := rows.Scan(&p.id, &at); err != nil {
			return nil, fmt.Errorf("press: scheduled posts: %w", err)
		}
		if p.at = parseTime(at); !p.at.IsZero() {
			out = append(out, p)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("press: scheduled posts: %w", err)
	}
	slices.SortStableFunc(out, func(a, b scheduled) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	return out, nil
}

// NextEmbargo is the time of the next scheduled publication, if any:
// pages that show posts are not cached past it, so a post shows on its
// minute. The stored text sorts as time to the second (a fraction sorts
// before the same second without one), which is as fine as a cache's
// max-age: the first row by text is the one to read.
func (s *Store) NextEmbargo(ctx context.Context) (time.Time, bool, error) {
	var at sql.NullString
	err := s.db.R.QueryRowContext(ctx, `SELECT publish_at FROM post WHERE status = 'scheduled' AND publish_at IS NOT NULL ORDER BY publish_at LIMIT 1`).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("press: next embargo: %w", err)
	}
	t := parseTime(at)
	return t, !t.IsZero(), nil
}
