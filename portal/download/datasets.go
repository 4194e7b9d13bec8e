package download

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/internal/search"
	"github.com/portal-data-bansos/portal/portal/meta"
	"github.com/portal-data-bansos/portal/portal/web"
)

// catalogItem is one dataset in the catalogue.
type catalogItem struct {
	DS    *dataset.Dataset
	Title string
	Desc  string
	Rows  int
}

type catalogPage struct {
	*web.Page
	Items   []catalogItem
	Search  string
	Topic   string
	Topics  []string
	NextRun string
}

// Catalog is /dataset: every dataset with its licence, release, row count
// and updates; search by words and filter by programme or topic.
func (s *Handler) Catalog(c *gin.Context) {
	p := &catalogPage{Page: s.NewPage(c, "dataset"), Search: strings.TrimSpace(c.Query("q")), Topic: c.Query("topik")}
	found := map[string]bool{}
	for _, h := range catalogIndex().Find(p.Search, 0) {
		found[h.Key] = true
	}
	if err := s.WithRelease(c, p.Page); err != nil {
		_ = c.Error(err)
		return
	}
	lang := string(web.LangOf(c))
	seen := map[string]bool{}
	for _, ds := range dataset.All {
		for _, t := range ds.Topics {
			if !seen[t] {
				seen[t] = true
				p.Topics = append(p.Topics, t)
			}
		}
		if p.Topic != "" && !slices.Contains(ds.Topics, p.Topic) {
			continue
		}
		title, desc := ds.Title.In(lang), ds.Desc.In(lang)
		if p.Search != "" && !found[ds.Slug] {
			continue
		}
		item := catalogItem{DS: ds, Title: title, Desc: desc}
		if p.Release != nil {
			item.Rows = p.Release.Counts[ds.Slug]
		}
		if ds.Slug == dataset.Wilayah.Slug {
			item.Rows = dataset.WilayahCount()
		}
		p.Items = append(p.Items, item)
	}
	if s.NextRun != nil {
		if t := s.NextRun(); !t.IsZero() {
			p.NextRun = p.L.DateTime(t)
		}
	}
	c.Header("Cache-Control", "public, max-age=60")
	s.Render(c, http.StatusOK, "catalog", p)
}

// catalogIndex finds datasets by their titles, descriptions, topics and
// the names of the programmes they cover (internal/search: case,
// accents and a typing error forgiven), so that "sembako", "bansos" or
// "Program Keluarga Harapan" find them.
var catalogIndex = sync.OnceValue(func() *search.Index {
	ix := &search.Index{}
	for _, ds := range dataset.All {
		ix.Add(search.Entry{Kind: search.Dataset, Key: ds.Slug, Title: ds.Title.ID}, ds.SearchTerms()...)
	}
	return ix
})

// filterField is one filter of the dataset page's form.
type filterField struct {
	Col      *dataset.Column
	Title    string
	Options  []string
	Selected string
}

type datasetPage struct {
	*web.Page
	DS          *dataset.Dataset
	Title       string
	Desc        string
	Lang        string
	Shown       release.Release // the release the page shows (?release=N or in force)
	Rows        int
	Coverage    string
	Filters     []filterField
	Columns     []dataset.Column
	Preview     [][]cellView
	HasWithheld bool
	PrevURL     string
	NextURL     string
	PageFrom    int
	Downloads   []downloadLink
	APIURL      string
	// Regions are the provinces and regencies, by name, for the "within
	// region" filter (dalam) and the region code box; WithinSelected the
	// codes asked for.
	Regions        []regionOption
	WithinSelected string
	Snippets       []snippet
	Releases       []releaseEntry
	Disclosure     *release.DatasetDisclosure
	Checksums      []checksum
	JSONLD         template.JS
	NextRun        string
}

type cellView struct {
	Text     string
	Num      bool
	Withheld bool
	NotSet   bool // published, and empty: not applicable
}

type downloadLink struct {
	Label, URL, Format string
}

type releaseEntry struct {
	Number    int
	Date      string
	Rows      int
	Delta     int
	Files     []string
	Accepted  int64
	Current   bool
	URL       string
	HasDelta  bool
	DeltaText string
}

type checksum struct {
	File, SHA256 string
	Bytes        int64
	Pending      bool
}

const previewRows = 50

// datasetPage is /dataset/{slug}: description, licence, coverage, the data
// dictionary, the disclosure note, a filtered and paged preview, downloads
// carrying the filters, the release history and a suggested citation.
func (s *Handler) datasetPage(c *gin.Context, slug string) {
	ds, ok := dataset.Get(slug)
	if !ok {
		_ = c.Error(web.ErrNotFound)
		return
	}
	lang := string(web.LangOf(c))
	p := &datasetPage{Page: s.NewPage(c, "dataset"), DS: ds, Title: ds.Title.In(lang), Desc: ds.Desc.In(lang), Lang: lang, Columns: ds.Columns}
	rel, pinned, err := s.RequestedRelease(c)
	noRelease := errors.Is(err, release.ErrNoRelease)
	if err != nil && !noRelease {
		_ = c.Error(err)
		return
	}
	if noRelease && ds.Table != "" {
		s.Render(c, http.StatusOK, "dataset", p)
		return
	}
	if err == nil {
		latest, _ := s.Latest(c.Request.Context())
		// Page.Pinned and InForce as on every page; the shown release is
		// Shown (Release stays the one in force: the page has its own
		// note for an old release, so no banner repeats it).
		p.Release, p.Shown, p.Pinned, p.InForce = &latest, rel, pinned, latest.Number
	}
	values := c.Request.URL.Query()
	q, err := dataset.ParseQuery(ds, values, true)
	if err != nil {
		_ = c.Error(err)
		return
	}
	q.Release, q.Limit = p.Shown.Number, previewRows
	page, more, err := s.Data.Page(c.Request.Context(), q)
	if err != nil {
		_ = c.Error(err)
		return
	}
	p.PageFrom = q.Offset + 1
	flag := -1 // the row's ditekan column: an empty measure of a row not withheld is "not set", not withheld
	for i, c := range ds.Columns {
		if c.Name == "ditekan" {
			flag = i
		}
	}
	for _, r := range page {
		row := make([]cellView, len(r))
		withheld := flag < 0 || r[flag] == true
		for i, v := range r {
			row[i] = s.cellText(p.L, ds.Columns[i], v, withheld)
			if row[i].Withheld {
				p.HasWithheld = true
			}
		}
		p.Preview = append(p.Preview, row)
	}
	if more {
		p.NextURL = web.WithParam(c.Request.URL, "cursor", dataset.EncodeCursor(q.Offset+previewRows))
	}
	if q.Offset > 0 {
		prev := q.Offset - previewRows
		if prev <= 0 {
			p.PrevURL = web.WithParam(c.Request.URL, "cursor", "")
		} else {
			p.PrevURL = web.WithParam(c.Request.URL, "cursor", dataset.EncodeCursor(prev))
		}
	}
	p.Filters = s.filterFields(ds, p.Shown, q, lang)
	if ds.RegionColumn() != "" {
		p.Regions = regionOptions()
		p.WithinSelected = strings.Join(q.Filters[dataset.Within], ",")
	}
	p.Rows = p.Shown.Counts[ds.Slug]
	if ds.Slug == dataset.Wilayah.Slug {
		p.Rows = dataset.WilayahCount()
	}
	if len(p.Shown.Periods) > 0 {
		p.Coverage = p.Shown.Periods[0] + " – " + p.Shown.Periods[len(p.Shown.Periods)-1]
	}
	p.Disclosure = p.Shown.Disclosure.Datasets[ds.Slug]
	filterQuery := filterValues(q)
	if pinned {
		filterQuery.Set("release", strconv.Itoa(p.Shown.Number))
	}
	base := "/dataset/" + ds.Slug
	enc := ""
	if len(filterQuery) > 0 {
		enc = "?" + filterQuery.Encode()
	}
	p.Downloads = []downloadLink{
		{Label: "CSV", URL: base + ".csv" + enc, Format: "csv"},
		{Label: p.L.T("dataset.download.excel_csv"), URL: base + ".csv" + addParam(enc, "bom=1"), Format: "csv"},
		{Label: "JSON", URL: base + ".json" + enc, Format: "json"},
		{Label: "XLSX", URL: base + ".xlsx" + enc, Format: "xlsx"},
		{Label: "Parquet", URL: base + ".parquet" + enc, Format: "parquet"},
		{Label: "Data Package", URL: base + "/datapackage.json" + pinParam(pinned, p.Shown.Number), Format: "json"},
	}
	p.APIURL = "/api/v1/datasets/" + ds.Slug + "/rows" + enc
	// Pinned to the release shown, so that a script reads what it was
	// written against.
	pin := filterValues(q)
	pin.Set("release", strconv.Itoa(p.Shown.Number))
	p.Snippets = snippets(ds, s.BaseOf(c)+base+".csv?"+pin.Encode())
	p.Cite = s.Cite(c, p.L, p.Title, p.Shown, base, filterQuery)
	if ds.Table != "" {
		if p.Releases, err = s.releaseHistory(c, ds, p.Shown.Number); err != nil {
			_ = c.Error(err)
			return
		}
		p.Checksums = s.sums.get(s, ds, p.Shown, s.BaseOf(c))
	}
	if s.NextRun != nil {
		if t := s.NextRun(); !t.IsZero() {
			p.NextRun = p.L.DateTime(t)
		}
	}
	if p.JSONLD, err = meta.DatasetJSONLD(c, ds, p.Shown); err != nil {
		s.Log.ErrorContext(c.Request.Context(), "dataset page", "err", err) // the page stands without it
	}
	if web.NotModified(c, p.Shown, false, "page", ds.Slug, c.Request.URL.RawQuery, lang, strconv.Itoa(len(p.Checksums)), pendingTag(p.Checksums)) {
		return
	}
	c.Header("Cache-Control", "public, max-age=60")
	s.Render(c, http.StatusOK, "dataset", p)
}

// regionOption is a province or regency in the form: its code and its
// name, regencies under their province.
type regionOption struct {
	Code, Name string
	Province   bool
}

var regionOptions = sync.OnceValue(func() []regionOption {
	var out []regionOption
	for _, p := range region.Default().Provinces() {
		out = append(out, regionOption{Code: p.Code, Name: p.Name, Province: true})
		for _, k := range region.Default().Children(p.Code) {
			out = append(out, regionOption{Code: k.Code, Name: k.Name})
		}
	}
	return out
})

func pendingTag(cs []checksum) string {
	for _, c := range cs {
		if c.Pending {
			return "pending"
		}
	}
	return "done"
}

func pinParam(pinned bool, n int) string {
	if pinned {
		return "?release=" + strconv.Itoa(n)
	}
	return ""
}

func addParam(enc, kv string) string {
	if enc == "" {
		return "?" + kv
	}
	return enc + "&" + kv
}

func filterValues(q *dataset.Query) url.Values {
	v := url.Values{}
	for k, vs := range q.Filters {
		out := make([]string, len(vs))
		for i, x := range vs {
			if x == "" {
				x = dataset.EmptyValue
			}
			out[i] = x
		}
		v.Set(k, strings.Join(out, ","))
	}
	return v
}

// cellText renders a value for the preview: numbers in the reader's
// format, withheld measures as "—".
func (s *Handler) cellText(l i18n.Localizer, col dataset.Column, v any, rowWithheld bool) cellView {
	switch x := v.(type) {
	case nil:
		switch {
		case col.Withholdable && rowWithheld:
			return cellView{Text: "—", Num: true, Withheld: true}
		case col.Withholdable || col.Optional:
			// Published, and empty: no target, or a percentage of 0.
			return cellView{Text: l.T("wilayah.na"), Num: true, NotSet: true}
		}
		return cellView{}
	case int64:
		return cellView{Text: l.Int(x), Num: true}
	case float64: // percentages, published to one decimal
		return cellView{Text: i18n.FormatDecimal(l.Lang, x, 1), Num: true}
	case bool:
		if x {
			return cellView{Text: l.T("dataset.yes")} // the ditekan flag: its row's "—" say it
		}
		return cellView{Text: l.T("dataset.no")}
	case string:
		return cellView{Text: x}
	}
	return cellView{}
}

// filterFields builds the form's filters with their choices.
func (s *Handler) filterFields(ds *dataset.Dataset, rel release.Release, q *dataset.Query, lang string) []filterField {
	var out []filterField
	for _, col := range ds.Dimensions() {
		f := filterField{Col: col, Title: col.Title.In(lang), Options: col.Values}
		if col.Name == "periode" {
			f.Options = rel.Periods
		}
		if vs := q.Filters[col.Name]; len(vs) == 1 && vs[0] == "" {
			f.Selected = dataset.EmptyValue
		} else if len(vs) > 0 {
			f.Selected = strings.Join(vs, ",")
		}
		out = append(out, f)
	}
	return out
}

// releaseHistory lists every release with this dataset's row count and
// what changed: the files ingested and the change in rows.
func (s *Handler) releaseHistory(c *gin.Context, ds *dataset.Dataset, shown int) ([]releaseEntry, error) {
	all, err := s.Data.Releases(c.Request.Context())
	if err != nil {
		return nil, err
	}
	files, err := s.Data.IngestedFiles(c.Request.Context(), "penyaluran")
	if err != nil {
		return nil, err
	}
	var out []releaseEntry
	for i, r := range all {
		e := releaseEntry{Number: r.Number, Date: s.Cat.For(web.LangOf(c)).Date(r.PublishedAt), Rows: r.Counts[ds.Slug],
			Files: files[r.Number], Accepted: r.Report.Accepted, Current: r.Number == shown,
			URL: "/dataset/" + ds.Slug + "?release=" + strconv.Itoa(r.Number)}
		if i+1 < len(all) {
			e.HasDelta, e.Delta = true, e.Rows-all[i+1].Counts[ds.Slug]
		}
		out = append(out, e)
	}
	return out, nil
}

// checksums computes the SHA-256 of a release's full CSV and JSON
// downloads once, in the background (releases never change), so the page
// can list them.
type checksums struct {
	mu   sync.Mutex
	done map[string][]checksum
	busy map[string]bool
}

func (cs *checksums) get(s *Handler, ds *dataset.Dataset, rel release.Release, base string) []checksum {
	key := ds.Slug + "@" + strconv.Itoa(rel.Number) + "@" + base
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.done == nil {
		cs.done, cs.busy = map[string][]checksum{}, map[string]bool{}
	}
	if sums, ok := cs.done[key]; ok {
		return sums
	}
	if !cs.busy[key] {
		cs.busy[key] = true
		go func() {
			sums := []checksum{}
			for _, format := range []string{"csv", "json", "xlsx", "parquet"} {
				if s.files == nil && (format == "xlsx" || format == "parquet") {
					continue
				}
				sum, n, err := s.hashDownload(ds, rel, format, base)
				if err != nil {
					s.Log.Warn("checksum of download", "dataset", ds.Slug, "format", format, "err", err)
					continue
				}
				sums = append(sums, checksum{File: downloadName(&dataset.Query{DS: ds}, rel.Number, rel.Synthetic, format), SHA256: sum, Bytes: n})
			}
			cs.mu.Lock()
			cs.done[key] = sums
			delete(cs.busy, key)
			cs.mu.Unlock()
		}()
	}
	return []checksum{{File: ds.Slug + "_rilis-" + strconv.Itoa(rel.Number) + ".csv", Pending: true}}
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// hashDownload hashes exactly the bytes a full download of the dataset in
// the release sends (default language, no BOM).
func (s *Handler) hashDownload(ds *dataset.Dataset, rel release.Release, format, base string) (string, int64, error) {
	if s.files != nil {
		cf, err := s.files.get(context.Background(), s, ds, rel, format, base)
		if err != nil {
			return "", 0, err
		}
		return cf.SHA256, cf.Size, nil
	}
	h := sha256.New()
	cw := &countingWriter{w: h}
	if err := s.writeFull(context.Background(), cw, ds, rel, format, base); err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), cw.n, nil
}
