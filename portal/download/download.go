// Package download is the data catalogue (/dataset), each dataset's page,
// and its downloads as CSV, JSON and XLSX, whole or filtered, streamed
// from the read model (full downloads of a release kept as files).
package download

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/portal/web"
)

// Formats are the download Formats and their media types.
var Formats = map[string]string{
	"csv":  "text/csv; charset=utf-8",
	"json": "application/json; charset=utf-8",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	// The media type IANA registered for Parquet in 2024.
	"parquet": "application/vnd.apache.parquet",
}

// Handler serves the catalogue, dataset pages and downloads.
type Handler struct {
	*web.Site
	files *fileCache
	sums  checksums
	memo  changeMemo // what each release changed
}

// New is the download surface; cacheDir, when set, keeps each release's
// full downloads as files (releases never change).
func New(site *web.Site, cacheDir string) *Handler {
	return &Handler{Site: site, files: newFileCache(cacheDir)}
}

// Routes registers the catalogue, the dataset pages and the downloads.
func (s *Handler) Routes(e gin.IRoutes) {
	e.GET("/dataset", s.Catalog)
	e.GET("/dataset/:slug", s.DatasetOrDownload)
	e.HEAD("/dataset/:slug", s.DatasetOrDownload)
	e.GET("/rilis", s.Releases)
	e.GET("/rilis.atom", s.ReleaseFeed)
	e.GET("/rilis/:n", s.ReleasePage)
	e.GET("/rilis/:n/perubahan.csv", s.ChangesCSV)
}

// DatasetOrDownload serves /dataset/{slug} (the page) and
// /dataset/{slug}.csv|.json|.xlsx|.parquet (a download): one route, since the
// router cannot tell them apart by pattern.
func (s *Handler) DatasetOrDownload(c *gin.Context) {
	name := c.Param("slug")
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		if _, ok := Formats[name[i+1:]]; ok {
			s.download(c, name[:i], name[i+1:])
			return
		}
	}
	s.datasetPage(c, name)
}

// download streams a dataset, whole or filtered, in one format. Memory
// stays flat in the size of the answer: rows go from SQLite to the client
// as they are read (XLSX through excelize's stream writer).
func (s *Handler) download(c *gin.Context, slug, format string) {
	ds, ok := dataset.Get(slug)
	if !ok {
		_ = c.Error(web.ErrNotFound)
		return
	}
	rel, pinned, err := s.RequestedRelease(c)
	if err != nil {
		_ = c.Error(err)
		return
	}
	q, err := dataset.ParseQuery(ds, c.Request.URL.Query(), false)
	if err != nil {
		_ = c.Error(err)
		return
	}
	q.Release = rel.Number
	bom := c.Query("bom") == "1"
	if web.NotModified(c, rel, pinned, slug, format, q.Canonical(), strconv.FormatBool(bom)) {
		return
	}
	c.Header("Content-Type", Formats[format])
	c.Header("Content-Disposition", `attachment; filename="`+downloadName(q, rel.Number, rel.Synthetic, format)+`"`)
	c.Header("X-Release", strconv.Itoa(rel.Number))
	if web.CompressibleDownload(format) { // CSV and JSON may come gzipped, and then say so
		c.Header("Vary", web.VaryEncoding(c.Request.URL.Path))
	}
	// A full download comes from the release's file cache, served like a
	// static file (ranges, sendfile); gzip is left to the client's choice
	// of the pre-built file only when it does not ask for compression.
	if s.files != nil && len(q.Filters) == 0 && len(q.Sort) == 0 && !bom &&
		(!web.CompressibleDownload(format) || !web.AcceptsGzip(c)) {
		cf, err := s.files.get(c.Request.Context(), s, ds, rel, format, s.BaseOf(c))
		if err != nil {
			_ = c.Error(err)
			return
		}
		c.Header("X-Checksum-SHA256", cf.SHA256)
		f, err := os.Open(cf.Path)
		if err != nil {
			_ = c.Error(err)
			return
		}
		defer f.Close()
		http.ServeContent(c.Writer, c.Request, "", rel.PublishedAt, f)
		if c.Writer.Status() == http.StatusOK {
			s.Metrics.Downloads.WithLabelValues(slug, format).Add(float64(cf.Size))
		}
		return
	}
	rows, err := s.Data.Rows(c.Request.Context(), q)
	if err != nil {
		_ = c.Error(err)
		return
	}
	defer rows.Close()
	if c.Request.Method == http.MethodHead {
		c.Status(http.StatusOK)
		return
	}
	var w io.Writer = c.Writer
	if web.CompressibleDownload(format) && web.AcceptsGzip(c) {
		c.Header("Content-Encoding", "gzip")
		gz, _ := gzip.NewWriterLevel(c.Writer, gzip.BestSpeed)
		defer gz.Close()
		w = gz
	}
	c.Status(http.StatusOK)
	meta := s.downloadMetaFor(ds, q, rel, s.BaseOf(c))
	cw := &countingWriter{w: w}
	switch format {
	case "csv":
		err = writeCSV(cw, ds, rows, bom)
	case "json":
		err = writeJSON(cw, ds, rows, meta)
	case "xlsx":
		var n int
		if n, err = s.Data.Count(c.Request.Context(), q); err == nil {
			err = writeXLSX(cw, ds, rows, n, meta, rel.PublishedAt)
		}
	case "parquet":
		err = writeParquet(cw, ds, rows, meta)
	}
	s.Metrics.Downloads.WithLabelValues(slug, format).Add(float64(cw.n))
	if err != nil {
		// The status is sent; all we can do is log and cut the answer.
		s.Log.Warn("download interrupted", "dataset", slug, "format", format, "err", err)
	}
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._+-]+`)

// downloadName names a download after its dataset, filters and release:
// penyaluran_periode-2025-Q1_program-PKH_rilis-3.csv.
func downloadName(q *dataset.Query, rel int, synthetic bool, format string) string {
	parts := []string{q.DS.Slug}
	q.EachFilter(func(k string, vs []string) { parts = append(parts, k+"-"+strings.Join(vs, "+")) })
	parts = append(parts, "rilis-"+strconv.Itoa(rel))
	name := unsafeName.ReplaceAllString(strings.Join(parts, "_"), "")
	if len(name) > 180 {
		name = name[:180]
	}
	if synthetic {
		name += "-contoh"
	}
	return name + "." + format
}

// appendPlain appends a number or flag as every CSV of the portal writes
// it: integers plain, decimals with '.' and no trailing zeros, a flag as 1
// or 0 (docs/interface.md, "CSV").
func appendPlain(b []byte, v any) []byte {
	switch x := v.(type) {
	case int64:
		return strconv.AppendInt(b, x, 10)
	case float64:
		return strconv.AppendFloat(b, x, 'f', -1, 64)
	case bool:
		if x {
			return append(b, '1')
		}
		return append(b, '0')
	}
	return fmt.Append(b, v)
}

// writeCSV writes RFC 4180 CSV: a header row, "\n" line ends, numbers
// plain, withheld measures empty and ditekan 1.
func writeCSV(out io.Writer, ds *dataset.Dataset, rows *dataset.Rows, bom bool) error {
	w := bufio.NewWriterSize(out, 64<<10)
	if bom {
		w.WriteString("\ufeff")
	}
	for i, col := range ds.Columns {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString(col.Name)
	}
	w.WriteByte('\n')
	var num []byte
	for rows.Next() {
		for i, v := range rows.Values() {
			if i > 0 {
				w.WriteByte(',')
			}
			switch x := v.(type) {
			case nil:
			case string:
				writeCSVField(w, web.Neutralise(x))
			default:
				num = appendPlain(num[:0], x)
				w.Write(num)
			}
		}
		if err := w.WriteByte('\n'); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return w.Flush()
}

func writeCSVField(w *bufio.Writer, s string) {
	if !strings.ContainsAny(s, ",\"\r\n") {
		w.WriteString(s)
		return
	}
	w.WriteByte('"')
	w.WriteString(strings.ReplaceAll(s, `"`, `""`))
	w.WriteByte('"')
}

// downloadMetadata describes a download in its JSON envelope and XLSX
// metadata sheet. It is the same for every reader (both languages,
// site-relative links), so a release's downloads are byte-for-byte the
// same for everyone and their checksums can be published.
type downloadMetadata struct {
	Dataset     string            `json:"dataset"`
	Title       i18n.Text         `json:"title"`
	Description i18n.Text         `json:"description"`
	Release     int               `json:"release"`
	PublishedAt string            `json:"published_at"`
	Licence     string            `json:"license"`
	LicenceURL  string            `json:"license_url"`
	Source      i18n.Text         `json:"source"`
	URL         string            `json:"url"`
	Filters     map[string]string `json:"filters"`
	Withheld    *i18n.Text        `json:"withheld_note,omitempty"`
	Citation    i18n.Text         `json:"citation"`
	// Synthetic marks demo data (docs/interface.md, "Demo data").
	Synthetic   bool       `json:"synthetic"`
	Demo        *i18n.Text `json:"demo_notice,omitempty"`
	Methodology string     `json:"methodology"`
}

func (s *Handler) downloadMetaFor(ds *dataset.Dataset, q *dataset.Query, rel release.Release, base string) downloadMetadata {
	both := s.Cat.Both
	// Absolute: a file travels without its page (base is the site's
	// public address, --base-url, else the host the request came to).
	page := base + "/dataset/" + ds.Slug + "?release=" + strconv.Itoa(rel.Number)
	m := downloadMetadata{
		Dataset: ds.Slug, Title: ds.Title, Description: ds.Desc,
		Release: rel.Number, PublishedAt: rel.PublishedAt.UTC().Format(time.RFC3339),
		Licence: ds.Licence.ID, LicenceURL: ds.Licence.URL,
		Source: s.DataSource(rel), URL: page, Filters: map[string]string{}, Methodology: base + "/metodologi",
		Citation: i18n.Text{ID: citation(s.Cat.For(i18n.ID), ds, rel, page), EN: citation(s.Cat.For(i18n.EN), ds, rel, page)},
	}
	for k, vs := range q.Filters {
		m.Filters[k] = strings.Join(vs, ",")
	}
	if rel.Synthetic {
		d := both("demo.banner")
		m.Synthetic, m.Demo = true, &d
		m.Citation.ID += " " + s.Cat.T(i18n.ID, "cite.synthetic")
		m.Citation.EN += " " + s.Cat.T(i18n.EN, "cite.synthetic")
	}
	if ds.Protected {
		w := both("dataset.withheld_note", rel.K)
		m.Withheld = &w
	}
	return m
}

// citation is the suggested citation of a dataset in a release.
func citation(l i18n.Localizer, ds *dataset.Dataset, rel release.Release, url string) string {
	return l.T("dataset.citation", ds.Title.In(string(l.Lang)), rel.Number, l.Date(rel.PublishedAt), url)
}

// writeXLSX writes a workbook with the data (typed numeric cells, a bold
// header row, frozen panes) and a second sheet with the metadata, licence
// and disclosure note. Document times are the release's, so the same
// download gives the same bytes.
func writeXLSX(out io.Writer, ds *dataset.Dataset, rows *dataset.Rows, n int, meta downloadMetadata, at time.Time) error {
	f := excelize.NewFile()
	defer f.Close()
	const dataSheet, metaSheet = "data", "metadata"
	if err := f.SetSheetName("Sheet1", dataSheet); err != nil {
		return err
	}
	stamp := at.UTC().Format(time.RFC3339)
	f.SetDocProps(&excelize.DocProperties{Title: meta.Title.ID, Creator: "Portal Data Bansos", Created: stamp, Modified: stamp, Description: meta.Description.ID})
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"E7EEF5"}, Pattern: 1}})
	if err != nil {
		return err
	}
	// The used range goes out before the rows: readers that stream a
	// large file (openpyxl's read-only mode) trust it.
	if err := f.SetSheetDimension(dataSheet, "A1:"+cellName(len(ds.Columns), n+1)); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(dataSheet)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for i, col := range ds.Columns {
		width := 14.0
		if col.Name == "nama_wilayah" || col.Name == "nama" {
			width = 34
		}
		sw.SetColWidth(i+1, i+1, width)
	}
	header := make([]any, len(ds.Columns))
	for i, col := range ds.Columns {
		header[i] = excelize.Cell{StyleID: bold, Value: col.Name}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	vals := make([]any, len(ds.Columns))
	for r := 2; rows.Next(); r++ {
		for i, v := range rows.Values() {
			switch x := v.(type) {
			case nil:
				vals[i] = nil
			case bool:
				if x {
					vals[i] = 1
				} else {
					vals[i] = 0
				}
			case string:
				vals[i] = web.Neutralise(x)
			default:
				vals[i] = x
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := sw.SetRow(cell, vals); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if _, err := f.NewSheet(metaSheet); err != nil {
		return err
	}
	var lines [][2]string
	if meta.Demo != nil {
		lines = append(lines, [2]string{"DATA CONTOH", meta.Demo.ID}, [2]string{"SYNTHETIC DATA", meta.Demo.EN})
	}
	lines = append(lines, [][2]string{
		{"dataset", meta.Dataset}, {"judul", meta.Title.ID}, {"title", meta.Title.EN},
		{"deskripsi", meta.Description.ID}, {"description", meta.Description.EN},
		{"release", strconv.Itoa(meta.Release)}, {"published_at", meta.PublishedAt},
		{"license", meta.Licence + " " + meta.LicenceURL}, {"sumber", meta.Source.ID}, {"source", meta.Source.EN},
		{"url", meta.URL}, {"methodology", meta.Methodology}, {"sitasi", meta.Citation.ID}, {"citation", meta.Citation.EN},
	}...)
	var fk []string
	for k := range meta.Filters {
		fk = append(fk, k)
	}
	sort.Strings(fk)
	for _, k := range fk {
		lines = append(lines, [2]string{"filter " + k, meta.Filters[k]})
	}
	if meta.Withheld != nil {
		lines = append(lines, [2]string{"ditekan", meta.Withheld.ID}, [2]string{"withheld", meta.Withheld.EN})
	}
	for i, kv := range lines {
		a, _ := excelize.CoordinatesToCellName(1, i+1)
		b, _ := excelize.CoordinatesToCellName(2, i+1)
		f.SetCellStr(metaSheet, a, kv[0])
		f.SetCellStr(metaSheet, b, web.Neutralise(kv[1]))
	}
	f.SetCellStyle(metaSheet, "A1", fmt.Sprintf("A%d", len(lines)), bold)
	f.SetColWidth(metaSheet, "A", "A", 18)
	f.SetColWidth(metaSheet, "B", "B", 100)
	if err := f.SetSheetDimension(metaSheet, "A1:"+cellName(2, len(lines))); err != nil {
		return err
	}
	_, err = f.WriteTo(out)
	return err
}

// cellName is the A1 name of column col (from 1) in row.
func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, max(row, 1))
	return name
}

// writeJSON streams {metadata..., "rows": [{...}, ...]}; withheld measures
// are null and "ditekan": true.
func writeJSON(out io.Writer, ds *dataset.Dataset, rows *dataset.Rows, meta downloadMetadata) error {
	w := bufio.NewWriterSize(out, 64<<10)
	head, err := json.Marshal(meta)
	if err != nil {
		return err
	}
	w.Write(head[:len(head)-1])
	w.WriteString(`,"rows":[`)
	keys := make([][]byte, len(ds.Columns))
	for i, col := range ds.Columns {
		k, _ := json.Marshal(col.Name)
		keys[i] = append(k, ':')
	}
	first := true
	var buf []byte
	for rows.Next() {
		buf = buf[:0]
		if !first {
			buf = append(buf, ',')
		}
		first = false
		buf = append(buf, '\n', '{')
		for i, v := range rows.Values() {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, keys[i]...)
			switch x := v.(type) {
			case nil:
				buf = append(buf, "null"...)
			case int64:
				buf = strconv.AppendInt(buf, x, 10)
			case bool:
				buf = strconv.AppendBool(buf, x)
			default:
				b, _ := json.Marshal(x)
				buf = append(buf, b...)
			}
		}
		buf = append(buf, '}')
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	w.WriteString("\n]}\n")
	return w.Flush()
}
