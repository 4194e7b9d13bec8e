package published

import (
	"database/sql"
	"testing"
)

// penRow is one penyaluran row for cellSum: its seven measures (nil
// where empty) and whether it is withheld.
type penRow struct {
	m        [7]*int64
	withheld bool
}

func full(pen, trx, nom, tg, ng, tr, nr int64) penRow {
	return penRow{m: [7]*int64{&pen, &trx, &nom, &tg, &ng, &tr, &nr}}
}

// without is r with the given measures empty, not withheld.
func (r penRow) without(measures ...int) penRow {
	for _, i := range measures {
		r.m[i] = nil
	}
	return r
}

var withheldRow = penRow{withheld: true}

func sumOf(rows ...penRow) Sum {
	var s Sum
	for _, r := range rows {
		var m [7]sql.NullInt64
		for i, v := range r.m {
			if v != nil {
				m[i] = sql.NullInt64{Int64: *v, Valid: true}
			}
		}
		s.Add(cellSum(m, r.withheld))
	}
	return s
}

func TestSum(t *testing.T) {
	a := full(100, 300, 50_000_000, 20, 3_000_000, 10, 1_000_000)
	b := full(40, 90, 10_000_000, 0, 0, 5, 500_000)
	for _, tc := range []struct {
		name     string
		rows     []penRow
		measures []int // Of these; V of the first
		v        int64
		n        int // rows in the sum
		none     bool
		all      bool
		partial  bool
	}{
		{name: "absent: a true zero", measures: []int{Penerima}, none: true},
		{name: "one row", rows: []penRow{a}, measures: []int{Penerima}, v: 100, n: 1},
		{name: "two rows add up", rows: []penRow{a, b}, measures: []int{Nominal}, v: 60_000_000, n: 2},
		{name: "every measure adds up", rows: []penRow{a, b}, measures: []int{NominalRetur}, v: 1_500_000, n: 2},
		{name: "one withheld row", rows: []penRow{withheldRow}, measures: []int{Penerima}, v: 0, n: 1, all: true},
		{name: "withheld part: partial sum", rows: []penRow{a, withheldRow}, measures: []int{Penerima}, v: 100, n: 2, partial: true},
		{name: "every part withheld", rows: []penRow{withheldRow, withheldRow}, measures: []int{Nominal}, n: 2, all: true},
		{name: "a measure empty alone: partial for it", rows: []penRow{a, b.without(Nominal)}, measures: []int{Nominal}, v: 50_000_000, n: 2, partial: true},
		{name: "a measure empty alone: complete for the others", rows: []penRow{a, b.without(Nominal)}, measures: []int{Penerima}, v: 140, n: 2},
		{name: "the only row's measure empty", rows: []penRow{b.without(TransaksiGagal)}, measures: []int{TransaksiGagal}, n: 1, all: true},
		{name: "ratio: partial when one of its measures is", rows: []penRow{a, b.without(TransaksiRetur)}, measures: []int{Transaksi, TransaksiGagal, TransaksiRetur}, v: 390, n: 2, partial: true},
		{name: "withheld and empty never exceed the rows", rows: []penRow{withheldRow, b.without(Nominal)}, measures: []int{Nominal}, n: 2, all: true},
		{name: "withheld and empty elsewhere", rows: []penRow{withheldRow, b.without(Nominal), a}, measures: []int{Penerima}, v: 140, n: 3, partial: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := sumOf(tc.rows...)
			seen := s.Of(tc.measures...)
			if got := s.V(tc.measures[0]); got != tc.v {
				t.Errorf("V = %d, want %d", got, tc.v)
			}
			if s.Rows != tc.n {
				t.Errorf("Rows = %d, want %d", s.Rows, tc.n)
			}
			if seen.None() != tc.none || seen.AllWithheld() != tc.all || seen.Partial() != tc.partial {
				t.Errorf("none, all withheld, partial = %v, %v, %v; want %v, %v, %v",
					seen.None(), seen.AllWithheld(), seen.Partial(), tc.none, tc.all, tc.partial)
			}
			if seen.Withheld > seen.Rows {
				t.Errorf("%d of %d rows withheld", seen.Withheld, seen.Rows)
			}
		})
	}
}

// A withheld row contributes nothing to any measure, however its columns
// read.
func TestWithheldRowIsEmpty(t *testing.T) {
	var m [7]sql.NullInt64
	for i := range m {
		m[i] = sql.NullInt64{Int64: 7, Valid: true}
	}
	s := cellSum(m, true)
	for i := range m {
		if s.V(i) != 0 || s.Null[i] != 0 {
			t.Errorf("measure %d of a withheld row: %d (null %d)", i, s.V(i), s.Null[i])
		}
	}
	if s != withheldSum {
		t.Errorf("withheld row = %+v", s)
	}
}
