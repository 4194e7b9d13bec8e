package press

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/region"
)

// Kinds of posts.
const (
	KindRelease       = "siaran_pers" // press release
	KindAnnouncement  = "pengumuman"  // announcement
	KindClarification = "klarifikasi" // the ministry's answer to a viral case, linked to the numbers
)

// Kinds lists the kinds of posts in display order.
var Kinds = []string{KindRelease, KindAnnouncement, KindClarification}

// Categories a post is filed under.
var Categories = []string{"penyaluran", "data", "kebijakan", "layanan", "umum"}

// Statuses of a post. Only published and retracted posts are public.
const (
	StatusDraft     = "draft"
	StatusSubmitted = "submitted"
	StatusScheduled = "scheduled"
	StatusPublished = "published"
	StatusRetracted = "retracted"
)

// Languages a post is written in.
const (
	LangID   = "id"
	LangEN   = "en"
	LangBoth = "both"
)

// Link is a dataset or chart a post cites, pinned to the data release it
// cited, so the link keeps showing the numbers the post talked about.
type Link struct {
	Kind    string `json:"kind"` // "dataset" or "grafik"
	Target  string `json:"target"`
	Release int    `json:"release"`
	Query   string `json:"query,omitempty"`
}

// Link kinds.
const (
	LinkDataset = "dataset"
	LinkChart   = "grafik"
)

// URL is the link's address on this site, pinned to its release.
func (l Link) URL() string {
	q, _ := url.ParseQuery(l.Query)
	if q == nil {
		q = url.Values{}
	}
	q.Set("release", strconv.Itoa(l.Release))
	return "/" + l.Kind + "/" + l.Target + "?" + q.Encode()
}

// EmbedURL is the chart's iframe address (charts only).
func (l Link) EmbedURL() string { return "/embed" + l.URL() }

// String is the link in the form the editor writes it.
func (l Link) String() string {
	s := l.Kind + " " + l.Target + " " + strconv.Itoa(l.Release)
	if l.Query != "" {
		s += " " + l.Query
	}
	return s
}

// Content is what an author writes; a revision keeps a copy of it.
type Content struct {
	Kind     string    `json:"kind"`
	Lang     string    `json:"lang"`
	Title    i18n.Text `json:"title"`
	Summary  i18n.Text `json:"summary"`
	Body     i18n.Text `json:"body"`
	Category string    `json:"category"`
	Tags     []string  `json:"tags"`
	Regions  []string  `json:"regions"`
	Programs []string  `json:"programs"`
	Links    []Link    `json:"links"`
}

// Langs lists the languages the content is written in.
func (c *Content) Langs() []string {
	switch c.Lang {
	case LangBoth:
		return []string{LangID, LangEN}
	case LangEN:
		return []string{LangEN}
	}
	return []string{LangID}
}

// HasLang reports whether the content is written in lang.
func (c *Content) HasLang(lang string) bool { return slices.Contains(c.Langs(), lang) }

var chartID = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// Normalize trims and checks the content; region codes come out dotted.
// Its errors name the field.
func (c *Content) Normalize() error {
	if !slices.Contains(Kinds, c.Kind) {
		return invalid("kind", "unknown_kind")
	}
	if c.Lang != LangID && c.Lang != LangEN && c.Lang != LangBoth {
		return invalid("lang", "lang")
	}
	for _, t := range []*i18n.Text{&c.Title, &c.Summary, &c.Body} {
		t.ID, t.EN = strings.TrimSpace(t.ID), strings.TrimSpace(t.EN)
		if !c.HasLang(LangID) {
			t.ID = ""
		}
		if !c.HasLang(LangEN) {
			t.EN = ""
		}
	}
	for _, l := range c.Langs() {
		title := c.Title.ID
		if l == LangEN {
			title = c.Title.EN
		}
		if title == "" {
			return invalid("title_"+l, "required")
		}
		if utf8.RuneCountInString(title) > 200 {
			return invalid("title_"+l, "title_long")
		}
	}
	for _, t := range []i18n.Text{c.Summary, c.Body} {
		if len(t.ID) > 200_000 || len(t.EN) > 200_000 {
			return invalid("body", "too_long")
		}
	}
	if !slices.Contains(Categories, c.Category) {
		return invalid("category", "unknown_category")
	}
	var tags []string
	for _, t := range c.Tags {
		t = strings.Join(strings.Fields(t), " ")
		if t == "" || slices.Contains(tags, t) {
			continue
		}
		if utf8.RuneCountInString(t) > 40 {
			return invalid("tags", "tag_long")
		}
		tags = append(tags, t)
	}
	if len(tags) > 12 {
		return invalid("tags", "too_many_tags")
	}
	c.Tags = tags
	var regions []string
	for _, code := range c.Regions {
		if strings.TrimSpace(code) == "" {
			continue
		}
		r, ok := region.Default().Lookup(code)
		if !ok || r.Level > region.District {
			return invalid("regions", "bad_region", code)
		}
		if !slices.Contains(regions, r.Code) {
			regions = append(regions, r.Code)
		}
	}
	c.Regions = regions
	var programs []string
	for _, p := range c.Programs {
		p = strings.ToUpper(strings.TrimSpace(p))
		if p == "" || slices.Contains(programs, p) {
			continue
		}
		if !slices.Contains(bansos.ProgramCodes, p) {
			return invalid("programs", "bad_program", p, strings.Join(bansos.ProgramCodes, ", "))
		}
		programs = append(programs, p)
	}
	c.Programs = programs
	for i := range c.Links {
		if err := c.Links[i].check(); err != nil {
			return err
		}
	}
	return nil
}

func (l *Link) check() error {
	if l.Release < 1 {
		return invalid("links", "link_release")
	}
	q, err := url.ParseQuery(l.Query)
	if err != nil {
		return invalid("links", "link_filter")
	}
	q.Del("release")
	switch l.Kind {
	case LinkDataset:
		d, ok := dataset.Get(l.Target)
		if !ok {
			return invalid("links", "no_dataset", l.Target)
		}
		for k, vs := range q {
			col, ok := d.Column(k)
			if !ok || !col.Dimension {
				return invalid("links", "no_filter", l.Target, k)
			}
			// Values as the dataset page takes them: comma-separated, "-"
			// for an empty value, enumerations in their canonical case.
			for i, v := range vs {
				parts := strings.Split(v, ",")
				for j, part := range parts {
					if part == "-" || part == "" {
						continue
					}
					norm, ok := col.FilterValue(part)
					if !ok {
						return invalid("links", "bad_filter_value", k, part)
					}
					parts[j] = norm
				}
				vs[i] = strings.Join(parts, ",")
			}
		}
	case LinkChart:
		if !chartID.MatchString(l.Target) {
			return invalid("links", "bad_chart", l.Target)
		}
	default:
		return invalid("links", "link_kind")
	}
	l.Query = q.Encode()
	return nil
}

// ParseLinks reads the editor's links, one a line:
// "dataset penyaluran 3 program=PKH&tingkat=provinsi" or "grafik ID 3".
func ParseLinks(text string) ([]Link, error) {
	var out []Link
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) < 3 || len(f) > 4 {
			return nil, invalid("links", "link_syntax", strings.TrimSpace(line))
		}
		n, err := strconv.Atoi(f[2])
		if err != nil {
			return nil, invalid("links", "link_number", strings.TrimSpace(line))
		}
		l := Link{Kind: f[0], Target: f[1], Release: n}
		if len(f) == 4 {
			l.Query = f[3]
		}
		if err := l.check(); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// Post is a press release, announcement or clarification.
type Post struct {
	ID     int64
	Slug   string
	Status string
	Content
	Example     bool
	Author      string
	Created     time.Time
	Updated     time.Time
	PublishAt   time.Time // when scheduled
	Published   time.Time
	Corrected   time.Time // last correction
	Retracted   time.Time
	RetractNote string
	Revision    int
}

// Modified is when readers last saw the post change: its publication,
// last correction or retraction.
func (p *Post) Modified() time.Time {
	t := p.Published
	for _, u := range []time.Time{p.Corrected, p.Retracted} {
		if u.After(t) {
			t = u
		}
	}
	return t
}

// Public reports whether readers may see the post (a retracted one as a
// tombstone).
func (p *Post) Public() bool { return p.Status == StatusPublished || p.Status == StatusRetracted }

// Revision is one public state of a post.
type Revision struct {
	PostID  int64
	Number  int
	Kind    string // publish, correction, retraction
	At      time.Time
	User    string
	Note    string
	Changed []string
	Content Content
}

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
	rows, err := s.db.R.QueryContext(ctx, `SELECT r.number, r.kind, r.at, coalesce(u.name, ''), r.note, r.changed, r.snapshot
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
		if err := rows.Scan(&r.Number, &r.Kind, &at, &r.User, &r.Note, &changed, &snap); err != nil {
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

// Create saves a new draft.
func (s *Store) Create(ctx context.Context, u *User, c Content, now time.Time) (int64, error) {
	if u == nil {
		return 0, ErrForbidden
	}
	return s.create(ctx, u, c, false, now)
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
		slug, fmtTime(now), fmtTime(now), id); err != nil {
		return fmt.Errorf("press: publish %d: %w", id, err)
	}
	if err := addRevision(ctx, tx, u, id, 1, "publish", "", nil, &p.Content, now); err != nil {
		return err
	}
	if err := bumpPublic(ctx, tx); err != nil {
		return err
	}
	return audit(ctx, tx, now, u, "post.publish", id, slug)
}

func addRevision(ctx context.Context, tx *sql.Tx, u *User, id int64, n int, kind, note string, changed []string, c *Content, now time.Time) error {
	var uid any
	if u != nil {
		uid = u.ID
	}
	snap, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO post_revision (post_id, number, kind, at, user_id, note, changed, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		id, n, kind, fmtTime(now), uid, note, strings.Join(changed, " "), string(snap)); err != nil {
		return fmt.Errorf("press: revision %d of post %d: %w", n, id, err)
	}
	return nil
}

// PublishDue publishes every scheduled post whose time has come, each in
// its own transaction, and returns how many it published. The scheduler
// calls it every minute; tests call it with their own clock.
func (s *Store) PublishDue(ctx context.Context, now time.Time) (int, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id FROM post WHERE status = 'scheduled' AND publish_at <= ? ORDER BY publish_at, id`, fmtTime(now))
	if err != nil {
		return 0, fmt.Errorf("press: due posts: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	n := 0
	for _, id := range ids {
		err := s.tx(ctx, func(tx *sql.Tx) error {
			// Still scheduled and still due? An admin may have lifted the
			// embargo since the query above.
			var due int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM post WHERE id = ? AND status = 'scheduled' AND publish_at <= ?`, id, fmtTime(now)).Scan(&due); err != nil || due == 0 {
				return err
			}
			n++
			return publish(ctx, tx, nil, id, now)
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// Changed names the fields that differ between two contents.
func Changed(a, b *Content) []string {
	var out []string
	add := func(name string, differ bool) {
		if differ {
			out = append(out, name)
		}
	}
	add("kind", a.Kind != b.Kind)
	add("lang", a.Lang != b.Lang)
	add("title", a.Title != b.Title)
	add("summary", a.Summary != b.Summary)
	add("body", a.Body != b.Body)
	add("category", a.Category != b.Category)
	add("tags", !slices.Equal(a.Tags, b.Tags))
	add("regions", !slices.Equal(a.Regions, b.Regions))
	add("programs", !slices.Equal(a.Programs, b.Programs))
	add("links", !slices.Equal(a.Links, b.Links))
	return out
}

// Correct changes a published post (admins only). The post keeps its id and
// address; the change is a public revision with the note saying what was
// corrected and why.
func (s *Store) Correct(ctx context.Context, u *User, id int64, c Content, note string, now time.Time) error {
	if !u.IsAdmin() {
		return ErrForbidden
	}
	return s.correct(ctx, u, id, c, note, now)
}

// correct is Correct without the role check; a nil user is the system.
func (s *Store) correct(ctx context.Context, u *User, id int64, c Content, note string, now time.Time) error {
	note = strings.TrimSpace(note)
	if note == "" {
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
		if err := addRevision(ctx, tx, u, id, rev, "retraction", note, nil, &p.Content, now); err != nil {
			return err
		}
		if err := bumpPublic(ctx, tx); err != nil {
			return err
		}
		return audit(ctx, tx, now, u, "post.retract", id, "")
	})
}
