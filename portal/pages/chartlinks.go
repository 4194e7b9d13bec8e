package pages

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"

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
// same filters as its stable link, the embed and the exact CSV — and, in
// embed mode, answers with the chart asked for instead of the page. It
// reports whether it answered.
func (s *Handler) pageCharts(c *gin.Context, p *web.Page, rel release.Release, views ...*charts.View) bool {
	q := c.Request.URL.Query()
	q.Del("grafik")
	q.Del("format")
	base := c.Request.URL.Path
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
		cv.Embed = "/embed" + base + "?" + e.Encode()
		cv.EmbedCode = iframe(c, cv)
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
			c.Header("Content-Type", "text/csv; charset=utf-8")
			c.Header("Content-Disposition", `attachment; filename="grafik_`+cv.ID+`_rilis-`+strconv.Itoa(rel.Number)+`.csv"`)
			w := csv.NewWriter(c.Writer)
			w.Write(cv.Head)
			for _, r := range cv.Raw {
				w.Write(r)
			}
			w.Flush()
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

// iframe is the snippet that embeds a chart on another site.
func iframe(c *gin.Context, cv *charts.View) string {
	return `<iframe src="` + web.AbsoluteURL(c, cv.Embed) + `" width="100%" height="460" style="border:0" loading="lazy" title="` +
		strings.ReplaceAll(cv.Title, `"`, "&quot;") + `"></iframe>`
}
