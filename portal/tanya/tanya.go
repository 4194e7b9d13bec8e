// Package tanya is the information desk's public side (/tanya): the form
// anyone uses to ask the ministry's information office (PPID) a question,
// without an account; the asker's private tracking page; the published
// answers with their feeds, and the blocks of region and programme pages
// that list them; and the yearly service report. The statutory clock is
// internal/kip, the requests internal/press (request*.go), the rules
// docs/information-desk.md; the office's side is portal/admin (desk.go).
package tanya

import (
	"time"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/portal/news"
	"github.com/portal-data-bansos/portal/portal/web"
)

// Limits of the form.
const (
	// AsksPerHour is how many questions one client address may send in
	// an hour (an IPv6 /64 counts as one address, web.ClientKey).
	AsksPerHour = 5
	// MaxBody bounds the form's body: the longest question (4,000
	// characters, up to 16 KiB in UTF-8, three times that percent-encoded
	// as browsers send it) and the other fields fit.
	MaxBody = 64 << 10
)

// Handler serves the desk's public pages.
type Handler struct {
	*web.Site
	news     *news.Handler
	readOnly bool
	// perAddr counts the questions each client address sent in the last
	// hour (press.Limiter's "failures" are the questions here).
	perAddr *press.Limiter
}

// New is the desk's public surface; it writes its feeds as news does. On
// a read-only replica the form is shown without its submit: questions go
// to the main site, which alone writes press.db.
func New(site *web.Site, n *news.Handler, readOnly bool) *Handler {
	return &Handler{Site: site, news: n, readOnly: readOnly, perAddr: press.NewLimiter(AsksPerHour, time.Hour)}
}

// Routes registers the desk's pages. The form and the tracking page are
// never cached; the published answers are, like the news, by the press
// store's public version.
func (s *Handler) Routes(e gin.IRoutes) {
	e.GET("/tanya", s.Form)
	if !s.readOnly {
		e.POST("/tanya", s.Ask)
	}
	e.GET("/tanya/lacak/:token", s.Track)
	e.GET("/tanya/terjawab", s.CachedPage(s.AnswerList))
	e.GET("/tanya/terjawab/:id", s.CachedPage(s.AnswerPage))
	for path, format := range map[string]string{"/tanya/terjawab.atom": "atom", "/tanya/terjawab.rss": "rss", "/tanya/terjawab.json": "json"} {
		e.GET(path, s.Feed(format))
		e.HEAD(path, s.Feed(format))
	}
	e.GET("/tanya/laporan", s.Report)
	e.GET("/tanya/laporan.csv", s.ReportCSV)
}

// private marks an answer that holds a tracking token, or leads to one:
// never stored by a cache, never indexed, and never named in the
// Referer of the pages it links to.
func private(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Header("X-Robots-Tag", "noindex, nofollow")
	c.Header("Referrer-Policy", "no-referrer")
}
