// Package web is what every surface of the site shares: the templates and
// the page frame, the one error path, the middleware chain (request log,
// metrics, language, security headers, body and rate limits, gzip), the
// page and answer caches, static assets, and the resolution of ?release=
// with its HTTP validators. Surfaces (pages, downloads, the API, metadata,
// news, the admin area) build on a *Site; none of them holds SQL
// (internal/published answers their questions).
package web

import (
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/internal/published"
)

// Site is the shared part of the web site.
type Site struct {
	Log  *slog.Logger
	Cat  *i18n.Catalog
	Data *published.Reader
	// Press is the press office's store: its public version stamps the
	// cached pages, which show the latest posts.
	Press *press.Store
	// Now returns the current time; tests inject a clock.
	Now func() time.Time
	// NextRun, when set, tells the time of the next scheduled aggregation.
	NextRun func() time.Time
	// BaseURL is the site's public address ("https://data.example.go.id"),
	// empty to derive it from each request.
	BaseURL string
	// Answers keeps rendered answers that depend only on a release and a
	// query.
	Answers *AnswerCache
	Metrics *Metrics

	assets  *assets
	pages   map[string]*template.Template
	rels    releases
	renders renderGate // one render of a cached page at a time
	stamps  stampCache
	limiter *limiter
	maxBody int64
	// Slots of expensive work (Expensive): two per core, one per core
	// while an aggregation runs in this process.
	work, workBusy chan struct{}
	aggregating    func() bool
}

// Config is what a Site needs from its caller.
type Config struct {
	Log     *slog.Logger
	Data    *published.Reader
	Press   *press.Store
	Now     func() time.Time
	NextRun func() time.Time
	BaseURL string
	// RateLimit limits each client's expensive requests (zero: no limit).
	RateLimit RateLimit
	// MaxBody is the largest request body accepted outside /admin/
	// (0: DefaultMaxBody; negative: no limit).
	MaxBody int64
	// Aggregating, when set, tells whether an aggregation runs in this
	// process: expensive requests then get half the work slots.
	Aggregating func() bool
}

// New builds the shared site: the catalogue loaded, templates parsed,
// assets hashed.
func New(cfg Config) (*Site, error) {
	if cfg.Log == nil || cfg.Data == nil || cfg.Press == nil {
		return nil, errors.New("web: New needs a logger, the published data and the press store")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxBody == 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	cat, err := i18n.Messages()
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	a, err := loadAssets()
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	pages, err := parsePages(a)
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	return &Site{Log: cfg.Log, Cat: cat, Data: cfg.Data, Press: cfg.Press, Now: cfg.Now, NextRun: cfg.NextRun,
		BaseURL: cfg.BaseURL, Answers: NewAnswerCache(2048, 64<<20), Metrics: newMetrics(),
		assets: a, pages: pages, limiter: newLimiter(cfg.RateLimit, cfg.Now), maxBody: cfg.MaxBody,
		work: make(chan struct{}, 2*max(runtime.NumCPU(), 1)), workBusy: make(chan struct{}, max(runtime.NumCPU(), 1)),
		aggregating: cfg.Aggregating}, nil
}

// RequestBaseURL is the scheme and host of the site as this request reached
// it, for the absolute URLs harvesters need. The scheme is https when the
// connection is TLS, or when a proxy gin trusts says so in
// X-Forwarded-Proto; gin trusts a peer only when it is one of the
// configured trusted proxies (none by default, see routes), and it shows
// that by taking the client address from the forwarding headers, so
// ClientIP differs from RemoteIP. The host is the request's Host, which
// Go's server has already checked to be a valid host header.
func RequestBaseURL(c *gin.Context) string {
	scheme := "http"
	switch {
	case c.Request.TLS != nil:
		scheme = "https"
	case c.ClientIP() != c.RemoteIP():
		if p := strings.ToLower(strings.TrimSpace(c.GetHeader("X-Forwarded-Proto"))); p == "https" {
			scheme = "https"
		}
	}
	host := c.Request.Host
	if host == "" {
		host = "localhost"
	}
	return scheme + "://" + host
}

// BaseOf is the site's public address: the configured BaseURL, else the
// one this request reached.
func (s *Site) BaseOf(c *gin.Context) string {
	if s.BaseURL != "" {
		return s.BaseURL
	}
	return RequestBaseURL(c)
}

// AbsoluteURL makes an absolute URL for path on the host the request came
// to.
func AbsoluteURL(c *gin.Context, path string) string { return RequestBaseURL(c) + path }

func WithParam(u *url.URL, k, v string) string {
	q := u.Query()
	if v == "" {
		q.Del(k)
	} else {
		q.Set(k, v)
	}
	if len(q) == 0 {
		return u.Path
	}
	return u.Path + "?" + q.Encode()
}

func init() {
	// Release mode keeps gin from printing its debug banner and route table
	// to stdout; our own request log says what happened.
	gin.SetMode(gin.ReleaseMode)
}
