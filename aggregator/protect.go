package aggregator

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strings"

	"github.com/portal-data-bansos/portal/internal/disclosure"
	"github.com/portal-data-bansos/portal/internal/region"
)

// This file turns one quarter of a release into the attacker's system of
// docs/disclosure.md and applies the engine's verdict.
//
// Every count an attacker can see or derive is a node: per penyaluran row
// the families (P), the SALUR, GAGAL and RETUR transactions (S, G, R) and
// all transactions (T = S + G + R), and, where a programme's amounts vary,
// the rupiah of each status in multiples of the amounts' greatest common
// divisor (where every amount is the same, rupiah are a count times the
// unit and need no node of their own); per realisasi row the families
// paid (Ps); per demography cell its families and disbursed amount; per
// coverage and rejection row its count. The quarter's previous version
// (its last release) is in the same system, every node linked to its
// earlier self by "then ≤ now", with the earlier release's verdict fixed.

// Node keys name a node across releases: dataset, measure, programme or
// component slot, level, region and category.
type nodeKey uint64

// Datasets of a node.
const (
	dsPen   = iota // penyaluran (and the realisasi row's families paid)
	dsDemo         // penyaluran-demografi
	dsCov          // cakupan-desil, one programme
	dsSemua        // cakupan-desil, SEMUA
	dsRej          // ketepatan-sasaran
	dsQual         // kualitas-data
)

// Measures of a node.
const (
	mP     = iota // families
	mS            // SALUR transactions
	mG            // GAGAL transactions
	mR            // RETUR transactions
	mT            // all transactions
	mNS           // rupiah disbursed, in granules
	mNG           // rupiah failed
	mNR           // rupiah returned
	mPaid         // families with a SALUR row
	mAmt          // unused: demography rupiah is not published (kept so stored keys stay valid)
	mCount        // a coverage, rejection or quality row's count
)

func makeKey(ds, m, slot int, geo Geo, r int, cat int) nodeKey {
	return nodeKey(uint64(ds) | uint64(m)<<4 | uint64(slot)<<8 | uint64(geo)<<16 | uint64(r)<<18 | uint64(cat)<<40)
}

// Weights of the information lost per unit a count of each level moves
// when its row must be withheld to protect another: national and
// province figures are what the portal exists for.
var levelWeight = [4]float64{Nasional: 1e6, Provinsi: 1e4, Kabupaten: 30, Kecamatan: 1}

// penRow is the nodes and units of one penyaluran row.
type penRow struct {
	cell                 *Cell // nil for a grid row of zeros
	key                  CellKey
	pc                   int
	p, s, g, r, t        int32
	ns, ng, nr           int32 // -1 where the rupiah are a count times the unit
	paid                 int32 // -1 where realisasi has no row
	uP, uS, uG, uR, uT   int32
	uPaid                int32
	amtFixed             bool
	unit, base, amin, am int64 // unit (fixed), granule, min and max amount
}

// version is one release of a quarter in the problem.
type version struct {
	old   bool
	q     Quarter
	t     *Tables
	nodes map[nodeKey]int32
	list  []int32 // the nodes in the order they were made
	rows  map[penKey]*penRow
	order []penKey // rows in a fixed order
	// What the attacker knows of the amounts and what is published,
	// for witnesses made from records (moves.go).
	base      [7]int64
	fixed     [numPC]bool
	demoFloor [7]int8             // finest level of demography, -1 for none
	demoDim   [7][2][numDims]bool // demography publishes the dimension of the programme at the level
	planned   [7]bool
	realAt    [7][3]bool // realisasi has rows of the programme at the level
	coverage  bool
	covAt     [7][3]bool     // cakupan-desil has rows of the programme (SEMUA: 0) at the level
	covDec    [7][3][11]bool // ... of that decile
	compAt    [3]bool        // PKH components are published at the level
	penAt     [numPC][4]bool // penyaluran has rows of the slot at the level
	// Apply bookkeeping (current version only).
	demo  []demoNode
	cover []coverNode
	semua []semuaNode
	rej   []rejNode
	qual  []qualNode
}

type penKey struct {
	pc  int
	geo Geo
	r   int
}

type demoNode struct {
	row  *penRow
	cat  int
	cell *DemoCell // nil: zero
	p    int32
	unit int32
}

type coverNode struct {
	row    *penRow
	decile int
	cell   *CoverCell // nil: zero, not published unless its row is withheld
	node   int32
	unit   int32
}

type semuaNode struct {
	cell   *CoverCell // nil: zero
	key    CellKey
	decile int
	node   int32
	unit   int32
}

type rejNode struct {
	cell *RejectCell
	node int32
	unit int32
}

type qualNode struct {
	cell *QualityCell
	node int32
	unit int32
}

// builder assembles one quarter's problem.
type builder struct {
	g    *geography
	k    int64
	p    disclosure.Problem
	keys []nodeKey
	// rowIDs number the (programme, level, region) blocks: a region's
	// programme row, its components, realisation, demography and coverage
	// rows, in both releases. The engine keeps a move on the blocks it
	// already changes.
	rowIDs map[[3]int]int32
	// distinct is scratch for contribute.
	distinct map[nodeKey]bool
	// blockUnits lists the current units of each block, for escalation.
	blockUnits map[[3]int][]int32
	// The two fixed units of the previous version, and the fixed unit of
	// the current version's counts that are never published (transaction
	// counts below transactionFloor).
	oldPub, oldWith, unpub int32
}

// grid makes unit u (a component, category or decile of row r) withheld
// whenever r is, when r's families are few: a small row then shows all
// its parts withheld, zeros included, so it never tells which of them are
// empty. A row withheld to protect another is large; its parts are
// published or withheld on their own merits.
func (b *builder) grid(r *penRow, u int32) {
	if v := b.p.Nodes[r.p].Value; v > 0 && v < b.k {
		b.p.Units[r.uP].With = append(b.p.Units[r.uP].With, u)
	}
}

// published reports whether node n is published as the problem stands.
func (b *builder) published(n int32) bool {
	return !b.p.Units[b.p.Nodes[n].Unit].Status.Withheld()
}

func (b *builder) unit() int32 {
	b.p.Units = append(b.p.Units, disclosure.Unit{})
	return int32(len(b.p.Units) - 1)
}

func (b *builder) node(v *version, key nodeKey, value, lower int64, unit int32, cost float64) int32 {
	if v.old {
		unit = b.oldPub
	}
	n := int32(len(b.p.Nodes))
	// The block: programme (or dataset and slot), level and region.
	blk := b.blockOf(key)
	if b.rowIDs == nil {
		b.rowIDs = map[[3]int]int32{}
	}
	row, ok := b.rowIDs[blk]
	if !ok {
		row = int32(len(b.rowIDs) + 1)
		b.rowIDs[blk] = row
	}
	b.p.Nodes = append(b.p.Nodes, disclosure.Node{Value: value, Lower: min(lower, value), Upper: disclosure.NoUpper, Unit: unit, Cost: cost, Old: v.old, Row: row})
	if !v.old && unit >= 0 && !b.p.Units[unit].Fixed {
		if b.blockUnits == nil {
			b.blockUnits = map[[3]int][]int32{}
		}
		b.blockUnits[blk] = append(b.blockUnits[blk], unit)
	}
	b.keys = append(b.keys, key)
	v.nodes[key] = n
	v.list = append(v.list, n)
	return n
}

func (b *builder) constraint(op disclosure.Op, rhs int64, terms ...disclosure.Term) {
	// A zero coefficient (an amount of 0 rupiah) says nothing.
	out := terms[:0]
	for _, t := range terms {
		if t.Coef != 0 {
			out = append(out, t)
		}
	}
	if len(out) > 0 {
		b.p.Constraints = append(b.p.Constraints, disclosure.Constraint{Terms: out, Op: op, RHS: rhs})
	}
}

func term(n int32, c int64) disclosure.Term { return disclosure.Term{Node: n, Coef: c} }

// How a total relates to its parts.
const (
	relDistinct = iota // distinct families: equal when it holds (a family usually lives in one place)
	relExact           // transactions, rupiah, rows: always equal
	relAtLeast         // some parts left out (a sparse level): the total is at least their sum
	relOverlap         // distinct families that often belong to several parts: never assumed equal
)

// sum adds total = Σ parts when it holds for the true values, else the
// inequalities an attacker still knows of distinct counts: total ≤ Σ
// parts (a family is in at least one part) and part ≤ total. Exact
// relations (transactions, rupiah, rejected rows) always hold.
func (b *builder) sum(total int32, parts []int32, exact bool) {
	kind := relDistinct
	if exact {
		kind = relExact
	}
	b.relate(total, parts, kind)
}

// relate adds the relation of a total to its parts. For parts that often
// share families (PKH components: a family with a child in school and a
// grandmother counts in two; programmes in SEMUA) an attacker cannot know
// that the counts happen to add up, so only the inequalities are known.
func (b *builder) relate(total int32, parts []int32, kind int) {
	exact := kind == relExact
	if total < 0 || len(parts) == 0 {
		return
	}
	if kind == relAtLeast {
		terms := []disclosure.Term{term(total, -1)}
		for _, x := range parts {
			terms = append(terms, term(x, 1))
		}
		b.constraint(disclosure.Le, 0, terms...)
		return
	}
	terms := []disclosure.Term{term(total, 1)}
	var s int64
	for _, x := range parts {
		terms = append(terms, term(x, -1))
		s += b.p.Nodes[x].Value
	}
	if exact || (kind == relDistinct && s == b.p.Nodes[total].Value) {
		b.constraint(disclosure.Eq, 0, terms...)
		return
	}
	// total ≤ Σ parts, unless some families of the total are in no
	// published part (a programme whose level is not published).
	if b.p.Nodes[total].Value <= s {
		b.constraint(disclosure.Le, 0, terms...)
	}
	for _, x := range parts {
		b.constraint(disclosure.Le, 0, term(x, 1), term(total, -1))
	}
}

// lessEq adds a ≤ b.
func (b *builder) lessEq(a, c int32) {
	if a >= 0 && c >= 0 {
		b.constraint(disclosure.Le, 0, term(a, 1), term(c, -1))
	}
}

// parent returns the region one level up.
func (b *builder) parent(geo Geo, r int) int {
	switch geo {
	case Kecamatan:
		return int(b.g.regOf[r])
	case Kabupaten:
		return int(b.g.provOf[r])
	}
	return 0
}

func regionIndex(k CellKey) int {
	if k.Geo == Nasional {
		return 0
	}
	return int(k.Region)
}

func cellKey(q Quarter, p Program, c Component, geo Geo, r int) CellKey {
	id := region.ID(r)
	if geo == Nasional {
		id = region.None
	}
	return CellKey{Quarter: q, Program: p, Component: c, Geo: geo, Region: id}
}

// addVersion adds the nodes and constraints of one version of the
// quarter's tables.
func (b *builder) addVersion(v *version, q Quarter) {
	t := v.t
	v.q = q
	v.nodes = map[nodeKey]int32{}
	v.rows = map[penKey]*penRow{}
	am := t.Amounts[q]
	if am == nil {
		am = &[numPC]amountStat{}
	}
	// The granule of each programme: the gcd of all its amounts, PKH's
	// components included, so every rupiah total is a whole number of
	// granules.
	var base [7]int64
	for pc := 0; pc < numPC; pc++ {
		p, _ := pcKey(pc)
		s := am[pc]
		if s.GCD == 0 {
			continue
		}
		if base[p] == 0 {
			base[p] = s.GCD
		} else {
			base[p] = gcd(base[p], s.GCD)
		}
	}
	for p := range base {
		v.base[p] = max(base[p], 1)
	}
	for pc := 0; pc < numPC; pc++ {
		st := am[pc]
		v.fixed[pc] = st.Fixed() || st.GCD == 0
	}
	// What the tables publish of this quarter, after sparse levels were
	// left out: the levels of demography, realisation and coverage.
	for p := range v.demoFloor {
		v.demoFloor[p] = -1
	}
	for i := range t.Demografi {
		if c := &t.Demografi[i]; c.Quarter == q {
			if int8(c.Geo) > v.demoFloor[c.Program] {
				v.demoFloor[c.Program] = int8(c.Geo)
			}
			v.demoDim[c.Program][c.Geo][Categories[c.Cat].Dim] = true
		}
	}
	for i := range t.Realisasi {
		if c := &t.Realisasi[i]; c.Quarter == q {
			v.planned[c.Program] = true
			v.realAt[c.Program][c.Geo] = true
		}
	}
	for i := range t.Cakupan {
		if c := &t.Cakupan[i]; c.Quarter == q {
			v.coverage = true
			v.covAt[c.Program][c.Geo] = true
			v.covDec[c.Program][c.Geo][c.Decile] = true
		}
	}
	cost := func(geo Geo, kind float64) float64 {
		if v.old {
			return 0
		}
		return levelWeight[geo] * kind
	}
	// Penyaluran rows, with a grid of zero component rows under every PKH
	// total down to the regency: shown withheld when the total is, so a
	// withheld total never reveals which components it has.
	newRow := func(c *Cell, key CellKey, pc int) *penRow {
		r := &penRow{cell: c, key: key, pc: pc, ns: -1, ng: -1, nr: -1, paid: -1, uPaid: -1}
		var fam, trx, gag, ret, nS, nG, nR int64
		if c != nil {
			fam, trx, gag, ret, nS, nG, nR = c.Penerima, c.Transaksi, c.TrxGagal, c.TrxRetur, c.NomSalur, c.NomGagal, c.NomRetur
		}
		sal := trx - gag - ret
		geo, ri := key.Geo, regionIndex(key)
		if !v.old {
			r.uP, r.uS = b.unit(), b.unit()
			b.p.Units[r.uP].With = append(b.p.Units[r.uP].With, r.uS)
			if !transactionsShown(key) {
				// Never published at this level: unknowns to the attacker.
				r.uG, r.uR, r.uT = b.unpub, b.unpub, b.unpub
			} else {
				r.uG, r.uR, r.uT = b.unit(), b.unit(), b.unit()
				b.p.Units[r.uP].With = append(b.p.Units[r.uP].With, r.uG, r.uR, r.uT)
				// All transactions less the paid ones (their rupiah over
				// the unit) are the failed and returned together: they
				// go when either does.
				b.p.Units[r.uG].With = append(b.p.Units[r.uG].With, r.uT)
				b.p.Units[r.uR].With = append(b.p.Units[r.uR].With, r.uT)
			}
		}
		k := func(m int) nodeKey { return makeKey(dsPen, m, pc, geo, ri, 0) }
		// A component costs less to withhold than a total: the totals are
		// what readers came for.
		famCost := 4.0
		if _, c := pcKey(pc); c != ComponentNone {
			famCost = 1
		}
		r.p = b.node(v, k(mP), fam, min(fam, 1), r.uP, cost(geo, famCost))
		r.s = b.node(v, k(mS), sal, 0, r.uS, cost(geo, 1))
		r.g = b.node(v, k(mG), gag, 0, r.uG, cost(geo, 1))
		r.r = b.node(v, k(mR), ret, 0, r.uR, cost(geo, 1))
		r.t = b.node(v, k(mT), trx, 0, r.uT, cost(geo, 1))
		p, _ := pcKey(pc)
		st := am[pc]
		r.base = base[p]
		if r.base == 0 {
			r.base = 1
		}
		r.amtFixed = st.Fixed() || st.GCD == 0
		r.unit, r.amin, r.am = st.Min, st.Min, st.Max
		b.constraint(disclosure.Eq, 0, term(r.t, 1), term(r.s, -1), term(r.g, -1), term(r.r, -1))
		b.lessEq(r.p, r.t) // every family has a transaction
		if !r.amtFixed {
			r.ns = b.node(v, k(mNS), nS/r.base, 0, r.uS, cost(geo, 1e-3))
			r.ng = b.node(v, k(mNG), nG/r.base, 0, r.uG, cost(geo, 1e-3))
			r.nr = b.node(v, k(mNR), nR/r.base, 0, r.uR, cost(geo, 1e-3))
			// Each transaction's amount lies between the smallest and the
			// largest of the programme's.
			lo, hi := st.Min/r.base, st.Max/r.base
			for _, pair := range [][2]int32{{r.s, r.ns}, {r.g, r.ng}, {r.r, r.nr}} {
				b.constraint(disclosure.Le, 0, term(pair[0], lo), term(pair[1], -1))
				b.constraint(disclosure.Le, 0, term(pair[1], 1), term(pair[0], -hi))
			}
		}
		v.rows[penKey{pc, geo, ri}] = r
		return r
	}
	for i := range t.Penyaluran {
		c := &t.Penyaluran[i]
		if c.Quarter != q {
			continue
		}
		newRow(c, c.CellKey, pcOf(c.Program, c.Component))
	}
	// Levels at which components are published (sparse ones are left
	// out whole).
	for i := range t.Penyaluran {
		if c := &t.Penyaluran[i]; c.Quarter == q {
			v.penAt[pcOf(c.Program, c.Component)][c.Geo] = true
			if c.Component != ComponentNone {
				v.compAt[c.Geo] = true
			}
		}
	}
	for geo := Nasional; geo <= componentFloor; geo++ {
		if !v.compAt[geo] {
			continue
		}
		for r := 0; r < b.g.count(geo); r++ {
			tot := v.rows[penKey{pcTotal(PKH), geo, r}]
			if tot == nil {
				continue
			}
			for c := IbuHamil; c < numComponents; c++ {
				pc := pcComponent(c)
				comp := v.rows[penKey{pc, geo, r}]
				if comp == nil {
					comp = newRow(nil, cellKey(q, PKH, c, geo, r), pc)
				}
				if !v.old {
					b.grid(tot, comp.uP)
				}
			}
		}
	}
	v.order = sortedKeys(v.rows)
	// Region hierarchy of every measure.
	children := map[penKey][]*penRow{}
	for _, pk := range v.order {
		if pk.geo == Nasional {
			continue
		}
		parent := penKey{pk.pc, pk.geo - 1, b.parent(pk.geo, pk.r)}
		children[parent] = append(children[parent], v.rows[pk])
	}
	for _, pk := range v.order {
		if kids := children[pk]; len(kids) > 0 {
			// A region's rupiah follow from its count where the
			// programme pays one amount (no rupiah node).
			b.relateRows(v.rows[pk], kids, relDistinct, v.rows[pk].ns >= 0)
		}
	}
	// PKH total ← its components: transactions and rupiah exactly,
	// families as distinct counts.
	for geo := Nasional; geo <= componentFloor; geo++ {
		if !v.compAt[geo] {
			continue
		}
		for r := 0; r < b.g.count(geo); r++ {
			tot := v.rows[penKey{pcTotal(PKH), geo, r}]
			if tot == nil {
				continue
			}
			var comps []*penRow
			for c := IbuHamil; c < numComponents; c++ {
				comps = append(comps, v.rows[penKey{pcComponent(c), geo, r}])
			}
			b.relateRows(tot, comps, relOverlap, true)
		}
	}
	b.addRealisation(v, q)
	b.addDemography(v, q)
	b.addCoverage(v, q)
	b.addRejections(v, q)
	b.addQuality(v, q)
}

// rupiahTerm is a row's rupiah in its programme's granules: node n, or
// (no node: the programme pays one amount) count cnt times the unit.
func rupiahTerm(r *penRow, n, cnt int32) disclosure.Term {
	if n >= 0 {
		return term(n, 1)
	}
	return term(cnt, r.unit/r.base)
}

// relateRows ties row par to the rows it is made of (its sub-regions, or
// a PKH total's components): families by kind, transactions exactly and,
// with rupiah, the paid, failed and returned rupiah exactly.
func (b *builder) relateRows(par *penRow, kids []*penRow, families int, rupiah bool) {
	var fam, sal, gag, ret, trx []int32
	for _, c := range kids {
		fam = append(fam, c.p)
		sal = append(sal, c.s)
		gag = append(gag, c.g)
		ret = append(ret, c.r)
		trx = append(trx, c.t)
	}
	b.relate(par.p, fam, families)
	b.sum(par.s, sal, true)
	b.sum(par.g, gag, true)
	b.sum(par.r, ret, true)
	b.sum(par.t, trx, true)
	if !rupiah {
		return
	}
	pairs := func(r *penRow) [3][2]int32 { return [3][2]int32{{r.ns, r.s}, {r.ng, r.g}, {r.nr, r.r}} }
	for i, pp := range pairs(par) {
		terms := []disclosure.Term{rupiahTerm(par, pp[0], pp[1])}
		for _, c := range kids {
			cp := pairs(c)[i]
			t := rupiahTerm(c, cp[0], cp[1])
			t.Coef = -t.Coef
			terms = append(terms, t)
		}
		b.constraint(disclosure.Eq, 0, terms...)
	}
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// addRealisation adds the families paid of every realisasi row: at most
// the row's families and its SALUR transactions; the families paid
// nothing have a failed or returned transaction.
func (b *builder) addRealisation(v *version, q Quarter) {
	t := v.t
	planned := map[Program]bool{}
	for i := range t.Realisasi {
		if t.Realisasi[i].Quarter == q {
			planned[t.Realisasi[i].Program] = true
		}
	}
	paidOf := map[CellKey]int64{}
	for i := range t.Realisasi {
		c := &t.Realisasi[i]
		if c.Quarter == q {
			paidOf[c.CellKey] = c.PenerimaSalur
		}
	}
	for _, pk := range v.order {
		r := v.rows[pk]
		p, c := pcKey(pk.pc)
		if c != ComponentNone || pk.geo > Kabupaten || !planned[p] || !v.realAt[p][pk.geo] {
			continue
		}
		paid := paidOf[r.key]
		if !v.old {
			r.uPaid = b.unit()
			b.p.Units[r.uP].With = append(b.p.Units[r.uP].With, r.uPaid)
		}
		r.paid = b.node(v, makeKey(dsPen, mPaid, pk.pc, pk.geo, pk.r, 0), paid, 0, r.uPaid, levelWeight[pk.geo])
		if v.old {
			b.p.Nodes[r.paid].Cost = 0
		}
		b.lessEq(r.paid, r.p)
		b.lessEq(r.paid, r.s)
		// P − Ps ≤ G + R
		b.constraint(disclosure.Le, 0, term(r.p, 1), term(r.paid, -1), term(r.g, -1), term(r.r, -1))
	}
	// Hierarchy of the families paid.
	kids := map[penKey][]int32{}
	for _, pk := range v.order {
		r := v.rows[pk]
		if r.paid < 0 || pk.geo == Nasional {
			continue
		}
		parent := penKey{pk.pc, pk.geo - 1, b.parent(pk.geo, pk.r)}
		kids[parent] = append(kids[parent], r.paid)
	}
	for _, pk := range v.order {
		if par := v.rows[pk]; par.paid >= 0 && len(kids[pk]) > 0 {
			b.sum(par.paid, kids[pk], false)
		}
	}
}

// addDemography adds penyaluran-demografi: for every programme total of a
// published demography level, each category's families and amount, with
// zero categories in the grid (shown withheld when the total is).
func (b *builder) addDemography(v *version, q Quarter) {
	t := v.t
	cells := map[CellKey]*[numCats]*DemoCell{}
	for i := range t.Demografi {
		c := &t.Demografi[i]
		if c.Quarter != q {
			continue
		}
		arr := cells[c.CellKey]
		if arr == nil {
			arr = new([numCats]*DemoCell)
			cells[c.CellKey] = arr
		}
		arr[c.Cat] = c
	}
	floor := map[Program]int8{}
	for _, p := range Programs() {
		floor[p] = v.demoFloor[p]
	}
	// Category nodes by (programme, level, region).
	type catNodes struct {
		row *penRow
		p   [numCats]int32
	}
	all := map[penKey]*catNodes{}
	for _, pk := range v.order {
		r := v.rows[pk]
		p, c := pcKey(pk.pc)
		if c != ComponentNone || int8(pk.geo) > floor[p] {
			continue
		}
		arr := cells[r.key]
		cn := &catNodes{row: r}
		for i := range cn.p {
			cn.p[i] = -1
		}
		all[pk] = cn
		for cat := 0; cat < numCats; cat++ {
			if !v.demoDim[p][pk.geo][Categories[cat].Dim] {
				continue
			}
			var fam int64
			var cell *DemoCell
			if arr != nil && arr[cat] != nil {
				cell = arr[cat]
				fam = cell.Penerima
			}
			var u int32 = -1
			if !v.old {
				u = b.unit()
				b.grid(r, u)
			}
			cn.p[cat] = b.node(v, makeKey(dsDemo, mP, pk.pc, pk.geo, pk.r, cat), fam, min(fam, 1), u, levelWeight[pk.geo]*2)
			// Families only: rupiah by category is not published
			// (docs/disclosure.md, "What is published less"), so it has
			// no node: which of two families of different categories was
			// paid would otherwise follow from the totals.
			if v.old {
				b.p.Nodes[cn.p[cat]].Cost = 0
			} else {
				v.demo = append(v.demo, demoNode{row: r, cat: cat, cell: cell, p: cn.p[cat], unit: u})
			}
		}
		// Each dimension's categories add up to the total, as distinct
		// counts.
		cat := 0
		for dim, size := range dimSizes {
			if v.demoDim[p][pk.geo][dim] {
				b.sum(r.p, cn.p[cat:cat+size], false)
			}
			cat += size
		}
	}
	// Nation ← provinces, per category.
	for _, pk := range v.order {
		cn := all[pk]
		if cn == nil || pk.geo != Nasional {
			continue
		}
		var provs []*catNodes
		for _, pk2 := range v.order {
			if c2 := all[pk2]; c2 != nil && pk2.pc == pk.pc && pk2.geo == Provinsi {
				provs = append(provs, c2)
			}
		}
		if len(provs) == 0 {
			continue
		}
		for cat := 0; cat < numCats; cat++ {
			if cn.p[cat] < 0 {
				continue
			}
			var fam []int32
			for _, pc := range provs {
				if pc.p[cat] >= 0 {
					fam = append(fam, pc.p[cat])
				}
			}
			if len(fam) < len(provs) {
				continue // the category is not published by province
			}
			b.sum(cn.p[cat], fam, false)
		}
	}
}

// addCoverage adds cakupan-desil: every programme row (the demography
// decile node where demography is published at that level, its own node
// below) with zero deciles in the grid, and the SEMUA rows.
func (b *builder) addCoverage(v *version, q Quarter) {
	t := v.t
	var any bool
	type ck struct {
		p   Program
		geo Geo
		r   int
		dec int
	}
	cells := map[ck]*CoverCell{}
	for i := range t.Cakupan {
		c := &t.Cakupan[i]
		if c.Quarter != q {
			continue
		}
		any = true
		cells[ck{c.Program, c.Geo, regionIndex(c.CellKey), c.Decile}] = c
	}
	if !any {
		return
	}
	lower := func(c *CoverCell, value int64) int64 {
		// Zeros are published as zeros, so the attacker reads a withheld
		// row as at least one family.
		return min(value, 1)
	}
	type progNodes [11]int32
	prog := map[penKey]*progNodes{}
	for _, pk := range v.order {
		r := v.rows[pk]
		p, c := pcKey(pk.pc)
		if c != ComponentNone || pk.geo > Kabupaten || !v.covAt[p][pk.geo] {
			continue
		}
		pn := &progNodes{}
		for i := range pn {
			pn[i] = -1
		}
		prog[pk] = pn
		for dec := 1; dec <= 10; dec++ {
			if !v.covDec[p][pk.geo][dec] {
				continue // a decile left out at this level
			}
			cell := cells[ck{p, pk.geo, pk.r, dec}]
			if n, ok := v.nodes[makeKey(dsDemo, mP, pk.pc, pk.geo, pk.r, catDecileBase+dec-1)]; ok {
				pn[dec] = n
				if !v.old {
					v.cover = append(v.cover, coverNode{row: r, decile: dec, cell: cell, node: n, unit: b.p.Nodes[n].Unit})
				}
				continue
			}
			var value int64
			if cell != nil {
				value = cell.Penerima
			}
			var u int32 = -1
			if !v.old {
				u = b.unit()
				b.grid(r, u)
			}
			pn[dec] = b.node(v, makeKey(dsCov, mCount, int(p)-1, pk.geo, pk.r, dec), value, lower(cell, value), u, levelWeight[pk.geo]*2)
			if v.old {
				b.p.Nodes[pn[dec]].Cost = 0
			} else {
				v.cover = append(v.cover, coverNode{row: r, decile: dec, cell: cell, node: pn[dec], unit: u})
			}
		}
		// Families of the published deciles are at most all families
		// (some have no decile, or one not published).
		terms := []disclosure.Term{term(r.p, -1)}
		for dec := 1; dec <= 10; dec++ {
			if pn[dec] >= 0 {
				terms = append(terms, term(pn[dec], 1))
			}
		}
		if len(terms) > 1 {
			b.constraint(disclosure.Le, 0, terms...)
		}
	}
	// Hierarchy of the programme rows (the demography's own hierarchy
	// covers the levels it publishes; repeating it is harmless).
	kidsOf := map[penKey][]*progNodes{}
	for _, pk := range v.order {
		pn := prog[pk]
		if pn == nil || pk.geo == Nasional {
			continue
		}
		parent := penKey{pk.pc, pk.geo - 1, b.parent(pk.geo, pk.r)}
		kidsOf[parent] = append(kidsOf[parent], pn)
	}
	for _, pk := range v.order {
		kids := kidsOf[pk]
		par := prog[pk]
		if par == nil || len(kids) == 0 {
			continue
		}
		for dec := 1; dec <= 10; dec++ {
			if par[dec] < 0 {
				continue
			}
			var parts []int32
			for _, k := range kids {
				if k[dec] >= 0 {
					parts = append(parts, k[dec])
				}
			}
			if len(parts) == len(kids) {
				b.sum(par[dec], parts, false)
			}
		}
	}
	// SEMUA rows: at least each programme's, at most their sum. Every
	// decile of every region with recipients is a node, zeros included,
	// so a witness that moves a family may change a zero (which is then
	// shown withheld).
	semua := map[ck]int32{}
	seenRegion := map[penKey]bool{}
	for _, pk := range v.order {
		if pk.geo > Kabupaten || !v.covAt[ProgramNone][pk.geo] {
			continue
		}
		if _, c := pcKey(pk.pc); c != ComponentNone {
			continue
		}
		rk := penKey{0, pk.geo, pk.r}
		if seenRegion[rk] {
			continue
		}
		seenRegion[rk] = true
		for dec := 1; dec <= 10; dec++ {
			if !v.covDec[ProgramNone][pk.geo][dec] {
				continue
			}
			key := ck{ProgramNone, pk.geo, pk.r, dec}
			c := cells[key]
			var value int64
			if c != nil {
				value = c.Penerima
			}
			var u int32 = -1
			if !v.old {
				u = b.unit()
			}
			n := b.node(v, makeKey(dsSemua, mCount, 0, key.geo, key.r, key.dec), value, lower(c, value), u, levelWeight[key.geo]*2)
			if v.old {
				b.p.Nodes[n].Cost = 0
			} else {
				v.semua = append(v.semua, semuaNode{cell: c, key: cellKey(q, ProgramNone, ComponentNone, pk.geo, pk.r), decile: dec, node: n, unit: u})
			}
			semua[key] = n
		}
	}
	keys := make([]ck, 0, len(semua))
	for key := range semua {
		keys = append(keys, key)
	}
	slices.SortFunc(keys, func(a, c ck) int {
		if a.geo != c.geo {
			return int(a.geo) - int(c.geo)
		}
		if a.r != c.r {
			return a.r - c.r
		}
		return a.dec - c.dec
	})
	for _, key := range keys {
		n := semua[key]
		var parts []int32
		for _, p := range Programs() {
			if pn := prog[penKey{pcTotal(p), key.geo, key.r}]; pn != nil && pn[key.dec] >= 0 {
				parts = append(parts, pn[key.dec])
				b.lessEq(pn[key.dec], n)
			}
		}
		b.relate(n, parts, relOverlap)
	}
	// SEMUA hierarchy.
	kids := map[ck][]int32{}
	for _, key := range keys {
		if key.geo == Nasional {
			continue
		}
		par := ck{ProgramNone, key.geo - 1, b.parent(key.geo, key.r), key.dec}
		kids[par] = append(kids[par], semua[key])
	}
	for _, key := range keys {
		if ks := kids[key]; len(ks) > 0 {
			b.sum(semua[key], ks, false)
		}
	}
}

// addRejections adds ketepatan-sasaran: per programme and SEMUA, exact
// sums up the regions and across programmes.
func (b *builder) addRejections(v *version, q Quarter) {
	t := v.t
	type rk struct {
		p      Program
		geo    Geo
		r      int
		reason Reason
	}
	nodes := map[rk]int32{}
	var keys []rk
	for i := range t.Ketepatan {
		c := &t.Ketepatan[i]
		if c.Quarter != q {
			continue
		}
		key := rk{c.Program, c.Geo, regionIndex(c.CellKey), c.Reason}
		var u int32 = -1
		if !v.old {
			u = b.unit()
		}
		n := b.node(v, makeKey(dsRej, mCount, int(c.Program), c.Geo, key.r, int(c.Reason)), c.Jumlah, 1, u, levelWeight[c.Geo]*4)
		if v.old {
			b.p.Nodes[n].Cost = 0
		} else {
			v.rej = append(v.rej, rejNode{cell: c, node: n, unit: u})
		}
		nodes[key] = n
		keys = append(keys, key)
	}
	// A programme with rows for the reason nationally but none at a level
	// had that level left out (sparse): SEMUA there is then only at least
	// the sum of the programmes shown.
	type pl struct {
		p      Program
		geo    Geo
		reason Reason
	}
	at := map[pl]bool{}
	for _, key := range keys {
		at[pl{key.p, key.geo, key.reason}] = true
	}
	partial := func(geo Geo, reason Reason) bool {
		for _, p := range Programs() {
			if at[pl{p, Nasional, reason}] && !at[pl{p, geo, reason}] {
				return true
			}
		}
		return false
	}
	kids := map[rk][]int32{}
	progs := map[rk][]int32{}
	for _, key := range keys {
		if key.geo != Nasional {
			par := rk{key.p, key.geo - 1, b.parent(key.geo, key.r), key.reason}
			kids[par] = append(kids[par], nodes[key])
		}
		if key.p != ProgramNone {
			all := rk{ProgramNone, key.geo, key.r, key.reason}
			progs[all] = append(progs[all], nodes[key])
		}
	}
	for _, key := range keys {
		if ks := kids[key]; len(ks) > 0 {
			b.sum(nodes[key], ks, true)
		}
		if ps := progs[key]; len(ps) > 0 {
			if partial(key.geo, key.reason) {
				b.relate(nodes[key], ps, relAtLeast)
			} else {
				b.sum(nodes[key], ps, true)
			}
		}
	}
}

// addQuality adds kualitas-data: counts with no relation between them.
func (b *builder) addQuality(v *version, q Quarter) {
	t := v.t
	for i := range t.Kualitas {
		c := &t.Kualitas[i]
		if c.Quarter != q {
			continue
		}
		var u int32 = -1
		if !v.old {
			u = b.unit()
		}
		n := b.node(v, makeKey(dsQual, mCount, qualityReasonIndex(c.Reason), Nasional, 0, 0), c.Jumlah, 1, u, 1)
		if !v.old {
			v.qual = append(v.qual, qualNode{cell: c, node: n, unit: u})
		} else {
			b.p.Nodes[n].Cost = 0
		}
	}
}

// qualityReasonIndex numbers the kualitas-data reasons for node keys.
func qualityReasonIndex(reason string) int {
	for i, r := range QuarantineReasons() {
		if r.String() == reason {
			return i + 1
		}
	}
	switch reason {
	case "MOVED":
		return 60
	case "REPLAYED":
		return 61
	}
	return 62
}

// requirements adds what must not be learnt about the current version
// (docs/disclosure.md, "The requirement").
func (b *builder) requirements(cur, old *version, oldState map[nodeKey]nodeState) {
	req := func(need disclosure.Need, hide int32, c int64, terms ...disclosure.Term) {
		b.p.Requirements = append(b.p.Requirements, disclosure.Requirement{Terms: terms, Const: c, Need: need, Hide: hide})
	}
	// A row's protected count: withheld → k wide; small → withheld.
	row := func(n int32) {
		u := b.p.Nodes[n].Unit
		req(disclosure.NeedSmall, u, 0, term(n, 1))
		req(disclosure.NeedWide, u, 0, term(n, 1))
	}
	sub := func(n int32) {
		req(disclosure.NeedSmall, b.p.Nodes[n].Unit, 0, term(n, 1))
	}
	counts := func(v *version) {
		for _, pk := range v.order {
			r := v.rows[pk]
			row(r.p)
			sub(r.s)
			sub(r.g)
			sub(r.r)
			sub(r.t)
			// Transactions not paid out (failed or returned): with the
			// paid ones known from their rupiah, all transactions give
			// them away, so those are what a small sum withholds. Below
			// transactionFloor and on component rows no transaction
			// count is published: the sum is bounded only through the
			// counts above.
			if transactionsShown(r.key) {
				req(disclosure.NeedSmall, r.uT, 0, term(r.g, 1), term(r.r, 1))
			}
			if r.paid >= 0 {
				sub(r.paid)
				// Families paid nothing: families − families paid.
				hide := r.uPaid
				if hide < 0 { // an old row's: never suppresses
					hide = b.p.Nodes[r.p].Unit
				}
				req(disclosure.NeedSmall, hide, 0, term(r.p, 1), term(r.paid, -1))
			}
		}
		for _, d := range v.demo {
			row(d.p)
		}
		for _, c := range v.cover {
			if b.keys[c.node]&0xf == dsCov {
				row(c.node)
			}
		}
		for _, s := range v.semua {
			row(s.node)
		}
		for _, r := range v.rej {
			row(r.node)
		}
		for _, qn := range v.qual {
			row(qn.node)
		}
	}
	counts(cur)
	if old == nil {
		return
	}
	// The previous release's withheld counts stay protected with this
	// release beside it through the floors: each earlier witness carried
	// forward (when one cannot be, the quarter is held back).
	// What changed since the previous release is a count of its own.
	isCount := func(key nodeKey) bool {
		m := int(key>>4) & 0xf
		switch m {
		case mNS, mNG, mNR:
			return false
		}
		return true
	}
	for _, n := range cur.list {
		key := b.keys[n]
		o, ok := old.nodes[key]
		if !ok {
			continue
		}
		b.lessEq(o, n) // counts and amounts only grow
		if !isCount(key) {
			continue
		}
		u := b.p.Nodes[n].Unit
		req(disclosure.NeedSmall, u, 0, term(n, 1), term(o, -1))
		// And since the last release that published it, when the
		// previous one withheld it.
		if st, ok := oldState[key]; ok && st.Withheld && st.LastPub >= 0 && st.LastPub < b.p.Nodes[o].Value {
			req(disclosure.NeedSmall, u, -st.LastPub, term(n, 1))
		}
	}
	for _, pk := range cur.order {
		r := cur.rows[pk]
		o := old.rows[pk]
		if r.paid < 0 || o == nil || o.paid < 0 {
			continue
		}
		req(disclosure.NeedSmall, r.uPaid, 0, term(r.p, 1), term(r.paid, -1), term(o.p, -1), term(o.paid, 1))
	}
}

// sortedKeys returns a version's keys in order, for determinism.
func sortedKeys(m map[penKey]*penRow) []penKey {
	out := make([]penKey, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b penKey) int {
		switch {
		case a.pc != b.pc:
			return a.pc - b.pc
		case a.geo != b.geo:
			return int(a.geo) - int(b.geo)
		}
		return a.r - b.r
	})
	return out
}

// History is what the aggregator keeps of its previous release to protect
// the next one against differencing: per quarter, the true tables of the
// quarter's last release, each node's verdict and bounds, and the
// witnesses that still need carrying forward. It lives in private.db: it
// holds the true values of withheld cells.
type History struct {
	Quarters map[Quarter]*QuarterHistory
}

// QuarterHistory is one quarter's part of the History.
type QuarterHistory struct {
	Tables *Tables // the quarter's true tables at its last release
	Nodes  map[nodeKey]nodeState
	// Floors are the earlier witnesses' raised values: the next release
	// of the quarter must admit a witness with each node at least as
	// high (see disclosure.Floor).
	Floors []floorRec
}

type nodeState struct {
	Withheld bool
	// Floor is the node's true value at the release before the last (0
	// when it did not exist): a lower bound of its value then.
	Floor int64
	// LastPub is its value at the last release that published it (an
	// absent row publishes 0), -1 when none did.
	LastPub int64
}

type floorRec struct {
	Keys  []nodeKey
	Min   []int64
	Delta []int64 // the witness's change of each node (disclosure.Floor.Shift)
}

// tablesEqual reports whether two quarter snapshots hold the same numbers.
func tablesEqual(a, b *Tables) bool { return reflect.DeepEqual(a, b) }

// unknownQuarter holds the kualitas-data rows whose period could not be
// read.
const unknownQuarter Quarter = 0

// quarterOf returns the quarters of a release's tables, the unknown
// period (kualitas-data only) first when present.
func releaseQuarters(t *Tables) []Quarter {
	seen := map[Quarter]bool{}
	var out []Quarter
	add := func(q Quarter) {
		if !seen[q] {
			seen[q] = true
			out = append(out, q)
		}
	}
	for i := range t.Penyaluran {
		add(t.Penyaluran[i].Quarter)
	}
	for i := range t.Ketepatan {
		add(t.Ketepatan[i].Quarter)
	}
	for i := range t.Kualitas {
		if t.Kualitas[i].Known {
			add(t.Kualitas[i].Quarter)
		} else {
			add(unknownQuarter)
		}
	}
	slices.Sort(out)
	return out
}

// sliceQuarter copies quarter q of t, verdicts cleared: what the history
// keeps and compares. Quarters are protected at once, each writing the
// verdicts of its own cells: a cell of another quarter is only looked at
// by fields no protection writes (its quarter, its counts), never copied.
func sliceQuarter(t *Tables, q Quarter) *Tables {
	out := &Tables{
		Penyaluran: cellsOf(t.Penyaluran, func(c *Cell) bool { return c.Quarter == q },
			func(c *Cell) { c.Withheld, c.Hidden = Published, 0 }),
		Demografi: cellsOf(t.Demografi, func(c *DemoCell) bool { return c.Quarter == q && c.Penerima > 0 },
			func(c *DemoCell) { c.Withheld = Published }),
		Ketepatan: cellsOf(t.Ketepatan, func(c *RejectCell) bool { return c.Quarter == q },
			func(c *RejectCell) { c.Withheld = Published }),
		Kualitas: cellsOf(t.Kualitas, func(c *QualityCell) bool { return (c.Known && c.Quarter == q) || (!c.Known && q == unknownQuarter) },
			func(c *QualityCell) {
				c.Withheld = Published
				if !c.Known {
					c.Quarter = unknownQuarter
				}
			}),
		Realisasi: cellsOf(t.Realisasi, func(c *RealCell) bool { return c.Quarter == q },
			func(c *RealCell) { c.Withheld, c.Hidden = Published, 0 }),
		Cakupan: cellsOf(t.Cakupan, func(c *CoverCell) bool { return c.Quarter == q && (c.Keluarga > 0 || c.Penerima > 0) },
			func(c *CoverCell) { c.Withheld = Published }),
	}
	if a := t.Amounts[q]; a != nil {
		cp := *a
		out.Amounts = map[Quarter]*[numPC]amountStat{q: &cp}
	}
	return out
}

// cellsOf copies the cells keep takes, each changed by clear.
func cellsOf[C any](cells []C, keep func(*C) bool, clear func(*C)) []C {
	var out []C
	for i := range cells {
		if keep(&cells[i]) {
			c := cells[i]
			clear(&c)
			out = append(out, c)
		}
	}
	return out
}

// newBuilder starts a quarter's problem with its fixed units.
func newBuilder(g *geography, k int) *builder {
	b := &builder{g: g, k: int64(k)}
	b.oldPub = b.unit()
	b.oldWith = b.unit()
	b.p.Units[b.oldPub] = disclosure.Unit{Fixed: true}
	b.p.Units[b.oldWith] = disclosure.Unit{Fixed: true, Status: disclosure.Primary}
	b.unpub = b.unit()
	b.p.Units[b.unpub] = disclosure.Unit{Fixed: true, Status: disclosure.Secondary}
	return b
}

// protectQuarter applies disclosure control to quarter q of t (in place)
// against the quarter's previous release, and returns the quarter's new
// history. A quarter whose numbers did not change keeps its verdicts and
// history as they were.
func protectQuarter(g *geography, t *Tables, q Quarter, prev *QuarterHistory, k int, load factLoader) (*QuarterHistory, *quarterResult, error) {
	snap := sliceQuarter(t, q)
	b := newBuilder(g, k)
	if prev != nil && tablesEqual(snap, prev.Tables) {
		// Nothing new: publish exactly what was published.
		cur := &version{t: t}
		b.addVersion(cur, q)
		for key, n := range cur.nodes {
			if st, ok := prev.Nodes[key]; ok && st.Withheld {
				b.p.Units[b.p.Nodes[n].Unit].Status = disclosure.Primary
			}
		}
		res := apply(b, cur)
		res.carried = true
		return prev, res, nil
	}
	var old *version
	var oldState map[nodeKey]nodeState
	if prev != nil {
		old = &version{old: true, t: prev.Tables}
		b.addVersion(old, q)
		oldState = prev.Nodes
		for key, n := range old.nodes {
			st := prev.Nodes[key]
			nd := &b.p.Nodes[n]
			if st.Withheld {
				nd.Unit = b.oldWith
			}
			nd.Lower = max(nd.Lower, min(st.Floor, nd.Value))
		}
	}
	cur := &version{t: t}
	b.addVersion(cur, q)
	b.requirements(cur, old, oldState)
	if prev != nil {
		for _, f := range prev.Floors {
			var fl disclosure.Floor
			for i, key := range f.Keys {
				if n, ok := cur.nodes[key]; ok {
					fl.Nodes = append(fl.Nodes, n)
					fl.Min = append(fl.Min, f.Min[i])
				}
				if len(f.Delta) != len(f.Keys) || f.Delta[i] == 0 {
					continue
				}
				if n, ok := cur.nodes[key]; ok {
					fl.ShiftNodes = append(fl.ShiftNodes, n)
					fl.Shift = append(fl.Shift, f.Delta[i])
				}
				if n, ok := old.nodes[key]; ok {
					fl.ShiftNodes = append(fl.ShiftNodes, n)
					fl.Shift = append(fl.Shift, f.Delta[i])
				}
			}
			if len(fl.Nodes) > 0 {
				b.p.Floors = append(b.p.Floors, fl)
			}
		}
	}
	opt := disclosure.Options{Name: b.describe}
	var qf *quarterFacts
	if load != nil && q != unknownQuarter {
		var err error
		qf, err = load(q)
		if err != nil {
			return nil, nil, err
		}
		defer qf.close()
		opt.Propose = newMover(b, cur, old, qf).propose
	}
	opt.Escalate = b.escalate
	if prev != nil {
		// Changes to a quarter already published: the proof carries
		// every earlier witness forward, which takes long on a large
		// quarter. Past revisionNodes, or when no proof comes in
		// reasonable time, the quarter is held back (see Protect).
		if len(b.p.Floors) > 0 && len(b.p.Nodes) > revisionNodes {
			return nil, nil, errRevisionTooLarge
		}
		opt.Budget = revisionBudget
	}
	r, err := disclosure.Protect(&b.p, k, opt)
	if qf != nil && qf.err != nil {
		return nil, nil, fmt.Errorf("disclosure control of %s: %w", PeriodString(q), qf.err)
	}
	if err != nil {
		var fe *disclosure.FailError
		if errors.As(err, &fe) && fe.Requirement >= 0 {
			var names []string
			le := &levelError{}
			for _, t := range b.p.Requirements[fe.Requirement].Terms {
				names = append(names, fmt.Sprintf("%s = %d", b.describe(t.Node), b.p.Nodes[t.Node].Value))
				if ds, _, slot, geo, _, _ := decode(b.keys[t.Node]); !le.ok && !b.p.Nodes[t.Node].Old {
					le.program, le.geo, le.ok = programOfNode(ds, slot, geo)
				}
			}
			le.err = fmt.Errorf("disclosure control of %s: %w (%s)", PeriodString(q), err, strings.Join(names, ", "))
			return nil, nil, le
		}
		var ce *disclosure.ConstraintError
		if errors.As(err, &ce) {
			var names []string
			c := &b.p.Constraints[ce.Constraint]
			for _, t := range c.Terms {
				names = append(names, fmt.Sprintf("%+d×%s = %d", t.Coef, b.describe(t.Node), b.p.Nodes[t.Node].Value))
			}
			return nil, nil, fmt.Errorf("disclosure control of %s: %w (%s %v %d)", PeriodString(q), err, strings.Join(names, ", "), c.Op, c.RHS)
		}
		return nil, nil, fmt.Errorf("disclosure control of %s: %w", PeriodString(q), err)
	}
	res := apply(b, cur)
	res.engine = r
	if qf != nil {
		res.reads = qf.reads
	}
	if os.Getenv("DISCLOSURE_TRACE") != "" {
		fmt.Fprintf(os.Stderr, "quarter %s: %d nodes, %d requirements active, %d witnesses, escalations %d, work %d\n",
			PeriodString(q), len(b.p.Nodes), r.Active, len(r.Witnesses), r.Escalations, r.Work)
		if qf != nil {
			fmt.Fprintf(os.Stderr, "  %s districts read %d times\n", PeriodString(q), qf.reads)
		}
		for k, v := range r.BySource {
			fmt.Fprintf(os.Stderr, "  %s %6d  %s\n", PeriodString(q), v, k)
		}
	}
	// The new history.
	h := &QuarterHistory{Tables: snap, Nodes: make(map[nodeKey]nodeState, len(cur.nodes))}
	for key, n := range cur.nodes {
		nd := &b.p.Nodes[n]
		st := nodeState{Withheld: b.p.Units[nd.Unit].Status.Withheld(), LastPub: -1}
		if old != nil {
			st.LastPub = 0 // absent from the previous release: published as 0
			if o, ok := old.nodes[key]; ok {
				st.Floor = b.p.Nodes[o].Value
				st.LastPub = oldState[key].LastPub
			}
		}
		if !st.Withheld {
			st.LastPub = nd.Value
		}
		h.Nodes[key] = st
	}
	for _, w := range r.Witnesses {
		var f floorRec
		for i, n := range w.Nodes {
			if d := w.Delta[i]; d != 0 && !b.p.Nodes[n].Old {
				f.Keys = append(f.Keys, b.keys[n])
				f.Min = append(f.Min, b.p.Nodes[n].Value+d)
				f.Delta = append(f.Delta, d)
			}
		}
		if slices.ContainsFunc(f.Delta, func(d int64) bool { return d > 0 }) {
			h.Floors = append(h.Floors, f)
		}
	}
	return h, res, nil
}

// levelError is a requirement no suppression could meet, with the
// programme and level of its count: Protect leaves that level out and
// tries again (omitLevel).
type levelError struct {
	program Program
	geo     Geo
	ok      bool // a programme level below the nation to leave out
	err     error
}

func (e *levelError) Error() string { return e.err.Error() }
func (e *levelError) Unwrap() error { return e.err }

// programOfNode is the programme and level of a node of dataset ds,
// when they form a level omitLevel can leave out.
func programOfNode(ds, slot int, geo Geo) (Program, Geo, bool) {
	switch ds {
	case dsPen, dsDemo, dsCov:
		p := programOf(ds, slot)
		return p, geo, p != ProgramNone && geo > Nasional
	}
	return ProgramNone, geo, false
}

// revisionBudget and revisionNodes bound the protection of a quarter
// that an earlier release published; past them the quarter's changes
// wait for a later release (held back, as the report says). The budget
// counts work, not seconds (disclosure.Options.Budget), so a release is
// the same on any machine.
const (
	revisionBudget = 20_000_000_000
	revisionNodes  = 40_000
)

var errRevisionTooLarge = errors.New("aggregator: revising a published quarter this large is not supported yet")

// factLoader reads a quarter's facts for witnesses made from records.
type factLoader func(Quarter) (*quarterFacts, error)

// quarterResult counts what protection did to one quarter.
type quarterResult struct {
	carried bool
	engine  *disclosure.Result
	// reads is how many times the moves read a district's facts from
	// disk (quarterfacts.go): the cost of the cache's limit.
	reads int64
	// Grid rows of zeros shown withheld because their total is.
	zeroPen   []Cell
	zeroDemo  []DemoCell
	zeroCover []CoverCell
}

func withheldOf(s disclosure.Status) Withheld {
	switch s {
	case disclosure.Primary:
		return Primary
	case disclosure.Secondary:
		return Secondary
	}
	return Published
}

// apply copies the verdicts into the current version's rows.
func apply(b *builder, v *version) *quarterResult {
	res := &quarterResult{}
	st := func(u int32) disclosure.Status { return b.p.Units[u].Status }
	for _, pk := range sortedKeys(v.rows) {
		r := v.rows[pk]
		w := withheldOf(st(r.uP))
		if r.cell == nil {
			if w != Published {
				c := Cell{CellKey: r.key, Withheld: w}
				res.zeroPen = append(res.zeroPen, c)
			}
			continue
		}
		r.cell.Withheld, r.cell.Hidden = w, 0
		if w == Published {
			for _, m := range []struct {
				u int32
				h Measures
			}{{r.uT, HideTransaksi}, {r.uS, HideSalur}, {r.uG, HideGagal}, {r.uR, HideRetur}} {
				if m.u != b.unpub && st(m.u).Withheld() {
					r.cell.Hidden |= m.h
				}
			}
		}
	}
	for i := range v.t.Realisasi {
		c := &v.t.Realisasi[i]
		if c.Quarter != v.q {
			continue
		}
		c.Withheld, c.Hidden = Published, 0
		r := v.rows[penKey{pcTotal(c.Program), c.Geo, regionIndex(c.CellKey)}]
		if r == nil {
			continue // nothing was paid: published zeros
		}
		c.Withheld = withheldOf(st(r.uP))
		if c.Withheld == Published {
			if r.uPaid >= 0 && st(r.uPaid).Withheld() {
				c.Hidden |= HidePaid
			}
			if st(r.uS).Withheld() {
				c.Hidden |= HideSalur
			}
		}
	}
	for _, d := range v.demo {
		w := withheldOf(st(d.unit))
		if d.cell != nil {
			d.cell.Withheld = w
		} else if w != Published {
			res.zeroDemo = append(res.zeroDemo, DemoCell{CellKey: d.row.key, Cat: uint8(d.cat), Withheld: w})
		}
	}
	for _, c := range v.cover {
		w := withheldOf(st(c.unit))
		if c.cell != nil {
			c.cell.Withheld = w
		} else if w != Published {
			res.zeroCover = append(res.zeroCover, CoverCell{CellKey: c.row.key, Decile: c.decile, Withheld: w})
		}
	}
	for _, s := range v.semua {
		w := withheldOf(st(s.unit))
		if s.cell != nil {
			s.cell.Withheld = w
		} else if w != Published {
			res.zeroCover = append(res.zeroCover, CoverCell{CellKey: s.key, Decile: s.decile, Withheld: w})
		}
	}
	for _, r := range v.rej {
		r.cell.Withheld = withheldOf(st(r.unit))
	}
	for _, qn := range v.qual {
		qn.cell.Withheld = withheldOf(st(qn.unit))
	}
	return res
}

// describe names a node for messages: "penyaluran PKH/SD kabupaten 32.04
// families (release before)".
func (b *builder) describe(n int32) string {
	key := b.keys[n]
	ds, m, slot := int(key)&0xf, int(key>>4)&0xf, int(key>>8)&0xff
	geo, r, cat := Geo(int(key>>16)&3), int(key>>18)&0x3fffff, int(key>>40)&0xff
	dsNames := []string{"penyaluran", "penyaluran-demografi", "cakupan-desil", "cakupan-desil SEMUA", "ketepatan-sasaran", "kualitas-data"}
	mNames := []string{"families", "SALUR transactions", "GAGAL transactions", "RETUR transactions", "transactions",
		"rupiah disbursed", "rupiah failed", "rupiah returned", "families paid", "amount", "count"}
	what := ""
	switch ds {
	case dsPen, dsDemo:
		p, c := pcKey(slot)
		what = p.String()
		if c != ComponentNone {
			what += "/" + c.String()
		}
	case dsCov:
		what = Program(slot + 1).String()
	case dsRej:
		what = Program(slot).String()
	}
	code := ""
	if geo != Nasional {
		code = " " + b.g.regions.ByID(region.Level(geo), region.ID(r)).Code
	}
	s := fmt.Sprintf("%s %s %s%s %s", dsNames[ds], what, geo, code, mNames[m])
	if ds == dsDemo {
		s += " " + Categories[cat].Name
	} else if cat != 0 {
		s += fmt.Sprintf(" #%d", cat)
	}
	if b.p.Nodes[n].Old {
		s += " (previous release)"
	}
	return s
}

// escalate is the engine's last resort for requirement ri (see
// disclosure.Options.Escalate): step 0 withholds the block of the
// requirement's region (its programme's rows there, and SEMUA's), step 1
// its siblings' blocks, step 2 its parent's, step 3 the parent's
// siblings', and so on up to the nation.
func (b *builder) escalate(ri int, step int) []int32 {
	r := &b.p.Requirements[ri]
	// The block of its node of this release, else of the previous
	// release's (the keys, and so the blocks, are the same).
	var n int32 = -1
	for _, t := range r.Terms {
		if n < 0 || !b.p.Nodes[t.Node].Old {
			n = t.Node
		}
	}
	if n < 0 {
		return nil
	}
	blk := b.blockOf(b.keys[n])
	geo, reg := Geo(blk[1]), blk[2]
	// Walk up step/2 levels; odd steps take the siblings.
	for i := 0; i < step/2; i++ {
		if geo == Nasional {
			return nil
		}
		reg = b.parent(geo, reg)
		geo--
	}
	regions := []int{reg}
	if step%2 == 1 {
		if geo == Nasional {
			return nil
		}
		parent := b.parent(geo, reg)
		regions = nil
		for r := 0; r < b.g.count(geo); r++ {
			if r != reg && b.parent(geo, r) == parent {
				regions = append(regions, r)
			}
		}
	}
	var out []int32
	for _, r := range regions {
		for _, slot := range []int{blk[0], 100*dsSemua + 0} {
			out = append(out, b.blockUnits[[3]int{slot, int(geo), r}]...)
		}
	}
	if out == nil {
		out = []int32{} // nothing there: go on to the next step
	}
	return out
}

// blockOf returns the block (programme or dataset slot, level, region) of
// a node key, as node() numbers rows.
func (b *builder) blockOf(key nodeKey) [3]int {
	slot := int(key>>8) & 0xff
	ds := int(key) & 0xf
	switch ds {
	case dsPen, dsDemo:
		p, _ := pcKey(slot)
		slot = int(p)
	case dsCov:
		slot++
	default:
		slot = 100*ds + slot
	}
	return [3]int{slot, int(key>>16) & 3, int(key>>18) & 0x3fffff}
}
