package pages

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/portal-data-bansos/portal/portal/charts"
	"github.com/portal-data-bansos/portal/portal/web"
)

type chartPage struct {
	*web.Page
	Chart     *charts.View
	EmbedCode string
	Embedded  bool
}

// Chart serves a chart alone: /grafik/{id} (its stable page, with
// the embed code), /grafik/{id}.csv (exactly the numbers plotted) and
// /embed/grafik/{id} (the chart alone, for an iframe). ?release=N pins
// the chart to a release; without it the chart follows the release in
// force.
func (s *Handler) Chart(embedded bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.Param("id")
		asCSV := strings.HasSuffix(id, ".csv") && !embedded
		id = strings.TrimSuffix(id, ".csv")
		rel, pinned, err := s.RequestedRelease(c)
		if err != nil {
			_ = c.Error(err)
			return
		}
		p := s.NewPage(c, "")
		if err := s.WithRelease(c, p); err != nil {
			_ = c.Error(err)
			return
		}
		sel, err := parseMapSelection(c, rel)
		if err != nil {
			_ = c.Error(err)
			return
		}
		cv, err := s.chartByID(c.Request.Context(), p.L, rel, id, sel, s.BaseOf(c))
		if err != nil {
			_ = c.Error(err)
			return
		}
		if web.NotModified(c, rel, pinned, "chart", id, sel.query(), string(p.L.Lang), strconv.FormatBool(asCSV), strconv.FormatBool(embedded)) {
			return
		}
		if asCSV {
			writeChartCSV(c, cv)
			return
		}
		page := &chartPage{Page: p, Chart: cv, Embedded: embedded}
		page.EmbedCode = s.iframe(c, cv)
		page.Cite = web.NewCitation(p.L, cv.Title, cv.URL, rel, s.Now())
		if embedded {
			// The one page other sites may frame.
			c.Header("Content-Security-Policy", web.CSP("*"))
			s.Render(c, http.StatusOK, "embed", page)
			return
		}
		cv.PageHeading = true
		s.Render(c, http.StatusOK, "grafik", page)
	}
}
