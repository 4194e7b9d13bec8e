package portal

import (
	"context"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/release"
)

// httpError is an error that knows its HTTP status and the catalogue keys
// of the title and body shown to the reader.
type httpError struct {
	status int
	title  string
	body   string
}

func (e *httpError) Error() string { return http.StatusText(e.status) }

var (
	errNotFound         = &httpError{http.StatusNotFound, "error.404.title", "error.404.body"}
	errMethodNotAllowed = &httpError{http.StatusMethodNotAllowed, "error.400.title", "error.400.body"}
	errBadRequest       = &httpError{http.StatusBadRequest, "error.400.title", "error.400.body"}
	errInternal         = &httpError{http.StatusInternalServerError, "error.500.title", "error.500.body"}
	errTooManyRequests  = &httpError{http.StatusTooManyRequests, "error.429.title", "error.429.body"}
	errTooLarge         = &httpError{http.StatusRequestEntityTooLarge, "error.413.title", "error.413.body"}
)

// classify maps any error a handler reported to what the reader is shown.
// It is the one place where errors become HTTP statuses.
func classify(err error) *httpError {
	var he *httpError
	var pe *paramError
	switch {
	case errors.As(err, &he):
		return he
	case errors.As(err, &pe):
		return errBadRequest
	case errors.Is(err, release.ErrNotFound):
		return errNotFound
	default:
		return errInternal
	}
}

// errorHandler renders the first error a handler reported with c.Error, as
// an error page in the reader's language, unless the handler already wrote
// an answer.
func (s *Server) errorHandler() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Next()
		if len(c.Errors) == 0 || c.Writer.Written() {
			return
		}
		err := c.Errors.Last().Err
		if clientGone(c, err) {
			return
		}
		he := classify(err)
		if he.status >= 500 {
			s.log.ErrorContext(c.Request.Context(), "request failed",
				"method", c.Request.Method, "route", c.FullPath(), "err", err)
		}
		s.renderError(c, he)
	}
}

// statusClientClosed is what the request log and metrics show for a
// request whose client went away before the answer (nginx's 499): no
// answer is sent, and it is not a server error.
const statusClientClosed = 499

// clientGone reports, having set status 499, whether err is only the
// request's context ending because the client closed the connection.
func clientGone(c *gin.Context, err error) bool {
	if c.Request.Context().Err() == nil || !errors.Is(err, context.Canceled) {
		return false
	}
	c.Status(statusClientClosed)
	return true
}

func (s *Server) renderError(c *gin.Context, he *httpError) {
	c.Header("Cache-Control", "no-store")
	p := s.page(c, "")
	p.Status = he.status
	p.ErrorTitle = he.title
	p.ErrorBody = he.body
	s.render(c, he.status, "error", p)
}
