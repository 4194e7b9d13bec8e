package portal

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// HEAD on every GET route (RFC 9110 §9.1: a HEAD answer is the GET
// answer's status and headers without the body). Routes that register HEAD
// themselves (downloads, feeds, the API, static files) answer it their own
// way, often without computing the body; every other HEAD request is
// served as its GET, with the body dropped.

// headRoutes matches request paths against the route patterns that have a
// HEAD handler of their own.
type headRoutes [][]string // each pattern split at "/"

func headRoutesOf(e *gin.Engine) headRoutes {
	var h headRoutes
	for _, r := range e.Routes() {
		if r.Method == http.MethodHead {
			h = append(h, strings.Split(r.Path, "/"))
		}
	}
	return h
}

// has reports whether path matches a pattern: ":name" matches one
// segment, "*name" the rest of the path.
func (h headRoutes) has(path string) bool {
	segs := strings.Split(path, "/")
	for _, p := range h {
		if matchRoute(p, segs) {
			return true
		}
	}
	return false
}

func matchRoute(pattern, segs []string) bool {
	for i, ps := range pattern {
		switch {
		case strings.HasPrefix(ps, "*"):
			return true
		case i >= len(segs):
			return false
		case strings.HasPrefix(ps, ":"):
			if segs[i] == "" {
				return false
			}
		case ps != segs[i]:
			return false
		}
	}
	return len(pattern) == len(segs)
}

// headOnly drops the body a GET handler writes for a HEAD request.
type headOnly struct{ http.ResponseWriter }

func (w headOnly) Write(b []byte) (int, error)       { return len(b), nil }
func (w headOnly) WriteString(s string) (int, error) { return len(s), nil }
func (w headOnly) Unwrap() http.ResponseWriter       { return w.ResponseWriter }
func (w headOnly) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// serveHEAD serves a HEAD request: by the route's own HEAD handler, or
// for a route without one as its GET; either way without a body (the
// server drops it too, but a handler or test writing to a recorder
// would not).
func (s *Server) serveHEAD(w http.ResponseWriter, r *http.Request) {
	if s.heads.has(r.URL.Path) {
		s.engine.ServeHTTP(headOnly{w}, r)
		return
	}
	g := r.Clone(r.Context())
	g.Method = http.MethodGet
	s.engine.ServeHTTP(headOnly{w}, g)
}
