package portal

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
)

// recorder keeps a copy of what a handler writes.
type recorder struct {
	gin.ResponseWriter
	buf bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.buf.Write(b)
	return r.ResponseWriter.Write(b)
}

func (r *recorder) WriteString(s string) (int, error) { return r.Write([]byte(s)) }

// cachedPage serves pages that depend only on the release in force, the
// reader's language and the URL (dashboard, region and programme pages)
// from the answer cache: on the day a story breaks, the same few pages are
// read by everyone, and each is computed once per release.
func (s *Server) cachedPage(h gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		rel, err := s.latest(c.Request.Context())
		if err != nil {
			h(c) // no release yet, or a store error: let the page say so
			return
		}
		// Pages show the latest posts too, which change independently of
		// data releases: the key names the press store's public version.
		pv, err := s.pr.PublicVersion(c.Request.Context())
		if err != nil {
			h(c)
			return
		}
		key := "page|" + strconv.Itoa(rel.Number) + "|" + strconv.FormatInt(pv, 10) + "|" + string(langOf(c)) + "|" + c.Request.URL.Path + "?" + c.Request.URL.RawQuery
		if hit, ok := s.answers.get(key); ok {
			c.Header("Cache-Control", "public, max-age=60")
			// Compressed once when cached: under load, gzipping the same
			// page again for every reader is most of the work left.
			if gw, ok := c.Writer.(*gzipWriter); ok && hit.gz != nil {
				gw.raw = true
				c.Data(http.StatusOK, "text/html; charset=utf-8", hit.gz)
				return
			}
			c.Data(http.StatusOK, "text/html; charset=utf-8", hit.body)
			return
		}
		// The same lifetime as a hit; a handler may still say otherwise
		// (an error page is never stored).
		c.Header("Cache-Control", "public, max-age=60")
		rec := &recorder{ResponseWriter: c.Writer}
		c.Writer = rec
		h(c)
		c.Writer = rec.ResponseWriter
		if c.Writer.Status() == http.StatusOK && len(c.Errors) == 0 && rec.buf.Len() > 0 {
			body := bytes.Clone(rec.buf.Bytes())
			s.answers.put(&cachedAnswer{key: key, body: body, gz: gzipBytes(body)})
		}
	}
}
