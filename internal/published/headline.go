package published

import (
	"context"
	"database/sql"

	"github.com/portal-data-bansos/portal/internal/bansos"
)

// What the dashboard's headline adds to the national series: targeting
// accuracy (rejections by reason, families by welfare decile) and data
// quality (rows quarantined).

// RejectionCount is the transactions rejected for one reason in one
// quarter, nationally, for one programme.
type RejectionCount struct {
	// Program is a programme code, or "SEMUA" for all programmes together.
	Period, Program string
	// Reason is "ASN", "DECEASED" or "DOUBLE".
	Reason string
	// Count is nil where withheld.
	Count Measure
}

// NationalRejections lists the national rejections of release rel, by
// quarter, reason and programme (the "SEMUA" rows among them).
func (r *Reader) NationalRejections(ctx context.Context, rel int) ([]RejectionCount, error) {
	return collect(ctx, r, "national rejections", func(rows *sql.Rows) (RejectionCount, error) {
		var (
			x RejectionCount
			n sql.NullInt64
		)
		err := rows.Scan(&x.Period, &x.Program, &x.Reason, &n)
		x.Count = measure(n)
		return x, err
	}, `SELECT periode, program, alasan, jumlah FROM ketepatan_sasaran
		WHERE release = ? AND lvl = 0 ORDER BY periode, alasan, program`, rel)
}

// RejectionTotal is the transactions rejected for one reason in one
// quarter, nationally, over every programme.
type RejectionTotal struct {
	Period, Reason string
	// Count is the total; with Partial, the sum of the programmes whose
	// count is published, a lower bound.
	Count   int64
	Partial bool
}

// NationalRejectionTotals adds up the national rejections of release rel
// by quarter and reason, in that order. A transaction is rejected under
// one programme, and the "SEMUA" row is their total: it is the answer when
// published; where it is withheld (or absent), the published programmes'
// counts add up to a partial total. Adding the SEMUA row to the
// programmes' would count every rejection twice.
func (r *Reader) NationalRejectionTotals(ctx context.Context, rel int) ([]RejectionTotal, error) {
	rows, err := r.NationalRejections(ctx, rel)
	if err != nil {
		return nil, err
	}
	// The rows come by quarter and reason: one total per run of them.
	var out []RejectionTotal
	var all *int64 // the run's SEMUA row, when published
	end := func() {
		if n := len(out) - 1; n >= 0 && all != nil {
			out[n].Count, out[n].Partial = *all, false
		}
		all = nil
	}
	for _, x := range rows {
		if n := len(out); n == 0 || out[n-1].Period != x.Period || out[n-1].Reason != x.Reason {
			end()
			out = append(out, RejectionTotal{Period: x.Period, Reason: x.Reason})
		}
		t := &out[len(out)-1]
		switch {
		case x.Program == bansos.AllPrograms:
			all = x.Count
		case x.Count == nil:
			t.Partial = true
		default:
			t.Count += *x.Count
		}
	}
	end()
	return out, nil
}

// DecileFamilies is the recipient families of one welfare decile ("1" to
// "10", or "tidak_diketahui") in a quarter, nationally, for one programme.
type DecileFamilies struct {
	Program, Decile string
	// Families is nil where withheld.
	Families Measure
}

// NationalDeciles lists the national recipient families by welfare decile
// of every programme in a quarter of release rel.
func (r *Reader) NationalDeciles(ctx context.Context, rel int, quarter string) ([]DecileFamilies, error) {
	return collect(ctx, r, "national deciles", func(rows *sql.Rows) (DecileFamilies, error) {
		var (
			d DecileFamilies
			n sql.NullInt64
		)
		err := rows.Scan(&d.Program, &d.Decile, &n)
		d.Families = measure(n)
		return d, err
	}, `SELECT program, kategori, penerima FROM penyaluran_demografi
		WHERE release = ? AND lvl = 0 AND periode = ? AND dimensi = 'desil' ORDER BY program, urut`, rel, quarter)
}

// Quarantined is the input rows quarantined in a quarter of release rel
// for a fault of the data (rows moved to another quarter or replayed are
// not faults), withheld counts left out.
func (r *Reader) Quarantined(ctx context.Context, rel int, quarter string) (int64, error) {
	var n int64
	err := r.one(ctx, "quarantined rows", `SELECT coalesce(sum(jumlah), 0) FROM kualitas_data WHERE release = ? AND periode = ?
		AND alasan NOT IN ('MOVED', 'REPLAYED')`, []any{rel, quarter}, &n)
	return n, err
}
