package tanya

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/portal/news"
	"github.com/portal-data-bansos/portal/portal/web"
)

// trackPage is the asker's view of their request: its progress and
// deadline, then the answer or the refusal. Never their name or address
// (press.AskerView has neither): a forwarded link shows nothing personal.
type trackPage struct {
	*web.Page
	R *press.AskerView
	web.RequestSubject
	// DaysLeft and Overdue while the request is open (TimeLeft).
	DaysLeft int
	Overdue  bool
	web.AnswerText
	Links   []web.CitedLink
	Figures []news.FigureLine
	// Ground is the refusal's legal ground, in the reader's language.
	Ground       string
	GroundLaw    string
	PublishedURL string
}

// Track is /tanya/lacak/{token}: the request of a tracking token. The
// token is the page's address, so the page is private (never cached,
// never indexed, no Referer to the pages it links to), and the request
// log writes its path without it (web.RequestLog). An unknown token, or
// one whose request was purged, is a 404 like any other.
func (s *Handler) Track(c *gin.Context) {
	private(c)
	ctx := c.Request.Context()
	v, err := s.Press.ByToken(ctx, c.Param("token"))
	if err != nil {
		_ = c.Error(err)
		return
	}
	p := &trackPage{Page: s.NewPage(c, "tanya"), R: v}
	l := p.L
	p.RequestSubject = web.RequestSubjectOf(l, v.Region, v.Program, v.Dataset)
	switch v.Status {
	case press.RequestReceived:
		cal, _ := s.Press.Calendar()
		p.DaysLeft, p.Overdue = web.WorkingDaysLeft(cal, s.Now(), v.Deadline)
	case press.RequestAnswered:
		p.AnswerText, p.Links = web.AnswerIn(l, v.Answer), web.CitedLinks(l, v.Links)
		if p.Figures, err = s.news.FigureLines(ctx, l, v.Links); err != nil {
			_ = c.Error(err)
			return
		}
		if v.Published {
			p.PublishedURL = web.AnswerURL(v.ID)
		}
	case press.RequestRefused:
		if g, ok := v.Ground(); ok {
			p.Ground, p.GroundLaw = g.Label.In(string(l.Lang)), g.Article
		}
	}
	s.Render(c, http.StatusOK, "tanya_lacak", p)
}
