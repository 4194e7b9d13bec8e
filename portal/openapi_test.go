package portal

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	vErrors "github.com/pb33f/libopenapi-validator/errors"

	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/testkit"
	"github.com/portal-data-bansos/portal/portal/api"
)

// servedOpenAPI fetches /api/openapi.json from the site and builds a
// validator over it.
func servedOpenAPI(t *testing.T, h http.Handler) ([]byte, validator.Validator) {
	t.Helper()
	rec := testkit.Scenario{Name: "openapi.json", URL: "/api/openapi.json", ExpectedStatus: 200,
		ExpectedHeaders: map[string]string{"Content-Type": "application/json", "Access-Control-Allow-Origin": "*", "ETag": `"oas-`}}.Run(t, h)
	spec := rec.Body.Bytes()
	doc, err := libopenapi.NewDocument(spec)
	if err != nil {
		t.Fatalf("openapi.json does not parse: %v", err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("openapi.json does not build: %v", errs)
	}
	return spec, v
}

func validationText(errs []*vErrors.ValidationError) string {
	var b strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&b, "\n  %s: %s", e.Message, e.Reason)
		for _, f := range e.SchemaValidationErrors {
			fmt.Fprintf(&b, "\n    at %s: %s", f.FieldPath, f.Reason)
		}
	}
	return b.String()
}

func TestOpenAPIDocumentIsValid(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t)
	spec, v := servedOpenAPI(t, s)
	if ok, errs := v.ValidateDocument(); !ok {
		t.Fatalf("openapi.json is not a valid OpenAPI 3.1 document:%s", validationText(errs))
	}
	// Before the first release: answers with null releases, and 503.
	for _, c := range []struct {
		url    string
		status int
	}{
		{"/api/v1/datasets", 200}, {"/api/v1/datasets/wilayah", 200}, {"/api/v1/datasets/penyaluran/rows", 503},
		{"/api/v1/datasets?release=1", 503}, {"/api/v1/releases", 200}, {"/api/v1/releases/1", 404}, {"/api/v1/status", 200},
	} {
		rec := (testkit.Request{Method: http.MethodGet, URL: c.url}).Do(s)
		req := httptest.NewRequest(http.MethodGet, c.url, nil)
		if rec.Code != c.status {
			t.Errorf("%s: status %d, want %d", c.url, rec.Code, c.status)
		} else if ok, errs := v.ValidateHttpRequestResponse(req, rec.Result()); !ok {
			t.Errorf("%s: does not match the document:%s", c.url, validationText(errs))
		}
	}

	var doc struct {
		OpenAPI string `json:"openapi"`
		Info    struct {
			Title, Version string
			License        struct{ Identifier string }
		}
		Servers []struct{ URL string }
		Paths   map[string]map[string]struct {
			Parameters []json.RawMessage
		}
		Components struct {
			Schemas map[string]json.RawMessage
		}
	}
	if err := json.Unmarshal(spec, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" || doc.Info.Title != "Portal Data Bansos API" || doc.Info.Version == "" || doc.Info.License.Identifier != "CC-BY-4.0" {
		t.Errorf("openapi %q, info %+v", doc.OpenAPI, doc.Info)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != "/" {
		t.Errorf("servers %+v, want one at /", doc.Servers)
	}
	for _, p := range []string{"/api/openapi.json", "/api/v1/datasets", "/api/v1/datasets/{slug}", "/api/v1/releases", "/api/v1/releases/{n}", "/api/v1/status"} {
		for _, m := range []string{"get", "head", "options"} {
			if _, ok := doc.Paths[p][m]; !ok {
				t.Errorf("%s %s is not described", m, p)
			}
		}
	}

	// Each dataset's rows endpoint has its own filters, with the
	// registry's values, and its own row schema with the registry's types.
	for _, ds := range dataset.All {
		op, ok := doc.Paths["/api/v1/datasets/"+ds.Slug+"/rows"]["get"]
		if !ok {
			t.Errorf("%s: no rows endpoint", ds.Slug)
			continue
		}
		params := map[string]struct {
			In     string
			Schema struct{ Items struct{ Enum []string } }
		}{}
		for _, raw := range op.Parameters {
			var p struct {
				Name, In string
				Schema   struct{ Items struct{ Enum []string } }
			}
			_ = json.Unmarshal(raw, &p)
			if p.Name != "" {
				params[p.Name] = struct {
					In     string
					Schema struct{ Items struct{ Enum []string } }
				}{p.In, p.Schema}
			}
		}
		for _, col := range ds.Dimensions() {
			p, ok := params[col.Name]
			if !ok || p.In != "query" {
				t.Errorf("%s: filter %s is not a query parameter", ds.Slug, col.Name)
				continue
			}
			var want []string
			for _, v := range col.Values {
				if v == "" {
					v = dataset.EmptyValue
				}
				want = append(want, v)
			}
			got := slices.Clone(p.Schema.Items.Enum)
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("%s: filter %s enum %v, registry %v", ds.Slug, col.Name, p.Schema.Items.Enum, col.Values)
			}
		}
		for _, name := range ds.ColumnNames() {
			if col, _ := ds.Column(name); !col.Dimension {
				if _, ok := params[name]; ok {
					t.Errorf("%s: %s is not a filter but is a parameter", ds.Slug, name)
				}
			}
		}
		var row struct {
			Properties map[string]struct {
				Type any
				Enum []string
			}
			Required []string
		}
		if err := json.Unmarshal(doc.Components.Schemas[api.SchemaName(ds.Slug)+"Row"], &row); err != nil {
			t.Fatalf("%s: row schema: %v", ds.Slug, err)
		}
		if len(row.Required) != len(ds.Columns) {
			t.Errorf("%s: row schema requires %v, want every column", ds.Slug, row.Required)
		}
		for _, col := range ds.Columns {
			got, _ := json.Marshal(row.Properties[col.Name].Type)
			want := `"` + col.Type + `"`
			if col.Withholdable {
				want = `["` + col.Type + `","null"]`
			}
			if string(got) != want {
				t.Errorf("%s.%s: type %s, want %s", ds.Slug, col.Name, got, want)
			}
		}
	}
}

// apiCheck is one request whose answer is checked against the OpenAPI
// document.
type apiCheck struct {
	method, url string
	header      http.Header
	status      int
	// requestRejected says the document itself forbids the request (an
	// enum, a pattern, a bound): the request validator must say so.
	requestRejected bool
	// requestUnchecked marks bad requests the document cannot express (an
	// unknown parameter, a forged cursor): only the answer is validated.
	requestUnchecked bool
}

func TestAPIAnswersMatchOpenAPI(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	_, v := servedOpenAPI(t, s)

	etagOf := func(u string) string {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, u, nil))
		return rec.Header().Get("ETag")
	}
	inm := func(u string) http.Header { return http.Header{"If-None-Match": {etagOf(u)}} }
	preflight := http.Header{"Origin": {"https://example.org"}, "Access-Control-Request-Method": {"GET"}}

	checks := []apiCheck{
		{method: "GET", url: "/api/openapi.json", status: 200},
		{method: "GET", url: "/api/v1/datasets", status: 200},
		{method: "GET", url: "/api/v1/datasets?release=1", status: 200},
		{method: "HEAD", url: "/api/v1/datasets", status: 200},
		{method: "OPTIONS", url: "/api/v1/datasets", header: preflight, status: 204},
		{method: "GET", url: "/api/v1/datasets", header: inm("/api/v1/datasets"), status: 304},
		{method: "GET", url: "/api/v1/datasets?release=9", status: 400, requestUnchecked: true},
		{method: "GET", url: "/api/v1/datasets?release=0", status: 400, requestRejected: true},
		{method: "GET", url: "/api/v1/datasets/nope", status: 404, requestRejected: true},
		{method: "GET", url: "/api/v1/releases", status: 200},
		{method: "HEAD", url: "/api/v1/releases", status: 200},
		{method: "GET", url: "/api/v1/releases/1", status: 200},
		{method: "GET", url: "/api/v1/releases/2", header: inm("/api/v1/releases/2"), status: 304},
		{method: "OPTIONS", url: "/api/v1/releases/2", header: preflight, status: 204},
		{method: "GET", url: "/api/v1/releases/7", status: 404},
		{method: "GET", url: "/api/v1/status", status: 200},
		{method: "HEAD", url: "/api/v1/status", status: 200},
		{method: "OPTIONS", url: "/api/v1/status", header: preflight, status: 204},
	}
	for _, ds := range dataset.All {
		rows := "/api/v1/datasets/" + ds.Slug + "/rows"
		checks = append(checks,
			apiCheck{method: "GET", url: "/api/v1/datasets/" + ds.Slug, status: 200},
			apiCheck{method: "HEAD", url: "/api/v1/datasets/" + ds.Slug + "?release=1", status: 200},
			apiCheck{method: "GET", url: rows, status: 200},
			apiCheck{method: "GET", url: rows + "?limit=10000", status: 200},
			apiCheck{method: "GET", url: rows + "?release=1&limit=3&sort=-" + ds.Columns[len(ds.Columns)-1].Name + "," + ds.Columns[0].Name, status: 200},
			apiCheck{method: "HEAD", url: rows + "?limit=5", status: 200},
			apiCheck{method: "OPTIONS", url: rows, header: preflight, status: 204},
			apiCheck{method: "GET", url: rows + "?limit=7", header: inm(rows + "?limit=7"), status: 304},
			apiCheck{method: "GET", url: rows + "?limit=0", status: 400, requestRejected: true},
			apiCheck{method: "GET", url: rows + "?limit=10001", status: 400, requestRejected: true},
			apiCheck{method: "GET", url: rows + "?sort=nope", status: 400, requestRejected: true},
			apiCheck{method: "GET", url: rows + "?cursor=%21%21", status: 400, requestUnchecked: true},
			apiCheck{method: "GET", url: rows + "?nope=1", status: 400, requestUnchecked: true},
			apiCheck{method: "GET", url: rows + "?release=99", status: 400, requestUnchecked: true},
		)
		// Every filter with a sample value, and a bad value where the
		// registry constrains one.
		for _, col := range ds.Dimensions() {
			good, bad := "", ""
			switch {
			case len(col.Values) > 0:
				vs := api.FilterValues(col)
				good, bad = vs[len(vs)-1]+","+vs[0], "NOPE"
			case col.Name == "periode":
				good, bad = "2025-Q1,2025-Q2,-", "2025-13"
			case col.Name == "kode_wilayah" || col.Name == "kode" || col.Name == "kode_induk":
				good, bad = "32,32.04", "32.X"
			}
			checks = append(checks, apiCheck{method: "GET", url: rows + "?limit=20&" + col.Name + "=" + good, status: 200})
			if bad != "" {
				// The validator checks an array parameter's items
				// against their enum but not their pattern (periods,
				// region codes); TestOpenAPIPatterns checks those.
				enum := len(col.Values) > 0
				checks = append(checks, apiCheck{method: "GET", url: rows + "?" + col.Name + "=" + bad, status: 400,
					requestRejected: enum, requestUnchecked: !enum})
			}
		}
	}
	// The first page of a long answer has a next link and a Link header.
	checks = append(checks, apiCheck{method: "GET", url: "/api/v1/datasets/penyaluran/rows?limit=2&tingkat=provinsi&program=PKH", status: 200})

	for _, ck := range checks {
		req := httptest.NewRequest(ck.method, ck.url, nil)
		for k, vs := range ck.header {
			req.Header[k] = vs
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		name := ck.method + " " + ck.url
		if rec.Code != ck.status {
			t.Errorf("%s: status %d, want %d: %s", name, rec.Code, ck.status, rec.Body.String())
			continue
		}
		vreq := httptest.NewRequest(ck.method, ck.url, nil)
		for k, vs := range ck.header {
			vreq.Header[k] = vs
		}
		ok, errs := v.ValidateHttpRequest(vreq)
		switch {
		case ck.requestRejected && ok:
			t.Errorf("%s: the document does not forbid this bad request", name)
		case !ck.requestRejected && !ck.requestUnchecked && !ok:
			t.Errorf("%s: request does not match the document:%s", name, validationText(errs))
		}
		resp := rec.Result()
		if ck.method == http.MethodHead {
			// What a HEAD answer carries on the wire: net/http drops
			// the body the handler wrote.
			resp.Body = http.NoBody
			resp.Header.Del("Content-Type")
		}
		if ok, errs := v.ValidateHttpResponse(vreq, resp); !ok {
			t.Errorf("%s: answer %d does not match the document:%s\n%.400s", name, rec.Code, validationText(errs), rec.Body.String())
		}
	}

	// The validator is not vacuous: answers that break the document are
	// caught (a withheld row with a number, a row without its release, a
	// missing CORS header).
	withheld := "/api/v1/datasets/penyaluran/rows?tingkat=nasional&program=PENA&limit=1"
	rec := testkit.Scenario{Name: "withheld row", URL: withheld, ExpectedStatus: 200, ExpectedContent: []string{`"ditekan":true`, `"penerima":null`}}.Run(t, s)
	for name, mutate := range map[string]func(*http.Response){
		"withheld with a number": func(r *http.Response) {
			r.Body = io.NopCloser(strings.NewReader(strings.Replace(rec.Body.String(), `"penerima":null`, `"penerima":3`, 1)))
		},
		"no release": func(r *http.Response) {
			r.Body = io.NopCloser(strings.NewReader(strings.Replace(rec.Body.String(), `"release":2,`, ``, 1)))
		},
		"no CORS": func(r *http.Response) { r.Header.Del("Access-Control-Allow-Origin") },
	} {
		resp := rec.Result()
		mutate(resp)
		if ok, _ := v.ValidateHttpResponse(httptest.NewRequest(http.MethodGet, withheld, nil), resp); ok {
			t.Errorf("an answer %s passes validation", name)
		}
	}
}
