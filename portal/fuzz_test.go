package portal

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzRequest sends arbitrary paths and query strings to the real router
// over a real release: whatever a visitor types, the site answers without
// a server error or a panic, and never reflects the raw input into a page
// unescaped.
func FuzzRequest(f *testing.F) {
	for _, s := range []string{
		"/dataset/penyaluran.csv?kode_wilayah=32",
		"/dataset/penyaluran.xlsx?sort=-penerima&periode=2025-Q1,2025-Q2",
		"/api/v1/datasets/penyaluran/rows?limit=-1&cursor=%FF",
		"/api/v1/releases/99999999999999999999",
		"/wilayah/32.04?periode=2025-Q9",
		"/grafik/nominal-per-triwulan?release=0",
		"/embed/wilayah/32?grafik=../../x",
		"/peta/ubin/..%2f..%2fetc",
		"/?lang=zz&release=-1",
		"/program/pkh?kode_wilayah=<script>",
	} {
		f.Add(s)
	}
	s, _ := newTestServerWithRelease(f)
	f.Fuzz(func(t *testing.T, target string) {
		req, err := http.NewRequest(http.MethodGet, "http://example.com"+target, nil)
		if err != nil || !strings.HasPrefix(target, "/") {
			return
		}
		req.RemoteAddr = "192.0.2.1:1234"
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s: status %d\n%.500s", target, rec.Code, rec.Body.String())
		}
		if strings.Contains(rec.Header().Get("Content-Type"), "text/html") && strings.Contains(target, "<scr") &&
			strings.Contains(strings.ToLower(rec.Body.String()), "<script>alert") {
			t.Fatalf("%s: raw input reflected into the page", target)
		}
	})
}
