package published

import (
	"context"
	"database/sql"
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
// quarter, programme (the "SEMUA" rows among them) and reason.
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
		WHERE release = ? AND lvl = 0 ORDER BY periode, program, alasan`, rel)
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
