package web

import (
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"
)

// Rate limiting: a token bucket per client address for the answers that
// cost the server real work — downloads, the API, charts, embeds and map
// tiles. Pages a reader browses are cached per release and cheap; they are
// not limited, so a crowded office behind one address can still read the
// site.

// RateLimit configures the per-client limit. A zero PerSecond disables it.
type RateLimit struct {
	// PerSecond is the sustained rate of expensive requests per client.
	PerSecond float64
	// Burst is how many may come at once (at least 1 when enabled).
	Burst int
}

const (
	// limiterIdle is how long an address is remembered after its last
	// expensive request; its bucket is full again by then anyway.
	limiterIdle = 3 * time.Minute
	// limiterMaxClients bounds the limiter's memory (about 200 bytes an
	// address). When a sweep of idle addresses leaves it full, the table
	// starts afresh: briefly lenient, never unbounded.
	limiterMaxClients = 100_000
)

type clientBucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// limiter holds the buckets of the addresses seen recently.
type limiter struct {
	cfg       RateLimit
	now       func() time.Time
	mu        sync.Mutex
	clients   map[string]*clientBucket
	lastSweep time.Time
}

func newLimiter(cfg RateLimit, now func() time.Time) *limiter {
	if cfg.PerSecond <= 0 {
		return nil
	}
	if cfg.Burst < 1 {
		cfg.Burst = 1
	}
	return &limiter{cfg: cfg, now: now, clients: map[string]*clientBucket{}}
}

// allow takes a token for the client; when there is none it reports how
// long until there is.
func (l *limiter) allow(client string) (bool, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > limiterIdle/3 || len(l.clients) >= limiterMaxClients {
		l.sweep(now)
	}
	b := l.clients[client]
	if b == nil {
		b = &clientBucket{lim: rate.NewLimiter(rate.Limit(l.cfg.PerSecond), l.cfg.Burst)}
		l.clients[client] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

func (l *limiter) sweep(now time.Time) {
	l.lastSweep = now
	for k, b := range l.clients {
		if now.Sub(b.seen) > limiterIdle {
			delete(l.clients, k)
		}
	}
	if len(l.clients) >= limiterMaxClients {
		l.clients = map[string]*clientBucket{}
	}
}

// size is the number of addresses remembered (for tests).
func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.clients)
}

// ClientKey is the bucket of an address: the address itself for IPv4, its
// /64 network for IPv6 (one host usually holds a whole /64).
func ClientKey(ip string) string {
	a := net.ParseIP(ip)
	if a == nil || a.To4() != nil {
		return ip
	}
	return a.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// expensive tells whether a request is one the limiter counts.
func expensive(path string) bool {
	switch {
	case IsAPIPath(path), downloadPath(path),
		strings.HasPrefix(path, "/grafik/"),
		strings.HasPrefix(path, "/embed/"),
		strings.HasPrefix(path, "/peta/ubin/"):
		return true
	}
	return false
}

// workWait bounds how long an expensive request waits for a work slot
// before it runs anyway: the gate orders work, it never starves a request
// (a slow client reading a long download holds its slot while it reads).
const workWait = 2 * time.Second

// Expensive admits the requests that cost the server real work
// (downloads, the API, charts, embeds, tiles; pages from the cache and
// static files pass straight through):
//   - each client within its rate limit: over it, a 429 with Retry-After
//     and a body in the reader's language (JSON on the API);
//   - then at most twice as many computing at once as the machine has
//     cores, as many as it has cores while an aggregation runs in this
//     process; the others wait their turn, up to workWait. So under a
//     crowd of downloads a reader's page still finds a core: the
//     dashboard's p99 is not the downloads' queue.
func (s *Site) Expensive() gin.HandlerFunc {
	return func(c *gin.Context) {
		if !expensive(c.Request.URL.Path) {
			c.Next()
			return
		}
		if s.limiter != nil {
			if ok, wait := s.limiter.allow(ClientKey(c.ClientIP())); !ok {
				s.refuse(c, wait)
				return
			}
		}
		slots := s.work
		if s.aggregating != nil && s.aggregating() {
			slots = s.workBusy
		}
		t := time.NewTimer(workWait)
		select {
		case slots <- struct{}{}:
			t.Stop()
			defer func() { <-slots }()
		case <-t.C:
		case <-c.Request.Context().Done():
			t.Stop()
			c.AbortWithStatus(StatusClientClosed) // the client left while waiting
			return
		}
		c.Next()
	}
}

// refuse answers a client over its rate limit.
func (s *Site) refuse(c *gin.Context, wait time.Duration) {
	secs := max(int(math.Ceil(wait.Seconds())), 1)
	c.Header("Retry-After", strconv.Itoa(secs))
	s.Metrics.limited.WithLabelValues(limitedRoute(c)).Inc()
	c.Abort()
	if IsAPIPath(c.Request.URL.Path) {
		// The API middleware has not run: open the answer to scripts on
		// other sites as it would, so they can read why.
		c.Header("Access-Control-Allow-Origin", "*")
		c.Header("Access-Control-Expose-Headers", "Retry-After")
	}
	s.AnswerError(c, errTooManyRequests(secs))
}

// limitedRoute labels the metric with the route pattern (few series).
func limitedRoute(c *gin.Context) string {
	if r := c.FullPath(); r != "" {
		return r
	}
	return "unmatched"
}

// DefaultMaxBody bounds a request body on the public site, which takes
// none: the largest thing a reader sends is a query string.
const DefaultMaxBody = 64 << 10

// BodyLimit refuses a body larger than max with 413, and caps what a
// handler can read of one sent without a length. Paths under /admin/ (the
// press office's area, which takes uploads) set their own limits.
func (s *Site) BodyLimit() gin.HandlerFunc {
	max := s.maxBody
	return func(c *gin.Context) {
		if max <= 0 || strings.HasPrefix(c.Request.URL.Path, "/admin/") {
			c.Next()
			return
		}
		if c.Request.ContentLength > max {
			c.Header("Connection", "close")
			c.Abort()
			s.AnswerError(c, ErrTooLarge)
			return
		}
		if c.Request.Body != nil && c.Request.Body != http.NoBody {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, max)
		}
		c.Next()
	}
}
