// Package portal is the public web site's wiring: it builds the shared
// web.Site over published.db and press.db, the middleware chain, and
// mounts each surface (pages, download, meta, news, admin, api) on one gin
// router; it also serves the operations endpoints (/healthz, /readyz,
// /metrics). It never opens private.db.
package portal

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/internal/published"
	"github.com/portal-data-bansos/portal/internal/store"
	"github.com/portal-data-bansos/portal/portal/admin"
	"github.com/portal-data-bansos/portal/portal/api"
	"github.com/portal-data-bansos/portal/portal/download"
	"github.com/portal-data-bansos/portal/portal/meta"
	"github.com/portal-data-bansos/portal/portal/news"
	"github.com/portal-data-bansos/portal/portal/pages"
	"github.com/portal-data-bansos/portal/portal/tanya"
	"github.com/portal-data-bansos/portal/portal/web"
)

// Options is what the site needs from its caller.
type Options struct {
	Log       *slog.Logger
	Published *store.DB
	Press     *store.DB
	// Now returns the current time; tests inject a clock.
	Now func() time.Time
	// NextRun, when set, tells the time of the next scheduled aggregation.
	NextRun func() time.Time
	// Aggregating, when set, tells whether an aggregation runs in this
	// process (the scheduler's Busy): downloads and the API then leave
	// more of the cores to readers' pages.
	Aggregating func() bool
	// CacheDir, when set, is where full downloads of each release are kept
	// as files (releases never change).
	CacheDir string
	// BaseURL is the site's public address for feeds and share links
	// ("https://data.example.go.id"); empty derives it from the request.
	BaseURL string
	// WebSubHub, when set, is announced in the feeds.
	WebSubHub string
	// RateLimit limits each client's expensive requests (zero: no limit).
	RateLimit web.RateLimit
	// MaxBody is the largest request body accepted outside /admin/
	// (0: DefaultMaxBody; negative: no limit).
	MaxBody int64
	// TrustedProxies lists the addresses or CIDR networks of reverse
	// proxies whose X-Forwarded-For and X-Real-IP are believed. None by
	// default: the client is the peer of the connection.
	TrustedProxies []string
	// ReadOnly serves a published release file as a replica: nothing is
	// written, there is no aggregator and the press office's admin area is
	// disabled.
	ReadOnly bool
	// RequestRetention is how long the personal data of a closed
	// information request is kept (0: press.DefaultRetention).
	RequestRetention time.Duration
}

// Server is the site's HTTP handler: the shared web.Site and what the
// surfaces built on it need besides.
type Server struct {
	*web.Site
	pub    *store.DB
	press  *store.DB
	opts   Options
	engine *gin.Engine
	heads  headRoutes // the routes with a HEAD handler of their own (head.go)

	news *news.Handler
}

// New builds the site: templates parsed, assets hashed, routes registered.
func New(o Options) (*Server, error) {
	if o.Log == nil || o.Published == nil || o.Press == nil {
		return nil, errors.New("portal: New needs a logger and the published and press stores")
	}
	site, err := web.New(web.Config{Log: o.Log, Data: published.New(o.Published.R), Press: press.New(o.Press), Now: o.Now, NextRun: o.NextRun,
		BaseURL: strings.TrimSuffix(o.BaseURL, "/"), RateLimit: o.RateLimit, MaxBody: o.MaxBody, Aggregating: o.Aggregating})
	if err != nil {
		return nil, fmt.Errorf("portal: %w", err)
	}
	s := &Server{Site: site, pub: o.Published, press: o.Press, opts: o, news: news.New(site, o.WebSubHub)}
	s.Metrics.Reg.MustRegister(&ledgerCollector{s: s})
	if s.engine, err = s.routes(); err != nil {
		return nil, fmt.Errorf("portal: %w", err)
	}
	s.heads = headRoutesOf(s.engine)
	return s, nil
}

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodHead {
		s.serveHEAD(w, r)
		return
	}
	s.engine.ServeHTTP(w, r)
}

// routes builds the router: the middleware chain, the operations
// endpoints, then each surface registering its own routes.
func (s *Server) routes() (*gin.Engine, error) {
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.RedirectTrailingSlash = true
	// The site sits behind no proxy unless configured; never trust
	// X-Forwarded-For from the open internet. With no trusted proxy,
	// c.ClientIP() is the connection's peer, for the limiter and the log.
	if err := e.SetTrustedProxies(s.opts.TrustedProxies); err != nil {
		return nil, fmt.Errorf("trusted proxies: %w", err)
	}
	e.Use(s.RequestLog(), s.Metrics.Observe(), s.Recovery(), s.Language(), s.SecurityHeaders(),
		s.BodyLimit(), s.Expensive(), s.FreshAfterWrites(), web.Compress(), s.ErrorHandler())

	// Operations.
	e.GET("/healthz", s.healthz)
	e.HEAD("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.metricsHandler())
	e.GET("/static/*path", s.Static)
	e.HEAD("/static/*path", s.Static)

	// Each surface registers its own routes.
	pages.New(s.Site, s.news, s.opts.ReadOnly).Routes(e) // pages for readers
	download.New(s.Site, s.opts.CacheDir).Routes(e)      // catalogue, dataset pages, downloads
	meta.New(s.Site).Routes(e)                           // metadata for harvesters
	s.news.Routes(e)                                     // news and feeds
	tanya.New(s.Site, s.news, s.opts.ReadOnly).Routes(e) // the information desk
	if !s.opts.ReadOnly {
		a := admin.New(s.Site, s.news)
		a.Routes(e)     // the press office's area
		a.DeskRoutes(e) // and its side of the information desk
	}
	api.Routes(e, s.Site) // the JSON API; last, see api.Routes

	e.NoRoute(func(c *gin.Context) { _ = c.Error(web.ErrNotFound) })
	e.NoMethod(func(c *gin.Context) { _ = c.Error(web.ErrMethodNotAllowed) })
	return e, nil
}

// healthz is the liveness probe: the process answers.
func (s *Server) healthz(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// Ready reports whether the stores answer (used by /readyz later and tests).
func (s *Server) Ready(ctx context.Context) error {
	if err := s.pub.Ping(ctx); err != nil {
		return err
	}
	return s.press.Ping(ctx)
}

// StartPublisher runs the cron job that publishes embargoed posts when
// their time comes (every minute, Jakarta time), until ctx ends; the
// returned function stops it. A read-only replica publishes nothing.
func (s *Server) StartPublisher(ctx context.Context) (stop func(), err error) {
	if s.opts.ReadOnly {
		return func() {}, nil
	}
	// Without a configured base URL there is no request to take the
	// site's address from, so scheduled publications ping no hub.
	retention := s.opts.RequestRetention
	if retention <= 0 {
		retention = press.DefaultRetention
	}
	p := &press.Publisher{Store: s.Press, Log: s.Log, Now: s.Now, OnPublish: func() { s.ForgetStamp(); s.news.NotifyHub(s.BaseURL) },
		Retention: retention}
	if err := p.Start(ctx); err != nil {
		return nil, fmt.Errorf("portal: press publisher: %w", err)
	}
	return p.Stop, nil
}
