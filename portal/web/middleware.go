package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/i18n"
)

// RequestLog logs one line per request: method, route pattern, status,
// duration and size. It logs the route pattern and the path but never the
// query string, which may carry filters a reader would not want logged.
func (s *Site) RequestLog() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "(none)"
		}
		s.Log.InfoContext(c.Request.Context(), "request",
			"method", c.Request.Method,
			"route", route,
			"path", c.Request.URL.Path,
			"client", c.ClientIP(),
			"status", c.Writer.Status(),
			"bytes", c.Writer.Size(),
			"duration", time.Since(start).Round(time.Microsecond),
		)
	}
}

const langCookie = "lang"

// Language picks the reader's language: ?lang= (remembered in a cookie for a
// year), else the cookie, else Indonesian.
func (s *Site) Language() gin.HandlerFunc {
	return func(c *gin.Context) {
		lang := i18n.Default
		if q, ok := c.GetQuery("lang"); ok {
			if l, ok := i18n.Parse(q); ok {
				lang = l
				http.SetCookie(c.Writer, &http.Cookie{
					Name: langCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
					HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.Request.TLS != nil,
				})
			}
		} else if ck, err := c.Cookie(langCookie); err == nil {
			if l, ok := i18n.Parse(ck); ok {
				lang = l
			}
		}
		SetLang(c, lang)
		c.Header("Content-Language", string(lang))
		// Pages differ by the language cookie; caches must key on it.
		// Answers in both languages at once must not: Vary: Cookie makes
		// most CDNs keep no copy at all.
		if !languageNeutral(c.Request.URL.Path) {
			c.Header("Vary", "Cookie")
		}
		c.Next()
	}
}

// languageNeutral tells the answers that are the same whatever the
// reader's language: the API and downloads carry both languages, static
// files and probes none.
func languageNeutral(path string) bool {
	switch path {
	case "/healthz", "/readyz", "/metrics":
		return true
	}
	return IsAPIPath(path) || strings.HasPrefix(path, "/static/") || downloadPath(path)
}

// VaryEncoding is the Vary header of a compressed answer at path.
func VaryEncoding(path string) string {
	if languageNeutral(path) {
		return "Accept-Encoding"
	}
	return "Accept-Encoding, Cookie"
}

// SecurityHeaders sets the headers every answer carries.
func (s *Site) SecurityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		// Only our own scripts run (charts are drawn from JSON data blocks
		// by a static script), nothing loads from elsewhere, and only our
		// own pages may frame ours; /embed/ pages open frame-ancestors.
		h.Set("Content-Security-Policy", CSP("'self'"))
		c.Next()
	}
}

const ctxLang = "lang"

// SetLang sets the reader's language of a request (the Language
// middleware does, from ?lang= or the cookie).
func SetLang(c *gin.Context, l i18n.Lang) { c.Set(ctxLang, l) }

// LangOf is the reader's language of a request.
func LangOf(c *gin.Context) i18n.Lang {
	if v, ok := c.Get(ctxLang); ok {
		return v.(i18n.Lang)
	}
	return i18n.Default
}

// CSP is the Content-Security-Policy with the given frame-ancestors.
// ECharts' tooltips carry inline style attributes, so style attributes are
// allowed (style-src-attr); style elements and every script stay limited
// to our own files.
func CSP(frameAncestors string) string {
	return "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
		"font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors " + frameAncestors
}
