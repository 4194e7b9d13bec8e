package portal

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestHEADOnEveryGETRoute: every GET route of the router's table answers
// HEAD with the GET answer's status and headers and no body (RFC 9110
// §9.1). Path parameters take a value that exists.
func TestHEADOnEveryGETRoute(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	sample := map[string]string{
		":kode": "32", ":slug": "penyaluran", ":id": "nominal-per-triwulan", ":n": "2", ":hash": "x", ":name": "x", "*path": "css/site.css",
	}
	specific := map[string]string{ // routes whose parameters need more
		"/berita/:slug":             "/berita/tidak-ada",
		"/lampiran/:id/:name":       "/lampiran/1/x.pdf",
		"/admin/berita/:id":         "/admin/berita/1",
		"/admin/lampiran/:id/:name": "/admin/lampiran/1/x.pdf",
	}
	drop := map[string]bool{"Date": true}
	n := 0
	for _, r := range s.engine.Routes() {
		if r.Method != http.MethodGet {
			continue
		}
		u, ok := specific[r.Path]
		if !ok {
			segs := strings.Split(r.Path, "/")
			for i, seg := range segs {
				if v, ok := sample[seg]; ok {
					segs[i] = v
				}
			}
			u = strings.Join(segs, "/")
		}
		// A dataset page shows its checksums once they are computed in
		// the background: GET and HEAD are compared again until the page
		// stops changing (at most 50 times), and the last pair is judged.
		var get, head *httptest.ResponseRecorder
		var diffs []string
		for i := 0; i < 50; i++ {
			get, head = httptest.NewRecorder(), httptest.NewRecorder()
			s.ServeHTTP(get, httptest.NewRequest(http.MethodGet, u, nil))
			s.ServeHTTP(head, httptest.NewRequest(http.MethodHead, u, nil))
			if diffs = headDiffs(get, head, drop); len(diffs) == 0 {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		n++
		for _, d := range diffs {
			t.Errorf("HEAD %s: %s", u, d)
		}
	}
	if n < 30 {
		t.Errorf("only %d GET routes checked", n)
	}
}

func cookieNames(set []string) []string {
	var out []string
	for _, c := range set {
		name, _, _ := strings.Cut(c, "=")
		out = append(out, name)
	}
	return out
}

// TestEachCodingHasItsOwnValidator: a gzipped answer and its identity
// form carry different strong ETags (RFC 9110 §8.8.3), both say Vary:
// Accept-Encoding, and each revalidates with its own tag — on a page
// served from the page cache, an API answer, a static file and a
// download.
func TestEachCodingHasItsOwnValidator(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	ask := func(u, enc, inm string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, u, nil)
		if enc != "" {
			r.Header.Set("Accept-Encoding", enc)
		}
		if inm != "" {
			r.Header.Set("If-None-Match", inm)
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w
	}
	for _, u := range []string{"/wilayah/32", "/program/PKH", "/api/v1/datasets", "/static/css/site.css", "/dataset/wilayah.csv?tingkat=provinsi", "/catalog.jsonld"} {
		for pass := 0; pass < 2; pass++ { // rendered, then from a cache
			plain, gz := ask(u, "", ""), ask(u, "gzip", "")
			pe, ge := plain.Header().Get("ETag"), gz.Header().Get("ETag")
			if plain.Code != 200 || gz.Code != 200 || pe == "" || ge == "" || pe == ge {
				t.Errorf("%s pass %d: identity %d %s, gzip %d %s", u, pass, plain.Code, pe, gz.Code, ge)
				continue
			}
			if gz.Header().Get("Content-Encoding") != "gzip" || plain.Header().Get("Content-Encoding") != "" {
				t.Errorf("%s: codings %q / %q", u, plain.Header().Get("Content-Encoding"), gz.Header().Get("Content-Encoding"))
			}
			for _, w := range []*httptest.ResponseRecorder{plain, gz} {
				if !strings.Contains(w.Header().Get("Vary"), "Accept-Encoding") {
					t.Errorf("%s: Vary %q", u, w.Header().Get("Vary"))
				}
			}
			if w := ask(u, "", pe); w.Code != 304 {
				t.Errorf("%s pass %d: identity revalidation %d", u, pass, w.Code)
			}
			if w := ask(u, "gzip", ge); w.Code != 304 || w.Header().Get("ETag") != ge {
				t.Errorf("%s pass %d: gzip revalidation %d, ETag %s", u, pass, w.Code, w.Header().Get("ETag"))
			}
		}
	}
}

// TestMetadataDoesNotVaryByCookie: Data Packages and the DCAT catalogue
// carry both languages, so caches must not key them on the cookie.
func TestMetadataDoesNotVaryByCookie(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	for _, u := range []string{"/catalog.jsonld", "/dataset/penyaluran/datapackage.json"} {
		for _, enc := range []string{"", "gzip"} {
			r := httptest.NewRequest(http.MethodGet, u, nil)
			r.Header.Set("Accept-Encoding", enc)
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			if v := strings.Join(w.Header().Values("Vary"), ","); strings.Contains(v, "Cookie") || !strings.Contains(v, "Accept-Encoding") {
				t.Errorf("%s (%q): Vary %q", u, enc, v)
			}
		}
	}
	r := httptest.NewRequest(http.MethodGet, "/wilayah/32", nil)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if v := strings.Join(w.Header().Values("Vary"), ","); !strings.Contains(v, "Cookie") {
		t.Errorf("a page's Vary %q lacks Cookie", v)
	}
}

// headDiffs says how a HEAD answer differs from its GET: status, a body,
// and any header but Date (and Content-Length when HEAD leaves it out;
// Set-Cookie compared by cookie names: a fresh CSRF token each time).
func headDiffs(get, head *httptest.ResponseRecorder, drop map[string]bool) []string {
	var out []string
	if head.Code != get.Code {
		return []string{fmt.Sprintf("%d, GET %d", head.Code, get.Code)}
	}
	if head.Body.Len() != 0 {
		out = append(out, fmt.Sprintf("a body of %d bytes", head.Body.Len()))
	}
	for k := range get.Header() {
		if drop[k] || (k == "Content-Length" && head.Header().Get(k) == "") {
			continue
		}
		g, h := get.Header().Values(k), head.Header().Values(k)
		if k == "Set-Cookie" {
			g, h = cookieNames(g), cookieNames(h)
		}
		if strings.Join(g, ",") != strings.Join(h, ",") {
			out = append(out, fmt.Sprintf("%s is %q, GET's %q", k, h, g))
		}
	}
	return out
}
