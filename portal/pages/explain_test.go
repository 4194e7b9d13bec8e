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
