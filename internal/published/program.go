package published

import (
	"context"
	"database/sql"
	"strings"
)

// The figures of a programme page that are not a region's: its national
// totals per quarter and its recipients by demographic group.

// ProgramByQuarter reads a programme's national totals (all components
// together) per quarter of release rel, keyed by quarter; a quarter
// without a cell is absent.
func (r *Reader) ProgramByQuarter(ctx context.Context, rel int, program string) (map[string]Sum, error) {
	out := map[string]Sum{}
	err := r.each(ctx, "programme by quarter", func(rows *sql.Rows) error {
		var period string
		var m [7]sql.NullInt64
		var withheld bool
		if err := rows.Scan(&period, &m[0], &m[1], &m[2], &m[3], &m[4], &m[5], &m[6], &withheld); err != nil {
			return err
		}
		out[period] = cellSum(m, withheld)
		return nil
	}, `SELECT periode, `+strings.Join(penCols[:], ", ")+`, ditekan FROM penyaluran
		WHERE release = ? AND lvl = 0 AND program = ? AND komponen = '' AND kode_wilayah = ''`, rel, program)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DemographyCell is one category of penyaluran-demografi: the recipient
// families of a programme in a demographic group.
type DemographyCell struct {
	// Dimension is jenis_kelamin, kelompok_umur, desil or penyalur;
	// Category its value ("L", "30-44", "1" … "10", "tidak_diketahui",
	// "BRI" …).
	Dimension, Category string
	// Sum holds the families (Pen) of one row, or is withheld; Sum{}, a
	// true zero, when no family is in the category.
	Sum Sum
}

// ProgramDemography reads a programme's national recipients by
// demographic group in a quarter of release rel: every category of every
// dimension, in the order of demografi_kategori.
func (r *Reader) ProgramDemography(ctx context.Context, rel int, period, program string) ([]DemographyCell, error) {
	return collect(ctx, r, "programme demography", func(rows *sql.Rows) (DemographyCell, error) {
		var c DemographyCell
		var pen, withheld sql.NullInt64
		if err := rows.Scan(&c.Dimension, &c.Category, &pen, &withheld); err != nil {
			return c, err
		}
		switch {
		case withheld.Int64 == 1:
			c.Sum = withheldSum
		case !withheld.Valid:
			// no family in this category: a true zero
		default:
			c.Sum = Sum{Rows: 1}
			c.Sum.M[Penerima] = pen.Int64
		}
		return c, nil
	}, `SELECT k.dimensi, k.kategori, d.penerima, d.ditekan
		FROM demografi_kategori k
		LEFT JOIN penyaluran_demografi d ON d.dimensi = k.dimensi AND d.kategori = k.kategori
		     AND d.release = ? AND d.periode = ? AND d.program = ? AND d.lvl = 0 AND d.kode_wilayah = ''
		ORDER BY k.k`, rel, period, program)
}
