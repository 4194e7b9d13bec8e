package api

import (
	"sort"
	"strings"

	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/portal/web"
)

// The OpenAPI 3.1 description of the JSON API (/api/openapi.json). It is
// generated from the dataset registry, like the downloads, pages and Data
// Packages, so that a column added there appears here — filter parameters
// with their allowed values, row schemas with their types — without anyone
// editing a JSON file by hand.

// apiVersion is the version of the API description (info.version). Bump the
// minor number when the API grows, the major one (and the /api/vN prefix)
// when it changes incompatibly.
const apiVersion = "1.0.0"

// oaObj is one JSON object of the document. encoding/json writes map keys
// sorted, so the document (and the ETag derived from it) is the same on
// every start.
type oaObj = map[string]any

// The codes an error answer may carry (error.code).
var apiErrorCodes = []string{
	"unknown_filter", "bad_value", "bad_period", "bad_region", "bad_sort", "bad_limit", "bad_cursor",
	"unknown_release", "unknown_dataset", "not_found", "method_not_allowed", "bad_request", "no_release", "internal",
}

func oaRef(kind, name string) oaObj { return oaObj{"$ref": "#/components/" + kind + "/" + name} }

func oaSchema(name string) oaObj { return oaRef("schemas", name) }

// oaNullable is "this schema, or null".
func oaNullable(s oaObj) oaObj { return oaObj{"anyOf": []any{s, oaObj{"type": "null"}}} }

func oaObject(props oaObj, required ...string) oaObj {
	if required == nil {
		required = []string{}
	}
	return oaObj{"type": "object", "properties": props, "required": required, "additionalProperties": false}
}

// oaAllRequired is a closed object whose every property is required.
func oaAllRequired(props oaObj) oaObj {
	req := make([]string, 0, len(props))
	for k := range props {
		req = append(req, k)
	}
	sort.Strings(req)
	return oaObject(props, req...)
}

func oaArray(items oaObj) oaObj { return oaObj{"type": "array", "items": items} }

func oaType(t string, desc string) oaObj {
	o := oaObj{"type": t}
	if desc != "" {
		o["description"] = desc
	}
	return o
}

// SchemaName turns a slug into a component name: penyaluran-demografi →
// PenyaluranDemografi.
func SchemaName(slug string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(slug, func(r rune) bool { return r == '-' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// openAPIDocument builds the OpenAPI 3.1 document of the API over the given
// datasets (dataset.All in the site).
func openAPIDocument(all []*dataset.Dataset) oaObj {
	slugs := make([]string, len(all))
	for i, ds := range all {
		slugs[i] = ds.Slug
	}
	schemas := oaCommonSchemas(slugs)
	paths := oaObj{}

	paths["/api/openapi.json"] = oaEndpoint{tag: "meta", id: "openAPI", conditional: true,
		desc: "This document: the OpenAPI 3.1 description of the API, generated from the dataset registry.",
		ok:   oaOK(oaObj{"type": "object"}),
	}.path()
	paths["/api/v1/datasets"] = oaEndpoint{tag: "datasets", id: "datasets", conditional: true, badRequest: true, needsRelease: true,
		desc: "Every dataset of the catalogue with its licence, the release in force (or the one asked for), " +
			"its row count in that release and its links.",
		params: []any{oaRef("parameters", "release")},
		ok:     oaOK(oaSchema("DatasetList")),
	}.path()
	paths["/api/v1/datasets/{slug}"] = oaEndpoint{tag: "datasets", id: "dataset", conditional: true, badRequest: true, notFound: true, needsRelease: true,
		desc: "One dataset with its data dictionary: every column with its type, unit, title and description in Indonesian and English, " +
			"its allowed values, whether it is a filter and whether it can be withheld.",
		params: []any{oaRef("parameters", "slug"), oaRef("parameters", "release")},
		ok:     oaOK(oaSchema("DatasetDetail")),
	}.path()
	for _, ds := range all {
		name := SchemaName(ds.Slug)
		schemas[name+"Row"] = oaRowSchema(ds)
		schemas[name+"Page"] = oaPageSchema(ds, name+"Row")
		params := []any{}
		for _, col := range ds.Dimensions() {
			params = append(params, oaFilterParam(col))
		}
		if rc := ds.RegionColumn(); rc != "" {
			params = append(params, oaObj{
				"name": dataset.Within, "in": "query", "required": false,
				"description": "Rows of every region inside these regions (province or regency codes, comma-separated): " +
					"dalam=35 with tingkat=kabupaten gives every regency and city of province 35. Combines with the other filters.",
				"style": "form", "explode": false,
				"schema": oaArray(oaObj{"type": "string", "pattern": `^([0-9]{2}|[0-9]{4}|[0-9]{2}\.[0-9]{2})$`}),
			})
		}
		params = append(params, oaSortParam(ds), oaRef("parameters", "limit"), oaRef("parameters", "cursor"), oaRef("parameters", "release"))
		ok := oaOK(oaSchema(name + "Page"))
		ok["headers"].(oaObj)["Link"] = oaRef("headers", "Link")
		paths["/api/v1/datasets/"+ds.Slug+"/rows"] = oaEndpoint{tag: "datasets", id: "rows" + name,
			conditional: true, badRequest: true, needsRelease: true,
			desc: "Rows of " + ds.Title.EN + " (" + ds.Slug + "), filtered like the downloads, sorted and paged. " +
				"Follow `next` (or the Link header) to the end: paging neither loses nor repeats a row, " +
				"since the next page is pinned to the same immutable release.",
			params: params, ok: ok,
		}.path()
	}
	paths["/api/v1/releases"] = oaEndpoint{tag: "releases", id: "releases", conditional: true,
		desc: "Every data release, newest first, with its disclosure threshold k and a summary of the run that published it.",
		ok:   oaOK(oaSchema("ReleaseList")),
	}.path()
	paths["/api/v1/releases/{n}"] = oaEndpoint{tag: "releases", id: "release", conditional: true, notFound: true,
		desc:   "One release with its full run report, its disclosure report and the input files it was computed from.",
		params: []any{oaRef("parameters", "n")},
		ok:     oaOK(oaSchema("ReleaseDetail")),
	}.path()
	paths["/api/v1/status"] = oaEndpoint{tag: "status", id: "status",
		desc: "The release in force, its input files, the next scheduled run and the last aggregation runs (the data of the /status page).",
		ok:   oaOK(oaSchema("Status")),
	}.path()

	return oaObj{
		"openapi":           "3.1.0",
		"jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
		"info": oaObj{
			"title":   "Portal Data Bansos API",
			"version": apiVersion,
			"summary": "Open statistics of Indonesian social assistance (bantuan sosial) distribution.",
			"description": "Read-only JSON API over the portal's published data releases. Releases are immutable and numbered; " +
				"every data answer names its release and carries an ETag derived from it. Add `release=N` to read a past release. " +
				"Withheld cells (statistical disclosure control) have null measures and `ditekan: true`. " +
				"Errors are `{\"error\": {\"code\", \"message\": {\"id\", \"en\"}}}`: 400 for a bad request, 404 for an unknown dataset, release or path. " +
				"CORS is open for GET. The statistics are licensed CC-BY-4.0; the region reference (wilayah) ODbL-1.0.",
			"license": oaObj{"name": dataset.CCBY40.Title, "identifier": dataset.CCBY40.ID},
			"contact": oaObj{"name": web.ContactName, "email": web.ContactEmail},
		},
		"servers": []any{oaObj{"url": "/"}},
		"tags": []any{
			oaObj{"name": "datasets", "description": "The dataset catalogue, data dictionaries and rows."},
			oaObj{"name": "releases", "description": "Data releases, their run reports and disclosure reports."},
			oaObj{"name": "status", "description": "Aggregation runs."},
			oaObj{"name": "meta", "description": "This description."},
		},
		"paths": paths,
		"components": oaObj{
			"schemas":    schemas,
			"parameters": oaCommonParameters(slugs),
			"headers":    oaHeaders(),
			"responses":  oaResponses(),
		},
	}
}

func oaJSON(schema oaObj) oaObj { return oaObj{"application/json": oaObj{"schema": schema}} }

// oaOK is a 200 answer.
func oaOK(schema oaObj) oaObj {
	return oaObj{"description": "OK.", "content": oaJSON(schema), "headers": oaObj{
		"Access-Control-Allow-Origin": oaRef("headers", "Access-Control-Allow-Origin"),
		"ETag":                        oaRef("headers", "ETag"),
		"Last-Modified":               oaRef("headers", "Last-Modified"),
		"Cache-Control":               oaRef("headers", "Cache-Control"),
	}}
}

// oaEndpoint is one path of the API as the document describes it.
type oaEndpoint struct {
	tag, id, desc string
	params        []any
	ok            oaObj // the 200 answer of GET
	conditional   bool  // honours If-None-Match and If-Modified-Since (304)
	badRequest    bool  // can answer 400
	notFound      bool  // can answer 404
	needsRelease  bool  // answers 503 before the first release
}

// path is the endpoint's path item: GET, HEAD (the same answer without a
// body) and OPTIONS (the CORS preflight).
func (ep oaEndpoint) path() oaObj {
	// HEAD answers carry no body: its error answers are the headers-only
	// twins of GET's (…Head), not the JSON ones.
	responses := func(ok oaObj, suffix string) oaObj {
		r := oaObj{"200": ok, "default": oaRef("responses", "Error"+suffix)}
		if ep.conditional {
			r["304"] = oaRef("responses", "NotModified")
		}
		if ep.badRequest {
			r["400"] = oaRef("responses", "BadRequest"+suffix)
		}
		if ep.notFound {
			r["404"] = oaRef("responses", "NotFound"+suffix)
		}
		if ep.needsRelease {
			r["503"] = oaRef("responses", "NoRelease"+suffix)
		}
		return r
	}
	id := strings.ToUpper(ep.id[:1]) + ep.id[1:]
	get := oaObj{"tags": []any{ep.tag}, "operationId": "get" + id, "summary": summaryOf(ep.desc), "description": ep.desc, "responses": responses(ep.ok, "")}
	head := oaObj{"tags": []any{ep.tag}, "operationId": "head" + id, "summary": "Headers of " + summaryOf(ep.desc),
		"description": "The status and headers the GET of this path answers, without its body: to check a resource's " +
			"ETag, Last-Modified or existence cheaply.",
		"responses": responses(oaObj{"description": "OK (headers only).", "headers": ep.ok["headers"]}, "Head")}
	options := oaObj{"tags": []any{ep.tag}, "operationId": "options" + id, "summary": "CORS preflight.",
		"description": "The CORS preflight a browser sends before a cross-origin request: it says which methods " +
			"(" + web.APIMethods + ") any origin may use.",
		"responses": oaObj{"204": oaRef("responses", "Preflight")}}
	if len(ep.params) > 0 {
		get["parameters"] = ep.params
		head["parameters"] = ep.params
		// A preflight's URL has the path's parameters too.
		var inPath []any
		for _, p := range ep.params {
			if ref, ok := p.(oaObj)["$ref"].(string); ok && (strings.HasSuffix(ref, "/slug") || strings.HasSuffix(ref, "/n")) {
				inPath = append(inPath, p)
			}
		}
		if len(inPath) > 0 {
			options["parameters"] = inPath
		}
	}
	return oaObj{"get": get, "head": head, "options": options}
}

// summaryOf is an operation's short summary: the first sentence of its
// description.
func summaryOf(desc string) string {
	if i := strings.Index(desc, ": "); i > 0 && i < 80 {
		return desc[:i] + "."
	}
	if i := strings.Index(desc, ". "); i > 0 {
		return desc[:i+1]
	}
	return desc
}

// FilterValues are the values a filter parameter may take: the column's
// values, with "-" (dataset.EmptyValue) standing for the empty one. An
// empty parameter is no filter.
func FilterValues(col *dataset.Column) []string {
	if len(col.Values) == 0 {
		return nil
	}
	var out []string
	for _, v := range col.Values {
		if v != "" {
			out = append(out, v)
		}
	}
	if col.MayBeEmpty() {
		out = append(out, dataset.EmptyValue)
	}
	return out
}

func oaFilterParam(col *dataset.Column) oaObj {
	item := oaObj{"type": "string"}
	if vs := FilterValues(col); vs != nil {
		item["enum"] = vs
	}
	empty := ""
	if col.MayBeEmpty() {
		empty = "|-"
	}
	desc := col.Title.EN + ". " + col.Desc.EN + " Several values, comma-separated, are alternatives."
	if col.MayBeEmpty() {
		desc += " " + dataset.EmptyValue + " selects rows where the column is empty."
	}
	switch col.Name {
	case "periode":
		item["pattern"] = "^([0-9]{4}-[Qq][1-4]" + empty + ")?$"
	case "kode_wilayah", "kode", "kode_induk":
		// Province, regency or district codes, dotted or not (the API also
		// checks that the code exists).
		item["pattern"] = `^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{2}\.[0-9]{2}|[0-9]{2}\.[0-9]{2}\.[0-9]{2}` + empty + `)?$`
	}
	return oaObj{
		"name": col.Name, "in": "query", "required": false,
		"description": desc,
		"style":       "form", "explode": false,
		"schema": oaArray(item),
	}
}

func oaSortParam(ds *dataset.Dataset) oaObj {
	var keys []string
	for _, c := range ds.Columns {
		keys = append(keys, c.Name, "-"+c.Name)
	}
	return oaObj{
		"name": "sort", "in": "query", "required": false,
		"description": "Columns to sort by, comma-separated; prefix a column with - for descending order. " +
			"The dataset's natural order breaks ties, so the order is total and paging is stable.",
		"style": "form", "explode": false,
		"schema": oaArray(oaObj{"type": "string", "enum": keys}),
	}
}

func oaCommonParameters(slugs []string) oaObj {
	return oaObj{
		"release": oaObj{"name": "release", "in": "query", "required": false,
			"description": "Read this release instead of the release in force. Releases are immutable, so a pinned answer may be cached for long.",
			"schema":      oaObj{"type": "integer", "minimum": 1}},
		"limit": oaObj{"name": "limit", "in": "query", "required": false,
			"description": "Rows per page.",
			"schema":      oaObj{"type": "integer", "minimum": 1, "maximum": dataset.MaxLimit, "default": dataset.DefaultLimit}},
		"cursor": oaObj{"name": "cursor", "in": "query", "required": false,
			"description": "Opaque position of a page, taken from the `next` link of the previous answer.",
			"schema":      oaObj{"type": "string"}},
		"slug": oaObj{"name": "slug", "in": "path", "required": true,
			"description": "The dataset.", "schema": oaObj{"type": "string", "enum": slugs}},
		"n": oaObj{"name": "n", "in": "path", "required": true,
			"description": "Release number.", "schema": oaObj{"type": "integer", "minimum": 1}},
	}
}

func oaHeaders() oaObj {
	str := func(desc string) oaObj { return oaObj{"description": desc, "schema": oaObj{"type": "string"}} }
	return oaObj{
		"Access-Control-Allow-Origin": oaObj{"description": "CORS: any origin may read the answer.", "required": true,
			"schema": oaObj{"type": "string", "const": "*"}},
		"ETag":          str("Strong validator derived from the release and the canonical query."),
		"Last-Modified": str("When the release was published."),
		"Cache-Control": str("A year (immutable) when the URL names a release, a minute for the release in force."),
		"Link":          str(`The next page, as <URL>; rel="next", when there is one.`),
	}
}

func oaResponses() oaObj {
	errResp := func(desc string) oaObj {
		return oaObj{"description": desc, "content": oaJSON(oaSchema("Error")),
			"headers": oaObj{"Access-Control-Allow-Origin": oaRef("headers", "Access-Control-Allow-Origin")}}
	}
	headOnly := func(desc string) oaObj {
		return oaObj{"description": desc + " (HEAD: headers only, no body.)",
			"headers": oaObj{"Access-Control-Allow-Origin": oaRef("headers", "Access-Control-Allow-Origin")}}
	}
	return oaObj{
		"BadRequestHead": headOnly("Bad request, as the GET would answer."),
		"NotFoundHead":   headOnly("Unknown dataset, release or path."),
		"NoReleaseHead":  headOnly("No data release has been published yet."),
		"ErrorHead":      headOnly("Any other error."),
		"NotModified": oaObj{"description": "Not modified: the client's copy (If-None-Match / If-Modified-Since) is current.",
			"headers": oaObj{"ETag": oaRef("headers", "ETag")}},
		"BadRequest": errResp("Bad request: an unknown filter column, a value outside a column's values, a malformed period or region code, " +
			"a bad sort, limit or cursor, or an unknown release. The message says what is allowed, in Indonesian and English."),
		"NotFound":  errResp("Unknown dataset, release or path."),
		"NoRelease": errResp("No data release has been published yet."),
		"Error":     errResp("Any other error (405 for a method other than GET, HEAD and OPTIONS; 500)."),
		"Preflight": oaObj{"description": "CORS preflight answer.", "headers": oaObj{
			"Access-Control-Allow-Origin":  oaRef("headers", "Access-Control-Allow-Origin"),
			"Access-Control-Allow-Methods": oaObj{"required": true, "schema": oaObj{"type": "string", "const": web.APIMethods}},
			"Access-Control-Max-Age":       oaObj{"schema": oaObj{"type": "string"}},
		}},
	}
}

// oaColumnSchema is the JSON schema of one column's values in a row.
func oaColumnSchema(col *dataset.Column) oaObj {
	var s oaObj
	switch col.Type {
	case dataset.TypeInteger, dataset.TypeNumber, dataset.TypeBoolean:
		s = oaObj{"type": col.Type}
		if col.Withholdable {
			s["type"] = []any{col.Type, "null"}
		}
	default:
		s = oaObj{"type": "string"}
		if len(col.Values) > 0 {
			s["enum"] = col.Values
		}
	}
	s["title"] = col.Title.EN
	desc := col.Desc.EN
	if col.Unit.EN != "" {
		desc += " Unit: " + col.Unit.EN + "."
	}
	if col.Withholdable {
		desc += " Null when the row is withheld."
	}
	s["description"] = desc
	return s
}

// oaRowSchema is one row of a dataset: every column, in the registry's
// types, withheld measures null (and null exactly when ditekan is true).
func oaRowSchema(ds *dataset.Dataset) oaObj {
	props := oaObj{}
	var withheld oaObj
	for i := range ds.Columns {
		col := &ds.Columns[i]
		props[col.Name] = oaColumnSchema(col)
		if col.Withholdable {
			if withheld == nil {
				withheld = oaObj{}
			}
			withheld[col.Name] = oaObj{"type": "null"}
		}
	}
	row := oaAllRequired(props)
	row["description"] = "One row of " + ds.Slug + ", keys in the dataset's column order."
	if _, ok := ds.Column("ditekan"); ok && withheld != nil {
		row["if"] = oaObj{"properties": oaObj{"ditekan": oaObj{"const": true}}}
		row["then"] = oaObj{"properties": withheld}
	}
	return row
}

func oaPageSchema(ds *dataset.Dataset, row string) oaObj {
	filters := oaObj{}
	for _, col := range ds.Dimensions() {
		item := oaObj{"type": "string"}
		if len(col.Values) > 0 {
			item["enum"] = col.Values
		}
		filters[col.Name] = oaArray(item)
	}
	return oaAllRequired(oaObj{
		"dataset":   oaObj{"const": ds.Slug},
		"release":   oaObj{"type": "integer", "minimum": 1},
		"synthetic": oaType("boolean", "True when the release is generated demo data (DATA CONTOH), not ministry data."),
		"query": oaAllRequired(oaObj{
			"filters": oaObject(filters),
			"sort":    oaArray(oaObj{"type": "string"}),
			"limit":   oaObj{"type": "integer", "minimum": 1, "maximum": dataset.MaxLimit},
		}),
		"rows": oaArray(oaSchema(row)),
		"next": oaObj{"type": []any{"string", "null"}, "description": "Absolute-path URL of the next page, or null on the last page."},
	})
}

func oaCommonSchemas(slugs []string) oaObj {
	text := oaSchema("Text")
	integer := oaObj{"type": "integer"}
	str := oaObj{"type": "string"}
	dateTime := oaObj{"type": "string", "format": "date-time"}
	synthetic := oaType("boolean", "True when the release was made from generated demo data (DATA CONTOH), not the ministry's distribution files: never quote its numbers as official.")
	counts := oaObj{"type": []any{"object", "null"}, "additionalProperties": integer}
	datasetProps := func() oaObj {
		return oaObj{
			"slug":        oaObj{"type": "string", "enum": slugs},
			"title":       text,
			"description": text,
			"licence":     oaSchema("Licence"),
			"topics":      oaArray(str),
			"protected":   oaType("boolean", "Whether the dataset carries withheld cells (statistical disclosure control)."),
			"frequency":   text,
			"spatial":     text,
			"release":     oaNullable(oaSchema("ReleaseRef")),
			"row_count":   oaObj{"type": []any{"integer", "null"}, "description": "Rows in that release (null before the first release)."},
			"links":       oaSchema("DatasetLinks"),
		}
	}
	detail := datasetProps()
	detail["columns"] = oaArray(oaSchema("Column"))
	releaseProps := func() oaObj {
		return oaObj{
			"number":       oaObj{"type": "integer", "minimum": 1},
			"published_at": dateTime,
			"run_id":       str,
			"k":            oaType("integer", "Disclosure threshold: cells of fewer than k families are withheld."),
			"synthetic":    synthetic,
			"periods":      oaObj{"type": []any{"array", "null"}, "items": str},
			"summary":      oaSchema("ReportSummary"),
			"links":        oaAllRequired(oaObj{"self": str}),
		}
	}
	releaseDetail := releaseProps()
	releaseDetail["report"] = oaSchema("RunReport")
	releaseDetail["disclosure"] = oaSchema("Disclosure")
	releaseDetail["files"] = oaArray(oaSchema("ReleaseFile"))
	// Rounded to a safe step, null where no step is safe (release.LevelDisclosure).
	shares := oaObj{"type": []any{"number", "null"}, "minimum": 0, "maximum": 1}
	return oaObj{
		"Text": oaAllRequired(oaObj{"id": oaType("string", "Indonesian."), "en": oaType("string", "English.")}),
		"Error": oaAllRequired(oaObj{"error": oaAllRequired(oaObj{
			"code":    oaObj{"type": "string", "description": "Machine-readable: " + strings.Join(apiErrorCodes, ", ") + "."},
			"message": text,
		})}),
		"Licence": oaAllRequired(oaObj{"id": oaType("string", "SPDX identifier."), "title": str,
			"url": oaObj{"type": "string", "format": "uri"}}),
		"ReleaseRef": oaAllRequired(oaObj{"number": oaObj{"type": "integer", "minimum": 1}, "published_at": dateTime, "synthetic": synthetic}),
		"DatasetLinks": oaAllRequired(oaObj{
			"self": str, "rows": str, "html": str,
			"downloads": oaAllRequired(oaObj{"csv": str, "json": str, "xlsx": str, "parquet": str, "datapackage": str}),
		}),
		"Column": oaAllRequired(oaObj{
			"name":         str,
			"type":         oaObj{"type": "string", "enum": []string{dataset.TypeString, dataset.TypeInteger, dataset.TypeNumber, dataset.TypeBoolean}},
			"unit":         oaNullable(text),
			"title":        text,
			"description":  text,
			"values":       oaObj{"type": []any{"array", "null"}, "items": str, "description": "Allowed values of an enumerated column; null when free."},
			"filter":       oaType("boolean", "Whether the column can be used as a query filter."),
			"withholdable": oaType("boolean", "Whether the value is null when the row is withheld."),
			"optional":     oaType("boolean", "Whether the value may be null on a published row too (no target, budget ceiling or DTSEN count)."),
		}),
		"Dataset":       oaAllRequired(datasetProps()),
		"DatasetDetail": oaAllRequired(detail),
		"DatasetList": oaAllRequired(oaObj{
			"release":  oaNullable(oaSchema("ReleaseRef")),
			"datasets": oaArray(oaSchema("Dataset")),
		}),
		// The run and disclosure reports are the aggregator's; their
		// objects stay open so that a field it adds is not an error here.
		"RunReport": oaObj{"type": "object", "properties": oaObj{
			"run_id": str, "release": str, "files": oaObj{"type": []any{"array", "null"}, "items": str},
			"rows": integer, "accepted": integer, "replayed": integer, "moved": integer,
			"rejected": counts, "quarantined": counts, "recipients": integer, "nominal_salur": integer,
			"rounded_to":        oaType("integer", "The counts above are rounded to a multiple of this (10·k)."),
			"rupiah_rounded_to": oaType("integer", "nominal_salur is rounded to a multiple of this."),
		}},
		"ReportSummary": oaAllRequired(oaObj{
			"rows": integer, "accepted": integer, "replayed": integer, "moved": integer,
			"rejected":    oaType("integer", "Rows rejected by matching (ASN, deceased, double), all reasons."),
			"quarantined": oaType("integer", "Rows quarantined by validation, all reasons."),
			"recipients":  integer, "nominal_salur": integer,
		}),
		"Disclosure": oaObj{"type": "object", "properties": oaObj{
			"k":                  integer,
			"method":             oaType("string", "The protection method and its version (docs/disclosure.md)."),
			"datasets":           oaObj{"type": []any{"object", "null"}, "additionalProperties": oaSchema("DatasetDisclosure")},
			"quarters_protected": integer,
			"quarters_carried":   integer,
			"quarters_held_back": oaObj{"type": []any{"array", "null"}, "items": str,
				"description": "Quarters whose changes since the previous release could not yet be published safely: shown as the previous release showed them."},
			"quarters_pending": oaObj{"type": []any{"array", "null"}, "items": str,
				"description": "Quarters with data not published yet: a quarter comes out whole once it has ended and the days allowed for late files have passed."},
			"levels_left_out": oaObj{"type": []any{"array", "null"}, "items": str,
				"description": "Programme levels of a quarter (\"2025-Q2 BLT kecamatan\") left out of every dataset because one of their counts could not be protected otherwise."},
			"witnesses":    integer,
			"requirements": integer,
		}},
		"DatasetDisclosure": oaObj{"type": "object", "properties": oaObj{
			"cells": integer, "primary": integer, "secondary": integer, "partial": integer,
			"levels": oaObj{"type": []any{"object", "null"}, "additionalProperties": oaSchema("LevelDisclosure")},
		}},
		"LevelDisclosure": oaObj{"type": "object", "properties": oaObj{
			"cells": integer, "primary": integer, "secondary": integer, "partial": integer,
			"families_withheld_share": shares, "rupiah_withheld_share": shares,
		}},
		"ReleaseFile": oaAllRequired(oaObj{
			"name": str, "kind": str,
			"outcome": oaObj{"type": "string", "enum": []string{"ingested", "refused", "reference"}},
		}),
		"Release":       oaAllRequired(releaseProps()),
		"ReleaseDetail": oaAllRequired(releaseDetail),
		"ReleaseList":   oaAllRequired(oaObj{"releases": oaArray(oaSchema("Release"))}),
		"Run": oaAllRequired(oaObj{
			"id": str, "trigger": str, "started_at": dateTime,
			"ended_at": oaObj{"type": []any{"string", "null"}, "format": "date-time"},
			"outcome":  oaObj{"type": "string", "enum": []string{"running", "published", "nothing", "failed", "skipped"}},
			"release":  oaObj{"type": []any{"integer", "null"}},
			"error":    oaObj{"type": []any{"string", "null"}},
			"report":   oaNullable(oaSchema("RunReport")),
		}),
		"Status": oaAllRequired(oaObj{
			"release":  oaNullable(oaSchema("Release")),
			"files":    oaArray(oaSchema("ReleaseFile")),
			"next_run": oaObj{"type": []any{"string", "null"}, "format": "date-time"},
			"runs":     oaArray(oaSchema("Run")),
		}),
	}
}
