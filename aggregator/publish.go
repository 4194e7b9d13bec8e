package aggregator

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/release"
)

// publication is everything a release holds.
type publication struct {
	RunID      string
	K          int
	Tables     *Tables
	Report     release.Report
	Disclosure *DisclosureReport
	Files      []ingestedFile
	// References are the target and DTSEN lists in force, recorded with
	// the release that used them.
	References []ingestedFile
	Now        time.Time
	// Synthetic marks a release of generated data (Options.Synthetic).
	Synthetic bool
}

// publish writes a new release to published.db in one transaction and
// returns its number. Until the commit, the previous release stays in
// force; a crash leaves no trace.
func publish(ctx context.Context, pub *sql.DB, regions *region.Table, p *publication) (int, error) {
	tx, err := pub.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("publish: %w", err)
	}
	defer tx.Rollback()
	var number int
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(number), 0) + 1 FROM release`).Scan(&number); err != nil {
		return 0, fmt.Errorf("publish: %w", err)
	}
	p.Report.Release = fmt.Sprint(number)
	report, err := json.Marshal(p.Report.Public(p.K))
	if err != nil {
		return 0, err
	}
	disclosure, err := json.Marshal(p.Disclosure)
	if err != nil {
		return 0, err
	}
	var plist []string
	for _, q := range p.Tables.Quarters() {
		plist = append(plist, PeriodString(q))
	}
	pj, _ := json.Marshal(plist)
	counts, _ := json.Marshal(map[string]int{
		"penyaluran":           len(p.Tables.Penyaluran),
		"penyaluran-demografi": len(p.Tables.Demografi),
		"ketepatan-sasaran":    len(p.Tables.Ketepatan),
		"kualitas-data":        len(p.Tables.Kualitas),
		"realisasi":            len(p.Tables.Realisasi),
		"cakupan-desil":        len(p.Tables.Cakupan),
	})
	if _, err := tx.ExecContext(ctx, `INSERT INTO release (number, published_at, run_id, k, report, disclosure, periods, counts, synthetic) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		number, p.Now.UTC().Format(time.RFC3339Nano), p.RunID, p.K, string(report), string(disclosure), string(pj), string(counts), p.Synthetic); err != nil {
		return 0, fmt.Errorf("publish release: %w", err)
	}
	names := newNamer(regions)
	if err := insertPenyaluran(ctx, tx, number, names, p.Tables.Penyaluran); err != nil {
		return 0, err
	}
	if err := insertDemografi(ctx, tx, number, names, p.Tables.Demografi); err != nil {
		return 0, err
	}
	if err := insertKetepatan(ctx, tx, number, names, p.Tables.Ketepatan); err != nil {
		return 0, err
	}
	if err := insertRealisasi(ctx, tx, number, names, p.Tables.Realisasi); err != nil {
		return 0, err
	}
	if err := insertCakupan(ctx, tx, number, names, p.Tables.Cakupan, int64(p.K)); err != nil {
		return 0, err
	}
	for _, c := range p.Tables.Kualitas {
		per := ""
		if c.Known {
			per = PeriodString(c.Quarter)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO kualitas_data (release, periode, alasan, jumlah, ditekan) VALUES (?, ?, ?, ?, ?)`,
			number, per, c.Reason, nullable(c.Jumlah, c.Withheld), ditekan(c.Withheld)); err != nil {
			return 0, fmt.Errorf("publish kualitas-data: %w", err)
		}
	}
	for _, f := range p.Files {
		outcome := "ingested"
		if f.Refused {
			outcome = "refused"
		}
		// Names only: checksums, sizes and row counts stay in
		// private.db (docs/disclosure.md, "Side channels").
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO release_file (release, name, kind, outcome) VALUES (?, ?, ?, ?)`,
			number, f.Name, f.Kind, outcome); err != nil {
			return 0, fmt.Errorf("publish file list: %w", err)
		}
	}
	for _, f := range p.References {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO release_file (release, name, kind, outcome) VALUES (?, ?, ?, 'reference')`,
			number, f.Name, f.Kind); err != nil {
			return 0, fmt.Errorf("publish file list: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("publish: commit: %w", err)
	}
	return number, nil
}

// namer gives a cell's published code and name.
type namer struct{ regions *region.Table }

func newNamer(r *region.Table) namer { return namer{r} }

func (n namer) of(k CellKey) (code, name string) {
	if k.Geo == Nasional {
		return "", "Indonesia"
	}
	r := n.regions.ByID(region.Level(k.Geo), k.Region)
	return r.Code, r.Name
}

func nullable(v int64, w Withheld) any {
	if w != Published {
		return nil
	}
	return v
}

// shown is v unless the row is withheld or the measure group is hidden.
func shown(v int64, w Withheld, hidden, group Measures) any {
	if w != Published || hidden&group != 0 {
		return nil
	}
	return v
}

func ditekan(w Withheld) int {
	if w != Published {
		return 1
	}
	return 0
}

// batchInsert writes rows with multi-row INSERT statements: binding
// parameters costs a cgo call each either way, but one statement step per
// 64 rows instead of per row roughly halves the time of a large release.
type batchInsert struct {
	ctx   context.Context
	tx    *sql.Tx
	head  string // INSERT INTO t (cols) VALUES
	ncols int
	per   int
	full  *sql.Stmt
	args  []any
	rows  int
}

func newBatchInsert(ctx context.Context, tx *sql.Tx, table string, cols ...string) *batchInsert {
	return &batchInsert{ctx: ctx, tx: tx, ncols: len(cols), per: 64,
		head: "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "}
}

func (b *batchInsert) stmtFor(rows int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", b.ncols), ", ") + ")"
	return b.head + strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ")
}

func (b *batchInsert) add(vals ...any) error {
	b.args = append(b.args, vals...)
	b.rows++
	if b.rows < b.per {
		return nil
	}
	if b.full == nil {
		st, err := b.tx.PrepareContext(b.ctx, b.stmtFor(b.per))
		if err != nil {
			return err
		}
		b.full = st
	}
	_, err := b.full.ExecContext(b.ctx, b.args...)
	b.args, b.rows = b.args[:0], 0
	return err
}

func (b *batchInsert) close() error {
	var err error
	if b.rows > 0 {
		_, err = b.tx.ExecContext(b.ctx, b.stmtFor(b.rows), b.args...)
	}
	if b.full != nil {
		b.full.Close()
	}
	return err
}

func insertPenyaluran(ctx context.Context, tx *sql.Tx, number int, names namer, cells []Cell) error {
	b := newBatchInsert(ctx, tx, "penyaluran", "release", "periode", "program", "komponen", "lvl", "tingkat", "kode_wilayah", "nama_wilayah",
		"penerima", "transaksi", "nominal_salur", "transaksi_gagal", "nominal_gagal", "transaksi_retur", "nominal_retur", "ditekan")
	for i := range cells {
		c := &cells[i]
		code, name := names.of(c.CellKey)
		w, h := c.Withheld, c.Hidden
		if !transactionsShown(c.CellKey) {
			h |= HideTransaksi | HideGagal | HideRetur
		}
		if err := b.add(number, PeriodString(c.Quarter), c.Program.String(), c.Component.String(),
			int(c.Geo), c.Geo.String(), code, name,
			nullable(c.Penerima, w), shown(c.Transaksi, w, h, HideTransaksi), shown(c.NomSalur, w, h, HideSalur),
			shown(c.TrxGagal, w, h, HideGagal), shown(c.NomGagal, w, h, HideGagal),
			shown(c.TrxRetur, w, h, HideRetur), shown(c.NomRetur, w, h, HideRetur), ditekan(w)); err != nil {
			return fmt.Errorf("publish penyaluran: %w", err)
		}
	}
	if err := b.close(); err != nil {
		return fmt.Errorf("publish penyaluran: %w", err)
	}
	return nil
}

// insertDemografi packs each region's categories into one row (see the
// penyaluran_demografi_sel table). Cells arrive grouped by key.
func insertDemografi(ctx context.Context, tx *sql.Tx, number int, names namer, cells []DemoCell) error {
	b := newBatchInsert(ctx, tx, "penyaluran_demografi_sel", "release", "periode", "program", "lvl", "tingkat", "kode_wilayah", "nama_wilayah", "sel")
	var sel [numCats]*DemoCell
	var buf []byte
	flush := func(k CellKey) error {
		buf = append(buf[:0], '[')
		for i, c := range sel {
			if i > 0 {
				buf = append(buf, ',')
			}
			switch {
			case c == nil:
				buf = append(buf, "null"...)
			case c.Withheld != Published:
				buf = append(buf, "[null,null,1]"...)
			default:
				// Families only: rupiah by category is not published
				// (docs/disclosure.md, "What is published less").
				buf = append(buf, '[')
				buf = strconv.AppendInt(buf, c.Penerima, 10)
				buf = append(buf, ",null,0]"...)
			}
		}
		buf = append(buf, ']')
		code, name := names.of(k)
		sel = [numCats]*DemoCell{}
		return b.add(number, PeriodString(k.Quarter), k.Program.String(), int(k.Geo), k.Geo.String(), code, name, string(buf))
	}
	for i := range cells {
		c := &cells[i]
		if i > 0 && c.CellKey != cells[i-1].CellKey {
			if err := flush(cells[i-1].CellKey); err != nil {
				return fmt.Errorf("publish penyaluran-demografi: %w", err)
			}
		}
		sel[c.Cat] = c
	}
	if len(cells) > 0 {
		if err := flush(cells[len(cells)-1].CellKey); err != nil {
			return fmt.Errorf("publish penyaluran-demografi: %w", err)
		}
	}
	if err := b.close(); err != nil {
		return fmt.Errorf("publish penyaluran-demografi: %w", err)
	}
	return nil
}

func insertKetepatan(ctx context.Context, tx *sql.Tx, number int, names namer, cells []RejectCell) error {
	b := newBatchInsert(ctx, tx, "ketepatan_sasaran", "release", "periode", "program", "lvl", "tingkat", "kode_wilayah", "nama_wilayah", "alasan", "jumlah", "ditekan")
	for i := range cells {
		c := &cells[i]
		code, name := names.of(c.CellKey)
		prog := c.Program.String()
		if c.Program == ProgramNone {
			prog = bansos.AllPrograms
		}
		if err := b.add(number, PeriodString(c.Quarter), prog, int(c.Geo), c.Geo.String(), code, name,
			c.Reason.String(), nullable(c.Jumlah, c.Withheld), ditekan(c.Withheld)); err != nil {
			return fmt.Errorf("publish ketepatan-sasaran: %w", err)
		}
	}
	if err := b.close(); err != nil {
		return fmt.Errorf("publish ketepatan-sasaran: %w", err)
	}
	return nil
}

// nullablePct is a percentage for a withheld-aware column: NULL when
// withheld or when there is nothing to divide by.
func nullablePct(part, whole int64, w Withheld) any {
	pct, ok := Percent(part, whole)
	if !ok || w != Published {
		return nil
	}
	return pct
}

func insertRealisasi(ctx context.Context, tx *sql.Tx, number int, names namer, cells []RealCell) error {
	b := newBatchInsert(ctx, tx, "realisasi", "release", "periode", "program", "lvl", "tingkat", "kode_wilayah", "nama_wilayah",
		"kuota_kpm", "penerima_salur", "persen_kpm", "pagu", "nominal_salur", "persen_pagu", "ditekan")
	for i := range cells {
		c := &cells[i]
		code, name := names.of(c.CellKey)
		w, h := c.Withheld, c.Hidden
		var kuota, pagu, pctKPM, pctPagu any
		if c.HasTarget && w == Published {
			kuota = c.Target.KPM
			if h&HidePaid == 0 {
				pctKPM = nullablePct(c.PenerimaSalur, c.Target.KPM, w)
			}
			if c.Target.HasPagu {
				pagu = c.Target.Pagu
				if h&HideSalur == 0 {
					pctPagu = nullablePct(c.NomSalur, c.Target.Pagu, w)
				}
			}
		}
		if err := b.add(number, PeriodString(c.Quarter), c.Program.String(), int(c.Geo), c.Geo.String(), code, name,
			kuota, shown(c.PenerimaSalur, w, h, HidePaid), pctKPM, pagu, shown(c.NomSalur, w, h, HideSalur), pctPagu, ditekan(w)); err != nil {
			return fmt.Errorf("publish realisasi: %w", err)
		}
	}
	if err := b.close(); err != nil {
		return fmt.Errorf("publish realisasi: %w", err)
	}
	return nil
}

// insertCakupan publishes cakupan-desil. keluarga_dtsen is a count of
// families too: at a level where some region has 1 to k−1 DTSEN families
// of a decile, that decile's keluarga_dtsen (and so persen_cakupan) is
// left empty in every region of the level, so that neither the small
// count nor its difference from the level above can be read
// (docs/disclosure.md, "What is published less").
func insertCakupan(ctx context.Context, tx *sql.Tx, number int, names namer, cells []CoverCell, k int64) error {
	type level struct {
		geo    Geo
		decile int
	}
	smallK := map[level]bool{}
	for i := range cells {
		if n := cells[i].Keluarga; n > 0 && n < k {
			smallK[level{cells[i].Geo, cells[i].Decile}] = true
		}
	}
	b := newBatchInsert(ctx, tx, "cakupan_desil", "release", "periode", "program", "lvl", "tingkat", "kode_wilayah", "nama_wilayah",
		"desil", "keluarga_dtsen", "penerima", "persen_cakupan", "ditekan")
	for i := range cells {
		c := &cells[i]
		code, name := names.of(c.CellKey)
		w := c.Withheld
		prog := c.Program.String()
		if c.Program == ProgramNone {
			prog = bansos.AllPrograms
		}
		var keluarga, pct any
		if c.Keluarga > 0 && w == Published && !smallK[level{c.Geo, c.Decile}] {
			keluarga, pct = c.Keluarga, nullablePct(c.Penerima, c.Keluarga, w)
		}
		if err := b.add(number, PeriodString(c.Quarter), prog, int(c.Geo), c.Geo.String(), code, name,
			c.Decile, keluarga, nullable(c.Penerima, w), pct, ditekan(w)); err != nil {
			return fmt.Errorf("publish cakupan-desil: %w", err)
		}
	}
	if err := b.close(); err != nil {
		return fmt.Errorf("publish cakupan-desil: %w", err)
	}
	return nil
}
