package pages

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"html/template"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/portal/charts"
	"github.com/portal-data-bansos/portal/portal/web"
)

const ctxEmbed = "embed"

// EmbedOf serves a page's chart alone: /embed/wilayah/32?grafik=ID (for an
// iframe) or with &format=csv (exactly the plotted numbers), by running
// the page's own handler in embed mode.
func (s *Handler) EmbedOf(h gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Set(ctxEmbed, true)
		h(c)
	}
}

// pageCharts gives each chart of a page its links — the page with the
// same filters as its stable link, the embed and the exact CSV — each
// pinned to the release and to the period in view (pin: the page's
// filters, periode always set), so that an embedded or cited chart never
// changes when the next release lands. In embed mode it answers with the
// chart asked for instead of the page, and reports that it answered.
func (s *Handler) pageCharts(c *gin.Context, p *web.Page, rel release.Release, pin url.Values, views ...*charts.View) bool {
	q := url.Values{}
	for k, v := range pin {
		if len(v) > 0 && v[0] != "" {
			q[k] = v
		}
	}
	q.Set("release", strconv.Itoa(rel.Number))
	// The page's own path, also when this is its embed (/embed/wilayah/…).
	base := strings.TrimPrefix(c.Request.URL.Path, "/embed")
	for _, cv := range views {
		if cv == nil {
			continue
		}
		e := url.Values{}
		for k, v := range q {
			e[k] = v
		}
		e.Set("grafik", cv.ID)
		cv.Link = base + "?" + q.Encode() + "#" + cv.ID
		cv.URL = s.BaseOf(c) + cv.Link
		cv.Embed = "/embed" + base + "?" + e.Encode()
		cv.EmbedCode = s.iframe(c, cv)
		e.Set("format", "csv")
		cv.CSV = "/embed" + base + "?" + e.Encode()
	}
	if !c.GetBool(ctxEmbed) {
		return false
	}
	want := c.Query("grafik")
	for _, cv := range views {
		if cv == nil || cv.ID != want {
			continue
		}
		if c.Query("format") == "csv" {
			writeChartCSV(c, cv)
			return true
		}
		c.Header("Content-Security-Policy", web.CSP("*"))
		page := &chartPage{Page: p, Chart: cv, Embedded: true}
		s.Render(c, http.StatusOK, "embed", page)
		return true
	}
	_ = c.Error(web.ErrNotFound)
	return true
}

// writeChartCSV answers with exactly what a chart plots, in the one CSV
// form of every chart (charts.View.WriteCSV), named for what it is.
func writeChartCSV(c *gin.Context, cv *charts.View) {
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="`+cv.Filename(".csv")+`"`)
	if err := cv.WriteCSV(c.Writer); err != nil {
		_ = c.Error(err)
	}
}

// iframe is the snippet that embeds a chart on another site: the iframe,
// sized for a chart with its legend, source and credit, and the small
// script (static/js/embed.js) that fits its height to the content the
// embed reports by postMessage, as Datawrapper's and Our World in Data's
// embeds do.
func (s *Handler) iframe(c *gin.Context, cv *charts.View) string {
	base := s.BaseOf(c)
	title := strings.ReplaceAll(template.HTMLEscapeString(cv.Title), "&#34;", "&quot;")
	return `<iframe src="` + template.HTMLEscapeString(base+cv.Embed) + `" width="100%" height="` + strconv.Itoa(embedHeight) +
		`" style="border:0;width:100%;min-width:300px" loading="lazy" title="` + title + `" data-bansos-embed></iframe>` +
		"\n" + `<script src="` + base + `/static/js/embed.js" async></script>`
}

// embedHeight is an embed's height before its script has reported the
// true one: a chart up to 480 px with its title, legend, note, links and
// credit.
const embedHeight = 680
