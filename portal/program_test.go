package portal

import (
	"net/http"
	"testing"
)

func TestProgramPage(t *testing.T) {
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
	var scenarios []scenario
	for code, name := range names {
		scenarios = append(scenarios, scenario{Name: code, URL: "/program/" + code, ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{"<h1>" + name + "</h1>", areas[code], "Angka nasional per triwulan", "2025-Q1", per,
				"Per provinsi, " + per, `href="/wilayah/32?periode=` + per + `&amp;program=` + code + `"`, "Jawa Barat",
				"Jenis kelamin", "Kelompok umur", "Desil kesejahteraan", "Penyalur", "Perempuan",
				`href="/dataset/penyaluran.csv?`, `href="/dataset/penyaluran-demografi.csv?`},
			NotExpected: []string{"[program.", "[wilayah."}})
	}
	scenarios = append(scenarios,
		scenario{Name: "PKH components", URL: "/program/PKH", ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{"Per komponen, " + per, "Ibu hamil", "Anak usia dini", "Anak SD", "Anak SMP", "Anak SMA",
				"Disabilitas berat", "Lanjut usia", "Rp 750.000", "Rp 225.000", "Rp 375.000", "Rp 500.000", "Rp 600.000"}},
		scenario{Name: "no components elsewhere", URL: "/program/SEMBAKO", ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{"Rp 200.000"}, NotExpected: []string{"Per komponen"}},
		scenario{Name: "PBI-JK amount", URL: "/program/PBI_JK", ExpectedStatus: http.StatusOK, ExpectedContent: []string{"Rp 42.000"}},
		scenario{Name: "PENA amount", URL: "/program/PENA", ExpectedStatus: http.StatusOK, ExpectedContent: []string{"Rp 5.000.000"}},
		scenario{Name: "case-insensitive", URL: "/program/pkh", ExpectedStatus: http.StatusOK, ExpectedContent: []string{names["PKH"]}},
		scenario{Name: "withheld shown as withheld", URL: "/program/ATENSI?periode=2025-Q1", ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`<abbr class="withheld"`, "Sebagian angka ditekan."}},
		scenario{Name: "period filter", URL: "/program/PKH?periode=2025-Q2", ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`value="2025-Q2" selected`, "Per provinsi, 2025-Q2", "periode=2025-Q2"}},
		scenario{Name: "bad period", URL: "/program/PKH?periode=2020-Q9", ExpectedStatus: http.StatusBadRequest},
		scenario{Name: "unknown", URL: "/program/XYZ", ExpectedStatus: http.StatusNotFound, ExpectedContent: []string{"Halaman tidak ditemukan"}},
		scenario{Name: "english", URL: "/program/PKH?lang=en", ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`<html lang="en">`, "Family Hope Programme (PKH)", "social protection", "National figures by quarter",
				"Pregnant women", "Rp 750,000", "By province, " + per, "Sex"},
			NotExpected: []string{"Angka nasional per triwulan"}},
	)
	for _, sc := range scenarios {
		sc.run(t, s)
	}
}

func TestProgramPageEmpty(t *testing.T) {
	s, _ := newTestServer(t)
	scenario{Name: "no release", URL: "/program/SEMBAKO", ExpectedStatus: http.StatusOK,
		ExpectedContent: []string{"Program Sembako", "Rp 200.000", "Belum ada rilis data"}}.run(t, s)
}
