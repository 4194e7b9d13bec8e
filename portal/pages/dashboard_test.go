package pages

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/testkit"
)

func TestHomeCharts(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	body := testkit.Get(t, s, "/").Body.String()
	for _, want := range []string{`data-chart="nominal-per-triwulan-option"`, `data-chart="penerima-per-triwulan-option"`,
		"Tabel data grafik ini", "Satuan: rupiah", "Sumber: Portal Data Bansos, rilis 2", "echarts.min.", "/static/js/charts."} {
		if !strings.Contains(body, want) {
			t.Errorf("home lacks %q", want)
		}
	}
	// Each option is valid JSON that ECharts can take: a category x axis of
	// the release's quarters and one series per programme.
	re := regexp.MustCompile(`(?s)<script type="application/json" id="([a-z-]+)-option">(.*?)</script>`)
	ms := re.FindAllStringSubmatch(body, -1)
	if len(ms) != 7 { // and the coverage chart, whose id has digits
		t.Fatalf("%d chart options on the page", len(ms))
	}
	byProv := regexp.MustCompile(`(?s)id="penolakan-per-provinsi-option">(.*?)</script>`).FindStringSubmatch(body)
	if byProv == nil || strings.Count(byProv[1], `"stack":"total"`) != 3 || !strings.Contains(byProv[1], "Jawa Barat") {
		t.Error("no chart of rejections by province, stacked by reason")
	}
	for _, m := range ms[:2] {
		var opt struct {
			XAxis  []struct{ Data []string } `json:"xAxis"`
			Series []struct {
				Name string
				Type string
			} `json:"series"`
		}
		if err := json.Unmarshal([]byte(m[2]), &opt); err != nil {
			t.Fatalf("%s: option is not JSON: %v", m[1], err)
		}
		if len(opt.Series) != 6 || opt.Series[0].Type != "bar" || len(opt.XAxis) == 0 || len(opt.XAxis[0].Data) != 4 {
			t.Errorf("%s: option %s", m[1], m[2][:min(len(m[2]), 200)])
		}
		if strings.Contains(m[2], "cdn") || strings.Contains(m[2], "go-echarts.github.io") {
			t.Errorf("%s: option refers to a remote host", m[1])
		}
	}
	// The page stays usable without JavaScript: the tables carry the numbers.
	// The map table has every province, data or not; the coverage
	// chart's table the provinces with data (West Java in the fixture).
	// Each province's name is a link to its page: the keyboard's way in.
	papua := len(regexp.MustCompile(`<th scope="row"><a href="/wilayah/9[0-9]">Papua`).FindAllString(body, -1))
	jabar := strings.Count(body, `<th scope="row"><a href="/wilayah/32">Jawa Barat</a>`)
	if !strings.Contains(body, "per 1.000 penduduk") || papua != 6 || jabar != 2 {
		t.Errorf("province tables: %d linked rows of Papua provinces, %d of Jawa Barat", papua, jabar)
	}
	if strings.Count(body, `<th scope="row">2025-Q`) != 12 { // two charts by quarter and the rejections chart
		t.Errorf("data tables: %d quarter rows", strings.Count(body, `<th scope="row">2025-Q`))
	}
	// English numbers and titles.
	en := testkit.Get(t, s, "/?lang=en").Body.String()
	if !strings.Contains(en, "Amount disbursed per quarter by programme") || !strings.Contains(en, "Data table of this chart") {
		t.Error("English charts missing")
	}
}

func TestChartPageCSVAndEmbed(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	for _, sc := range []testkit.Scenario{
		{Name: "stable chart page", URL: "/grafik/nominal-per-triwulan?release=1", ExpectedStatus: 200,
			ExpectedContent: []string{"Nilai tersalur per triwulan", "Sematkan grafik ini", "&lt;iframe src=&#34;http://example.com/embed/grafik/nominal-per-triwulan?release=1", "rilis 1"},
			ExpectedHeaders: map[string]string{"Cache-Control": "immutable", "Content-Security-Policy": "frame-ancestors 'self'"}},
		{Name: "embed", URL: "/embed/grafik/penerima-per-triwulan?lang=en", ExpectedStatus: 200,
			ExpectedContent: []string{"<!DOCTYPE html>", `class="embedded"`, "Recipient families per quarter"},
			NotExpected:     []string{`class="masthead"`},
			ExpectedHeaders: map[string]string{"Content-Security-Policy": "frame-ancestors *"}},
		{Name: "unknown chart", URL: "/grafik/tidak-ada", ExpectedStatus: 404},
		{Name: "bad release", URL: "/grafik/nominal-per-triwulan?release=99", ExpectedStatus: 400},
	} {
		sc.Run(t, s)
	}
	// The CSV holds exactly the plotted numbers, plain, in the one long
	// form of every chart: a fixed header in any language, one row per
	// quarter and programme, withheld marked, and a name that says what
	// it is.
	for _, lang := range []string{"", "?lang=en"} {
		w := testkit.Get(t, s, "/grafik/nominal-per-triwulan.csv"+lang)
		recs := readCSV(t, w.Body.Bytes())
		if len(recs) != 1+4*6 || strings.Join(recs[0], ",") != "kode,kategori,seri,nilai,satuan,ditekan,sebagian" {
			t.Fatalf("chart CSV%s: %v", lang, recs)
		}
		if cd := w.Header().Get("Content-Disposition"); !strings.Contains(cd, `-rilis-2.csv"`) || strings.Contains(cd, "grafik_") {
			t.Errorf("chart CSV named %q", cd)
		}
		body := testkit.Get(t, s, "/grafik/nominal-per-triwulan").Body.String()
		for _, r := range recs[1:] {
			switch {
			case r[5] == "1" && r[3] != "":
				t.Errorf("withheld row %v has a value", r)
			case r[5] == "0" && (r[3] == "" || strings.ContainsAny(r[3], ".,")):
				t.Errorf("chart CSV number %q is missing or formatted", r[3])
			case r[4] != "rupiah":
				t.Errorf("unit %q", r[4])
			}
			if !strings.Contains(body, `<th scope="row">`+r[0]+`</th>`) {
				t.Errorf("row %s not on the chart page", r[0])
			}
		}
	}
}

func TestTileMapHasEveryProvince(t *testing.T) {
	t.Parallel()
	if len(provinceTiles) != 38 || len(provinceAbbr) != 38 {
		t.Fatalf("%d tiles, %d abbreviations", len(provinceTiles), len(provinceAbbr))
	}
	seen, abbr := map[[2]int]string{}, map[string]bool{}
	for code, xy := range provinceTiles {
		if other, dup := seen[xy]; dup {
			t.Errorf("provinces %s and %s share a tile", code, other)
		}
		seen[xy] = code
		if abbr[provinceAbbr[code]] {
			t.Errorf("abbreviation %s used twice", provinceAbbr[code])
		}
		abbr[provinceAbbr[code]] = true
	}
	s, _ := newTestServer(t)
	rec := testkit.Get(t, s, tileMapURL())
	var fc struct {
		Features []struct {
			Properties map[string]string
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &fc); err != nil || len(fc.Features) != 38 {
		t.Fatalf("tile map: %v, %d features", err, len(fc.Features))
	}
	if !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") {
		t.Error("tile map not cacheable")
	}
	testkit.Scenario{Name: "old tile map hash", URL: "/peta/ubin/0000000000.geojson", ExpectedStatus: 404}.Run(t, s)
}

// TestHomeHeadlineMatchesTheTables checks the headline against the
// published rows: the quarter's rupiah over all programmes, the filters,
// and bad filter values.
func TestHomeHeadlineMatchesTheTables(t *testing.T) {
	t.Parallel()
	s, pub := newTestServerWithRelease(t)
	var sum int64
	if err := pub.R.QueryRow(`SELECT sum(nominal_salur) FROM penyaluran WHERE release = 2 AND lvl = 0 AND komponen = '' AND periode = '2025-Q2'`).Scan(&sum); err != nil {
		t.Fatal(err)
	}
	l := s.Cat.For("id")
	for _, sc := range []testkit.Scenario{
		{Name: "quarter filter", URL: "/?periode=2025-Q2", ExpectedStatus: 200,
			ExpectedContent: []string{"Angka utama 2025-Q2", l.Rupiah(sum), "dibanding 2025-Q1", "Keluarga di desil 1–4", `<option selected>2025-Q2</option>`}},
		{Name: "map programme filter", URL: "/?program=pkh", ExpectedStatus: 200, ExpectedContent: []string{"Keluarga penerima PKH per 1.000 penduduk"}},
		{Name: "bad quarter", URL: "/?periode=2030-Q1", ExpectedStatus: 400, ExpectedContent: []string{"2025-Q1, 2025-Q2"}},
		{Name: "map measure and component", URL: "/?program=PKH&komponen=sd&ukuran=nominal&periode=2025-Q1", ExpectedStatus: 200,
			ExpectedContent: []string{"Nilai tersalur PKH SD per penduduk menurut provinsi, 2025-Q1", "Rupiah per penduduk", "ukuran=nominal"}},
		{Name: "component of another programme", URL: "/?program=SEMBAKO&komponen=SD", ExpectedStatus: 400, ExpectedContent: []string{"PKH"}},
		{Name: "bad measure", URL: "/?ukuran=tinggi", ExpectedStatus: 400},
		{Name: "bad programme", URL: "/?program=XYZ&lang=en", ExpectedStatus: 400, ExpectedContent: []string{"PKH, SEMBAKO"}},
		{Name: "English", URL: "/?lang=en", ExpectedStatus: 200, ExpectedContent: []string{"Headline figures 2025-Q4", "Programme mix by area of intervention", "Rejected recipients by reason"}},
	} {
		sc.Run(t, s)
	}
}

func TestCachedPagesAreTheSame(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	for _, url := range []string{"/", "/?lang=en", "/wilayah/32?periode=2025-Q1", "/program/PKH"} {
		a, b := testkit.Get(t, s, url), testkit.Get(t, s, url)
		if a.Code != 200 || a.Body.String() != b.Body.String() {
			t.Errorf("%s: cached page differs (%d)", url, a.Code)
		}
	}
	if strings.Contains(testkit.Get(t, s, "/?lang=en").Body.String(), "Angka utama") {
		t.Error("English request answered from the Indonesian cache entry")
	}
}

func TestRegionAndProgramChartEmbeds(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	page := testkit.Get(t, s, "/wilayah/32?periode=2025-Q1").Body.String()
	for _, want := range []string{"/embed/wilayah/32?grafik=wilayah-anak&amp;amp;periode=2025-Q1&amp;amp;release=2", "&lt;iframe src=&#34;http://example.com/embed/wilayah/32",
		"/static/js/embed.js"} {
		if !strings.Contains(page, want) {
			t.Errorf("region page lacks %q", want)
		}
	}
	for _, sc := range []testkit.Scenario{
		{Name: "region chart alone", URL: "/embed/wilayah/32?grafik=wilayah-anak&periode=2025-Q1", ExpectedStatus: 200,
			ExpectedContent: []string{`class="embedded"`, `data-chart="wilayah-anak-option"`}, NotExpected: []string{`class="masthead"`},
			ExpectedHeaders: map[string]string{"Content-Security-Policy": "frame-ancestors *"}},
		{Name: "programme chart alone", URL: "/embed/program/PKH?grafik=program-provinsi", ExpectedStatus: 200,
			ExpectedContent: []string{`data-chart="program-provinsi-option"`}},
		{Name: "unknown chart of a page", URL: "/embed/wilayah/32?grafik=nope", ExpectedStatus: 404},
	} {
		sc.Run(t, s)
	}
	recs := readCSV(t, testkit.Get(t, s, "/embed/wilayah/32?grafik=wilayah-anak&periode=2025-Q1&format=csv").Body.Bytes())
	if len(recs) < 10 {
		t.Errorf("children CSV has %d rows", len(recs))
	}
}

func TestCachedPageGzipped(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	srv := httptest.NewServer(s)
	defer srv.Close()
	var bodies []string
	for i := 0; i < 2; i++ { // computed, then from the cache
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/wilayah/32", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatalf("pass %d: %v", i, err)
		}
		b, err := io.ReadAll(zr)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("pass %d: %v", i, err)
		}
		bodies = append(bodies, string(b))
	}
	if bodies[0] != bodies[1] || !strings.Contains(bodies[1], "Jawa Barat") {
		t.Error("the cached gzipped page differs from the first")
	}
}
