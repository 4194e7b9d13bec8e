package aggregator

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/portal-data-bansos/portal/internal/datadir"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/store"
)

// testEnv is a data folder with real stores and a key.
type testEnv struct {
	t    *testing.T
	dir  string
	pub  *store.DB
	priv *store.DB
	key  datadir.Key
	k    int
	// now and publishAfter, when set, are the runs' clock and
	// Options.PublishAfterDays.
	now          func() time.Time
	publishAfter int
	retain       int // Options.RetainQuarters
	gcPercent    int // Options.GCPercent
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	pub, err := store.Open(ctx, dir, store.Published, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	priv, err := store.Open(ctx, dir, store.Private, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pub.Close(); priv.Close() })
	key, err := datadir.LoadOrCreateKey(filepath.Join(dir, "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	return &testEnv{t: t, dir: dir, pub: pub, priv: priv, key: key, k: 3}
}

func (e *testEnv) write(name, content string) string {
	e.t.Helper()
	p := filepath.Join(e.dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		e.t.Fatal(err)
	}
	return p
}

func (e *testEnv) run(inputs ...Input) (*Result, error) {
	e.t.Helper()
	return Run(context.Background(), Options{
		Published: e.pub, Private: e.priv, Regions: region.Default(), Key: e.key, K: e.k, Workers: 2,
		Now: e.now, PublishAfterDays: e.publishAfter, RetainQuarters: e.retain, GCPercent: e.gcPercent,
	}, inputs)
}

func (e *testEnv) mustRun(inputs ...Input) *Result {
	e.t.Helper()
	res, err := e.run(inputs...)
	if err != nil {
		e.t.Fatalf("run: %v", err)
	}
	checkConservation(e.t, res)
	return res
}

func checkConservation(t *testing.T, res *Result) {
	t.Helper()
	r := res.Report
	var rej, q int64
	for _, n := range r.Rejected {
		rej += n
	}
	for _, n := range r.Quarantined {
		q += n
	}
	if r.Rows != r.Accepted+rej+q+r.Replayed {
		t.Errorf("conservation broken: rows %d != accepted %d + rejected %d + quarantined %d + replayed %d",
			r.Rows, r.Accepted, rej, q, r.Replayed)
	}
}

const header = "id_transaksi,nik,no_kk,nama,kode_wilayah,program,komponen,periode,nominal,tanggal_salur,status,penyalur,desil,jenis_kelamin,tanggal_lahir\n"

// Valid identities in Kabupaten Bandung (32.04): a woman born 5 July 1985
// and a man born 12 March 1970.
const (
	nikA = "3204114507850001"
	nikB = "3204111203700002"
	kkA  = "3204110101100001"
	kkB  = "3204110101100002"
	vil  = "32.04.11.2001"
)

func row(id, nik, kk, program, komponen, periode, nominal, tanggal, status string) string {
	return strings.Join([]string{id, nik, kk, "Nama Uji", vil, program, komponen, periode, nominal, tanggal, status, "BRI", "2", "", ""}, ",") + "\n"
}

func TestMatchingRules(t *testing.T) {
	for _, tc := range []struct {
		name     string
		asn      string
		deceased string
		rows     string
		want     map[string]int64 // rejected by reason
		accepted int64
	}{
		{name: "plain rows accepted",
			rows:     row("T1", nikA, kkA, "SEMBAKO", "", "2025-01", "200000", "2025-01-10", "SALUR") + row("T2", nikB, kkB, "SEMBAKO", "", "2025-01", "200000", "2025-01-10", "SALUR"),
			accepted: 2},
		{name: "ASN rejected",
			asn:  "nik\n" + nikA + "\n",
			rows: row("T1", nikA, kkA, "PKH", "SD", "2025-Q1", "225000", "2025-02-01", "SALUR"),
			want: map[string]int64{"ASN": 1}},
		{name: "deceased before the period start rejected",
			deceased: "nik,tanggal_meninggal\n" + nikA + ",2025-03-31\n",
			rows:     row("T1", nikA, kkA, "SEMBAKO", "", "2025-04", "200000", "2025-04-10", "SALUR"),
			want:     map[string]int64{"DECEASED": 1}},
		{name: "death on the first day of the period is not before",
			deceased: "nik,tanggal_meninggal\n" + nikA + ",2025-04-01\n",
			rows:     row("T1", nikA, kkA, "SEMBAKO", "", "2025-04", "200000", "2025-04-10", "SALUR"),
			accepted: 1},
		{name: "death after the period start not rejected",
			deceased: "nik,tanggal_meninggal\n" + nikA + ",2025-05-20\n",
			rows:     row("T1", nikA, kkA, "PKH", "SD", "2025-Q2", "225000", "2025-06-01", "SALUR"),
			accepted: 1},
		{name: "quarter period starts on the quarter's first day",
			deceased: "nik,tanggal_meninggal\n" + nikA + ",2025-03-31\n",
			rows:     row("T1", nikA, kkA, "PKH", "SD", "2025-Q2", "225000", "2025-06-01", "SALUR"),
			want:     map[string]int64{"DECEASED": 1}},
		{name: "deceased listed twice keeps the earliest date",
			deceased: "nik,tanggal_meninggal\n" + nikA + ",2025-09-01\n" + nikA + ",2025-01-15\n",
			rows:     row("T1", nikA, kkA, "SEMBAKO", "", "2025-04", "200000", "2025-04-10", "SALUR"),
			want:     map[string]int64{"DECEASED": 1}},
		{name: "ASN wins over deceased",
			asn:      "nik\n" + nikA + "\n",
			deceased: "nik,tanggal_meninggal\n" + nikA + ",2020-01-01\n",
			rows:     row("T1", nikA, kkA, "SEMBAKO", "", "2025-04", "200000", "2025-04-10", "SALUR"),
			want:     map[string]int64{"ASN": 1}},
		{name: "double receipt in the same quarter",
			rows: row("T1", nikA, kkA, "SEMBAKO", "", "2025-01", "200000", "2025-01-10", "SALUR") +
				row("T2", nikA, kkA, "SEMBAKO", "", "2025-03", "200000", "2025-03-10", "SALUR"),
			accepted: 1, want: map[string]int64{"DOUBLE": 1}},
		{name: "GAGAL then SALUR retry is not double",
			rows: row("T1", nikA, kkA, "SEMBAKO", "", "2025-Q1", "600000", "", "GAGAL") +
				row("T2", nikA, kkA, "SEMBAKO", "", "2025-Q1", "600000", "2025-02-10", "SALUR"),
			accepted: 2},
		{name: "SALUR then RETUR is not double",
			rows: row("T1", nikA, kkA, "SEMBAKO", "", "2025-Q1", "600000", "2025-02-10", "SALUR") +
				row("T2", nikA, kkA, "SEMBAKO", "", "2025-Q1", "600000", "2025-02-11", "RETUR"),
			accepted: 2},
		{name: "PKH components are separate receipts",
			rows: row("T1", nikA, kkA, "PKH", "SD", "2025-Q1", "225000", "2025-02-10", "SALUR") +
				row("T2", nikA, kkA, "PKH", "SMP", "2025-Q1", "375000", "2025-02-10", "SALUR") +
				row("T3", nikA, kkA, "PKH", "SD", "2025-Q1", "225000", "2025-03-10", "SALUR"),
			accepted: 2, want: map[string]int64{"DOUBLE": 1}},
		{name: "another quarter is not double",
			rows: row("T1", nikA, kkA, "SEMBAKO", "", "2025-03", "200000", "2025-03-10", "SALUR") +
				row("T2", nikA, kkA, "SEMBAKO", "", "2025-04", "200000", "2025-04-10", "SALUR"),
			accepted: 2},
		{name: "a rejected row does not count towards a later double",
			asn: "nik\n" + nikA + "\n",
			rows: row("T1", nikA, kkA, "SEMBAKO", "", "2025-01", "200000", "2025-01-10", "SALUR") +
				row("T2", nikA, kkA, "SEMBAKO", "", "2025-02", "200000", "2025-02-10", "SALUR"),
			want: map[string]int64{"ASN": 2}},
		{name: "malformed list rows are ignored",
			asn:      "nik\n123\n" + nikB + "\n",
			rows:     row("T1", nikA, kkA, "SEMBAKO", "", "2025-01", "200000", "2025-01-10", "SALUR"),
			accepted: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t)
			var in []Input
			if tc.asn != "" {
				in = append(in, Input{Path: e.write("asn.csv", tc.asn), Kind: ListASN})
			}
			if tc.deceased != "" {
				in = append(in, Input{Path: e.write("meninggal.csv", tc.deceased), Kind: ListDeceased})
			}
			in = append(in, Input{Path: e.write("data.csv", header+tc.rows)})
			res := e.mustRun(in...)
			if res.Report.Accepted != tc.accepted {
				t.Errorf("accepted %d, want %d", res.Report.Accepted, tc.accepted)
			}
			for _, r := range RejectionReasons() {
				if got, want := res.Report.Rejected[r.String()], tc.want[r.String()]; got != want {
					t.Errorf("rejected %s: %d, want %d", r, got, want)
				}
			}
		})
	}
}

func TestReplayAndConflictAcrossRuns(t *testing.T) {
	e := newTestEnv(t)
	first := row("T1", nikA, kkA, "SEMBAKO", "", "2025-01", "200000", "2025-01-10", "SALUR") +
		row("T2", nikB, kkB, "PKH", "SD", "2025-Q1", "225000", "2025-02-10", "SALUR") +
		row("BAD ID", nikB, kkB, "PKH", "SD", "2025-Q1", "225000", "2025-02-10", "SALUR")
	res := e.mustRun(Input{Path: e.write("a.csv", header+first)})
	if res.Report.Accepted != 2 || res.Report.Quarantined["BAD_ID"] != 1 || res.Release != 1 {
		t.Fatalf("first run: %+v", res.Report)
	}
	// The same file again: every good row is a replay, the bad one is
	// quarantined again, the statistics do not change.
	res = e.mustRun(Input{Path: e.write("a-again.csv", header+first)})
	if res.Report.Replayed != 2 || res.Report.Accepted != 0 || res.Report.Quarantined["BAD_ID"] != 1 {
		t.Fatalf("re-ingest: %+v", res.Report)
	}
	if a, b := tableDump(t, e.pub.R, 1), tableDump(t, e.pub.R, 2); a != b {
		t.Errorf("re-ingesting changed the statistics:\n%s\n---\n%s", a, b)
	}
	// Normalisation: case, spaces, leading zeros and dots do not make a new row.
	variant := strings.Join([]string{" T1 ", nikA, kkA, "Nama Uji", "3204112001", "sembako", "", "2025-01", "0200000", "2025-01-10", "salur", "bri", "2", "", ""}, ",") + "\n"
	// Different content under a seen id is a conflict.
	conflict := row("T2", nikB, kkB, "PKH", "SD", "2025-Q1", "999999", "2025-02-10", "SALUR")
	res = e.mustRun(Input{Path: e.write("b.csv", header+variant+conflict)})
	if res.Report.Replayed != 1 || res.Report.Quarantined["CONFLICTING_DUPLICATE_ID"] != 1 {
		t.Fatalf("variant/conflict: %+v", res.Report)
	}
	// A quarantined row's id is not "seen": the corrected row is accepted.
	fixed := row("T3", nikB, kkB, "PKH", "SMA", "2025-Q1", "500000", "2025-02-10", "SALUR")
	bad := strings.Replace(fixed, "500000", "50x", 1)
	res = e.mustRun(Input{Path: e.write("c.csv", header+bad+fixed)})
	if res.Report.Quarantined["BAD_AMOUNT"] != 1 || res.Report.Accepted != 1 {
		t.Fatalf("quarantined id reuse: %+v", res.Report)
	}
}

func TestMissingColumnRefusesFileWhole(t *testing.T) {
	e := newTestEnv(t)
	hdr := strings.Replace(header, "nominal,", "", 1)
	good := e.write("good.csv", header+row("T1", nikA, kkA, "SEMBAKO", "", "2025-01", "200000", "2025-01-10", "SALUR"))
	bad := e.write("bad.csv", hdr+"x\n")
	res, err := e.run(Input{Path: bad}, Input{Path: good})
	if !errors.Is(err, ErrRefused) {
		t.Fatalf("err = %v, want ErrRefused", err)
	}
	if !strings.Contains(err.Error(), `"nominal"`) || !strings.Contains(err.Error(), "bad.csv") {
		t.Errorf("error does not name the file and column: %v", err)
	}
	if res.Release != 1 || res.Report.Accepted != 1 || len(res.Report.Files) != 1 {
		t.Errorf("the good file should still be published: %+v", res.Report)
	}
}

func TestFileRefusedPartWayLeavesNoTrace(t *testing.T) {
	e := newTestEnv(t)
	e.mustRun(Input{Path: e.write("a.csv", header+row("T1", nikA, kkA, "SEMBAKO", "", "2025-01", "200000", "2025-01-10", "SALUR"))})
	before := tableDump(t, e.pub.R, 1)
	// Rows, then a record larger than the reader accepts.
	content := header + row("T2", nikB, kkB, "SEMBAKO", "", "2025-01", "200000", "2025-01-10", "SALUR") + strings.Repeat("x", 2<<20) + "\n"
	res, err := e.run(Input{Path: e.write("huge.csv", content)})
	if !errors.Is(err, ErrRefused) || res.Release != 0 {
		t.Fatalf("huge record: err %v, release %d", err, res.Release)
	}
	if !strings.Contains(err.Error(), "huge.csv line 3") {
		t.Errorf("error does not name file and line: %v", err)
	}
	// T2 must not be remembered: ingesting it now accepts it.
	res = e.mustRun(Input{Path: e.write("b.csv", header+row("T2", nikB, kkB, "SEMBAKO", "", "2025-01", "200000", "2025-01-10", "SALUR"))})
	if res.Report.Accepted != 1 {
		t.Errorf("row of a refused file was remembered: %+v", res.Report)
	}
	if after := tableDump(t, e.pub.R, 1); after != before {
		t.Error("release 1 changed")
	}
}

func TestDistinctFamiliesAndAmounts(t *testing.T) {
	e := newTestEnv(t)
	e.k = 1 // no suppression: this test checks the arithmetic
	rows := row("T1", nikA, kkA, "PKH", "SD", "2025-Q1", "225000", "2025-02-10", "SALUR") +
		row("T2", nikA, kkA, "PKH", "SMP", "2025-Q1", "375000", "2025-02-10", "SALUR") +
		row("T3", nikB, kkB, "PKH", "SD", "2025-Q1", "225000", "", "GAGAL") +
		row("T4", nikB, kkB, "PKH", "SD", "2025-Q1", "225000", "2025-03-01", "SALUR")
	e.mustRun(Input{Path: e.write("a.csv", header+rows)})
	var pen, trx, salur, gagal, ntrxg int64
	// Transactions are published down to the province (docs/disclosure.md).
	err := e.pub.R.QueryRow(`SELECT penerima, transaksi, nominal_salur, nominal_gagal, transaksi_gagal FROM penyaluran
		WHERE release = 1 AND program = 'PKH' AND komponen = '' AND tingkat = 'provinsi' AND kode_wilayah = '32'`).
		Scan(&pen, &trx, &salur, &gagal, &ntrxg)
	if err != nil {
		t.Fatal(err)
	}
	if pen != 2 || trx != 4 || salur != 825000 || gagal != 225000 || ntrxg != 1 {
		t.Errorf("PKH total in 32: penerima %d transaksi %d salur %d gagal %d trx_gagal %d", pen, trx, salur, gagal, ntrxg)
	}
	err = e.pub.R.QueryRow(`SELECT penerima FROM penyaluran WHERE release = 1 AND program = 'PKH' AND komponen = 'SD' AND tingkat = 'nasional'`).Scan(&pen)
	if err != nil || pen != 2 {
		t.Errorf("PKH SD national penerima %d (%v), want 2", pen, err)
	}
}

// tableDump renders a release's distribution tables for comparison.
func tableDump(t *testing.T, db *sql.DB, rel int) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT periode, program, komponen, tingkat, kode_wilayah, penerima, transaksi, nominal_salur, ditekan FROM penyaluran WHERE release = ? ORDER BY 1,2,3,4,5`,
		`SELECT periode, program, tingkat, kode_wilayah, dimensi, kategori, penerima, nominal_salur, ditekan FROM penyaluran_demografi WHERE release = ? ORDER BY 1,2,3,4,5,6`,
		`SELECT periode, program, tingkat, kode_wilayah, alasan, jumlah, ditekan FROM ketepatan_sasaran WHERE release = ? ORDER BY 1,2,3,4,5`,
		`SELECT periode, program, tingkat, kode_wilayah, kuota_kpm, penerima_salur, persen_kpm, pagu, nominal_salur, persen_pagu, ditekan FROM realisasi WHERE release = ? ORDER BY 1,2,3,4`,
		`SELECT periode, program, tingkat, kode_wilayah, desil, keluarga_dtsen, penerima, persen_cakupan, ditekan FROM cakupan_desil WHERE release = ? ORDER BY 1,2,3,4,5`,
	} {
		rows, err := db.Query(q, rel)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			rows.Scan(ptrs...)
			fmt.Fprintln(&b, vals...)
		}
		rows.Close()
	}
	return b.String()
}

// TestStateReadFromDiskAcrossRuns: a run keeps earlier runs' receipts and
// seen transactions on disk (README, "A national year") and must judge as
// if it had them all in memory: a payment repeating an earlier run's
// receipt is DOUBLE, a repeated transaction in a file that also holds new
// rows is a replay, and a data folder from before receipts were
// partitioned by quarter is read the same way.
func TestStateReadFromDiskAcrossRuns(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		t.Run(map[bool]string{false: "partitioned", true: "legacy state"}[legacy], func(t *testing.T) {
			e := newTestEnv(t)
			e.mustRun(Input{Path: e.write("a.csv", header+
				row("T1", nikA, kkA, "SEMBAKO", "", "2025-01", "200000", "2025-01-10", "SALUR")+
				row("T2", nikB, kkB, "PKH", "SD", "2025-Q1", "225000", "2025-02-10", "SALUR"))})
			if legacy {
				// The layout of data folders made before migration 0005:
				// receipts of every quarter in receipt_chunk.
				// Before migration 0006: seen ids of every quarter in
				// seen_chunk.
				if _, err := e.priv.W.Exec(`INSERT INTO receipt_chunk (run_id, seq, data)
					SELECT run_id, quarter * 100 + seq, data FROM receipt_part; DELETE FROM receipt_part;
					INSERT INTO seen_chunk (run_id, seq, data) SELECT run_id, quarter * 100 + seq, data FROM seen_part; DELETE FROM seen_part`); err != nil {
					t.Fatal(err)
				}
			}
			res := e.mustRun(Input{Path: e.write("b.csv", header+
				row("T3", nikA, kkA, "SEMBAKO", "", "2025-02", "200000", "2025-02-10", "SALUR")+ // DOUBLE with T1
				row("T4", nikA, kkA, "SEMBAKO", "", "2025-04", "200000", "2025-04-10", "SALUR")+ // another quarter
				row("T2", nikB, kkB, "PKH", "SD", "2025-Q1", "225000", "2025-02-10", "SALUR")+ // replay
				row("T5", nikB, kkB, "PKH", "SMP", "2025-Q1", "375000", "2025-02-10", "SALUR"))})
			r := res.Report
			if r.Rejected["DOUBLE"] != 1 || r.Replayed != 1 || r.Accepted != 2 {
				t.Errorf("second run: accepted %d, replayed %d, DOUBLE %d; want 2, 1, 1", r.Accepted, r.Replayed, r.Rejected["DOUBLE"])
			}
			var legacyLeft, quarters int
			if err := e.priv.R.QueryRow(`SELECT (SELECT count(*) FROM receipt_chunk), (SELECT count(DISTINCT quarter) FROM receipt_part)`).Scan(&legacyLeft, &quarters); err != nil {
				t.Fatal(err)
			}
			if legacyLeft != 0 || quarters != 2 {
				t.Errorf("receipt_chunk keeps %d rows, receipt_part has %d quarters; want 0 and 2", legacyLeft, quarters)
			}
		})
	}
}

// A run inside the serving process keeps Go's default collector target
// while it goes (the site's is higher) and gives the site's back after.
func TestRunGCPercent(t *testing.T) {
	gcPercent := func() int {
		p := debug.SetGCPercent(100)
		debug.SetGCPercent(p)
		return p
	}
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	e := newTestEnv(t)
	e.gcPercent = 100
	var during []int
	e.now = func() time.Time {
		during = append(during, gcPercent())
		return time.Now()
	}
	e.mustRun(Input{Path: e.write("a.csv", header+row("T1", nikA, kkA, "SEMBAKO", "", "2025-01", "200000", "2025-01-10", "SALUR"))})
	if len(during) == 0 || slices.ContainsFunc(during, func(p int) bool { return p != 100 }) {
		t.Errorf("collector targets during the run: %v, want 100", during)
	}
	if p := gcPercent(); p != 400 {
		t.Errorf("after the run the target is %d, want the site's 400 back", p)
	}
}
