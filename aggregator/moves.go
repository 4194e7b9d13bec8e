package aggregator

import (
	"cmp"
	"fmt"
	"maps"
	"os"
	"slices"

	"github.com/portal-data-bansos/portal/internal/disclosure"
)

// Witnesses from records. The engine needs, for every protected count,
// alternative tables that agree with everything published. The surest
// source is the records themselves: move some families' rows to a sibling
// region, move a few failed transactions to another family, relabel a
// status. Tables computed from any set of records satisfy every relation
// the attacker knows (sums, "families ≤ transactions", the unit amounts),
// so such a witness can only fail on what is published — which the engine
// checks exactly, node by node, before it believes it.

var traceMoves = os.Getenv("DISCLOSURE_TRACE") == "all"

// compareFacts orders facts by family; within a family the earlier
// runs' facts before the new ones (as they are stored), then by content.
// It is a total order on what a fact holds, so the facts of a quarter come
// out in one order whatever order they were read in.
func compareFacts(a, b fact) int {
	switch {
	case a.Family != b.Family:
		return cmp.Compare(a.Family, b.Family)
	case a.New != b.New:
		if b.New {
			return -1
		}
		return 1
	case a.District != b.District:
		return cmp.Compare(a.District, b.District)
	case a.Program != b.Program:
		return cmp.Compare(a.Program, b.Program)
	case a.Component != b.Component:
		return cmp.Compare(a.Component, b.Component)
	case a.Status != b.Status:
		return cmp.Compare(a.Status, b.Status)
	case a.Nominal != b.Nominal:
		return cmp.Compare(a.Nominal, b.Nominal)
	case a.Sex != b.Sex:
		return cmp.Compare(a.Sex, b.Sex)
	case a.Age != b.Age:
		return cmp.Compare(a.Age, b.Age)
	case a.Decile != b.Decile:
		return cmp.Compare(a.Decile, b.Decile)
	}
	return cmp.Compare(a.Channel, b.Channel)
}

// contribute adds sign times one family's contribution to every node of
// version v to out: distinct counts once per region and level, sums of
// transactions and amounts. Only the facts that belong to v count (the
// previous version has no new facts).
func (b *builder) contribute(v *version, facts []fact, sign int64, out map[nodeKey]int64) {
	b.contributeAt(v, facts, sign, out, Nasional, Kecamatan)
}

// contributeAt is contribute at the levels from top down to bottom only.
func (b *builder) contributeAt(v *version, facts []fact, sign int64, out map[nodeKey]int64, top, bottom Geo) {
	if b.distinct == nil {
		b.distinct = map[nodeKey]bool{}
	}
	distinct := b.distinct
	clear(distinct)
	for i := range facts {
		f := &facts[i]
		if v.old && f.New {
			continue
		}
		d := b.g.districtOf(f.District)
		p := f.Program
		pcs := [2]int{pcTotal(p), -1}
		if p == PKH && f.Component != ComponentNone {
			pcs[1] = pcComponent(f.Component)
		}
		var cats [4]int
		cats[0] = -1
		if f.Sex != SexNone {
			cats[0] = catSexBase + int(f.Sex) - 1
		}
		cats[1] = catAgeBase + int(f.Age)
		cats[2] = catDecileNone
		if f.Decile > 0 {
			cats[2] = catDecileBase + int(f.Decile) - 1
		}
		cats[3] = catChanBase + int(f.Channel) - 1
		for geo := top; geo <= bottom; geo++ {
			r := b.g.up(d, geo)
			for _, pc := range pcs {
				if pc < 0 || !v.penAt[pc][geo] || (pc != pcTotal(p) && (geo > componentFloor || !v.compAt[geo])) {
					continue // a level not published
				}
				distinct[makeKey(dsPen, mP, pc, geo, r, 0)] = true
				out[makeKey(dsPen, mT, pc, geo, r, 0)] += sign
				var m, mn int
				switch f.Status {
				case Salur:
					m, mn = mS, mNS
				case Gagal:
					m, mn = mG, mNG
				default:
					m, mn = mR, mNR
				}
				out[makeKey(dsPen, m, pc, geo, r, 0)] += sign
				if !v.fixed[pc] {
					out[makeKey(dsPen, mn, pc, geo, r, 0)] += sign * int64(f.Nominal) / v.base[p]
				}
			}
			if geo <= Kabupaten && v.realAt[p][geo] && f.Status == Salur {
				distinct[makeKey(dsPen, mPaid, pcTotal(p), geo, r, 0)] = true
			}
			if int8(geo) <= v.demoFloor[p] && geo <= Provinsi {
				for _, cat := range cats {
					if cat < 0 || !v.demoDim[p][geo][Categories[cat].Dim] {
						continue
					}
					distinct[makeKey(dsDemo, mP, pcTotal(p), geo, r, cat)] = true
				}
			}
			if geo <= Kabupaten && f.Decile > 0 {
				if !(geo <= Provinsi && v.demoDim[p][geo][DimDecile]) && v.covDec[p][geo][f.Decile] {
					distinct[makeKey(dsCov, mCount, int(p)-1, geo, r, int(f.Decile))] = true
				}
				if v.covDec[ProgramNone][geo][f.Decile] {
					distinct[makeKey(dsSemua, mCount, 0, geo, r, int(f.Decile))] = true
				}
			}
		}
	}
	for k := range distinct {
		out[k] += sign
	}
}

// change accumulates what record changes do to the nodes of both
// versions, family by family, so a move can grow one family at a time
// and drop a family that breaks it.
type change struct {
	b    *builder
	vs   [2]*version
	d    [2]map[nodeKey]int64
	last [2]map[nodeKey]int64 // the last family's part, for undo
}

func (b *builder) newChange(cur, old *version) *change {
	c := &change{b: b, vs: [2]*version{cur, old}}
	for i := range c.d {
		c.d[i] = map[nodeKey]int64{}
		c.last[i] = map[nodeKey]int64{}
	}
	return c
}

// add records that a family's facts change from before to after.
func (c *change) add(before, after []fact) {
	top := c.b.g.firstDiffering(before, after)
	for i, v := range c.vs {
		clear(c.last[i])
		if v == nil {
			continue
		}
		c.b.contributeAt(v, before, -1, c.last[i], top, Kecamatan)
		c.b.contributeAt(v, after, 1, c.last[i], top, Kecamatan)
		for k, d := range c.last[i] {
			c.d[i][k] += d
		}
	}
}

// firstDiffering returns the highest level at which a family's facts
// before and after a change count differently. Above it every node gets
// the same contributions from both, which cancel, so they need not be
// counted (most witnesses move families between neighbouring districts).
// Facts that differ in more than their district differ from the top.
func (g *geography) firstDiffering(before, after []fact) Geo {
	if len(before) != len(after) {
		return Nasional
	}
	top := Kecamatan + 1
	for i := range before {
		a, b := before[i], after[i]
		if a.District == b.District {
			if a != b {
				return Nasional
			}
			continue
		}
		da, db := g.districtOf(a.District), g.districtOf(b.District)
		a.District = b.District
		if a != b {
			return Nasional
		}
		for geo := Nasional; geo < top; geo++ {
			if g.up(da, geo) != g.up(db, geo) {
				top = geo
				break
			}
		}
	}
	return top
}

// undo takes back the last add.
func (c *change) undo() {
	for i := range c.vs {
		for k, d := range c.last[i] {
			c.d[i][k] -= d
		}
		clear(c.last[i])
	}
}

// witness turns the changes into a witness; false when it would make an
// absent row appear or a visible row lose its last family.
func (c *change) witness() (disclosure.Witness, bool) {
	b := c.b
	w := disclosure.Witness{}
	for i, v := range c.vs {
		if v == nil {
			continue
		}
		keys := make([]nodeKey, 0, len(c.d[i]))
		for k, d := range c.d[i] {
			if d != 0 {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			n, ok := v.nodes[k]
			if !ok {
				if traceMoves {
					fmt.Fprintf(os.Stderr, "    move touches key %x (no node)\n", uint64(k))
				}
				return w, false
			}
			if nd := &b.p.Nodes[n]; nd.Value+c.d[i][k] < nd.Lower {
				return w, false // a visible row would lose its last family
			}
			w.Nodes = append(w.Nodes, n)
			w.Delta = append(w.Delta, c.d[i][k])
		}
	}
	return w, true
}

// delta turns record changes into a witness: for each family, its facts
// before and after, at both versions.
func (b *builder) delta(cur, old *version, before, after map[uint64][]fact) (disclosure.Witness, bool) {
	c := b.newChange(cur, old)
	fams := make([]uint64, 0, len(before))
	for f := range before {
		fams = append(fams, f)
	}
	slices.Sort(fams)
	for _, f := range fams {
		c.add(before[f], after[f])
	}
	return c.witness()
}

// mover proposes witnesses for one quarter's requirements.
type mover struct {
	b        *builder
	cur, old *version
	qf       *quarterFacts
	// siblings of every region by level, and districts under a region.
	kids [4]map[int][]int
	// valid checks a witness against the whole problem (set by propose).
	valid   func(disclosure.Witness) bool
	scratch map[nodeKey]int64
	// want is the node of the requirement being proposed for.
	want nodeKey
}

func newMover(b *builder, cur, old *version, qf *quarterFacts) *mover {
	m := &mover{b: b, cur: cur, old: old, qf: qf}
	g := b.g
	for geo := Nasional; geo <= Kecamatan; geo++ {
		m.kids[geo] = map[int][]int{}
	}
	for d := 0; d < g.nDist; d++ {
		m.kids[Kabupaten][int(g.regOf[d])] = append(m.kids[Kabupaten][int(g.regOf[d])], d)
	}
	for r := 0; r < g.nReg; r++ {
		m.kids[Provinsi][int(g.provOf[r])] = append(m.kids[Provinsi][int(g.provOf[r])], r)
	}
	for p := 0; p < g.nProv; p++ {
		m.kids[Nasional][0] = append(m.kids[Nasional][0], p)
	}
	return m
}

// districts lists the districts under region r of level geo.
func (m *mover) districts(geo Geo, r int) []int {
	if geo == Kecamatan {
		return []int{r}
	}
	var out []int
	for _, c := range m.kids[geo][r] {
		out = append(out, m.districts(geo+1, c)...)
	}
	return out
}

// decode splits a node key.
func decode(k nodeKey) (ds, meas, slot int, geo Geo, r, cat int) {
	return int(k) & 0xf, int(k>>4) & 0xf, int(k>>8) & 0xff, Geo(int(k>>16) & 3), int(k>>18) & 0x3fffff, int(k>>40) & 0xff
}

// programOf returns the programme of a node (ProgramNone for SEMUA,
// rejection and quality nodes).
func programOf(ds, slot int) Program {
	switch ds {
	case dsPen, dsDemo:
		p, _ := pcKey(slot)
		return p
	case dsCov:
		return Program(slot + 1)
	}
	return ProgramNone
}

// propose suggests witnesses for requirement ri that take its value up to
// at least target, or down to at most target.
func (m *mover) propose(ri int, up bool, target int64, valid func(disclosure.Witness) bool) []disclosure.Witness {
	m.valid = valid
	return m.proposeFor(&m.b.p.Requirements[ri], up, target)
}

// proposeFailed moves failed and returned transactions together (G + R):
// up, either kind alone will do; down, each goes to its share of the
// target and the two moves are summed.
func (m *mover) proposeFailed(r *disclosure.Requirement, gr []disclosure.Term, up bool, target int64) []disclosure.Witness {
	val := func(i int) int64 { return m.b.p.Nodes[gr[i].Node].Value }
	alone := func(i int, t int64) []disclosure.Witness {
		// The other term is a constant.
		return m.proposeFor(&disclosure.Requirement{Terms: gr[i : i+1], Const: r.Const + val(1-i)}, up, t)
	}
	if up {
		if out := alone(0, target); len(out) > 0 {
			return out
		}
		return alone(1, target)
	}
	// Down: each kind to its share of the target, the moves summed.
	gt := max(0, min(val(0), target-r.Const))
	rt := max(0, target-r.Const-gt)
	sum := map[int32]int64{}
	for i, t := range []int64{gt, rt} {
		if val(i) <= t {
			continue
		}
		ws := m.proposeFor(&disclosure.Requirement{Terms: gr[i : i+1]}, false, t)
		if len(ws) == 0 {
			return nil
		}
		for j, n := range ws[0].Nodes {
			sum[n] += ws[0].Delta[j]
		}
	}
	var w disclosure.Witness
	for n, d := range sum {
		if d != 0 {
			w.Nodes = append(w.Nodes, n)
			w.Delta = append(w.Delta, d)
		}
	}
	slices.SortFunc(w.Nodes, func(a, b int32) int { return int(a - b) })
	for i, n := range w.Nodes {
		w.Delta[i] = sum[n]
	}
	if len(w.Nodes) == 0 || !m.valid(w) {
		return nil
	}
	return []disclosure.Witness{w}
}

func (m *mover) proposeFor(r *disclosure.Requirement, up bool, target int64) []disclosure.Witness {
	b := m.b
	// The node that moves: the requirement's term of this release.
	var n int32 = -1
	var coef int64
	onlyNew := false
	var cur []disclosure.Term
	for _, t := range r.Terms {
		if !b.p.Nodes[t.Node].Old {
			cur = append(cur, t)
		} else {
			onlyNew = true // a difference between releases: move new records only
		}
	}
	if len(r.Terms) == 2 && len(cur) == 2 {
		_, m0, _, _, _, _ := decode(b.keys[cur[0].Node])
		_, m1, _, _, _, _ := decode(b.keys[cur[1].Node])
		if m0 == mG && m1 == mR {
			return m.proposeFailed(r, cur, up, target)
		}
	}
	switch {
	case len(cur) == 2:
		// Families paid nothing: families − families paid.
		return m.proposeUnpaid(r, cur, up, target, onlyNew)
	case len(cur) == 0 && len(r.Terms) == 2:
		// The same, at the previous release.
		return m.proposeUnpaid(r, r.Terms, up, target, false)
	}
	switch {
	case len(cur) == 1:
		n, coef = cur[0].Node, cur[0].Coef
	case len(cur) == 0 && len(r.Terms) == 1:
		// A count of the previous release: records it held move, so
		// both releases change alike.
		n, coef = r.Terms[0].Node, r.Terms[0].Coef
		onlyNew = false
	}
	if n < 0 || coef != 1 {
		return nil
	}
	value := b.p.Nodes[n].Value
	for _, t := range r.Terms {
		if t.Node != n {
			value += t.Coef * b.p.Nodes[t.Node].Value
		}
	}
	value += r.Const
	need := target - value // > 0 up, < 0 down
	m.want = b.keys[n]
	ds, meas, slot, geo, reg, cat := decode(b.keys[n])
	if ds == dsRej || ds == dsQual {
		return nil
	}
	p := programOf(ds, slot)
	var out []disclosure.Witness
	free := false
	add := func(w disclosure.Witness, ok bool) {
		if ok && len(w.Nodes) > 0 && !free {
			out = append(out, w)
			free = m.free(w)
		}
	}
	// What a family must have to count in this node.
	counts := func(facts []fact, region int, level Geo) int64 {
		if m.scratch == nil {
			m.scratch = map[nodeKey]int64{}
		}
		clear(m.scratch)
		b.contributeAt(m.cur, facts, 1, m.scratch, level, level)
		return m.scratch[makeKey(ds, meas, slot, level, region, cat)]
	}
	var sibs []int
	if geo == Provinsi {
		sibs = m.kids[Nasional][0]
	} else if geo > Provinsi {
		sibs = m.kids[geo-1][b.parent(geo, reg)]
	}
	ranked := m.rankSiblings(sibs, reg, geo, p, ds == dsSemua)
	// Donor (or recipient) sets to try: each of the best siblings alone,
	// then all of them together (families taken from the first until the
	// move is big enough).
	var sets [][]int
	for i, s := range ranked {
		if i < 3 {
			sets = append(sets, []int{s})
		}
	}
	if len(ranked) > 1 {
		sets = append(sets, ranked)
	}
	// Cousins: regions of the same level under the same grandparent. A
	// move with them also changes the parents.
	var cousins []int
	if geo > Provinsi {
		var cs []int
		gp := b.parent(geo-1, b.parent(geo, reg))
		for r := 0; r < b.g.count(geo); r++ {
			if p1 := b.parent(geo, r); p1 != b.parent(geo, reg) && b.parent(geo-1, p1) == gp {
				cs = append(cs, r)
			}
		}
		cousins = m.rankSiblings(cs, reg, geo, p, ds == dsSemua)
	}
	if up && len(cousins) > 0 {
		// When the siblings are too small to give, cousins can.
		sets = append(sets, cousins)
	}

	if _, c := pcKey(slot); ds == dsPen && meas == mP && c != ComponentNone {
		// A component's families: first trade with another component of
		// the same families, which leaves the PKH totals alone; with the
		// cousins when the siblings have too few of the other.
		ws := m.relabelComponent(geo, reg, ranked, c, need, onlyNew)
		if len(ws) == 0 && len(cousins) > 0 {
			ws = m.relabelComponent(geo, reg, cousins, c, need, onlyNew)
		}
		for _, w := range ws {
			add(w, true)
		}
	}
	switch {
	case up && geo > Nasional && ds == dsPen && (meas == mG || meas == mR || meas == mS || meas == mT):
		// More transactions of the kind: made up for a family that has
		// rows here already, or a sibling's moved here into such a
		// family, so no family count changes; or, where the row is
		// withheld whole, families with such transactions move here.
		if !b.p.Nodes[n].Old {
			add(m.makeUpRecords(geo, reg, p, slot, meas, need))
		}
		for _, s := range ranked {
			if free {
				break
			}
			add(m.moveRecords(geo, s, reg, p, slot, meas, need, onlyNew))
		}
		if row, ok := m.cur.rows[penKey{slot, geo, reg}]; ok && !m.b.published(row.p) {
			for _, set := range sets {
				if free {
					break
				}
				add(m.relocate(geo, reg, set, p, false, need, onlyNew, func(facts []fact, from int) bool {
					return counts(facts, from, geo) > 0
				}, func(w disclosure.Witness) int64 { return m.moved(w, n) }))
			}
		}
	case up && geo > Nasional:
		// Relocate families from sibling regions into this one.
		for _, set := range sets {
			if free {
				break
			}
			add(m.relocate(geo, reg, set, p, ds == dsSemua, need, onlyNew, func(facts []fact, from int) bool {
				return counts(facts, from, geo) > 0
			}, func(w disclosure.Witness) int64 { return m.moved(w, n) }))
		}
	case !up && geo > Nasional:
		// Relocate this region's families (or the transactions that make
		// the count) to a sibling.
		for _, s := range ranked {
			if free {
				break
			}
			if ds == dsPen && (meas == mG || meas == mR || meas == mS || meas == mT) {
				add(m.moveRecords(geo, reg, s, p, slot, meas, need, onlyNew))
			}
			if meas == mP || meas == mCount {
				add(m.relocateOut(geo, reg, s, p, ds == dsSemua, need, onlyNew, func(facts []fact) bool {
					return counts(facts, reg, geo) > 0
				}, func(w disclosure.Witness) int64 { return -m.moved(w, n) }))
			}
			if len(out) >= 4 {
				break
			}
		}
	}
	if (ds == dsDemo || ds == dsCov || ds == dsSemua) && !free {
		// A category too small to stand alone: some families of a large
		// category of the same region take this one (or, down, leave it
		// for that one), and as many of a sibling region go the other
		// way, so every total stays.
		dim, c := categoryOf(ds, cat)
		var sets [][]int
		if len(ranked) > 0 {
			sets = append(sets, ranked[:1], ranked)
		}
		if geo == Nasional {
			sets = append(sets, nil)
		}
		for _, set := range sets {
			if free {
				break
			}
			add(m.relabelCategory(geo, reg, set, p, ds == dsSemua, dim, c, need, onlyNew))
		}
	}
	if ds == dsPen && (meas == mG || meas == mR) {
		// Relabel failed as returned (or back) where the count is: the
		// only move left at the top of the tree.
		add(m.relabel(geo, reg, p, slot, meas, need, onlyNew))
	}
	return out
}

// free reports whether w changes only withheld nodes: nothing more to
// withhold, no better proposal to look for.
func (m *mover) free(w disclosure.Witness) bool {
	for _, n := range w.Nodes {
		if !m.b.p.Units[m.b.p.Nodes[n].Unit].Status.Withheld() {
			return false
		}
	}
	return true
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// moved is how much witness w changes node n.
func (m *mover) moved(w disclosure.Witness, n int32) int64 {
	for i, x := range w.Nodes {
		if x == n {
			return w.Delta[i]
		}
	}
	return 0
}

// rankSiblings orders the candidate donor (or recipient) regions: those
// already withheld first, then the larger.
func (m *mover) rankSiblings(sibs []int, self int, geo Geo, p Program, semua bool) []int {
	type cand struct {
		r        int
		withheld bool
		size     int64
	}
	var cs []cand
	for _, s := range sibs {
		if s == self {
			continue
		}
		var key nodeKey
		if semua {
			key = makeKey(dsPen, mP, pcTotal(PBIJK), geo, s, 0) // any big programme stands in
		} else {
			key = makeKey(dsPen, mP, pcTotal(p), geo, s, 0)
		}
		n, ok := m.cur.nodes[key]
		if !ok {
			continue
		}
		nd := &m.b.p.Nodes[n]
		cs = append(cs, cand{s, m.b.p.Units[nd.Unit].Status.Withheld(), nd.Value})
	}
	// A donor must keep a family in every row it gives from, so size
	// matters most; among regions big enough, a withheld one costs
	// nothing to use.
	big := func(c cand) bool { return c.size >= 3*m.b.k }
	slices.SortStableFunc(cs, func(a, b cand) int {
		switch {
		case big(a) && a.withheld && !(big(b) && b.withheld):
			return -1
		case big(b) && b.withheld && !(big(a) && a.withheld):
			return 1
		case a.size > b.size:
			return -1
		case a.size < b.size:
			return 1
		}
		return a.r - b.r
	})
	out := make([]int, 0, min(len(cs), 20))
	for i := 0; i < len(cs) && i < 20; i++ {
		out = append(out, cs[i].r)
	}
	return out
}

// relocate moves the programme-p rows (all rows, for SEMUA) of families of
// the regions from (level geo) that pass ok into a district of region to,
// one family at a time, until the witness changes the requirement's node
// by at least need (gain reports the change).
func (m *mover) relocate(geo Geo, to int, from []int, p Program, all bool, need int64, onlyNew bool, ok func([]fact, int) bool, gain func(disclosure.Witness) int64) (disclosure.Witness, bool) {
	return m.relocateInto(geo, to, from, p, all, need, onlyNew, ok, gain)
}

// relocateOut moves families of region from that pass ok to region to.
func (m *mover) relocateOut(geo Geo, from, to int, p Program, all bool, need int64, onlyNew bool, ok func([]fact) bool, gain func(disclosure.Witness) int64) (disclosure.Witness, bool) {
	return m.relocateInto(geo, to, []int{from}, p, all, need, onlyNew, func(f []fact, _ int) bool { return ok(f) }, gain)
}

func (m *mover) relocateInto(geo Geo, to int, from []int, p Program, all bool, need int64, onlyNew bool, ok func([]fact, int) bool, gain func(disclosure.Witness) int64) (disclosure.Witness, bool) {
	if need < 0 {
		need = -need
	}
	target := m.targetDistrict(geo, to, p, all)
	if traceMoves {
		fmt.Fprintf(os.Stderr, "    relocate into %s %d from %v: target district %d\n", geo, to, from, target)
	}
	if target < 0 {
		return disclosure.Witness{}, false
	}
	ch := m.b.newChange(m.cur, m.old)
	code := m.b.g.distCode[target]
	hosts := m.hosts(target, p)
	used := map[uint64]bool{}
	moved := map[uint64]bool{}
	tried := 0
	// try adds one family's change and keeps it when the move stays valid.
	try := func(changes ...[2][]fact) (disclosure.Witness, bool) {
		for _, c := range changes {
			ch.add(c[0], c[1])
		}
		w, ok := ch.witness()
		if ok {
			w, ok = m.check(w, true)
		}
		if !ok {
			// Take back every part of this step (add records only the
			// last part; the earlier parts are undone by re-adding them
			// reversed).
			ch.undo()
			for i := len(changes) - 2; i >= 0; i-- {
				ch.add(changes[i][1], changes[i][0])
			}
			for i := range ch.last {
				clear(ch.last[i])
			}
		}
		return w, ok
	}
	// First, a batch of families that look alike in everything the
	// tables show below the regions' common ancestor: then every count
	// the move changes changes by the same amount or not at all, so each
	// one the move withholds is protected by the same move. Made-up
	// families do best (see synthetic); real ones next.
	if w, ok := m.synthetic(geo, to, from, target, p, all, need, onlyNew, gain); ok {
		return w, true
	}
	if w, ok := m.homogeneous(geo, to, from, target, p, all, need, onlyNew, ok); ok {
		return w, true
	}
	for _, src := range from {
		for _, d := range m.largest(m.districts(geo, src), p, all) {
			for _, prog := range m.programs(p, all) {
				for _, ref := range m.qf.families(d, prog) {
					fam := ref.fam
					if moved[fam] || used[fam] {
						continue
					}
					facts := ref.facts
					if onlyNew && !allNew(facts) {
						continue
					}
					if !ok(facts, src) {
						continue
					}
					tried++
					if tried > 8*int(need)+200 {
						return disclosure.Witness{}, false
					}
					var stay, go_ []fact
					for _, f := range facts {
						if m.b.g.districtOf(f.District) == d && (all || f.Program == p) {
							f.District = code
							go_ = append(go_, f)
						} else {
							stay = append(stay, f)
						}
					}
					after := append(append([]fact(nil), stay...), go_...)
					// Either the family itself moves (it then lives in two
					// regions), or its rows join a family of the target
					// district with the same deciles that lacks the
					// programme, or the whole family moves.
					w, valid := try([2][]fact{facts, after})
					if !valid {
						if host, found := m.pickHost(hosts, go_, used); found {
							hf := host.facts
							joined := append([]fact(nil), hf...)
							for _, f := range go_ {
								f.Family = host.fam
								joined = append(joined, f)
							}
							if w, valid = try([2][]fact{facts, stay}, [2][]fact{hf, joined}); valid {
								used[host.fam] = true
							}
						}
					}
					if !valid && !all {
						var whole []fact
						for _, f := range facts {
							if m.b.g.districtOf(f.District) == d {
								f.District = code
							}
							whole = append(whole, f)
						}
						w, valid = try([2][]fact{facts, whole})
					}
					if !valid {
						continue
					}
					moved[fam] = true
					if gain(w) >= need {
						return w, true
					}
				}
			}
		}
	}
	return disclosure.Witness{}, false
}

// withoutSemua drops w's changes to SEMUA coverage rows. Tables made from
// the moved records count a moved family in two regions' SEMUA (it keeps
// its other programmes where it was); the attacker knows only that SEMUA
// is at least each programme's count and at most their sum, so when
// those still hold, SEMUA may as well stay as published.
func (m *mover) withoutSemua(w disclosure.Witness) disclosure.Witness {
	out := disclosure.Witness{}
	for i, n := range w.Nodes {
		if ds, _, _, _, _, _ := decode(m.b.keys[n]); ds == dsSemua {
			continue
		}
		out.Nodes = append(out.Nodes, n)
		out.Delta = append(out.Delta, w.Delta[i])
	}
	return out
}

// check returns w, or w without its SEMUA changes, whichever is valid.
func (m *mover) check(w disclosure.Witness, ok bool) (disclosure.Witness, bool) {
	if !ok {
		return w, false
	}
	if ws := m.withoutSemua(w); len(ws.Nodes) < len(w.Nodes) && m.valid(ws) {
		return ws, true
	}
	return w, m.valid(w)
}

// commonLevel returns the level of the lowest common ancestor of regions
// a and b of level geo.
func (m *mover) commonLevel(geo Geo, a, b int) Geo {
	for geo > Nasional {
		if a == b {
			return geo
		}
		a, b = m.b.parent(geo, a), m.b.parent(geo, b)
		geo--
	}
	return Nasional
}

// profile describes what a family's moved rows show in tables below
// level lca: their statuses; across regencies also their PKH components;
// across provinces also sex, age, channel and decile.
func profile(rows []fact, lca Geo) string {
	var st [numStatuses]int
	comps := map[Component]int{}
	cats := map[int]bool{}
	for i := range rows {
		f := &rows[i]
		st[f.Status]++
		if lca < Kabupaten {
			comps[f.Component]++
		}
		if lca == Nasional {
			for _, dim := range []Dimension{DimSex, DimAge, DimDecile, DimChannel} {
				cats[catOf(f, dim)] = true
			}
		}
	}
	key := fmt.Sprint(st)
	if len(comps) > 0 {
		var cs []int
		for c, n := range comps {
			cs = append(cs, int(c)*100+n)
		}
		slices.Sort(cs)
		key += fmt.Sprint(cs)
	}
	if len(cats) > 0 {
		var cs []int
		for c := range cats {
			cs = append(cs, c)
		}
		slices.Sort(cs)
		key += fmt.Sprint(cs)
	}
	return key
}

// homogeneous moves need families of one profile (see profile) from the
// regions from into district target of region to, when such a batch is
// valid.
func (m *mover) homogeneous(geo Geo, to int, from []int, target int, p Program, all bool, need int64, onlyNew bool, ok func([]fact, int) bool) (disclosure.Witness, bool) {
	// scan calls fn with every candidate of the regions from, in order,
	// and the key of its group, until fn returns false. The regions can
	// be most of the country, so nothing of a scan is kept but what fn
	// keeps: the families of the districts read are let go as the
	// district cache needs (quarterfacts.go).
	scan := func(fn func(key string, ref famRef, d int) bool) {
		for _, src := range from {
			lca := m.commonLevel(geo, to, src)
			for _, d := range m.largest(m.districts(geo, src), p, all) {
				for _, prog := range m.programs(p, all) {
					for _, ref := range m.qf.families(d, prog) {
						facts := ref.facts
						if onlyNew && !allNew(facts) {
							continue
						}
						if !ok(facts, src) {
							continue
						}
						var rows []fact
						for _, f := range facts {
							if m.b.g.districtOf(f.District) == d && (all || f.Program == p) {
								rows = append(rows, f)
							}
						}
						if !fn(fmt.Sprint(lca)+profile(rows, lca), ref, d) {
							return
						}
					}
				}
			}
		}
	}
	// The size of every group (a family counted once for each district
	// and programme it is a candidate in), in order of first sight.
	size := map[string]int{}
	var order []string
	scan(func(key string, _ famRef, _ int) bool {
		if _, seen := size[key]; !seen {
			order = append(order, key)
		}
		size[key]++
		return true
	})
	slices.SortStableFunc(order, func(a, b string) int { return size[b] - size[a] })
	// The groups tried: the four largest, while they have need members.
	var tried []string
	for gi, key := range order {
		if int64(size[key]) < need || gi >= 4 {
			break
		}
		tried = append(tried, key)
	}
	if len(tried) == 0 {
		return disclosure.Witness{}, false
	}
	// The first need families of each group tried, read again and kept
	// (famRef.kept).
	type cand struct {
		ref famRef
		d   int
	}
	type group struct {
		seen  map[uint64]bool
		cands []cand
	}
	picked := map[string]*group{}
	for _, key := range tried {
		picked[key] = &group{seen: map[uint64]bool{}}
	}
	full := 0
	scan(func(key string, ref famRef, d int) bool {
		g := picked[key]
		if g == nil || int64(len(g.cands)) >= need || g.seen[ref.fam] {
			return true
		}
		g.seen[ref.fam] = true
		g.cands = append(g.cands, cand{ref.kept(), d})
		if int64(len(g.cands)) == need {
			full++
		}
		return full < len(tried)
	})
	code := m.b.g.distCode[target]
	for _, key := range tried {
		ch := m.b.newChange(m.cur, m.old)
		for _, c := range picked[key].cands {
			after := make([]fact, 0, len(c.ref.facts))
			for _, f := range c.ref.facts {
				if m.b.g.districtOf(f.District) == c.d && (all || f.Program == p) {
					f.District = code
				}
				after = append(after, f)
			}
			ch.add(c.ref.facts, after)
		}
		if w, valid := ch.witness(); valid {
			if w, valid = m.check(w, true); valid {
				return w, true
			}
		}
	}
	return disclosure.Witness{}, false
}

// syntheticFamily numbers the made-up families of synthetic moves, far
// from any pseudonym a real family has.
const syntheticFamily = 1 << 63

// synthetic moves made-up families from the largest district of a donor
// region into district target of region to. A witness only has to agree
// with what is published, and what is published are one-dimensional
// margins: each made-up family has one SALUR row with the donor
// district's most common sex, age band, decile, channel, component and
// amount, so the donor gives up the same number of families from one
// category of every dimension, and every count the move changes moves by
// the same amount. Moving at least k families (when the donor can spare
// them) makes the witness protect, by itself, every count it withholds.
// Made-up families are new to this run (they are not in the previous
// release) unless the requirement allows old ones.
func (m *mover) synthetic(geo Geo, to int, from []int, target int, p Program, all bool, need int64, onlyNew bool, gain func(disclosure.Witness) int64) (disclosure.Witness, bool) {
	up := need > 0
	need = abs(need)
	sizes := []int64{need}
	if up && need < m.b.k {
		sizes = []int64{m.b.k, need}
	}
	code := m.b.g.distCode[target]
	for i, src := range from {
		if i >= 3 {
			break
		}
		ds := m.largest(m.districts(geo, src), p, all)
		if len(ds) == 0 {
			continue
		}
		tmpl, ok := m.template(ds[0], p, all)
		if !ok {
			continue
		}
		tmpl.District = m.b.g.distCode[ds[0]]
		// The made-up rows count in the requirement's node.
		switch kds, meas, slot, _, _, cat := decode(m.want); kds {
		case dsPen:
			if _, c := pcKey(slot); c != ComponentNone {
				tmpl.Component = c
			}
			if st := statusOf(meas); st != StatusNone {
				tmpl.Status = st
			}
		case dsDemo:
			setCat(&tmpl, cat)
		case dsCov, dsSemua:
			tmpl.Decile = uint8(cat)
		}
		for _, n := range sizes {
			for _, isNew := range []bool{true, false} {
				if !isNew && onlyNew {
					continue
				}
				ch := m.b.newChange(m.cur, m.old)
				for j := int64(0); j < n; j++ {
					f := tmpl
					f.Family = syntheticFamily + uint64(j)
					f.New = isNew
					g := f
					g.District = code
					ch.add([]fact{f}, []fact{g})
				}
				if w, valid := ch.witness(); valid && gain(w) >= need {
					if w, valid = m.check(w, true); valid {
						return w, true
					}
				}
			}
		}
	}
	return disclosure.Witness{}, false
}

// template is a made-up SALUR row of district d for programme p (the
// district's largest programme when all): the most common value of each
// field among the district's rows of that programme.
func (m *mover) template(d int, p Program, all bool) (fact, bool) {
	prog := p
	if all {
		best := -1
		for _, q := range Programs() {
			if n := m.qf.count(d, q); n > best {
				best, prog = n, q
			}
		}
	}
	var sex [4]int
	var age [8]int
	var dec [11]int
	var ch [8]int
	comp := map[Component]int{}
	nom := map[uint32]int{}
	for _, ref := range m.qf.families(d, prog) {
		for _, f := range ref.facts {
			if f.Program != prog || m.b.g.districtOf(f.District) != d {
				continue
			}
			sex[f.Sex]++
			age[f.Age]++
			dec[f.Decile]++
			ch[f.Channel]++
			comp[f.Component]++
			if f.Status == Salur {
				nom[f.Nominal]++
			}
		}
	}
	if len(nom) == 0 {
		return fact{}, false
	}
	mode := func(c []int) int {
		best := 0
		for i, n := range c {
			if n > c[best] {
				best = i
			}
		}
		return best
	}
	modeOf := func(c map[Component]int) Component {
		var best Component
		n := -1
		for k, v := range c {
			if v > n || (v == n && k < best) {
				best, n = k, v
			}
		}
		return best
	}
	var amount uint32
	n := -1
	for a, c := range nom {
		if c > n || (c == n && a < amount) {
			amount, n = a, c
		}
	}
	f := fact{Program: prog, Status: Salur, Nominal: amount,
		Sex: Sex(mode(sex[:])), Age: uint8(mode(age[:])), Decile: uint8(mode(dec[:])), Channel: Channel(mode(ch[:]))}
	if prog == PKH {
		f.Component = modeOf(comp)
	}
	return f, true
}

// hosts lists the families of district d that have no row of programme
// p: rows moved in can join them.
func (m *mover) hosts(d int, p Program) []famRef {
	has := map[uint64]bool{}
	for _, ref := range m.qf.families(d, p) {
		has[ref.fam] = true
	}
	var out []famRef
	for _, prog := range Programs() {
		if prog == p {
			continue
		}
		for _, ref := range m.qf.families(d, prog) {
			if !has[ref.fam] {
				has[ref.fam] = true
				out = append(out, ref)
			}
		}
	}
	return out
}

// pickHost finds an unused host family whose rows have the deciles of the
// rows joining it.
func (m *mover) pickHost(hosts []famRef, rows []fact, used map[uint64]bool) (famRef, bool) {
	want := map[uint8]bool{}
	for _, f := range rows {
		want[f.Decile] = true
	}
	for _, h := range hosts {
		if used[h.fam] {
			continue
		}
		have := map[uint8]bool{}
		for _, f := range h.facts {
			have[f.Decile] = true
		}
		okAll := true
		for d := range want {
			if d > 0 && !have[d] {
				okAll = false
			}
		}
		if okAll {
			return h, true
		}
	}
	return famRef{}, false
}

// largest orders districts by the families they hold of the programme,
// most first: taking families from a large row keeps it visible.
func (m *mover) largest(ds []int, p Program, all bool) []int {
	size := func(d int) int {
		n := 0
		for _, prog := range m.programs(p, all) {
			n += m.qf.count(d, prog)
		}
		return n
	}
	out := append([]int(nil), ds...)
	slices.SortStableFunc(out, func(a, b int) int { return size(b) - size(a) })
	return out
}

func (m *mover) programs(p Program, all bool) []Program {
	if all || p == ProgramNone {
		return Programs()
	}
	return []Program{p}
}

func allNew(facts []fact) bool {
	for _, f := range facts {
		if !f.New {
			return false
		}
	}
	return true
}

// targetDistrict picks the district of region r (level geo) that receives
// moved rows: one where the programme already has a row, so no row
// appears, preferring a withheld one.
func (m *mover) targetDistrict(geo Geo, r int, p Program, all bool) int {
	districtsPublished := false
	for _, prog := range m.programs(p, all) {
		districtsPublished = districtsPublished || m.cur.penAt[pcTotal(prog)][Kecamatan]
	}
	if !districtsPublished {
		// Districts are not published for the programme: any district
		// of the region with records of it will do.
		for _, d := range m.districts(geo, r) {
			for _, prog := range m.programs(p, all) {
				if m.qf.count(d, prog) > 0 {
					return d
				}
			}
		}
		if ds := m.districts(geo, r); len(ds) > 0 {
			return ds[0]
		}
		return -1
	}
	best, bestWithheld := -1, false
	for _, d := range m.districts(geo, r) {
		for _, prog := range m.programs(p, all) {
			n, ok := m.cur.nodes[makeKey(dsPen, mP, pcTotal(prog), Kecamatan, d, 0)]
			if !ok {
				continue
			}
			w := m.b.p.Units[m.b.p.Nodes[n].Unit].Status.Withheld()
			if best < 0 || (w && !bestWithheld) {
				best, bestWithheld = d, w
			}
			break
		}
	}
	return best
}

// slotHost finds, in the district moves into region to (level geo) go
// to, a family with rows of programme slot: the target district, the
// family and its facts; ok is false when there is none.
func (m *mover) slotHost(geo Geo, to int, p Program, slot int) (target int, host uint64, facts []fact, ok bool) {
	target = m.targetDistrict(geo, to, p, false)
	if target < 0 {
		return 0, 0, nil, false
	}
	for _, ref := range m.qf.families(target, p) {
		fam := ref.fam
		for _, f := range ref.facts {
			if inSlot(&f, p, slot) {
				return target, fam, ref.facts, true
			}
		}
	}
	return 0, 0, nil, false
}

// inSlot reports whether f is a row of programme p's slot (the total, or
// one PKH component).
func inSlot(f *fact, p Program, slot int) bool {
	return f.Program == p && (slot == pcTotal(p) || pcOf(f.Program, f.Component) == slot)
}

// makeUpRecords adds need failed or returned transactions (meas) of
// programme slot in region to, as copies of a host family's own row of the
// slot: no family count changes, only the counts up the host's path. A
// made-up disbursement would show in the rupiah, so only failures and
// returns are made up.
func (m *mover) makeUpRecords(geo Geo, to int, p Program, slot, meas int, need int64) (disclosure.Witness, bool) {
	want := statusOf(meas)
	if want != Gagal && want != Retur {
		return disclosure.Witness{}, false
	}
	_, host, hostFacts, ok := m.slotHost(geo, to, p, slot)
	if !ok {
		return disclosure.Witness{}, false
	}
	after := append([]fact(nil), hostFacts...)
	for _, f := range hostFacts {
		if !inSlot(&f, p, slot) {
			continue
		}
		f.Status, f.New = want, true // in this release only
		for i := int64(0); i < abs(need); i++ {
			after = append(after, f)
		}
		return m.check(m.b.delta(m.cur, m.old, map[uint64][]fact{host: hostFacts}, map[uint64][]fact{host: after}))
	}
	return disclosure.Witness{}, false
}

// moveRecords moves the transactions of one status (meas) of programme
// slot out of region from into a family of sibling region to that already
// has rows of that slot (and of the moved row's PKH component) there, so
// no family count changes where it is published: the failed transactions
// of a district become another district's.
func (m *mover) moveRecords(geo Geo, from, to int, p Program, slot, meas int, need int64, onlyNew bool) (disclosure.Witness, bool) {
	want := statusOf(meas)
	target, host, hostFacts, ok := m.slotHost(geo, to, p, slot)
	if !ok {
		return disclosure.Witness{}, false
	}
	hostHas := map[Component]bool{}
	for _, f := range hostFacts {
		if f.Program == p {
			hostHas[f.Component] = true
		}
	}
	before := map[uint64][]fact{host: hostFacts}
	after := map[uint64][]fact{host: append([]fact(nil), hostFacts...)}
	code := m.b.g.distCode[target]
	var movedN int64
	for _, d := range m.districts(geo, from) {
		for _, ref := range m.qf.repeaters(d, p) {
			fam := ref.fam
			facts := ref.facts
			var keep, move []fact
			for _, f := range facts {
				match := (want == 0 || f.Status == want) && inSlot(&f, p, slot) && hostHas[f.Component] &&
					m.b.g.districtOf(f.District) == d && (!onlyNew || f.New)
				if match {
					move = append(move, f)
				} else {
					keep = append(keep, f)
				}
			}
			if len(move) == 0 {
				continue
			}
			// The family keeps a row of the programme (and of each moved
			// row's component) in the district, so the family counts do
			// not change.
			stays := true
			for _, mv := range move {
				kept := false
				for _, f := range keep {
					if f.Program == p && f.Component == mv.Component && m.b.g.districtOf(f.District) == d {
						kept = true
					}
				}
				stays = stays && kept
			}
			if !stays {
				continue
			}
			before[fam], after[fam] = facts, keep
			// The rows join the host: its sex, age, decile and channel,
			// so the host counts in no new category.
			h := hostFacts[0]
			for _, f := range move {
				f.District = code
				f.Family = host
				f.Sex, f.Age, f.Decile, f.Channel = h.Sex, h.Age, h.Decile, h.Channel
				after[host] = append(after[host], f)
				movedN++
			}
			if movedN >= abs(need) {
				return m.check(m.b.delta(m.cur, m.old, before, after))
			}
		}
	}
	return disclosure.Witness{}, false
}

func statusOf(meas int) Status {
	switch meas {
	case mS:
		return Salur
	case mG:
		return Gagal
	case mR:
		return Retur
	}
	return StatusNone
}

// relabel turns the failed transactions of region r (of the programme or
// component slot) into returned ones, or the returned into failed: the
// transactions stay where they are, only their status changes, all the
// way up to the nation.
func (m *mover) relabel(geo Geo, r int, p Program, slot, meas int, need int64, onlyNew bool) (disclosure.Witness, bool) {
	from, to := Gagal, Retur
	if meas == mR {
		from, to = Retur, Gagal
	}
	if need > 0 {
		from, to = to, from // raise the count: relabel the other status into it
	}
	before := map[uint64][]fact{}
	after := map[uint64][]fact{}
	var n int64
	limit := -need
	if need > 0 {
		limit = need
	}
	for _, d := range m.districts(geo, r) {
		for _, ref := range m.qf.families(d, p) {
			fam := ref.fam
			if _, done := before[fam]; done {
				continue
			}
			facts := ref.facts
			changed := append([]fact(nil), facts...)
			hit := false
			for i := range changed {
				f := &changed[i]
				if n < limit && f.Status == from && f.Program == p && m.b.g.districtOf(f.District) == d &&
					(slot == pcTotal(p) || pcOf(f.Program, f.Component) == slot) && (!onlyNew || f.New) {
					f.Status = to
					n++
					hit = true
				}
			}
			if hit {
				before[fam], after[fam] = facts, changed
			}
			if n >= limit {
				return m.check(m.b.delta(m.cur, m.old, before, after))
			}
		}
	}
	return disclosure.Witness{}, false
}

// proposeUnpaid suggests witnesses for the families a row paid nothing
// (its families minus its families paid): to reach 0, one failed or
// returned transaction of each such family becomes a disbursement, and as
// many disbursements of equal amounts in a sibling region become failures
// (taken from families that keep another disbursement, so the sibling's
// families paid do not change); to grow, the other way round.
func (m *mover) proposeUnpaid(r *disclosure.Requirement, terms []disclosure.Term, up bool, target int64, onlyNew bool) []disclosure.Witness {
	b := m.b
	var fam int32 = -1
	for _, t := range terms {
		if _, meas, _, _, _, _ := decode(b.keys[t.Node]); meas == mP && t.Coef == 1 {
			fam = t.Node
		}
	}
	if fam < 0 {
		return nil
	}
	value := r.Const
	for _, t := range r.Terms {
		value += t.Coef * b.p.Nodes[t.Node].Value
	}
	need := target - value
	_, _, slot, geo, reg, _ := decode(b.keys[fam])
	p, c := pcKey(slot)
	if c != ComponentNone {
		return nil
	}
	var sibs []int
	switch {
	case geo == Provinsi:
		sibs = m.kids[Nasional][0]
	case geo > Provinsi:
		sibs = m.kids[geo-1][b.parent(geo, reg)]
	}
	// The relabelling in reg is the same whichever sibling compensates
	// it: found once.
	u, ok := m.unpaidIn(geo, reg, p, up, need, onlyNew)
	if !ok {
		return nil
	}
	var out []disclosure.Witness
	for _, s := range m.rankSiblings(sibs, reg, geo, p, false) {
		if w, ok := m.payUnpaid(u, geo, s, p, up); ok {
			out = append(out, w)
			if len(out) >= 3 {
				break
			}
		}
	}
	if geo == Nasional || len(out) == 0 {
		// At the top, or with no sibling able to compensate: the status
		// changes all the way up.
		if w, ok := m.payUnpaid(u, geo, -1, p, up); ok {
			out = append(out, w)
		}
	}
	return out
}

// unpaid is the relabelling of proposeUnpaid in one region: the families
// changed, and the amounts and statuses relabelled, to mirror in a
// sibling.
type unpaid struct {
	before, after map[uint64][]fact
	amounts       []uint32
	statuses      []Status
	inRegion      func(f *fact, r int) bool
}

// unpaidIn finds the relabelling of proposeUnpaid in region reg (level
// geo); ok is false when the region has too few families for it.
func (m *mover) unpaidIn(geo Geo, reg int, p Program, up bool, need int64, onlyNew bool) (*unpaid, bool) {
	before := map[uint64][]fact{}
	after := map[uint64][]fact{}
	var amounts []uint32 // amounts and statuses relabelled in reg, to mirror in sib
	var statuses []Status
	count := int64(0)
	want := -need
	if up {
		want = need
	}
	inRegion := func(f *fact, r int) bool {
		d := m.b.g.districtOf(f.District)
		return f.Program == p && m.b.g.up(d, geo) == r && (!onlyNew || f.New)
	}
	seen := map[uint64]bool{}
	for _, d := range m.districts(geo, reg) {
		if count >= want {
			break // (no district read for nothing)
		}
		for _, ref := range m.qf.families(d, p) {
			fam := ref.fam
			if seen[fam] || count >= want {
				continue
			}
			seen[fam] = true
			facts := ref.facts
			salur := 0
			for i := range facts {
				if inRegion(&facts[i], reg) && facts[i].Status == Salur {
					salur++
				}
			}
			if (up && salur != 1) || (!up && salur != 0) {
				continue
			}
			hit := -1
			for i := range facts {
				f := &facts[i]
				if inRegion(f, reg) && (f.Status == Salur) == up {
					hit = i
					break
				}
			}
			if hit < 0 {
				continue
			}
			changed := append([]fact(nil), facts...)
			f := &changed[hit]
			amounts, statuses = append(amounts, f.Nominal), append(statuses, f.Status)
			if up {
				// A family paid once: the payment becomes a failure.
				f.Status = Gagal
			} else {
				// An unpaid family: one failure becomes a payment.
				f.Status = Salur
			}
			before[fam], after[fam] = facts, changed
			count++
		}
	}
	if count < want {
		return nil, false
	}
	return &unpaid{before, after, amounts, statuses, inRegion}, true
}

// payUnpaid completes relabelling u with its mirror in sibling sib (-1:
// not compensated).
func (m *mover) payUnpaid(u *unpaid, geo Geo, sib int, p Program, up bool) (disclosure.Witness, bool) {
	before, after := maps.Clone(u.before), maps.Clone(u.after)
	amounts, statuses, inRegion := u.amounts, u.statuses, u.inRegion
	if sib >= 0 {
		// Mirror each relabelling in the sibling with an equal amount,
		// from a family paid twice if there is one (the sibling's families
		// paid stay), else from any (one more of its families is unpaid).
		for i, amt := range amounts {
			done := false
			for _, loose := range []bool{false, true} {
				if done {
					break
				}
				for _, d := range m.districts(geo, sib) {
					if done {
						break
					}
					for _, ref := range m.qf.families(d, p) {
						fam := ref.fam
						if done {
							break
						}
						facts := after[fam]
						if facts == nil {
							facts = ref.facts
						}
						salur := 0
						for j := range facts {
							if inRegion(&facts[j], sib) && facts[j].Status == Salur {
								salur++
							}
						}
						changed := append([]fact(nil), facts...)
						for j := range changed {
							f := &changed[j]
							if done || !inRegion(f, sib) || f.Nominal != amt {
								continue
							}
							if !up && f.Status == Salur && (salur >= 2 || loose) {
								f.Status = statuses[i] // a payment becomes the failure moved away
								done = true
							}
							if up && f.Status == Gagal && salur >= 1 {
								f.Status = Salur
								done = true
							}
						}
						if done {
							if _, ok := before[fam]; !ok {
								before[fam] = ref.facts
							}
							after[fam] = changed
						}
					}
				}
			}
			if !done {
				return disclosure.Witness{}, false
			}
		}
	}
	return m.check(m.b.delta(m.cur, m.old, before, after))
}

// categoryOf returns the demography dimension and category index (into
// Categories) of a breakdown node: coverage deciles are the decile
// dimension.
func categoryOf(ds, cat int) (Dimension, int) {
	if ds == dsDemo {
		return Categories[cat].Dim, cat
	}
	return DimDecile, catDecileBase + cat - 1
}

// catOf returns a fact's category in dimension dim (-1: none).
func catOf(f *fact, dim Dimension) int {
	switch dim {
	case DimSex:
		if f.Sex == SexNone {
			return -1
		}
		return catSexBase + int(f.Sex) - 1
	case DimAge:
		return catAgeBase + int(f.Age)
	case DimDecile:
		if f.Decile == 0 {
			return catDecileNone
		}
		return catDecileBase + int(f.Decile) - 1
	}
	return catChanBase + int(f.Channel) - 1
}

// setCat gives a fact category cat of its dimension.
func setCat(f *fact, cat int) {
	switch {
	case cat < catAgeBase:
		f.Sex = Sex(cat - catSexBase + 1)
	case cat < catDecileBase:
		f.Age = uint8(cat - catAgeBase)
	case cat < catChanBase:
		if cat == catDecileNone {
			f.Decile = 0
		} else {
			f.Decile = uint8(cat - catDecileBase + 1)
		}
	default:
		f.Channel = Channel(cat - catChanBase + 1)
	}
}

// eachFamily calls fn with each family that has a fact of one of the
// programmes progs in region r (level geo), district by district
// (m.districts order) and programme by programme (progs order), until fn
// returns false. A family is met once, where the scan first comes to it:
// it is skipped in a district or programme that comes after one of its
// other facts', which needs no set of the families seen (for a province,
// millions). Nothing of a scan is kept but what fn keeps, so a region
// larger than the district cache (quarterfacts.go) is scanned in bounded
// memory; fn must copy a family's facts to keep them (famRef.facts lies
// in its district's block).
func (m *mover) eachFamily(geo Geo, r int, progs []Program, fn func(ref famRef) bool) {
	var progAt [8]int // position in progs + 1; 0: not scanned
	for i, pr := range progs {
		progAt[pr] = i + 1
	}
	ds := m.districts(geo, r)
	at := make([]int, m.b.g.nDist) // position in ds + 1; 0: not in r
	for i, d := range ds {
		at[d] = i + 1
	}
	metBefore := func(facts []fact, di, pi int) bool {
		for k := range facts {
			dd := m.b.g.districtOf(facts[k].District)
			if dd < 0 {
				continue
			}
			da, pa := at[dd], progAt[facts[k].Program]
			if da > 0 && pa > 0 && (da < di || (da == di && pa < pi)) {
				return true
			}
		}
		return false
	}
	for i, d := range ds {
		for j, prog := range progs {
			for _, ref := range m.qf.families(d, prog) {
				if !metBefore(ref.facts, i+1, j+1) && !fn(ref) {
					return
				}
			}
		}
	}
}

// relabelCategory moves families of region reg (level geo) from the
// largest other category of dimension dim into category want, need of
// them, and the same number of families of the siblings sibs (none: at
// the top) from want into that category: a rectangle that keeps every
// region's total and every category's total of the parent. With need < 0
// the families go the other way, out of want. A family's rows of the
// programme (every programme, for SEMUA) change together.
func (m *mover) relabelCategory(geo Geo, reg int, sibs []int, p Program, all bool, dim Dimension, want int, need int64, onlyNew bool) (disclosure.Witness, bool) {
	inRegion := func(f *fact, r int) bool {
		d := m.b.g.districtOf(f.District)
		return (all || f.Program == p) && m.b.g.up(d, geo) == r && (!onlyNew || f.New)
	}
	// scan calls fn with each family of region r whose rows there are all
	// of one category, and that category, until fn returns false.
	progs := m.programs(p, all)
	scan := func(r int, fn func(ref famRef, c int) bool) {
		m.eachFamily(geo, r, progs, func(ref famRef) bool {
			c, n := 0, 0
			for k := range ref.facts {
				f := &ref.facts[k]
				if !inRegion(f, r) {
					continue
				}
				if x := catOf(f, dim); n == 0 {
					c, n = x, 1
				} else if x != c {
					n = 2
					break
				}
			}
			return n != 1 || fn(ref, c) // one category: it can change as a whole
		})
	}
	// first returns the first n families of region r in category c, kept
	// (famRef.kept).
	first := func(r, c int, n int64) []famRef {
		if n <= 0 {
			return nil
		}
		var out []famRef
		scan(r, func(ref famRef, x int) bool {
			if x == c {
				out = append(out, ref.kept())
			}
			return int64(len(out)) < n
		})
		return out
	}
	// The region's families by category, and the first |need| of each,
	// kept, in one scan: the largest category other than want gives.
	type category struct {
		n     int64
		first []famRef
	}
	mine := map[int]*category{}
	scan(reg, func(ref famRef, c int) bool {
		cat := mine[c]
		if cat == nil {
			cat = &category{}
			mine[c] = cat
		}
		cat.n++
		if int64(len(cat.first)) < abs(need) {
			cat.first = append(cat.first, ref.kept())
		}
		return true
	})
	from, most := -1, int64(0)
	for c, cat := range mine {
		if c != want && c >= 0 && (cat.n > most || (cat.n == most && c < from)) {
			from, most = c, cat.n
		}
	}
	if from < 0 {
		return disclosure.Witness{}, false
	}
	// Down: the region's families of want go to the largest other
	// category, the siblings' the other way.
	give, take := from, want
	if need < 0 {
		need = -need
		give, take = want, from
	} else if most <= need {
		return disclosure.Witness{}, false
	}
	if mine[give] == nil || mine[give].n < need {
		return disclosure.Witness{}, false
	}
	// The families of the siblings in category take, with their region.
	theirs := collect(sibs, need, func(r int, left int64) []famRef { return first(r, take, left) })
	if len(sibs) > 0 && int64(len(theirs)) < need {
		return disclosure.Witness{}, false
	}
	return m.rectangle(reg, mine[give].first, theirs, func(fam famRef, r int, forward bool) []fact {
		to := give
		if forward {
			to = take
		}
		changed := append([]fact(nil), fam.facts...)
		for i := range changed {
			if inRegion(&changed[i], r) {
				setCat(&changed[i], to)
			}
		}
		return changed
	})
}

// famAt is a family of region r.
type famAt struct {
	fam famRef
	r   int
}

// collect takes up to n families from the regions in order, of(r, left)
// naming region r's candidates (at most left of them needed).
func collect(regions []int, n int64, of func(r int, left int64) []famRef) []famAt {
	var out []famAt
	for _, r := range regions {
		for _, f := range of(r, n-int64(len(out))) {
			out = append(out, famAt{f, r})
		}
		if int64(len(out)) >= n {
			break
		}
	}
	return out
}

// rectangle turns a relabelling into a witness: the families mine of
// region reg change forward (one label to the other) and as many of the
// siblings' (theirs; none at the top of the tree) back, so every region's
// total and the parent's total of each label stay. relabel returns a
// family's facts after the change.
func (m *mover) rectangle(reg int, mine []famRef, theirs []famAt, relabel func(fam famRef, r int, forward bool) []fact) (disclosure.Witness, bool) {
	ch := m.b.newChange(m.cur, m.old)
	for i, fam := range mine {
		ch.add(fam.facts, relabel(fam, reg, true))
		if len(theirs) > 0 {
			ch.add(theirs[i].fam.facts, relabel(theirs[i].fam, theirs[i].r, false))
		}
	}
	return m.check(ch.witness())
}

// relabelComponent proposes witnesses for a PKH component's families in
// region reg (level geo): need families of the region change another
// component's rows into component want (or, need < 0, want's rows into
// another), and as many families of the siblings sibs go the other way,
// so every region's PKH total, and the parent's rows of both components,
// stay as they are. Only rows whose amount is one the receiving component
// pays move (the unit amounts are public). Without it a small component
// is hidden by moving whole families between regions, which withholds
// the PKH totals of both: the numbers readers came for.
func (m *mover) relabelComponent(geo Geo, reg int, sibs []int, want Component, need int64, onlyNew bool) []disclosure.Witness {
	am := m.cur.t.Amounts[m.cur.q]
	if am == nil || need == 0 {
		return nil
	}
	fits := func(f *fact, c Component) bool {
		s := am[pcComponent(c)]
		return s.GCD != 0 && int64(f.Nominal) >= s.Min && int64(f.Nominal) <= s.Max && int64(f.Nominal)%s.GCD == 0
	}
	// families of region r that have component a there (every such row
	// fits component b) and no row of b anywhere: they can change as a
	// whole.
	movable := func(r int, a, b Component, limit int64) []famRef {
		var out []famRef
		for _, d := range m.districts(geo, r) {
			for _, ref := range m.qf.families(d, PKH) {
				ok, has := true, false
				for _, f := range ref.facts {
					if f.Program != PKH {
						continue
					}
					switch {
					case f.Component == b:
						ok = false
					case f.Component == a:
						has = true
						ok = ok && fits(&f, b) && (!onlyNew || f.New) && m.b.g.up(m.b.g.districtOf(f.District), geo) == r
					}
				}
				if ok && has {
					out = append(out, ref)
					if int64(len(out)) >= limit {
						return out
					}
				}
			}
		}
		return out
	}
	n := abs(need)
	var out []disclosure.Witness
	for _, other := range Components() {
		if other == want {
			continue
		}
		// Up: other → want here, want → other there; down the reverse.
		a, b := other, want
		if need < 0 {
			a, b = want, other
		}
		mine := movable(reg, a, b, n)
		if int64(len(mine)) < n {
			continue
		}
		theirs := collect(sibs, n, func(r int, left int64) []famRef { return movable(r, b, a, left) })
		if traceMoves {
			fmt.Fprintf(os.Stderr, "    relabel component %s %d %s need %d via %s: %d here, %d in %d siblings\n", geo, reg, want, need, other, len(mine), len(theirs), len(sibs))
		}
		if len(sibs) > 0 && int64(len(theirs)) < n {
			continue
		}
		w, ok := m.rectangle(reg, mine[:n], theirs, func(fam famRef, _ int, forward bool) []fact {
			from, to := b, a
			if forward {
				from, to = a, b
			}
			changed := append([]fact(nil), fam.facts...)
			for i := range changed {
				if changed[i].Program == PKH && changed[i].Component == from {
					changed[i].Component = to
				}
			}
			return changed
		})
		if traceMoves {
			fmt.Fprintf(os.Stderr, "    relabel component: witness %v, %d nodes\n", ok, len(w.Nodes))
		}
		if ok {
			out = append(out, w)
			if m.free(w) {
				break
			}
		}
	}
	return out
}
