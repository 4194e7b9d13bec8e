package portal

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/csv"
	"encoding/json"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/internal/store"
	"github.com/portal-data-bansos/portal/internal/testkit"
	"github.com/portal-data-bansos/portal/portal/meta"
	"github.com/portal-data-bansos/portal/portal/web"
)

// The metadata tests share one site over two real releases: building it
// runs the aggregator twice.
func TestHarvesterMetadata(t *testing.T) {
	t.Parallel()
	s, pub := newTestServerWithRelease(t)
	ctx := context.Background()
	latest, err := release.Latest(ctx, pub.R)
	if err != nil {
		t.Fatal(err)
	}
	first, err := release.Get(ctx, pub.R, 1)
	if err != nil {
		t.Fatal(err)
	}
	if latest.Number != 2 {
		t.Fatalf("fixture has release %d in force, want 2", latest.Number)
	}
	t.Run("DataPackageDescriptors", func(t *testing.T) { testDataPackageDescriptors(t, s, latest) })
	t.Run("DataPackageRowsFromRegistry", func(t *testing.T) { testDataPackageRowsFromRegistry(t, s, pub, latest) })
	t.Run("DataPackageDownloadURL", func(t *testing.T) { testDataPackageDownloadURL(t, s, pub, first, latest) })
	t.Run("CatalogJSONLD", func(t *testing.T) { testCatalogJSONLD(t, s, first, latest) })
	t.Run("CatalogURLsAnswer", func(t *testing.T) { testCatalogURLsAnswer(t, s) })
	t.Run("SchemaOrgJSONLD", func(t *testing.T) { testSchemaOrgJSONLD(t, s, latest) })
	t.Run("ReleasesETagsAndErrors", func(t *testing.T) { testMetadataReleasesETagsAndErrors(t, s, first, latest) })
}

func mdDecode(t *testing.T, what string, body []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("%s is not a JSON object: %v\n%.500s", what, err, body)
	}
	return m
}

// mdObj, mdArr and mdStr assert a JSON property's type.
func mdObj(t *testing.T, m map[string]any, key, what string) map[string]any {
	t.Helper()
	v, ok := m[key].(map[string]any)
	if !ok {
		t.Fatalf("%s: %q is %T, want an object", what, key, m[key])
	}
	return v
}

func mdArr(t *testing.T, m map[string]any, key, what string) []any {
	t.Helper()
	v, ok := m[key].([]any)
	if !ok {
		t.Fatalf("%s: %q is %T, want an array", what, key, m[key])
	}
	return v
}

func mdStr(t *testing.T, m map[string]any, key, what string) string {
	t.Helper()
	v, ok := m[key].(string)
	if !ok || v == "" {
		t.Fatalf("%s: %q is %#v, want a non-empty string", what, key, m[key])
	}
	return v
}

// mdAbsolute checks that raw is an absolute http(s) URL on the test host.
func mdAbsolute(t *testing.T, raw, what string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host != "example.com" {
		t.Errorf("%s: %q is not an absolute URL on this site", what, raw)
		return &url.URL{}
	}
	return u
}

// mdTableSchema is the part of a Table Schema the row checks need.
type mdTableSchema struct {
	Fields []struct {
		Name        string `json:"name"`
		Type        string `json:"type"`
		Constraints struct {
			Required bool     `json:"required"`
			Enum     []string `json:"enum"`
			Minimum  *int64   `json:"minimum"`
		} `json:"constraints"`
		MissingValues *[]string `json:"missingValues"`
		TrueValues    []string  `json:"trueValues"`
		FalseValues   []string  `json:"falseValues"`
		Withholdable  bool      `json:"x-withholdable"`
		Optional      bool      `json:"x-optional"`
	} `json:"fields"`
	MissingValues []string `json:"missingValues"`
	PrimaryKey    []string `json:"primaryKey"`
}

type mdPackage struct {
	Version   string `json:"version"`
	Created   string `json:"created"`
	Resources []struct {
		Path   string        `json:"path"`
		Schema mdTableSchema `json:"schema"`
	} `json:"resources"`
	Disclosure struct {
		K         int  `json:"k"`
		Protected bool `json:"protected"`
		Cells     int  `json:"cells"`
		Withheld  int  `json:"withheld_cells"`
	} `json:"x-disclosure"`
}

func mdFetchPackage(t *testing.T, s *Server, slug, query string) (mdPackage, map[string]any, *httptest.ResponseRecorder) {
	t.Helper()
	rec := (testkit.Request{Method: http.MethodGet, URL: "http://example.com/dataset/" + slug + "/datapackage.json" + query}).Do(s)
	if rec.Code != http.StatusOK {
		t.Fatalf("%s datapackage.json%s: status %d\n%s", slug, query, rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s datapackage.json: Content-Type %q", slug, ct)
	}
	var p mdPackage
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("%s datapackage.json: %v", slug, err)
	}
	if len(p.Resources) != 1 {
		t.Fatalf("%s datapackage.json: %d resources, want 1", slug, len(p.Resources))
	}
	return p, mdDecode(t, slug+" datapackage.json", rec.Body.Bytes()), rec
}

var (
	mdPackageName = regexp.MustCompile(`^[a-z0-9._-]+$`)
	mdMediaType   = regexp.MustCompile(`^[a-z]+/[a-z0-9.+-]+$`)
	mdSemver      = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`)
	mdInteger     = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)
)

// testDataPackageDescriptors checks what the Data Package v2, Data
// Resource v2 and Table Schema v2 profiles require, property by property
// (the profiles themselves are not available offline), and that the
// descriptor says what the registry says.
func testDataPackageDescriptors(t *testing.T, s *Server, rel release.Release) {
	for _, ds := range dataset.All {
		what := ds.Slug + " datapackage.json"
		_, m, _ := mdFetchPackage(t, s, ds.Slug, "")
		if got := mdStr(t, m, "$schema", what); got != meta.ProfileDataPackage {
			t.Errorf("%s: $schema %q", what, got)
		}
		if name := mdStr(t, m, "name", what); name != ds.Slug || !mdPackageName.MatchString(name) {
			t.Errorf("%s: name %q", what, name)
		}
		mdStr(t, m, "title", what)
		mdStr(t, m, "description", what)
		if v := mdStr(t, m, "version", what); v != "2.0.0" || !mdSemver.MatchString(v) {
			t.Errorf("%s: version %q, want 2.0.0", what, v)
		}
		created, err := time.Parse(time.RFC3339, mdStr(t, m, "created", what))
		if err != nil || !created.Equal(rel.PublishedAt) {
			t.Errorf("%s: created %v (%v), want the release time %v", what, created, err, rel.PublishedAt)
		}
		mdAbsolute(t, mdStr(t, m, "id", what), what+" id")
		mdAbsolute(t, mdStr(t, m, "homepage", what), what+" homepage")
		kws := mdArr(t, m, "keywords", what)
		if len(kws) == 0 {
			t.Errorf("%s: no keywords", what)
		}
		for _, k := range kws {
			if _, ok := k.(string); !ok {
				t.Errorf("%s: keyword %#v is not a string", what, k)
			}
		}
		lics := mdArr(t, m, "licenses", what)
		if len(lics) != 1 {
			t.Fatalf("%s: %d licences", what, len(lics))
		}
		lic := lics[0].(map[string]any)
		if mdStr(t, lic, "name", what) != ds.Licence.ID || mdStr(t, lic, "path", what) != ds.Licence.URL {
			t.Errorf("%s: licence %v, want %s", what, lic, ds.Licence.ID)
		}
		mdStr(t, lic, "title", what)
		if ds.Slug == "wilayah" && ds.Licence.ID != "ODbL-1.0" || ds.Slug != "wilayah" && ds.Licence.ID != "CC-BY-4.0" {
			t.Errorf("%s: licence %s", what, ds.Licence.ID)
		}
		for _, src := range mdArr(t, m, "sources", what) {
			mdStr(t, src.(map[string]any), "title", what+" source")
		}
		contributors := mdArr(t, m, "contributors", what)
		var email string
		for _, cv := range contributors {
			c := cv.(map[string]any)
			mdStr(t, c, "title", what+" contributor")
			if len(mdArr(t, c, "roles", what+" contributor")) == 0 {
				t.Errorf("%s: contributor without roles", what)
			}
			if e, ok := c["email"].(string); ok {
				email = e
			}
		}
		if email != meta.ContactEmail {
			t.Errorf("%s: no contact email", what)
		}

		res := mdArr(t, m, "resources", what)[0].(map[string]any)
		rwhat := what + " resource"
		for k, want := range map[string]string{"$schema": meta.ProfileDataResource, "name": ds.Slug, "type": "table",
			"format": "csv", "mediatype": "text/csv", "encoding": "utf-8"} {
			if got := mdStr(t, res, k, rwhat); got != want {
				t.Errorf("%s: %s = %q, want %q", rwhat, k, got, want)
			}
		}
		if !mdMediaType.MatchString(res["mediatype"].(string)) {
			t.Errorf("%s: mediatype pattern", rwhat)
		}
		path := mdAbsolute(t, mdStr(t, res, "path", rwhat), rwhat+" path")
		if path.Path != "/dataset/"+ds.Slug+".csv" || path.Query().Get("release") != "2" {
			t.Errorf("%s: path %v, want /dataset/%s.csv?release=2", rwhat, path, ds.Slug)
		}
		dialect := mdObj(t, res, "dialect", rwhat)
		if dialect["delimiter"] != "," || dialect["header"] != true || dialect["lineTerminator"] != "\n" {
			t.Errorf("%s: dialect %v", rwhat, dialect)
		}

		sch := mdObj(t, res, "schema", rwhat)
		swhat := what + " table schema"
		if got := mdStr(t, sch, "$schema", swhat); got != meta.ProfileTableSchema {
			t.Errorf("%s: $schema %q", swhat, got)
		}
		if mv := mdArr(t, sch, "missingValues", swhat); len(mv) != 1 || mv[0] != "" {
			t.Errorf("%s: missingValues %v, want [\"\"]", swhat, mv)
		}
		fields := mdArr(t, sch, "fields", swhat)
		if len(fields) != len(ds.Columns) {
			t.Fatalf("%s: %d fields, want %d", swhat, len(fields), len(ds.Columns))
		}
		names := map[string]bool{}
		for i, fv := range fields {
			f := fv.(map[string]any)
			col := ds.Columns[i]
			fwhat := swhat + " field " + col.Name
			if mdStr(t, f, "name", fwhat) != col.Name || mdStr(t, f, "type", fwhat) != col.Type {
				t.Errorf("%s: name/type %v/%v, want %s/%s", fwhat, f["name"], f["type"], col.Name, col.Type)
			}
			if !slices.Contains([]string{"string", "integer", "number", "boolean"}, col.Type) {
				t.Errorf("%s: registry type %q is not a Table Schema type", fwhat, col.Type)
			}
			names[col.Name] = true
			if mdStr(t, f, "title", fwhat) != col.Title.ID || mdStr(t, f, "description", fwhat) != col.Desc.ID {
				t.Errorf("%s: title/description not the registry's", fwhat)
			}
			en := mdObj(t, f, "x-en", fwhat)
			if en["title"] != col.Title.EN || en["description"] != col.Desc.EN {
				t.Errorf("%s: x-en %v", fwhat, en)
			}
			if col.Unit != (i18n.Text{}) {
				if u := mdObj(t, f, "x-unit", fwhat); u["id"] != col.Unit.ID || u["en"] != col.Unit.EN {
					t.Errorf("%s: x-unit %v", fwhat, u)
				}
			}
			if len(col.Values) > 0 {
				enum := mdArr(t, mdObj(t, f, "constraints", fwhat), "enum", fwhat)
				if len(enum) != len(col.Values) {
					t.Errorf("%s: enum %v, want %v", fwhat, enum, col.Values)
				}
				for j, v := range enum {
					if v != col.Values[j] {
						t.Errorf("%s: enum %v, want %v", fwhat, enum, col.Values)
						break
					}
				}
			}
			if col.Type == dataset.TypeBoolean {
				tv, fv := mdArr(t, f, "trueValues", fwhat), mdArr(t, f, "falseValues", fwhat)
				if len(tv) != 1 || tv[0] != "1" || len(fv) != 1 || fv[0] != "0" {
					t.Errorf("%s: trueValues %v falseValues %v", fwhat, tv, fv)
				}
			}
			if mv, ok := f["missingValues"]; ok {
				if _, ok := mv.([]any); !ok {
					t.Errorf("%s: missingValues %T", fwhat, mv)
				}
			}
		}
		pk := mdArr(t, sch, "primaryKey", swhat)
		if len(pk) == 0 {
			t.Errorf("%s: no primary key", swhat)
		}
		for _, k := range pk {
			if ks, ok := k.(string); !ok || !names[ks] {
				t.Errorf("%s: primary key %v names no field", swhat, k)
			}
		}
		if _, ok := ds.Column("ditekan"); ok != ds.Protected {
			t.Errorf("%s: ditekan column present = %v, but Protected = %v", what, ok, ds.Protected)
		}

		en := mdObj(t, m, "x-en", what)
		if en["title"] != ds.Title.EN || !strings.HasPrefix(en["description"].(string), ds.Desc.EN) {
			t.Errorf("%s: x-en %v", what, en)
		}
		disc := mdObj(t, m, "x-disclosure", what)
		if disc["k"] != float64(rel.K) || disc["protected"] != ds.Protected {
			t.Errorf("%s: x-disclosure %v (k %d)", what, disc, rel.K)
		}
		if rep := rel.Disclosure.Datasets[ds.Slug]; ds.Protected && rep != nil {
			if disc["withheld_cells"] != float64(rep.Withheld()) || disc["cells"] != float64(rep.Cells) {
				t.Errorf("%s: x-disclosure %v, report %+v", what, disc, rep)
			}
			if len(mdArr(t, disc, "levels", what)) == 0 {
				t.Errorf("%s: x-disclosure has no levels", what)
			}
		}
		meth := mdStr(t, m, "x-methodology", what)
		if rec := (testkit.Request{Method: http.MethodGet, URL: meth}).Do(s); rec.Code != http.StatusOK || !strings.HasSuffix(meth, "/metodologi") {
			t.Errorf("%s: methodology link %s answers %d", what, meth, rec.Code)
		}
	}
}

// mdRegistryCSV renders a dataset's rows in a release as the download is
// specified (RFC 4180, \n, plain numbers, withheld measures empty,
// ditekan 1/0), straight from the registry's query.
func mdRegistryCSV(t *testing.T, db *store.DB, ds *dataset.Dataset, rel int) []byte {
	t.Helper()
	q, err := dataset.ParseQuery(ds, url.Values{}, false)
	if err != nil {
		t.Fatal(err)
	}
	q.Release = rel
	rows, err := q.Run(context.Background(), db.R)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(ds.ColumnNames()); err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		rec := make([]string, len(ds.Columns))
		for i, v := range rows.Values() {
			switch x := v.(type) {
			case nil:
			case int64:
				rec[i] = strconv.FormatInt(x, 10)
			case float64:
				rec[i] = strconv.FormatFloat(x, 'f', -1, 64)
			case bool:
				rec[i] = map[bool]string{true: "1", false: "0"}[x]
			case string:
				rec[i] = x
			default:
				t.Fatalf("%s: column %s: unexpected %T", ds.Slug, ds.Columns[i].Name, v)
			}
		}
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	return buf.Bytes()
}

// mdCheckCSV checks every row of a CSV file against a Table Schema: the
// header, each value's type (or a missing value), enums, minimums,
// required fields, the primary key's uniqueness, ditekan's values and
// that a withheld row has every withholdable measure empty (and an
// unwithheld one none). It returns the number of rows and withheld rows.
func mdCheckCSV(t *testing.T, what string, sch mdTableSchema, body []byte) (rows, withheld int) {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(body))
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: not RFC 4180 CSV: %v", what, err)
	}
	if len(recs) == 0 {
		t.Fatalf("%s: no header", what)
	}
	var names []string
	for _, f := range sch.Fields {
		names = append(names, f.Name)
	}
	if !slices.Equal(recs[0], names) {
		t.Fatalf("%s: header %v, want the schema's fields %v", what, recs[0], names)
	}
	keyIdx := make([]int, len(sch.PrimaryKey))
	for i, k := range sch.PrimaryKey {
		keyIdx[i] = slices.Index(names, k)
	}
	flag := slices.Index(names, "ditekan")
	seen := map[string]int{}
	errs := 0
	fail := func(format string, args ...any) {
		if errs++; errs <= 20 {
			t.Errorf(what+": "+format, args...)
		}
	}
	for line, rec := range recs[1:] {
		line += 2
		for i, v := range rec {
			f := sch.Fields[i]
			missing := sch.MissingValues
			if f.MissingValues != nil {
				missing = *f.MissingValues
			}
			if slices.Contains(missing, v) {
				if f.Constraints.Required {
					fail("line %d: %s is missing but required", line, f.Name)
				}
				continue
			}
			switch f.Type {
			case "integer":
				if !mdInteger.MatchString(v) {
					fail("line %d: %s = %q is not a plain integer", line, f.Name, v)
					continue
				}
				if n, _ := strconv.ParseInt(v, 10, 64); f.Constraints.Minimum != nil && n < *f.Constraints.Minimum {
					fail("line %d: %s = %d is below %d", line, f.Name, n, *f.Constraints.Minimum)
				}
			case "number":
				if _, err := strconv.ParseFloat(v, 64); err != nil || strings.ContainsAny(v, " ,") {
					fail("line %d: %s = %q is not a plain number", line, f.Name, v)
				}
			case "boolean":
				if !slices.Contains(f.TrueValues, v) && !slices.Contains(f.FalseValues, v) {
					fail("line %d: %s = %q is in neither trueValues %v nor falseValues %v", line, f.Name, v, f.TrueValues, f.FalseValues)
				}
			case "string":
			default:
				fail("field %s has type %q", f.Name, f.Type)
			}
			if len(f.Constraints.Enum) > 0 && !slices.Contains(f.Constraints.Enum, v) {
				fail("line %d: %s = %q is not one of %v", line, f.Name, v, f.Constraints.Enum)
			}
		}
		var key []string
		for _, i := range keyIdx {
			key = append(key, rec[i])
		}
		k := strings.Join(key, "\x00")
		if prev, dup := seen[k]; dup {
			fail("line %d repeats the primary key %v of line %d", line, key, prev)
		}
		seen[k] = line
		if flag < 0 {
			continue
		}
		isWithheld := slices.Contains(sch.Fields[flag].TrueValues, rec[flag])
		if isWithheld {
			withheld++
		}
		for i, f := range sch.Fields {
			if !f.Withholdable {
				continue
			}
			if isWithheld && rec[i] != "" {
				fail("line %d is withheld but %s = %q", line, f.Name, rec[i])
			}
			if !isWithheld && rec[i] == "" && !f.Optional {
				fail("line %d is not withheld but %s is empty", line, f.Name)
			}
		}
	}
	return len(recs) - 1, withheld
}

// testDataPackageRowsFromRegistry checks each Table Schema against the
// rows the registry's query gives, rendered as the CSV download is
// specified. It does not depend on the download handler.
func testDataPackageRowsFromRegistry(t *testing.T, s *Server, pub *store.DB, rel release.Release) {
	for _, ds := range dataset.All {
		p, _, _ := mdFetchPackage(t, s, ds.Slug, "")
		body := mdRegistryCSV(t, pub, ds, rel.Number)
		rows, withheld := mdCheckCSV(t, ds.Slug+" (registry rows)", p.Resources[0].Schema, body)
		if rows == 0 {
			t.Errorf("%s: no rows in release %d", ds.Slug, rel.Number)
		}
		if ds.Protected {
			if withheld != p.Disclosure.Withheld {
				t.Errorf("%s: %d withheld rows, the disclosure report says %d", ds.Slug, withheld, p.Disclosure.Withheld)
			}
			if rows != p.Disclosure.Cells {
				t.Errorf("%s: %d rows, the disclosure report counts %d cells", ds.Slug, rows, p.Disclosure.Cells)
			}
		}
		t.Logf("%s: %d rows, %d withheld", ds.Slug, rows, withheld)
	}
}

// testDataPackageDownloadURL follows each descriptor's resource path
// through the router and checks the real file against its Table Schema
// and the registry's rows, for the release in force and release 1. It
// skips while the download handler is not there (404).
func testDataPackageDownloadURL(t *testing.T, s *Server, pub *store.DB, rels ...release.Release) {
	for _, rel := range rels {
		for _, ds := range dataset.All {
			p, _, _ := mdFetchPackage(t, s, ds.Slug, "?release="+strconv.Itoa(rel.Number))
			path := p.Resources[0].Path
			rec := (testkit.Request{Method: http.MethodGet, URL: path}).Do(s)
			if rec.Code == http.StatusNotFound {
				t.Skipf("%s answers 404: the CSV download handler is not there yet; this test checks the real file once it is", path)
			}
			if rec.Code != http.StatusOK {
				t.Fatalf("%s: status %d\n%.300s", path, rec.Code, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
				t.Errorf("%s: Content-Type %q", path, ct)
			}
			body := rec.Body.Bytes()
			if bytes.HasPrefix(body, []byte("\ufeff")) || bytes.Contains(body, []byte("\r\n")) {
				t.Errorf("%s: has a BOM or \\r\\n line ends; the descriptor's dialect says neither", path)
			}
			mdCheckCSV(t, path, p.Resources[0].Schema, body)
			got, _ := csv.NewReader(bytes.NewReader(body)).ReadAll()
			want, _ := csv.NewReader(bytes.NewReader(mdRegistryCSV(t, pub, ds, rel.Number))).ReadAll()
			if len(got) != len(want) {
				t.Errorf("%s: %d records, the registry query gives %d", path, len(got), len(want))
				continue
			}
			for i := range got {
				if !slices.Equal(got[i], want[i]) {
					t.Errorf("%s: record %d is %v, the registry query gives %v", path, i, got[i], want[i])
					break
				}
			}
		}
	}
}

// mdCheckPrefixes checks that every compact IRI used as a key or @type in
// a JSON-LD document has its prefix declared in @context.
func mdCheckPrefixes(t *testing.T, v any, ctx map[string]any, where string) {
	t.Helper()
	check := func(term string) {
		if strings.HasPrefix(term, "@") {
			return
		}
		prefix, _, ok := strings.Cut(term, ":")
		if !ok {
			t.Errorf("%s: term %q is not a compact IRI", where, term)
			return
		}
		if _, ok := ctx[prefix]; !ok {
			t.Errorf("%s: prefix %q of %q is not declared in @context", where, prefix, term)
		}
	}
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			if k == "@context" {
				continue
			}
			check(k)
			if k == "@type" {
				if s, ok := c.(string); ok {
					check(s)
				}
				continue
			}
			mdCheckPrefixes(t, c, ctx, where+"/"+k)
		}
	case []any:
		for _, c := range x {
			mdCheckPrefixes(t, c, ctx, where)
		}
	}
}

// mdLangs returns the language-tagged values of a property by language.
func mdLangs(t *testing.T, m map[string]any, key, what string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, v := range mdArr(t, m, key, what) {
		o, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s: %s value %#v is not a language-tagged literal", what, key, v)
		}
		out[mdStr(t, o, "@language", what)] = mdStr(t, o, "@value", what)
	}
	return out
}

func mdID(t *testing.T, m map[string]any, key, what string) string {
	t.Helper()
	return mdStr(t, mdObj(t, m, key, what), "@id", what+" "+key)
}

func testCatalogJSONLD(t *testing.T, s *Server, first, latest release.Release) {
	rec := (testkit.Request{Method: http.MethodGet, URL: "http://example.com/catalog.jsonld"}).Do(s)
	if rec.Code != http.StatusOK {
		t.Fatalf("catalog.jsonld: status %d\n%s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/ld+json") {
		t.Errorf("catalog.jsonld: Content-Type %q", ct)
	}
	cat := mdDecode(t, "catalog.jsonld", rec.Body.Bytes())
	ctx := mdObj(t, cat, "@context", "catalog")
	for _, p := range []string{"dcat", "dct", "foaf", "vcard", "xsd", "schema"} {
		if iri, _ := ctx[p].(string); !strings.HasPrefix(iri, "http") {
			t.Errorf("catalog: @context lacks %s", p)
		}
	}
	mdCheckPrefixes(t, cat, ctx, "catalog")
	if cat["@type"] != "dcat:Catalog" {
		t.Errorf("catalog: @type %v", cat["@type"])
	}
	if l := mdLangs(t, cat, "dct:title", "catalog"); l["id"] == "" || l["en"] == "" {
		t.Errorf("catalog: title %v", l)
	}
	if l := mdLangs(t, cat, "dct:description", "catalog"); l["id"] == "" || l["en"] == "" {
		t.Errorf("catalog: description %v", l)
	}
	pub := mdObj(t, cat, "dct:publisher", "catalog")
	if pub["@type"] != "foaf:Organization" || pub["foaf:name"] != meta.PublisherName {
		t.Errorf("catalog: publisher %v", pub)
	}
	mdAbsolute(t, mdID(t, cat, "foaf:homepage", "catalog"), "catalog homepage")
	if langs := mdArr(t, cat, "dct:language", "catalog"); len(langs) != 2 {
		t.Errorf("catalog: languages %v", langs)
	}
	mdID(t, cat, "dct:license", "catalog")
	modified := mdStr(t, mdObj(t, cat, "dct:modified", "catalog"), "@value", "catalog")
	if modified != meta.Time(latest.PublishedAt) {
		t.Errorf("catalog: modified %s, want the release time %s", modified, latest.PublishedAt)
	}

	sets := mdArr(t, cat, "dcat:dataset", "catalog")
	if len(sets) != len(dataset.All) {
		t.Fatalf("catalog: %d datasets, the registry has %d", len(sets), len(dataset.All))
	}
	start, end, _ := meta.QuarterSpan(latest.Periods)
	for i, sv := range sets {
		ds := dataset.All[i]
		d := sv.(map[string]any)
		what := "catalog dataset " + ds.Slug
		if d["@type"] != "dcat:Dataset" || d["dct:identifier"] != ds.Slug {
			t.Errorf("%s: @type %v identifier %v", what, d["@type"], d["dct:identifier"])
		}
		if l := mdLangs(t, d, "dct:title", what); l["id"] != ds.Title.ID || l["en"] != ds.Title.EN {
			t.Errorf("%s: title %v", what, l)
		}
		if l := mdLangs(t, d, "dct:description", what); !strings.HasPrefix(l["id"], ds.Desc.ID) || !strings.HasPrefix(l["en"], ds.Desc.EN) {
			t.Errorf("%s: description %v", what, l)
		}
		if kw := mdLangs(t, d, "dcat:keyword", what); kw["id"] == "" || kw["en"] == "" {
			t.Errorf("%s: keywords %v", what, kw)
		}
		if len(mdArr(t, d, "dcat:theme", what)) == 0 {
			t.Errorf("%s: no theme", what)
		}
		if p := mdObj(t, d, "dct:publisher", what); p["@type"] != "foaf:Organization" {
			t.Errorf("%s: publisher %v", what, p)
		}
		cp := mdObj(t, d, "dcat:contactPoint", what)
		if !strings.HasPrefix(cp["@type"].(string), "vcard:") || mdID(t, cp, "vcard:hasEmail", what) != "mailto:"+meta.ContactEmail {
			t.Errorf("%s: contact point %v", what, cp)
		}
		wantLic := "CC-BY-4.0"
		if ds.Slug == "wilayah" {
			wantLic = "ODbL-1.0"
		}
		if lic := mdObj(t, d, "dct:license", what); lic["dct:identifier"] != wantLic {
			t.Errorf("%s: licence %v, want %s", what, lic, wantLic)
		}
		mdID(t, d, "dct:accrualPeriodicity", what)
		mdID(t, d, "dct:spatial", what)
		if mdStr(t, mdObj(t, d, "dct:modified", what), "@value", what) != modified {
			t.Errorf("%s: modified is not the release time", what)
		}
		if u := mdAbsolute(t, mdID(t, d, "dcat:landingPage", what), what); u.Path != "/dataset/"+ds.Slug {
			t.Errorf("%s: landing page %v", what, u)
		}
		if u := mdAbsolute(t, mdID(t, d, "dct:conformsTo", what), what); u.Path != "/dataset/"+ds.Slug+"/datapackage.json" {
			t.Errorf("%s: conformsTo %v", what, u)
		}
		if ds.Slug != "wilayah" {
			tp := mdObj(t, d, "dct:temporal", what)
			if tp["@type"] != "dct:PeriodOfTime" ||
				mdStr(t, mdObj(t, tp, "dcat:startDate", what), "@value", what) != start ||
				mdStr(t, mdObj(t, tp, "dcat:endDate", what), "@value", what) != end {
				t.Errorf("%s: temporal %v, want %s/%s", what, tp, start, end)
			}
		}
		dists := mdArr(t, d, "dcat:distribution", what)
		if len(dists) < 4 {
			t.Errorf("%s: %d distributions, want at least 4", what, len(dists))
		}
		for _, dv := range dists {
			dist := dv.(map[string]any)
			dwhat := what + " distribution " + dist["@id"].(string)
			if dist["@type"] != "dcat:Distribution" {
				t.Errorf("%s: @type %v", dwhat, dist["@type"])
			}
			u := mdAbsolute(t, mdID(t, dist, "dcat:downloadURL", dwhat), dwhat)
			mdAbsolute(t, mdID(t, dist, "dcat:accessURL", dwhat), dwhat)
			if u.Query().Has("release") {
				t.Errorf("%s: an unpinned catalogue links %v", dwhat, u)
			}
			mdID(t, dist, "dcat:mediaType", dwhat)
			mdID(t, dist, "dct:format", dwhat)
			if lic := mdObj(t, dist, "dct:license", dwhat); lic["dct:identifier"] != wantLic {
				t.Errorf("%s: licence %v", dwhat, lic)
			}
		}
	}

	// A catalogue asked for release 1 describes release 1 and links its files.
	rec1 := (testkit.Request{Method: http.MethodGet, URL: "http://example.com/catalog.jsonld?release=1"}).Do(s)
	if rec1.Code != http.StatusOK {
		t.Fatalf("catalog.jsonld?release=1: status %d", rec1.Code)
	}
	cat1 := mdDecode(t, "catalog?release=1", rec1.Body.Bytes())
	if m := mdStr(t, mdObj(t, cat1, "dct:modified", "catalog 1"), "@value", "catalog 1"); m != meta.Time(first.PublishedAt) {
		t.Errorf("catalog?release=1: modified %s", m)
	}
	d0 := mdArr(t, cat1, "dcat:dataset", "catalog 1")[0].(map[string]any)
	dist0 := mdArr(t, d0, "dcat:distribution", "catalog 1")[0].(map[string]any)
	if u := mdID(t, dist0, "dcat:downloadURL", "catalog 1"); !strings.HasSuffix(u, "?release=1") {
		t.Errorf("catalog?release=1 links %s", u)
	}
}

// testCatalogURLsAnswer follows every URL of the catalogue through the
// router. The metadata URLs must answer; download and page URLs of
// handlers not yet there (404) make the test skip, saying which.
func testCatalogURLsAnswer(t *testing.T, s *Server) {
	rec := (testkit.Request{Method: http.MethodGet, URL: "http://example.com/catalog.jsonld"}).Do(s)
	cat := mdDecode(t, "catalog.jsonld", rec.Body.Bytes())
	urls := map[string]bool{}
	for _, sv := range mdArr(t, cat, "dcat:dataset", "catalog") {
		d := sv.(map[string]any)
		urls[mdID(t, d, "dcat:landingPage", "catalog")] = true
		urls[mdID(t, d, "dct:conformsTo", "catalog")] = true
		for _, dv := range mdArr(t, d, "dcat:distribution", "catalog") {
			dist := dv.(map[string]any)
			urls[mdID(t, dist, "dcat:downloadURL", "catalog")] = true
			urls[mdID(t, dist, "dcat:accessURL", "catalog")] = true
		}
	}
	var pending []string
	for _, u := range slices.Sorted(func(yield func(string) bool) {
		for u := range urls {
			if !yield(u) {
				return
			}
		}
	}) {
		rec := (testkit.Request{Method: http.MethodGet, URL: u}).Do(s)
		switch {
		case rec.Code == http.StatusOK:
		case rec.Code == http.StatusNotFound && !strings.HasSuffix(u, "/datapackage.json"):
			pending = append(pending, u)
		default:
			t.Errorf("%s answers %d", u, rec.Code)
		}
	}
	if len(pending) > 0 {
		t.Skipf("not served yet (404), by handlers still being written: %s", strings.Join(pending, ", "))
	}
}

// mdJSONLDFor calls datasetJSONLD as the dataset page would.
func mdJSONLDFor(s *Server, ds *dataset.Dataset, rel release.Release, target, host string, lang i18n.Lang) string {
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest(http.MethodGet, target, nil)
	if host != "" {
		c.Request.Host = host
	}
	web.SetLang(c, lang)
	js, err := meta.DatasetJSONLD(c, ds, rel)
	if err != nil {
		panic(err)
	}
	return string(js)
}

func testSchemaOrgJSONLD(t *testing.T, s *Server, rel release.Release) {
	start, end, _ := meta.QuarterSpan(rel.Periods)
	for _, ds := range dataset.All {
		for _, lang := range i18n.Langs {
			what := "schema.org " + ds.Slug + " " + string(lang)
			out := mdJSONLDFor(s, ds, rel, "/dataset/"+ds.Slug, "", lang)
			if strings.Contains(strings.ToLower(out), "</script") {
				t.Errorf("%s: contains </script", what)
			}
			m := mdDecode(t, what, []byte(out))
			if m["@context"] != "https://schema.org" || m["@type"] != "Dataset" {
				t.Errorf("%s: @context %v @type %v", what, m["@context"], m["@type"])
			}
			if mdStr(t, m, "name", what) != ds.Title.In(string(lang)) {
				t.Errorf("%s: name %v", what, m["name"])
			}
			if d := mdStr(t, m, "description", what); len(d) < 50 || len(d) > 5000 {
				t.Errorf("%s: description is %d characters; Google wants 50–5000", what, len(d))
			}
			if u := mdAbsolute(t, mdStr(t, m, "url", what), what); u.Path != "/dataset/"+ds.Slug {
				t.Errorf("%s: url %v", what, u)
			}
			if mdStr(t, m, "identifier", what) != ds.Slug || mdStr(t, m, "license", what) != ds.Licence.URL {
				t.Errorf("%s: identifier %v licence %v", what, m["identifier"], m["license"])
			}
			if len(mdArr(t, m, "keywords", what)) == 0 {
				t.Errorf("%s: no keywords", what)
			}
			for _, k := range []string{"creator", "publisher"} {
				if o := mdObj(t, m, k, what); o["@type"] != "Organization" || o["name"] != meta.PublisherName {
					t.Errorf("%s: %s %v", what, k, o)
				}
			}
			if p := mdObj(t, m, "spatialCoverage", what); p["@type"] != "Place" || p["name"] != "Indonesia" {
				t.Errorf("%s: spatialCoverage %v", what, p)
			}
			if m["isAccessibleForFree"] != true {
				t.Errorf("%s: isAccessibleForFree %v", what, m["isAccessibleForFree"])
			}
			if mdStr(t, m, "version", what) != "2.0.0" || mdStr(t, m, "dateModified", what) != meta.Time(rel.PublishedAt) {
				t.Errorf("%s: version %v dateModified %v", what, m["version"], m["dateModified"])
			}
			if ds.Table != "" {
				if tc := mdStr(t, m, "temporalCoverage", what); tc != start+"/"+end {
					t.Errorf("%s: temporalCoverage %q, want %s/%s", what, tc, start, end)
				}
				vars := mdArr(t, m, "variableMeasured", what)
				if len(vars) == 0 {
					t.Errorf("%s: no variableMeasured", what)
				}
				for _, vv := range vars {
					v := vv.(map[string]any)
					if v["@type"] != "PropertyValue" || v["unitText"] == nil || v["name"] == nil {
						t.Errorf("%s: variableMeasured %v", what, v)
					}
				}
			}
			dists := mdArr(t, m, "distribution", what)
			if len(dists) < 4 {
				t.Errorf("%s: %d distributions", what, len(dists))
			}
			for _, dv := range dists {
				d := dv.(map[string]any)
				mdAbsolute(t, mdStr(t, d, "contentUrl", what), what)
				if d["@type"] != "DataDownload" || d["encodingFormat"] == nil {
					t.Errorf("%s: distribution %v", what, d)
				}
			}
		}
	}

	// A page pinned to a release links that release's files; the page of
	// the release in force links the files in force.
	n := strconv.Itoa(rel.Number)
	pinned := mdDecode(t, "pinned", []byte(mdJSONLDFor(s, dataset.Penyaluran, rel, "/dataset/penyaluran?release="+n, "", i18n.ID)))
	d0 := mdArr(t, pinned, "distribution", "pinned")[0].(map[string]any)
	if u := d0["contentUrl"].(string); !strings.HasSuffix(u, "/dataset/penyaluran.csv?release="+n) {
		t.Errorf("pinned page links %s", u)
	}
	unpinned := mdDecode(t, "unpinned", []byte(mdJSONLDFor(s, dataset.Penyaluran, rel, "/dataset/penyaluran", "", i18n.ID)))
	d0 = mdArr(t, unpinned, "distribution", "unpinned")[0].(map[string]any)
	if u := d0["contentUrl"].(string); !strings.HasSuffix(u, "/dataset/penyaluran.csv") {
		t.Errorf("page of the release in force links %s", u)
	}

	// Nothing from the request can break out of the script element.
	evil := `evil.example</script><script>alert(1)</script>&<!--`
	out := mdJSONLDFor(s, dataset.Penyaluran, rel, "/dataset/penyaluran", evil, i18n.EN)
	if strings.ContainsAny(out, "<>&") {
		t.Errorf("schema.org JSON-LD has a raw <, > or &: %.300s", out)
	}
	m := mdDecode(t, "hostile host", []byte(out))
	if !strings.Contains(m["url"].(string), "</script>") {
		t.Errorf("hostile host: the escaped value did not round-trip: %v", m["url"])
	}
	tmpl := template.Must(template.New("page").Parse(`<head><script type="application/ld+json">{{.}}</script></head>`))
	var page bytes.Buffer
	if err := tmpl.Execute(&page, template.JS(out)); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(strings.ToLower(page.String()), "</script"); n != 1 {
		t.Errorf("embedded in a page, the JSON-LD gives %d </script tags: %s", n, page.String())
	}
}

func testMetadataReleasesETagsAndErrors(t *testing.T, s *Server, first, latest release.Release) {
	cur, curRaw, curRec := mdFetchPackage(t, s, "penyaluran", "")
	old, _, oldRec := mdFetchPackage(t, s, "penyaluran", "?release=1")
	if cur.Version != meta.ReleaseVersion(latest.Number) || old.Version != meta.ReleaseVersion(first.Number) || cur.Version == old.Version {
		t.Errorf("versions: default %q, release 1 %q", cur.Version, old.Version)
	}
	if cur.Created == old.Created || old.Created != meta.Time(first.PublishedAt) {
		t.Errorf("created: default %q, release 1 %q (release 1 published %v)", cur.Created, old.Created, first.PublishedAt)
	}
	if !strings.HasSuffix(cur.Resources[0].Path, "/dataset/penyaluran.csv?release=2") ||
		!strings.HasSuffix(old.Resources[0].Path, "/dataset/penyaluran.csv?release=1") {
		t.Errorf("resource paths: default %q, release 1 %q", cur.Resources[0].Path, old.Resources[0].Path)
	}
	if curRaw["x-release"] != float64(2) {
		t.Errorf("x-release %v", curRaw["x-release"])
	}
	if cc := curRec.Header().Get("Cache-Control"); !strings.Contains(cc, "max-age=60") {
		t.Errorf("release in force: Cache-Control %q", cc)
	}
	if cc := oldRec.Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("pinned release: Cache-Control %q", cc)
	}
	etag := curRec.Header().Get("ETag")
	if etag == "" || etag == oldRec.Header().Get("ETag") {
		t.Errorf("ETags: default %q, release 1 %q", etag, oldRec.Header().Get("ETag"))
	}

	catRec := (testkit.Request{Method: http.MethodGet, URL: "http://example.com/catalog.jsonld"}).Do(s)
	for _, sc := range []testkit.Scenario{
		{Name: "datapackage revalidated", URL: "/dataset/penyaluran/datapackage.json",
			Header: http.Header{"If-None-Match": {etag}}, ExpectedStatus: http.StatusNotModified},
		{Name: "datapackage of release 1 revalidated", URL: "/dataset/penyaluran/datapackage.json?release=1",
			Header: http.Header{"If-None-Match": {oldRec.Header().Get("ETag")}}, ExpectedStatus: http.StatusNotModified},
		{Name: "another release's ETag does not match", URL: "/dataset/penyaluran/datapackage.json?release=1",
			Header: http.Header{"If-None-Match": {etag}}, ExpectedStatus: http.StatusOK},
		{Name: "catalog revalidated", URL: "/catalog.jsonld",
			Header: http.Header{"If-None-Match": {catRec.Header().Get("ETag")}}, ExpectedStatus: http.StatusNotModified},
		{Name: "catalog If-Modified-Since", URL: "/catalog.jsonld",
			Header: http.Header{"If-Modified-Since": {latest.PublishedAt.Add(time.Minute).UTC().Format(http.TimeFormat)}}, ExpectedStatus: http.StatusNotModified},
		{Name: "HEAD datapackage", Method: http.MethodHead, URL: "/dataset/wilayah/datapackage.json", ExpectedStatus: http.StatusOK,
			ExpectedHeaders: map[string]string{"Content-Type": "application/json"}},
		{Name: "HEAD catalog", Method: http.MethodHead, URL: "/catalog.jsonld", ExpectedStatus: http.StatusOK,
			ExpectedHeaders: map[string]string{"Content-Type": "application/ld+json"}},
		{Name: "unknown dataset", URL: "/dataset/tidak-ada/datapackage.json", ExpectedStatus: http.StatusNotFound,
			ExpectedContent: []string{`"code": "unknown_dataset"`, "tidak-ada"},
			ExpectedHeaders: map[string]string{"Content-Type": "application/json", "Cache-Control": "no-store"}},
		{Name: "unknown dataset wins over a bad release", URL: "/dataset/tidak-ada/datapackage.json?release=x", ExpectedStatus: http.StatusNotFound},
		{Name: "release not a number", URL: "/dataset/penyaluran/datapackage.json?release=abc", ExpectedStatus: http.StatusBadRequest,
			ExpectedContent: []string{`"code": "unknown_release"`, `rilis \"abc\" tidak ada`, "1–2"},
			ExpectedHeaders: map[string]string{"Content-Type": "application/json", "Cache-Control": "no-store"}},
		{Name: "release in English", URL: "/dataset/penyaluran/datapackage.json?release=abc&lang=en", ExpectedStatus: http.StatusBadRequest,
			ExpectedContent: []string{`release \"abc\" does not exist; the releases are 1–2`}},
		{Name: "release 0", URL: "/dataset/penyaluran/datapackage.json?release=0", ExpectedStatus: http.StatusBadRequest},
		{Name: "release from the future", URL: "/dataset/penyaluran/datapackage.json?release=99", ExpectedStatus: http.StatusBadRequest},
		{Name: "empty release", URL: "/dataset/penyaluran/datapackage.json?release=", ExpectedStatus: http.StatusBadRequest},
		{Name: "catalog bad release", URL: "/catalog.jsonld?release=3", ExpectedStatus: http.StatusBadRequest,
			ExpectedContent: []string{`"code": "unknown_release"`}},
		{Name: "catalog is not HTML-escaped away", URL: "/catalog.jsonld", ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`"@type": "dcat:Catalog"`, "mailto:" + meta.ContactEmail}},
	} {
		sc.Run(t, s)
	}
}

// TestRequestBaseURL checks the scheme and host of the absolute URLs:
// X-Forwarded-Proto counts only from a proxy gin trusts.
func TestRequestBaseURL(t *testing.T) {
	t.Parallel()
	e := gin.New()
	if err := e.SetTrustedProxies([]string{"192.0.2.1"}); err != nil {
		t.Fatal(err)
	}
	e.GET("/", func(c *gin.Context) { c.String(http.StatusOK, web.RequestBaseURL(c)) })
	for _, tc := range []struct {
		name, remote, xff, proto string
		tls                      bool
		want                     string
	}{
		{name: "plain", remote: "198.51.100.7:1234", want: "http://example.com"},
		{name: "TLS", remote: "198.51.100.7:1234", tls: true, want: "https://example.com"},
		{name: "untrusted peer claims https", remote: "198.51.100.7:1234", xff: "203.0.113.9", proto: "https", want: "http://example.com"},
		{name: "trusted proxy says https", remote: "192.0.2.1:1234", xff: "203.0.113.9", proto: "https", want: "https://example.com"},
		{name: "trusted proxy says http", remote: "192.0.2.1:1234", xff: "203.0.113.9", proto: "http", want: "http://example.com"},
	} {
		req := httptest.NewRequest(http.MethodGet, "http://example.com/", nil)
		req.RemoteAddr = tc.remote
		if tc.xff != "" {
			req.Header.Set("X-Forwarded-For", tc.xff)
		}
		if tc.proto != "" {
			req.Header.Set("X-Forwarded-Proto", tc.proto)
		}
		if tc.tls {
			req.TLS = &tls.ConnectionState{}
		}
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if got := rec.Body.String(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}

	// The site itself trusts no proxy (routes: SetTrustedProxies(nil)).
	s, _ := newTestServer(t)
	s.engine.GET("/test-base-url", func(c *gin.Context) { c.String(http.StatusOK, web.RequestBaseURL(c)) })
	req := httptest.NewRequest(http.MethodGet, "http://portal.example:8080/test-base-url", nil)
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	req.Header.Set("X-Forwarded-Proto", "https")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if got := rec.Body.String(); got != "http://portal.example:8080" {
		t.Errorf("no trusted proxy: %q", got)
	}
}

// TestMetadataWithoutRelease: before anything is published the metadata
// answers 503 with a reason, as JSON, like the API (one status per error
// code across the site).
func TestMetadataWithoutRelease(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t)
	for _, u := range []string{"/catalog.jsonld", "/dataset/penyaluran/datapackage.json"} {
		testkit.Scenario{Name: "no release " + u, URL: u, ExpectedStatus: http.StatusServiceUnavailable,
			ExpectedContent: []string{`"code": "no_release"`},
			ExpectedHeaders: map[string]string{"Content-Type": "application/json"}}.Run(t, s)
	}
}
