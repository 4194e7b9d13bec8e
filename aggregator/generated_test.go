package aggregator

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/internal/synth"
)

func generate(t *testing.T, rows int, seed uint64) (string, synth.Summary) {
	t.Helper()
	dir := t.TempDir()
	sum, err := synth.Generate(context.Background(), dir, synth.Options{Rows: rows, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return dir, sum
}

func generatedInputs(dir string) []Input {
	return []Input{
		{Path: filepath.Join(dir, synth.ASNFile), Kind: ListASN},
		{Path: filepath.Join(dir, synth.DeceasedFile), Kind: ListDeceased},
		{Path: filepath.Join(dir, synth.KuotaFile), Kind: ListKuota},
		{Path: filepath.Join(dir, synth.DTSENFile), Kind: ListDTSEN},
		{Path: filepath.Join(dir, synth.DistributionFile)},
	}
}

// TestGeneratedFileMatchesExpectations runs the aggregator on a generated
// file whose every injected problem is known, and checks the run report
// against the generator's expectation, reason by reason.
func TestGeneratedFileMatchesExpectations(t *testing.T) {
	dir, sum := generate(t, 30000, 7)
	e := newTestEnv(t)
	e.k = 1 // no suppression, so the published totals can be compared
	res := e.mustRun(generatedInputs(dir)...)
	r, want := res.Report, sum.Expected
	if r.Rows != int64(want.Rows) || r.Accepted != int64(want.Accepted) || r.Replayed != int64(want.Replayed) ||
		r.Moved != int64(want.Moved) || r.Recipients != int64(want.Recipients) || r.NominalSalur != want.NominalSalur {
		t.Errorf("report %+v\nwant %+v", r, want)
	}
	for k, n := range want.Rejected {
		if r.Rejected[k] != int64(n) {
			t.Errorf("rejected %s: %d, want %d", k, r.Rejected[k], n)
		}
	}
	for k, n := range want.Quarantined {
		if r.Quarantined[k] != int64(n) {
			t.Errorf("quarantined %s: %d, want %d", k, r.Quarantined[k], n)
		}
		if n == 0 {
			t.Errorf("the generator injected no %s", k)
		}
	}
	// Every quarantined row is kept for the steward with its line.
	var kept int64
	if err := e.priv.R.QueryRow(`SELECT count(*) FROM quarantine`).Scan(&kept); err != nil {
		t.Fatal(err)
	}
	var q int64
	for _, n := range r.Quarantined {
		q += n
	}
	if kept != q {
		t.Errorf("quarantine holds %d rows, report says %d", kept, q)
	}
	// Published totals agree with the report.
	var salur int64
	if err := e.pub.R.QueryRow(`SELECT coalesce(sum(nominal_salur), 0) FROM penyaluran WHERE release = 1 AND tingkat = 'nasional' AND komponen = ''`).Scan(&salur); err != nil {
		t.Fatal(err)
	}
	if salur != r.NominalSalur {
		t.Errorf("national nominal_salur %d, report %d", salur, r.NominalSalur)
	}
	// The quality table counts what the report counts.
	var moved, replayed int64
	e.pub.R.QueryRow(`SELECT coalesce(sum(jumlah), 0) FROM kualitas_data WHERE release = 1 AND alasan = 'MOVED'`).Scan(&moved)
	e.pub.R.QueryRow(`SELECT coalesce(sum(jumlah), 0) FROM kualitas_data WHERE release = 1 AND alasan = 'REPLAYED'`).Scan(&replayed)
	if moved != r.Moved || replayed != r.Replayed {
		t.Errorf("kualitas-data MOVED %d REPLAYED %d; report %d %d", moved, replayed, r.Moved, r.Replayed)
	}
}

// TestReleasesAreCumulative splits a generated file in two and checks that
// ingesting the halves in two runs gives the same statistics as one run.
// At k = 1: what is withheld depends on the releases before (their
// differences are protected too; internal/attack's TestOutsiderAttack checks that).
func TestReleasesAreCumulative(t *testing.T) {
	dir, _ := generate(t, 20000, 3)
	body, err := os.ReadFile(filepath.Join(dir, synth.DistributionFile))
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(body, []byte("\n"))
	// Split at a line end outside quotes: generated names may hold line
	// breaks only inside quotes, so find a boundary where a CSV parse of
	// the first half ends cleanly.
	half := len(lines) / 2
	for ; half < len(lines); half++ {
		r := csv.NewReader(bytes.NewReader(bytes.Join(lines[:half], nil)))
		r.FieldsPerRecord, r.LazyQuotes = -1, true
		if _, err := r.ReadAll(); err == nil && !bytes.HasPrefix(lines[half], []byte(" ")) {
			break
		}
	}
	first := bytes.Join(lines[:half], nil)
	second := append(append([]byte{}, lines[0]...), bytes.Join(lines[half:], nil)...)
	lists := generatedInputs(dir)[:4] // the four lists, without the distribution file

	one := newTestEnv(t)
	one.k = 1
	one.mustRun(generatedInputs(dir)...)

	two := newTestEnv(t)
	two.k = 1
	two.mustRun(append(lists, Input{Path: two.write("a.csv", string(first))})...)
	two.mustRun(Input{Path: two.write("b.csv", string(second))})
	a, b := tableDump(t, one.pub.R, 1), tableDump(t, two.pub.R, 2)
	if a != b {
		t.Errorf("two runs differ from one run: %d vs %d bytes of dump", len(a), len(b))
	}
}

// TestNoPersonalDataPublished generates data, runs the aggregator and
// searches every byte of published.db for every NIK, KK number, name and
// transaction id of the input.
func TestNoPersonalDataPublished(t *testing.T) {
	dir, _ := generate(t, 5000, 11)
	e := newTestEnv(t)
	e.k = 10
	e.mustRun(generatedInputs(dir)...)
	f, err := os.Open(filepath.Join(dir, synth.DistributionFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord, r.LazyQuotes = -1, true
	hdr, _ := r.Read()
	idx := map[string]int{}
	for i, h := range hdr {
		idx[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	secrets := map[string]bool{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			continue
		}
		for _, col := range []string{"nik", "no_kk", "nama", "id_transaksi"} {
			if i, ok := idx[col]; ok && i < len(rec) {
				if v := strings.TrimSpace(rec[i]); len(v) >= 6 {
					secrets[v] = true
				}
			}
		}
	}
	e.pub.Close()
	db, err := os.ReadFile(filepath.Join(e.dir, "published.db"))
	if err != nil {
		t.Fatal(err)
	}
	if wal, err := os.ReadFile(filepath.Join(e.dir, "published.db-wal")); err == nil {
		db = append(db, wal...)
	}
	found := 0
	for s := range secrets {
		if bytes.Contains(db, []byte(s)) {
			found++
			if found < 5 {
				t.Errorf("published.db contains input value %q", s)
			}
		}
	}
	if len(secrets) < 1000 {
		t.Fatalf("only %d values checked", len(secrets))
	}
	if found > 0 {
		t.Errorf("%d of %d personal values found in published.db", found, len(secrets))
	}
}

// TestQuartersComeOutWhole: monthly files of a quarter delivered while it
// runs are not published month by month; the quarter comes out once it
// is due, exactly as if all its files had come at once.
func TestQuartersComeOutWhole(t *testing.T) {
	dir, _ := generate(t, 6000, 5)
	// March's records in the second file.
	parts := [2]string{filepath.Join(t.TempDir(), "jan-feb.csv"), filepath.Join(t.TempDir(), "mar.csv")}
	if err := synth.SplitRecords(filepath.Join(dir, synth.DistributionFile), parts, func(_ int, p string) bool { return p == "2025-03" }); err != nil {
		t.Fatal(err)
	}
	lists := generatedInputs(dir)[:4]
	inMarch := func() time.Time { return time.Date(2025, 3, 20, 9, 0, 0, 0, time.UTC) }
	inMay := func() time.Time { return time.Date(2025, 5, 5, 9, 0, 0, 0, time.UTC) }

	two := newTestEnv(t)
	two.k, two.publishAfter = 1, 30
	two.now = inMarch
	two.mustRun(append(lists, Input{Path: parts[0]})...)
	var n int
	if err := two.pub.R.QueryRow(`SELECT count(*) FROM penyaluran WHERE release = 1`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("release 1, in March, publishes %d rows (%v): the quarters are still open", n, err)
	}
	two.now = inMay
	two.mustRun(Input{Path: parts[1]})

	one := newTestEnv(t)
	one.k, one.publishAfter, one.now = 1, 30, inMay
	one.mustRun(generatedInputs(dir)...)
	a, b := tableDump(t, one.pub.R, 1), tableDump(t, two.pub.R, 2)
	if a != b {
		t.Errorf("a quarter delivered month by month differs from one delivered at once: %d vs %d bytes of dump", len(a), len(b))
	}
	var periods, disc string
	if err := two.pub.R.QueryRow(`SELECT group_concat(DISTINCT periode), (SELECT disclosure FROM release WHERE number = 2)
		FROM penyaluran WHERE release = 2`).Scan(&periods, &disc); err != nil {
		t.Fatal(err)
	}
	if periods != "2025-Q1" || !strings.Contains(disc, `"quarters_pending":["2025-Q2","2025-Q3","2025-Q4"]`) {
		t.Errorf("release 2 publishes %s; report %s", periods, disc)
	}
}

// TestMonthlyRunsMatchOneRun: a year delivered as twelve monthly files,
// one run each, ends in the same release and the same row accounting as
// one run over the same files in the same order. Each run reads earlier
// runs' transactions and receipts from disk, a part at a time (README,
// "A national year"), so replays and double receipts across months are
// judged from private.db, not from memory.
func TestMonthlyRunsMatchOneRun(t *testing.T) {
	dir, sum := generate(t, 8000, 21)
	months, err := synth.SplitMonthly(filepath.Join(dir, synth.DistributionFile), t.TempDir(), "penyaluran")
	if err != nil {
		t.Fatal(err)
	}
	if len(months) != 12 {
		t.Fatalf("%d monthly files", len(months))
	}
	// Each month also re-delivers the first records of the month before,
	// as a corrected export would: replays (and conflicts) of rows that
	// only private.db remembers.
	deliveries := [][]string{{months[0]}}
	for i := 1; i < len(months); i++ {
		again := filepath.Join(t.TempDir(), "again.csv")
		if err := synth.SplitRecords(months[i-1], [2]string{again, filepath.Join(t.TempDir(), "rest.csv")},
			func(j int, _ string) bool { return j >= 40 }); err != nil {
			t.Fatal(err)
		}
		deliveries = append(deliveries, []string{again, months[i]})
	}
	lists := generatedInputs(dir)[:4]
	during := func() time.Time { return time.Date(2025, 1, 5, 9, 0, 0, 0, time.UTC) } // nothing due yet
	after := func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) }  // every quarter due

	monthly := newTestEnv(t)
	monthly.k, monthly.publishAfter = 1, 30
	var got release.Report
	for i, files := range deliveries {
		var in []Input
		for _, f := range files {
			in = append(in, Input{Path: f})
		}
		if i == 0 {
			in = append(lists, in...)
		}
		monthly.now = during
		if i == len(months)-1 {
			monthly.now = after
		}
		r := monthly.mustRun(in...).Report
		got.Rows += r.Rows
		got.Accepted += r.Accepted
		got.Replayed += r.Replayed
		for k, n := range r.Rejected {
			if got.Rejected == nil {
				got.Rejected = map[string]int64{}
			}
			got.Rejected[k] += n
		}
	}

	once := newTestEnv(t)
	once.k, once.publishAfter, once.now = 1, 30, after
	in := lists
	for _, files := range deliveries {
		for _, f := range files {
			in = append(in, Input{Path: f})
		}
	}
	want := once.mustRun(in...).Report
	if got.Rows != want.Rows || got.Accepted != want.Accepted || got.Replayed != want.Replayed || want.Replayed < int64(sum.Expected.Replayed+400) {
		t.Errorf("twelve runs: rows %d accepted %d replayed %d; one run: %d %d %d; generated replays %d, 440 re-delivered",
			got.Rows, got.Accepted, got.Replayed, want.Rows, want.Accepted, want.Replayed, sum.Expected.Replayed)
	}
	for k, n := range want.Rejected {
		if got.Rejected[k] != n {
			t.Errorf("rejected %s: twelve runs %d, one run %d", k, got.Rejected[k], n)
		}
	}
	if want.Rejected["DOUBLE"] == 0 || want.Replayed == 0 {
		t.Errorf("the year holds no DOUBLE (%d) or replay (%d): the test proves nothing", want.Rejected["DOUBLE"], want.Replayed)
	}
	if a, b := tableDump(t, once.pub.R, 1), tableDump(t, monthly.pub.R, len(deliveries)); a != b {
		t.Errorf("twelve monthly runs publish another release than one run: %d vs %d bytes of dump", len(b), len(a))
	}
}
