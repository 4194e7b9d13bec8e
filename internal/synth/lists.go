package synth

import (
	"bufio"
	"math"
	"math/rand/v2"

	"github.com/portal-data-bansos/portal/internal/region"
)

// Headers of the list files. asn.csv has the columns of a civil-service
// register, nik among them (the aggregator reads only nik).
const (
	ASNHeader      = "nip,nik,nama,jenis_kelamin,nama_instansi,jenis_asn"
	DeceasedHeader = "nik,tanggal_meninggal"
	KuotaHeader    = "program,periode,kode_wilayah,kuota_kpm,pagu"
	DTSENHeader    = "kode_wilayah,desil,keluarga"
)

var ministries = []string{"Kementerian Agama", "Kementerian Kesehatan", "Kementerian Keuangan",
	"Kementerian Pendidikan Dasar dan Menengah", "Kementerian Pendidikan, Kebudayaan, Riset, dan Teknologi",
	"Kementerian Sosial", "Badan Pusat Statistik", "Kementerian Pekerjaan Umum", "Kementerian Hukum"}

// listPerson draws someone who is not a recipient, living anywhere (by
// population), aged minAge to maxAge; the NIK takes the next serial of its
// district, so it never equals a recipient's.
func (g *gen) listPerson(r *rand.Rand, minAge, maxAge int) person {
	m := g.m
	prov := m.drawProvince(r.Float64())
	pv := &m.provs[prov]
	d := &m.dists[pv.dFirst+int32(r.IntN(int(pv.dCount)))]
	p := person{female: r.IntN(2) == 0, reg: d.reg, death: noDay}
	age := minAge + r.IntN(maxAge-minAge+1)
	p.dob = civil(g.year-age, 7, 1) - day(r.IntN(365))
	g.nikCtr[d.num]++
	p.nik = makeNIK(d.num, p.dob, p.female, g.nikCtr[d.num])
	var name []byte
	name, _ = appendName(g.d.name[:0], r, styleFor(r, pv.num), p.female, r.IntN(4) != 0)
	p.name = string(name)
	return p
}

func (g *gen) writeASN(w *bufio.Writer) error {
	r := rand.New(rand.NewPCG(mix(g.opt.Seed, streamLists), 1))
	w.WriteString(ASNHeader + "\n")
	remRecip, remBad, remOther := len(g.asnPeople), 2, g.sum.Families/5+50
	var b []byte
	for next := 0; remRecip+remBad+remOther > 0; {
		u := r.IntN(remRecip + remBad + remOther)
		var p person
		kind, instansi, bad := "PNS", "", false
		if u < remRecip {
			// A recipient family's representative who is a civil servant:
			// typically a contract teacher or health worker of the
			// regency.
			p = g.asnPeople[next]
			next++
			remRecip--
			if r.IntN(20) < 11 {
				kind = "PPPK"
			}
			instansi = "Pemerintah " + g.m.regs[p.reg].name
		} else {
			if u < remRecip+remBad {
				bad = true
				remBad--
			} else {
				remOther--
			}
			p = g.listPerson(r, 21, 58)
			switch u := r.IntN(100); {
			case u < 68:
			case u < 85:
				kind = "PPPK"
			case u < 93:
				kind, instansi = "TNI", "Tentara Nasional Indonesia"
			default:
				kind, instansi = "POLRI", "Kepolisian Negara Republik Indonesia"
			}
			if instansi == "" {
				switch u := r.IntN(100); {
				case u < 60:
					instansi = "Pemerintah " + g.m.regs[p.reg].name
				case u < 75:
					instansi = "Pemerintah Provinsi " + g.tab.ByID(region.Province, region.ID(g.m.regs[p.reg].prov)).Name
				default:
					instansi = ministries[r.IntN(len(ministries))]
				}
			}
		}
		nik := string(p.nik[:])
		if bad {
			// Typed with separators, or a digit short: ignored by the
			// aggregator and counted in its run log.
			if r.IntN(2) == 0 {
				nik = nik[:4] + "-" + nik[4:8] + "-" + nik[8:12] + "-" + nik[12:]
			} else {
				nik = nik[:15]
			}
			g.sum.Injected.ListMalformed++
		}
		b = b[:0]
		if kind == "PNS" || kind == "PPPK" {
			y, m, d := p.dob.ymd()
			b = appendDigits(b, int64(y), 4)
			b = appendDigits(b, int64(m), 2)
			b = appendDigits(b, int64(d), 2)
			tmt := min(g.year, y+23+r.IntN(13))
			b = appendDigits(b, int64(tmt), 4)
			b = appendDigits(b, int64(1+2*r.IntN(2)), 2)
			if p.female {
				b = append(b, '2')
			} else {
				b = append(b, '1')
			}
			b = appendDigits(b, int64(1+r.IntN(999)), 3)
		}
		b = append(b, ',')
		b = append(b, nik...)
		b = append(b, ',')
		b = appendField(b, p.name)
		b = append(b, ',')
		if p.female {
			b = append(b, 'P')
		} else {
			b = append(b, 'L')
		}
		b = append(b, ',')
		b = appendField(b, instansi)
		b = append(b, ',')
		b = append(b, kind...)
		b = append(b, '\n')
		w.Write(b)
		g.sum.ASNRows++
	}
	return g.ctx.Err()
}

func (g *gen) writeDeceased(w *bufio.Writer) error {
	r := rand.New(rand.NewPCG(mix(g.opt.Seed, streamLists), 2))
	w.WriteString(DeceasedHeader + "\n")
	var b []byte
	line := func(nik string, date string) {
		b = append(b[:0], nik...)
		b = append(b, ',')
		b = append(b, date...)
		b = append(b, '\n')
		w.Write(b)
		g.sum.DeceasedRows++
	}
	otherDeath := func() day { return civil(g.year-1, 1, 1) + day(r.IntN(730)) }
	people := g.deadPeople
	// One NIK listed twice: first with a later date, then (below, among
	// the others) with the true, earliest one.
	var twice person
	if len(people) > 0 {
		twice = people[0]
	} else {
		twice = g.listPerson(r, 50, 95)
		twice.death = otherDeath()
		people = []person{twice}
	}
	line(string(twice.nik[:]), dateString(twice.death+day(30+r.IntN(170))))
	g.sum.Injected.DeceasedTwice++
	remRecip, remBad, remOther := len(people), 2, g.sum.Families/50+30
	for next := 0; remRecip+remBad+remOther > 0; {
		u := r.IntN(remRecip + remBad + remOther)
		switch {
		case u < remRecip:
			p := people[next]
			next++
			remRecip--
			line(string(p.nik[:]), dateString(p.death))
		case u < remRecip+remBad:
			remBad--
			p := g.listPerson(r, 50, 95)
			if remBad == 0 {
				line(string(p.nik[:])+"1", dateString(otherDeath()))
			} else {
				line(string(p.nik[:]), fmtBadDate(g.year))
			}
			g.sum.Injected.ListMalformed++
		default:
			remOther--
			p := g.listPerson(r, 45, 98)
			line(string(p.nik[:]), dateString(otherDeath()))
		}
	}
	return g.ctx.Err()
}

func fmtBadDate(year int) string {
	return string(appendDigits(nil, int64(year), 4)) + "-02-30"
}

// Programmes with targets below the province (the big four), and with a
// budget ceiling (pagu) published at national and province level.
var (
	kuotaProgs    = []uint8{progPKH, progSembako, progBLT, progPBI, progATENSI, progPENA}
	regencyTarget = [numProgs]bool{progPKH: true, progSembako: true, progBLT: true, progPBI: true}
	paguPublished = [numProgs]bool{progPKH: true, progSembako: true, progPBI: true}
	// The regular programmes have one allocation for the whole year; the
	// others are set per tahap.
	yearlyTarget = [numProgs]bool{progPKH: true, progSembako: true, progPBI: true}
)

// writeKuota writes targets that the generated realisation reaches at 75–
// 105 % (a few regencies lag far behind): the 2025 national targets scaled
// to the size of the file.
func (g *gen) writeKuota(w *bufio.Writer) error {
	r := rand.New(rand.NewPCG(mix(g.opt.Seed, streamKuota), 0))
	w.WriteString(KuotaHeader + "\n")
	m := g.m
	np, nr := len(m.provs), len(m.regs)
	uni := func(lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }
	var b []byte
	line := func(prog uint8, q int, code string, kuota int64, pagu int64) {
		b = append(b[:0], progNames[prog]...)
		b = append(b, ',')
		b = appendDigits(b, int64(g.year), 4)
		b = append(b, '-', 'Q', byte('0'+q), ',')
		b = append(b, code...)
		b = append(b, ',')
		b = appendInt(b, kuota)
		b = append(b, ',')
		if pagu > 0 {
			b = appendInt(b, pagu)
		}
		b = append(b, '\n')
		w.Write(b)
		g.sum.KuotaRows++
	}
	target := func(realised int64, ratio float64) int64 {
		return max(1, int64(math.Ceil(float64(realised)/ratio)))
	}
	pagu := func(rp int64) int64 {
		return int64(math.Ceil(float64(rp)/uni(0.88, 0.98)/1e6)) * 1_000_000
	}
	for _, prog := range kuotaProgs {
		// Realisation by level and quarter.
		var nat [4]int64
		var natRp [4]int64
		prov := make([][4]int64, np)
		provRp := make([][4]int64, np)
		for q := 0; q < 4; q++ {
			for reg := 0; reg < nr; reg++ {
				n, rp := int64(g.agg.salurFam[prog][q][reg]), g.agg.salurRp[prog][q][reg]
				nat[q] += n
				natRp[q] += rp
				prov[m.regs[reg].prov][q] += n
				provRp[m.regs[reg].prov][q] += rp
			}
		}
		// A realisation ratio per region, fixed for the year.
		natRatio := uni(0.93, 0.99)
		provRatio := make([]float64, np)
		for p := range provRatio {
			provRatio[p] = uni(0.85, 1.02)
		}
		regRatio := make([]float64, nr)
		for reg := range regRatio {
			if r.IntN(100) < 3 {
				regRatio[reg] = uni(0.45, 0.70)
			} else {
				regRatio[reg] = uni(0.75, 1.05)
			}
		}
		// Yearly allocations follow the best quarter.
		peak := func(v [4]int64, q int) int64 {
			if !yearlyTarget[prog] {
				return v[q]
			}
			return max(v[0], v[1], v[2], v[3])
		}
		for q := 0; q < 4; q++ {
			if nat[q] == 0 {
				continue
			}
			pg := int64(0)
			if paguPublished[prog] {
				pg = pagu(natRp[q])
			}
			line(prog, q+1, "", target(peak(nat, q), natRatio), pg)
			for p := 0; p < np; p++ {
				if prov[p][q] == 0 {
					continue
				}
				pg := int64(0)
				if paguPublished[prog] {
					pg = pagu(provRp[p][q])
				}
				line(prog, q+1, g.tab.ByID(region.Province, region.ID(p)).Code, target(peak(prov[p], q), provRatio[p]), pg)
			}
			if !regencyTarget[prog] {
				continue
			}
			for reg := 0; reg < nr; reg++ {
				var v [4]int64
				for k := range v {
					v[k] = int64(g.agg.salurFam[prog][k][reg])
				}
				if v[q] == 0 {
					continue
				}
				line(prog, q+1, g.tab.ByID(region.Regency, region.ID(reg)).Code, target(peak(v, q), regRatio[reg]), 0)
			}
		}
	}
	return g.ctx.Err()
}

// dtsenCoverage is the share of DTSEN families of deciles 1–4 that the
// programmes reach (before noise): high for the poorest, lower above.
var dtsenCoverage = [5]float64{0, 0.80, 0.75, 0.68, 0.60}

// writeDTSEN writes families by regency and decile consistent with the
// generated families: deciles 1–4 hold more families than receive
// assistance, deciles 5–10 about as many as an average lower decile.
func (g *gen) writeDTSEN(w *bufio.Writer) error {
	r := rand.New(rand.NewPCG(mix(g.opt.Seed, streamKuota), 1))
	w.WriteString(DTSENHeader + "\n")
	uni := func(lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }
	var b []byte
	for reg := range g.m.regs {
		obs := g.agg.decile[reg]
		var fam [11]int64
		var sum int64
		for d := 1; d <= 4; d++ {
			cov := min(0.95, dtsenCoverage[d]*uni(0.9, 1.1))
			fam[d] = int64(math.Ceil(float64(obs[d]) / cov))
			sum += fam[d]
		}
		base := float64(sum) / 4
		if sum == 0 {
			// No recipients here in this file: as many families as the
			// placement model expected, which is few.
			base = float64(g.sum.Families) * g.m.regs[reg].p * 0.22 / 0.7
			for d := 1; d <= 4; d++ {
				fam[d] = int64(math.Ceil(base * uni(0.8, 1.2)))
			}
		}
		for d := 5; d <= 10; d++ {
			fam[d] = max(int64(math.Ceil(base*uni(0.8, 1.2))), int64(math.Ceil(float64(obs[d])/0.5)))
		}
		code := g.tab.ByID(region.Regency, region.ID(reg)).Code
		for d := 1; d <= 10; d++ {
			b = append(b[:0], code...)
			b = append(b, ',')
			b = appendInt(b, int64(d))
			b = append(b, ',')
			b = appendInt(b, max(1, fam[d]))
			b = append(b, '\n')
			w.Write(b)
			g.sum.DTSENRows++
		}
	}
	return g.ctx.Err()
}
