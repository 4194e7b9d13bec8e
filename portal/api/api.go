// Package api is the JSON API (/api/v1) and its OpenAPI description (/api/openapi.json).
// Handlers parse, query and render; every error they report with c.Error
// becomes a JSON error answer in the site's one error path (portal/web/errors.go).
package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/apperr"
	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/portal/web"
)

// api holds what the API computes once: its OpenAPI document and the row
// counts of releases (immutable, so kept once read).
type api struct {
	s    *web.Site
	spec []byte
	// tag changes when the registry (so the document) changes: it is part
	// of every ETag, so a new binary with a new column is not answered 304.
	tag string

	mu     sync.Mutex
	counts map[apiCountKey]int64
}

type apiCountKey struct {
	slug    string
	release int
}

// Routes registers the JSON API (/api/v1) and its OpenAPI description
// (/api/openapi.json) over the shared site.
func Routes(e *gin.Engine, s *web.Site) {
	spec, err := json.Marshal(openAPIDocument(dataset.All))
	if err != nil {
		panic(fmt.Sprintf("api: OpenAPI document: %v", err)) // maps of strings, numbers and slices: cannot fail
	}
	sum := sha256.Sum256(spec)
	a := &api{s: s, spec: spec, tag: hex.EncodeToString(sum[:6]), counts: map[apiCountKey]int64{}}

	g := e.Group("/api", a.middleware())
	a.handle(g, "/openapi.json", a.openAPI)
	a.handle(g, "/v1/datasets", a.datasets)
	a.handle(g, "/v1/datasets/:slug", a.dataset)
	a.handle(g, "/v1/datasets/:slug/rows", a.rows)
	a.handle(g, "/v1/releases", a.releases)
	a.handle(g, "/v1/releases/:n", a.release)
	a.handle(g, "/v1/status", a.status)

	// Unknown /api paths and other methods end in the engine's NoRoute
	// and NoMethod handlers, which routes registers after this. Engine.Use
	// here adds the middleware to those (gin rebuilds them with the
	// engine's middleware) and to no route registered before; it lets
	// every path but /api/... through untouched, so the site keeps its
	// HTML error pages and the API answers JSON.
	e.Use(a.middleware())
}

// handle registers GET, HEAD and the CORS preflight of one path.
func (a *api) handle(g *gin.RouterGroup, path string, h gin.HandlerFunc) {
	g.GET(path, h)
	g.HEAD(path, h)
	g.OPTIONS(path, a.preflight)
}

// middleware opens the API to any origin (it is public and read-only, and
// takes no credentials). It does nothing outside /api; errors, as
// everywhere, are answered by the site's error path (portal/web/errors.go), as JSON
// for /api.
func (a *api) middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		if web.IsAPIPath(c.Request.URL.Path) {
			h := c.Writer.Header()
			h.Set("Access-Control-Allow-Origin", "*")
			h.Set("Access-Control-Expose-Headers", "ETag, Last-Modified, Link")
		}
		c.Next()
	}
}

// preflight answers a CORS preflight request.
func (a *api) preflight(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Allow", web.APIMethods)
	h.Set("Access-Control-Allow-Methods", web.APIMethods)
	if req := c.GetHeader("Access-Control-Request-Headers"); req != "" {
		// Nothing the API reads from a header is secret and it takes no
		// credentials: any request header may be sent.
		h.Set("Access-Control-Allow-Headers", req)
		h.Add("Vary", "Access-Control-Request-Headers")
	}
	h.Set("Access-Control-Max-Age", "86400") // the browser's preflight cache
	c.Status(http.StatusNoContent)
}

// Answer types. Field names are the API's; openapi.go describes them.

type apiLicence struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

type apiReleaseRef struct {
	Number      int       `json:"number"`
	PublishedAt time.Time `json:"published_at"`
	// Synthetic marks generated demo data (docs/interface.md, "Demo data").
	Synthetic bool `json:"synthetic"`
}

type apiDatasetLinks struct {
	Self      string       `json:"self"`
	Rows      string       `json:"rows"`
	HTML      string       `json:"html"`
	Downloads apiDownloads `json:"downloads"`
}

type apiDownloads struct {
	CSV         string `json:"csv"`
	JSON        string `json:"json"`
	XLSX        string `json:"xlsx"`
	Parquet     string `json:"parquet"`
	DataPackage string `json:"datapackage"`
}

type apiDataset struct {
	Slug        string          `json:"slug"`
	Title       i18n.Text       `json:"title"`
	Description i18n.Text       `json:"description"`
	Licence     apiLicence      `json:"licence"`
	Topics      []string        `json:"topics"`
	Protected   bool            `json:"protected"`
	Frequency   i18n.Text       `json:"frequency"`
	Spatial     i18n.Text       `json:"spatial"`
	Release     *apiReleaseRef  `json:"release"`
	RowCount    *int64          `json:"row_count"`
	Links       apiDatasetLinks `json:"links"`
	// Columns is the data dictionary, in the one-dataset answer only.
	Columns []apiColumn `json:"columns,omitempty"`
}

type apiColumn struct {
	Name         string     `json:"name"`
	Type         string     `json:"type"`
	Unit         *i18n.Text `json:"unit"`
	Title        i18n.Text  `json:"title"`
	Description  i18n.Text  `json:"description"`
	Values       []string   `json:"values"`
	Filter       bool       `json:"filter"`
	Withholdable bool       `json:"withholdable"`
	// Optional measures may be null on a published row (no target).
	Optional bool `json:"optional"`
}

type apiDatasetList struct {
	Release  *apiReleaseRef `json:"release"`
	Datasets []apiDataset   `json:"datasets"`
}

// openAPI serves the OpenAPI document.
func (a *api) openAPI(c *gin.Context) {
	etag := `"oas-` + a.tag + `"`
	c.Header("ETag", etag)
	c.Header("Cache-Control", "public, max-age=3600")
	if web.ETagMatches(c, etag) {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", a.spec)
}

// optionalRelease is the asked-for release or the release in force, or nil
// before the first release when none was asked for: the catalogue and the
// data dictionaries exist before any data does.
func (a *api) optionalRelease(c *gin.Context) (*release.Release, bool, error) {
	rel, pinned, err := a.s.RequestedRelease(c)
	if errors.Is(err, release.ErrNoRelease) {
		if _, asked := c.GetQuery("release"); !asked {
			c.Header("Cache-Control", "no-cache")
			return nil, false, nil
		}
	}
	if err != nil {
		return nil, false, err
	}
	return &rel, pinned, nil
}

// datasets lists the catalogue.
func (a *api) datasets(c *gin.Context) {
	rel, pinned, err := a.optionalRelease(c)
	if err != nil {
		_ = c.Error(err)
		return
	}
	if rel != nil && web.NotModified(c, *rel, pinned, "api/datasets", a.tag) {
		return
	}
	out := apiDatasetList{Release: apiRef(rel), Datasets: make([]apiDataset, 0, len(dataset.All))}
	for _, ds := range dataset.All {
		d, err := a.describe(c.Request.Context(), ds, rel)
		if err != nil {
			_ = c.Error(err)
			return
		}
		out.Datasets = append(out.Datasets, d)
	}
	c.JSON(http.StatusOK, out)
}

// dataset describes one dataset with its data dictionary.
func (a *api) dataset(c *gin.Context) {
	ds, err := a.lookup(c.Param("slug"))
	if err != nil {
		_ = c.Error(err)
		return
	}
	rel, pinned, err := a.optionalRelease(c)
	if err != nil {
		_ = c.Error(err)
		return
	}
	if rel != nil && web.NotModified(c, *rel, pinned, "api/dataset", a.tag, ds.Slug) {
		return
	}
	d, err := a.describe(c.Request.Context(), ds, rel)
	if err != nil {
		_ = c.Error(err)
		return
	}
	d.Columns = make([]apiColumn, len(ds.Columns))
	for i, col := range ds.Columns {
		d.Columns[i] = apiColumn{Name: col.Name, Type: col.Type, Title: col.Title, Description: col.Desc,
			Values: col.Values, Filter: col.Dimension, Withholdable: col.Withholdable, Optional: col.Optional}
		if col.Unit != (i18n.Text{}) {
			u := col.Unit
			d.Columns[i].Unit = &u
		}
	}
	c.JSON(http.StatusOK, d)
}

func (a *api) lookup(slug string) (*dataset.Dataset, error) {
	if ds, ok := dataset.Get(slug); ok {
		return ds, nil
	}
	slugs := make([]string, len(dataset.All))
	for i, ds := range dataset.All {
		slugs[i] = ds.Slug
	}
	return nil, &apperr.Error{Kind: apperr.NotFound, Code: "unknown_dataset", Key: "api.error.unknown_dataset", Args: []any{slug, strings.Join(slugs, ", ")}}
}

func apiRef(rel *release.Release) *apiReleaseRef {
	if rel == nil {
		return nil
	}
	return &apiReleaseRef{Number: rel.Number, PublishedAt: rel.PublishedAt.UTC(), Synthetic: rel.Synthetic}
}

// describe is a dataset's catalogue entry in a release (nil: none yet).
func (a *api) describe(ctx context.Context, ds *dataset.Dataset, rel *release.Release) (apiDataset, error) {
	self := "/api/v1/datasets/" + ds.Slug
	d := apiDataset{
		Slug: ds.Slug, Title: ds.Title, Description: ds.Desc,
		Licence: apiLicence{ID: ds.Licence.ID, Title: ds.Licence.Title, URL: ds.Licence.URL},
		Topics:  ds.Topics, Protected: ds.Protected,
		Frequency: ds.Frequency, Spatial: ds.Spatial,
		Release: apiRef(rel),
		Links: apiDatasetLinks{Self: self, Rows: self + "/rows", HTML: "/dataset/" + ds.Slug,
			Downloads: apiDownloads{
				CSV: "/dataset/" + ds.Slug + ".csv", JSON: "/dataset/" + ds.Slug + ".json", XLSX: "/dataset/" + ds.Slug + ".xlsx", Parquet: "/dataset/" + ds.Slug + ".parquet",
				DataPackage: "/dataset/" + ds.Slug + "/datapackage.json",
			}},
	}
	if d.Topics == nil {
		d.Topics = []string{}
	}
	if rel != nil {
		n, err := a.rowCount(ctx, ds, rel.Number)
		if err != nil {
			return d, err
		}
		d.RowCount = &n
	}
	return d, nil
}

// rowCount counts a dataset's rows in a release, once: releases never
// change. The region reference is the same in every release.
func (a *api) rowCount(ctx context.Context, ds *dataset.Dataset, rel int) (int64, error) {
	if ds.Table == "" {
		rel = 0
	}
	key := apiCountKey{ds.Slug, rel}
	a.mu.Lock()
	n, ok := a.counts[key]
	a.mu.Unlock()
	if ok {
		return n, nil
	}
	n, err := a.s.Data.RowCount(ctx, ds, rel)
	if err != nil {
		return 0, err
	}
	a.mu.Lock()
	a.counts[key] = n
	a.mu.Unlock()
	return n, nil
}

// apiQuery is the canonical form of a rows query, echoed in the answer.
type apiQuery struct {
	Filters map[string][]string `json:"filters"`
	Sort    []string            `json:"sort"`
	Limit   int                 `json:"limit"`
}

func apiQueryOf(q *dataset.Query) apiQuery {
	out := apiQuery{Filters: map[string][]string{}, Sort: []string{}, Limit: q.Limit}
	for k, vs := range q.Filters {
		vs = slices.Clone(vs)
		slices.Sort(vs)
		out.Filters[k] = slices.Compact(vs)
	}
	for _, k := range q.Sort {
		if k.Desc {
			out.Sort = append(out.Sort, "-"+k.Col)
		} else {
			out.Sort = append(out.Sort, k.Col)
		}
	}
	return out
}

// rows answers one page of a dataset's rows.
func (a *api) rows(c *gin.Context) {
	ds, err := a.lookup(c.Param("slug"))
	if err != nil {
		_ = c.Error(err)
		return
	}
	rel, pinned, err := a.s.RequestedRelease(c)
	if err != nil {
		_ = c.Error(err)
		return
	}
	asked := c.Request.URL.Query()
	q, err := dataset.ParseQuery(ds, asked, true)
	if err != nil {
		_ = c.Error(err)
		return
	}
	q.Release = rel.Number
	if web.NotModified(c, rel, pinned, "api/rows", a.tag, ds.Slug, q.Canonical(), strconv.Itoa(q.Limit), strconv.Itoa(q.Offset)) {
		return
	}
	// The answer depends on the release and the request's parameters only
	// (the next link replays them), so it is cached by those.
	key := strconv.Itoa(rel.Number) + "|" + ds.Slug + "|" + c.Request.URL.RawQuery
	if hit, ok := a.s.Answers.Get(key); ok {
		if hit.Link != "" {
			c.Header("Link", hit.Link)
		}
		c.Data(http.StatusOK, "application/json; charset=utf-8", hit.Body)
		return
	}
	page, more, err := a.s.Data.Page(c.Request.Context(), q)
	if err != nil {
		_ = c.Error(err)
		return
	}
	var next string
	if more {
		next = apiNextURL(ds, asked, rel.Number, q.Limit, q.Offset+len(page))
		c.Header("Link", "<"+next+`>; rel="next"`)
	}
	body, err := apiRowsBody(ds, rel, apiQueryOf(q), page, next)
	if err != nil {
		_ = c.Error(err)
		return
	}
	ans := &web.CachedAnswer{Key: key, Body: body}
	if next != "" {
		ans.Link = "<" + next + `>; rel="next"`
	}
	a.s.Answers.Put(ans)
	c.Data(http.StatusOK, "application/json; charset=utf-8", body)
}

// apiNextURL is the absolute-path URL of the page after this one: the
// request's own parameters (which the query engine accepted as they are)
// with the next cursor. It names the release, so that a release published
// while a client pages cannot shift the rows under it.
func apiNextURL(ds *dataset.Dataset, asked url.Values, rel, limit, offset int) string {
	v := url.Values{}
	for k, vs := range asked {
		v[k] = slices.Clone(vs)
	}
	v.Set("limit", strconv.Itoa(limit))
	v.Set("release", strconv.Itoa(rel))
	v.Set("cursor", dataset.EncodeCursor(offset))
	return "/api/v1/datasets/" + ds.Slug + "/rows?" + v.Encode()
}

// apiRowsBody writes the rows answer. Rows are objects with their keys in
// the dataset's column order (a map would sort them), so it is written by
// hand around encoding/json.
func apiRowsBody(ds *dataset.Dataset, rel release.Release, q apiQuery, page [][]any, next string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // the next link's & stays readable
	put := func(v any) error {
		if err := enc.Encode(v); err != nil {
			return err
		}
		b.Truncate(b.Len() - 1) // Encode ends with a newline
		return nil
	}
	if err := put(struct {
		Dataset   string   `json:"dataset"`
		Release   int      `json:"release"`
		Synthetic bool     `json:"synthetic"`
		Query     apiQuery `json:"query"`
	}{ds.Slug, rel.Number, rel.Synthetic, q}); err != nil {
		return nil, err
	}
	b.Truncate(b.Len() - 1) // reopen the object: rows and next follow
	keys := make([][]byte, len(ds.Columns))
	for i, col := range ds.Columns {
		k, _ := json.Marshal(col.Name)
		keys[i] = append(k, ':')
	}
	b.WriteString(`,"rows":[`)
	for r, row := range page {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('{')
		for i, v := range row {
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(keys[i])
			switch x := v.(type) {
			case nil:
				b.WriteString("null")
			case int64:
				b.WriteString(strconv.FormatInt(x, 10))
			case bool:
				b.WriteString(strconv.FormatBool(x))
			default:
				if err := put(x); err != nil {
					return nil, fmt.Errorf("api: %s column %s: %w", ds.Slug, ds.Columns[i].Name, err)
				}
			}
		}
		b.WriteByte('}')
	}
	b.WriteString(`],"next":`)
	var n any
	if next != "" {
		n = next
	}
	if err := put(n); err != nil {
		return nil, err
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// Releases.

type apiReportSummary struct {
	Rows         int64 `json:"rows"`
	Accepted     int64 `json:"accepted"`
	Replayed     int64 `json:"replayed"`
	Moved        int64 `json:"moved"`
	Rejected     int64 `json:"rejected"`
	Quarantined  int64 `json:"quarantined"`
	Recipients   int64 `json:"recipients"`
	NominalSalur int64 `json:"nominal_salur"`
}

type apiReleaseLinks struct {
	Self string `json:"self"`
}

type apiRelease struct {
	Number      int              `json:"number"`
	PublishedAt time.Time        `json:"published_at"`
	RunID       string           `json:"run_id"`
	K           int              `json:"k"`
	Synthetic   bool             `json:"synthetic"`
	Periods     []string         `json:"periods"`
	Summary     apiReportSummary `json:"summary"`
	Links       apiReleaseLinks  `json:"links"`
}

type apiReleaseDetail struct {
	apiRelease
	Report     release.Report     `json:"report"`
	Disclosure release.Disclosure `json:"disclosure"`
	Files      []apiReleaseFile   `json:"files"`
}

type apiReleaseFile struct {
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	Outcome string `json:"outcome"`
}

func apiSummary(r release.Report) apiReportSummary {
	s := apiReportSummary{Rows: r.Rows, Accepted: r.Accepted, Replayed: r.Replayed, Moved: r.Moved,
		Recipients: r.Recipients, NominalSalur: r.NominalSalur}
	for _, n := range r.Rejected {
		s.Rejected += n
	}
	for _, n := range r.Quarantined {
		s.Quarantined += n
	}
	return s
}

func apiReleaseOf(rel release.Release) apiRelease {
	periods := rel.Periods
	if periods == nil {
		periods = []string{}
	}
	return apiRelease{Number: rel.Number, PublishedAt: rel.PublishedAt.UTC(), RunID: rel.RunID, K: rel.K, Synthetic: rel.Synthetic, Periods: periods,
		Summary: apiSummary(rel.Report), Links: apiReleaseLinks{Self: "/api/v1/releases/" + strconv.Itoa(rel.Number)}}
}

// releases lists every release, newest first.
func (a *api) releases(c *gin.Context) {
	ctx := c.Request.Context()
	latest, err := a.s.Latest(ctx)
	switch {
	case errors.Is(err, release.ErrNoRelease):
		c.Header("Cache-Control", "no-cache")
		c.JSON(http.StatusOK, gin.H{"releases": []apiRelease{}})
		return
	case err != nil:
		_ = c.Error(err)
		return
	}
	if web.NotModified(c, latest, false, "api/releases", a.tag) {
		return
	}
	// Summaries rather than whole releases: the list needs neither the
	// disclosure reports nor anything else large.
	all, err := a.s.Data.ReleaseSummaries(ctx)
	if err != nil {
		_ = c.Error(err)
		return
	}
	out := []apiRelease{}
	for _, r := range all {
		out = append(out, apiReleaseOf(r.Release()))
	}
	c.JSON(http.StatusOK, gin.H{"releases": out})
}

// release describes one release with its reports and input files.
func (a *api) release(c *gin.Context) {
	ctx := c.Request.Context()
	raw := c.Param("n")
	unknown := &apperr.Error{Kind: apperr.NotFound, Code: "unknown_release", Key: "api.error.unknown_release", Args: []any{raw}}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 {
		_ = c.Error(unknown)
		return
	}
	rel, err := a.s.Data.Release(ctx, n)
	if errors.Is(err, release.ErrNotFound) {
		err = unknown.Wrap(err)
	}
	if err != nil {
		_ = c.Error(err)
		return
	}
	if web.NotModified(c, rel, true, "api/release", a.tag) {
		return
	}
	files, err := a.files(ctx, rel.Number)
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.JSON(http.StatusOK, apiReleaseDetail{
		apiRelease: apiReleaseOf(rel),
		Report:     rel.Report, Disclosure: rel.Disclosure, Files: files,
	})
}

// files lists the input files of a release.
func (a *api) files(ctx context.Context, rel int) ([]apiReleaseFile, error) {
	files, err := a.s.Data.ReleaseFiles(ctx, rel)
	if err != nil {
		return nil, err
	}
	out := []apiReleaseFile{}
	for _, f := range files {
		out = append(out, apiReleaseFile{Name: f.Name, Kind: f.Kind, Outcome: f.Outcome})
	}
	return out, nil
}

// Status.

type apiRun struct {
	ID        string          `json:"id"`
	Trigger   string          `json:"trigger"`
	StartedAt time.Time       `json:"started_at"`
	EndedAt   *time.Time      `json:"ended_at"`
	Outcome   string          `json:"outcome"`
	Release   *int64          `json:"release"`
	Error     *string         `json:"error"`
	Report    *release.Report `json:"report"`
}

type apiStatus struct {
	Release *apiRelease      `json:"release"`
	Files   []apiReleaseFile `json:"files"`
	NextRun *time.Time       `json:"next_run"`
	Runs    []apiRun         `json:"runs"`
}

// status answers what the /status page shows: the release in force, its
// files, the next run and the last 20 runs.
func (a *api) status(c *gin.Context) {
	ctx := c.Request.Context()
	out := apiStatus{Files: []apiReleaseFile{}, Runs: []apiRun{}}
	rel, err := a.s.Latest(ctx)
	switch {
	case errors.Is(err, release.ErrNoRelease):
	case err != nil:
		_ = c.Error(err)
		return
	default:
		r := apiReleaseOf(rel)
		out.Release = &r
		if out.Files, err = a.files(ctx, rel.Number); err != nil {
			_ = c.Error(err)
			return
		}
	}
	if a.s.NextRun != nil {
		if t := a.s.NextRun(); !t.IsZero() {
			t = t.UTC()
			out.NextRun = &t
		}
	}
	if out.Runs, err = a.runs(ctx); err != nil {
		_ = c.Error(err)
		return
	}
	c.Header("Cache-Control", "no-cache")
	c.JSON(http.StatusOK, out)
}

func (a *api) runs(ctx context.Context) ([]apiRun, error) {
	runs, err := a.s.Data.RecentRuns(ctx, 20)
	if err != nil {
		return nil, err
	}
	out := []apiRun{}
	for _, run := range runs {
		r := apiRun{ID: run.ID, Trigger: run.Trigger, StartedAt: run.StartedAt.UTC(), Outcome: run.Outcome, Report: run.Report}
		if run.EndedAt != nil {
			t := run.EndedAt.UTC()
			r.EndedAt = &t
		}
		if run.Release != 0 {
			n := int64(run.Release)
			r.Release = &n
		}
		if run.Error != "" {
			r.Error = &run.Error
		}
		out = append(out, r)
	}
	return out, nil
}
