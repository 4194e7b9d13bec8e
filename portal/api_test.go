package portal

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/testkit"
)

// decodeAnswer decodes a JSON answer, numbers as json.Number.
func decodeAnswer(t *testing.T, rec *httptest.ResponseRecorder, v any) {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type %q, want JSON; body %.300s", ct, rec.Body.String())
	}
	dec := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("answer is not the expected JSON: %v\n%.500s", err, rec.Body.String())
	}
}

type rowsAnswer struct {
	Dataset string
	Release int
	Query   struct {
		Filters map[string][]string
		Sort    []string
		Limit   int
	}
	Rows []map[string]any
	Next *string
}

type errorAnswer struct {
	Error struct {
		Code    string
		Message struct{ ID, EN string }
	}
}

func TestAPIScenarios(t *testing.T) {
	t.Parallel()
	s, pub := newTestServerWithRelease(t)
	var rows2 int
	if err := pub.R.QueryRow(`SELECT json_extract(report, '$.rows') FROM release WHERE number = 2`).Scan(&rows2); err != nil {
		t.Fatal(err)
	}
	jsonAnswer := map[string]string{"Content-Type": "application/json", "Access-Control-Allow-Origin": "*"}
	data := map[string]string{"Content-Type": "application/json", "Access-Control-Allow-Origin": "*", "ETag": `"r2-`, "Cache-Control": "max-age=60"}
	for _, sc := range []testkit.Scenario{
		{Name: "catalogue", URL: "/api/v1/datasets", ExpectedStatus: 200, ExpectedHeaders: data,
			ExpectedContent: []string{`"release":{"number":2,`, `"slug":"penyaluran"`, `"slug":"penyaluran-demografi"`, `"slug":"ketepatan-sasaran"`,
				`"slug":"kualitas-data"`, `"slug":"wilayah"`, `"licence":{"id":"CC-BY-4.0","title":"Creative Commons Attribution 4.0 International","url":"https://creativecommons.org/licenses/by/4.0/"}`,
				`"licence":{"id":"ODbL-1.0"`, `"title":{"id":"Penyaluran bantuan sosial","en":"Social assistance distribution"}`,
				`"topics":["penyaluran","PKH",`, `"row_count":`, `"self":"/api/v1/datasets/penyaluran"`, `"rows":"/api/v1/datasets/penyaluran/rows"`,
				`"html":"/dataset/penyaluran"`, `"csv":"/dataset/penyaluran.csv"`, `"json":"/dataset/penyaluran.json"`, `"xlsx":"/dataset/penyaluran.xlsx"`,
				`"datapackage":"/dataset/penyaluran/datapackage.json"`},
			NotExpected: []string{`"columns"`}},
		{Name: "catalogue HEAD", Method: http.MethodHead, URL: "/api/v1/datasets", ExpectedStatus: 200, ExpectedHeaders: data},
		{Name: "data dictionary", URL: "/api/v1/datasets/penyaluran", ExpectedStatus: 200, ExpectedHeaders: data,
			ExpectedContent: []string{`"slug":"penyaluran"`, `"columns":[{"name":"periode","type":"string","unit":null,"title":{"id":"Periode","en":"Period"}`,
				`{"name":"program","type":"string","unit":null,`, `"values":["PKH","SEMBAKO","BLT","PBI_JK","ATENSI","PENA"],"filter":true,"withholdable":false,"optional":false}`,
				`{"name":"penerima","type":"integer","unit":{"id":"keluarga","en":"families"},"title":{"id":"Keluarga penerima","en":"Recipient families"}`,
				`"values":null,"filter":false,"withholdable":true,"optional":false}`, `{"name":"ditekan","type":"boolean"`}},
		{Name: "data dictionary of the region reference", URL: "/api/v1/datasets/wilayah", ExpectedStatus: 200, ExpectedHeaders: data,
			ExpectedContent: []string{`"licence":{"id":"ODbL-1.0"`, `{"name":"kode_induk","type":"string"`}},
		{Name: "rows", URL: "/api/v1/datasets/penyaluran/rows", ExpectedStatus: 200, ExpectedHeaders: data,
			ExpectedContent: []string{`{"dataset":"penyaluran","release":2,"synthetic":false,"query":{"filters":{},"sort":[],"limit":100},"rows":[{"periode":"2025-Q1","program":"ATENSI","komponen":"","tingkat":"nasional","kode_wilayah":"","nama_wilayah":"Indonesia","penerima":`,
				`"next":"/api/v1/datasets/penyaluran/rows?cursor=`}},
		{Name: "rows filtered like downloads", URL: "/api/v1/datasets/penyaluran/rows?periode=2025-q1&program=PKH,blt&tingkat=provinsi&sort=-penerima,kode_wilayah&limit=5",
			ExpectedStatus: 200, ExpectedHeaders: map[string]string{"Link": `rel="next"`},
			ExpectedContent: []string{`"query":{"filters":{"periode":["2025-Q1"],"program":["BLT","PKH"],"tingkat":["provinsi"]},"sort":["-penerima","kode_wilayah"],"limit":5}`,
				`"next":"/api/v1/datasets/penyaluran/rows?cursor=eyJvIjo1fQ&limit=5&periode=2025-q1&program=PKH%2Cblt&release=2&sort=-penerima%2Ckode_wilayah&tingkat=provinsi"`},
			NotExpected: []string{`"tingkat":"kabupaten"`, `"program":"SEMBAKO"`, `"periode":"2025-Q2"`}},
		{Name: "rows, last page", URL: "/api/v1/datasets/kualitas-data/rows?limit=10000", ExpectedStatus: 200,
			ExpectedContent: []string{`"dataset":"kualitas-data"`, `"alasan":`, `"ditekan":`, `"next":null}`}},
		{Name: "rows of the region reference", URL: "/api/v1/datasets/wilayah/rows?tingkat=provinsi&limit=1", ExpectedStatus: 200,
			ExpectedContent: []string{`"rows":[{"kode":"11","tingkat":"provinsi","nama":"Aceh","kode_induk":""}]`}},
		{Name: "rows HEAD", Method: http.MethodHead, URL: "/api/v1/datasets/penyaluran/rows?limit=1", ExpectedStatus: 200, ExpectedHeaders: data},
		{Name: "releases", URL: "/api/v1/releases", ExpectedStatus: 200, ExpectedHeaders: data,
			ExpectedContent: []string{`{"releases":[{"number":2,`, `"k":10,`, fmt.Sprintf(`"summary":{"rows":%d,`, rows2), `"links":{"self":"/api/v1/releases/1"}}]}`}},
		{Name: "one release", URL: "/api/v1/releases/1", ExpectedStatus: 200,
			ExpectedHeaders: map[string]string{"ETag": `"r1-`, "Cache-Control": "immutable", "Access-Control-Allow-Origin": "*"},
			ExpectedContent: []string{`"number":1,`, `"report":{"run_id":`, `"rejected":{"ASN":`, `"disclosure":{"k":10,"datasets":{`,
				`"files":[{"name":"asn.csv","kind":"asn","outcome":"ingested"}`, `"rounded_to":100`},
			NotExpected: []string{`"sha256"`, `"bytes"`}},
		{Name: "status", URL: "/api/v1/status", ExpectedStatus: 200, ExpectedHeaders: map[string]string{"Cache-Control": "no-cache", "Access-Control-Allow-Origin": "*"},
			ExpectedContent: []string{`"release":{"number":2,`, `"files":[{"name":"dtsen.csv","kind":"dtsen"`, `{"name":"penyaluran.csv"`, `"outcome":"reference"`, `"next_run":null`, `"runs":[{"id":`, `"outcome":"published","release":2,"error":null,"report":{`}},
		{Name: "OpenAPI document", URL: "/api/openapi.json", ExpectedStatus: 200, ExpectedHeaders: jsonAnswer,
			ExpectedContent: []string{`"openapi":"3.1.0"`, `"title":"Portal Data Bansos API"`}},

		{Name: "unknown dataset", URL: "/api/v1/datasets/nope", ExpectedStatus: 404, ExpectedHeaders: jsonAnswer,
			ExpectedContent: []string{`{"error":{"code":"unknown_dataset","message":{"id":"dataset \"nope\" tidak ada; dataset yang tersedia: penyaluran, `, `"en":"there is no dataset \"nope\"`}},
		{Name: "rows of an unknown dataset", URL: "/api/v1/datasets/nope/rows", ExpectedStatus: 404, ExpectedHeaders: jsonAnswer,
			ExpectedContent: []string{`"code":"unknown_dataset"`}},
		{Name: "unknown release", URL: "/api/v1/releases/3", ExpectedStatus: 404, ExpectedHeaders: jsonAnswer,
			ExpectedContent: []string{`"code":"unknown_release"`, `"en":"there is no release \"3\"`}},
		{Name: "malformed release number", URL: "/api/v1/releases/x1", ExpectedStatus: 404, ExpectedContent: []string{`"code":"unknown_release"`}},
		{Name: "unknown API path", URL: "/api/v2/nope?lang=en", ExpectedStatus: 404, ExpectedHeaders: jsonAnswer,
			ExpectedContent: []string{`{"error":{"code":"not_found","message":{"id":"alamat API /api/v2/nope tidak ada`, `"en":"there is no API path /api/v2/nope`},
			NotExpected:     []string{"<html"}},
		{Name: "the API root", URL: "/api", ExpectedStatus: 404, ExpectedHeaders: jsonAnswer, ExpectedContent: []string{`"code":"not_found"`}},
		{Name: "another method", Method: http.MethodPost, URL: "/api/v1/datasets", ExpectedStatus: 405,
			ExpectedHeaders: map[string]string{"Content-Type": "application/json", "Allow": "GET, HEAD, OPTIONS", "Access-Control-Allow-Origin": "*"},
			ExpectedContent: []string{`"code":"method_not_allowed"`}},
		{Name: "the site's own 404 stays a page", URL: "/apis", ExpectedStatus: 404, ExpectedHeaders: map[string]string{"Content-Type": "text/html"},
			ExpectedContent: []string{"<html"}},
	} {
		rec := sc.Run(t, s)
		if rec.Code >= 400 {
			if rec.Header().Get("ETag") != "" || rec.Header().Get("Cache-Control") != "no-store" {
				t.Errorf("%s: an error answer with ETag %q, Cache-Control %q", sc.Name, rec.Header().Get("ETag"), rec.Header().Get("Cache-Control"))
			}
		}
	}
}

func TestAPIBadRequests(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	cursor := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	rows := "/api/v1/datasets/penyaluran/rows"
	for _, c := range []struct{ url, code string }{
		{rows + "?nope=1", "unknown_filter"},
		{rows + "?penerima=3", "unknown_filter"},        // a measure is not a filter
		{rows + "?nama_wilayah=Aceh", "unknown_filter"}, // nor is a name
		{"/api/v1/datasets/wilayah/rows?periode=2025-Q1", "unknown_filter"},
		{rows + "?program=NOPE", "bad_value"},
		{rows + "?program=PKH,NOPE", "bad_value"},
		{rows + "?tingkat=desa", "bad_value"},
		{"/api/v1/datasets/ketepatan-sasaran/rows?tingkat=kecamatan", "bad_value"}, // never below the regency
		{"/api/v1/datasets/penyaluran-demografi/rows?dimensi=agama", "bad_value"},
		{rows + "?periode=2025-Q5", "bad_period"},
		{rows + "?periode=Q1-2025", "bad_period"},
		{rows + "?periode=0000-Q1", "bad_period"},
		{rows + "?kode_wilayah=32.X", "bad_region"},
		{rows + "?sort=nope", "bad_sort"},
		{rows + "?sort=-", "bad_sort"},
		{rows + "?sort=penerima,", "bad_sort"},
		{rows + "?limit=10001", "bad_limit"},
		{rows + "?limit=0", "bad_limit"},
		{rows + "?limit=-5", "bad_limit"},
		{rows + "?limit=ten", "bad_limit"},
		{rows + "?cursor=%21%21%21", "bad_cursor"},
		{rows + "?cursor=" + cursor(`{"o":-1}`), "bad_cursor"},
		{rows + "?cursor=" + cursor(`[1]`), "bad_cursor"},
		{rows + "?release=3", "unknown_release"},
		{rows + "?release=0", "unknown_release"},
		{rows + "?release=two", "unknown_release"},
		{"/api/v1/datasets?release=3", "unknown_release"},
		{"/api/v1/datasets/kualitas-data?release=-1", "unknown_release"},
	} {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			rec := (testkit.Request{Method: method, URL: c.url}).Do(s)
			name := method + " " + c.url
			if rec.Code != http.StatusBadRequest {
				t.Errorf("%s: status %d, want 400: %.300s", name, rec.Code, rec.Body.String())
				continue
			}
			if rec.Header().Get("Access-Control-Allow-Origin") != "*" || rec.Header().Get("Cache-Control") != "no-store" || rec.Header().Get("ETag") != "" {
				t.Errorf("%s: headers %v", name, rec.Header())
			}
			if method == http.MethodHead {
				if rec.Body.Len() != 0 {
					t.Errorf("%s: a body of %d bytes", name, rec.Body.Len())
				}
				continue
			}
			var e errorAnswer
			decodeAnswer(t, rec, &e)
			if e.Error.Code != c.code || e.Error.Message.ID == "" || e.Error.Message.EN == "" || e.Error.Message.ID == e.Error.Message.EN {
				t.Errorf("%s: error %+v, want code %s with a message in each language", name, e.Error, c.code)
			}
		}
	}
}

// collectRows follows next links from url to the last page.
func collectRows(t *testing.T, s http.Handler, url string) (rows []map[string]any, pages int) {
	t.Helper()
	for url != "" {
		rec := (testkit.Request{Method: http.MethodGet, URL: url}).Do(s)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d: %.300s", url, rec.Code, rec.Body.String())
		}
		var a rowsAnswer
		decodeAnswer(t, rec, &a)
		if len(a.Rows) > a.Query.Limit {
			t.Fatalf("%s: %d rows on a page of %d", url, len(a.Rows), a.Query.Limit)
		}
		rows = append(rows, a.Rows...)
		pages++
		link := rec.Header().Get("Link")
		url = ""
		if a.Next != nil {
			url = *a.Next
			if want := "<" + url + `>; rel="next"`; link != want {
				t.Errorf("Link %q, want %q", link, want)
			}
			if !strings.HasPrefix(url, "/api/v1/datasets/") || !strings.Contains(url, "release=") {
				t.Fatalf("next %q is not an absolute path pinned to its release", url)
			}
		} else if link != "" {
			t.Errorf("last page has a Link %q", link)
		}
		if pages > 1000 {
			t.Fatal("paging does not end")
		}
	}
	return rows, pages
}

func TestAPIPagingToTheEndWithheldRowsAndCounts(t *testing.T) {
	t.Parallel()
	s, pub := newTestServerWithRelease(t)
	count := func(query string, args ...any) int {
		var n int
		if err := pub.R.QueryRow(query, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	var catalogue struct {
		Datasets []struct {
			Slug     string
			RowCount int `json:"row_count"`
		}
	}
	decodeAnswer(t, (testkit.Request{Method: http.MethodGet, URL: "/api/v1/datasets"}).Do(s), &catalogue)
	rowCount := map[string]int{}
	for _, d := range catalogue.Datasets {
		rowCount[d.Slug] = d.RowCount
	}

	measures := []string{"penerima", "transaksi", "nominal_salur", "transaksi_gagal", "nominal_gagal", "transaksi_retur", "nominal_retur"}
	rows, pages := collectRows(t, s, "/api/v1/datasets/penyaluran/rows?limit=500")
	want := count(`SELECT count(*) FROM penyaluran WHERE release = 2`)
	if len(rows) != want || rowCount["penyaluran"] != want || pages != (want+499)/500 {
		t.Errorf("paged %d rows in %d pages; the release has %d, the catalogue says %d", len(rows), pages, want, rowCount["penyaluran"])
	}
	seen := map[string]bool{}
	withheld := 0
	for _, r := range rows {
		key := fmt.Sprint(r["periode"], "|", r["program"], "|", r["komponen"], "|", r["tingkat"], "|", r["kode_wilayah"])
		if seen[key] {
			t.Fatalf("row %s comes twice", key)
		}
		seen[key] = true
		ditekan, ok := r["ditekan"].(bool)
		if !ok {
			t.Fatalf("ditekan %#v is not a boolean", r["ditekan"])
		}
		for _, m := range measures {
			v, present := r[m]
			if !present || (ditekan && v != nil) || (!ditekan && m == "penerima" && v == nil) {
				t.Fatalf("row %s: ditekan %v but %s = %#v", key, ditekan, m, v)
			}
		}
		if ditekan {
			withheld++
		}
	}
	if want := count(`SELECT count(*) FROM penyaluran WHERE release = 2 AND ditekan = 1`); withheld != want || withheld == 0 || withheld == len(rows) {
		t.Errorf("%d withheld rows, the release has %d (of %d)", withheld, want, len(rows))
	}

	// Filtered and sorted: the same rows as the table, in the asked order.
	rows, _ = collectRows(t, s, "/api/v1/datasets/penyaluran/rows?program=PKH,BLT&tingkat=provinsi,kabupaten&sort=-penerima,kode_wilayah&limit=37")
	if want := count(`SELECT count(*) FROM penyaluran WHERE release = 2 AND program IN ('PKH','BLT') AND tingkat IN ('provinsi','kabupaten')`); len(rows) != want {
		t.Errorf("filtered paging: %d rows, want %d", len(rows), want)
	}
	last := int64(1 << 62)
	nulls := false
	for _, r := range rows {
		if r["penerima"] == nil {
			nulls = true
			continue
		}
		n, _ := r["penerima"].(json.Number).Int64()
		if nulls || n > last {
			t.Fatalf("rows not sorted by -penerima: %d after %d (nulls before: %v)", n, last, nulls)
		}
		last = n
	}

	// An empty-value filter ("-": the programme totals, the national
	// rows) holds on every page.
	rows, _ = collectRows(t, s, "/api/v1/datasets/penyaluran/rows?komponen=-&kode_wilayah=-,32&limit=7")
	if want := count(`SELECT count(*) FROM penyaluran WHERE release = 2 AND komponen = '' AND kode_wilayah IN ('', '32')`); len(rows) != want || want < 8 {
		t.Errorf("paging with empty-value filters: %d rows, want %d", len(rows), want)
	}
	for _, r := range rows {
		if r["komponen"] != "" || (r["kode_wilayah"] != "" && r["kode_wilayah"] != "32") {
			t.Fatalf("row %v escapes the filters", r)
		}
	}

	// Every dataset pages to its row count, the region reference included.
	for _, ds := range dataset.All {
		if ds.Slug == "penyaluran" {
			continue
		}
		rows, _ := collectRows(t, s, "/api/v1/datasets/"+ds.Slug+"/rows?limit=5000")
		want := rowCount[ds.Slug]
		if ds.Table != "" {
			want = count(`SELECT count(*) FROM ` + ds.Table + ` WHERE release = 2`)
		}
		if len(rows) != want || rowCount[ds.Slug] != want || want == 0 {
			t.Errorf("%s: paged %d rows, the catalogue says %d, want %d", ds.Slug, len(rows), rowCount[ds.Slug], want)
		}
		for _, r := range rows {
			if len(r) != len(ds.Columns) {
				t.Fatalf("%s: row %v does not have the dataset's %d columns", ds.Slug, r, len(ds.Columns))
			}
		}
	}
}

func TestAPIReleasePinningAndConditionalGET(t *testing.T) {
	t.Parallel()
	s, pub := newTestServerWithRelease(t)
	url := "/api/v1/datasets/penyaluran/rows?tingkat=nasional&limit=1000"
	now := (testkit.Request{Method: http.MethodGet, URL: url}).Do(s)
	old := (testkit.Request{Method: http.MethodGet, URL: url + "&release=1"}).Do(s)
	var a, b rowsAnswer
	decodeAnswer(t, now, &a)
	decodeAnswer(t, old, &b)
	if a.Release != 2 || b.Release != 1 {
		t.Errorf("releases %d and %d, want 2 and 1", a.Release, b.Release)
	}
	if bytes.Equal(now.Body.Bytes(), old.Body.Bytes()) || fmt.Sprint(a.Rows) == fmt.Sprint(b.Rows) {
		t.Error("release 1 and the release in force give the same rows")
	}
	if now.Header().Get("ETag") == old.Header().Get("ETag") || !strings.HasPrefix(old.Header().Get("ETag"), `"r1-`) {
		t.Errorf("ETags %s and %s", now.Header().Get("ETag"), old.Header().Get("ETag"))
	}
	if !strings.Contains(old.Header().Get("Cache-Control"), "immutable") || strings.Contains(now.Header().Get("Cache-Control"), "immutable") {
		t.Errorf("Cache-Control %q (pinned) and %q", old.Header().Get("Cache-Control"), now.Header().Get("Cache-Control"))
	}
	var n1 int
	if err := pub.R.QueryRow(`SELECT count(*) FROM penyaluran WHERE release = 1`).Scan(&n1); err != nil {
		t.Fatal(err)
	}
	var cat struct {
		Release  struct{ Number int }
		Datasets []struct {
			Slug     string
			Release  struct{ Number int }
			RowCount int `json:"row_count"`
		}
	}
	decodeAnswer(t, (testkit.Request{Method: http.MethodGet, URL: "/api/v1/datasets?release=1"}).Do(s), &cat)
	if cat.Release.Number != 1 || cat.Datasets[0].Release.Number != 1 || cat.Datasets[0].RowCount != n1 {
		t.Errorf("catalogue of release 1: %+v, want %d penyaluran rows", cat, n1)
	}

	// Conditional GET: the same answer is 304, any other is not.
	for _, u := range []string{url, url + "&release=1", "/api/v1/datasets", "/api/v1/datasets?release=1", "/api/v1/datasets/penyaluran",
		"/api/v1/releases", "/api/v1/releases/1", "/api/openapi.json"} {
		first := (testkit.Request{Method: http.MethodGet, URL: u}).Do(s)
		etag := first.Header().Get("ETag")
		if etag == "" {
			t.Errorf("%s: no ETag", u)
			continue
		}
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			rec := (testkit.Request{Method: method, URL: u, Header: http.Header{"If-None-Match": {`"other", ` + etag}}}).Do(s)
			if rec.Code != http.StatusNotModified || rec.Body.Len() != 0 || rec.Header().Get("ETag") != etag || rec.Header().Get("Access-Control-Allow-Origin") != "*" {
				t.Errorf("%s %s with If-None-Match: %d %v %.200q", method, u, rec.Code, rec.Header(), rec.Body.String())
			}
		}
		if lm := first.Header().Get("Last-Modified"); lm != "" {
			if rec := (testkit.Request{Method: http.MethodGet, URL: u, Header: http.Header{"If-Modified-Since": {lm}}}).Do(s); rec.Code != http.StatusNotModified {
				t.Errorf("%s with If-Modified-Since: %d", u, rec.Code)
			}
		}
	}
	for _, c := range []struct{ url, etagOf string }{
		{url, url + "&release=1"},                                                   // another release
		{url, strings.Replace(url, "1000", "999", 1)},                               // another page size
		{url, url + "&cursor=" + dataset.EncodeCursor(1)},                           // another page
		{url, strings.Replace(url, "nasional", "provinsi", 1)},                      // other filters
		{"/api/v1/datasets/penyaluran", "/api/v1/datasets/kualitas-data"},           // another dataset
		{"/api/v1/datasets/penyaluran/rows?limit=5", "/api/v1/datasets/penyaluran"}, // another resource
	} {
		etag := (testkit.Request{Method: http.MethodGet, URL: c.etagOf}).Do(s).Header().Get("ETag")
		if rec := (testkit.Request{Method: http.MethodGet, URL: c.url, Header: http.Header{"If-None-Match": {etag}}}).Do(s); rec.Code != http.StatusOK {
			t.Errorf("%s with the ETag of %s: %d, want 200", c.url, c.etagOf, rec.Code)
		}
	}
}

func TestAPICORS(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	for _, u := range []string{"/api/v1/datasets", "/api/v1/datasets/penyaluran/rows?limit=1", "/api/v1/releases/1", "/api/v1/status",
		"/api/openapi.json", "/api/v1/datasets/penyaluran/rows?limit=0", "/api/v1/datasets/nope", "/api/nope"} {
		rec := (testkit.Request{Method: http.MethodGet, URL: u, Header: http.Header{"Origin": {"https://example.org"}}}).Do(s)
		if rec.Header().Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(rec.Header().Get("Access-Control-Expose-Headers"), "Link") {
			t.Errorf("%s (%d): CORS headers %v", u, rec.Code, rec.Header())
		}
		if rec.Header().Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("%s: credentials allowed", u)
		}
	}
	for _, u := range []string{"/api/v1/datasets", "/api/v1/datasets/penyaluran", "/api/v1/datasets/penyaluran/rows?program=PKH",
		"/api/v1/releases", "/api/v1/releases/2", "/api/v1/status", "/api/openapi.json"} {
		testkit.Scenario{Name: "preflight " + u, Method: http.MethodOptions, URL: u,
			Header: http.Header{"Origin": {"https://example.org"}, "Access-Control-Request-Method": {"GET"},
				"Access-Control-Request-Headers": {"if-none-match"}},
			ExpectedStatus: http.StatusNoContent,
			ExpectedHeaders: map[string]string{"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
				"Access-Control-Allow-Headers": "if-none-match", "Access-Control-Max-Age": "86400"}}.Run(t, s)
	}
	testkit.Scenario{Name: "preflight of an unknown path", Method: http.MethodOptions, URL: "/api/v1/nope", ExpectedStatus: 404,
		ExpectedHeaders: map[string]string{"Access-Control-Allow-Origin": "*", "Content-Type": "application/json"}}.Run(t, s)
	// The rest of the site is not opened to other origins.
	if rec := (testkit.Request{Method: http.MethodGet, URL: "/healthz"}).Do(s); rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Error("CORS headers outside /api")
	}
}

func TestAPIBeforeTheFirstRelease(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t)
	for _, sc := range []testkit.Scenario{
		{Name: "catalogue without data", URL: "/api/v1/datasets", ExpectedStatus: 200,
			ExpectedContent: []string{`{"release":null,"datasets":[{"slug":"penyaluran"`, `"release":null,"row_count":null`},
			ExpectedHeaders: map[string]string{"Cache-Control": "no-cache"}},
		{Name: "data dictionary without data", URL: "/api/v1/datasets/penyaluran", ExpectedStatus: 200,
			ExpectedContent: []string{`"row_count":null`, `"columns":[{"name":"periode"`}},
		{Name: "rows without data", URL: "/api/v1/datasets/penyaluran/rows", ExpectedStatus: 503,
			ExpectedContent: []string{`"code":"no_release"`, `"en":"no data release has been published yet"`}},
		{Name: "a release without data", URL: "/api/v1/datasets?release=1", ExpectedStatus: 503, ExpectedContent: []string{`"code":"no_release"`}},
		{Name: "no releases", URL: "/api/v1/releases", ExpectedStatus: 200, ExpectedContent: []string{`{"releases":[]}`}},
		{Name: "no release 1", URL: "/api/v1/releases/1", ExpectedStatus: 404, ExpectedContent: []string{`"code":"unknown_release"`}},
		{Name: "status without runs", URL: "/api/v1/status", ExpectedStatus: 200,
			ExpectedContent: []string{`{"release":null,"files":[],"next_run":null,"runs":[]}`}},
	} {
		sc.Run(t, s)
	}
}

func TestAPIPanicGivesJSON(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t)
	// A route of the real engine, behind the site's whole middleware chain.
	s.engine.GET("/api/boom", func(c *gin.Context) { panic("boom") })
	testkit.Scenario{Name: "panic", URL: "/api/boom", ExpectedStatus: 500,
		ExpectedHeaders: map[string]string{"Content-Type": "application/json", "Access-Control-Allow-Origin": "*", "Cache-Control": "no-store"},
		ExpectedContent: []string{`{"error":{"code":"internal","message":{"id":"server tidak dapat`},
		NotExpected:     []string{"boom"}}.Run(t, s)
}
