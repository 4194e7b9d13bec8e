package press

import (
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
