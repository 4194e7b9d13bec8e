package portal

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/dataset"
)

type homePage struct {
	*Page
	Charts   []chartView
	Head     *headline
	Programs []string
	Program  string
}

// home is the dashboard: the release in force, or an empty state.
func (s *Server) home(c *gin.Context) {
	p := s.page(c, "home")
	if err := s.withRelease(c, p); err != nil {
		_ = c.Error(err)
		return
	}
	hp := homePage{Page: p, Programs: dashboardPrograms, Program: "SEMBAKO"}
	if p.Release != nil {
		ctx := c.Request.Context()
		// Filters: the quarter of the headline and the programme of the
		// map, in the URL so a view can be shared.
		q := c.Query("periode")
		if q != "" && !contains(p.Release.Periods, q) {
			s.badRequest(c, &dataset.QueryError{Code: "bad_value", Msg: dataset.Text{
				ID: "triwulan " + strconv.Quote(q) + " tidak ada dalam rilis ini; pilihan: " + strings.Join(p.Release.Periods, ", "),
				EN: "quarter " + strconv.Quote(q) + " is not in this release; choices: " + strings.Join(p.Release.Periods, ", ")}})
			return
		}
		if prog := strings.ToUpper(c.Query("program")); prog != "" {
			if !contains(dashboardPrograms, prog) {
				s.badRequest(c, &dataset.QueryError{Code: "bad_value", Msg: dataset.Text{
					ID: "program " + strconv.Quote(prog) + " tidak dikenal; pilihan: " + strings.Join(dashboardPrograms, ", "),
					EN: "unknown programme " + strconv.Quote(prog) + "; choices: " + strings.Join(dashboardPrograms, ", ")}})
				return
			}
			hp.Program = prog
		}
		var err error
		if hp.Head, err = s.headlineOf(ctx, *p.Release, q); err != nil {
			_ = c.Error(err)
			return
		}
		if hp.Charts, err = s.homeCharts(ctx, p.L, *p.Release, hp.Head, hp.Program); err != nil {
			_ = c.Error(err)
			return
		}
	}
	s.render(c, http.StatusOK, "home", hp)
}
