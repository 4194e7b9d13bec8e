package synth

import (
	"math/rand/v2"

	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/region"
)

// Programmes, in the order a family's rows are written within a quarter.
const (
	progNone uint8 = iota
	progPKH
	progSembako
	progPBI
	progBLT
	progATENSI
	progPENA
	numProgs
)

// progOf is the programme (internal/bansos) of each of the generator's
// programmes: the generator writes PBI_JK before BLT.
var progOf = [numProgs]bansos.Program{bansos.ProgramNone, bansos.PKH, bansos.Sembako, bansos.PBIJK, bansos.BLT, bansos.ATENSI, bansos.PENA}

var progNames = func() (names [numProgs]string) {
	for i, p := range progOf {
		names[i] = p.String()
	}
	return names
}()

// PKH components, in the order of internal/bansos.
const (
	compNone uint8 = iota
	compIbuHamil
	compAUD
	compSD
	compSMP
	compSMA
	compDisabilitas
	compLansia
	numComps
)

var compNames [numComps]string = bansos.ComponentNames

// compRate is the PKH benefit per person per tahap (quarter), 2025.
var compRate = [numComps]int64{0, 750_000, 750_000, 225_000, 375_000, 500_000, 600_000, 600_000}

// compWeight is how often a component occurs among PKH families.
var compWeight = [numComps]int{0, 5, 16, 28, 18, 12, 6, 15}

// Statuses.
const (
	statusSalur uint8 = iota + 1
	statusGagal
	statusRetur
)

var statusNames = [...]string{"", "SALUR", "GAGAL", "RETUR"}

// banks are the Himbara banks that credit KKS accounts.
var banks = [...]uint8{chBRI, chBNI, chMandiri, chBSI}

// Monthly amounts and per-tahap amounts of the other programmes.
const (
	sembakoMonthly = 200_000
	pbiMonthly     = 42_000 // per person
	bltTahap       = 900_000
)

// Shares of families (KPM) in each programme, chosen so that the ratios of
// the 2025 national targets hold: PKH 10 million families, SEMBAKO 18.3
// million, PBI-JK 96.8 million people (about 27 million families).
const (
	pkhShare        = 0.36
	sembakoIfPKH    = 0.97
	sembakoIfNotPKH = 0.50
	pbiShare        = 0.93
	bltQ2Share      = 0.25
	bltQ4Share      = 0.60
	atensiShare     = 0.008
	penaShareOfPKH  = 0.008
)

// Per-family rates of the matching problems (spec §3 "rejected").
const (
	asnRate      = 0.001 // representative's NIK is on the civil-servant list
	deceasedRate = 0.002 // representative is on the deceased list
)

// Families with these indexes always have the problem, so that even a small
// file has every kind.
const (
	forcedASN          = 3
	forcedDeathInYear  = 5  // dies mid-year: later rows DECEASED
	forcedDeathBefore  = 9  // died the year before: every row DECEASED
	forcedDeathOnStart = 13 // dies on the first day of a quarter: that quarter still paid
)

// Fates of a row (spec §3).
const (
	fateAccepted uint8 = iota
	fateASN
	fateDeceased
	fateDouble
)

// family is one KPM: where it lives, its representative (pengurus) and
// what it receives during the year. It is derived entirely from the seed
// and its index, so every pass over the families sees the same ones.
type family struct {
	idx       int
	vill      region.ID
	dist, reg int32
	prov      int32
	nikPrefix int32 // digits 1–6 of the NIK: the issuing district
	moved     bool  // NIK regency differs from the residence's
	female    bool
	dob       day
	kkIssue   day
	decile    int8 // 0: unknown
	channel   uint8
	size      int8 // household members (PBI-JK)
	demo      bool // jenis_kelamin and tanggal_lahir filled
	upper     bool // name in capitals
	asn       bool
	death     day // noDay when alive
	join, end int8
	pkh       bool
	sembako   bool
	pbi       bool
	blt       uint8 // bit q-1: BLT in quarter q
	ncomp     int
	comp      [4]uint8
	compMul   [4]int8
	compMask  [4]uint8 // bit q-1: component paid in quarter q
	atensi    uint8    // bit q-1
	atensiAmt [4]int64
	penaQ     int8
	penaAmt   int64

	// identity, set by gen.identify
	nik, kk [16]byte
}

func (f *family) active(q int) bool { return q >= int(f.join) && q <= int(f.end) }

// rowSpec is one row a family produces in a quarter: everything that
// decides its fate and amount; the cosmetic rest (dates, remarks) is drawn
// when it is written.
type rowSpec struct {
	prog, comp uint8
	month      int8 // 0: tahap form ("2025-Q1"), else the month ("2025-02")
	status     uint8
	retry      bool // the SALUR retry of a failed payment
	fate       uint8
	nominal    int64
}

// plan draws family i. The draws happen in a fixed order from a generator
// seeded by (seed, i), so a family is the same in every pass.
func (g *gen) plan(i int, f *family) {
	g.planSrc.Seed(g.kPlan, uint64(i))
	r := g.planR
	m := g.m
	*f = family{idx: i, death: noDay}

	// Where the family lives.
	f.vill, f.dist = m.drawVillage(r.Float64(), r.Float64())
	f.reg = m.dists[f.dist].reg
	rg := &m.regs[f.reg]
	f.prov = rg.prov

	// What it receives.
	f.pkh = r.Float64() < pkhShare
	if f.pkh {
		f.sembako = r.Float64() < sembakoIfPKH
	} else {
		f.sembako = r.Float64() < sembakoIfNotPKH
	}
	f.pbi = r.Float64() < pbiShare
	if !f.pkh && !f.sembako && !f.pbi {
		f.pbi = true
	}
	if r.Float64() < bltQ2Share {
		f.blt |= 1 << 1
	}
	if r.Float64() < bltQ4Share {
		f.blt |= 1 << 3
	}
	f.join, f.end = 1, 4
	if r.Float64() < 0.10 {
		f.join = int8(2 + r.IntN(3)) // new recipients during the year
	}
	if r.Float64() < 0.06 && f.join < 4 {
		f.end = f.join + int8(r.IntN(int(4-f.join))) // left the programme
	}
	hasChild, hasElder := false, false
	if f.pkh {
		g.planPKH(r, f)
		for k := 0; k < f.ncomp; k++ {
			switch f.comp[k] {
			case compLansia, compDisabilitas:
				hasElder = hasElder || f.comp[k] == compLansia
			default:
				hasChild = true
			}
		}
		if r.Float64() < penaShareOfPKH {
			// PENA: business capital for a graduating family, which then
			// leaves PKH.
			f.penaQ = int8(2 + r.IntN(3))
			f.penaAmt = 5_000_000
			if u := r.Float64(); u < 0.15 {
				f.penaAmt = 4_500_000
			} else if u < 0.25 {
				f.penaAmt = 5_500_000
			}
		}
	}
	if r.Float64() < atensiShare {
		n := 1 + r.IntN(2)
		for k := 0; k < n; k++ {
			q := r.IntN(4)
			f.atensi |= 1 << q
			f.atensiAmt[q] = int64(300_000 + 50_000*r.IntN(55)) // 300,000 … 3,000,000
		}
	}

	// The representative: mostly the mother in PKH families.
	age := 0
	switch {
	case hasChild:
		f.female = r.Float64() < 0.92
		age = 22 + r.IntN(30)
	case hasElder:
		f.female = r.Float64() < 0.65
		age = 58 + r.IntN(23)
	default:
		f.female = r.Float64() < 0.60
		age = 20 + r.IntN(61)
	}
	f.dob = civil(g.year-age, 7, 1) - day(r.IntN(365))
	f.kkIssue = civil(2005, 1, 1) + day(r.IntN(int(civil(g.year-1, 12, 31)-civil(2005, 1, 1))))
	f.size = familySize(r, f.pkh)
	f.demo = r.Float64() < 0.91
	f.upper = r.Float64() < 0.75

	// Issuing district of the NIK.
	f.nikPrefix = m.dists[f.dist].num
	pv := m.provs[f.prov].num
	switch u := r.Float64(); {
	case (pv >= 93 && pv <= 96) && u < 0.35:
		// Issued before the 2022 split of Papua: the old province's code.
		old := 91
		if pv == 96 {
			old = 92
		}
		f.nikPrefix = int32(old*10000 + (1+r.IntN(29))*100 + 1 + r.IntN(20))
		f.moved = true
	case u < 0.01:
		p := m.drawProvince(r.Float64())
		pp := &m.provs[p]
		f.nikPrefix = m.dists[pp.dFirst+int32(r.IntN(int(pp.dCount)))].num
		f.moved = f.nikPrefix/100 != m.dists[f.dist].num/100
	case u < 0.03:
		pp := &m.provs[f.prov]
		f.nikPrefix = m.dists[pp.dFirst+int32(r.IntN(int(pp.dCount)))].num
		f.moved = f.nikPrefix/100 != m.dists[f.dist].num/100
	case u < 0.08:
		f.nikPrefix = m.dists[rg.dFirst+int32(r.IntN(int(rg.dCount)))].num
	}

	// Decile in the single socio-economic data (DTSEN).
	f.decile = drawDecile(r)

	// Channel.
	switch u := r.Float64(); {
	case u < rg.pos:
		f.channel = chPOS
	case u < rg.pos+(1-rg.pos)*0.85:
		f.channel = rg.bank
	default:
		f.channel = banks[r.IntN(len(banks))]
		if pv == 11 {
			f.channel = chBSI
		}
	}

	// Matching problems.
	uA, uD := r.Float64(), r.Float64()
	switch {
	case i == forcedASN || uA < asnRate:
		f.asn = true
		f.decile = int8(3 + r.IntN(4)) // civil servants sit higher
		f.dob = civil(g.year-25-r.IntN(31), 7, 1) - day(r.IntN(365))
	case i == forcedDeathBefore:
		f.death = civil(g.year-1, 1, 1) + day(r.IntN(365))
	case i == forcedDeathInYear:
		f.death = civil(g.year, 5, 1) + day(r.IntN(60))
	case i == forcedDeathOnStart:
		f.death = civil(g.year, 7, 1)
	case uD < deceasedRate:
		if r.IntN(4) != 0 { // mostly the elderly
			f.dob = civil(g.year-60-r.IntN(26), 7, 1) - day(r.IntN(365))
		}
		switch u := r.Float64(); {
		case u < 0.30: // died the year before, still paid
			f.death = civil(g.year-1, 1, 1) + day(r.IntN(365))
		case u < 0.40: // on the first day of a quarter: that quarter is not "before"
			f.death = civil(g.year, 1+3*(1+r.IntN(3)), 1)
		case u < 0.90:
			f.death = civil(g.year, 1, 1) + day(r.IntN(365))
		default: // after the year: no row is affected
			f.death = civil(g.year+1, 1, 1) + day(r.IntN(60))
		}
	}
}

// planPKH draws the PKH components: 1–4 different ones, some paid for two
// people, a pregnancy lasting two or three quarters and followed by an
// early-childhood component.
func (g *gen) planPKH(r *rand.Rand, f *family) {
	n := 1
	switch u := r.Float64(); {
	case u < 0.08:
		n = 4
	case u < 0.25:
		n = 3
	case u < 0.58:
		n = 2
	}
	total := 0
	for _, w := range compWeight {
		total += w
	}
	var have [numComps]bool
	for f.ncomp < n {
		x := r.IntN(total)
		c := uint8(1)
		for ; x >= compWeight[c]; c++ {
			x -= compWeight[c]
		}
		if have[c] {
			continue
		}
		have[c] = true
		k := f.ncomp
		f.comp[k], f.compMul[k], f.compMask[k] = c, 1, 0b1111
		switch c {
		case compAUD, compSD, compSMP:
			if r.Float64() < 0.15 {
				f.compMul[k] = 2
			}
		case compIbuHamil:
			start := r.IntN(4)
			length := 2 + r.IntN(2)
			f.compMask[k] = 0
			for q := start; q < min(4, start+length); q++ {
				f.compMask[k] |= 1 << q
			}
		}
		f.ncomp++
	}
	// Sort by component so rows come in a stable order.
	for a := 1; a < f.ncomp; a++ {
		for b := a; b > 0 && f.comp[b] < f.comp[b-1]; b-- {
			f.comp[b], f.comp[b-1] = f.comp[b-1], f.comp[b]
			f.compMul[b], f.compMul[b-1] = f.compMul[b-1], f.compMul[b]
			f.compMask[b], f.compMask[b-1] = f.compMask[b-1], f.compMask[b]
		}
	}
	// A baby born after the pregnancy's last quarter.
	if have[compIbuHamil] && !have[compAUD] && f.ncomp < 4 {
		for k := 0; k < f.ncomp; k++ {
			if f.comp[k] != compIbuHamil {
				continue
			}
			last := 0
			for q := 0; q < 4; q++ {
				if f.compMask[k]&(1<<q) != 0 {
					last = q
				}
			}
			if last < 3 {
				var mask uint8
				for q := last + 1; q < 4; q++ {
					mask |= 1 << q
				}
				// Insert after IBU_HAMIL (component 1), keeping order.
				copy(f.comp[k+2:], f.comp[k+1:f.ncomp])
				copy(f.compMul[k+2:], f.compMul[k+1:f.ncomp])
				copy(f.compMask[k+2:], f.compMask[k+1:f.ncomp])
				f.comp[k+1], f.compMul[k+1], f.compMask[k+1] = compAUD, 1, mask
				f.ncomp++
			}
			break
		}
	}
}

func familySize(r *rand.Rand, pkh bool) int8 {
	// 1:7%, 2:14%, 3:22%, 4:25%, 5:17%, 6:9%, 7:6%; PKH families have
	// children, so at least 3.
	cum := [...]float64{0.07, 0.21, 0.43, 0.68, 0.85, 0.94, 1}
	u := r.Float64()
	n := 1
	for n < 7 && u >= cum[n-1] {
		n++
	}
	if pkh && n < 3 {
		n += 2
	}
	return int8(n)
}

// drawDecile: recipients sit mostly in deciles 1–4; a few above (inclusion
// errors worth a story) and a few unknown.
func drawDecile(r *rand.Rand) int8 {
	cum := [...]float64{0.27, 0.51, 0.71, 0.86, 0.925, 0.955, 0.965, 0.970, 0.973, 0.975}
	u := r.Float64()
	for d, c := range cum {
		if u < c {
			return int8(d + 1)
		}
	}
	return 0
}

// quarterRows appends the rows family f produces in quarter q (1–4) to
// specs: first the regular rows in programme order, then the SALUR retries
// of failed payments. The outcome draws come from a generator seeded by
// (seed, family, quarter).
func (g *gen) quarterRows(f *family, q int, specs []rowSpec) []rowSpec {
	specs = specs[:0]
	g.outSrc.Seed(g.kOut, uint64(f.idx)<<2|uint64(q-1))
	r := g.outR
	bit := uint8(1) << (q - 1)
	first := int8(3*q - 2)
	add := func(prog, comp uint8, month int8, nominal int64) {
		s := rowSpec{prog: prog, comp: comp, month: month, nominal: nominal, status: statusSalur}
		u := r.IntN(10000)
		retry := false
		if f.channel == chPOS {
			switch {
			case u < 80:
				s.status, retry = statusGagal, true
			case u < 150:
				s.status = statusGagal
			case u < 240:
				s.status = statusRetur
			}
		} else {
			switch {
			case u < 50:
				s.status, retry = statusGagal, true
			case u < 95:
				s.status = statusGagal
			case u < 140:
				s.status = statusRetur
			}
		}
		specs = append(specs, s)
		if retry {
			s.status, s.retry = statusSalur, true
			g.retries = append(g.retries, s)
		}
	}
	g.retries = g.retries[:0]
	if f.active(q) {
		if f.pkh && (f.penaQ == 0 || q <= int(f.penaQ)) {
			for k := 0; k < f.ncomp; k++ {
				if f.compMask[k]&bit != 0 {
					add(progPKH, f.comp[k], 0, compRate[f.comp[k]]*int64(f.compMul[k]))
				}
			}
		}
		if f.sembako {
			// PT Pos pays the tahap; the banks credit the KKS account in
			// the month the tahap is released (see the package comment on
			// why one row per quarter).
			var month int8
			if f.channel != chPOS {
				month = first
				if u := r.Float64(); u > 0.55 {
					month++
					if u > 0.90 {
						month++
					}
				}
			}
			add(progSembako, compNone, month, 3*sembakoMonthly)
		}
		if f.pbi {
			add(progPBI, compNone, first, 3*pbiMonthly*int64(f.size))
		}
		if f.blt&bit != 0 {
			add(progBLT, compNone, 0, bltTahap)
		}
	}
	if f.atensi&bit != 0 {
		add(progATENSI, compNone, first+int8(r.IntN(3)), f.atensiAmt[q-1])
	}
	if int(f.penaQ) == q {
		add(progPENA, compNone, 0, f.penaAmt)
	}
	specs = append(specs, g.retries...)
	for k := range specs {
		s := &specs[k]
		switch {
		case f.asn:
			s.fate = fateASN
		case f.death != noDay && f.death < g.periodStart(q, s.month):
			s.fate = fateDeceased
		default:
			s.fate = fateAccepted
		}
	}
	return specs
}

// periodStart is the first day of a row's period: its month, or its
// quarter for the tahap form.
func (g *gen) periodStart(q int, month int8) day {
	if month > 0 {
		return g.monthStart[month]
	}
	return g.monthStart[3*q-2]
}
