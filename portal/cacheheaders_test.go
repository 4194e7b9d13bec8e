package portal

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestCacheHeaders: what a CDN in front of the site may keep, and for how
// long. URLs pinned to a release never change (a year, immutable); the
// release in force may change at the next run (a minute). Answers in both
// languages must not vary on the language cookie, or CDNs keep nothing.
func TestCacheHeaders(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	const year, minute = "public, max-age=31536000, immutable", "public, max-age=60"
	tests := []struct {
		url          string
		cacheControl string
		varyCookie   bool
	}{
		{"/", minute, true},
		{"/wilayah/32", minute, true},
		{"/program/PKH", minute, true},
		{"/metodologi", minute, true},
		{"/dataset/penyaluran", minute, true},
		{"/dataset/penyaluran.csv", minute, false},
		{"/dataset/penyaluran.csv?release=1", year, false},
		{"/dataset/penyaluran.json?release=1", year, false},
		{"/api/v1/datasets/penyaluran/rows", minute, false},
		{"/api/v1/datasets/penyaluran/rows?release=1", year, false},
		{"/api/v1/releases/1", year, false},
		{"/grafik/nominal-per-triwulan", minute, true},
		{"/grafik/nominal-per-triwulan?release=1", year, true},
		{"/embed/grafik/nominal-per-triwulan?release=1", year, true},
		{"/dataset/penyaluran/datapackage.json?release=1", year, false}, // both languages in one document,
		{"/status", "no-cache", true},
		{"/healthz", "no-store", false},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, tt.url, nil)
			req.Header.Set("Accept-Encoding", "gzip")
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d", rec.Code)
			}
			if got := rec.Header().Get("Cache-Control"); got != tt.cacheControl {
				t.Errorf("Cache-Control = %q, want %q", got, tt.cacheControl)
			}
			vary := strings.Join(rec.Header().Values("Vary"), ", ")
			if strings.Contains(vary, "Cookie") != tt.varyCookie {
				t.Errorf("Vary = %q, want Cookie in it: %v", vary, tt.varyCookie)
			}
		})
	}
}
