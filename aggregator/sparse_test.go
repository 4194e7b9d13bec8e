package aggregator

import "testing"

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
