package aggregator

import (
	"fmt"

	"github.com/portal-data-bansos/portal/internal/disclosure"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/release"
)

// DisclosureReport is the disclosure report of a release; see
// release.Disclosure.
type DisclosureReport = release.Disclosure

// DatasetDisclosure is one dataset's part of the report.
type DatasetDisclosure = release.DatasetDisclosure

// LevelDisclosure counts one level of one dataset.
type LevelDisclosure = release.LevelDisclosure

// Protect applies disclosure control (spec/disclosure.md) to a release's
// tables in place and returns its report. Every published cell of the
// three protected datasets becomes a node of one problem, and every
// additive identity the tables obey a relation, so suppression is
// consistent within and across datasets:
//
//   - the region hierarchy (nation ← provinces ← regencies ← districts)
//     of every programme, component and demographic category, and of every
//     rejection reason;
//   - a PKH total ← its components;
//   - a region's programme total in penyaluran ← the categories of each
//     demographic dimension in penyaluran-demografi (the cross-dataset
//     link: the total is the same number in both tables);
//   - realisasi: the region hierarchy of its rows, and each row ← its
//     penyaluran programme total (the same nominal_salur in both tables);
//   - cakupan-desil: a programme's row is the penyaluran-demografi decile
//     cell itself; SEMUA rows follow the region hierarchy, and when a SEMUA
//     count equals the sum of the programmes' counts (no family in two
//     programmes, or one programme alone) SEMUA ← those cells.
//
// The engine (internal/disclosure) then applies primary suppression
// (penerima, or jumlah for rejections, in 1..k-1), secondary suppression to
// a fixed point, and an audit that proves no withheld value can be
// recomputed from the published ones. A release that fails is not
// published.
func Protect(t *Tables, k int) (*DisclosureReport, error) {
	b := newProblemBuilder(t)
	b.build()
	res, err := disclosure.Protect(&b.p, k)
	if err != nil {
		return nil, fmt.Errorf("disclosure control: %w", err)
	}
	b.apply()
	rep := report(t, k)
	rep.Rounds, rep.LargestGroup = res.Rounds, res.LargestComponent
	return rep, nil
}

// problemBuilder maps the tables to the engine's nodes and relations. It
// indexes cells densely by (quarter, programme/component, level, region,
// category) rather than with maps: a national release has millions of
// cells, and this keeps the builder's memory a few bytes per cell.
type problemBuilder struct {
	t    *Tables
	g    *geography
	p    disclosure.Problem
	qi   map[Quarter]int
	nq   int
	off  [4]int // first dense region index of each level
	nr   int    // regions of all levels
	kids [3][][]int32
	// node index ranges of the datasets, in the order of Tables' slices:
	// penyaluran [0, nDist), demografi [nDist, nDist+nDemo), ketepatan after.
	nDist, nDemo    int
	dist, demo, rej []int32 // dense index → node, -1 for no cell
	parts           []int32 // backing store of the relations' parts
	// The node of each realisasi and cakupan-desil row, -1 for a row whose
	// counts are zero (published as zero). A programme's cakupan-desil row
	// is the decile cell of penyaluran-demografi: the same node.
	realNode, coverNode []int32
}

func newProblemBuilder(t *Tables) *problemBuilder {
	g := newGeography(region.Default())
	b := &problemBuilder{t: t, g: g, nDist: len(t.Penyaluran), nDemo: len(t.Demografi), qi: map[Quarter]int{}}
	for _, c := range t.Penyaluran {
		if _, ok := b.qi[c.Quarter]; !ok {
			b.qi[c.Quarter] = len(b.qi)
		}
	}
	for _, c := range t.Ketepatan {
		if _, ok := b.qi[c.Quarter]; !ok {
			b.qi[c.Quarter] = len(b.qi)
		}
	}
	b.nq = len(b.qi)
	for geo := Nasional; geo <= Kecamatan; geo++ {
		b.off[geo] = b.nr
		b.nr += g.count(geo)
	}
	// Children of each region, by level.
	b.kids[Nasional] = [][]int32{make([]int32, g.nProv)}
	for p := range g.nProv {
		b.kids[Nasional][0][p] = int32(p)
	}
	b.kids[Provinsi] = make([][]int32, g.nProv)
	for r := range g.nReg {
		p := g.provOf[r]
		b.kids[Provinsi][p] = append(b.kids[Provinsi][p], int32(r))
	}
	b.kids[Kabupaten] = make([][]int32, g.nReg)
	for d := range g.nDist {
		r := g.regOf[d]
		b.kids[Kabupaten][r] = append(b.kids[Kabupaten][r], int32(d))
	}
	return b
}

func (b *problemBuilder) region(geo Geo, r region.ID) int {
	if geo == Nasional {
		return 0
	}
	return b.off[geo] + int(r)
}

func (b *problemBuilder) distIdx(q, pc int, geo Geo, r int) int {
	return (q*numPC+pc)*b.nr + b.off[geo] + r
}

func (b *problemBuilder) demoIdx(q, p int, geo Geo, r, cat int) int {
	return ((q*6+p)*b.nr+b.off[geo]+r)*numCats + cat
}

func (b *problemBuilder) rejIdx(q, p int, geo Geo, r, reason int) int {
	return ((q*6+p)*b.nr+b.off[geo]+r)*3 + reason
}

func pcOf(p Program, c Component) int {
	if c != ComponentNone {
		return pcComponent(c)
	}
	return pcTotal(p)
}

func fill(n int) []int32 {
	s := make([]int32, n)
	for i := range s {
		s[i] = -1
	}
	return s
}

// relation adds total = Σ parts when the total is a cell and some part is.
func (b *problemBuilder) relation(total int32, parts []int32) {
	if total < 0 {
		return
	}
	start := len(b.parts)
	for _, x := range parts {
		if x >= 0 {
			b.parts = append(b.parts, x)
		}
	}
	if len(b.parts) > start {
		b.p.Relations = append(b.p.Relations, disclosure.Relation{Total: total, Parts: b.parts[start:len(b.parts):len(b.parts)]})
	}
}

func (b *problemBuilder) build() {
	t := b.t
	n := len(t.Penyaluran) + len(t.Demografi) + len(t.Ketepatan)
	b.p.Count = make([]int64, 0, n)
	b.dist = fill(b.nq * numPC * b.nr)
	b.demo = fill(b.nq * 6 * b.nr * numCats)
	b.rej = fill(b.nq * 6 * b.nr * 3)
	for i := range t.Penyaluran {
		c := &t.Penyaluran[i]
		b.p.Count = append(b.p.Count, c.Penerima)
		b.dist[b.distIdx(b.qi[c.Quarter], pcOf(c.Program, c.Component), c.Geo, b.region(c.Geo, c.Region)-b.off[c.Geo])] = int32(i)
	}
	for i := range t.Demografi {
		c := &t.Demografi[i]
		b.p.Count = append(b.p.Count, c.Penerima)
		b.demo[b.demoIdx(b.qi[c.Quarter], int(c.Program)-1, c.Geo, b.region(c.Geo, c.Region)-b.off[c.Geo], int(c.Cat))] = int32(b.nDist + i)
	}
	for i := range t.Ketepatan {
		c := &t.Ketepatan[i]
		b.p.Count = append(b.p.Count, c.Jumlah)
		b.rej[b.rejIdx(b.qi[c.Quarter], int(c.Program)-1, c.Geo, b.region(c.Geo, c.Region)-b.off[c.Geo], int(c.Reason-RejectASN))] = int32(b.nDist + b.nDemo + i)
	}
	b.parts = make([]int32, 0, n+n/2)
	var scratch []int32
	for q := 0; q < b.nq; q++ {
		// Region hierarchy of every dataset.
		for geo := Nasional; geo < Kecamatan; geo++ {
			for r, kids := range b.kids[geo] {
				for pc := 0; pc < numPC; pc++ {
					scratch = scratch[:0]
					for _, k := range kids {
						scratch = append(scratch, b.dist[b.distIdx(q, pc, geo+1, int(k))])
					}
					b.relation(b.dist[b.distIdx(q, pc, geo, r)], scratch)
				}
				for p := 0; p < 6; p++ {
					for cat := 0; cat < numCats; cat++ {
						scratch = scratch[:0]
						for _, k := range kids {
							scratch = append(scratch, b.demo[b.demoIdx(q, p, geo+1, int(k), cat)])
						}
						b.relation(b.demo[b.demoIdx(q, p, geo, r, cat)], scratch)
					}
					if geo < Kabupaten {
						for reason := 0; reason < 3; reason++ {
							scratch = scratch[:0]
							for _, k := range kids {
								scratch = append(scratch, b.rej[b.rejIdx(q, p, geo+1, int(k), reason)])
							}
							b.relation(b.rej[b.rejIdx(q, p, geo, r, reason)], scratch)
						}
					}
				}
			}
		}
		for geo := Nasional; geo <= Kecamatan; geo++ {
			for r := 0; r < b.g.count(geo); r++ {
				// PKH total ← components.
				scratch = scratch[:0]
				for c := IbuHamil; c < numComponents; c++ {
					scratch = append(scratch, b.dist[b.distIdx(q, pcComponent(c), geo, r)])
				}
				b.relation(b.dist[b.distIdx(q, pcTotal(PKH), geo, r)], scratch)
				// Programme total ← each dimension's categories.
				for p := 0; p < 6; p++ {
					total := b.dist[b.distIdx(q, p, geo, r)]
					cat := 0
					for _, size := range dimSizes {
						scratch = scratch[:0]
						for i := 0; i < size; i++ {
							scratch = append(scratch, b.demo[b.demoIdx(q, p, geo, r, cat+i)])
						}
						b.relation(total, scratch)
						cat += size
					}
				}
			}
		}
	}
	b.buildRealisation()
	b.buildCoverage()
	b.dist, b.demo, b.rej = nil, nil, nil
}

// node adds a node with the given protected count.
func (b *problemBuilder) node(count int64) int32 {
	b.p.Count = append(b.p.Count, count)
	return int32(len(b.p.Count) - 1)
}

func (b *problemBuilder) buildRealisation() {
	t := b.t
	b.realNode = make([]int32, len(t.Realisasi))
	real := fill(b.nq * 6 * b.nr)
	idx := func(q, p int, geo Geo, r int) int { return (q*6+p)*b.nr + b.off[geo] + r }
	for i := range t.Realisasi {
		c := &t.Realisasi[i]
		// The protected count is the families reached; a row whose
		// families all failed (0 reached) stands on the penyaluran cell's
		// count, since it shows that cell's nominal_salur.
		count := c.PenerimaSalur
		if count == 0 {
			count = c.Penerima
		}
		if count == 0 {
			b.realNode[i] = -1
			continue
		}
		q, r := b.qi[c.Quarter], b.region(c.Geo, c.Region)-b.off[c.Geo]
		n := b.node(count)
		b.realNode[i] = n
		real[idx(q, int(c.Program)-1, c.Geo, r)] = n
		b.relation(n, []int32{b.dist[b.distIdx(q, pcTotal(c.Program), c.Geo, r)]})
	}
	if len(t.Realisasi) == 0 {
		return
	}
	var scratch []int32
	for q := 0; q < b.nq; q++ {
		for p := 0; p < 6; p++ {
			for geo := Nasional; geo < Kabupaten; geo++ {
				for r, kids := range b.kids[geo] {
					scratch = scratch[:0]
					for _, k := range kids {
						scratch = append(scratch, real[idx(q, p, geo+1, int(k))])
					}
					b.relation(real[idx(q, p, geo, r)], scratch)
				}
			}
		}
	}
}

func (b *problemBuilder) buildCoverage() {
	t := b.t
	b.coverNode = make([]int32, len(t.Cakupan))
	semua := fill(b.nq * b.nr * 10)
	idx := func(q int, geo Geo, r, dec int) int { return (q*b.nr+b.off[geo]+r)*10 + dec - 1 }
	var scratch []int32
	for i := range t.Cakupan {
		c := &t.Cakupan[i]
		if c.Penerima == 0 {
			b.coverNode[i] = -1
			continue
		}
		q, r := b.qi[c.Quarter], b.region(c.Geo, c.Region)-b.off[c.Geo]
		cat := catDecileBase + c.Decile - 1
		if c.Program != ProgramNone {
			b.coverNode[i] = b.demo[b.demoIdx(q, int(c.Program)-1, c.Geo, r, cat)]
			continue
		}
		n := b.node(c.Penerima)
		b.coverNode[i] = n
		semua[idx(q, c.Geo, r, c.Decile)] = n
		var sum int64
		scratch = scratch[:0]
		for p := 0; p < 6; p++ {
			if x := b.demo[b.demoIdx(q, p, c.Geo, r, cat)]; x >= 0 {
				sum += b.p.Count[x]
				scratch = append(scratch, x)
			}
		}
		if sum == c.Penerima {
			b.relation(n, scratch)
		}
	}
	if len(t.Cakupan) == 0 {
		return
	}
	for q := 0; q < b.nq; q++ {
		for dec := 1; dec <= 10; dec++ {
			for geo := Nasional; geo < Kabupaten; geo++ {
				for r, kids := range b.kids[geo] {
					scratch = scratch[:0]
					for _, k := range kids {
						scratch = append(scratch, semua[idx(q, geo+1, int(k), dec)])
					}
					b.relation(semua[idx(q, geo, r, dec)], scratch)
				}
			}
		}
	}
}

// dimSizes are the category counts of the dimensions, in Categories order.
var dimSizes = [numDims]int{2, 5, 11, 5}

// apply copies the engine's verdicts back into the tables.
func (b *problemBuilder) apply() {
	w := func(s disclosure.Status) Withheld {
		switch s {
		case disclosure.Primary:
			return Primary
		case disclosure.Secondary:
			return Secondary
		}
		return Published
	}
	for i := range b.t.Penyaluran {
		b.t.Penyaluran[i].Withheld = w(b.p.Status[i])
	}
	for i := range b.t.Demografi {
		b.t.Demografi[i].Withheld = w(b.p.Status[b.nDist+i])
	}
	for i := range b.t.Ketepatan {
		b.t.Ketepatan[i].Withheld = w(b.p.Status[b.nDist+b.nDemo+i])
	}
	for i, n := range b.realNode {
		if n >= 0 {
			b.t.Realisasi[i].Withheld = w(b.p.Status[n])
		}
	}
	for i, n := range b.coverNode {
		if n >= 0 {
			b.t.Cakupan[i].Withheld = w(b.p.Status[n])
		}
	}
}

// report counts withheld cells and the share of families and rupiah in
// them, per dataset and level.
func report(t *Tables, k int) *DisclosureReport {
	rep := &DisclosureReport{K: k, Datasets: map[string]*DatasetDisclosure{}}
	type sums struct{ fam, famW, rp, rpW int64 }
	count := func(ds string, geo Geo, w Withheld, fam, rp int64, share bool, acc map[string]map[Geo]*sums) {
		d := rep.Datasets[ds]
		if d == nil {
			d = &DatasetDisclosure{Levels: map[string]*LevelDisclosure{}}
			rep.Datasets[ds] = d
		}
		l := d.Levels[geo.String()]
		if l == nil {
			l = &LevelDisclosure{}
			d.Levels[geo.String()] = l
		}
		d.Cells++
		l.Cells++
		switch w {
		case Primary:
			d.Primary++
			l.Primary++
		case Secondary:
			d.Secondary++
			l.Secondary++
		}
		if !share {
			return
		}
		if acc[ds] == nil {
			acc[ds] = map[Geo]*sums{}
		}
		s := acc[ds][geo]
		if s == nil {
			s = &sums{}
			acc[ds][geo] = s
		}
		s.fam += fam
		s.rp += rp
		if w != Published {
			s.famW += fam
			s.rpW += rp
		}
	}
	acc := map[string]map[Geo]*sums{}
	for i := range t.Penyaluran {
		c := &t.Penyaluran[i]
		// Shares are of the programme totals, so PKH families are not
		// counted once per component.
		count("penyaluran", c.Geo, c.Withheld, c.Penerima, c.NomSalur, c.Component == ComponentNone, acc)
	}
	for i := range t.Demografi {
		c := &t.Demografi[i]
		count("penyaluran-demografi", c.Geo, c.Withheld, c.Penerima, c.NomSalur, Categories[c.Cat].Dim == DimSex, acc)
	}
	for i := range t.Ketepatan {
		c := &t.Ketepatan[i]
		count("ketepatan-sasaran", c.Geo, c.Withheld, c.Jumlah, 0, true, acc)
	}
	for i := range t.Realisasi {
		c := &t.Realisasi[i]
		count("realisasi", c.Geo, c.Withheld, c.PenerimaSalur, c.NomSalur, true, acc)
	}
	for i := range t.Cakupan {
		c := &t.Cakupan[i]
		// Shares are of the families reached by any programme, each
		// counted once.
		count("cakupan-desil", c.Geo, c.Withheld, c.Penerima, 0, c.Program == ProgramNone, acc)
	}
	for ds, levels := range acc {
		for geo, s := range levels {
			l := rep.Datasets[ds].Levels[geo.String()]
			if s.fam > 0 {
				l.FamiliesWithheld = float64(s.famW) / float64(s.fam)
			}
			if s.rp > 0 {
				l.RupiahWithheld = float64(s.rpW) / float64(s.rp)
			}
		}
	}
	return rep
}
