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
