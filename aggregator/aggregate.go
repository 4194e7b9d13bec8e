package aggregator

import (
	"fmt"
	"slices"

	"github.com/portal-data-bansos/portal/internal/region"
)

// The aggregation of one quarter's facts.
//
// Distinct families are counted exactly at every level. Facts are sorted by
// family; each family's contributions are deduplicated, then added to
// dense per-district accumulators, which are summed up the region
// hierarchy. Summing is exact for a family seen in one district, as almost
// all are; a family seen in several districts of one regency would be
// counted twice in that regency, so such families add a negative correction
// at every level where their districts share a region.

// program/component slots of the penyaluran accumulators: 0–5 the six
// programmes' totals, 6–12 the seven PKH components. Slots 13–18 count,
// in penerima only, the families with a SALUR row of each programme (the
// realisation against target).
const (
	numPC    = 13
	numSlots = numPC + 6
)

// Programme slots of the demography accumulators: 0–5 the programmes, 6
// families reached by any programme (SEMUA, for coverage of the deciles).
const (
	semuaSlot = 6
	demoSlots = 7
)

func pcSalur(p Program) int { return numPC + int(p) - 1 }

func pcTotal(p Program) int       { return int(p) - 1 }
func pcComponent(c Component) int { return 5 + int(c) }

func pcKey(pc int) (Program, Component) {
	if pc < 6 {
		return Program(pc + 1), ComponentNone
	}
	return PKH, Component(pc - 5)
}

type distAcc struct {
	penerima, transaksi, trxGagal, trxRetur int64
	nomSalur, nomGagal, nomRetur            int64
}

func (a *distAcc) add(b *distAcc) {
	a.penerima += b.penerima
	a.transaksi += b.transaksi
	a.trxGagal += b.trxGagal
	a.trxRetur += b.trxRetur
	a.nomSalur += b.nomSalur
	a.nomGagal += b.nomGagal
	a.nomRetur += b.nomRetur
}

type demoAcc struct{ penerima, nomSalur int64 }

// geography maps district codes to dense IDs and IDs up the hierarchy.
type geography struct {
	regions  *region.Table
	byCode   []int16 // district code PPKKDD → district ID + 1 (0: unknown)
	nDist    int
	nReg     int
	nProv    int
	regOf    []int32 // district ID → regency ID
	provOf   []int32 // regency ID → province ID
	distCode []uint32
}

func newGeography(t *region.Table) *geography {
	g := &geography{regions: t, byCode: make([]int16, 1_000_000),
		nDist: t.Count(region.District), nReg: t.Count(region.Regency), nProv: t.Count(region.Province)}
	g.regOf = make([]int32, g.nDist)
	g.distCode = make([]uint32, g.nDist)
	for i := 0; i < g.nDist; i++ {
		r := t.ByID(region.District, region.ID(i))
		code := districtNumber(r.Code)
		g.byCode[code] = int16(i + 1)
		g.distCode[i] = code
		g.regOf[i] = int32(t.ParentID(region.District, region.ID(i)))
	}
	g.provOf = make([]int32, g.nReg)
	for i := 0; i < g.nReg; i++ {
		g.provOf[i] = int32(t.ParentID(region.Regency, region.ID(i)))
	}
	return g
}

// districtNumber turns "32.04.11" into 320411.
func districtNumber(dotted string) uint32 {
	var n uint32
	for i := 0; i < len(dotted); i++ {
		if c := dotted[i]; c >= '0' && c <= '9' {
			n = n*10 + uint32(c-'0')
		}
	}
	return n
}

// districtOf returns the dense ID of a district code, or -1.
func (g *geography) districtOf(code uint32) int {
	if code >= uint32(len(g.byCode)) {
		return -1
	}
	return int(g.byCode[code]) - 1
}

// up returns the ID at level geo of district d (0 for the nation).
func (g *geography) up(d int, geo Geo) int {
	switch geo {
	case Kecamatan:
		return d
	case Kabupaten:
		return int(g.regOf[d])
	case Provinsi:
		return int(g.provOf[g.regOf[d]])
	}
	return 0
}

func (g *geography) count(geo Geo) int {
	switch geo {
	case Kecamatan:
		return g.nDist
	case Kabupaten:
		return g.nReg
	case Provinsi:
		return g.nProv
	}
	return 1
}

// quarterAgg accumulates one quarter.
type quarterAgg struct {
	g    *geography
	q    Quarter
	dist [4][]distAcc // [geo][pc*n + region]
	demo [4][]demoAcc // [geo][((p*n)+region)*numCats + cat]
	// corr holds negative corrections of penerima for families seen in
	// several districts, by packed key at levels above the district.
	corr map[uint64]int64
	keys []uint64
	up   []uint64
	// amounts describes the transaction amounts of each programme and
	// component: what an attacker who knows the unit amounts can divide
	// by (see amountStat).
	amounts [numPC]amountStat
}

// amountStat summarises the amounts of a programme's (or component's)
// transactions in a quarter: their smallest and largest value and their
// greatest common divisor. When all are equal the attacker knows the unit
// and every rupiah total is a count of transactions; otherwise a total is
// at least min and at most max times its count, in whole multiples of gcd.
type amountStat struct {
	Min, Max, GCD int64
}

func (s *amountStat) add(v int64) {
	if s.GCD == 0 {
		s.Min, s.Max, s.GCD = v, v, v
		return
	}
	s.Min, s.Max = min(s.Min, v), max(s.Max, v)
	a, b := s.GCD, v
	for b != 0 {
		a, b = b, a%b
	}
	s.GCD = a
}

// merge combines two summaries.
func (s *amountStat) merge(o amountStat) {
	if o.GCD == 0 {
		return
	}
	s.add(o.Min)
	s.add(o.Max)
	a, b := s.GCD, o.GCD
	for b != 0 {
		a, b = b, a%b
	}
	s.GCD = a
}

// Fixed reports whether every transaction had the same amount.
func (s amountStat) Fixed() bool { return s.GCD != 0 && s.Min == s.Max }

func newQuarterAgg(g *geography) *quarterAgg {
	a := &quarterAgg{g: g, corr: map[uint64]int64{}}
	for geo := Nasional; geo <= Kecamatan; geo++ {
		n := g.count(geo)
		a.dist[geo] = make([]distAcc, numSlots*n)
		a.demo[geo] = make([]demoAcc, demoSlots*n*numCats)
	}
	return a
}

func (a *quarterAgg) reset(q Quarter) {
	a.q = q
	for geo := range a.dist {
		clear(a.dist[geo])
		clear(a.demo[geo])
	}
	clear(a.corr)
	a.amounts = [numPC]amountStat{}
}

// Packed district-level keys of one family's cells, for deduplication:
// bit 63 demography; then slot (pc or programme), district, category.
func packKey(demo bool, slot, region, cat int) uint64 {
	k := uint64(slot)<<40 | uint64(region)<<8 | uint64(cat)
	if demo {
		k |= 1 << 63
	}
	return k
}

func unpackKey(k uint64) (demo bool, slot, region, cat int) {
	return k>>63 == 1, int(k >> 40 & 0xff), int(k >> 8 & 0xffffffff), int(k & 0xff)
}

// family adds one family's facts (all of this quarter, same family).
func (a *quarterAgg) family(facts []fact) error {
	nd := a.g.nDist
	keys := a.keys[:0]
	firstD, multi := -1, false
	for i := range facts {
		f := &facts[i]
		d := a.g.districtOf(f.District)
		if d < 0 {
			return errUnknownDistrict(f.District)
		}
		if firstD < 0 {
			firstD = d
		} else if d != firstD {
			multi = true
		}
		pcs := [2]int{pcTotal(f.Program), -1}
		if f.Program == PKH && f.Component != ComponentNone {
			pcs[1] = pcComponent(f.Component)
		}
		for _, pc := range pcs {
			if pc < 0 {
				continue
			}
			// A zero amount (allowed by the input contract) divides
			// nothing and says nothing about the unit.
			if f.Nominal > 0 {
				a.amounts[pc].add(int64(f.Nominal))
			}
			acc := &a.dist[Kecamatan][pc*nd+d]
			acc.transaksi++
			switch f.Status {
			case Salur:
				acc.nomSalur += int64(f.Nominal)
			case Gagal:
				acc.trxGagal++
				acc.nomGagal += int64(f.Nominal)
			case Retur:
				acc.trxRetur++
				acc.nomRetur += int64(f.Nominal)
			}
			keys = append(keys, packKey(false, pc, d, 0))
		}
		if f.Status == Salur {
			keys = append(keys, packKey(false, pcSalur(f.Program), d, 0))
		}
		p := int(f.Program) - 1
		cats := [4]int{-1, catAgeBase + int(f.Age), catDecileNone, catChanBase + int(f.Channel) - 1}
		if f.Sex != SexNone {
			cats[0] = catSexBase + int(f.Sex) - 1
		}
		if f.Decile > 0 {
			cats[2] = catDecileBase + int(f.Decile) - 1
		}
		for _, cat := range cats {
			if cat < 0 {
				continue
			}
			if f.Status == Salur {
				a.demo[Kecamatan][(p*nd+d)*numCats+cat].nomSalur += int64(f.Nominal)
			}
			keys = append(keys, packKey(true, p, d, cat))
		}
		keys = append(keys, packKey(true, semuaSlot, d, cats[2]))
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	for _, k := range keys {
		demo, slot, d, cat := unpackKey(k)
		if demo {
			a.demo[Kecamatan][(slot*nd+d)*numCats+cat].penerima++
		} else {
			a.dist[Kecamatan][slot*nd+d].penerima++
		}
	}
	if multi {
		a.correct(keys)
	}
	a.keys = keys
	return nil
}

// correct records, for a family seen in several districts, how often the
// roll-up will count it more than once at each higher level.
func (a *quarterAgg) correct(keys []uint64) {
	for geo := Kabupaten; ; geo-- {
		up := a.up[:0]
		for _, k := range keys {
			demo, slot, d, cat := unpackKey(k)
			uk := packKey(demo, slot, a.g.up(d, geo), cat) | uint64(geo)<<56
			up = append(up, uk)
		}
		slices.Sort(up)
		for i := 0; i < len(up); {
			j := i + 1
			for j < len(up) && up[j] == up[i] {
				j++
			}
			if j-i > 1 {
				a.corr[up[i]] -= int64(j - i - 1)
			}
			i = j
		}
		a.up = up
		if geo == Nasional {
			break
		}
	}
}

// rollUp sums the district accumulators up the hierarchy and applies the
// corrections.
func (a *quarterAgg) rollUp() {
	g := a.g
	for geo := Kabupaten; ; geo-- {
		below, n, nb := a.dist[geo+1], g.count(geo), g.count(geo+1)
		for pc := 0; pc < numSlots; pc++ {
			for r := 0; r < nb; r++ {
				parent := a.parentOf(geo+1, r)
				a.dist[geo][pc*n+parent].add(&below[pc*nb+r])
			}
		}
		db := a.demo[geo+1]
		for p := 0; p < demoSlots; p++ {
			for r := 0; r < nb; r++ {
				parent := a.parentOf(geo+1, r)
				src := db[(p*nb+r)*numCats : (p*nb+r+1)*numCats]
				dst := a.demo[geo][(p*n+parent)*numCats : (p*n+parent+1)*numCats]
				for c := range src {
					dst[c].penerima += src[c].penerima
					dst[c].nomSalur += src[c].nomSalur
				}
			}
		}
		if geo == Nasional {
			break
		}
	}
	for k, delta := range a.corr {
		geo := Geo(k >> 56 & 0x7f)
		demo, slot, r, cat := unpackKey(k &^ (0x7f << 56))
		n := g.count(geo)
		if demo {
			a.demo[geo][(slot*n+r)*numCats+cat].penerima += delta
		} else {
			a.dist[geo][slot*n+r].penerima += delta
		}
	}
}

// parentOf returns the ID one level up of region r at level geo.
func (a *quarterAgg) parentOf(geo Geo, r int) int {
	switch geo {
	case Kecamatan:
		return int(a.g.regOf[r])
	case Kabupaten:
		return int(a.g.provOf[r])
	}
	return 0
}

// emit appends the quarter's non-empty cells to t. What is published is
// limited to the grain where most cells can be told (docs/disclosure.md,
// "What is published less"): PKH components down to the regency, demography
// down to the province; decile counts down to the regency feed the
// coverage table.
func (a *quarterAgg) emit(t *Tables) {
	if t.Amounts == nil {
		t.Amounts = map[Quarter]*[numPC]amountStat{}
	}
	am := a.amounts
	t.Amounts[a.q] = &am
	for geo := Nasional; geo <= Kecamatan; geo++ {
		n := a.g.count(geo)
		for pc := 0; pc < numPC; pc++ {
			p, c := pcKey(pc)
			if c != ComponentNone && geo > componentFloor {
				continue
			}
			for r := 0; r < n; r++ {
				acc := &a.dist[geo][pc*n+r]
				if acc.transaksi == 0 {
					continue
				}
				t.Penyaluran = append(t.Penyaluran, Cell{
					CellKey:  a.key(p, c, geo, r),
					Penerima: acc.penerima, Transaksi: acc.transaksi,
					TrxGagal: acc.trxGagal, TrxRetur: acc.trxRetur,
					NomSalur: acc.nomSalur, NomGagal: acc.nomGagal, NomRetur: acc.nomRetur,
				})
			}
		}
		if geo <= demographyFloor {
			for p := 0; p < 6; p++ {
				for r := 0; r < n; r++ {
					for cat := 0; cat < numCats; cat++ {
						acc := &a.demo[geo][(p*n+r)*numCats+cat]
						if acc.penerima == 0 {
							continue
						}
						t.Demografi = append(t.Demografi, DemoCell{
							CellKey: a.key(Program(p+1), ComponentNone, geo, r),
							Cat:     uint8(cat), Penerima: acc.penerima, NomSalur: acc.nomSalur,
						})
					}
				}
			}
		}
		if geo > Kabupaten {
			continue // realisation and coverage stop at the regency
		}
		for _, p := range Programs() {
			for r := 0; r < n; r++ {
				if c := a.dist[geo][pcSalur(p)*n+r].penerima; c > 0 {
					t.salur = append(t.salur, countCell{CellKey: a.key(p, ComponentNone, geo, r), Count: c})
				}
			}
		}
		for slot := 0; slot < demoSlots; slot++ {
			p := Program(slot + 1)
			if slot == semuaSlot {
				p = ProgramNone
			}
			for r := 0; r < n; r++ {
				for dec := 1; dec <= 10; dec++ {
					cat := catDecileBase + dec - 1
					if c := a.demo[geo][(slot*n+r)*numCats+cat].penerima; c > 0 {
						t.decile = append(t.decile, countCell{CellKey: a.key(p, ComponentNone, geo, r), Cat: uint8(cat), Count: c})
					}
				}
			}
		}
	}
}

// The finest levels at which PKH components, demography and transaction
// counts are published. Failed and returned transactions are rare: below
// the province their counts (and all transactions, of which they are the
// difference from the SALUR count the rupiah imply) would be small almost
// everywhere, so penyaluran leaves transaksi, transaksi_gagal,
// nominal_gagal, transaksi_retur and nominal_retur empty there, and on
// every PKH component row (docs/disclosure.md, "What is published less").
const (
	componentFloor   = Kabupaten
	demographyFloor  = Provinsi
	transactionFloor = Provinsi
)

// transactionsShown reports whether a penyaluran row shows its transaction
// counts (see transactionFloor).
func transactionsShown(k CellKey) bool {
	return k.Geo <= transactionFloor && k.Component == ComponentNone
}

func (a *quarterAgg) key(p Program, c Component, geo Geo, r int) CellKey {
	id := region.ID(r)
	if geo == Nasional {
		id = region.None
	}
	return CellKey{Quarter: a.q, Program: p, Component: c, Geo: geo, Region: id}
}

type errUnknownDistrict uint32

func (e errUnknownDistrict) Error() string {
	return fmt.Sprintf("aggregator: stored fact names district %06d, unknown to the region reference (was the reference data changed?)", uint32(e))
}
