package aggregator

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/datadir"
	"github.com/portal-data-bansos/portal/internal/region"
)

func TestReadTargets(t *testing.T) {
	const hdr = "program,periode,kode_wilayah,kuota_kpm,pagu\n"
	tests := []struct {
		name, in string
		entries  int
		err      string // substring of the error; "" for success
	}{
		{"national, province and regency", hdr + "PKH,2025-Q3,,10000000,28700000000000\npkh,2025-q3,32,1000,\nSEMBAKO,2025-Q3,32.04,50,0\n", 3, ""},
		{"undotted regency and spaces", hdr + " PBI_JK , 2025-Q1 , 3204 , 7 , 8 \n", 1, ""},
		{"pagu column absent", "program,periode,kode_wilayah,kuota_kpm\nPKH,2025-Q1,,5\n", 1, ""},
		{"columns in another order", "kuota_kpm,kode_wilayah,periode,program\n5,,2025-Q1,PKH\n", 1, ""},
		{"unknown programme", hdr + "PKH,2025-Q1,,5,\nBANSOS,2025-Q1,,5,\n", 0, "kuota.csv line 3, field program: unknown programme \"BANSOS\""},
		{"monthly period", hdr + "PKH,2025-07,,5,\n", 0, "line 2, field periode"},
		{"quarter 5", hdr + "PKH,2025-Q5,,5,\n", 0, "line 2, field periode"},
		{"unknown region", hdr + "PKH,2025-Q1,99,5,\n", 0, "line 2, field kode_wilayah: unknown region \"99\""},
		{"district is too fine", hdr + "PKH,2025-Q1,32.04.11,5,\n", 0, "field kode_wilayah: \"32.04.11\" is a kecamatan"},
		{"decimal count", hdr + "PKH,2025-Q1,,5.5,\n", 0, "line 2, field kuota_kpm"},
		{"negative count", hdr + "PKH,2025-Q1,,-5,\n", 0, "field kuota_kpm"},
		{"separator in count", hdr + "PKH,2025-Q1,,10.000.000,\n", 0, "field kuota_kpm"},
		{"empty count", hdr + "PKH,2025-Q1,,,\n", 0, "field kuota_kpm"},
		{"bad pagu", hdr + "PKH,2025-Q1,,5,Rp46\n", 0, "line 2, field pagu"},
		{"duplicate target", hdr + "PKH,2025-Q1,32,5,\nPKH,2025-Q1,32,6,\n", 0, "line 3: a second target"},
		{"short row", hdr + "PKH,2025-Q1,,5\n", 0, "line 2: 4 fields, the header has 5"},
		{"missing column", "program,periode,kuota_kpm\nPKH,2025-Q1,5\n", 0, "missing required column \"kode_wilayah\""},
		{"header only", hdr, 0, "no data rows"},
		{"empty file", "", 0, "empty file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := readTargets(context.Background(), "kuota.csv", strings.NewReader(tt.in), region.Default())
			if tt.err == "" {
				if err != nil || len(got) != tt.entries {
					t.Fatalf("got %d targets, %v; want %d", len(got), err, tt.entries)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("error %v, want one containing %q", err, tt.err)
			}
		})
	}
	tg, _, _ := readTargets(context.Background(), "kuota.csv", strings.NewReader(hdr+"PKH,2025-Q3,32.04,1000,\nPKH,2025-Q3,,7,0\n"), region.Default())
	_, id, _ := region.Default().IDOf("32.04")
	if v := tg[TargetKey{Quarter: MakeQuarter(2025, 3), Program: PKH, Geo: Kabupaten, Region: id}]; v.KPM != 1000 || v.HasPagu {
		t.Errorf("regency target = %+v", v)
	}
	if v := tg[TargetKey{Quarter: MakeQuarter(2025, 3), Program: PKH, Geo: Nasional, Region: region.None}]; v.KPM != 7 || !v.HasPagu || v.Pagu != 0 {
		t.Errorf("national target = %+v (an explicit pagu of 0 is kept)", v)
	}
	// Stored and read back unchanged.
	back, err := decodeTargets(tg.encode())
	if err != nil || len(back) != len(tg) {
		t.Fatalf("decode: %v", err)
	}
	for k, v := range tg {
		if back[k] != v {
			t.Errorf("round trip of %+v: %+v, want %+v", k, back[k], v)
		}
	}
}

func TestReadDTSEN(t *testing.T) {
	const hdr = "kode_wilayah,desil,keluarga\n"
	tests := []struct {
		name, in string
		err      string
	}{
		{"regencies", hdr + "32.04,1,1200\n3204,2,0\n32.01,10,5\n", ""},
		{"province", hdr + "32,1,5\n", "line 2, field kode_wilayah: \"32\" is a provinsi"},
		{"empty region", hdr + ",1,5\n", "line 2, field kode_wilayah"},
		{"decile 0", hdr + "32.04,0,5\n", "field desil"},
		{"decile 11", hdr + "32.04,11,5\n", "field desil"},
		{"decile 01", hdr + "32.04,01,5\n", "field desil"},
		{"bad count", hdr + "32.04,1,1e3\n", "line 2, field keluarga"},
		{"duplicate zero", hdr + "32.04,1,0\n32.04,1,0\n", "line 3: a second count"},
		{"missing column", "kode_wilayah,keluarga\n32.04,5\n", "missing required column \"desil\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, _, err := readDTSEN(context.Background(), "dtsen.csv", strings.NewReader(tt.in), region.Default())
			if tt.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				_, id, _ := region.Default().IDOf("32.04")
				if d.Families(id, 1) != 1200 || d.Families(id, 2) != 0 || d.Families(id, 3) != 0 {
					t.Errorf("families = %d, %d, %d", d.Families(id, 1), d.Families(id, 2), d.Families(id, 3))
				}
				back, err := decodeDTSEN(d.encode())
				if err != nil || back.Families(id, 1) != 1200 || len(back) != 2 {
					t.Errorf("round trip: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("error %v, want one containing %q", err, tt.err)
			}
		})
	}
}

func TestPercent(t *testing.T) {
	tests := []struct {
		part, whole int64
		want        float64
		ok          bool
	}{
		{13_687_433, 18_277_083, 74.9, true}, // BPNT tahap 3, 2025: 74,89 → 74,9
		{7_443_448, 10_000_000, 74.4, true},
		{1, 3, 33.3, true},
		{2, 3, 66.7, true},
		{1, 16, 6.3, true}, // 6,25: half away from zero
		{1, 2000, 0.1, true},
		{1, 2001, 0, true},
		{0, 10, 0, true},
		{12, 10, 120, true}, // above target is shown as it is
		{5, 0, 0, false},    // no target: no percentage
		{0, 0, 0, false},
	}
	for _, tt := range tests {
		got, ok := Percent(tt.part, tt.whole)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Percent(%d, %d) = %v, %v; want %v, %v", tt.part, tt.whole, got, ok, tt.want, tt.ok)
		}
	}
}

// recipients writes n families' rows for 2025-Q1, one row each, with
// serials from base: family KK and NIK derive from the serial, so the same
// serial is the same family (and person) in another programme.
func recipients(n, base int, vil, program, status string, desil int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		serial := base + i
		nik := fmt.Sprintf("%s450785%04d", "320411", serial)
		kk := fmt.Sprintf("%s0101%06d", "320411", serial)
		nominal := "600000"
		komp := ""
		if program == "PKH" {
			nominal, komp = "225000", "SD"
		}
		fmt.Fprintf(&b, "R%s%s-%d,%s,%s,Nama,%s,%s,%s,2025-Q1,%s,2025-02-01,%s,BRI,%d,P,\n",
			program, status, serial, nik, kk, vil, program, komp, nominal, status, desil)
	}
	return b.String()
}

type realRow struct {
	kuota, salur, pagu, nominal sql.NullInt64
	pctKPM, pctPagu             sql.NullFloat64
	ditekan                     int
}

func realisasiRow(t *testing.T, db *sql.DB, rel int, program, kode string) (realRow, bool) {
	t.Helper()
	var r realRow
	err := db.QueryRow(`SELECT kuota_kpm, penerima_salur, persen_kpm, pagu, nominal_salur, persen_pagu, ditekan
		FROM realisasi WHERE release = ? AND periode = '2025-Q1' AND program = ? AND kode_wilayah = ?`, rel, program, kode).
		Scan(&r.kuota, &r.salur, &r.pctKPM, &r.pagu, &r.nominal, &r.pctPagu, &r.ditekan)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return r, true
}

type coverRow struct {
	keluarga, penerima sql.NullInt64
	pct                sql.NullFloat64
	ditekan            int
}

func cakupanRow(t *testing.T, db *sql.DB, rel int, program, kode string, desil int) (coverRow, bool) {
	t.Helper()
	var r coverRow
	err := db.QueryRow(`SELECT keluarga_dtsen, penerima, persen_cakupan, ditekan FROM cakupan_desil
		WHERE release = ? AND periode = '2025-Q1' AND program = ? AND kode_wilayah = ? AND desil = ?`, rel, program, kode, desil).
		Scan(&r.keluarga, &r.penerima, &r.pct, &r.ditekan)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return r, true
}

func n64(v int64) sql.NullInt64     { return sql.NullInt64{Int64: v, Valid: true} }
func f64(v float64) sql.NullFloat64 { return sql.NullFloat64{Float64: v, Valid: true} }
func (r realRow) String() string {
	type plain realRow // without the method: no recursion
	return fmt.Sprintf("%+v", plain(r))
}
func (r coverRow) String() string {
	type plain coverRow
	return fmt.Sprintf("%+v", plain(r))
}
func (e *testEnv) releases() (n int) {
	e.pub.R.QueryRow(`SELECT count(*) FROM release`).Scan(&n)
	return
}
func (e *testEnv) kuotaFile() string       { return e.write("kuota.csv", realisationKuota) }
func (e *testEnv) dtsenFile() string       { return e.write("dtsen.csv", realisationDTSEN) }
func listInput(p string) Input             { return Input{Path: p, Kind: ClassifyFile(p)} }
func distInput(e *testEnv, s string) Input { return Input{Path: e.write("q1.csv", header+s)} }

// The hand-computed example: regency 32.04 (districts 32.04.11 and
// 32.04.12) in 2025-Q1.
//   - PKH: 12 families of decile 1 paid (SALUR) and 3 whose payment failed
//     (GAGAL) in 32.04.11; 4 families of decile 5 paid.
//   - SEMBAKO: 8 families of decile 1 paid in 32.04.12, 5 of them the same
//     families as PKH serials 1–5.
//
// Targets: PKH nationally 20 KPM with pagu Rp5.000.000, and 0 KPM for
// 32.04 (no percentage, not a division by zero); SEMBAKO 10 KPM for the
// province 32, no pagu. DTSEN: 32.04 has 40 families in decile 1 and 100
// in decile 5; 32.01 has 10 in decile 1 and no recipient.
var (
	realisationRows = recipients(12, 1, vilA, "PKH", "SALUR", 1) + recipients(3, 20, vilA, "PKH", "GAGAL", 1) +
		recipients(4, 40, vilA, "PKH", "SALUR", 5) +
		recipients(5, 1, vilB, "SEMBAKO", "SALUR", 1) + recipients(3, 30, vilB, "SEMBAKO", "SALUR", 1)
	realisationKuota = "program,periode,kode_wilayah,kuota_kpm,pagu\n" +
		"PKH,2025-Q1,,20,5000000\nPKH,2025-Q1,32.04,0,\nSEMBAKO,2025-Q1,32,10,\n"
	realisationDTSEN = "kode_wilayah,desil,keluarga\n32.04,1,40\n32.04,5,100\n32.01,1,10\n"
)

func TestRealisationAndCoverageHandComputed(t *testing.T) {
	e := newTestEnv(t)
	e.k = 1 // no suppression: compare with the hand-computed values
	e.mustRun(listInput(e.kuotaFile()), listInput(e.dtsenFile()), distInput(e, realisationRows))
	db := e.pub.R

	realisasi := []struct {
		program, kode string
		want          realRow
	}{
		// 12 + 4 families paid (the 3 failed are not reached) of 20: 80 %;
		// 16 × Rp225.000 = Rp3.600.000 of Rp5.000.000: 72 %.
		{"PKH", "", realRow{kuota: n64(20), salur: n64(16), pctKPM: f64(80), pagu: n64(5_000_000), nominal: n64(3_600_000), pctPagu: f64(72)}},
		// No target for the province: its row is there, target empty.
		{"PKH", "32", realRow{salur: n64(16), nominal: n64(3_600_000)}},
		// A target of 0: shown, but no percentage.
		{"PKH", "32.04", realRow{kuota: n64(0), salur: n64(16), nominal: n64(3_600_000)}},
		{"SEMBAKO", "", realRow{salur: n64(8), nominal: n64(4_800_000)}},
		{"SEMBAKO", "32", realRow{kuota: n64(10), salur: n64(8), pctKPM: f64(80), nominal: n64(4_800_000)}},
		{"SEMBAKO", "32.04", realRow{salur: n64(8), nominal: n64(4_800_000)}},
	}
	for _, tt := range realisasi {
		got, ok := realisasiRow(t, db, 1, tt.program, tt.kode)
		if !ok || got != tt.want {
			t.Errorf("realisasi %s %q = %v (found %v), want %v", tt.program, tt.kode, got, ok, tt.want)
		}
	}
	if _, ok := realisasiRow(t, db, 1, "BLT", ""); ok {
		t.Error("a realisasi row for BLT, which has no target")
	}
	if _, ok := realisasiRow(t, db, 1, "PKH", "32.04.11"); ok {
		t.Error("a realisasi row below the regency")
	}

	cakupan := []struct {
		program, kode string
		desil         int
		want          coverRow
	}{
		// Recipients count whatever the status: 12 paid + 3 failed.
		{"PKH", "32", 1, coverRow{keluarga: n64(50), penerima: n64(15), pct: f64(30)}},
		{"PKH", "32", 5, coverRow{keluarga: n64(100), penerima: n64(4), pct: f64(4)}},
		{"SEMBAKO", "32", 1, coverRow{keluarga: n64(50), penerima: n64(8), pct: f64(16)}},
		// Any programme: 15 PKH families + 3 SEMBAKO-only ones.
		{"SEMUA", "32.04", 1, coverRow{keluarga: n64(40), penerima: n64(18), pct: f64(45)}},
		{"SEMUA", "32.04", 5, coverRow{keluarga: n64(100), penerima: n64(4), pct: f64(4)}},
		// Nobody reached in 32.01: 0 of 10.
		{"SEMUA", "32.01", 1, coverRow{keluarga: n64(10), penerima: n64(0), pct: f64(0)}},
		// The province and the nation add their regencies' DTSEN families.
		{"SEMUA", "32", 1, coverRow{keluarga: n64(50), penerima: n64(18), pct: f64(36)}},
		{"SEMUA", "", 1, coverRow{keluarga: n64(50), penerima: n64(18), pct: f64(36)}},
	}
	for _, tt := range cakupan {
		got, ok := cakupanRow(t, db, 1, tt.program, tt.kode, tt.desil)
		if !ok || got != tt.want {
			t.Errorf("cakupan-desil %s %q desil %d = %v (found %v), want %v", tt.program, tt.kode, tt.desil, got, ok, tt.want)
		}
	}
	if _, ok := cakupanRow(t, db, 1, "SEMUA", "32.04", 2); ok {
		t.Error("a row for a decile with neither DTSEN families nor recipients")
	}
	// Regencies show families reached by any programme, not each
	// programme's (docs/disclosure.md, "What is published less").
	if _, ok := cakupanRow(t, db, 1, "PKH", "32.04", 1); ok {
		t.Error("a programme's coverage row at regency level")
	}
	// The release records the lists it used.
	var lists int
	db.QueryRow(`SELECT count(*) FROM release_file WHERE release = 1 AND kind IN ('kuota', 'dtsen')`).Scan(&lists)
	if lists != 2 {
		t.Errorf("release 1 records %d reference lists, want 2", lists)
	}
}

func TestRealisationWithoutLists(t *testing.T) {
	e := newTestEnv(t)
	e.k = 1
	e.mustRun(distInput(e, realisationRows))
	var n int
	e.pub.R.QueryRow(`SELECT (SELECT count(*) FROM realisasi) + (SELECT count(*) FROM cakupan_desil)`).Scan(&n)
	if n != 0 {
		t.Errorf("%d realisation and coverage rows without any list, want none", n)
	}
}

// TestListsReplaceAndRefuse: a malformed list is refused with its line and
// the previous one stays in force; a new list alone makes a new release;
// releases keep the targets they were built with.
func TestListsReplaceAndRefuse(t *testing.T) {
	e := newTestEnv(t)
	e.k = 1
	e.mustRun(listInput(e.kuotaFile()), distInput(e, realisationRows))

	bad := e.write("kuota-2.csv", "program,periode,kode_wilayah,kuota_kpm,pagu\nPKH,2025-Q1,,25,\nPKH,2025-Q1,32,lima,\n")
	res, err := e.run(listInput(bad), Input{Path: e.write("q1b.csv", header+recipients(2, 60, vilA, "PKH", "SALUR", 1))})
	if !errors.Is(err, ErrRefused) {
		t.Fatalf("run with a malformed list: %v, want ErrRefused", err)
	}
	if f := res.Files[0]; !f.Refused || !strings.Contains(f.Reason, "kuota-2.csv line 3, field kuota_kpm") {
		t.Errorf("outcome %+v, want refused naming line 3 and kuota_kpm", f)
	}
	if r, _ := realisasiRow(t, e.pub.R, 2, "PKH", ""); r.kuota != n64(20) || r.salur != n64(18) {
		t.Errorf("release 2 PKH national = %v, want the old target 20 and 18 families reached", r)
	}

	// A new good list alone: a new release with the new target; the old
	// releases keep theirs.
	good := e.write("kuota-3.csv", "program,periode,kode_wilayah,kuota_kpm,pagu\nPKH,2025-Q1,,36,\n")
	res = e.mustRun(listInput(good))
	if res.Release != 3 {
		t.Fatalf("a new target list made release %d, want 3", res.Release)
	}
	if r, _ := realisasiRow(t, e.pub.R, 3, "PKH", ""); r.kuota != n64(36) || r.pctKPM != f64(50) || r.pagu.Valid {
		t.Errorf("release 3 PKH national = %v, want 18 of 36 (50 %%), no pagu", r)
	}
	if _, ok := realisasiRow(t, e.pub.R, 3, "SEMBAKO", "32"); ok {
		t.Error("the replaced list's SEMBAKO target is still in force")
	}
	if r, _ := realisasiRow(t, e.pub.R, 1, "PKH", ""); r.kuota != n64(20) {
		t.Errorf("release 1 changed: %v", r)
	}
	// An exclusion list alone still makes no release.
	e.mustRun(listInput(e.write("asn.csv", "nik\n3204110101900001\n")))
	if n := e.releases(); n != 3 {
		t.Errorf("%d releases after an ASN list alone, want 3", n)
	}
}

// TestRealisationDisclosure: a regency whose few reached families are
// withheld cannot be worked out from its province and siblings, and a
// realisation row follows its penyaluran cell (the same nominal_salur).
func TestRealisationDisclosure(t *testing.T) {
	e := newTestEnv(t)
	e.k = 10
	const vilC = "32.73.01.1001" // Kota Bandung
	rows := recipients(3, 1, vilA, "PKH", "SALUR", 1) + recipients(30, 100, vilC, "PKH", "SALUR", 1) +
		// 12 SEMBAKO families of which only 4 were paid: penyaluran
		// publishes the cell (12 ≥ k), realisasi must not (4 < k).
		recipients(4, 200, vilC, "SEMBAKO", "SALUR", 2) + recipients(8, 300, vilC, "SEMBAKO", "GAGAL", 2)
	kuota := e.write("kuota.csv", "program,periode,kode_wilayah,kuota_kpm,pagu\nPKH,2025-Q1,32.04,5,\nPKH,2025-Q1,32.73,40,\nSEMBAKO,2025-Q1,32.73,12,\n")
	e.mustRun(listInput(kuota), listInput(e.dtsenFile()), distInput(e, rows))
	db := e.pub.R
	small, _ := realisasiRow(t, db, 1, "PKH", "32.04")
	if small.ditekan != 1 || small.salur.Valid || small.kuota.Valid || small.pctKPM.Valid {
		t.Errorf("3 families reached in 32.04 published: %v", small)
	}
	big, _ := realisasiRow(t, db, 1, "PKH", "32.73")
	prov, _ := realisasiRow(t, db, 1, "PKH", "32")
	if big.ditekan == 0 && prov.ditekan == 0 {
		t.Error("32.04 = province − 32.73: one of them must be withheld too")
	}
	sembako, _ := realisasiRow(t, db, 1, "SEMBAKO", "32.73")
	if sembako.salur.Valid || sembako.pctKPM.Valid {
		t.Errorf("4 families reached published: %v", sembako)
	}
	// Coverage at regency level is across programmes: 3 families of
	// decile 1 in 32.04 are withheld, and so is what shows the decile's
	// families beside them.
	cov, _ := cakupanRow(t, db, 1, "SEMUA", "32.04", 1)
	if cov.ditekan != 1 || cov.penerima.Valid || cov.keluarga.Valid || cov.pct.Valid {
		t.Errorf("3 families reached in 32.04 published: %v", cov)
	}
}

// TestExclusionListShortRow: a short row of an exclusion list is ignored
// and counted, not read past its end.
func TestExclusionListShortRow(t *testing.T) {
	l, err := readList(context.Background(), ListASN, "asn.csv", strings.NewReader("no,nik\n1\n2,3204110101900001\n"),
		region.Default(), newPseudonymiser(datadir.Key{}))
	if err != nil || l.Ignored != 1 || l.Entries != 1 {
		t.Fatalf("list %+v, %v; want 1 entry and 1 ignored row", l, err)
	}
}

// TestInboxRecognisesLists: the inbox takes every list by its name.
func TestInboxRecognisesLists(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"asn-2025-10.csv", "Meninggal.csv.gz", "kuota-2025.csv", "DTSEN_2025.csv", "penyaluran-10.csv", "notes.txt", ".hidden.csv", "x.csv.part"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	in, err := CollectInbox(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]ListKind{}
	for _, f := range in {
		got[filepath.Base(f.Path)] = f.Kind
	}
	want := map[string]ListKind{"asn-2025-10.csv": ListASN, "Meninggal.csv.gz": ListDeceased, "kuota-2025.csv": ListKuota,
		"DTSEN_2025.csv": ListDTSEN, "penyaluran-10.csv": ""}
	if !maps.Equal(got, want) {
		t.Errorf("inbox = %v, want %v", got, want)
	}
}

// FuzzReadLists feeds arbitrary bytes to the target and DTSEN readers:
// they either load a list whose every entry is in range or refuse it with
// an error naming the file.
func FuzzReadLists(f *testing.F) {
	f.Add([]byte(realisationKuota))
	f.Add([]byte(realisationDTSEN))
	f.Add([]byte("program,periode,kode_wilayah,kuota_kpm\nPKH,2025-q1,3204,0\n"))
	f.Add([]byte("kode_wilayah,desil,keluarga\n\"32.04\",10,\"5\"\n"))
	regions := region.Default()
	f.Fuzz(func(t *testing.T, b []byte) {
		ctx := context.Background()
		tg, _, err := readTargets(ctx, "kuota.csv", bytes.NewReader(b), regions)
		if err != nil && !strings.HasPrefix(err.Error(), "kuota.csv") {
			t.Fatalf("error without the file name: %v", err)
		}
		for k, v := range tg {
			if v.KPM < 0 || v.KPM > maxTargetKPM || v.Pagu < 0 || k.Geo > Kabupaten {
				t.Fatalf("target out of range: %+v %+v", k, v)
			}
		}
		d, _, err := readDTSEN(ctx, "dtsen.csv", bytes.NewReader(b), regions)
		if err != nil && !strings.HasPrefix(err.Error(), "dtsen.csv") {
			t.Fatalf("error without the file name: %v", err)
		}
		for r := range d {
			for dec := 1; dec <= 10; dec++ {
				if d.Families(r, dec) < 0 {
					t.Fatal("negative families")
				}
			}
		}
	})
}
