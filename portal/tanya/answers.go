package tanya

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/apperr"
	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/portal/news"
	"github.com/portal-data-bansos/portal/portal/web"
)

// Lengths of the lists of published answers.
const (
	// PerPage is the length of a page of /tanya/terjawab.
	PerPage = 10
	// FeedLength is how many answers a feed carries.
	FeedLength = 50
)

// answerFilter is the filters of the list and the feeds: program, and
// wilayah (a region also finds the answers about the regions inside it).
type answerFilter struct {
	Program, Region string
}

// parseAnswerFilter reads the filters; a value that does not exist is a
// 400 that says what does.
func parseAnswerFilter(c *gin.Context) (answerFilter, error) {
	var f answerFilter
	f.Program = strings.ToUpper(strings.TrimSpace(c.Query("program")))
	if f.Program != "" && !slices.Contains(bansos.ProgramCodes, f.Program) {
		return f, apperr.BadValue("program", "error.bad_param", "program", strings.Join(bansos.ProgramCodes, ", "))
	}
	if w := strings.TrimSpace(c.Query("wilayah")); w != "" {
		r, ok := region.Default().Lookup(w)
		if !ok || r.Level > region.District {
			return f, apperr.BadValue("wilayah", "error.bad_param.region")
		}
		f.Region = r.Code
	}
	return f, nil
}

func (f answerFilter) query() url.Values {
	q := url.Values{}
	if f.Program != "" {
		q.Set("program", f.Program)
	}
	if f.Region != "" {
		q.Set("wilayah", f.Region)
	}
	return q
}

// listPage is /tanya/terjawab.
type listPage struct {
	*web.Page
	Answers    []web.AnswerView
	Filter     answerFilter
	RegionName string
	Programs   []option
	Provinces  []region.Region
	Total      int
	PageNum    int
	Prev, Next string
	FeedQuery  string
	BadParam   string
}

// AnswerList is /tanya/terjawab: the published answers, the latest first,
// filtered by programme and region, ten a page, with their feeds.
func (s *Handler) AnswerList(c *gin.Context) {
	p := &listPage{Page: s.NewPage(c, "tanya"), Provinces: region.Default().Provinces(), PageNum: 1}
	for _, code := range bansos.ProgramCodes {
		p.Programs = append(p.Programs, option{code, p.L.T("program.name." + code)})
	}
	f, err := parseAnswerFilter(c)
	if err == nil && c.Query("halaman") != "" {
		n, perr := strconv.Atoi(c.Query("halaman"))
		if perr != nil || n < 1 || n > 10000 {
			err = apperr.BadValue("halaman", "error.bad_param.page")
		}
		p.PageNum = n
	}
	if err != nil {
		p.BadParam = apperr.From(err).Message(s.Cat).In(string(p.L.Lang))
		c.Header("Cache-Control", "no-store")
		s.Render(c, http.StatusBadRequest, "tanya_terjawab", p)
		return
	}
	p.Filter, p.RegionName = f, region.Default().Name(f.Region)
	if p.Answers, p.Total, err = s.PublishedAnswers(c, p.L, press.AnswerFilter{Program: f.Program, Region: f.Region,
		Limit: PerPage, Offset: (p.PageNum - 1) * PerPage}); err != nil {
		_ = c.Error(err)
		return
	}
	q := f.query()
	p.FeedQuery = q.Encode()
	if p.PageNum > 1 {
		q.Set("halaman", strconv.Itoa(p.PageNum-1))
		p.Prev = "/tanya/terjawab?" + q.Encode()
	}
	if p.PageNum*PerPage < p.Total {
		q.Set("halaman", strconv.Itoa(p.PageNum+1))
		p.Next = "/tanya/terjawab?" + q.Encode()
	}
	c.Header("Cache-Control", "public, max-age=60")
	s.Render(c, http.StatusOK, "tanya_terjawab", p)
}

// answerPage is /tanya/terjawab/{id}.
type answerPage struct {
	*web.Page
	A         web.AnswerView
	Figures   []news.FigureLine
	Canonical string
}

// AnswerPage is /tanya/terjawab/{id}: one published answer with its
// question, the data it cites pinned to their releases, and its dates.
// A request that is not answered, or whose asker did not agree to its
// publication, does not exist here (404).
func (s *Handler) AnswerPage(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		_ = c.Error(web.ErrNotFound)
		return
	}
	ctx := c.Request.Context()
	a, err := s.Press.AnsweredByID(ctx, id)
	if err != nil {
		_ = c.Error(err)
		return
	}
	p := &answerPage{Page: s.NewPage(c, "tanya")}
	cal, _ := s.Press.Calendar()
	p.A = web.AnswerViewOf(p.L, cal, a)
	if p.Figures, err = s.news.FigureLines(ctx, p.L, a.Links); err != nil {
		_ = c.Error(err)
		return
	}
	p.Canonical = s.BaseOf(c) + p.A.URL
	c.Header("Cache-Control", "public, max-age=60")
	c.Header("Link", "<"+p.Canonical+`>; rel="canonical"`)
	s.Render(c, http.StatusOK, "tanya_jawaban", p)
}

// Feed serves /tanya/terjawab.atom, .rss and .json: the latest published
// answers with the list's filters, each with its question, answer and
// cited data, links absolute.
func (s *Handler) Feed(format string) gin.HandlerFunc {
	return func(c *gin.Context) {
		f, err := parseAnswerFilter(c)
		if err != nil {
			_ = c.Error(err)
			return
		}
		s.news.ServeFeed(c, format, f.query(), func(base string) (news.FeedMeta, []news.FeedItem, error) {
			l := s.Cat.For(web.LangOf(c))
			m := news.FeedMeta{Title: l.T("tanya.feed_title"), Description: l.T("tanya.feed_description"), Home: "/tanya/terjawab",
				Author: l.T("press.author")}
			as, _, err := s.PublishedAnswers(c, l, press.AnswerFilter{Program: f.Program, Region: f.Region, Limit: FeedLength})
			if err != nil {
				return m, nil, err
			}
			items := make([]news.FeedItem, 0, len(as))
			for i := range as {
				it, err := s.feedItem(c, l, base, &as[i])
				if err != nil {
					return m, nil, err
				}
				items = append(items, it)
			}
			return m, items, nil
		})
	}
}

// feedItem is an answer as a feed entry. Its id is a tag URI of the
// site's host, the day of the answer and its number: it never changes.
func (s *Handler) feedItem(c *gin.Context, l i18n.Localizer, base string, a *web.AnswerView) (news.FeedItem, error) {
	host := base
	if u, err := url.Parse(base); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	esc := template.HTMLEscapeString
	var b strings.Builder
	b.WriteString("<p><strong>" + esc(l.T("tanya.question")) + ":</strong> " + esc(a.Question) + "</p>")
	if a.Name != "" {
		b.WriteString("<p>" + esc(l.T("tanya.asked_by", asker(a.Name, a.Outlet))) + "</p>")
	}
	b.WriteString(news.AbsoluteLinks(string(a.Body), base))
	figs, err := s.news.FigureLines(c.Request.Context(), l, a.Cited)
	if err != nil {
		return news.FeedItem{}, err
	}
	for _, f := range figs {
		b.WriteString("<p><strong>" + esc(f.Text) + `</strong> <a href="` + esc(base+f.Link) + `">` +
			esc(l.T("press.figure_as_of", f.Release)) + "</a></p>")
	}
	if len(a.Links) > 0 {
		b.WriteString("<p>" + esc(l.T("press.data")) + ":</p><ul>")
		for _, ln := range a.Links {
			b.WriteString(`<li><a href="` + esc(base+ln.URL) + `">` + esc(ln.LinkWords.String()) + "</a></li>")
		}
		b.WriteString("</ul>")
	}
	var cats []string
	if a.Program != "" {
		cats = append(cats, a.Program)
	}
	if a.RegionName != "" {
		cats = append(cats, a.RegionName)
	}
	return news.FeedItem{ID: "tag:" + host + "," + a.Answered.In(bansos.WIB).Format("2006-01-02") + ":tanya/" + strconv.FormatInt(a.ID, 10),
		URL: base + a.URL, Title: web.Excerpt(a.Question, 120), Summary: a.Question, Content: b.String(),
		Published: a.Answered, Updated: a.Answered, Categories: cats}, nil
}

// asker is the name an asker agreed to show, with their outlet.
func asker(name, outlet string) string {
	if outlet != "" {
		return name + " (" + outlet + ")"
	}
	return name
}
