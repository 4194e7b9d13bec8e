package portal

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/store"
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

	scenarios := []scenario{
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
		sc.run(t, s)
	}

	t.Run("withheld never zero", func(t *testing.T) {
		rec := scenario{Name: "withheld row", URL: "/wilayah/" + withheld + "?program=" + withheldProg, ExpectedStatus: http.StatusOK}.run(t, s)
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
		rec := scenario{Name: "province for csv", URL: "/wilayah/" + province, ExpectedStatus: http.StatusOK}.run(t, s)
		m := regexp.MustCompile(`href="(/dataset/penyaluran\.csv\?[^"]+)"`).FindStringSubmatch(rec.Body.String())
		if m == nil {
			t.Fatal("no CSV link")
		}
		link := strings.ReplaceAll(m[1], "&amp;", "&")
		scenario{Name: "csv " + link, URL: link, ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{per + ",PKH,,provinsi," + province + ","}}.run(t, s)
	})

	t.Run("published or empty district", func(t *testing.T) {
		if published != "" {
			scenario{Name: "published district", URL: "/wilayah/" + published, ExpectedStatus: http.StatusOK,
				ExpectedContent: []string{"<h1>" + reg.Name(published)}}.run(t, s)
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
		rec := scenario{Name: "empty district", URL: "/wilayah/" + empty + "?program=PKH", ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{"tidak ada penyaluran", `<span class="value">0</span>`}}.run(t, s)
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
			return strings.Index(b, ">"+first.Name+"</a>"), strings.Index(b, ">"+second.Name+"</a>"), b
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
		for _, r := range rows[1:] {
			w := strings.Contains(r, `<abbr class="withheld"`) && !strings.Contains(r, "≥")
			if !w && seenWithheld && !strings.Contains(r, ">0<") {
				t.Errorf("a published row after a withheld one: %s", r)
			}
			seenWithheld = seenWithheld || w
		}
	})
}

func TestRegionPageEmpty(t *testing.T) {
	s, _ := newTestServer(t)
	scenario{Name: "no release", URL: "/wilayah/32", ExpectedStatus: http.StatusOK,
		ExpectedContent: []string{"Jawa Barat", "Belum ada rilis data"}}.run(t, s)
	scenario{Name: "no release, unknown", URL: "/wilayah/00", ExpectedStatus: http.StatusNotFound}.run(t, s)
}
