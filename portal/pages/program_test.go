package pages

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/testkit"
	"github.com/portal-data-bansos/portal/portal/charts"
)

func TestProgramPage(t *testing.T) {
	t.Parallel()
	s, pub := newTestServerWithRelease(t)
	_, per := latestPeriod(t, pub)
	names := map[string]string{
		"PKH":     "Program Keluarga Harapan (PKH)",
		"SEMBAKO": "Program Sembako",
		"BLT":     "Bantuan Langsung Tunai (BLT)",
		"PBI_JK":  "Penerima Bantuan Iuran Jaminan Kesehatan (PBI-JK)",
		"ATENSI":  "Asistensi Rehabilitasi Sosial (ATENSI)",
		"PENA":    "Pahlawan Ekonomi Nusantara (PENA)",
	}
	areas := map[string]string{"PKH": "perlindungan sosial", "SEMBAKO": "perlindungan sosial", "BLT": "perlindungan sosial",
		"PBI_JK": "perlindungan sosial", "ATENSI": "rehabilitasi sosial", "PENA": "pemberdayaan sosial"}
	var scenarios []testkit.Scenario
	for code, name := range names {
		scenarios = append(scenarios, testkit.Scenario{Name: code, URL: "/program/" + code, ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{"<h1>" + name + "</h1>", areas[code], "Angka nasional per triwulan", "2025-Q1", per,
				"Per provinsi, " + per, `href="/wilayah/32?periode=` + per + `&amp;program=` + code + `"`, "Jawa Barat",
				"Jenis kelamin", "Kelompok umur", "Desil kesejahteraan", "Penyalur", "Perempuan",
				`href="/dataset/penyaluran.csv?`, `href="/dataset/penyaluran-demografi.csv?`},
			NotExpected: []string{"[program.", "[wilayah."}})
	}
	scenarios = append(scenarios,
		testkit.Scenario{Name: "PKH components", URL: "/program/PKH", ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{"Per komponen, " + per, "Ibu hamil", "Anak usia dini", "Anak SD", "Anak SMP", "Anak SMA",
				"Disabilitas berat", "Lanjut usia", "Rp 750.000", "Rp 225.000", "Rp 375.000", "Rp 500.000", "Rp 600.000"}},
		testkit.Scenario{Name: "no components elsewhere", URL: "/program/SEMBAKO", ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{"Rp 200.000"}, NotExpected: []string{"Per komponen"}},
		testkit.Scenario{Name: "PBI-JK amount", URL: "/program/PBI_JK", ExpectedStatus: http.StatusOK, ExpectedContent: []string{"Rp 42.000"}},
		testkit.Scenario{Name: "PENA amount", URL: "/program/PENA", ExpectedStatus: http.StatusOK, ExpectedContent: []string{"Rp 5.000.000"}},
		testkit.Scenario{Name: "case-insensitive", URL: "/program/pkh", ExpectedStatus: http.StatusOK, ExpectedContent: []string{names["PKH"]}},
		testkit.Scenario{Name: "withheld shown as withheld", URL: "/program/ATENSI?periode=2025-Q1", ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`<abbr class="withheld"`, "Sebagian angka ditekan."}},
		testkit.Scenario{Name: "period filter", URL: "/program/PKH?periode=2025-Q2", ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`value="2025-Q2" selected`, "Per provinsi, 2025-Q2", "periode=2025-Q2"}},
		testkit.Scenario{Name: "bad period", URL: "/program/PKH?periode=2020-Q9", ExpectedStatus: http.StatusBadRequest},
		testkit.Scenario{Name: "unknown", URL: "/program/XYZ", ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{"Halaman tidak ditemukan"}},
		testkit.Scenario{Name: "english", URL: "/program/PKH?lang=en", ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`<html lang="en">`, "Family Hope Programme (PKH)", "social protection", "National figures by quarter",
				"Pregnant women", "Rp 750,000", "By province, " + per, "Sex"},
			NotExpected: []string{"Angka nasional per triwulan"}},
	)
	for _, sc := range scenarios {
		sc.Run(t, s)
	}
}

func TestProgramPageEmpty(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t)
	testkit.Scenario{Name: "no release", URL: "/program/SEMBAKO", ExpectedStatus: http.StatusOK,
		ExpectedContent: []string{"Program Sembako", "Rp 200.000", "Belum ada rilis data"}}.Run(t, s)
}

func TestProgramCharts(t *testing.T) {
	t.Parallel()
	s, pub := newTestServerWithRelease(t)
	rel, per := latestPeriod(t, pub)
	ctx := context.Background()
	for _, tc := range []struct{ code, per string }{{"PKH", per}, {"ATENSI", "2025-Q1"}, {"PENA", per}} {
		t.Run(tc.code+" "+tc.per, func(t *testing.T) {
			b := testkit.Scenario{Name: tc.code, URL: "/program/" + tc.code + "?periode=" + tc.per, ExpectedStatus: http.StatusOK,
				ExpectedContent: []string{"echarts.min.", "/static/js/charts."}}.Run(t, s).Body.String()
			series, err := s.Data.ProgramByQuarter(ctx, rel, tc.code)
			if err != nil {
				t.Fatal(err)
			}
			var periods []string
			if err := func() error {
				rows, err := pub.R.QueryContext(ctx, `SELECT DISTINCT periode FROM penyaluran WHERE release = ? ORDER BY periode`, rel)
				if err != nil {
					return err
				}
				defer rows.Close()
				for rows.Next() {
					var p string
					if err := rows.Scan(&p); err != nil {
						return err
					}
					periods = append(periods, p)
				}
				return rows.Err()
			}(); err != nil {
				t.Fatal(err)
			}
			nom, pen := map[string]charts.Point{}, map[string]charts.Point{}
			for _, p := range periods {
				a := series[p]
				nom[p], pen[p] = charts.PointOf(p, a, mNom), charts.PointOf(p, a, mPen)
			}
			for id, want := range map[string]map[string]charts.Point{"program-nominal": nom, "program-penerima": pen} {
				pc, ok := chartOn(t, b, id)
				if !ok {
					t.Fatalf("no chart %s", id)
				}
				checkPoints(t, id, pc, want, false)
				if pc.Labels[0] != periods[0] || len(pc.Labels) != len(periods) {
					t.Errorf("%s: quarters %v", id, pc.Labels)
				}
			}
			prov, err := s.Data.PenyaluranCells(ctx, rel, provinceCells(tc.per, tc.code))
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]charts.Point{}
			for _, p := range region.Default().Provinces() {
				a := prov.At(tc.code, "", p.Code)
				want[p.Name] = charts.PointOf(p.Name, a, mPen)
			}
			pc, ok := chartOn(t, b, "program-provinsi")
			if !ok {
				t.Fatal("no province chart")
			}
			checkPoints(t, "program-provinsi", pc, want, true)
			if !strings.Contains(pc.Figure, "keluarga penerima per provinsi, "+tc.per) {
				t.Errorf("province chart title: %s", pc.Figure[:min(len(pc.Figure), 300)])
			}
		})
	}
	t.Run("withheld is a gap", func(t *testing.T) {
		var prog, per string
		if err := pub.R.QueryRow(`SELECT program, periode FROM penyaluran WHERE release = ? AND lvl = 1 AND komponen = '' AND ditekan = 1
			ORDER BY program, periode LIMIT 1`, rel).Scan(&prog, &per); err != nil {
			t.Fatalf("no withheld province in the fixture: %v", err)
		}
		pc, _ := chartOn(t, testkit.Get(t, s, "/program/"+prog+"?periode="+per).Body.String(), "program-provinsi")
		gaps := 0
		for _, v := range pc.Values {
			if v == "-" {
				gaps++
			}
		}
		if gaps == 0 {
			t.Error("no withheld province plotted as a gap")
		}
	})
}
