package aggregator

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/portal-data-bansos/portal/internal/region"
)

func TestOpenFrom(t *testing.T) {
	q := MakeQuarter
	day := func(s string) time.Time {
		d, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, tc := range []struct {
		name     string
		due      string
		n        int
		recorded Quarter
		want     Quarter
	}{
		{"no retention", "2026-04-05T00:00:00Z", 0, 0, 0},
		{"four quarters before the current one", "2026-04-05T00:00:00Z", 4, 0, q(2025, 2)},
		{"the quarter's last day", "2026-06-30T10:00:00Z", 4, 0, q(2025, 2)},
		{"Jakarta is already in the next quarter", "2026-03-31T20:00:00Z", 4, 0, q(2025, 2)},
		{"eight quarters", "2026-04-05T00:00:00Z", 8, 0, q(2024, 2)},
		{"a closed quarter stays closed without retention", "2026-04-05T00:00:00Z", 0, q(2025, 2), q(2025, 2)},
		{"a longer retention does not reopen", "2026-04-05T00:00:00Z", 8, q(2025, 2), q(2025, 2)},
		{"an earlier day does not reopen", "2025-07-05T00:00:00Z", 4, q(2025, 2), q(2025, 2)},
	} {
		if got := openFrom(day(tc.due), tc.n, tc.recorded); got != tc.want {
			t.Errorf("%s: openFrom = %s, want %s", tc.name, PeriodString(got), PeriodString(tc.want))
		}
	}
}

// TestRetention: with RetainQuarters, rows of closed quarters are
// quarantined as CLOSED_PERIOD (counted, kept for the steward, published
// in kualitas-data), the closed quarters' ids and receipts are deleted
// once the run is committed, open quarters are judged as before, and a
// later run without retention cannot reopen what was forgotten
// (docs/input.md §3, "Retention").
func TestRetention(t *testing.T) {
	e := newTestEnv(t)
	e.retain = 4
	clock := time.Date(2025, 7, 10, 12, 0, 0, 0, time.UTC)
	e.now = func() time.Time { return clock }
	e.mustRun(Input{Path: e.write("a.csv", header+
		row("T1", nikA, kkA, "SEMBAKO", "", "2025-01", "200000", "2025-01-10", "SALUR")+
		row("T2", nikB, kkB, "PKH", "SD", "2025-Q1", "225000", "2025-02-10", "SALUR")+
		row("T3", nikA, kkA, "SEMBAKO", "", "2025-04", "200000", "2025-04-10", "SALUR"))})
	count := func(q string) int {
		t.Helper()
		var n int
		if err := e.priv.R.QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(`SELECT count(*) FROM seen_part WHERE quarter = ` + itoa(MakeQuarter(2025, 1))); n == 0 {
		t.Fatal("2025-Q1's ids are not stored by quarter")
	}

	// A year later 2025-Q1 is closed: four quarters before 2026-Q2.
	clock = time.Date(2026, 4, 10, 12, 0, 0, 0, time.UTC)
	res := e.mustRun(Input{Path: e.write("b.csv", header+
		row("T1", nikA, kkA, "SEMBAKO", "", "2025-01", "200000", "2025-01-10", "SALUR")+ // a replay, but of a closed quarter
		row("T4", nikB, kkB, "SEMBAKO", "", "2025-03", "200000", "2025-03-10", "SALUR")+ // new, in a closed quarter
		row("T3", nikA, kkA, "SEMBAKO", "", "2025-04", "200000", "2025-04-10", "SALUR")+ // a replay in an open quarter
		row("T5", nikA, kkA, "SEMBAKO", "", "2025-05", "200000", "2025-05-10", "SALUR")+ // DOUBLE with T3
		row("T6", nikB, kkB, "PKH", "SD", "2026-Q1", "225000", "2026-02-10", "SALUR"))})
	r := res.Report
	if r.Quarantined["CLOSED_PERIOD"] != 2 || r.Replayed != 1 || r.Rejected["DOUBLE"] != 1 || r.Accepted != 1 {
		t.Errorf("second run: CLOSED_PERIOD %d, replayed %d, DOUBLE %d, accepted %d; want 2, 1, 1, 1",
			r.Quarantined["CLOSED_PERIOD"], r.Replayed, r.Rejected["DOUBLE"], r.Accepted)
	}
	q2 := itoa(MakeQuarter(2025, 2))
	if n := count(`SELECT count(*) FROM seen_part WHERE quarter < ` + q2); n != 0 {
		t.Errorf("%d chunks of closed quarters' ids kept", n)
	}
	if n := count(`SELECT count(*) FROM receipt_part WHERE quarter < ` + q2); n != 0 {
		t.Errorf("%d chunks of closed quarters' receipts kept", n)
	}
	if n := count(`SELECT count(*) FROM seen_part WHERE quarter = ` + q2); n == 0 {
		t.Error("an open quarter's ids were deleted")
	}
	if n := count(`SELECT count(*) FROM quarantine WHERE reason = 'CLOSED_PERIOD' AND file = 'b.csv'`); n != 2 {
		t.Errorf("%d CLOSED_PERIOD rows kept for the steward, want 2", n)
	}
	var rel int
	if err := e.pub.R.QueryRow(`SELECT count(*) FROM kualitas_data WHERE release = ? AND periode = '2025-Q1' AND alasan = 'CLOSED_PERIOD'`,
		res.Release).Scan(&rel); err != nil || rel != 1 {
		t.Errorf("kualitas-data has %d CLOSED_PERIOD cells for 2025-Q1 (%v), want 1", rel, err)
	}

	// Retention switched off: what was forgotten stays closed. An id of
	// the closed quarter, reused with other content in an open quarter,
	// is judged new: the trade retention makes.
	e.retain = 0
	res = e.mustRun(Input{Path: e.write("c.csv", header+
		row("T2", nikB, kkB, "PKH", "SD", "2025-Q1", "225000", "2025-02-10", "SALUR")+
		row("T2", nikB, kkB, "PKH", "SD", "2025-Q3", "225000", "2025-08-10", "SALUR"))})
	r = res.Report
	if r.Quarantined["CLOSED_PERIOD"] != 1 || r.Accepted != 1 || r.Quarantined["CONFLICTING_DUPLICATE_ID"] != 0 {
		t.Errorf("third run: CLOSED_PERIOD %d, accepted %d, conflicting %d; want 1, 1, 0",
			r.Quarantined["CLOSED_PERIOD"], r.Accepted, r.Quarantined["CONFLICTING_DUPLICATE_ID"])
	}

	// Only committed runs close quarters: a run that is undone takes its
	// open_from with it.
	if _, err := e.priv.W.Exec(`INSERT INTO run (id, seq, state, created_at, open_from) VALUES ('undone', 99, 'pending', '2026-04-10T00:00:00Z', ?)`,
		int(MakeQuarter(2026, 1))); err != nil {
		t.Fatal(err)
	}
	if got, err := recordedOpenFrom(context.Background(), e.priv.R); err != nil || got != MakeQuarter(2025, 2) {
		t.Errorf("recorded open_from %s (%v), want 2025-Q2", PeriodString(got), err)
	}
}

func TestRetentionTooShortRefused(t *testing.T) {
	e := newTestEnv(t)
	_, err := Run(context.Background(), Options{Published: e.pub, Private: e.priv, Regions: region.Default(), Key: e.key, K: 3,
		RetainQuarters: 2}, []Input{{Path: e.write("a.csv", header+row("T1", nikA, kkA, "SEMBAKO", "", "2025-01", "200000", "2025-01-10", "SALUR"))}})
	if err == nil || !strings.Contains(err.Error(), "at least 4") {
		t.Errorf("RetainQuarters 2: %v", err)
	}
}

func itoa(q Quarter) string { return strconv.Itoa(int(q)) }
