package pages

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// Methodology explains sources, matching, pseudonymisation, suppression,
// the audit and the release policy, with the disclosure report of the
// release in force.
func (s *Handler) Methodology(c *gin.Context) {
	p := s.NewPage(c, "metodologi")
	if err := s.WithRelease(c, p); err != nil {
		_ = c.Error(err)
		return
	}
	// It shows the release in force's report: a minute, like other pages.
	c.Header("Cache-Control", "public, max-age=60")
	s.Render(c, http.StatusOK, "metodologi", p)
}
