package portal

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portal-data-bansos/portal/internal/testkit"
	"github.com/portal-data-bansos/portal/portal/web"
)

// limitedServer is the real site with a rate limit and the given proxies,
// on a clock the test moves.
func limitedServer(t *testing.T, rl web.RateLimit, proxies []string) (*Server, *fakeClock) {
	t.Helper()
	pub, _, press := testkit.OpenStores(t, t.TempDir())
	clk := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s, err := New(Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Published: pub, Press: press,
		Now: clk.Now, RateLimit: rl, TrustedProxies: proxies})
	if err != nil {
		t.Fatal(err)
	}
	return s, clk
}

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// getFrom is a GET from the client at remote, with headers.
func getFrom(h http.Handler, url, remote string, hdr map[string]string) *httptest.ResponseRecorder {
	header := http.Header{}
	for k, v := range hdr {
		header.Set(k, v)
	}
	return (testkit.Request{URL: url, RemoteAddr: remote, Header: header}).Do(h)
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		url        string
		lang       string
		wantStatus int
		wantBody   string
		wantType   string
	}{
		{"API answers JSON in both languages", "/api/v1/releases", "", 429, `"code":"rate_limited"`, "application/json"},
		{"download answers a page in Indonesian", "/dataset/penyaluran.csv", "", 429, "Terlalu banyak permintaan", "text/html"},
		{"download answers a page in English", "/dataset/penyaluran.csv", "en", 429, "Too many requests", "text/html"},
		{"chart is limited", "/grafik/x", "", 429, "", ""},
		{"map tiles are limited", "/peta/ubin/abc", "", 429, "", ""},
		{"the home page is not", "/", "", 200, "", ""},
		{"a dataset page is not", "/dataset", "", 200, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := limitedServer(t, web.RateLimit{PerSecond: 1, Burst: 3}, nil)
			hdr := map[string]string{}
			if tt.lang != "" {
				hdr["Cookie"] = "lang=" + tt.lang
			}
			var last *httptest.ResponseRecorder
			for range 4 {
				last = getFrom(s, tt.url, "192.0.2.1:1234", hdr)
			}
			if last.Code != tt.wantStatus {
				t.Fatalf("4th request: status %d, want %d", last.Code, tt.wantStatus)
			}
			if tt.wantStatus != 429 {
				return
			}
			if got := last.Header().Get("Retry-After"); got != "1" {
				t.Errorf("Retry-After = %q, want 1", got)
			}
			if !strings.Contains(last.Body.String(), tt.wantBody) {
				t.Errorf("body lacks %q:\n%.300s", tt.wantBody, last.Body.String())
			}
			if strings.HasPrefix(tt.url, "/api/") && last.Header().Get("Access-Control-Allow-Origin") != "*" {
				t.Error("a 429 from the API is not readable by scripts on other sites")
			}
			if !strings.Contains(last.Header().Get("Content-Type"), tt.wantType) {
				t.Errorf("Content-Type = %q, want %q", last.Header().Get("Content-Type"), tt.wantType)
			}
			// Another address has its own bucket.
			if rec := getFrom(s, tt.url, "192.0.2.2:1234", hdr); rec.Code == 429 {
				t.Errorf("another client was limited too")
			}
		})
	}
}

func TestRateLimitRefillsAndCounts(t *testing.T) {
	t.Parallel()
	s, clk := limitedServer(t, web.RateLimit{PerSecond: 2, Burst: 1}, nil)
	if rec := getFrom(s, "/api/v1/releases", "192.0.2.1:1", nil); rec.Code == 429 {
		t.Fatal("first request limited")
	}
	if rec := getFrom(s, "/api/v1/releases", "192.0.2.1:1", nil); rec.Code != 429 {
		t.Fatalf("second request: %d, want 429", rec.Code)
	}
	clk.Add(600 * time.Millisecond)
	if rec := getFrom(s, "/api/v1/releases", "192.0.2.1:1", nil); rec.Code == 429 {
		t.Fatal("limited after the bucket refilled")
	}
	m := getFrom(s, "/metrics", "192.0.2.1:1", nil).Body.String()
	if !strings.Contains(m, `portal_http_rate_limited_total{route="/api/v1/releases"} 1`) {
		t.Errorf("metrics lack the limited request:\n%s", grepLines(m, "rate_limited"))
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestForwardedFor: X-Forwarded-For is ignored unless the peer is a
// trusted proxy; the limiter keys on what gin's ClientIP says.
func TestForwardedFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		proxies     []string
		sameBucket  bool // two spoofed addresses from one peer share a bucket
		description string
	}{
		{"no trusted proxy: header ignored", nil, true, "a client cannot dodge the limit by inventing addresses"},
		{"peer trusted: header honoured", []string{"10.0.0.0/8"}, false, "clients behind the proxy get their own buckets"},
		{"other proxy trusted: header ignored", []string{"172.16.0.1"}, true, "only the configured proxies are believed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := limitedServer(t, web.RateLimit{PerSecond: 1, Burst: 1}, tt.proxies)
			getFrom(s, "/api/v1/releases", "10.1.2.3:5555", map[string]string{"X-Forwarded-For": "198.51.100.1"})
			rec := getFrom(s, "/api/v1/releases", "10.1.2.3:5555", map[string]string{"X-Forwarded-For": "198.51.100.2"})
			if limited := rec.Code == 429; limited != tt.sameBucket {
				t.Errorf("second client limited = %v, want %v (%s)", limited, tt.sameBucket, tt.description)
			}
		})
	}
}

func TestBodyLimit(t *testing.T) {
	t.Parallel()
	s, _ := limitedServer(t, web.RateLimit{}, nil)
	tests := []struct {
		name   string
		path   string
		size   int
		status int
	}{
		{"oversized body to a page", "/", web.DefaultMaxBody + 1, http.StatusRequestEntityTooLarge},
		{"oversized body to the API", "/api/v1/releases", 1 << 20, http.StatusRequestEntityTooLarge},
		{"small body passes to the router", "/", 10, http.StatusMethodNotAllowed},
		{"the admin area sets its own limits", "/admin/upload", 1 << 20, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, tt.path, strings.NewReader(strings.Repeat("x", tt.size)))
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d", rec.Code, tt.status)
			}
		})
	}
}

// TestClientGoneIsNotAServerError: a request whose client hung up is
// logged as 499, not as a failed request with a 500.
func TestClientGoneIsNotAServerError(t *testing.T) {
	t.Parallel()
	var logs syncLog
	pub, _, press := testkit.OpenStores(t, t.TempDir())
	s, err := New(Options{Log: slog.New(slog.NewJSONHandler(&logs, nil)), Published: pub, Press: press})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"/wilayah/32", "/api/v1/releases", "/dataset/penyaluran.csv"} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, u, nil).WithContext(ctx))
		if rec.Code != web.StatusClientClosed {
			t.Errorf("%s: status %d, want %d", u, rec.Code, web.StatusClientClosed)
		}
	}
	if strings.Contains(logs.String(), "request failed") || strings.Contains(logs.String(), `"status":500`) {
		t.Errorf("a client hanging up was logged as a server error:\n%s", logs.String())
	}
}

type syncLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *syncLog) Write(p []byte) (int, error) { l.mu.Lock(); defer l.mu.Unlock(); return l.b.Write(p) }
func (l *syncLog) String() string              { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }
