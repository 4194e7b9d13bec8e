package portal

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/portal-data-bansos/portal/internal/testkit"
)

// TestDemoIsMarkedEverywhere: a release made from generated data says so
// on every surface, in both languages — pages, embeds, downloads and
// their file names, the API, Data Package, DCAT and /status — and a real
// release says nothing of the kind (docs/interface.md, "Demo data").
func TestDemoIsMarkedEverywhere(t *testing.T) {
	t.Parallel()
	s, pub := newWritableReleaseServer(t)
	if _, err := pub.W.Exec(`UPDATE release SET synthetic = 1`); err != nil {
		t.Fatal(err)
	}
	real, _ := newTestServerWithRelease(t)

	pages := []string{"/", "/?lang=en", "/wilayah/32.73", "/program/PKH", "/dataset/penyaluran", "/grafik/nominal-per-triwulan",
		"/embed/grafik/nominal-per-triwulan", "/embed/wilayah/32?grafik=wilayah-anak", "/metodologi", "/status", "/berita"}
	for _, u := range pages {
		body := testkit.Get(t, s, u).Body.String()
		if !strings.Contains(body, "data-demo") || !(strings.Contains(body, "DATA CONTOH (SINTETIS)") || strings.Contains(body, "SYNTHETIC DEMO DATA")) {
			t.Errorf("demo: %s has no demo mark", u)
		}
		if rb := testkit.Get(t, real, u).Body.String(); strings.Contains(rb, "data-demo") || strings.Contains(rb, "SINTETIS") {
			t.Errorf("real: %s carries a demo mark", u)
		}
	}
	if body := testkit.Get(t, s, "/").Body.String(); !strings.Contains(body, `<meta property="og:description" content="DATA CONTOH (SINTETIS) — `) {
		t.Error("demo: the OpenGraph description is not marked")
	}

	// Downloads: the file names end in -contoh, the JSON envelope and the
	// XLSX metadata sheet say it, and the source tells the truth.
	for _, f := range []string{"csv", "json", "xlsx"} {
		w := testkit.Get(t, s, "/dataset/penyaluran."+f+"?tingkat=provinsi")
		if cd := w.Header().Get("Content-Disposition"); !strings.Contains(cd, "-contoh."+f+`"`) {
			t.Errorf("demo %s: Content-Disposition %q lacks -contoh", f, cd)
		}
		if cd := testkit.Get(t, real, "/dataset/penyaluran."+f+"?tingkat=provinsi").Header().Get("Content-Disposition"); strings.Contains(cd, "contoh") {
			t.Errorf("real %s: Content-Disposition %q", f, cd)
		}
	}
	var env struct {
		Synthetic bool              `json:"synthetic"`
		Source    map[string]string `json:"source"`
		Demo      map[string]string `json:"demo_notice"`
		Citation  map[string]string `json:"citation"`
	}
	if err := json.Unmarshal(testkit.Get(t, s, "/dataset/penyaluran.json?tingkat=provinsi").Body.Bytes(), &env); err != nil {
		t.Fatal(err)
	}
	if !env.Synthetic || !strings.Contains(env.Source["id"], "sintetis") || strings.Contains(env.Source["id"], "sistem penyaluran") ||
		!strings.Contains(env.Demo["en"], "SYNTHETIC") || !strings.Contains(env.Citation["id"], "DATA CONTOH") {
		t.Errorf("demo JSON meta: %+v", env)
	}
	x, err := excelize.OpenReader(bytes.NewReader(testkit.Get(t, s, "/dataset/penyaluran.xlsx?tingkat=provinsi").Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows("metadata")
	if err != nil || len(rows) < 2 || rows[0][0] != "DATA CONTOH" || !strings.Contains(rows[1][1], "SYNTHETIC") {
		t.Errorf("demo XLSX metadata starts %v (%v)", rows[:min(2, len(rows))], err)
	}

	// The API, Data Package and DCAT.
	for _, c := range []struct{ url, want string }{
		{"/api/v1/releases/2", `"synthetic":true`},
		{"/api/v1/releases", `"synthetic":true`},
		{"/api/v1/datasets/penyaluran", `"synthetic":true`},
		{"/api/v1/datasets/penyaluran/rows?limit=1", `"synthetic":true`},
		{"/dataset/penyaluran/datapackage.json", `"x-synthetic": true`},
		{"/dataset/penyaluran/datapackage.json", `"description": "DATA CONTOH (SINTETIS).`},
		{"/catalog.jsonld", "SYNTHETIC DEMO DATA."},
	} {
		body := testkit.Get(t, s, c.url).Body.String()
		if !strings.Contains(strings.ReplaceAll(body, `": `, `":`), strings.ReplaceAll(c.want, `": `, `":`)) {
			t.Errorf("demo %s lacks %s", c.url, c.want)
		}
		if rb := testkit.Get(t, real, c.url).Body.String(); strings.Contains(rb, "SINTETIS") || strings.Contains(rb, "SYNTHETIC") ||
			strings.Contains(strings.ReplaceAll(rb, " ", ""), `"synthetic":true`) {
			t.Errorf("real %s carries a demo mark", c.url)
		}
	}
}
