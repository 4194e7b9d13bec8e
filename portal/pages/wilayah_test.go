package pages

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/published"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/store"
	"github.com/portal-data-bansos/portal/internal/testkit"
	"github.com/portal-data-bansos/portal/portal/charts"
)

// latestPeriod is the last quarter of the release in force.
func latestPeriod(t *testing.T, pub *store.DB) (int, string) {
	t.Helper()
	var rel int
	var per string
	if err := pub.R.QueryRowContext(context.Background(),
		`SELECT release, max(periode) FROM penyaluran WHERE release = (SELECT max(number) FROM release)`).Scan(&rel, &per); err != nil {
		t.Fatal(err)
	}
	return rel, per
}

// queryCode runs a query that returns one region code, "" when none.
func queryCode(t *testing.T, pub *store.DB, q string, args ...any) string {
	t.Helper()
	var code string
	err := pub.R.QueryRowContext(context.Background(), q, args...).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return ""
	}
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// programRow returns the <tr> of the programme table for prog.
func programRow(t *testing.T, body, prog string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<tr>\s*<th scope="row"><a href="/program/` + prog + `">.*?</tr>`).FindString(body)
	if m == "" {
		t.Fatalf("no programme row for %s", prog)
	}
	return m
}

func TestRegionPage(t *testing.T) {
	t.Parallel()
	s, pub := newTestServerWithRelease(t)
	rel, per := latestPeriod(t, pub)

	province := queryCode(t, pub, `SELECT kode_wilayah FROM penyaluran WHERE release = ? AND periode = ? AND lvl = 1 AND komponen = '' AND ditekan = 0 ORDER BY penerima DESC LIMIT 1`, rel, per)
	regency := queryCode(t, pub, `SELECT kode_wilayah FROM penyaluran WHERE release = ? AND periode = ? AND lvl = 2 AND komponen = '' ORDER BY ditekan, kode_wilayah LIMIT 1`, rel, per)
	// A district where every programme total of the quarter is withheld.
	withheld := queryCode(t, pub, `SELECT kode_wilayah FROM penyaluran WHERE release = ? AND periode = ? AND lvl = 3 AND komponen = ''
		GROUP BY kode_wilayah HAVING min(ditekan) = 1 ORDER BY count(*) DESC LIMIT 1`, rel, per)
	withheldProg := queryCode(t, pub, `SELECT program FROM penyaluran WHERE release = ? AND periode = ? AND lvl = 3 AND komponen = '' AND kode_wilayah = ? LIMIT 1`, rel, per, withheld)
	published := queryCode(t, pub, `SELECT kode_wilayah FROM penyaluran WHERE release = ? AND periode = ? AND lvl = 3 AND ditekan = 0 LIMIT 1`, rel, per)
	if province == "" || regency == "" || withheld == "" || withheldProg == "" {
		t.Fatalf("generated data lacks a province (%q), regency (%q) or withheld district (%q)", province, regency, withheld)
	}
	reg := region.Default()
	prov, _ := reg.Lookup(province)
	rg, _ := reg.Lookup(regency)
	dist, _ := reg.Lookup(withheld)
	village := reg.Children(withheld)[0].Code

	scenarios := []testkit.Scenario{
		{Name: "province", URL: "/wilayah/" + province, ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{"<h1>" + prov.Name, "provinsi", `href="/">Indonesia</a>`, "Keluarga penerima", "Nilai tersalur",
				"Angka utama " + per, "Per kabupaten/kota", "Penerima tertolak menurut alasan", "Rp ",
				`href="/dataset/penyaluran.csv?`, "kode_wilayah=" + province, "periode=" + per, `href="/metodologi"`, `aria-sort="ascending"`}},
		{Name: "regency", URL: "/wilayah/" + regency, ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{"<h1>" + rg.Name, `<a href="/wilayah/` + rg.Parent + `">`, "Per kecamatan", "Penerima tertolak menurut alasan",
				"Per keluarga, " + reg.Name(rg.Parent)}},
		{Name: "district all withheld", URL: "/wilayah/" + withheld + "?program=" + withheldProg, ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{"<h1>" + dist.Name, "kecamatan", `<a href="/wilayah/` + dist.Parent + `">`, `<abbr class="withheld"`, "—",
				"Sebagian angka ditekan.", "tidak diterbitkan di bawah tingkat kabupaten/kota"},
			NotExpected: []string{"Penerima tertolak menurut alasan", `id="anak"`}},
		{Name: "undotted code", URL: "/wilayah/" + strings.ReplaceAll(regency, ".", "") + "?periode=" + per, ExpectedStatus: http.StatusMovedPermanently,
			ExpectedHeaders: map[string]string{"Location": "/wilayah/" + regency + "?periode=" + per}},
		{Name: "unknown code", URL: "/wilayah/99", ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{"Halaman tidak ditemukan"}},
		{Name: "malformed code", URL: "/wilayah/32.0x", ExpectedStatus: http.StatusNotFound},
		{Name: "village", URL: "/wilayah/" + village, ExpectedStatus: http.StatusNotFound},
		{Name: "undotted village", URL: "/wilayah/" + strings.ReplaceAll(village, ".", ""), ExpectedStatus: http.StatusNotFound},
		{Name: "filters", URL: "/wilayah/" + province + "?periode=2025-Q1&program=PKH&komponen=SD", ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`value="2025-Q1" selected`, `value="PKH" selected`, `value="SD" selected`, "Angka utama 2025-Q1 · PKH · Anak SD",
				"komponen=SD", "periode=2025-Q1", "program=PKH", `href="/program/PKH"`},
			NotExpected: []string{`href="/program/SEMBAKO"`}},
		{Name: "bad period", URL: "/wilayah/" + province + "?periode=1999-Q1", ExpectedStatus: http.StatusBadRequest, ExpectedContent: []string{"1999-Q1"}},
		{Name: "bad programme", URL: "/wilayah/" + province + "?program=XYZ", ExpectedStatus: http.StatusBadRequest},
		{Name: "component of another programme", URL: "/wilayah/" + province + "?program=BLT&komponen=SD", ExpectedStatus: http.StatusBadRequest},
		{Name: "english", URL: "/wilayah/" + province + "?lang=en", ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`<html lang="en">`, "Recipient families", "Rupiah disbursed", "By regency/city", "Headline figures " + per},
			NotExpected:     []string{"Keluarga penerima", "[wilayah."}},
	}
	for _, sc := range scenarios {
		sc.Run(t, s)
	}

	t.Run("withheld never zero", func(t *testing.T) {
		rec := testkit.Scenario{Name: "withheld row", URL: "/wilayah/" + withheld + "?program=" + withheldProg, ExpectedStatus: http.StatusOK}.Run(t, s)
		row := programRow(t, rec.Body.String(), withheldProg)
		if !strings.Contains(row, `<abbr class="withheld"`) {
			t.Errorf("withheld row lacks the withheld marker: %s", row)
		}
		for _, zero := range []string{`<td class="num">0</td>`, `<td class="num">Rp 0</td>`, "tidak ada penyaluran"} {
			if strings.Contains(row, zero) {
				t.Errorf("withheld row shown as zero (%q): %s", zero, row)
			}
		}
		card := regexp.MustCompile(`(?s)<ul class="cards".*?</ul>`).FindString(rec.Body.String())
		if strings.Contains(card, `class="value">0<`) || !strings.Contains(card, `<abbr class="withheld"`) {
			t.Errorf("headline of a withheld district not shown as withheld: %s", card)
		}
	})

	t.Run("csv link", func(t *testing.T) {
		rec := testkit.Scenario{Name: "province for csv", URL: "/wilayah/" + province, ExpectedStatus: http.StatusOK}.Run(t, s)
		m := regexp.MustCompile(`href="(/dataset/penyaluran\.csv\?[^"]+)"`).FindStringSubmatch(rec.Body.String())
		if m == nil {
			t.Fatal("no CSV link")
		}
		link := strings.ReplaceAll(m[1], "&amp;", "&")
		// The rows the page's table shows: its regencies, not itself.
		testkit.Scenario{Name: "csv " + link, URL: link, ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{per + ",PKH,,kabupaten," + province + ".01,"},
			NotExpected:     []string{",provinsi," + province + ","}}.Run(t, s)
	})

	t.Run("published or empty district", func(t *testing.T) {
		if published != "" {
			testkit.Scenario{Name: "published district", URL: "/wilayah/" + published, ExpectedStatus: http.StatusOK,
				ExpectedContent: []string{"<h1>" + reg.Name(published)}}.Run(t, s)
			return
		}
		// The small generated data withholds every district cell; a
		// district absent from the data is a true zero.
		t.Log("no published district cell in the generated data; checking a district without distribution")
		empty := ""
		for _, d := range reg.Children(rg.Code) {
			if queryCode(t, pub, `SELECT kode_wilayah FROM penyaluran WHERE release = ? AND periode = ? AND lvl = 3 AND kode_wilayah = ? LIMIT 1`, rel, per, d.Code) == "" {
				empty = d.Code
				break
			}
		}
		if empty == "" {
			t.Skip("every district of the regency has data")
		}
		rec := testkit.Scenario{Name: "empty district", URL: "/wilayah/" + empty + "?program=PKH", ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{"tidak ada penyaluran", `<span class="value">0</span>`}}.Run(t, s)
		// The region's own figures are zeros; the parent's may be withheld.
		row := programRow(t, rec.Body.String(), "PKH")
		own := regexp.MustCompile(`<td class="num">(.*?)</td>`).FindAllStringSubmatch(row, 3)
		if len(own) < 3 || own[0][1] != "0" || own[1][1] != "0" || own[2][1] != "Rp 0" {
			t.Errorf("a zero not shown as zero: %s", row)
		}
	})

	t.Run("sort", func(t *testing.T) {
		kids := reg.Children(province)
		first, second := kids[0], kids[1] // in code order
		if strings.ToLower(first.Name) < strings.ToLower(second.Name) {
			first, second = second, first // first is the later by name
		}
		order := func(u string) (int, int, string) {
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, u, nil))
			if rec.Code != http.StatusOK {
				t.Fatalf("%s: status %d", u, rec.Code)
			}
			b := rec.Body.String()
			// The children table (the chart's table, by value, comes later).
			t := b[strings.Index(b, "aria-sort="):]
			return strings.Index(t, ">"+first.Name+"</a>"), strings.Index(t, ">"+second.Name+"</a>"), b
		}
		a, b, body := order("/wilayah/" + province + "?urut=nama")
		if a < 0 || b < 0 || a < b == (strings.ToLower(first.Name) > strings.ToLower(second.Name)) {
			t.Errorf("urut=nama: %s at %d, %s at %d", first.Name, a, second.Name, b)
		}
		if !regexp.MustCompile(`aria-sort="ascending"><a href="[^"]*urut=-nama`).MatchString(body) {
			t.Error("urut=nama: the name header is not marked ascending with a link to descending")
		}
		a2, b2, _ := order("/wilayah/" + province + "?urut=-nama")
		if (a2 < b2) == (a < b) {
			t.Errorf("urut=-nama did not reverse the order")
		}
		_, _, body = order("/wilayah/" + province + "?urut=-penerima&periode=" + per)
		if !strings.Contains(body, `aria-sort="descending"`) {
			t.Error("urut=-penerima: no descending header")
		}
		// Rows with published figures come before withheld ones.
		tb := regexp.MustCompile(`(?s)<table class="sortable">.*?</table>`).FindString(body)
		rows := regexp.MustCompile(`(?s)<tr>.*?</tr>`).FindAllString(tb, -1)
		seenWithheld := false
		cell := regexp.MustCompile(`(?s)<td class="num">(.*?)</td>`)
		for _, r := range rows[1:] {
			// The families column decides (the first number).
			fam := cell.FindStringSubmatch(r)
			if fam == nil {
				t.Fatalf("no number in row %s", r)
			}
			w := strings.Contains(fam[1], `<abbr class="withheld"`)
			if !w && seenWithheld && fam[1] != "0" {
				t.Errorf("a published row after a withheld one: %s", r)
			}
			seenWithheld = seenWithheld || w
		}
	})
}

func TestRegionPageEmpty(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t)
	testkit.Scenario{Name: "no release", URL: "/wilayah/32", ExpectedStatus: http.StatusOK,
		ExpectedContent: []string{"Jawa Barat", "Belum ada rilis data"}}.Run(t, s)
	testkit.Scenario{Name: "no release, unknown", URL: "/wilayah/00", ExpectedStatus: http.StatusNotFound}.Run(t, s)
}

// pageChart is a chart's option as the page carries it: category labels
// and the values of its first series ("-" where withheld).
type pageChart struct {
	Labels []string
	Values []any
	Figure string // the chart's <figure>, with its data table
}

// chartOn extracts and parses the option of chart id from a page; ok is
// false when the page has no such chart.
func chartOn(t *testing.T, body, id string) (pageChart, bool) {
	t.Helper()
	m := regexp.MustCompile(`(?s)<script type="application/json" id="` + regexp.QuoteMeta(id) + `-option">(.*?)</script>`).FindStringSubmatch(body)
	if m == nil {
		return pageChart{}, false
	}
	type axis struct {
		Type string
		Data []string
	}
	var opt struct {
		XAxis  []axis `json:"xAxis"`
		YAxis  []axis `json:"yAxis"`
		Series []struct {
			Type string
			Data []struct{ Value any }
		} `json:"series"`
	}
	if err := json.Unmarshal([]byte(m[1]), &opt); err != nil {
		t.Fatalf("%s: option is not JSON: %v", id, err)
	}
	if len(opt.XAxis) != 1 || len(opt.Series) != 1 || opt.Series[0].Type != "bar" {
		t.Fatalf("%s: want one category axis and one bar series: %s", id, m[1][:min(len(m[1]), 300)])
	}
	// A long list is laid across: its categories are on the y axis
	// (charts.Categories).
	pc := pageChart{Labels: opt.XAxis[0].Data}
	if opt.XAxis[0].Type == "value" && len(opt.YAxis) == 1 {
		pc.Labels = opt.YAxis[0].Data
	}
	for _, d := range opt.Series[0].Data {
		pc.Values = append(pc.Values, d.Value)
	}
	if len(pc.Labels) != len(pc.Values) {
		t.Fatalf("%s: %d labels, %d values", id, len(pc.Labels), len(pc.Values))
	}
	pc.Figure = regexp.MustCompile(`(?s)<figure[^>]*aria-labelledby="` + regexp.QuoteMeta(id) + `-title">.*?</figure>`).FindString(body)
	if pc.Figure == "" {
		t.Fatalf("%s: no figure", id)
	}
	if rows := strings.Count(pc.Figure, `<th scope="row">`); rows != len(pc.Values) {
		t.Errorf("%s: data table has %d rows, chart %d points", id, rows, len(pc.Values))
	}
	return pc, true
}

// checkPoints checks a chart's values against what they must be: "-"
// where withheld (never 0), the figure otherwise, largest first if sorted.
func checkPoints(t *testing.T, id string, pc pageChart, want map[string]charts.Point, sorted bool) {
	t.Helper()
	if len(pc.Values) != len(want) {
		t.Errorf("%s: %d points, want %d", id, len(pc.Values), len(want))
	}
	last, withheld := -1.0, false
	for i, label := range pc.Labels {
		w, ok := want[label]
		if !ok {
			t.Errorf("%s: unexpected point %q", id, label)
			continue
		}
		v := pc.Values[i]
		if w.Withheld {
			withheld = true
			if v != "-" {
				t.Errorf("%s: withheld %s plotted as %v, want \"-\"", id, label, v)
			}
			continue
		}
		f, isNum := v.(float64)
		if !isNum || int64(f) != w.V {
			t.Errorf("%s: %s plotted as %v, want %d", id, label, v, w.V)
		}
		if sorted && (withheld || (last >= 0 && f > last)) {
			t.Errorf("%s: %s (%v) out of order", id, label, v)
		}
		last = f
	}
	if withheld != strings.Contains(pc.Figure, "Sebagian angka ditekan (“—”)") {
		t.Errorf("%s: withheld points %v, withheld note shown %v", id, withheld, !withheld)
	}
}

func TestRegionCharts(t *testing.T) {
	t.Parallel()
	s, pub := newTestServerWithRelease(t)
	rel, per := latestPeriod(t, pub)
	ctx := context.Background()
	reg := region.Default()
	body := func(u string) string {
		return testkit.Scenario{Name: u, URL: u, ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{"echarts.min.", "/static/js/charts."}}.Run(t, s).Body.String()
	}
	// Expected points of a region's children and programmes, from the
	// same cells the page's tables read.
	expect := func(code string, fl regionFilter, measure int) (map[string]charts.Point, map[string]charts.Point) {
		r, _ := reg.Lookup(code)
		kids := map[string]charts.Point{}
		if r.Level < region.District {
			ks, err := s.regionChildren(ctx, rel, r, fl)
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range ks {
				kids[k.Name] = charts.PointOf(k.Name, k.A, measure)
			}
		}
		progs := progSelection(fl)
		own, err := s.Data.PenyaluranCells(ctx, rel, fl.cells(int(r.Level), published.OneRegion(code)))
		if err != nil {
			t.Fatal(err)
		}
		ps := map[string]charts.Point{}
		for _, p := range progs {
			a := own.At(p, fl.Komponen, code)
			label := strings.ReplaceAll(p, "_", "-")
			if p == "SEMBAKO" {
				label = "Sembako"
			}
			ps[label] = charts.PointOf(label, a, mNom)
		}
		return kids, ps
	}

	province := queryCode(t, pub, `SELECT kode_wilayah FROM penyaluran WHERE release = ? AND periode = ? AND lvl = 1 AND komponen = '' AND ditekan = 0 ORDER BY penerima DESC LIMIT 1`, rel, per)
	regency := queryCode(t, pub, `SELECT kode_wilayah FROM penyaluran WHERE release = ? AND periode = ? AND lvl = 2 AND komponen = '' ORDER BY ditekan, kode_wilayah LIMIT 1`, rel, per)
	withheld := queryCode(t, pub, `SELECT kode_wilayah FROM penyaluran WHERE release = ? AND periode = ? AND lvl = 3 AND komponen = ''
		GROUP BY kode_wilayah HAVING min(ditekan) = 1 ORDER BY count(*) DESC LIMIT 1`, rel, per)
	withheldProg := queryCode(t, pub, `SELECT program FROM penyaluran WHERE release = ? AND periode = ? AND lvl = 3 AND komponen = '' AND kode_wilayah = ? LIMIT 1`, rel, per, withheld)

	for _, code := range []string{province, regency, "11"} {
		t.Run(code, func(t *testing.T) {
			b := body("/wilayah/" + code)
			kids, progs := expect(code, regionFilter{Periode: per}, mPen)
			kc, ok := chartOn(t, b, "wilayah-anak")
			if !ok {
				t.Fatal("no children chart")
			}
			checkPoints(t, "wilayah-anak", kc, kids, true)
			r, _ := reg.Lookup(code)
			if !strings.Contains(kc.Figure, r.Name+", "+per+", semua program") || !strings.Contains(kc.Figure, "Satuan: keluarga") ||
				!strings.Contains(kc.Figure, "Sumber: Portal Data Bansos, rilis") {
				t.Errorf("children chart title, unit or source: %s", kc.Figure[:min(len(kc.Figure), 400)])
			}
			pc, ok := chartOn(t, b, "wilayah-program")
			if !ok {
				t.Fatal("no programme chart")
			}
			checkPoints(t, "wilayah-program", pc, progs, false)
		})
	}

	t.Run("measure follows the sort", func(t *testing.T) {
		b := body("/wilayah/" + province + "?urut=-nominal&program=PKH")
		kids, _ := expect(province, regionFilter{Periode: per, Program: "PKH"}, mNom)
		kc, _ := chartOn(t, b, "wilayah-anak")
		checkPoints(t, "wilayah-anak", kc, kids, true)
		if !strings.Contains(kc.Figure, "Nilai tersalur per kabupaten/kota") || !strings.Contains(kc.Figure, ", PKH</h3>") {
			t.Errorf("title does not say rupiah by regency for PKH: %s", kc.Figure[:min(len(kc.Figure), 300)])
		}
	})

	t.Run("withheld district", func(t *testing.T) {
		b := body("/wilayah/" + withheld + "?program=" + withheldProg)
		if _, ok := chartOn(t, b, "wilayah-anak"); ok {
			t.Error("a district has a children chart")
		}
		pc, ok := chartOn(t, b, "wilayah-program")
		if !ok {
			t.Fatal("no programme chart")
		}
		if len(pc.Values) != 1 || pc.Values[0] != "-" {
			t.Errorf("withheld programme plotted as %v, want [\"-\"]", pc.Values)
		}
	})

	t.Run("english", func(t *testing.T) {
		b := testkit.Get(t, s, "/wilayah/"+province+"?lang=en").Body.String()
		kc, _ := chartOn(t, b, "wilayah-anak")
		if !strings.Contains(kc.Figure, "Recipient families by regency/city") || !strings.Contains(kc.Figure, "all programmes") {
			t.Errorf("English title: %s", kc.Figure[:min(len(kc.Figure), 300)])
		}
	})

	t.Run("csv link", func(t *testing.T) {
		kc, _ := chartOn(t, body("/wilayah/"+province), "wilayah-anak")
		// The chart's CSV holds exactly what it plots.
		m := regexp.MustCompile(`<a href="(/embed/wilayah/[^"]+format=csv[^"]*)">CSV</a>`).FindStringSubmatch(kc.Figure)
		if m == nil {
			t.Fatal("no CSV link on the children chart")
		}
		kid := reg.Children(province)[0]
		testkit.Scenario{Name: "children csv", URL: strings.ReplaceAll(m[1], "&amp;", "&"), ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{kid.Name}}.Run(t, s)
	})
}
