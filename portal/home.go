package portal

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

type homePage struct {
	*Page
	Charts []chartView
}

// home is the dashboard: the release in force, or an empty state.
func (s *Server) home(c *gin.Context) {
	p := s.page(c, "home")
	if err := s.withRelease(c, p); err != nil {
		_ = c.Error(err)
		return
	}
	hp := homePage{Page: p}
	if p.Release != nil {
		var err error
		if hp.Charts, err = s.quarterCharts(c.Request.Context(), p.L, *p.Release); err != nil {
			_ = c.Error(err)
			return
		}
		m, err := s.provinceMap(c.Request.Context(), p.L, *p.Release, "SEMBAKO")
		if err != nil {
			_ = c.Error(err)
			return
		}
		if m != nil {
			hp.Charts = append(hp.Charts, *m)
		}
	}
	s.render(c, http.StatusOK, "home", hp)
}
