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
	// Title is a chart's title as the cited view showed it (a chart's
	// title is computed from its release, so the link keeps the words the
	// editor pointed at). A dataset's title comes from the catalogue.
	Title string `json:"title,omitempty"`
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

// String is the link in the form the editor writes it:
// "KIND TARGET RELEASE [FILTER] [# TITLE]".
func (l Link) String() string {
	s := l.Kind + " " + l.Target + " " + strconv.Itoa(l.Release)
	if l.Query != "" {
		s += " " + l.Query
	}
	if l.Title != "" {
		s += " # " + l.Title
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
	l.Title = clipLine(l.Title, 200)
	switch l.Kind {
	case LinkDataset:
		d, ok := dataset.Get(l.Target)
		if !ok {
			return invalid("links", "no_dataset", l.Target)
		}
		l.Title = "" // the catalogue's, in the reader's language
		for k, vs := range q {
			col, ok := d.Column(k)
			if k == dataset.Within && d.RegionColumn() != "" {
				col, ok = d.Column(d.RegionColumn())
			}
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

// clipLine keeps text on one line of at most max runes (a chart's title as
// its view showed it: clipped, not refused).
func clipLine(text string, max int) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) > max {
		text = strings.TrimSpace(string([]rune(text)[:max]))
	}
	return text
}

// ParseLinks reads the editor's links, one a line:
// "dataset penyaluran 3 program=PKH&tingkat=provinsi" or "grafik ID 3",
// optionally followed by "# " and the chart's title (the cite action
// writes it; a query string never holds a bare "#").
func ParseLinks(text string) ([]Link, error) {
	var out []Link
	for _, line := range strings.Split(text, "\n") {
		line, title, _ := strings.Cut(line, "#")
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
		l := Link{Kind: f[0], Target: f[1], Release: n, Title: title}
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

// LinkWords is a cited link in words, as readers and editors see it: what
// it is, its title, its data release and its filters, never a slug or a
// query string.
type LinkWords struct {
	Kind    string   // "Dataset", "Grafik"
	Title   string   // the dataset's title, or the chart's
	Release string   // "rilis data 3"
	Filters []string // "Program: Program Keluarga Harapan (PKH)", "Wilayah: Jawa Barat"
}

// String is the words on one line: "Dataset “Penyaluran bantuan sosial”,
// rilis data 3 (Program: …; Wilayah: …)".
func (w LinkWords) String() string {
	s := w.Kind + " “" + w.Title + "”, " + w.Release
	if len(w.Filters) > 0 {
		s += " (" + strings.Join(w.Filters, "; ") + ")"
	}
	return s
}

// chartFilters are the filters a chart's link may carry, in the order
// they are told, and the columns that name them.
var chartFilters = []string{"periode", "program", "komponen", "ukuran"}

// Words describes the link in loc's language: the catalogue's title of a
// dataset (a chart's as its view showed it), the release, and each filter
// as the column's name and its values in words — programme and region
// names, levels, components — in the dataset's column order.
func (l Link) Words(loc i18n.Localizer) LinkWords {
	lang := string(loc.Lang)
	w := LinkWords{Release: loc.T("press.release_n", l.Release)}
	q, _ := url.ParseQuery(l.Query)
	q.Del("release")
	var order []string
	var ds *dataset.Dataset
	switch l.Kind {
	case LinkDataset:
		w.Kind = loc.T("press.dataset")
		if d, ok := dataset.Get(l.Target); ok {
			ds, w.Title = d, d.Title.In(lang)
			order = append(d.ColumnNames(), dataset.Within)
		}
	default:
		w.Kind, w.Title = loc.T("press.chart"), l.Title
		order = chartFilters
		ds = dataset.Penyaluran // names periode, program and komponen
	}
	if w.Title == "" {
		w.Title = loc.T("press.untitled")
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		ia, ib := slices.Index(order, a), slices.Index(order, b)
		if ia < 0 {
			ia = len(order)
		}
		if ib < 0 {
			ib = len(order)
		}
		if ia != ib {
			return ia - ib
		}
		return strings.Compare(a, b)
	})
	for _, k := range keys {
		var vals []string
		for _, v := range q[k] {
			for _, one := range strings.Split(v, ",") {
				if one = strings.TrimSpace(one); one != "" {
					vals = append(vals, filterValueWords(loc, k, one))
				}
			}
		}
		if len(vals) > 0 {
			w.Filters = append(w.Filters, filterName(loc, ds, k)+": "+strings.Join(vals, ", "))
		}
	}
	return w
}

// filterName is a filter's name in words: the column's title, "Wilayah"
// for a region code.
func filterName(loc i18n.Localizer, ds *dataset.Dataset, key string) string {
	switch key {
	case "kode_wilayah", "kode", "kode_induk":
		return loc.T("press.filter.region")
	case dataset.Within:
		return loc.T("press.filter.within")
	case "ukuran":
		return loc.T("press.filter.measure")
	}
	if ds != nil {
		if col, ok := ds.Column(key); ok && col.Title.ID != "" {
			return col.Title.In(string(loc.Lang))
		}
	}
	return key
}

// filterValueWords is one filter value in words.
func filterValueWords(loc i18n.Localizer, key, v string) string {
	switch key {
	case "program":
		if v == bansos.AllPrograms {
			return loc.T("press.filter.all_programs")
		}
		if p := strings.ToUpper(v); slices.Contains(bansos.ProgramCodes, p) {
			return loc.T("program.name." + p)
		}
	case "komponen":
		if v == dataset.EmptyValue {
			return loc.T("press.filter.programme_total")
		}
		if c := strings.ToUpper(v); slices.Contains(bansos.ComponentCodes, c) {
			return loc.T("program.komp." + c)
		}
	case "tingkat":
		if slices.Contains(bansos.LevelCodes, strings.ToLower(v)) {
			return loc.T("level." + strings.ToLower(v))
		}
	case "kode_wilayah", "kode", "kode_induk", dataset.Within:
		if v == dataset.EmptyValue {
			return loc.T("press.filter.nation")
		}
		if r, ok := region.Default().Lookup(v); ok {
			return r.Name
		}
	case "alasan":
		if slices.Contains([]string{"ASN", "DECEASED", "DOUBLE"}, v) {
			return loc.T("reason." + v)
		}
	case "ukuran":
		switch v {
		case "penerima", "cakupan":
			return loc.T("map.measure." + v)
		case "nominal", "nominal_salur":
			return loc.T("map.measure.nominal_salur")
		}
	}
	if v == dataset.EmptyValue {
		return loc.T("press.filter.empty")
	}
	return v
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
	PostID int64
	Number int
	Kind   string // publish, correction, retraction
	At     time.Time
	User   string
	// Note says what was corrected and why (or why the post was
	// retracted), in Indonesian and English. A note written once for both
	// languages (every note before notes were asked in both) is in ID.
	Note    i18n.Text
	Changed []string
	Content Content
}

// NoteIn is the revision's note in lang, or its one note.
func (r *Revision) NoteIn(lang string) string { return r.Note.In(lang) }

// textFields are the fields written once per language; Changed names
// them with the language ("body.id"). Revisions made before that name
// them without ("body"): a change of either language.
var textFields = []string{"title", "summary", "body"}

// ChangedIn sorts the revision's changed fields for a reader of the text
// in lang: here are those that change what that reader sees (that
// language's text, and every field written once for both), and other
// reports whether the other language's text changed too. A correction of
// the Indonesian text only is, to a reader of the English text, here
// empty and other true: it must not claim the English text changed.
func (r *Revision) ChangedIn(lang string) (here []string, other bool) {
	for _, f := range r.Changed {
		name, l, ok := strings.Cut(f, ".")
		switch {
		case !ok || !slices.Contains(textFields, name) || l == lang:
			here = append(here, f)
		default:
			other = true
		}
	}
	return here, other
}

// Changed names the fields that differ between two contents; the texts
// per language ("title.id", "body.en").
func Changed(a, b *Content) []string {
	var out []string
	add := func(name string, differ bool) {
		if differ {
			out = append(out, name)
		}
	}
	add("kind", a.Kind != b.Kind)
	add("lang", a.Lang != b.Lang)
	for _, t := range []struct {
		name string
		a, b i18n.Text
	}{{"title", a.Title, b.Title}, {"summary", a.Summary, b.Summary}, {"body", a.Body, b.Body}} {
		add(t.name+"."+LangID, t.a.ID != t.b.ID)
		add(t.name+"."+LangEN, t.a.EN != t.b.EN)
	}
	add("category", a.Category != b.Category)
	add("tags", !slices.Equal(a.Tags, b.Tags))
	add("regions", !slices.Equal(a.Regions, b.Regions))
	add("programs", !slices.Equal(a.Programs, b.Programs))
	add("links", !slices.Equal(a.Links, b.Links))
	return out
}
