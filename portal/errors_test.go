package portal

import (
	"net/http"
	"testing"

	"github.com/portal-data-bansos/portal/internal/testkit"
)

// One error path: every route group words an error its way, and the kind
// of error decides the status the same way everywhere.
func TestErrorsOneWayPerRouteGroup(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	empty, _ := newTestServer(t)
	html := map[string]string{"Content-Type": "text/html", "Cache-Control": "no-store"}
	apiJSON := map[string]string{"Content-Type": "application/json", "Cache-Control": "no-store", "Access-Control-Allow-Origin": "*"}
	metaJSON := map[string]string{"Content-Type": "application/json", "Cache-Control": "no-store"}
	text := map[string]string{"Content-Type": "text/plain", "Cache-Control": "no-store"}
	for _, c := range []struct {
		h  http.Handler
		sc testkit.Scenario
	}{
		// Pages: a page in the reader's language, with the reason when
		// there is one.
		{s, testkit.Scenario{Name: "page 404", URL: "/tidak-ada", ExpectedStatus: 404, ExpectedHeaders: html,
			ExpectedContent: []string{"Halaman tidak ditemukan"}}},
		{s, testkit.Scenario{Name: "page 400 with its reason", URL: "/wilayah/32?periode=2099-Q1&lang=en", ExpectedStatus: 400, ExpectedHeaders: html,
			ExpectedContent: []string{"period &#34;2099-Q1&#34; does not exist; the periods are: 2025-Q1"}}},
		{s, testkit.Scenario{Name: "download 400 names the filter", URL: "/dataset/penyaluran.csv?program=XYZ", ExpectedStatus: 400, ExpectedHeaders: html,
			ExpectedContent: []string{"XYZ"}}},
		{empty, testkit.Scenario{Name: "page before any release", URL: "/dataset/penyaluran.csv", ExpectedStatus: 503, ExpectedHeaders: html,
			ExpectedContent: []string{"Belum ada data", "belum ada rilis data yang diterbitkan"}}},
		// The API: JSON with a code and both languages.
		{s, testkit.Scenario{Name: "api 404", URL: "/api/v1/tidak-ada", ExpectedStatus: 404, ExpectedHeaders: apiJSON,
			ExpectedContent: []string{`"code":"not_found"`, `"en":"there is no API path /api/v1/tidak-ada`}}},
		{s, testkit.Scenario{Name: "api 405", Method: http.MethodPost, URL: "/api/v1/datasets", ExpectedStatus: 405,
			ExpectedHeaders: map[string]string{"Allow": "GET, HEAD, OPTIONS"}, ExpectedContent: []string{`"code":"method_not_allowed"`}}},
		{s, testkit.Scenario{Name: "api 400", URL: "/api/v1/datasets/penyaluran/rows?periode=2025", ExpectedStatus: 400, ExpectedHeaders: apiJSON,
			ExpectedContent: []string{`"code":"bad_period"`, `"id":"periode`}}},
		{empty, testkit.Scenario{Name: "api before any release", URL: "/api/v1/datasets/penyaluran/rows", ExpectedStatus: 503, ExpectedHeaders: apiJSON,
			ExpectedContent: []string{`"code":"no_release"`}}},
		// Metadata: JSON in the reader's language, with the status.
		{s, testkit.Scenario{Name: "metadata 404", URL: "/dataset/tidak-ada/datapackage.json?lang=en", ExpectedStatus: 404, ExpectedHeaders: metaJSON,
			ExpectedContent: []string{`"status": 404`, `"code": "unknown_dataset"`, `there is no dataset \"tidak-ada\"`}}},
		{empty, testkit.Scenario{Name: "metadata before any release", URL: "/catalog.jsonld", ExpectedStatus: 503, ExpectedHeaders: metaJSON,
			ExpectedContent: []string{`"status": 503`, `"code": "no_release"`}}},
		// Feeds: one line of text a feed reader's log can show.
		{s, testkit.Scenario{Name: "feed 400", URL: "/feed.xml?program=XYZ&lang=en", ExpectedStatus: 400, ExpectedHeaders: text,
			ExpectedContent: []string{"program: allowed values: PKH, SEMBAKO"}}},
	} {
		c.sc.Run(t, c.h)
	}
}
