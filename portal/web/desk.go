package web

// The information desk's views that several surfaces share: its own
// pages (portal/tanya), the region and programme pages that list its
// latest answers (portal/pages), and the office's queue (portal/admin).
// The rules: docs/information-desk.md.

import (
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/kip"
	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/release"
)

// RequestSubject is what an information request is about, as pages show
// it: the region, programme and dataset the asker named (each optional),
// with their pages.
type RequestSubject struct {
	RegionCode, RegionName, RegionURL string
	Program, ProgramName, ProgramURL  string
	DatasetTitle, DatasetURL          string
}

// RequestSubjectOf names a request's region, programme and dataset in
// the reader's language.
func RequestSubjectOf(l i18n.Localizer, regionCode, program, slug string) RequestSubject {
	var s RequestSubject
	if r, ok := region.Default().Lookup(regionCode); ok && regionCode != "" {
		s.RegionCode, s.RegionName, s.RegionURL = r.Code, r.Name, "/wilayah/"+r.Code
	}
	if program != "" {
		s.Program, s.ProgramName, s.ProgramURL = program, l.T("program.name."+program), "/program/"+program
	}
	if d, ok := dataset.Get(slug); ok && slug != "" {
		s.DatasetTitle, s.DatasetURL = d.Title.In(string(l.Lang)), "/dataset/"+d.Slug
	}
	return s
}

// Empty reports whether the asker named nothing.
func (s RequestSubject) Empty() bool {
	return s.RegionURL == "" && s.ProgramURL == "" && s.DatasetURL == ""
}

// CitedLink is a dataset or chart an answer cites, pinned to its
// release, as a page shows it: its address, and what it is in words
// (press.Link.Words: title, release and filters).
type CitedLink struct {
	press.LinkWords
	URL      string
	Chart    bool
	EmbedURL string
}

// CitedLinks describes an answer's links in the reader's language.
func CitedLinks(l i18n.Localizer, links []press.Link) []CitedLink {
	out := make([]CitedLink, 0, len(links))
	for _, ln := range links {
		out = append(out, CitedLink{LinkWords: ln.Words(l), URL: ln.URL(), Chart: ln.Kind == press.LinkChart, EmbedURL: ln.EmbedURL()})
	}
	return out
}

// AnswerText is an answer as a page shows it: the Markdown rendered in
// the reader's language, or in the other one when it was written only in
// that (Lang says which, for the lang attribute).
type AnswerText struct {
	Lang string
	Body template.HTML
}

// AnswerIn renders an answer for a reader of l.
func AnswerIn(l i18n.Localizer, t i18n.Text) AnswerText {
	// As i18n.Text.In picks.
	shown := string(i18n.ID)
	if l.Lang == i18n.EN && t.EN != "" || t.ID == "" {
		shown = string(i18n.EN)
	}
	return AnswerText{Lang: shown, Body: press.RenderMarkdown(t.In(shown))}
}

// WorkingDaysLeft is an open request's time to its deadline in working
// days after today (0: due today; negative: that many working days late),
// and whether the deadline has passed.
func WorkingDaysLeft(cal *kip.Calendar, now, deadline time.Time) (days int, overdue bool) {
	return cal.WorkingDaysBetween(now, deadline), now.After(deadline)
}

// Excerpt is the start of a text for a list or a feed title: at most n
// characters, cut at a word, with an ellipsis when cut.
func Excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n]
	if i := strings.LastIndexByte(string(r), ' '); i > n/2 {
		return string(r)[:i] + "…"
	}
	return string(r) + "…"
}

// AnswerView is a published answer as the public pages and the feeds
// show it. It is built from press.PublicAnswer, which holds no e-mail
// address, and a name and outlet only when the asker agreed.
type AnswerView struct {
	ID       int64
	URL      string
	Question string
	Excerpt  string
	Name     string
	Outlet   string
	RequestSubject
	Received time.Time
	Answered time.Time
	// Days counts the working days from receipt to answer.
	Days          int
	ExtensionDays int
	AnswerText
	Links []CitedLink
	// Cited are the answer's links themselves (for the realisation
	// figures they cite).
	Cited []press.Link
}

// AnswerURL is a published answer's address.
func AnswerURL(id int64) string { return "/tanya/terjawab/" + strconv.FormatInt(id, 10) }

// AnswerViewOf prepares a published answer for a reader of l.
func AnswerViewOf(l i18n.Localizer, cal *kip.Calendar, a *press.PublicAnswer) AnswerView {
	return AnswerView{ID: a.ID, URL: AnswerURL(a.ID), Question: a.Question, Excerpt: Excerpt(a.Question, 160),
		Name: a.Name, Outlet: a.Outlet, RequestSubject: RequestSubjectOf(l, a.Region, a.Program, a.Dataset),
		Received: a.Received, Answered: a.Answered, Days: cal.WorkingDaysBetween(a.Received, a.Answered),
		ExtensionDays: a.ExtensionDays, AnswerText: AnswerIn(l, a.Answer), Links: CitedLinks(l, a.Links), Cited: a.Links}
}

// PublishedAnswers reads published answers for a reader of l, and how
// many f selects in all.
func (s *Site) PublishedAnswers(c *gin.Context, l i18n.Localizer, f press.AnswerFilter) ([]AnswerView, int, error) {
	as, total, err := s.Press.Answered(c.Request.Context(), f)
	if err != nil {
		return nil, 0, err
	}
	cal, _ := s.Press.Calendar()
	out := make([]AnswerView, len(as))
	for i := range as {
		out[i] = AnswerViewOf(l, cal, &as[i])
	}
	return out, total, nil
}

// LatestAnswersN is how many answers a region or programme page lists.
const LatestAnswersN = 5

// Questions is the block of a region or programme page that lists the
// information desk's latest published answers about it, with links to
// all of them and to the form, filled in.
type Questions struct {
	Answers []AnswerView
	Total   int
	More    string
	Ask     string
}

// PageAnswers is the information desk's block of a region or programme
// page (f names one of them: answers about it or the regions inside it),
// or done when the reader's copy of the page is still good. The desk's
// answers change without a release, so their version joins the page's
// validator (parts, as for NotModified), and they are read only when the
// page is rendered. A page pinned to a data release shows it as that
// release was cited: no block (nil).
func (s *Site) PageAnswers(c *gin.Context, rel release.Release, pinned bool, f press.AnswerFilter, parts ...string) (q *Questions, done bool, err error) {
	// The version comes from the stamp the page cache keys on (no query
	// of its own), so a page answers 304 before its block is read.
	tag := ""
	if !pinned {
		_, pv, err := s.stamp(c.Request.Context())
		if err != nil {
			return nil, false, err
		}
		tag = "tanya-" + strconv.FormatInt(pv, 10)
	}
	if NotModified(c, rel, pinned, append(parts, tag)...) {
		return nil, true, nil
	}
	if pinned {
		return nil, false, nil
	}
	f.Limit, f.Offset = LatestAnswersN, 0
	as, total, err := s.PublishedAnswers(c, s.Cat.For(LangOf(c)), f)
	if err != nil {
		return nil, false, err
	}
	v := url.Values{}
	if f.Program != "" {
		v.Set("program", f.Program)
	}
	if f.Region != "" {
		v.Set("wilayah", f.Region)
	}
	return &Questions{Answers: as, Total: total,
		More: "/tanya/terjawab?" + v.Encode(), Ask: "/tanya?" + v.Encode()}, false, nil
}
