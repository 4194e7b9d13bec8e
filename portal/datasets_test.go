package portal

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/testkit"
	"github.com/portal-data-bansos/portal/portal/download"
)

func readCSV(t *testing.T, body []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(body))
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	return recs
}

func TestDownloadsEveryFormatEveryDataset(t *testing.T) {
	t.Parallel()
	s, pub := newTestServerWithRelease(t)
	for _, ds := range dataset.All {
		for format, ctype := range download.Formats {
			rec := testkit.Get(t, s, "/dataset/"+ds.Slug+"."+format)
			if rec.Code != 200 {
				t.Fatalf("%s.%s: %d %s", ds.Slug, format, rec.Code, rec.Body.String())
			}
			if got := rec.Header().Get("Content-Type"); got != ctype {
				t.Errorf("%s.%s: Content-Type %q", ds.Slug, format, got)
			}
			want := `attachment; filename="` + ds.Slug + "_rilis-2." + format + `"`
			if got := rec.Header().Get("Content-Disposition"); got != want {
				t.Errorf("%s.%s: Content-Disposition %q, want %q", ds.Slug, format, got, want)
			}
			if rec.Header().Get("ETag") == "" || rec.Header().Get("Last-Modified") == "" {
				t.Errorf("%s.%s: no validators", ds.Slug, format)
			}
		}
		// CSV: the header is the dataset's columns; rows as in the database.
		recs := readCSV(t, testkit.Get(t, s, "/dataset/"+ds.Slug+".csv").Body.Bytes())
		if strings.Join(recs[0], ",") != strings.Join(ds.ColumnNames(), ",") {
			t.Errorf("%s header %v", ds.Slug, recs[0])
		}
		if ds.Table != "" {
			var n int
			pub.R.QueryRow(`SELECT count(*) FROM ` + ds.Table + ` WHERE release = 2`).Scan(&n)
			if len(recs)-1 != n || n == 0 {
				t.Errorf("%s: %d CSV rows, %d in the release", ds.Slug, len(recs)-1, n)
			}
		}
	}
}

func TestCSVWithheldAndFilters(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	body := testkit.Get(t, s, "/dataset/penyaluran.csv?periode=2025-Q1&program=pkh,SEMBAKO&tingkat=provinsi").Body.Bytes()
	if bytes.Contains(body, []byte("\r\n")) {
		t.Error("CSV uses CRLF line ends")
	}
	recs := readCSV(t, body)
	col := map[string]int{}
	for i, c := range recs[0] {
		col[c] = i
	}
	if len(recs) < 3 {
		t.Fatalf("filtered CSV has %d rows", len(recs))
	}
	withheld := 0
	for _, r := range recs[1:] {
		if r[col["periode"]] != "2025-Q1" || r[col["tingkat"]] != "provinsi" || (r[col["program"]] != "PKH" && r[col["program"]] != "SEMBAKO") {
			t.Fatalf("row outside the filter: %v", r)
		}
		switch r[col["ditekan"]] {
		case "1":
			withheld++
			for _, m := range []string{"penerima", "transaksi", "nominal_salur", "nominal_gagal", "nominal_retur"} {
				if r[col[m]] != "" {
					t.Errorf("withheld row shows %s = %q", m, r[col[m]])
				}
			}
		case "0":
			// Other measures may be empty alone (docs/disclosure.md).
			if _, err := strconv.ParseInt(r[col["penerima"]], 10, 64); err != nil {
				t.Errorf("penerima %q is not a plain number", r[col["penerima"]])
			}
		default:
			t.Errorf("ditekan %q", r[col["ditekan"]])
		}
	}
	all := readCSV(t, testkit.Get(t, s, "/dataset/penyaluran.csv?tingkat=kabupaten,kecamatan").Body.Bytes())
	n := 0
	for _, r := range all[1:] {
		if r[len(r)-1] == "1" {
			n++
		}
	}
	if n == 0 {
		t.Error("no withheld regency or district row in the fixture")
	}
	// BOM variant for Excel.
	if b := testkit.Get(t, s, "/dataset/penyaluran.csv?bom=1&tingkat=nasional").Body.Bytes(); !bytes.HasPrefix(b, []byte("\ufeffperiode,")) {
		t.Errorf("bom=1 does not start with a BOM: %q", b[:10])
	}
	if got := testkit.Get(t, s, "/dataset/penyaluran.csv?periode=2025-Q1&program=PKH").Header().Get("Content-Disposition"); !strings.Contains(got, "penyaluran_periode-2025-Q1_program-PKH_rilis-2.csv") {
		t.Errorf("filtered file name: %s", got)
	}
}

func TestBadDownloadRequests(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	for _, sc := range []testkit.Scenario{
		{Name: "unknown filter", URL: "/dataset/penyaluran.csv?warna=merah", ExpectedStatus: 400, ExpectedContent: []string{"warna", "periode, program"}},
		{Name: "bad period", URL: "/dataset/penyaluran.csv?periode=2025-13&lang=en", ExpectedStatus: 400, ExpectedContent: []string{"YYYY-Qn"}},
		{Name: "bad enum", URL: "/dataset/penyaluran.json?program=XYZ", ExpectedStatus: 400, ExpectedContent: []string{"PKH, SEMBAKO"}},
		{Name: "unknown release", URL: "/dataset/penyaluran.csv?release=9", ExpectedStatus: 400, ExpectedContent: []string{"1–2"}},
		{Name: "bad region code", URL: "/dataset/penyaluran.csv?kode_wilayah=32.0x", ExpectedStatus: 400, ExpectedContent: []string{"32.04"}},
		{Name: "region code that does not exist", URL: "/dataset/penyaluran.csv?kode_wilayah=99", ExpectedStatus: 400, ExpectedContent: []string{"tidak ada"}},
		{Name: "village code (below the floor)", URL: "/dataset/penyaluran.csv?kode_wilayah=32.04.11.2001", ExpectedStatus: 400},
		{Name: "unknown dataset", URL: "/dataset/rahasia.csv", ExpectedStatus: 404},
		{Name: "unknown dataset page", URL: "/dataset/rahasia", ExpectedStatus: 404},
	} {
		sc.Run(t, s)
	}
}

func TestDownloadConditionalGzipAndReleases(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	cur := testkit.Get(t, s, "/dataset/penyaluran.csv")
	etag := cur.Header().Get("ETag")
	if rec := testkit.Get(t, s, "/dataset/penyaluran.csv", "If-None-Match", etag); rec.Code != http.StatusNotModified || rec.Body.Len() != 0 {
		t.Errorf("If-None-Match: %d", rec.Code)
	}
	if !strings.Contains(cur.Header().Get("Cache-Control"), "max-age=60") {
		t.Errorf("current download cache: %q", cur.Header().Get("Cache-Control"))
	}
	old := testkit.Get(t, s, "/dataset/penyaluran.csv?release=1")
	if old.Code != 200 || old.Header().Get("ETag") == etag || bytes.Equal(old.Body.Bytes(), cur.Body.Bytes()) {
		t.Errorf("release 1 is not served as itself: %d", old.Code)
	}
	if !strings.Contains(old.Header().Get("Cache-Control"), "immutable") {
		t.Errorf("pinned release cache: %q", old.Header().Get("Cache-Control"))
	}
	gz := testkit.Get(t, s, "/dataset/penyaluran.csv", "Accept-Encoding", "gzip")
	if gz.Header().Get("Content-Encoding") != "gzip" {
		t.Fatal("no gzip")
	}
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if !bytes.Equal(plain, cur.Body.Bytes()) {
		t.Error("gzip body differs")
	}
}

func TestJSONAndXLSXAgreeWithCSV(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	url := "/dataset/penyaluran.%s?tingkat=provinsi&periode=2025-Q2"
	recs := readCSV(t, testkit.Get(t, s, strings.Replace(url, "%s", "csv", 1)).Body.Bytes())
	var doc struct {
		Dataset string           `json:"dataset"`
		Release int              `json:"release"`
		License string           `json:"license"`
		Rows    []map[string]any `json:"rows"`
	}
	if err := json.Unmarshal(testkit.Get(t, s, strings.Replace(url, "%s", "json", 1)).Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Dataset != "penyaluran" || doc.Release != 2 || doc.License != "CC-BY-4.0" || len(doc.Rows) != len(recs)-1 {
		t.Fatalf("JSON envelope: %s %d %s rows %d vs %d", doc.Dataset, doc.Release, doc.License, len(doc.Rows), len(recs)-1)
	}
	f, err := excelize.OpenReader(bytes.NewReader(testkit.Get(t, s, strings.Replace(url, "%s", "xlsx", 1)).Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	xrows, err := f.GetRows("data", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(xrows) != len(recs) {
		t.Fatalf("xlsx %d rows, csv %d", len(xrows), len(recs))
	}
	for i, r := range recs {
		for j, v := range r {
			x := ""
			if j < len(xrows[i]) {
				x = xrows[i][j]
			}
			if x != v {
				t.Fatalf("row %d col %s: xlsx %q csv %q", i, recs[0][j], x, v)
			}
		}
		if i == 0 {
			continue
		}
		for j, name := range recs[0] {
			jv := doc.Rows[i-1][name]
			switch {
			case r[j] == "" && jv != nil && name != "komponen" && name != "kode_wilayah":
				t.Fatalf("row %d %s: csv empty, json %v", i, name, jv)
			case name == "ditekan":
				if (r[j] == "1") != (jv == true) {
					t.Fatalf("row %d ditekan: csv %s json %v", i, r[j], jv)
				}
			case name == "penerima" && r[j] != "":
				if strconv.FormatFloat(jv.(float64), 'f', -1, 64) != r[j] {
					t.Fatalf("row %d penerima: csv %s json %v", i, r[j], jv)
				}
			}
		}
	}
	// Typed numeric cells, frozen header, metadata sheet.
	cell, _ := excelize.CoordinatesToCellName(7, 2)
	if typ, _ := f.GetCellType("data", cell); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("penerima cell type %v", typ)
	}
	panes, _ := f.GetPanes("data")
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes %+v", panes)
	}
	meta, _ := f.GetRows("metadata")
	text := ""
	for _, r := range meta {
		text += strings.Join(r, " ") + "\n"
	}
	for _, want := range []string{"CC-BY-4.0", "release 2\n", "ditekan Baris dengan ditekan = 1", "citation Portal Data Bansos"} {
		if !strings.Contains(text, want) {
			t.Errorf("metadata sheet lacks %q:\n%s", want, text)
		}
	}
}

func TestDatasetPagesRender(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	for _, sc := range []testkit.Scenario{
		{Name: "catalogue", URL: "/dataset", ExpectedStatus: 200,
			ExpectedContent: []string{"Katalog dataset", "penyaluran-demografi", "CC-BY-4.0", "ODbL-1.0", "ketepatan-sasaran"}},
		{Name: "catalogue search", URL: "/dataset?q=meninggal", ExpectedStatus: 200, ExpectedContent: []string{"ketepatan-sasaran"}, NotExpected: []string{`href="/dataset/wilayah"`}},
		// Programme names and the words a journalist types find datasets.
		{Name: "catalogue search by programme", URL: "/dataset?q=sembako", ExpectedStatus: 200, ExpectedContent: []string{`href="/dataset/penyaluran"`}, NotExpected: []string{`href="/dataset/wilayah"`}},
		{Name: "catalogue search bansos", URL: "/dataset?q=bansos", ExpectedStatus: 200, ExpectedContent: []string{`href="/dataset/penyaluran"`, `href="/dataset/realisasi"`}},
		{Name: "catalogue search by a programme's name", URL: "/dataset?q=Program+Keluarga+Harapan", ExpectedStatus: 200, ExpectedContent: []string{`href="/dataset/penyaluran"`}},
		{Name: "catalogue search BPNT", URL: "/dataset?q=bpnt", ExpectedStatus: 200, ExpectedContent: []string{`href="/dataset/penyaluran"`}},
		{Name: "catalogue topic", URL: "/dataset?topik=referensi&lang=en", ExpectedStatus: 200, ExpectedContent: []string{"Administrative region codes"}, NotExpected: []string{`href="/dataset/penyaluran"`}},
		{Name: "dataset page", URL: "/dataset/penyaluran?tingkat=kecamatan", ExpectedStatus: 200,
			ExpectedContent: []string{"Kamus data", "nominal_salur", "Sebagian angka ditekan", "Cara mengutip", "Riwayat rilis", "rilis 2",
				`href="/dataset/penyaluran.csv?tingkat=kecamatan"`, "—", "SHA-256", "Recipient families"}},
		{Name: "dataset page, old release", URL: "/dataset/penyaluran?release=1&lang=en", ExpectedStatus: 200,
			ExpectedContent: []string{"You are looking at release 1", "release 1", `release=1`}},
		{Name: "wilayah page", URL: "/dataset/wilayah", ExpectedStatus: 200, ExpectedContent: []string{"Aceh", "ODbL"}},
		{Name: "page with a bad filter", URL: "/dataset/penyaluran?periode=kemarin", ExpectedStatus: 400, ExpectedContent: []string{"YYYY-Qn"}},
	} {
		sc.Run(t, s)
	}
	// Paging the preview reaches the end without repeating rows.
	seen := map[string]bool{}
	url := "/dataset/realisasi"
	for pages := 0; url != "" && pages < 100; pages++ {
		body := testkit.Get(t, s, url).Body.String()
		start := strings.Index(body, "<tbody>")
		end := strings.Index(body[start:], "</tbody>")
		for _, row := range strings.Split(body[start:start+end], "<tr>")[1:] {
			if seen[row] {
				t.Fatalf("row repeated across pages")
			}
			seen[row] = true
		}
		url = ""
		if i := strings.Index(body, `<p class="pager">`); i >= 0 {
			if j := strings.Index(body[i:], `<a href="`); j >= 0 {
				rest := body[i+j+9:]
				link := rest[:strings.Index(rest, `"`)]
				if strings.Contains(body[i:i+j+200], "→") && strings.Contains(rest[:strings.Index(rest, "</a>")], "→") {
					url = strings.ReplaceAll(link, "&amp;", "&")
				}
			}
		}
	}
	if len(seen) < 50 {
		t.Errorf("only %d preview rows seen", len(seen))
	}
}

// TestDownloadStreams downloads the largest dataset over a real connection
// while a sampler collects garbage and records the live heap: an answer
// built in memory would hold about its own size live at the end, a
// streamed one only a buffer.
//
// The heap is the whole process's, so the measure runs in a child process
// of the test binary where nothing else allocates (other tests' servers
// keep goroutines alive in this one).
func TestDownloadStreams(t *testing.T) {
	t.Parallel()
	if os.Getenv("PORTAL_STREAM_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestDownloadStreams$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), "PORTAL_STREAM_CHILD=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("child: %v\n%s", err, out)
		}
		t.Logf("child:\n%s", out)
		return
	}
	s, _ := newTestServerWithRelease(t)
	download := func() *heapWriter {
		w := &heapWriter{header: http.Header{}}
		req := httptest.NewRequest(http.MethodGet, "/dataset/wilayah.json", nil)
		req.Header.Set("Accept-Encoding", "identity") // a gzip writer's fixed state is not the body
		runtime.GC()
		runtime.ReadMemStats(&w.base)
		s.ServeHTTP(w, req)
		return w
	}
	// One download first: what the first request sets up once (the
	// region table, templates, pools) is not the download's memory.
	download()
	w := download()
	t.Logf("downloaded %d bytes in %d writes; live heap grew by at most %d bytes", w.n, w.writes, w.peak)
	if w.status != http.StatusOK || w.n < 512<<10 {
		t.Fatalf("status %d, %d bytes: too small to tell", w.status, w.n)
	}
	if w.peak > w.n/2 {
		t.Errorf("live heap grew by %d bytes for a %d-byte download: not streamed", w.peak, w.n)
	}
}

// heapWriter is a ResponseWriter that measures the live heap at every
// write, in the handler's own goroutine: a body built in memory is live
// when it is written, a streamed one is written in pieces.
type heapWriter struct {
	header  http.Header
	status  int
	base    runtime.MemStats
	n, peak int64
	writes  int
}

func (w *heapWriter) Header() http.Header { return w.header }
func (w *heapWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}
func (w *heapWriter) Flush() {}
func (w *heapWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.n += int64(len(b))
	w.writes++
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	w.peak = max(w.peak, int64(m.HeapAlloc)-int64(w.base.HeapAlloc))
	return len(b), nil
}

func TestGzipOfPagesAndAPI(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	for _, url := range []string{"/dataset/penyaluran", "/api/v1/datasets", "/catalog.jsonld", "/dataset/penyaluran/datapackage.json", "/"} {
		plain := testkit.Get(t, s, url)
		rec := testkit.Get(t, s, url, "Accept-Encoding", "gzip")
		if rec.Header().Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: not gzipped", url)
			continue
		}
		zr, err := gzip.NewReader(rec.Body)
		if err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		b, _ := io.ReadAll(zr)
		if len(b) == 0 || (url != "/dataset/penyaluran" && !bytes.Equal(b, plain.Body.Bytes())) {
			t.Errorf("%s: gzipped body differs (%d vs %d bytes)", url, len(b), plain.Body.Len())
		}
	}
	etag := testkit.Get(t, s, "/api/v1/datasets/penyaluran/rows").Header().Get("ETag")
	if rec := testkit.Get(t, s, "/api/v1/datasets/penyaluran/rows", "Accept-Encoding", "gzip", "If-None-Match", etag); rec.Code != 304 || rec.Header().Get("Content-Encoding") != "" || rec.Body.Len() != 0 {
		t.Errorf("304 with gzip: %d %q %d", rec.Code, rec.Header().Get("Content-Encoding"), rec.Body.Len())
	}
}

func TestFullDownloadsFromTheFileCache(t *testing.T) {
	t.Parallel()
	plain, _ := newTestServerWithRelease(t)
	streamed := testkit.Get(t, plain, "/dataset/penyaluran.csv").Body.Bytes()
	cacheDir := t.TempDir()
	s, _ := newReleaseServer(t, true, func(o *Options) { o.CacheDir = cacheDir })
	for i := 0; i < 2; i++ { // built, then served from the file
		rec := testkit.Get(t, s, "/dataset/penyaluran.csv")
		if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), streamed) {
			t.Fatalf("cached CSV (pass %d) differs from the streamed one: %d, %d vs %d bytes", i, rec.Code, rec.Body.Len(), len(streamed))
		}
		sum := sha256.Sum256(rec.Body.Bytes())
		if got := rec.Header().Get("X-Checksum-SHA256"); got != hex.EncodeToString(sum[:]) {
			t.Errorf("checksum header %q", got)
		}
		if rec.Header().Get("ETag") == "" {
			t.Error("no ETag on a cached download")
		}
	}
	part := testkit.Get(t, s, "/dataset/penyaluran.csv", "Range", "bytes=0-99")
	if part.Code != http.StatusPartialContent || part.Body.Len() != 100 || !bytes.Equal(part.Body.Bytes(), streamed[:100]) {
		t.Errorf("range request: %d, %d bytes", part.Code, part.Body.Len())
	}
	// Filtered downloads still stream.
	if rec := testkit.Get(t, s, "/dataset/penyaluran.csv?tingkat=nasional"); rec.Header().Get("X-Checksum-SHA256") != "" || rec.Code != 200 {
		t.Error("a filtered download came from the cache")
	}
	// The same release gives the same XLSX bytes, so its checksum means
	// something: two servers build it apart.
	other, _ := newTestServerWithRelease(t)
	a := testkit.Get(t, plain, "/dataset/"+dataset.Ketepatan.Slug+".xlsx")
	b := testkit.Get(t, other, "/dataset/"+dataset.Ketepatan.Slug+".xlsx")
	if a.Code != 200 || !bytes.Equal(a.Body.Bytes(), b.Body.Bytes()) {
		t.Errorf("two builds of the same XLSX differ (status %d, %d vs %d bytes)", a.Code, a.Body.Len(), b.Body.Len())
	}
}

// TestGzipOverTheWire fetches pages through a real connection: a
// Content-Length left from the uncompressed body would cut the answer.
func TestGzipOverTheWire(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	srv := httptest.NewServer(s)
	defer srv.Close()
	for _, path := range []string{"/", "/dataset", "/api/v1/datasets", "/status", "/tidak-ada"} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if _, err := io.ReadAll(zr); err != nil {
			t.Errorf("%s: gzipped body cut short: %v", path, err)
		}
		resp.Body.Close()
		if cl := resp.Header.Get("Content-Length"); cl != "" && resp.ContentLength != -1 {
			t.Logf("%s: Content-Length %s", path, cl)
		}
	}
}
