package testkit

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/i18n"
)

// Request is one HTTP request to send to a handler. An absolute URL sets
// the Host, as a client following a link would; RemoteAddr, when set, is
// the client's address (for rate limits and trusted proxies).
type Request struct {
	Method     string // GET when empty
	URL        string
	Header     http.Header
	RemoteAddr string
}

// Do sends the request to h and returns the answer.
func (r Request) Do(h http.Handler) *httptest.ResponseRecorder {
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	target, host := r.URL, ""
	if u, err := url.Parse(r.URL); err == nil && u.Host != "" {
		target, host = u.RequestURI(), u.Host
	}
	req := httptest.NewRequest(method, target, nil)
	if host != "" {
		req.Host = host
	}
	if r.RemoteAddr != "" {
		req.RemoteAddr = r.RemoteAddr
	}
	for k, vs := range r.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// Scenario is one HTTP request against a handler (the site's router, or a
// surface's) and what must come back: the site's tests are tables of them.
type Scenario struct {
	Name            string
	Method          string // GET when empty
	URL             string
	Header          http.Header
	ExpectedStatus  int
	ExpectedContent []string          // substrings the body must hold
	NotExpected     []string          // substrings it must not
	ExpectedHeaders map[string]string // header → substring of its value
}

// Run sends the request to h, reports every way the answer differs from
// the scenario, and returns the answer for further checks.
func (sc Scenario) Run(t testing.TB, h http.Handler) *httptest.ResponseRecorder {
	t.Helper()
	rec := Request{Method: sc.Method, URL: sc.URL, Header: sc.Header}.Do(h)
	if rec.Code != sc.ExpectedStatus {
		t.Errorf("%s: status %d, want %d", sc.Name, rec.Code, sc.ExpectedStatus)
	}
	body := rec.Body.String()
	for _, want := range sc.ExpectedContent {
		if !strings.Contains(body, want) {
			t.Errorf("%s: body lacks %q", sc.Name, want)
		}
	}
	for _, bad := range sc.NotExpected {
		if strings.Contains(body, bad) {
			t.Errorf("%s: body contains %q", sc.Name, bad)
		}
	}
	for k, want := range sc.ExpectedHeaders {
		if got := rec.Header().Get(k); !strings.Contains(got, want) {
			t.Errorf("%s: header %s = %q, want it to contain %q", sc.Name, k, got, want)
		}
	}
	return rec
}

// Get answers a GET of url from h, with headers given as name, value
// pairs; the caller checks the answer.
func Get(t testing.TB, h http.Handler, target string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	header := http.Header{}
	for i := 0; i+1 < len(hdr); i += 2 {
		header.Set(hdr[i], hdr[i+1])
	}
	return Request{URL: target, Header: header}.Do(h)
}

// Indonesian is the catalogue in Indonesian, the site's default language,
// for tests that expect its sentences.
func Indonesian(t testing.TB) i18n.Localizer {
	t.Helper()
	cat, err := i18n.Messages()
	if err != nil {
		t.Fatal(err)
	}
	return cat.For(i18n.ID)
}
