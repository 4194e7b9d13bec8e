package web

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/release"
)

// pageStamp names the freshness of the cached pages: the release in force
// and the press store's public version. Reading them is two SQLite
// queries, most of a cached page's cost under load, so a stamp is kept for
// stampTTL and forgotten at once when this process changes either (after
// every request that may write, and a scheduled publication). A release
// published by another process shows within stampTTL.
type pageStamp struct {
	rel release.Release
	pv  int64
	// embargo is the next scheduled post's time (zero: none), for the
	// lifetime of pages that list posts (news.CacheControl).
	embargo time.Time
	at      time.Time
}

const stampTTL = time.Second

type stampCache struct{ p atomic.Pointer[pageStamp] }

// stamp returns the release in force and the press store's public
// version, at most stampTTL old.
func (s *Site) stamp(ctx context.Context) (release.Release, int64, error) {
	if p := s.stamps.p.Load(); p != nil && time.Since(p.at) < stampTTL {
		return p.rel, p.pv, nil
	}
	at := time.Now()
	rel, err := s.Latest(ctx)
	if err != nil {
		return rel, 0, err
	}
	pv, embargo, err := s.pressState(ctx)
	if err != nil {
		return rel, 0, err
	}
	s.stamps.p.Store(&pageStamp{rel: rel, pv: pv, embargo: embargo, at: at})
	return rel, pv, nil
}

// pressState reads the press store's public version and next embargo.
func (s *Site) pressState(ctx context.Context) (int64, time.Time, error) {
	pv, err := s.Press.PublicVersion(ctx)
	if err != nil {
		return 0, time.Time{}, err
	}
	next, ok, err := s.Press.NextEmbargo(ctx)
	if err != nil || !ok {
		return pv, time.Time{}, err
	}
	return pv, next, nil
}

// NextEmbargo is the time of the next scheduled post (false: none), from
// the stamp when there is one: pages and feeds that list posts ask it on
// every answer. Without a release yet it asks the store.
func (s *Site) NextEmbargo(ctx context.Context) (time.Time, bool, error) {
	if _, _, err := s.stamp(ctx); err == nil {
		if p := s.stamps.p.Load(); p != nil {
			return p.embargo, !p.embargo.IsZero(), nil
		}
	}
	_, next, err := s.pressState(ctx)
	return next, !next.IsZero(), err
}

// ForgetStamp makes the next page read the release and the public
// version again.
func (s *Site) ForgetStamp() { s.stamps.p.Store(nil) }

// FreshAfterWrites forgets the stamp after every request that may have
// changed the press store (or anything else a page shows).
func (s *Site) FreshAfterWrites() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Next()
		switch c.Request.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			s.ForgetStamp()
		}
	}
}

// serveCached answers from the page cache, if key is there.
func (s *Site) serveCached(c *gin.Context, key string) bool {
	hit, ok := s.Answers.Get(key)
	if !ok {
		return false
	}
	cc := hit.CacheControl
	if cc == "" {
		cc = "public, max-age=60"
	}
	c.Header("Cache-Control", cc)
	if hit.ETag != "" {
		c.Header("ETag", hit.ETag)
		c.Header("Last-Modified", hit.LastModified)
		if ETagMatches(c, hit.ETag) {
			c.Status(http.StatusNotModified)
			return true
		}
	}
	// Compressed once when cached: under load, gzipping the same page
	// again for every reader is most of the work left.
	if gw, ok := c.Writer.(*gzipWriter); ok && hit.GZ != nil {
		gw.raw = true
		c.Data(http.StatusOK, "text/html; charset=utf-8", hit.GZ)
		return true
	}
	c.Data(http.StatusOK, "text/html; charset=utf-8", hit.Body)
	return true
}

// renderGate lets one render of a key run at a time.
type renderGate struct {
	mu      sync.Mutex
	running map[string]chan struct{}
}

// start returns the channel closed when the key's render in progress
// ends, and whether the caller's is the render (it must call finish).
func (g *renderGate) start(key string) (<-chan struct{}, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if ch, ok := g.running[key]; ok {
		return ch, false
	}
	if g.running == nil {
		g.running = map[string]chan struct{}{}
	}
	ch := make(chan struct{})
	g.running[key] = ch
	return ch, true
}

func (g *renderGate) finish(key string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	close(g.running[key])
	delete(g.running, key)
}

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

// CachedPage serves pages that depend only on the release in force, the
// reader's language and the URL (dashboard, region and programme pages)
// from the answer cache: on the day a story breaks, the same few pages are
// read by everyone, and each is computed once per release.
func (s *Site) CachedPage(h gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		// Pages show the latest posts too, which change independently of
		// data releases: the key names the press store's public version.
		rel, pv, err := s.stamp(c.Request.Context())
		if err != nil {
			h(c) // no release yet, or a store error: let the page say so
			return
		}
		key := "page|" + strconv.Itoa(rel.Number) + "|" + strconv.FormatInt(pv, 10) + "|" + string(LangOf(c)) + "|" + c.Request.URL.Path + "?" + c.Request.URL.RawQuery
		if s.serveCached(c, key) {
			return
		}
		// One render of a page at a time: when a burst of readers finds
		// the cache cold (a new release, a restart), the others wait for
		// the first and are served its copy, instead of all rendering it
		// at once.
		if done, first := s.renders.start(key); !first {
			select {
			case <-done:
			case <-c.Request.Context().Done():
				return
			}
			if s.serveCached(c, key) {
				return
			}
			// The first render was not stored (an error page): render.
		} else {
			defer s.renders.finish(key)
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
			h := c.Writer.Header()
			// The identity validator: Compress gave a gzipped answer its own.
			etag := strings.TrimSuffix(h.Get("ETag"), `-gz"`)
			if etag != "" && !strings.HasSuffix(etag, `"`) {
				etag += `"`
			}
			s.Answers.Put(&CachedAnswer{Key: key, Body: body, GZ: gzipBytes(body),
				ETag: etag, LastModified: h.Get("Last-Modified"), CacheControl: h.Get("Cache-Control")})
		}
	}
}
