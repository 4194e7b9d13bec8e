package portal

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/release"
)

type homePage struct {
	*Page
}

// home is the dashboard: the release in force, or an empty state.
func (s *Server) home(c *gin.Context) {
	p := s.page(c, "home")
	rel, err := release.Latest(c.Request.Context(), s.pub.R)
	switch {
	case errors.Is(err, release.ErrNoRelease):
	case err != nil:
		_ = c.Error(err)
		return
	default:
		p.Release = &rel
	}
	s.render(c, http.StatusOK, "home", homePage{Page: p})
}
