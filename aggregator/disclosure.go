package aggregator

import (
	"fmt"
	"slices"

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
//     link: the total is the same number in both tables).
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
	if bad, err := disclosure.Audit(&b.p); err != nil || len(bad) > 0 {
		return nil, fmt.Errorf("disclosure control: the audit finds %d withheld cells recomputable (%v); release not published", len(bad), err)
	}
	b.apply()
	rep := report(t, k)
	rep.Rounds, rep.LargestGroup = res.Rounds, res.LargestComponent
	return rep, nil
}

// problemBuilder maps the tables to the engine's nodes and relations.
type problemBuilder struct {
	t *Tables
	p disclosure.Problem
	// node index ranges of the three datasets, in the order of Tables'
	// slices: penyaluran [0, nDist), demografi [nDist, nDist+nDemo),
	// ketepatan after.
	nDist, nDemo int
}

func newProblemBuilder(t *Tables) *problemBuilder {
	return &problemBuilder{t: t, nDist: len(t.Penyaluran), nDemo: len(t.Demografi)}
}

// parentKey is a cell key one level up, with the same programme,
// component, quarter (and category or reason, in the extra field).
type relKey struct {
	k     CellKey
	extra int
}

func (b *problemBuilder) build() {
	t := b.t
	n := len(t.Penyaluran) + len(t.Demografi) + len(t.Ketepatan)
	b.p.Count = make([]int64, 0, n)
	for i := range t.Penyaluran {
		b.p.Count = append(b.p.Count, t.Penyaluran[i].Penerima)
	}
	for i := range t.Demografi {
		b.p.Count = append(b.p.Count, t.Demografi[i].Penerima)
	}
	for i := range t.Ketepatan {
		b.p.Count = append(b.p.Count, t.Ketepatan[i].Jumlah)
	}
	g := newParents()

	// Index every node by its key.
	dist := make(map[CellKey]int32, len(t.Penyaluran))
	for i := range t.Penyaluran {
		dist[t.Penyaluran[i].CellKey] = int32(i)
	}
	demo := make(map[relKey]int32, len(t.Demografi))
	for i := range t.Demografi {
		c := &t.Demografi[i]
		demo[relKey{c.CellKey, int(c.Cat)}] = int32(b.nDist + i)
	}
	rej := make(map[relKey]int32, len(t.Ketepatan))
	for i := range t.Ketepatan {
		c := &t.Ketepatan[i]
		rej[relKey{c.CellKey, int(c.Reason)}] = int32(b.nDist + b.nDemo + i)
	}

	// Hierarchy relations: group every non-national node under its
	// parent's key.
	children := map[relKey][]int32{}
	totals := map[relKey]int32{}
	add := func(ds int, k CellKey, extra int, node int32) {
		totals[relKey{k, extra + ds<<8}] = node
		if k.Geo == Nasional {
			return
		}
		pk := k
		pk.Geo, pk.Region = g.parent(k.Geo, k.Region)
		key := relKey{pk, extra + ds<<8}
		children[key] = append(children[key], node)
	}
	for k, node := range dist {
		add(0, k, 0, node)
	}
	for k, node := range demo {
		add(1, k.k, k.extra, node)
	}
	for k, node := range rej {
		add(2, k.k, k.extra, node)
	}
	for key, parts := range children {
		total, ok := totals[key]
		if !ok {
			continue // cannot happen: a non-zero child makes its parent non-zero
		}
		slices.Sort(parts)
		b.p.Relations = append(b.p.Relations, disclosure.Relation{Total: total, Parts: parts})
	}

	// PKH total ← components, and programme total ← each demographic
	// dimension's categories.
	comps := map[CellKey][]int32{}
	dims := map[relKey][]int32{}
	for k, node := range dist {
		if k.Program == PKH && k.Component != ComponentNone {
			tk := k
			tk.Component = ComponentNone
			comps[tk] = append(comps[tk], node)
		}
	}
	for k, node := range demo {
		dims[relKey{k.k, int(Categories[k.extra].Dim)}] = append(dims[relKey{k.k, int(Categories[k.extra].Dim)}], node)
	}
	for tk, parts := range comps {
		if total, ok := dist[tk]; ok {
			slices.Sort(parts)
			b.p.Relations = append(b.p.Relations, disclosure.Relation{Total: total, Parts: parts})
		}
	}
	for dk, parts := range dims {
		if total, ok := dist[dk.k]; ok {
			slices.Sort(parts)
			b.p.Relations = append(b.p.Relations, disclosure.Relation{Total: total, Parts: parts})
		}
	}
	// Deterministic order, so the same tables give the same suppression.
	slices.SortFunc(b.p.Relations, func(x, y disclosure.Relation) int {
		if x.Total != y.Total {
			return int(x.Total - y.Total)
		}
		return slices.Compare(x.Parts, y.Parts)
	})
}

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
}

// parents finds a region's parent at the level above.
type parents struct{ regions *region.Table }

func newParents() parents { return parents{region.Default()} }

func (g parents) parent(geo Geo, r region.ID) (Geo, region.ID) {
	switch geo {
	case Provinsi:
		return Nasional, region.None
	default:
		return geo - 1, g.regions.ParentID(region.Level(geo), r)
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
