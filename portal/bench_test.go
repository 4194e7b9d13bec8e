package portal

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkAnswers measures the requests bench/downloads.sh loads with
// wrk, without the network: a filtered API page and a filtered CSV.
func BenchmarkAnswers(b *testing.B) {
	s, _ := newTestServerWithRelease(&testing.T{})
	for _, bc := range []struct{ name, url string }{
		{"APIRowsPage", "/api/v1/datasets/penyaluran/rows?periode=2025-Q1&tingkat=kabupaten&limit=100"},
		{"FilteredCSV", "/dataset/penyaluran.csv?periode=2025-Q1&program=PKH&tingkat=provinsi"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, bc.url, nil)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}

// BenchmarkCachedPage measures the dashboard served from the page cache,
// gzip accepted, through the whole middleware chain: what bench/pages.sh
// loads with wrk, without the network.
func BenchmarkCachedPage(b *testing.B) {
	s, _ := newTestServerWithRelease(&testing.T{})
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	s.ServeHTTP(httptest.NewRecorder(), req) // fills the cache
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		w := &discardWriter{h: http.Header{}}
		for pb.Next() {
			clear(w.h)
			w.code = 0
			s.ServeHTTP(w, req)
			if w.code != 200 {
				b.Fatal(w.code)
			}
		}
	})
}

// discardWriter is a ResponseWriter that keeps the status and drops the
// body, as a network connection would: the benchmark then measures the
// site, not a recorder's buffer.
type discardWriter struct {
	h    http.Header
	code int
}

func (w *discardWriter) Header() http.Header { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return len(b), nil
}
func (w *discardWriter) WriteHeader(code int) { w.code = code }
