package web

import (
	"log/slog"
	"net/http"
	"path"
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
		// LogAttrs with typed attributes: no boxing into any, fewer
		// allocations on the hottest path of the site.
		s.Log.LogAttrs(c.Request.Context(), slog.LevelInfo, "request",
			slog.String("method", c.Request.Method),
			slog.String("route", route),
			slog.String("path", loggedPath(c.Request.URL.Path)),
			slog.String("client", c.ClientIP()),
			slog.Int("status", c.Writer.Status()),
			slog.Int("bytes", c.Writer.Size()),
			slog.Duration("duration", time.Since(start).Round(time.Microsecond)),
		)
	}
}

// loggedPath is a request's path as the log writes it: a path under
// /tanya/lacak/ holds an asker's private tracking token, which never goes
// to the log (the route, /tanya/lacak/:token, says what it was).
func loggedPath(p string) string {
	if strings.Contains(p, "lacak") && strings.HasPrefix(path.Clean(p), "/tanya/lacak/") {
		return "/tanya/lacak/…"
	}
	return p
}

const langCookie = "lang"

// Language picks the reader's language: ?lang= (remembered in a cookie for a
// year), else the cookie, else Indonesian.
func (s *Site) Language() gin.HandlerFunc {
	return func(c *gin.Context) {
		lang := i18n.Default
		q, ok := "", false
		if c.Request.URL.RawQuery != "" { // most requests have none: no query parsing
			q, ok = c.GetQuery("lang")
		}
		if ok {
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
		if lang != i18n.Default { // LangOf answers the default without a key
			SetLang(c, lang)
		}
		h := c.Writer.Header()
		h["Content-Language"] = contentLanguage[lang]
		// Pages differ by the language cookie; caches must key on it.
		// Answers in both languages at once must not: Vary: Cookie makes
		// most CDNs keep no copy at all.
		if !languageNeutral(c.Request.URL.Path) {
			h["Vary"] = varyCookie
		}
		c.Next()
	}
}

// languageNeutral tells the answers that are the same whatever the
// reader's language: the API, downloads and the metadata documents
// (Data Packages, the DCAT catalogue) carry both languages, static files
// and probes none.
func languageNeutral(path string) bool {
	switch path {
	case "/healthz", "/readyz", "/metrics", "/catalog.jsonld", "/robots.txt", "/sitemap.xml":
		return true
	}
	if strings.HasPrefix(path, "/dataset/") && strings.HasSuffix(path, "/datapackage.json") && strings.Count(path, "/") == 3 {
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
	// Only our own scripts run (charts are drawn from JSON data blocks by
	// a static script), nothing loads from elsewhere, and only our own
	// pages may frame ours; /embed/ pages open frame-ancestors.
	csp := []string{CSP("'self'")}
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h["X-Content-Type-Options"] = nosniff
		h["Referrer-Policy"] = referrerPolicy
		h["Content-Security-Policy"] = csp
		c.Next()
	}
}

// Header values set on every answer, built once. A handler that changes
// one sets a new slice (Header.Set) or appends (Header.Add, which copies a
// full slice), so sharing them between answers is safe.
var (
	nosniff         = []string{"nosniff"}
	referrerPolicy  = []string{"strict-origin-when-cross-origin"}
	varyCookie      = []string{"Cookie"}
	contentLanguage = func() map[i18n.Lang][]string {
		m := map[i18n.Lang][]string{}
		for _, l := range i18n.Langs {
			m[l] = []string{string(l)}
		}
		return m
	}()
)

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
