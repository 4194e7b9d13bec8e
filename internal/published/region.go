package published

import (
	"context"
	"database/sql"
	"strings"
)

// The figures of a region page, a programme page and the province map:
// penyaluran cells summed with their withheld parts (Sum), and the
// rejections by reason of ketepatan-sasaran.

// Area selects the regions of a level: one region, or the regions under
// one. The zero Area is the nation.
type Area struct {
	code   string
	within bool
}

// OneRegion is the region with the given dotted code ("" the nation).
func OneRegion(code string) Area { return Area{code: code} }

// Within is the regions whose code starts with code and a dot (the
// regions under it at the level asked for); every region of the level
// when code is "".
func Within(code string) Area { return Area{code: code, within: true} }

// where is the area as a condition on kode_wilayah, " AND …", with its
// arguments.
func (a Area) where() (string, []any) {
	switch {
	case !a.within:
		return " AND kode_wilayah = ?", []any{a.code}
	case a.code != "":
		return " AND kode_wilayah LIKE ?", []any{a.code + ".%"}
	}
	return "", nil
}

// CellFilter selects penyaluran cells of one release.
type CellFilter struct {
	// Period is one quarter; "" for every quarter (whose cells then
	// share their keys: ask for one quarter).
	Period string
	// Level is the level of the cells: 0 the nation, 1 provinces,
	// 2 regencies and cities, 3 districts.
	Level int
	// Area is the regions of the level (the nation when zero).
	Area Area
	// Program is one programme; "" for every programme.
	Program string
	// Component is one PKH component; "" for the programmes' totals.
	Component string
	// AllComponents asks for every PKH component instead of the totals
	// (Component is then unused).
	AllComponents bool
}

// CellKey names a cell within the quarter and level of a CellFilter.
type CellKey struct {
	// Component is "" on a programme's total.
	Program, Component, Code string
}

// Cells are penyaluran cells by key, each a Sum of one row.
type Cells map[CellKey]Sum

// At is the cell of a programme, component ("" for the total) and region;
// Sum{}, a true zero, when the release has no such cell.
func (c Cells) At(program, component, code string) Sum {
	return c[CellKey{program, component, code}]
}

// PenyaluranCells reads the penyaluran cells of release rel that f
// selects.
func (r *Reader) PenyaluranCells(ctx context.Context, rel int, f CellFilter) (Cells, error) {
	q := `SELECT program, komponen, kode_wilayah, ` + strings.Join(penCols[:], ", ") + `, ditekan
	      FROM penyaluran WHERE release = ? AND lvl = ?`
	args := []any{rel, f.Level}
	if f.Period != "" {
		q += ` AND periode = ?`
		args = append(args, f.Period)
	}
	cond, a := f.Area.where()
	q += cond
	args = append(args, a...)
	if f.AllComponents {
		q += ` AND komponen <> ''`
	} else {
		q += ` AND komponen = ?`
		args = append(args, f.Component)
	}
	if f.Program != "" {
		q += ` AND program = ?`
		args = append(args, f.Program)
	}
	out := Cells{}
	err := r.each(ctx, "penyaluran cells", func(rows *sql.Rows) error {
		var k CellKey
		var m [7]sql.NullInt64
		var withheld bool
		if err := rows.Scan(&k.Program, &k.Component, &k.Code, &m[0], &m[1], &m[2], &m[3], &m[4], &m[5], &m[6], &withheld); err != nil {
			return err
		}
		out[k] = cellSum(m, withheld)
		return nil
	}, q, args...)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RejectionKey names a cell of ketepatan-sasaran within a region and
// quarter.
type RejectionKey struct {
	// Reason is "ASN", "DECEASED" or "DOUBLE".
	Program, Reason string
}

// RejectionSums are a region's rejected transactions by programme and
// reason: each a Sum of one row whose Trx is the count (jumlah).
type RejectionSums map[RejectionKey]Sum

// At is the rejections of a programme for a reason; Sum{}, a true zero,
// when the release has no such cell.
func (s RejectionSums) At(program, reason string) Sum { return s[RejectionKey{program, reason}] }

// RegionRejections reads the rejections of region code (dotted; "" the
// nation) at level lvl in a quarter of release rel.
func (r *Reader) RegionRejections(ctx context.Context, rel int, period string, lvl int, code string) (RejectionSums, error) {
	out := RejectionSums{}
	err := r.each(ctx, "region rejections", func(rows *sql.Rows) error {
		var k RejectionKey
		var n sql.NullInt64
		var withheld bool
		if err := rows.Scan(&k.Program, &k.Reason, &n, &withheld); err != nil {
			return err
		}
		a := Sum{Rows: 1}
		a.M[Transaksi] = n.Int64
		if withheld {
			a = withheldSum
		}
		out[k] = a
		return nil
	}, `SELECT program, alasan, jumlah, ditekan FROM ketepatan_sasaran
		WHERE release = ? AND periode = ? AND lvl = ? AND kode_wilayah = ?`, rel, period, lvl, code)
	if err != nil {
		return nil, err
	}
	return out, nil
}
