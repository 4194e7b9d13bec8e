package aggregator

import (
	"context"
	"database/sql"
	"math"
	"slices"

	"github.com/portal-data-bansos/portal/internal/region"
)

// references are the §4 lists in force when a release is built: the
// newest committed (or this run's) target and DTSEN lists, nil when none
// was ever loaded.
type references struct {
	kuota, dtsen *refList
}

func loadReferences(ctx context.Context, priv *sql.DB) (references, error) {
	var r references
	var err error
	if r.kuota, err = loadList(ctx, priv, ListKuota); err != nil {
		return r, err
	}
	r.dtsen, err = loadList(ctx, priv, ListDTSEN)
	return r, err
}

// files lists the lists in force, for the release's file list.
func (r references) files() []ingestedFile {
	var out []ingestedFile
	for _, l := range []*refList{r.kuota, r.dtsen} {
		if l != nil {
			out = append(out, ingestedFile{Name: l.File, Kind: string(l.Kind), SHA256: l.SHA256, Rows: int64(l.Entries)})
		}
	}
	return out
}

// Percent is 100 × part / whole rounded half away from zero to one
// decimal, as the realisation and coverage tables publish it; ok is false
// when whole is 0 (no target: no percentage, never a division by zero).
func Percent(part, whole int64) (pct float64, ok bool) {
	if whole <= 0 {
		return 0, false
	}
	return math.Round(1000*float64(part)/float64(whole)) / 10, true
}

// buildRealisation fills t.Realisasi: for every programme and quarter with
// at least one target, a row for the nation and for every province and
// regency that has a target or any accepted row. A region with activity but
// no target still gets its row (target empty): the rows of one level then
// add up to the level above, so no region's count can be worked out by
// subtracting the published ones from its parent's.
func buildRealisation(t *Tables, targets Targets) {
	t.Realisasi = nil
	if len(targets) == 0 {
		return
	}
	type qp struct {
		q Quarter
		p Program
	}
	planned := map[qp]bool{}
	rows := map[CellKey]*RealCell{}
	row := func(k CellKey) *RealCell {
		r := rows[k]
		if r == nil {
			r = &RealCell{CellKey: k}
			rows[k] = r
		}
		return r
	}
	for k, v := range targets {
		planned[qp{k.Quarter, k.Program}] = true
		r := row(CellKey{Quarter: k.Quarter, Program: k.Program, Geo: k.Geo, Region: k.Region})
		r.Target, r.HasTarget = v, true
	}
	for i := range t.Penyaluran {
		c := &t.Penyaluran[i]
		if c.Component != ComponentNone || c.Geo > Kabupaten || !planned[qp{c.Quarter, c.Program}] {
			continue
		}
		r := row(c.CellKey)
		r.Penerima, r.NomSalur = c.Penerima, c.NomSalur
	}
	for _, c := range t.salur {
		if planned[qp{c.Quarter, c.Program}] {
			row(c.CellKey).PenerimaSalur = c.Count
		}
	}
	t.Realisasi = make([]RealCell, 0, len(rows))
	for _, r := range rows {
		t.Realisasi = append(t.Realisasi, *r)
	}
	slices.SortFunc(t.Realisasi, func(a, b RealCell) int { return compareKeys(a.CellKey, b.CellKey) })
}

// buildCoverage fills t.Cakupan: for every quarter with data, programme
// and SEMUA (ProgramNone), the nation, provinces and regencies, and
// deciles 1–10, the DTSEN families and the recipient families of the
// decile. A province's (the nation's) DTSEN families are the sum of its
// regencies' in the list. Rows where both are zero are left out.
func buildCoverage(t *Tables, d DTSEN, g *geography) {
	t.Cakupan = nil
	if len(d) == 0 {
		return
	}
	// DTSEN families by level, region and decile.
	var fam [3][][11]int64
	fam[Nasional] = make([][11]int64, 1)
	fam[Provinsi] = make([][11]int64, g.nProv)
	fam[Kabupaten] = make([][11]int64, g.nReg)
	for reg := range g.nReg {
		for dec := 1; dec <= 10; dec++ {
			n := d.Families(region.ID(reg), dec)
			fam[Kabupaten][reg][dec] += n
			fam[Provinsi][g.provOf[reg]][dec] += n
			fam[Nasional][0][dec] += n
		}
	}
	type ck struct {
		CellKey
		dec int
	}
	recip := map[ck]int64{}
	for _, c := range t.decile {
		recip[ck{c.CellKey, int(c.Cat) - catDecileBase + 1}] = c.Count
	}
	programs := append(Programs(), ProgramNone)
	for _, q := range t.Quarters() {
		for _, p := range programs {
			for geo := Nasional; geo <= Kabupaten; geo++ {
				for r := range fam[geo] {
					id := region.ID(r)
					if geo == Nasional {
						id = region.None
					}
					k := CellKey{Quarter: q, Program: p, Geo: geo, Region: id}
					for dec := 1; dec <= 10; dec++ {
						n, pen := fam[geo][r][dec], recip[ck{k, dec}]
						if n == 0 && pen == 0 {
							continue
						}
						t.Cakupan = append(t.Cakupan, CoverCell{CellKey: k, Decile: dec, Keluarga: n, Penerima: pen})
					}
				}
			}
		}
	}
}
