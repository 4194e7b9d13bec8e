package published

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/portal-data-bansos/portal/internal/dataset"
)

// Realisation against target (realisasi) and coverage of the DTSEN
// deciles (cakupan-desil), down to the regency: what a page says first
// ("tersalur X dari kuota Y KPM (Z persen)").

// Realisation is one row of realisasi. Every measure is nil on a withheld
// row; on a row not withheld Target (and so PctTarget) is nil where the
// region has no target, Reached where it would reveal a small count.
type Realisation struct {
	Period, Program string
	// Level is tingkat ("nasional", "provinsi", "kabupaten").
	Level      string
	Code, Name string
	// Target is kuota_kpm, Reached penerima_salur (families paid).
	Target, Reached Measure
	// PctTarget is persen_kpm, one decimal.
	PctTarget *float64
	// Budget is pagu, Rupiah nominal_salur.
	Budget, Rupiah Measure
	// PctBudget is persen_pagu, one decimal.
	PctBudget *float64
	Withheld  bool
}

// realCols are the columns of realisasi in the dataset's order, as
// scanRealisation reads them (and as the dataset's own queries select
// them).
var realCols = strings.Join(dataset.Realisasi.ColumnNames(), ", ")

func scanRealisation(rows *sql.Rows) (Realisation, error) {
	var x Realisation
	var target, reached, budget, rupiah sql.NullInt64
	var pt, pb sql.NullFloat64
	var withheld int
	err := rows.Scan(&x.Period, &x.Program, &x.Level, &x.Code, &x.Name, &target, &reached, &pt, &budget, &rupiah, &pb, &withheld)
	x.Target, x.Reached, x.PctTarget = measure(target), measure(reached), percent(pt)
	x.Budget, x.Rupiah, x.PctBudget = measure(budget), measure(rupiah), percent(pb)
	x.Withheld = withheld == 1
	return x, err
}

// percent turns a nullable percentage into a pointer, nil when empty.
func percent(f sql.NullFloat64) *float64 {
	if !f.Valid {
		return nil
	}
	v := f.Float64
	return &v
}

// inPrograms is a condition on program, " AND …", for the programmes
// given (none for all).
func inPrograms(progs []string) (string, []any) {
	if len(progs) == 0 {
		return "", nil
	}
	args := make([]any, len(progs))
	for i, p := range progs {
		args[i] = p
	}
	return " AND program IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(progs)), ", ") + ")", args
}

// Realisations reads the realisasi rows of the regions of area at level
// lvl in a quarter of release rel, for the programmes given (all when
// none).
func (r *Reader) Realisations(ctx context.Context, rel int, period string, lvl int, area Area, progs []string) ([]Realisation, error) {
	where, args := area.where()
	inProgs, pargs := inPrograms(progs)
	return collect(ctx, r, "realisasi", scanRealisation, `SELECT `+realCols+` FROM realisasi
		WHERE release = ? AND periode = ? AND lvl = ?`+where+inProgs,
		append(append([]any{rel, period, lvl}, args...), pargs...)...)
}

// LaggingRealisations reads the n realisasi rows with a target of the
// regions of area at level lvl that are furthest behind it (lowest
// persen_kpm first, then by code and programme) in a quarter of release
// rel, for the programmes given (all when none).
func (r *Reader) LaggingRealisations(ctx context.Context, rel int, period string, lvl int, area Area, progs []string, n int) ([]Realisation, error) {
	where, args := area.where()
	inProgs, pargs := inPrograms(progs)
	return collect(ctx, r, "lagging realisasi", scanRealisation, `SELECT `+realCols+` FROM realisasi
		WHERE release = ? AND periode = ? AND lvl = ?`+where+` AND persen_kpm IS NOT NULL`+inProgs+`
		ORDER BY persen_kpm, kode_wilayah, program LIMIT ?`,
		append(append(append([]any{rel, period, lvl}, args...), pargs...), n)...)
}

// RealisationSeries reads a programme's national realisation per quarter
// of release rel, in quarter order.
func (r *Reader) RealisationSeries(ctx context.Context, rel int, program string) ([]Realisation, error) {
	return collect(ctx, r, "realisasi series", scanRealisation, `SELECT `+realCols+` FROM realisasi
		WHERE release = ? AND lvl = 0 AND program = ? ORDER BY periode`, rel, program)
}

// RealisationQuery runs a query of the realisasi dataset (as its dataset
// page runs it) and reads its rows.
func (r *Reader) RealisationQuery(ctx context.Context, q *dataset.Query) ([]Realisation, error) {
	if q.DS != dataset.Realisasi {
		return nil, fmt.Errorf("published: realisation query of dataset %s", q.DS.Slug)
	}
	stmt, args := q.SQL()
	return collect(ctx, r, "realisasi query", scanRealisation, stmt, args...)
}

// CoverDecile is one decile of a region's coverage.
type CoverDecile struct {
	Decile int
	// Families is keluarga_dtsen, Recipients penerima: 0 where withheld,
	// or empty (keluarga_dtsen is, for a whole level, where one region has
	// a handful of the decile's families; docs/disclosure.md).
	Families, Recipients int64
	// Pct is persen_cakupan where HasPct.
	Pct      float64
	HasPct   bool
	Withheld bool
}

// Coverage is one region's cakupan-desil rows summed: deciles 1–4 (the
// poorest) and 5–10. A withheld decile adds nothing to the sums but is
// counted.
type Coverage struct {
	Code, Name string
	// Families14 and Recipients14 sum deciles 1–4 not withheld,
	// Recipients510 deciles 5–10.
	Families14, Recipients14 int64
	Recipients510            int64
	// Rows is the region's rows (one per decile).
	Rows int
	// Withheld14 and Withheld510 count the withheld rows of deciles 1–4
	// and 5–10.
	Withheld14, Withheld510 int
	// Deciles are indexed 1 to 10.
	Deciles [11]CoverDecile
}

// Known says no row of deciles 1–4 of the region is withheld.
func (c *Coverage) Known() bool { return c.Rows > 0 && c.Withheld14 == 0 }

// Pct14 is the coverage of deciles 1–4, in percent: unknown where a
// decile is withheld or no DTSEN family of deciles 1–4 is listed.
func (c *Coverage) Pct14() (float64, bool) {
	if !c.Known() || c.Families14 == 0 {
		return 0, false
	}
	return 100 * float64(c.Recipients14) / float64(c.Families14), true
}

// Coverage reads the cakupan-desil rows of the regions of area at level
// lvl in a quarter of release rel for a programme (or SEMUA, any
// programme), one Coverage per region in code order.
func (r *Reader) Coverage(ctx context.Context, rel int, period, program string, lvl int, area Area) ([]Coverage, error) {
	where, args := area.where()
	var out []Coverage
	err := r.each(ctx, "cakupan-desil", func(rows *sql.Rows) error {
		var code, name string
		var dec, withheld int
		var fam, pen sql.NullInt64
		var pct sql.NullFloat64
		if err := rows.Scan(&code, &name, &dec, &fam, &pen, &pct, &withheld); err != nil {
			return err
		}
		if len(out) == 0 || out[len(out)-1].Code != code {
			out = append(out, Coverage{Code: code, Name: name})
		}
		c := &out[len(out)-1]
		c.Rows++
		if dec < 1 || dec > 10 {
			return nil
		}
		c.Deciles[dec] = CoverDecile{Decile: dec, Families: fam.Int64, Recipients: pen.Int64, Pct: pct.Float64, HasPct: pct.Valid, Withheld: withheld == 1}
		switch {
		case withheld == 1 && dec <= 4:
			c.Withheld14++
		case withheld == 1:
			c.Withheld510++
		case dec <= 4:
			c.Families14 += fam.Int64
			c.Recipients14 += pen.Int64
		default:
			c.Recipients510 += pen.Int64
		}
		return nil
	}, `SELECT kode_wilayah, nama_wilayah, desil, keluarga_dtsen, penerima, persen_cakupan, ditekan
		FROM cakupan_desil WHERE release = ? AND periode = ? AND program = ? AND lvl = ?`+where+` ORDER BY kode_wilayah, desil`,
		append([]any{rel, period, program, lvl}, args...)...)
	if err != nil {
		return nil, err
	}
	return out, nil
}
