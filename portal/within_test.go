package portal

import (
	"encoding/json"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/testkit"
)

// TestWithinRegionFilter: dalam=32 gives exactly the rows that the exact
// region filter over every regency of 32 gives, in the CSV and the API;
// the region page's download gives the rows its table shows; and a file
// name keeps the separators of several values.
func TestWithinRegionFilter(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	var kids []string
	for _, k := range region.Default().Children("32") {
		kids = append(kids, k.Code)
	}
	exact := "kode_wilayah=" + strings.Join(kids, ",")
	for _, base := range []string{"/dataset/penyaluran.csv?periode=2025-Q4&tingkat=kabupaten&", "/dataset/realisasi.csv?tingkat=kabupaten&"} {
		within := testkit.Get(t, s, base+"dalam=32").Body.String()
		byCode := testkit.Get(t, s, base+exact).Body.String()
		if within != byCode || strings.Count(within, "\n") < 3 {
			t.Errorf("%s: dalam=32 gives %d lines, the exact codes %d", base, strings.Count(within, "\n"), strings.Count(byCode, "\n"))
		}
	}
	var a, b struct{ Rows []map[string]any }
	json.Unmarshal(testkit.Get(t, s, "/api/v1/datasets/penyaluran/rows?tingkat=kecamatan&periode=2025-Q4&limit=10000&dalam=32.73").Body.Bytes(), &a)
	var districts []string
	for _, k := range region.Default().Children("32.73") {
		districts = append(districts, k.Code)
	}
	json.Unmarshal(testkit.Get(t, s, "/api/v1/datasets/penyaluran/rows?tingkat=kecamatan&periode=2025-Q4&limit=10000&kode_wilayah="+strings.Join(districts, ",")).Body.Bytes(), &b)
	if len(a.Rows) == 0 || len(a.Rows) != len(b.Rows) {
		t.Errorf("API: dalam=32.73 gives %d rows, the exact codes %d", len(a.Rows), len(b.Rows))
	}
	if w := testkit.Get(t, s, "/dataset/wilayah.csv?dalam=32&tingkat=kabupaten"); strings.Count(w.Body.String(), "\n")-1 != len(kids) {
		t.Errorf("wilayah dalam=32: %d rows, want %d", strings.Count(w.Body.String(), "\n")-1, len(kids))
	}
	for _, sc := range []testkit.Scenario{
		{Name: "bad region", URL: "/dataset/penyaluran.csv?dalam=99", ExpectedStatus: 400},
		{Name: "no region column", URL: "/dataset/kualitas-data.csv?dalam=32", ExpectedStatus: 400},
	} {
		sc.Run(t, s)
	}
	// The region page: its download has the rows of its children table.
	page := testkit.Get(t, s, "/wilayah/32?periode=2025-Q4").Body.String()
	m := regexp.MustCompile(`href="(/dataset/penyaluran\.csv\?[^"]+)" download`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the region page has no download")
	}
	// One row per child and programme: the regions are the page's children.
	dl := html.UnescapeString(m[1])
	recs := readCSV(t, testkit.Get(t, s, dl).Body.Bytes())
	regions := map[string]bool{}
	for _, r := range recs[1:] {
		regions[r[4]] = true
	}
	if recs[0][4] != "kode_wilayah" || !strings.Contains(dl, "dalam=32") || len(regions) != len(kids) {
		t.Errorf("the region page's download %s has %d regions; 32 has %d regencies", dl, len(regions), len(kids))
	}
	// Several values keep their separator in the file name.
	cd := testkit.Get(t, s, "/dataset/penyaluran.csv?kode_wilayah=32.01,32.02").Header().Get("Content-Disposition")
	if !strings.Contains(cd, "32.01+32.02") {
		t.Errorf("file name %q", cd)
	}
}
