package portal

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/portal-data-bansos/portal/internal/testkit"
)

func TestSiteScenarios(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t)
	for _, sc := range []testkit.Scenario{
		{Name: "home empty state in Indonesian", URL: "/", ExpectedStatus: 200,
			ExpectedContent: []string{`<html lang="id">`, "Belum ada rilis data", "Beranda"},
			ExpectedHeaders: map[string]string{"Content-Type": "text/html", "Content-Language": "id", "X-Content-Type-Options": "nosniff"}},
		{Name: "home in English", URL: "/?lang=en", ExpectedStatus: 200,
			ExpectedContent: []string{`<html lang="en">`, "No data release yet", "Home"},
			NotExpected:     []string{"Belum ada rilis data"},
			ExpectedHeaders: map[string]string{"Set-Cookie": "lang=en"}},
		{Name: "language remembered in a cookie", URL: "/", Header: http.Header{"Cookie": {"lang=en"}}, ExpectedStatus: 200,
			ExpectedContent: []string{"No data release yet"}},
		{Name: "?lang=id wins over the cookie", URL: "/?lang=id", Header: http.Header{"Cookie": {"lang=en"}}, ExpectedStatus: 200,
			ExpectedContent: []string{"Belum ada rilis data"}, ExpectedHeaders: map[string]string{"Set-Cookie": "lang=id"}},
		{Name: "unknown language falls back to Indonesian", URL: "/?lang=xx", ExpectedStatus: 200,
			ExpectedContent: []string{"Belum ada rilis data"}},
		{Name: "404 in Indonesian", URL: "/tidak-ada", ExpectedStatus: 404,
			ExpectedContent: []string{"Halaman tidak ditemukan", "404"}},
		{Name: "404 in English", URL: "/no-such-page?lang=en", ExpectedStatus: 404,
			ExpectedContent: []string{"Page not found"}},
		{Name: "wrong method", Method: http.MethodPost, URL: "/", ExpectedStatus: 405},
		{Name: "healthz", URL: "/healthz", ExpectedStatus: 200, ExpectedContent: []string{`"status":"ok"`},
			ExpectedHeaders: map[string]string{"Cache-Control": "no-store"}},
		{Name: "unknown static file", URL: "/static/nope.css", ExpectedStatus: 404},
		{Name: "language links keep the query", URL: "/?a=1", ExpectedStatus: 200,
			ExpectedContent: []string{`href="/?a=1&amp;lang=en"`}},
	} {
		sc.Run(t, s)
	}
}

func TestHomeShowsReleaseInForce(t *testing.T) {
	t.Parallel()
	s, pub := newTestServer(t)
	_, err := pub.W.Exec(`INSERT INTO release (number, published_at, run_id, k, report) VALUES
		(1, '2026-01-01T00:00:00Z', 'r1', 10, '{"rows": 10, "recipients": 5, "nominal_salur": 100}'),
		(2, '2026-02-01T03:00:00Z', 'r2', 10, '{"rows": 1234567, "recipients": 54321, "nominal_salur": 46400000000000}')`)
	if err != nil {
		t.Fatal(err)
	}
	testkit.Scenario{Name: "release in force", URL: "/", ExpectedStatus: 200,
		ExpectedContent: []string{"Rilis data 2", "1 Februari 2026 10.00 WIB"},
		NotExpected:     []string{"Belum ada rilis data"}}.Run(t, s)
	testkit.Scenario{Name: "release in force, English", URL: "/?lang=en", ExpectedStatus: 200,
		ExpectedContent: []string{"Data release 2", "1 February 2026"}}.Run(t, s)
}

func TestStaticAssetsAreChecksummedAndCached(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t)
	rec := testkit.Scenario{Name: "home", URL: "/", ExpectedStatus: 200}.Run(t, s)
	m := regexp.MustCompile(`href="(/static/css/site\.[0-9a-f]{10}\.css)"`).FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatal("home page does not link a checksummed stylesheet")
	}
	css := testkit.Scenario{Name: "hashed css", URL: m[1], ExpectedStatus: 200,
		ExpectedContent: []string{":root"},
		ExpectedHeaders: map[string]string{"Cache-Control": "immutable", "Content-Type": "text/css"}}.Run(t, s)
	testkit.Scenario{Name: "revalidation", URL: m[1], Header: http.Header{"If-None-Match": {css.Header().Get("ETag")}},
		ExpectedStatus: 304}.Run(t, s)
	testkit.Scenario{Name: "plain name is served but revalidated", URL: "/static/css/site.css", ExpectedStatus: 200,
		ExpectedHeaders: map[string]string{"Cache-Control": "max-age=300"}}.Run(t, s)
	testkit.Scenario{Name: "ECharts from our own static folder (make assets)", URL: "/static/vendor/echarts/echarts.min.js",
		ExpectedStatus: 200, ExpectedContent: []string{"echarts"},
		ExpectedHeaders: map[string]string{"Content-Type": "javascript"}}.Run(t, s)
}

func TestPanicGivesErrorPage(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t)
	s.engine.GET("/boom", func(c *gin.Context) { panic("test panic") })
	s.engine.GET("/fail", func(c *gin.Context) { _ = c.Error(context.DeadlineExceeded) })
	testkit.Scenario{Name: "panic", URL: "/boom", ExpectedStatus: 500, ExpectedContent: []string{"Terjadi kesalahan"},
		NotExpected: []string{"test panic"}}.Run(t, s)
	testkit.Scenario{Name: "handler error, English", URL: "/fail?lang=en", ExpectedStatus: 500,
		ExpectedContent: []string{"Something went wrong"}, NotExpected: []string{"deadline"}}.Run(t, s)
}

func TestMethodologyAndDisclosureReport(t *testing.T) {
	t.Parallel()
	s, pub := newTestServer(t)
	testkit.Scenario{Name: "methodology without a release", URL: "/metodologi", ExpectedStatus: 200,
		ExpectedContent: []string{"Metodologi", "Penekanan sekunder", "HMAC-SHA-256", "k = 10"}}.Run(t, s)
	testkit.Scenario{Name: "methodology in English", URL: "/metodologi?lang=en", ExpectedStatus: 200,
		ExpectedContent: []string{"Methodology", "Secondary suppression", "audit", "DECEASED"}}.Run(t, s)
	disc := `{"k": 5, "datasets": {"penyaluran": {"cells": 100, "primary": 20, "secondary": 3, "levels": {
		"kecamatan": {"cells": 80, "primary": 20, "secondary": 3, "families_withheld_share": 0.027, "rupiah_withheld_share": 0.0399}}}}}`
	if _, err := pub.W.Exec(`INSERT INTO release (number, published_at, run_id, k, report, disclosure) VALUES
		(1, '2026-01-01T00:00:00Z', 'r1', 5, '{"rows": 10}', ?)`, disc); err != nil {
		t.Fatal(err)
	}
	for _, sc := range []testkit.Scenario{
		{Name: "methodology with the report", URL: "/metodologi", ExpectedStatus: 200,
			ExpectedContent: []string{"k = 5", "1 sampai 4 keluarga", "Laporan kerahasiaan", "penyaluran", "kecamatan", "2,7%", "4,0%"}},
		{Name: "home says numbers are withheld", URL: "/", ExpectedStatus: 200,
			ExpectedContent: []string{"Sebagian angka ditekan", "kurang dari 5 keluarga", `href="/metodologi#kerahasiaan"`}},
		{Name: "home in English", URL: "/?lang=en", ExpectedStatus: 200,
			ExpectedContent: []string{"Some numbers are withheld", "fewer than 5 families"}},
		{Name: "status shows the report", URL: "/status?lang=en", ExpectedStatus: 200,
			ExpectedContent: []string{"Disclosure report", "district", "2.7%", "Withheld (secondary)"}},
	} {
		sc.Run(t, s)
	}
}

func TestStaticAssetsAreGzipped(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t)
	rec := testkit.Get(t, s, "/static/vendor/echarts/echarts.min.js", "Accept-Encoding", "gzip")
	if rec.Header().Get("Content-Encoding") != "gzip" || rec.Body.Len() > 500<<10 {
		t.Errorf("ECharts: encoding %q, %d bytes", rec.Header().Get("Content-Encoding"), rec.Body.Len())
	}
	if plain := testkit.Get(t, s, "/static/vendor/echarts/echarts.min.js"); plain.Header().Get("Content-Encoding") != "" || plain.Body.Len() < 900<<10 {
		t.Error("a client without gzip got a compressed asset")
	}
}

func TestReadyzMetricsAndCSP(t *testing.T) {
	t.Parallel()
	empty, _ := newTestServer(t)
	testkit.Scenario{Name: "not ready before a release", URL: "/readyz", ExpectedStatus: 503, ExpectedContent: []string{"no release"}}.Run(t, empty)
	s, _ := newTestServerWithRelease(t)
	testkit.Scenario{Name: "ready", URL: "/readyz", ExpectedStatus: 200, ExpectedContent: []string{`"release":2`}}.Run(t, s)
	testkit.Get(t, s, "/")
	testkit.Get(t, s, "/wilayah/32")
	testkit.Get(t, s, "/dataset/tidak-ada")
	testkit.Get(t, s, "/dataset/kualitas-data.csv")
	testkit.Scenario{Name: "metrics", URL: "/metrics", ExpectedStatus: 200, ExpectedContent: []string{
		`portal_http_requests_total{method="GET",route="/",status="200"} 1`,
		`portal_http_requests_total{method="GET",route="/wilayah/:kode",status="200"} 1`,
		`portal_http_requests_total{method="GET",route="/dataset/:slug",status="404"} 1`,
		`portal_http_request_duration_seconds_bucket`, "portal_release 2",
		`portal_release_withheld_cells{dataset="penyaluran",kind="primary"}`,
		`portal_aggregation_runs{outcome="published"} 2`, `portal_aggregation_rows{fate="accepted"}`,
		`portal_aggregation_last_success_timestamp_seconds`, `portal_store_up{store="published"} 1`, "go_goroutines",
		`portal_download_bytes_total{dataset="kualitas-data",format="csv"}`},
		NotExpected: []string{"/wilayah/32"}}.Run(t, s)
	for url, frame := range map[string]string{"/": "frame-ancestors 'self'", "/embed/grafik/nominal-per-triwulan": "frame-ancestors *"} {
		got := testkit.Get(t, s, url).Header().Get("Content-Security-Policy")
		if !strings.Contains(got, "script-src 'self'") || !strings.Contains(got, frame) || strings.Contains(got, "unsafe-eval") {
			t.Errorf("%s: CSP %q", url, got)
		}
	}
}
