package portal

import (
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/testkit"
)

// TestRealisationAbove100IsFlagged: a realisation above its target (more
// families paid than the quota: a quota revised down, or late additions)
// is flagged with its note where the figure stands, on the home page and
// the programme page, and a figure at or under 100 % is not.
func TestRealisationAbove100IsFlagged(t *testing.T) {
	t.Parallel()
	s, pub := newWritableReleaseServer(t)
	const periode = "2025-Q4"
	before := testkit.Get(t, s, "/program/PKH").Body.String() // not the page read below: pages are cached
	if strings.Contains(before, "data-over") {
		t.Fatal("the fixture's PKH realisation is already above 100 %: the test sees nothing")
	}
	if _, err := pub.W.Exec(`UPDATE realisasi SET penerima_salur = kuota_kpm + kuota_kpm / 20, persen_kpm = 105.0, ditekan = 0
		WHERE program = 'PKH' AND tingkat = 'nasional'`); err != nil {
		t.Fatal(err)
	}
	for _, page := range []string{"/?periode=" + periode, "/program/PKH?periode=" + periode} {
		body := testkit.Get(t, s, page).Body.String()
		if !strings.Contains(body, "data-over") || !strings.Contains(body, "105,0%") {
			t.Errorf("%s: a realisation of 105 %% is not flagged", page)
		}
	}
}

// TestAllWithheldRejectionsAreExplained: a region whose every rejection
// count is withheld says so in a sentence with the threshold, instead of
// a grid of dashes left to the reader.
func TestAllWithheldRejectionsAreExplained(t *testing.T) {
	t.Parallel()
	s, pub := newWritableReleaseServer(t)
	// The province with the most published rejection counts in the
	// release in force (the fixture publishes them for the nation and
	// the provinces).
	var code string
	if err := pub.W.QueryRow(`SELECT kode_wilayah FROM ketepatan_sasaran
		WHERE release = (SELECT MAX(number) FROM release) AND lvl = 1 AND ditekan = 0 AND jumlah > 0
		GROUP BY kode_wilayah ORDER BY COUNT(*) DESC, kode_wilayah LIMIT 1`).Scan(&code); err != nil {
		t.Fatal(err)
	}
	if _, err := pub.W.Exec(`UPDATE ketepatan_sasaran SET jumlah = NULL, ditekan = 1 WHERE kode_wilayah = ?`, code); err != nil {
		t.Fatal(err)
	}
	body := testkit.Get(t, s, "/wilayah/"+code).Body.String()
	if !strings.Contains(body, "class=\"notice\"") || !strings.Contains(body, "/metodologi#kerahasiaan") {
		t.Errorf("/wilayah/%s: no sentence for the withheld rejections", code)
	}
	i := strings.Index(body, `id="ketepatan"`)
	if i < 0 {
		t.Fatalf("/wilayah/%s has no rejections section", code)
	}
	section := body[i+1:]
	if j := strings.Index(section, "<h2"); j > 0 {
		section = section[:j] // up to the next section's heading
	}
	if strings.Count(section, "—") > 3 {
		t.Errorf("/wilayah/%s: the rejections are still a grid of dashes", code)
	}
}
