package portal

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkAPIRowsPage measures one filtered API page (the request the
// download benchmark loads with wrk), without the network.
func BenchmarkAPIRowsPage(b *testing.B) {
	s, _ := newTestServerWithRelease(&testing.T{})
	req := httptest.NewRequest(http.MethodGet, "/api/v1/datasets/penyaluran/rows?periode=2025-Q1&tingkat=kabupaten&limit=100", nil)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}

// BenchmarkFilteredCSV measures one filtered CSV download.
func BenchmarkFilteredCSV(b *testing.B) {
	s, _ := newTestServerWithRelease(&testing.T{})
	req := httptest.NewRequest(http.MethodGet, "/dataset/penyaluran.csv?periode=2025-Q1&program=PKH&tingkat=provinsi", nil)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}
