package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/internal/release"
)

// Licence is the licence of every published statistic (docs/interface.md,
// "Licence").
const (
	Licence    = "CC BY 4.0"
	LicenceURL = "https://creativecommons.org/licenses/by/4.0/"
	// Publisher is the author a citation names and the publisher every
	// metadata document names.
	Publisher = "Portal Data Bansos"
	// ContactName and ContactEmail are the data team's, in every
	// metadata document and the OpenAPI description. The address is a
	// placeholder on the reserved .example domain (RFC 2606), not a real
	// one: a deployment must replace it with the address its data team
	// actually reads before harvesters are pointed at the site.
	ContactName  = "Tim Data Portal Data Bansos"
	ContactEmail = "data@portal-bansos.example"
)

// Citation is a view's "Cara mengutip / How to cite" block: the absolute
// URL pinned to the release and to the filters or period in view, the
// access date and the licence, as plain text, BibTeX and RIS
// (docs/interface.md, "Citing").
type Citation struct {
	Title     string
	URL       string
	Release   int
	Published time.Time
	Accessed  time.Time
	Synthetic bool
	Text      string
	BibTeX    string
	RIS       string
	// PressURL is the "Kutip di siaran pers / Cite in a release" action:
	// the press office's editor, a new post with this view attached as a
	// link pinned to the release (CiteURL). Empty for a view a post cannot
	// link to (only datasets and charts are).
	PressURL string
}

// CiteParam is the parameter of the new-post editor that attaches a
// citation: /admin/tulis?kutip=LINK, LINK in the editor's form
// (press.Link.String).
const CiteParam = "kutip"

// CiteURL is the action that opens a new post citing l. The action is
// rendered hidden on every public page and revealed by site.js to a
// browser that signed in to the press office (see partial_cite.html): the
// pages are cached and shared, so they cannot depend on a session.
func CiteURL(l press.Link) string {
	return "/admin/tulis?" + CiteParam + "=" + url.QueryEscape(l.String())
}

// pressLink is the link a post cites for the view at the absolute URL u
// with the title given: a dataset page (its slug and filters) or a
// chart's page (its id, filters and title), pinned to rel. Other views
// give none.
func pressLink(u, title string, rel int) (press.Link, bool) {
	pu, err := url.Parse(u)
	if err != nil {
		return press.Link{}, false
	}
	kind, target, ok := strings.Cut(strings.TrimPrefix(pu.Path, "/"), "/")
	if !ok || (kind != press.LinkDataset && kind != press.LinkChart) || target == "" {
		return press.Link{}, false
	}
	q := pu.Query()
	q.Del("release")
	l := press.Link{Kind: kind, Target: target, Release: rel, Query: q.Encode()}
	if kind == press.LinkChart {
		l.Title = title
	}
	// Read back as the editor would: a view whose filters a post cannot
	// cite offers no action.
	links, err := press.ParseLinks(l.String())
	if err != nil || len(links) != 1 {
		return press.Link{}, false
	}
	return links[0], true
}

// CiteURL is the "Cite in a release" action of a realisation figure: the
// realisasi dataset filtered to its programme, quarter and region (the
// nation as "-"), pinned to release rel; the post then shows the figure
// as of that release.
func (r RealView) CiteURL(rel int) string {
	kode := r.Kode
	if kode == "" {
		kode = dataset.EmptyValue
	}
	q := url.Values{"periode": {r.Periode}, "program": {r.Program}, "kode_wilayah": {kode}}
	links, err := press.ParseLinks(press.Link{Kind: press.LinkDataset, Target: dataset.Realisasi.Slug, Release: rel, Query: q.Encode()}.String())
	if err != nil || len(links) != 1 || r.Periode == "" || r.Program == "" {
		return ""
	}
	return CiteURL(links[0])
}

// Cite builds the citation of what the request shows: title names it in
// the page's language, path and q are its URL without the release (q is
// copied; "lang" and paging are left out: a citation names the view, not
// the reader's language). The URL is pinned to rel.
func (s *Site) Cite(c *gin.Context, l i18n.Localizer, title string, rel release.Release, path string, q url.Values) *Citation {
	pinned := url.Values{}
	for k, v := range q {
		switch k {
		case "lang", "cursor", "release", "grafik", "format":
			continue
		}
		if len(v) == 0 || v[0] == "" {
			continue
		}
		pinned[k] = v
	}
	pinned.Set("release", strconv.Itoa(rel.Number))
	return NewCitation(l, title, s.BaseOf(c)+path+"?"+pinned.Encode(), rel, s.Now())
}

// NewCitation writes the citation of title at the absolute URL u.
func NewCitation(l i18n.Localizer, title, u string, rel release.Release, now time.Time) *Citation {
	accessed := now.In(bansos.WIB)
	ct := &Citation{Title: title, URL: u, Release: rel.Number, Published: rel.PublishedAt, Accessed: accessed, Synthetic: rel.Synthetic}
	if l, ok := pressLink(u, title, rel.Number); ok {
		ct.PressURL = CiteURL(l)
	}
	demo := ""
	if rel.Synthetic {
		demo = " " + l.T("cite.synthetic")
	}
	ct.Text = l.T("cite.text", Publisher, rel.PublishedAt.In(bansos.WIB).Year(), title, rel.Number, u, l.Date(accessed), Licence) + demo
	key := fmt.Sprintf("portaldatabansos%d_r%d", rel.PublishedAt.In(bansos.WIB).Year(), rel.Number)
	note := fmt.Sprintf("%s %d. %s", l.T("cite.release"), rel.Number, l.T("cite.licence", Licence))
	if rel.Synthetic {
		note += " " + l.T("cite.synthetic")
	}
	ct.BibTeX = "@misc{" + key + ",\n" +
		"  author       = {{" + bibEscape(Publisher) + "}},\n" +
		"  title        = {" + bibEscape(title) + "},\n" +
		"  year         = {" + strconv.Itoa(rel.PublishedAt.In(bansos.WIB).Year()) + "},\n" +
		"  howpublished = {\\url{" + u + "}},\n" +
		"  note         = {" + bibEscape(note) + "},\n" +
		"  urldate      = {" + accessed.Format(time.DateOnly) + "}\n}"
	ris := []string{
		"TY  - DATA",
		"AU  - " + Publisher,
		"TI  - " + oneLine(title),
		"PY  - " + strconv.Itoa(rel.PublishedAt.In(bansos.WIB).Year()),
		"DA  - " + rel.PublishedAt.In(bansos.WIB).Format("2006/01/02"),
		"ET  - " + l.T("cite.release") + " " + strconv.Itoa(rel.Number),
		"UR  - " + u,
		"Y2  - " + accessed.Format("2006/01/02"),
		"N1  - " + oneLine(note),
		"ER  - ",
	}
	ct.RIS = strings.Join(ris, "\r\n") + "\r\n"
	return ct
}

// bibEscape escapes BibTeX's special characters in a field's text.
func bibEscape(s string) string {
	r := strings.NewReplacer(`\`, `\textbackslash{}`, "{", `\{`, "}", `\}`, "%", `\%`, "&", `\&`, "$", `\$`, "#", `\#`, "_", `\_`, "~", `\textasciitilde{}`, "^", `\textasciicircum{}`)
	return r.Replace(oneLine(s))
}

// oneLine keeps a field on one line (RIS and BibTeX fields are lines).
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// DataSource is where a release's numbers come from, in both languages:
// the ministry's distribution files, or for a demo release the generator
// (docs/interface.md, "Demo data").
func (s *Site) DataSource(rel release.Release) i18n.Text {
	if rel.Synthetic {
		return s.Cat.Both("demo.source")
	}
	return s.Cat.Both("dataset.source")
}
