package aggregator

import (
	"strings"
	"testing"
	"time"
)

// TestOmitLevel: a programme's level goes out of every dataset, with the
// levels below it, in its quarter only; other programmes, quarters and
// the levels above stay.
func TestOmitLevel(t *testing.T) {
	q1, q2 := Quarter(2025*4), Quarter(2025*4+1)
	key := func(q Quarter, p Program, g Geo) CellKey { return CellKey{Quarter: q, Program: p, Geo: g} }
	tb := &Tables{
		Penyaluran: []Cell{{CellKey: key(q1, BLT, Nasional)}, {CellKey: key(q1, BLT, Kabupaten)}, {CellKey: key(q1, BLT, Kecamatan)},
			{CellKey: key(q2, BLT, Kecamatan)}, {CellKey: key(q1, PKH, Kecamatan)}},
		Demografi: []DemoCell{{CellKey: key(q1, BLT, Provinsi)}, {CellKey: key(q1, BLT, Kabupaten)}},
		Realisasi: []RealCell{{CellKey: key(q1, BLT, Kabupaten)}, {CellKey: key(q1, BLT, Provinsi)}},
		Cakupan:   []CoverCell{{CellKey: key(q1, ProgramNone, Kabupaten)}, {CellKey: key(q1, BLT, Kabupaten)}},
		Ketepatan: []RejectCell{{CellKey: key(q1, BLT, Kabupaten)}, {CellKey: key(q1, ProgramNone, Kabupaten)}},
	}
	if n := omitLevel(tb, q1, BLT, Kabupaten); n != 6 {
		t.Errorf("%d rows left out, want 6", n)
	}
	if len(tb.Penyaluran) != 3 || len(tb.Demografi) != 1 || len(tb.Realisasi) != 1 || len(tb.Cakupan) != 1 || len(tb.Ketepatan) != 1 {
		t.Errorf("left: %d penyaluran, %d demografi, %d realisasi, %d cakupan, %d ketepatan",
			len(tb.Penyaluran), len(tb.Demografi), len(tb.Realisasi), len(tb.Cakupan), len(tb.Ketepatan))
	}
	if tb.Cakupan[0].Program != ProgramNone || tb.Ketepatan[0].Program != ProgramNone {
		t.Error("the rows across programmes went too")
	}
}

// TestHoldOpenQuarters: a quarter comes out once it has ended and the
// days for late files have passed; one published before stays in (its
// changes are revisions); -1 holds nothing.
func TestHoldOpenQuarters(t *testing.T) {
	q1, q2 := Quarter(2026*4), Quarter(2026*4+1) // 2026-Q1, 2026-Q2
	tables := func() *Tables {
		return &Tables{Penyaluran: []Cell{{CellKey: CellKey{Quarter: q1, Program: PKH}}, {CellKey: CellKey{Quarter: q2, Program: PKH}}}}
	}
	may15 := time.Date(2026, 5, 15, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		now  time.Time
		days int
		hist *History
		want string
	}{
		{"Q1 due, Q2 running", may15, 30, nil, "2026-Q2"},
		{"Q1 within its days", may15, 60, nil, "2026-Q1 2026-Q2"},
		{"Q1 ended at midnight in Jakarta", time.Date(2026, 3, 31, 17, 0, 0, 0, time.UTC), 0, nil, "2026-Q2"},
		{"Q1 not yet ended in Jakarta", time.Date(2026, 3, 31, 16, 59, 0, 0, time.UTC), 0, nil, "2026-Q1 2026-Q2"},
		{"published before", may15, 30, &History{Quarters: map[Quarter]*QuarterHistory{q2: {}}}, ""},
		{"at once", may15, -1, nil, ""},
	} {
		tb := tables()
		got := strings.Join(holdOpenQuarters(tb, tc.hist, tc.now, tc.days), " ")
		if got != tc.want {
			t.Errorf("%s: held %q, want %q", tc.name, got, tc.want)
		}
		if left := len(tb.Penyaluran); left != 2-len(strings.Fields(tc.want)) {
			t.Errorf("%s: %d rows left", tc.name, left)
		}
	}
}
