package published

import (
	"context"
	"database/sql"
)

// The national series of a release: each programme's totals by quarter,
// what the dashboard's headline and its quarter charts show.

// ProgramQuarter is a programme's national totals in one quarter of a
// release (all components together). A measure is nil where withheld.
type ProgramQuarter struct {
	Period, Program string
	// Families is penerima; Rupiah nominal_salur.
	Families, Rupiah Measure
	// Transactions, and the failed and returned ones among them.
	Transactions, Failed, Returned Measure
}

// NationalSeries lists the national totals of every programme in every
// quarter of release rel, by quarter and programme.
func (r *Reader) NationalSeries(ctx context.Context, rel int) ([]ProgramQuarter, error) {
	return collect(ctx, r, "national series", func(rows *sql.Rows) (ProgramQuarter, error) {
		var (
			p                         ProgramQuarter
			pen, nom, trx, fail, retu sql.NullInt64
		)
		err := rows.Scan(&p.Period, &p.Program, &pen, &nom, &trx, &fail, &retu)
		p.Families, p.Rupiah = measure(pen), measure(nom)
		p.Transactions, p.Failed, p.Returned = measure(trx), measure(fail), measure(retu)
		return p, err
	}, `SELECT periode, program, penerima, nominal_salur, transaksi, transaksi_gagal, transaksi_retur FROM penyaluran
		WHERE release = ? AND lvl = 0 AND komponen = '' ORDER BY periode, program`, rel)
}
