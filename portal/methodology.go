package portal

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/portal/web"
)

// methodology explains sources, matching, pseudonymisation, suppression,
// the audit and the release policy, with the disclosure report of the
// release in force.
func (s *Server) methodology(c *gin.Context) {
	p := s.NewPage(c, "metodologi")
	if err := s.withRelease(c, p); err != nil {
		_ = c.Error(err)
		return
	}
	// It shows the release in force's report: a minute, like other pages.
	c.Header("Cache-Control", "public, max-age=60")
	s.Render(c, http.StatusOK, "metodologi", p)
}

// withRelease puts the release in force into the page, if there is one.
func (s *Server) withRelease(c *gin.Context, p *web.Page) error {
	rel, err := s.Latest(c.Request.Context())
	switch {
	case errors.Is(err, release.ErrNoRelease):
		return nil
	case err != nil:
		return err
	}
	p.Release = &rel
	return nil
}
