package pages

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/testkit"
)

// TestNumbersAreExplainedWhereTheyStand: a region whose every rejection
// count is withheld says so in a sentence, never a grid of dashes; and a
// realisation above 100 % is flagged with a note.
func TestNumbersAreExplainedWhereTheyStand(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	grid := regexp.MustCompile(`(?s)<h2 id="ketepatan">.*?</table>`)
	sentences, tables := 0, 0
	for _, k := range region.Default().Children("32") {
		body := testkit.Get(t, s, "/wilayah/"+k.Code).Body.String()
		if strings.Contains(body, "Semua angka penolakan wilayah ini ditekan") {
			sentences++
		}
		if g := grid.FindString(body); g != "" {
			tables++
			cells := regexp.MustCompile(`<td class="num">(.*?)</td>`).FindAllStringSubmatch(g, -1)
			dashes := 0
			for _, c := range cells {
				if strings.Contains(c[1], "—") {
					dashes++
				}
			}
			if len(cells) > 0 && dashes == len(cells) {
				t.Errorf("%s: a rejections table of dashes only", k.Code)
			}
		}
	}
	if sentences+tables == 0 {
		t.Fatal("no regency page of 32 shows its rejections at all")
	}
	t.Logf("regencies of 32: %d rejection tables, %d sentences saying every count is withheld", tables, sentences)

	// Realisation above 100 %, wherever the fixture has one.
	recs := readCSV(t, testkit.Get(t, s, "/dataset/realisasi.csv?tingkat=kabupaten,provinsi").Body.Bytes())
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	for _, r := range recs[1:] {
		pct, err := strconv.ParseFloat(r[col["persen_kpm"]], 64)
		if err != nil || pct <= 100 {
			continue
		}
		u := "/wilayah/" + r[col["kode_wilayah"]] + "?periode=" + r[col["periode"]] + "&program=" + r[col["program"]]
		body := testkit.Get(t, s, u).Body.String()
		if !strings.Contains(body, "data-over") || !strings.Contains(body, "Di atas 100 %") {
			t.Errorf("%s: realisation %.1f %% is not flagged", u, pct)
		}
		return
	}
	t.Log("the fixture has no realisation above 100 %")
}

// TestRealisationChartsHaveTheHundredLine: a programme's realisation by
// province (its page) and by regency (a province page filtered to it),
// each with the 100 % line, its rows linked to the regions, and its CSV.
func TestRealisationChartsHaveTheHundredLine(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	for _, c := range []struct{ page, id string }{
		{"/program/SEMBAKO", "realisasi-sembako"},
		{"/wilayah/32?program=SEMBAKO", "realisasi-sembako-32"},
	} {
		body := testkit.Get(t, s, c.page).Body.String()
		m := regexp.MustCompile(`<script type="application/json" id="` + c.id + `-option">(.*?)</script>`).FindStringSubmatch(body)
		if m == nil {
			t.Errorf("%s: no chart %s", c.page, c.id)
			continue
		}
		if !strings.Contains(m[1], `"markLine"`) || !strings.Contains(m[1], `"yAxis":100`) {
			t.Errorf("%s: chart %s has no 100 %% line", c.page, c.id)
		}
		if !regexp.MustCompile(`<th scope="row"><a href="/wilayah/32[.0-9]*">`).MatchString(body) {
			t.Errorf("%s: region rows are not links", c.page)
		}
		embed := "/embed" + strings.Replace(c.page, "?", "?grafik="+c.id+"&", 1)
		if !strings.Contains(embed, "grafik=") {
			embed = "/embed" + c.page + "?grafik=" + c.id
		}
		recs := readCSV(t, testkit.Get(t, s, embed+"&format=csv").Body.Bytes())
		if len(recs) < 2 || recs[1][4] != "persen" {
			t.Errorf("%s: chart CSV %v", c.page, recs[:min(2, len(recs))])
		}
	}
}
