package synth

import (
	"math"
	"math/rand/v2"
	"strings"

	"github.com/portal-data-bansos/portal/internal/region"
)

// Channels (penyalur).
const (
	chBRI uint8 = iota
	chBNI
	chMandiri
	chBSI
	chPOS
	numChannels
)

var channelNames = [numChannels]string{"BRI", "BNI", "MANDIRI", "BSI", "POS"}

type province struct {
	num            int   // 32
	pop            int64 // people
	dFirst, dCount int32 // its districts: IDs dFirst … dFirst+dCount-1
}

type regency struct {
	num            int // 3204
	prov           int32
	kota           bool
	dFirst, dCount int32
	name           string
	bank           uint8   // the main bank of the regency's KKS accounts
	pos            float64 // share of families paid through PT Pos
	undotted       bool    // the regional office exports 10-digit village codes
	p              float64 // probability that a family lives here
}

type district struct {
	num            int32 // 320411
	reg            int32
	vFirst, vCount int32 // its villages in model.villOrder
}

// model is where families live: the region table with sampling weights.
type model struct {
	tab   *region.Table
	provs []province
	regs  []regency
	dists []district
	// villOrder holds every village ID grouped by district, each group in
	// the order of its Zipf weights; villCum the cumulative weights within
	// each group (the last of a group is 1).
	villOrder []region.ID
	villCum   []float32
	// active lists the districts that receive families, activeCum their
	// cumulative probabilities.
	active    []int32
	activeCum []float64
	// guide[k] is the first index of activeCum at or above k/len(guide):
	// where the search for a u in [k/len, (k+1)/len) starts.
	guide   []int32
	provCum []float64 // cumulative population shares, for list entries
	// villCode holds the dotted code of every village, 13 bytes each, by
	// village ID: compact, for the hot path.
	villCode []byte
}

// kode returns the dotted code of village v.
func (m *model) kode(v region.ID) []byte { return m.villCode[13*int(v) : 13*int(v)+13] }

// codeNum is a region code's digits read as one number ("32.04" → 3204).
func codeNum(code string) int {
	n := 0
	for i := 0; i < len(code); i++ {
		if c := code[i]; c >= '0' && c <= '9' {
			n = n*10 + int(c-'0')
		}
	}
	return n
}

// pkhPerActiveDistrict is the mean number of PKH families a district that
// receives families should have per quarter: enough that most published
// district cells clear the disclosure threshold of 10. Remote regencies
// spread their families thinner (see remoteness), so their cells are small
// and the portal must suppress them.
const pkhPerActiveDistrict = 24

// remoteness scales pkhPerActiveDistrict by province: the base PT Pos share
// doubles as a measure of how remote a province is.
func remoteness(prov int) float64 {
	switch posShare(prov) {
	case 0.55:
		return 0.25
	case 0.30:
		return 0.5
	case 0.14:
		return 0.8
	}
	return 1
}

// newModel builds the placement model for about nFamilies families.
func newModel(t *region.Table, pops []region.ProvincePopulation, seed uint64, nFamilies float64) *model {
	r := rand.New(rand.NewPCG(mix(seed, streamModel), 0))
	m := &model{tab: t}
	np, nr, nd, nv := t.Count(region.Province), t.Count(region.Regency), t.Count(region.District), t.Count(region.Village)
	m.provs = make([]province, np)
	popByCode := map[string]int64{}
	for _, p := range pops {
		popByCode[p.Code] = p.Population
	}
	var popTotal float64
	for i := range m.provs {
		reg := t.ByID(region.Province, region.ID(i))
		m.provs[i] = province{num: codeNum(reg.Code), pop: popByCode[reg.Code]}
		popTotal += float64(m.provs[i].pop)
	}
	m.regs = make([]regency, nr)
	for i := range m.regs {
		reg := t.ByID(region.Regency, region.ID(i))
		m.regs[i] = regency{
			num:    codeNum(reg.Code),
			prov:   int32(t.ProvinceOf(region.ID(i))),
			kota:   strings.HasPrefix(reg.Name, "Kota "),
			dFirst: -1,
			name:   reg.Name,
		}
	}
	m.dists = make([]district, nd)
	for i := range m.dists {
		reg := t.ByID(region.District, region.ID(i))
		g := int32(t.RegencyOf(region.ID(i)))
		m.dists[i] = district{num: int32(codeNum(reg.Code)), reg: g, vFirst: -1}
		rg := &m.regs[g]
		if rg.dFirst < 0 {
			rg.dFirst = int32(i)
		}
		rg.dCount++
		p := &m.provs[rg.prov]
		if p.dCount == 0 {
			p.dFirst = int32(i)
		}
		p.dCount++
	}
	m.villCode = make([]byte, 0, 13*nv)
	for v := 0; v < nv; v++ {
		m.villCode = append(m.villCode, t.ByID(region.Village, region.ID(v)).Code...)
	}
	m.villOrder = make([]region.ID, nv)
	m.villCum = make([]float32, nv)
	for v := 0; v < nv; v++ {
		d := &m.dists[t.DistrictOf(region.ID(v))]
		if d.vFirst < 0 {
			d.vFirst = int32(v)
		}
		d.vCount++
		m.villOrder[v] = region.ID(v)
	}
	// Villages: a few large ones and a long tail (Zipf, exponent 0.8).
	for i := range m.dists {
		d := &m.dists[i]
		seg := m.villOrder[d.vFirst : d.vFirst+d.vCount]
		r.Shuffle(len(seg), func(a, b int) { seg[a], seg[b] = seg[b], seg[a] })
		cum := m.villCum[d.vFirst : d.vFirst+d.vCount]
		var s float64
		for k := range cum {
			s += math.Pow(float64(k+1), -0.8)
			cum[k] = float32(s)
		}
		for k := range cum {
			cum[k] /= float32(s)
		}
		cum[len(cum)-1] = 1
	}
	// Regencies: weighted by their number of districts (a fair proxy of
	// population within a province), cities a little less (fewer poor
	// households), with some spread.
	provW := make([]float64, np)
	for i := range m.regs {
		g := &m.regs[i]
		w := float64(g.dCount) * (0.7 + 0.7*r.Float64())
		if g.kota {
			w *= 0.75
		}
		g.p = w
		provW[g.prov] += w
	}
	for i := range m.regs {
		g := &m.regs[i]
		pv := &m.provs[g.prov]
		g.p = g.p / provW[g.prov] * float64(pv.pop) / popTotal
		// Channels: Aceh pays through Bank Syariah Indonesia only (its
		// qanun on Islamic finance); elsewhere each regency has a main
		// Himbara bank, and PT Pos reaches the remote areas.
		switch {
		case pv.num == 11:
			g.bank = chBSI
		default:
			u := r.Float64()
			switch {
			case u < 0.45:
				g.bank = chBRI
			case u < 0.80:
				g.bank = chBNI
			default:
				g.bank = chMandiri
			}
		}
		g.pos = posShare(pv.num) * (0.5 + r.Float64())
		if g.kota {
			g.pos *= 0.4
		}
		g.pos = min(g.pos, 0.9)
		g.undotted = r.Float64() < 0.35
	}
	// Districts: within a regency, families concentrate in a subset of
	// districts, so that the subset's cells are large enough to publish;
	// the rest of the regency stays empty (its cells would be suppressed
	// anyway). Within the subset, Zipf weights with exponent 0.6.
	order := make([]int32, 0, 128)
	var cum float64
	for i := range m.regs {
		g := &m.regs[i]
		expected := nFamilies * g.p * pkhShare
		k := int32(math.Ceil(expected / (pkhPerActiveDistrict * remoteness(m.provs[g.prov].num))))
		k = max(1, min(k, g.dCount))
		order = order[:0]
		for d := g.dFirst; d < g.dFirst+g.dCount; d++ {
			order = append(order, d)
		}
		r.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		order = order[:k]
		var s float64
		for j := range order {
			s += math.Pow(float64(j+1), -0.6)
		}
		for j, d := range order {
			cum += g.p * math.Pow(float64(j+1), -0.6) / s
			m.active = append(m.active, d)
			m.activeCum = append(m.activeCum, cum)
		}
	}
	for i := range m.activeCum {
		m.activeCum[i] /= cum
	}
	m.activeCum[len(m.activeCum)-1] = 1
	m.guide = make([]int32, 2*len(m.activeCum))
	for k := range m.guide {
		m.guide[k] = int32(searchFloat(m.activeCum, float64(k)/float64(len(m.guide))))
	}
	var pc float64
	m.provCum = make([]float64, np)
	for i, p := range m.provs {
		pc += float64(p.pop) / popTotal
		m.provCum[i] = pc
	}
	m.provCum[np-1] = 1
	return m
}

// posShare is the base share of families paid through PT Pos by province:
// highest where bank branches and agents are scarce.
func posShare(prov int) float64 {
	switch prov {
	case 91, 92, 93, 94, 95, 96:
		return 0.55
	case 53, 81, 82:
		return 0.30
	case 52, 61, 62, 65, 72, 74, 75, 76:
		return 0.14
	case 31, 32, 33, 34, 35, 36, 51:
		return 0.05
	}
	return 0.09
}

// drawVillage returns a village and its district for u, v in [0, 1).
func (m *model) drawVillage(u, v float64) (region.ID, int32) {
	i := int(m.guide[int(u*float64(len(m.guide)))])
	for i < len(m.activeCum)-1 && m.activeCum[i] < u {
		i++
	}
	d := m.active[i]
	dd := &m.dists[d]
	cum := m.villCum[dd.vFirst : dd.vFirst+dd.vCount]
	j := min(searchFloat(cum, float32(v)), len(cum)-1)
	return m.villOrder[int(dd.vFirst)+j], d
}

// drawProvince returns a province ID weighted by population.
func (m *model) drawProvince(u float64) int32 {
	return int32(min(searchFloat(m.provCum, u), len(m.provCum)-1))
}
