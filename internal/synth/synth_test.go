package synth

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/portal-data-bansos/portal/internal/region"
)

// generated caches Generate's output per (rows, seed): several tests read
// the same files.
var generated sync.Map

type genResult struct {
	dir string
	sum Summary
	err error
}

func generate(t testing.TB, rows int, seed uint64) (string, Summary) {
	t.Helper()
	key := [2]uint64{uint64(rows), seed}
	if v, ok := generated.Load(key); ok {
		r := v.(genResult)
		return r.dir, r.sum
	}
	dir, err := os.MkdirTemp("", "synth")
	if err != nil {
		t.Fatal(err)
	}
	sum, err := Generate(context.Background(), dir, Options{Rows: rows, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	generated.Store(key, genResult{dir, sum, err})
	return dir, sum
}

func TestMain(m *testing.M) {
	code := m.Run()
	generated.Range(func(_, v any) bool { os.RemoveAll(v.(genResult).dir); return true })
	os.Exit(code)
}

// readCSV reads a whole CSV file the way the input contract allows it:
// BOM, quoted fields over lines, bare quotes in unquoted fields, rows of
// any length.
func readCSV(t testing.TB, path string) (header []string, rows [][]string, lines []int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	header, err = cr.Read()
	if err != nil {
		t.Fatal(err)
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		line, _ := cr.FieldPos(0)
		rows = append(rows, rec)
		lines = append(lines, line)
	}
	return header, rows, lines
}

func TestGenerateSameSeedSameBytes(t *testing.T) {
	dirA, _ := generate(t, 3000, 7)
	dirB := t.TempDir()
	if _, err := Generate(context.Background(), dirB, Options{Rows: 3000, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	dirC := t.TempDir()
	if _, err := Generate(context.Background(), dirC, Options{Rows: 3000, Seed: 8}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{DistributionFile, ASNFile, DeceasedFile, KuotaFile, DTSENFile} {
		a, _ := os.ReadFile(filepath.Join(dirA, name))
		b, _ := os.ReadFile(filepath.Join(dirB, name))
		c, _ := os.ReadFile(filepath.Join(dirC, name))
		if !bytes.Equal(a, b) {
			t.Errorf("%s: same seed, different bytes", name)
		}
		if bytes.Equal(a, c) {
			t.Errorf("%s: different seeds, same bytes", name)
		}
	}
}

func TestGenerateExactRowCount(t *testing.T) {
	for _, rows := range []int{1, 2, 7, 99, 999, 1000, 5000, 20_001} {
		dir := t.TempDir()
		sum, err := Generate(context.Background(), dir, Options{Rows: rows, Seed: uint64(rows)})
		if err != nil {
			t.Fatal(err)
		}
		_, recs, _ := readCSV(t, filepath.Join(dir, DistributionFile))
		if len(recs) != rows || sum.Rows != rows || sum.Expected.Rows != rows {
			t.Errorf("Rows %d: file has %d data rows, Summary.Rows %d, Expected.Rows %d", rows, len(recs), sum.Rows, sum.Expected.Rows)
		}
		x := sum.Expected
		if got := x.Accepted + total(x.Rejected) + total(x.Quarantined) + x.Replayed; got != rows {
			t.Errorf("Rows %d: accepted+rejected+quarantined+replayed = %d", rows, got)
		}
	}
}

func TestGenerateHeader(t *testing.T) {
	dir, _ := generate(t, 5000, 1)
	b, err := os.ReadFile(filepath.Join(dir, DistributionFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Error("no UTF-8 BOM")
	}
	header, _, _ := readCSV(t, filepath.Join(dir, DistributionFile))
	have := map[string]bool{}
	for _, h := range header {
		have[strings.ToLower(strings.TrimSpace(h))] = true
	}
	for _, c := range []string{"id_transaksi", "nik", "no_kk", "nama", "kode_wilayah", "program", "periode",
		"nominal", "status", "penyalur", "komponen", "tanggal_salur", "desil", "jenis_kelamin", "tanggal_lahir"} {
		if !have[c] {
			t.Errorf("header lacks %s: %v", c, header)
		}
	}
	if !have["keterangan"] {
		t.Error("header lacks the extra column")
	}
	if strings.Join(header, ",") == "id_transaksi,nik,no_kk,nama,kode_wilayah,program,komponen,periode,nominal,tanggal_salur,status,penyalur,desil,jenis_kelamin,tanggal_lahir" {
		t.Error("header is in the canonical order")
	}
}

// TestGenerateExpected checks Summary.Expected against an independent
// reading of docs/input.md §3 (the oracle below), and that every valid
// row's village exists.
func TestGenerateExpected(t *testing.T) {
	for _, tc := range []struct {
		rows int
		seed uint64
	}{{5000, 1}, {60_000, 2}} {
		dir, sum := generate(t, tc.rows, tc.seed)
		got := runOracle(t, dir).Expected
		want := sum.Expected
		if got.Rows != want.Rows || got.Accepted != want.Accepted || got.Replayed != want.Replayed ||
			got.Moved != want.Moved || got.Recipients != want.Recipients || got.NominalSalur != want.NominalSalur {
			t.Errorf("rows %d: oracle %+v\nsummary %+v", tc.rows, got, want)
		}
		for k, v := range want.Rejected {
			if got.Rejected[k] != v {
				t.Errorf("rows %d: rejected %s: oracle %d, summary %d", tc.rows, k, got.Rejected[k], v)
			}
		}
		for k, v := range want.Quarantined {
			if got.Quarantined[k] != v {
				t.Errorf("rows %d: quarantined %s: oracle %d, summary %d", tc.rows, k, got.Quarantined[k], v)
			}
		}
		for k := range got.Quarantined {
			if _, ok := want.Quarantined[k]; !ok {
				t.Errorf("rows %d: oracle quarantines for %s, which the summary lacks", tc.rows, k)
			}
		}
		// Only the rows made malformed on purpose fail; in particular every
		// other row's village exists in region.Default().
		for _, r := range QuarantineReasons {
			if got.Quarantined[r] != sum.Injected.Malformed[r] {
				t.Errorf("rows %d: %d rows quarantined as %s, %d injected", tc.rows, got.Quarantined[r], r, sum.Injected.Malformed[r])
			}
		}
		if tc.rows == 5000 {
			// Every reason of spec §3 at least once, as the oracle sees it.
			for _, r := range append(QuarantineReasons[:], ConflictingDuplicateID) {
				if got.Quarantined[r] == 0 {
					t.Errorf("no row quarantined as %s", r)
				}
			}
			for _, r := range []string{RejectASN, RejectDeceased, RejectDouble} {
				if got.Rejected[r] == 0 {
					t.Errorf("no row rejected as %s", r)
				}
			}
			if got.Replayed == 0 || got.Moved == 0 {
				t.Errorf("no replayed or moved rows: %+v", got)
			}
			inj := sum.Injected
			if inj.BlankLines == 0 || inj.CRLFLines == 0 || inj.MultilineRows == 0 || inj.ListMalformed == 0 || inj.DeceasedTwice == 0 {
				t.Errorf("a quirk is missing: %+v", inj)
			}
		}
	}
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func TestGenerateRates(t *testing.T) {
	_, sum := generate(t, 60_000, 2)
	rows := float64(sum.Rows)
	x, inj := sum.Expected, sum.Injected
	check := func(name string, got, lo, hi float64) {
		t.Helper()
		if got < lo || got > hi {
			t.Errorf("%s = %.4f, want %.4f–%.4f", name, got, lo, hi)
		}
	}
	check("accepted share", float64(x.Accepted)/rows, 0.98, 0.999)
	check("malformed share", float64(total(inj.Malformed))/rows, 0.0025, 0.0045)
	check("double share", float64(inj.Doubles)/rows, 0.0008, 0.0012)
	check("GAGAL+RETUR share", float64(inj.Gagal+inj.Retur)/rows, 0.008, 0.025)
	check("moved families", float64(inj.MovedFamilies)/float64(sum.Families), 0.02, 0.05)
	check("rows per family", rows/float64(sum.Families), 7, 12)
}

func TestGenerateLists(t *testing.T) {
	dir, sum := generate(t, 5000, 1)
	tab := region.Default()

	header, asn, _ := readCSV(t, filepath.Join(dir, ASNFile))
	col := indexOf(header, "nik")
	if col < 0 || len(asn) != sum.ASNRows {
		t.Fatalf("asn.csv: header %v, %d rows, summary %d", header, len(asn), sum.ASNRows)
	}
	bad := 0
	for _, r := range asn {
		if !validNIK(tab, r[col]) {
			bad++
		}
	}
	header, dead, _ := readCSV(t, filepath.Join(dir, DeceasedFile))
	if strings.Join(header, ",") != DeceasedHeader || len(dead) != sum.DeceasedRows {
		t.Fatalf("meninggal.csv: header %v, %d rows", header, len(dead))
	}
	for _, r := range dead {
		if !validNIK(tab, r[0]) || !validDate(r[1]) {
			bad++
		}
	}
	if bad != sum.Injected.ListMalformed || bad == 0 {
		t.Errorf("%d malformed list rows, summary says %d", bad, sum.Injected.ListMalformed)
	}
}

func indexOf(header []string, name string) int {
	for i, h := range header {
		if strings.EqualFold(strings.TrimSpace(h), name) {
			return i
		}
	}
	return -1
}

func TestGenerateKuotaDTSEN(t *testing.T) {
	dir, sum := generate(t, 60_000, 2)
	tab := region.Default()
	header, kuota, _ := readCSV(t, filepath.Join(dir, KuotaFile))
	if strings.Join(header, ",") != KuotaHeader || len(kuota) != sum.KuotaRows || len(kuota) == 0 {
		t.Fatalf("kuota.csv: header %v, %d rows", header, len(kuota))
	}
	progs := map[string]bool{"PKH": true, "SEMBAKO": true, "BLT": true, "PBI_JK": true, "ATENSI": true, "PENA": true}
	national := map[string]int64{}
	levels := map[region.Level]int{}
	pagu := 0
	for i, r := range kuota {
		if len(r) != 5 || !progs[r[0]] || !validPeriod(r[1]) || !strings.Contains(r[1], "-Q") {
			t.Fatalf("kuota row %d: %v", i+2, r)
		}
		if r[2] == "" {
			n, _ := strconv.ParseInt(r[3], 10, 64)
			national[r[0]+" "+r[1]] = n
		} else {
			reg, ok := tab.Lookup(r[2])
			if !ok || reg.Code != r[2] || reg.Level > region.Regency {
				t.Fatalf("kuota row %d: %q is not a province or regency", i+2, r[2])
			}
			levels[reg.Level]++
		}
		if n, err := strconv.ParseInt(r[3], 10, 64); err != nil || n <= 0 {
			t.Fatalf("kuota row %d: kuota_kpm %q", i+2, r[3])
		}
		if r[4] != "" {
			if n, err := strconv.ParseInt(r[4], 10, 64); err != nil || n <= 0 {
				t.Fatalf("kuota row %d: pagu %q", i+2, r[4])
			}
			pagu++
		}
	}
	if levels[region.Province] == 0 || levels[region.Regency] == 0 || pagu == 0 || pagu == len(kuota) {
		t.Errorf("kuota: levels %v, %d of %d rows with pagu", levels, pagu, len(kuota))
	}
	// National realisation near, mostly below, 100 %.
	o := runOracle(t, dir)
	salur := o.salur
	for key, k := range national {
		if k < 100 {
			continue // ATENSI and PENA: too few for a percentage
		}
		if pct := 100 * float64(len(salur[key])) / float64(k); pct < 85 || pct > 100 {
			t.Errorf("%s: realisation %.1f %% of kuota %d", key, pct, k)
		}
	}
	if national["PKH 2025-Q1"] == 0 || national["SEMBAKO 2025-Q1"] == 0 || national["PBI_JK 2025-Q1"] == 0 {
		t.Errorf("national targets missing: %v", national)
	}
	if r := float64(national["SEMBAKO 2025-Q1"]) / float64(national["PKH 2025-Q1"]); r < 1.5 || r > 2.2 {
		t.Errorf("SEMBAKO/PKH targets %.2f, the 2025 targets are 1.83", r)
	}

	header, dtsen, _ := readCSV(t, filepath.Join(dir, DTSENFile))
	if strings.Join(header, ",") != DTSENHeader || len(dtsen) != 10*tab.Count(region.Regency) {
		t.Fatalf("dtsen.csv: header %v, %d rows", header, len(dtsen))
	}
	var byDecile [11]int64
	for i, r := range dtsen {
		reg, ok := tab.Lookup(r[0])
		d, err1 := strconv.Atoi(r[1])
		n, err2 := strconv.ParseInt(r[2], 10, 64)
		if !ok || reg.Level != region.Regency || err1 != nil || d < 1 || d > 10 || err2 != nil || n <= 0 {
			t.Fatalf("dtsen row %d: %v", i+2, r)
		}
		byDecile[d] += n
	}
	// Recipients of deciles 1–4 over DTSEN families: a visible gap.
	var rec, all int64
	for d := 1; d <= 4; d++ {
		rec += int64(len(o.decile[d]))
		all += byDecile[d]
	}
	if cov := float64(rec) / float64(all); cov < 0.6 || cov > 0.8 {
		t.Errorf("coverage of deciles 1–4: %.2f", cov)
	}
}

func TestFallbackKind(t *testing.T) {
	if QuarantineReasons[kindBadAmount-kindMalformed] != "BAD_AMOUNT" {
		t.Error("kindBadAmount is not BAD_AMOUNT")
	}
}

// TestGenerateConcentration: in the populous provinces the district cells
// are mostly publishable (≥ 10 PKH families a quarter); remote provinces
// have small ones.
func TestGenerateConcentration(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 400,000 rows")
	}
	dir, _ := generate(t, 400_000, 3)
	hd, rows, _ := readCSV(t, filepath.Join(dir, DistributionFile))
	c := columns(hd)
	type cell struct{ dist, q string }
	fams := map[cell]map[string]bool{}
	for _, r := range rows {
		if len(r) != len(hd) || strings.ToUpper(strings.TrimSpace(r[c["program"]])) != "PKH" {
			continue
		}
		k := strings.ReplaceAll(strings.TrimSpace(r[c["kode_wilayah"]]), ".", "")
		if len(k) != 10 {
			continue
		}
		p := strings.ToUpper(strings.TrimSpace(r[c["periode"]]))
		key := cell{k[:6], p}
		if fams[key] == nil {
			fams[key] = map[string]bool{}
		}
		fams[key][r[c["no_kk"]]] = true
	}
	big, bigOK, remote, remoteSmall := 0, 0, 0, 0
	for k, v := range fams {
		switch k.dist[:2] {
		case "32", "33", "35":
			big++
			if len(v) >= 10 {
				bigOK++
			}
		case "91", "92", "93", "94", "95", "96", "81", "82", "65":
			remote++
			if len(v) < 10 {
				remoteSmall++
			}
		}
	}
	if share := float64(bigOK) / float64(big); share < 0.7 {
		t.Errorf("Jawa: %d of %d district×quarter PKH cells have ≥ 10 families (%.0f %%)", bigOK, big, 100*share)
	}
	if remoteSmall == 0 {
		t.Errorf("remote provinces: no small district cells among %d", remote)
	}
	t.Logf("Jawa: %d/%d cells ≥ 10; remote: %d/%d cells < 10", bigOK, big, remoteSmall, remote)
}

func TestGenerateCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	if _, err := Generate(ctx, dir, Options{Rows: 50_000}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("left files behind: %v", entries)
	}
}

func TestGenerateOptions(t *testing.T) {
	for _, opt := range []Options{{Rows: 0}, {Rows: -1}, {Rows: 10, Year: 1999}} {
		if _, err := Generate(context.Background(), t.TempDir(), opt); err == nil {
			t.Errorf("%+v: no error", opt)
		}
	}
	dir := t.TempDir()
	if _, err := Generate(context.Background(), dir, Options{Rows: 2000, Year: 2026}); err != nil {
		t.Fatal(err)
	}
	_, rows, _ := readCSV(t, filepath.Join(dir, DistributionFile))
	if !strings.HasPrefix(rows[0][colPeriode], "2026-") {
		t.Errorf("Year 2026: periode %q", rows[0][colPeriode])
	}
}

func BenchmarkGenerate(b *testing.B) {
	const rows = 1_000_000
	dir := b.TempDir()
	for b.Loop() {
		if _, err := Generate(context.Background(), dir, Options{Rows: rows, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
