package news

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/portal/web"
)

// feedLength is how many posts a feed carries.
const feedLength = 50

// feedMeta describes a feed, whatever its format.
type FeedMeta struct {
	Title, Description string
	Lang               string
	Home               string // the /berita page with the same filters
	Self               string // this feed's own address
	Hub                string // WebSub hub, optional
	Author             string
	Updated            time.Time
}

// feedItem is one entry: a post, or a correction of a post.
type FeedItem struct {
	ID         string
	URL        string
	Title      string
	Summary    string
	Content    string // HTML
	Published  time.Time
	Updated    time.Time
	Categories []string
	Enclosures []feedEnclosure
}

type feedEnclosure struct {
	URL, Type, Title string
	Length           int64
}

// RFC3339WIB formats t in Jakarta time: "2026-03-02T08:00:00+07:00".
func RFC3339WIB(t time.Time) string { return t.In(bansos.WIB).Format(time.RFC3339) }

// tagID is an entry's permanent id (RFC 4151 tag URI), minted from the
// site's host and the post's id and first publication date: a correction
// changes the entry's updated time, never its id.
func tagID(base string, p *press.Post, suffix string) string {
	host := base
	if u, err := url.Parse(base); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return "tag:" + host + "," + p.Published.In(bansos.WIB).Format("2006-01-02") + ":berita/" + strconv.FormatInt(p.ID, 10) + suffix
}

// feedItems builds the entries of the feed: each public post (a retracted
// one as its tombstone) and each correction as its own short entry linking
// to the original, newest first.
func (s *Handler) feedItems(c *gin.Context, f postFilter, base string) ([]FeedItem, error) {
	ctx := c.Request.Context()
	pf := f.of(press.StatusPublished, press.StatusRetracted)
	pf.Limit = feedLength
	posts, _, err := s.Press.List(ctx, pf)
	if err != nil {
		return nil, err
	}
	l := s.Cat.For(web.LangOf(c))
	var items []FeedItem
	for _, p := range posts {
		v := ViewOf(p, web.LangOf(c))
		link := base + v.URL
		cats := append([]string{l.T("press.kind." + p.Kind), p.Category}, p.Content.Programs...)
		cats = append(cats, p.Content.Regions...)
		cats = append(cats, p.Content.Tags...)
		it := FeedItem{ID: tagID(base, p, ""), URL: link, Title: v.Title, Summary: v.Summary, Content: AbsoluteLinks(string(v.Body), base),
			Published: p.Published, Updated: p.Modified(), Categories: cats}
		figs, err := s.realFigures(ctx, p.Content.Links)
		if err != nil {
			return nil, err
		}
		for _, f := range figs {
			it.Content += "<p><strong>" + template.HTMLEscapeString(figureText(l, f)) + `</strong> <a href="` +
				template.HTMLEscapeString(base+f.Link) + `">` + template.HTMLEscapeString(l.T("press.dataset")+" realisasi") + "</a></p>"
		}
		it.Content += citedData(l, p.Content.Links, base)
		if p.Status == press.StatusRetracted {
			it.Title = l.T("press.retracted_prefix") + " " + v.Title
			it.Summary = l.T("press.retracted_on", l.DateTime(p.Retracted)) + " " + p.RetractNote
			it.Content = template.HTMLEscapeString(it.Summary)
		} else {
			atts, err := s.Press.Attachments(ctx, p.ID)
			if err != nil {
				return nil, err
			}
			for _, a := range atts {
				it.Enclosures = append(it.Enclosures, feedEnclosure{URL: base + "/lampiran/" + strconv.FormatInt(a.ID, 10) + "/" + url.PathEscape(a.Name),
					Type: a.ContentType, Title: a.Name, Length: a.Size})
			}
		}
		items = append(items, it)
		revs, err := s.Press.Revisions(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		for _, r := range revs {
			if r.Kind != "correction" {
				continue
			}
			n := strconv.Itoa(r.Number)
			rv := revisionFor(r, v.Lang, string(l.Lang), "")
			head := l.T("press.correction_on", l.DateTime(r.At))
			if rv.OtherOnly {
				head = l.T("press.correction_other_only", l.T("press.text_lang."+rv.OtherLang), l.DateTime(r.At))
			}
			note := head + " " + rv.NoteText
			items = append(items, FeedItem{ID: tagID(base, p, "/ralat/"+n), URL: link + "#ralat-" + n,
				Title: l.T("press.correction_prefix") + " " + v.Title, Summary: note,
				Content:   template.HTMLEscapeString(note) + ` <a href="` + template.HTMLEscapeString(link) + `">` + template.HTMLEscapeString(v.Title) + `</a>`,
				Published: r.At, Updated: r.At, Categories: []string{l.T("press.correction")}})
		}
	}
	// Newest first by last change; the sort is stable so equal times keep
	// the post before its corrections.
	sortItems(items)
	return items, nil
}

// citedData is the data a post cites, in words (press.Link.Words), each
// linking to its pinned address: "Data yang dikutip: …".
func citedData(l i18n.Localizer, links []press.Link, base string) string {
	if len(links) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("<p>" + template.HTMLEscapeString(l.T("press.data")) + ":</p><ul>")
	for _, ln := range links {
		w := ln.Words(l)
		b.WriteString(`<li><a href="` + template.HTMLEscapeString(base+ln.URL()) + `">` + template.HTMLEscapeString(w.Title) + "</a> (" +
			template.HTMLEscapeString(w.Kind) + "), " + template.HTMLEscapeString(w.Release))
		if len(w.Filters) > 0 {
			b.WriteString(" — " + template.HTMLEscapeString(strings.Join(w.Filters, "; ")))
		}
		b.WriteString("</li>")
	}
	b.WriteString("</ul>")
	return b.String()
}

// AbsoluteLinks makes the site-relative links of sanitised HTML absolute:
// a feed reader shows the content away from our site (JSON Feed has no
// xml:base). The sanitiser always writes attributes double-quoted.
func AbsoluteLinks(html, base string) string {
	for _, attr := range []string{`href="/`, `src="/`} {
		html = strings.ReplaceAll(html, attr, attr[:len(attr)-1]+base+"/")
	}
	return strings.ReplaceAll(html, `="`+base+"//", `="//`) // protocol-relative links stay as they were
}

func sortItems(items []FeedItem) {
	for i := 1; i < len(items); i++ {
		for j := i; j > 0 && items[j].Updated.After(items[j-1].Updated); j-- {
			items[j], items[j-1] = items[j-1], items[j]
		}
	}
}

// Feed serves /feed.xml, /feed.atom and /feed.json with the filters of
// /berita, absolute links, a self link, the WebSub hub when configured,
// and ETag / 304.
func (s *Handler) Feed(format string) gin.HandlerFunc {
	return func(c *gin.Context) {
		f, err := parsePostFilter(c)
		if err != nil {
			_ = c.Error(err)
			return
		}
		s.ServeFeed(c, format, f.query(), func(base string) (FeedMeta, []FeedItem, error) {
			items, err := s.feedItems(c, f, base)
			l := s.Cat.For(web.LangOf(c))
			return FeedMeta{Title: l.T("press.feed_title"), Description: l.T("press.feed_description"), Home: "/berita",
				Hub: s.websubHub, Author: l.T("press.author")}, items, err
		})
	}
}

// ServeFeed answers a feed of the press store ("atom", "rss" or "json")
// whose filters are q: build gives its description (Home a path of this
// site, the filters added) and entries with absolute links on base. A feed
// is built once per change readers can see (the press store's public
// version): newsrooms poll feeds often. The answer has a self link, the
// hub when the description names one, and ETag / 304.
func (s *Handler) ServeFeed(c *gin.Context, format string, q url.Values, build func(base string) (FeedMeta, []FeedItem, error)) {
	base := s.BaseOf(c)
	pv, err := s.Press.PublicVersion(c.Request.Context())
	if err != nil {
		_ = c.Error(err)
		return
	}
	key := "feed|" + strconv.FormatInt(pv, 10) + "|" + c.Request.URL.Path + "|" + string(web.LangOf(c)) + "|" + base + "|" + q.Encode()
	if hit, ok := s.Answers.Get(key); ok {
		s.sendFeed(c, format, hit.Body, hit.Link)
		return
	}
	m, items, err := build(base)
	if err != nil {
		_ = c.Error(err)
		return
	}
	if web.LangOf(c) != i18n.Default {
		q = maps.Clone(q)
		q.Set("lang", string(web.LangOf(c)))
	}
	qs := ""
	if len(q) > 0 {
		qs = "?" + q.Encode()
	}
	m.Lang, m.Home, m.Self = string(web.LangOf(c)), base+m.Home+qs, base+c.Request.URL.Path+qs
	if len(items) > 0 {
		m.Updated = items[0].Updated
	} else {
		m.Updated = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	var body []byte
	switch format {
	case "atom":
		body, err = AtomFeed(m, items)
	case "rss":
		body, err = rssFeed(m, items)
	default:
		body, err = jsonFeed(m, items)
	}
	if err != nil {
		_ = c.Error(err)
		return
	}
	links := []string{"<" + m.Self + `>; rel="self"`}
	if m.Hub != "" {
		links = append(links, "<"+m.Hub+`>; rel="hub"`)
	}
	link := strings.Join(links, ", ")
	s.Answers.Put(&web.CachedAnswer{Key: key, Body: body, Link: link})
	s.sendFeed(c, format, body, link)
}

var feedTypes = map[string]string{
	"atom": "application/atom+xml; charset=utf-8",
	"rss":  "application/rss+xml; charset=utf-8",
	"json": "application/feed+json; charset=utf-8",
}

// sendFeed answers with a feed and its validators: an ETag from its bytes
// (If-None-Match gives 304) and the Link header.
func (s *Handler) sendFeed(c *gin.Context, format string, body []byte, link string) {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	h := c.Writer.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", s.CacheControl(c))
	h.Set("Link", link)
	if web.ETagMatches(c, etag) {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, feedTypes[format], body)
}

// Atom (RFC 4287).
type atomFeedXML struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Sub     string      `xml:"subtitle"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel    string `xml:"rel,attr,omitempty"`
	Href   string `xml:"href,attr"`
	Type   string `xml:"type,attr,omitempty"`
	Title  string `xml:"title,attr,omitempty"`
	Length int64  `xml:"length,attr,omitempty"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Links      []atomLink     `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Summary    atomText       `xml:"summary"`
	Content    atomText       `xml:"content"`
	Categories []atomCategory `xml:"category"`
}

func AtomFeed(m FeedMeta, items []FeedItem) ([]byte, error) {
	f := atomFeedXML{Lang: m.Lang, ID: m.Self, Title: m.Title, Sub: m.Description, Updated: RFC3339WIB(m.Updated),
		Links:  []atomLink{{Rel: "self", Href: m.Self, Type: "application/atom+xml"}, {Rel: "alternate", Href: m.Home, Type: "text/html"}},
		Author: atomAuthor{Name: m.Author}}
	if m.Hub != "" {
		f.Links = append(f.Links, atomLink{Rel: "hub", Href: m.Hub})
	}
	for _, it := range items {
		e := atomEntry{ID: it.ID, Title: atomText{"text", it.Title}, Published: RFC3339WIB(it.Published), Updated: RFC3339WIB(it.Updated),
			Summary: atomText{"text", it.Summary}, Content: atomText{"html", it.Content},
			Links: []atomLink{{Rel: "alternate", Href: it.URL, Type: "text/html"}}}
		for _, en := range it.Enclosures {
			e.Links = append(e.Links, atomLink{Rel: "enclosure", Href: en.URL, Type: en.Type, Title: en.Title, Length: en.Length})
		}
		for _, cat := range it.Categories {
			e.Categories = append(e.Categories, atomCategory{Term: cat})
		}
		f.Entries = append(f.Entries, e)
	}
	return marshalXML(f)
}

func marshalXML(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", " ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("feed: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// RSS 2.0, with the full content in content:encoded and the self link as
// atom:link.
type rssXML struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Content string     `xml:"xmlns:content,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title       string     `xml:"title"`
	Link        string     `xml:"link"`
	Description string     `xml:"description"`
	Language    string     `xml:"language"`
	LastBuild   string     `xml:"lastBuildDate"`
	AtomLinks   []atomLink `xml:"atom:link"`
	Items       []rssItem  `xml:"item"`
}

type rssGUID struct {
	Perma string `xml:"isPermaLink,attr"`
	ID    string `xml:",chardata"`
}

type rssEnclosure struct {
	URL    string `xml:"url,attr"`
	Length int64  `xml:"length,attr"`
	Type   string `xml:"type,attr"`
}

type rssItem struct {
	Title       string        `xml:"title"`
	Link        string        `xml:"link"`
	GUID        rssGUID       `xml:"guid"`
	PubDate     string        `xml:"pubDate"`
	Description string        `xml:"description"`
	Content     string        `xml:"content:encoded"`
	Categories  []string      `xml:"category"`
	Enclosure   *rssEnclosure `xml:"enclosure"`
}

// rfc1123WIB is RSS's date format (RFC 822 with a four-digit year).
func rfc1123WIB(t time.Time) string { return t.In(bansos.WIB).Format(time.RFC1123Z) }

func rssFeed(m FeedMeta, items []FeedItem) ([]byte, error) {
	ch := rssChannel{Title: m.Title, Link: m.Home, Description: m.Description, Language: m.Lang, LastBuild: rfc1123WIB(m.Updated),
		AtomLinks: []atomLink{{Rel: "self", Href: m.Self, Type: "application/rss+xml"}}}
	if m.Hub != "" {
		ch.AtomLinks = append(ch.AtomLinks, atomLink{Rel: "hub", Href: m.Hub})
	}
	for _, it := range items {
		ri := rssItem{Title: it.Title, Link: it.URL, GUID: rssGUID{"false", it.ID}, PubDate: rfc1123WIB(it.Published),
			// Readers render <description> as HTML: a plain-text summary
			// is escaped for HTML here, then once more by the XML encoder.
			Description: template.HTMLEscapeString(it.Summary), Content: it.Content, Categories: it.Categories}
		// RSS 2.0 allows one enclosure per item: the first attachment.
		if len(it.Enclosures) > 0 {
			en := it.Enclosures[0]
			ri.Enclosure = &rssEnclosure{URL: en.URL, Length: en.Length, Type: en.Type}
		}
		ch.Items = append(ch.Items, ri)
	}
	return marshalXML(rssXML{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", Content: "http://purl.org/rss/1.0/modules/content/", Channel: ch})
}

// JSON Feed 1.1.
type jsonFeedDoc struct {
	Version     string         `json:"version"`
	Title       string         `json:"title"`
	HomePageURL string         `json:"home_page_url"`
	FeedURL     string         `json:"feed_url"`
	Description string         `json:"description"`
	Language    string         `json:"language"`
	Authors     []jsonAuthor   `json:"authors"`
	Hubs        []jsonHub      `json:"hubs,omitempty"`
	Items       []jsonFeedItem `json:"items"`
}

type jsonAuthor struct {
	Name string `json:"name"`
}

type jsonHub struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

type jsonFeedItem struct {
	ID            string           `json:"id"`
	URL           string           `json:"url"`
	Title         string           `json:"title"`
	Summary       string           `json:"summary,omitempty"`
	ContentHTML   string           `json:"content_html"`
	DatePublished string           `json:"date_published"`
	DateModified  string           `json:"date_modified"`
	Tags          []string         `json:"tags,omitempty"`
	Attachments   []jsonAttachment `json:"attachments,omitempty"`
}

type jsonAttachment struct {
	URL      string `json:"url"`
	MimeType string `json:"mime_type"`
	Title    string `json:"title,omitempty"`
	Size     int64  `json:"size_in_bytes"`
}

func jsonFeed(m FeedMeta, items []FeedItem) ([]byte, error) {
	d := jsonFeedDoc{Version: "https://jsonfeed.org/version/1.1", Title: m.Title, HomePageURL: m.Home, FeedURL: m.Self,
		Description: m.Description, Language: m.Lang, Authors: []jsonAuthor{{m.Author}}, Items: []jsonFeedItem{}}
	if m.Hub != "" {
		d.Hubs = []jsonHub{{"WebSub", m.Hub}}
	}
	for _, it := range items {
		ji := jsonFeedItem{ID: it.ID, URL: it.URL, Title: it.Title, Summary: it.Summary, ContentHTML: it.Content,
			DatePublished: RFC3339WIB(it.Published), DateModified: RFC3339WIB(it.Updated), Tags: it.Categories}
		for _, en := range it.Enclosures {
			ji.Attachments = append(ji.Attachments, jsonAttachment{URL: en.URL, MimeType: en.Type, Title: en.Title, Size: en.Length})
		}
		d.Items = append(d.Items, ji)
	}
	b, err := json.MarshalIndent(d, "", " ")
	if err != nil {
		return nil, fmt.Errorf("feed: %w", err)
	}
	return append(b, '\n'), nil
}
