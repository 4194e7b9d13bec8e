package disclosure

import (
	"math"
	"math/rand/v2"
)

// This file builds problems for the tests and the benchmark: a
// national-shaped release (nation → 38 provinces → 514 regencies → 7,277
// districts, several programmes and periods, demography dimensions of 2, 5,
// 11 and 5 categories per region total, PKH components) and small random
// problems whose counts obey their relations.

// nationalConfig shapes a generated national release.
type nationalConfig struct {
	Seed       uint64
	Programmes []programmeShape
	Quarters   int
	// HalfYear adds a third period per programme whose every cell is the
	// sum of the same cell in the first two quarters (one more relation
	// per cell, chaining the periods together).
	HalfYear bool
	// Scale multiplies every district's families; smaller means more small
	// cells.
	Scale float64
}

// programmeShape is one programme: the median families per district and
// the shares of its components (none for a programme without components).
type programmeShape struct {
	Name       string
	Median     float64
	Components []float64
}

// The demography dimensions as in aggregator/tables.go: sex, age band,
// welfare decile (1–10 and unknown), channel. Base shares, perturbed per
// district.
var demographyShares = [][]float64{
	{0.42, 0.58},
	{0.02, 0.16, 0.42, 0.28, 0.12},
	{0.22, 0.18, 0.15, 0.12, 0.10, 0.08, 0.06, 0.04, 0.025, 0.015, 0.01},
	{0.55, 0.25, 0.12, 0.06, 0.02},
}

// pkhComponents: ibu hamil, anak usia dini, SD, SMP, SMA, disabilitas
// berat, lanjut usia.
var pkhComponents = []float64{0.04, 0.20, 0.30, 0.19, 0.14, 0.03, 0.10}

// defaultNational is the benchmark's release: PKH (7 components) and BPNT,
// two quarters and their half-year, about 1.2M nodes and 0.7M relations.
// The medians (families per district, log-normal with σ = 1.1 between
// districts) are low on purpose: at k = 10 they make about 40% of the
// nodes primary, the share the aggregator expects once every small
// category of every district is counted.
func defaultNational(seed uint64) nationalConfig {
	return nationalConfig{
		Seed: seed,
		Programmes: []programmeShape{
			{Name: "PKH", Median: 70, Components: pkhComponents},
			{Name: "BPNT", Median: 105},
		},
		Quarters: 2,
		HalfYear: true,
		Scale:    1,
	}
}

// national is a generated problem with the shape it came from.
type national struct {
	P                   *Problem
	Regions             int
	HierarchyRelations  int
	ComponentRelations  int
	DemographyRelations int
	PeriodRelations     int
}

// genNational builds a national-shaped problem.
func genNational(cfg nationalConfig) national {
	rng := rand.New(rand.NewPCG(cfg.Seed, 0xd15c))
	lognormal := func(median, sigma float64) float64 { return median * math.Exp(sigma*rng.NormFloat64()) }

	// Regions: 0 is the nation, then provinces, regencies, districts.
	// Children are spread with skewed weights, at least one each.
	const nProv, nReg, nDist = 38, 514, 7277
	spread := func(parents, children int) [][]int {
		w := make([]float64, parents)
		sum := 0.0
		for i := range w {
			w[i] = lognormal(1, 0.6)
			sum += w[i]
		}
		count := make([]int, parents)
		left := children - parents
		for i := range count {
			count[i] = 1 + int(float64(left)*w[i]/sum)
		}
		for total := sumInts(count); total < children; total++ {
			count[rng.IntN(parents)]++
		}
		out := make([][]int, parents)
		next := 0
		for i := range out {
			for range count[i] {
				out[i] = append(out[i], next)
				next++
			}
		}
		return out
	}
	children := make([][]int32, 1+nProv+nReg+nDist)
	for p := range nProv {
		children[0] = append(children[0], int32(1+p))
	}
	for p, regs := range spread(nProv, nReg) {
		for _, r := range regs {
			children[1+p] = append(children[1+p], int32(1+nProv+r))
		}
	}
	for r, dists := range spread(nReg, nDist) {
		for _, d := range dists {
			children[1+nProv+r] = append(children[1+nProv+r], int32(1+nProv+nReg+d))
		}
	}
	nRegions := len(children)
	firstDistrict := 1 + nProv + nReg

	// Cells of one region in one programme and period: the total, the
	// components, then the demography categories.
	nDemo := 0
	for _, d := range demographyShares {
		nDemo += len(d)
	}
	periods := cfg.Quarters
	if cfg.HalfYear {
		periods++
	}

	var p Problem
	var g national
	g.Regions = nRegions
	for _, prog := range cfg.Programmes {
		nCells := 1 + len(prog.Components) + nDemo
		// value[period][region*nCells+cell]
		value := make([][]int64, periods)
		for q := range periods {
			value[q] = make([]int64, nRegions*nCells)
		}
		// District values for each quarter, sums upwards.
		districtMedian := make([]float64, nRegions)
		for d := firstDistrict; d < nRegions; d++ {
			districtMedian[d] = lognormal(prog.Median*cfg.Scale, 1.1)
		}
		shares := make([]float64, 0, 16)
		for q := range cfg.Quarters {
			for d := firstDistrict; d < nRegions; d++ {
				v := value[q][d*nCells : (d+1)*nCells]
				t := int64(math.Round(districtMedian[d] * math.Exp(0.08*rng.NormFloat64())))
				v[0] = t
				if len(prog.Components) > 0 {
					shares = perturb(rng, shares[:0], prog.Components)
					split(t, shares, v[1:1+len(prog.Components)])
				}
				off := 1 + len(prog.Components)
				for _, base := range demographyShares {
					shares = perturb(rng, shares[:0], base)
					split(t, shares, v[off:off+len(base)])
					off += len(base)
				}
			}
			for r := firstDistrict - 1; r >= 0; r-- {
				v := value[q][r*nCells : (r+1)*nCells]
				for _, c := range children[r] {
					for i, x := range value[q][int(c)*nCells : (int(c)+1)*nCells] {
						v[i] += x
					}
				}
			}
		}
		if cfg.HalfYear {
			for i := range value[cfg.Quarters] {
				value[cfg.Quarters][i] = value[0][i] + value[1][i]
			}
		}
		// Nodes: every non-zero cell.
		id := make([][]int32, periods)
		for q := range periods {
			id[q] = make([]int32, nRegions*nCells)
			for i, x := range value[q] {
				if x == 0 {
					id[q][i] = -1
					continue
				}
				id[q][i] = int32(len(p.Count))
				p.Count = append(p.Count, x)
			}
		}
		add := func(total int32, parts []int32) bool {
			if total < 0 {
				return false
			}
			var ps []int32
			for _, v := range parts {
				if v >= 0 {
					ps = append(ps, v)
				}
			}
			p.Relations = append(p.Relations, Relation{Total: total, Parts: ps})
			return true
		}
		parts := make([]int32, 0, 64)
		for q := range periods {
			for r := range nRegions {
				base := r * nCells
				// Hierarchy: each cell of a region is the sum of the same
				// cell of its children.
				if len(children[r]) > 0 {
					for cell := range nCells {
						parts = parts[:0]
						for _, c := range children[r] {
							parts = append(parts, id[q][int(c)*nCells+cell])
						}
						if add(id[q][base+cell], parts) {
							g.HierarchyRelations++
						}
					}
				}
				// Components.
				if len(prog.Components) > 0 && add(id[q][base], id[q][base+1:base+1+len(prog.Components)]) {
					g.ComponentRelations++
				}
				// Demography: the region total is the sum of each
				// dimension's categories.
				off := base + 1 + len(prog.Components)
				for _, d := range demographyShares {
					if add(id[q][base], id[q][off:off+len(d)]) {
						g.DemographyRelations++
					}
					off += len(d)
				}
			}
		}
		if cfg.HalfYear {
			h := cfg.Quarters
			for i := range id[h] {
				if add(id[h][i], []int32{id[0][i], id[1][i]}) {
					g.PeriodRelations++
				}
			}
		}
	}
	p.Status = make([]Status, len(p.Count))
	g.P = &p
	return g
}

func sumInts(s []int) int {
	n := 0
	for _, v := range s {
		n += v
	}
	return n
}

// perturb appends base's shares, each multiplied by log-normal noise and
// renormalised: districts differ.
func perturb(rng *rand.Rand, dst, base []float64) []float64 {
	sum := 0.0
	for _, b := range base {
		x := b * math.Exp(0.6*rng.NormFloat64())
		dst = append(dst, x)
		sum += x
	}
	for i := range dst {
		dst[i] /= sum
	}
	return dst
}

// split divides t among len(shares) cells exactly: floors first, then the
// remainder one by one to the largest fractional parts.
func split(t int64, shares []float64, out []int64) {
	var given int64
	frac := make([]float64, len(shares))
	for i, s := range shares {
		x := float64(t) * s
		out[i] = int64(x)
		frac[i] = x - float64(out[i])
		given += out[i]
	}
	for ; given < t; given++ {
		best := 0
		for i := range frac {
			if frac[i] > frac[best] {
				best = i
			}
		}
		out[best]++
		frac[best] = -1
	}
}

// source yields small numbers for the random problem builder: from a PRNG
// for property tests, from the fuzzer's bytes for FuzzProtect (0 once they
// run out).
type source interface{ intn(n int) int }

type rngSource struct{ *rand.Rand }

func (s rngSource) intn(n int) int { return s.IntN(n) }

type byteSource struct {
	b []byte
	i int
}

func (s *byteSource) intn(n int) int {
	if s.i >= len(s.b) {
		return 0
	}
	v := int(s.b[s.i])
	s.i++
	return v % n
}

func (s *byteSource) done() bool { return s.i >= len(s.b) }

// randomProblem builds a small problem whose counts obey its relations, so
// that withholding everything passes the audit. Its pieces are the
// structures of real releases: two-way tables with margins, totals over
// existing cells (hierarchies, shared totals), a cell split two ways
// (a region total split by two dimensions) and odd cycles.
func randomProblem(src source, ops int, more func() bool) *Problem {
	p := &Problem{}
	node := func(c int64) int32 {
		p.Count = append(p.Count, c)
		return int32(len(p.Count) - 1)
	}
	rel := func(t int32, parts ...int32) {
		p.Relations = append(p.Relations, Relation{Total: t, Parts: append([]int32(nil), parts...)})
	}
	small := func() int64 { return int64(1 + src.intn(12)) }
	for i := 0; i < ops && more(); i++ {
		switch src.intn(6) {
		case 0: // a few leaves
			for range 1 + src.intn(3) {
				node(small() + int64(src.intn(2))*int64(src.intn(30)))
			}
		case 1: // a total over 1–5 distinct existing nodes
			if len(p.Count) == 0 {
				continue
			}
			parts := pick(src, len(p.Count), 1+src.intn(5))
			var sum int64
			for _, v := range parts {
				sum += p.Count[v]
			}
			rel(node(sum), parts...)
		case 2: // split an existing node into 2–4 new parts
			if len(p.Count) == 0 {
				continue
			}
			t := int32(src.intn(len(p.Count)))
			n := 2 + src.intn(3)
			if p.Count[t] < int64(n) {
				continue
			}
			parts := make([]int32, n)
			left := p.Count[t]
			for i := range n - 1 {
				c := 1 + int64(src.intn(int(left-int64(n-1-i))))
				parts[i] = node(c)
				left -= c
			}
			parts[n-1] = node(left)
			rel(t, parts...)
		case 3, 4: // a two-way table with margins and grand total
			rows, cols := 1+src.intn(3), 2+src.intn(3)
			cell := make([][]int32, rows)
			var rowSum, colSum []int64
			colSum = make([]int64, cols)
			for i := range rows {
				var s int64
				for j := range cols {
					c := small()
					if src.intn(3) == 0 {
						c += int64(src.intn(40))
					}
					cell[i] = append(cell[i], node(c))
					s += c
					colSum[j] += c
				}
				rowSum = append(rowSum, s)
			}
			var grand int64
			rt := make([]int32, rows)
			for i := range rows {
				rt[i] = node(rowSum[i])
				rel(rt[i], cell[i]...)
				grand += rowSum[i]
			}
			ct := make([]int32, cols)
			for j := range cols {
				ct[j] = node(colSum[j])
				col := make([]int32, rows)
				for i := range rows {
					col[i] = cell[i][j]
				}
				rel(ct[j], col...)
			}
			g := node(grand)
			rel(g, rt...)
			rel(g, ct...)
		case 5: // odd cycle: a+b, b+c, a+c published as totals
			a, b, c := node(small()), node(small()), node(small())
			rel(node(p.Count[a]+p.Count[b]), a, b)
			rel(node(p.Count[b]+p.Count[c]), b, c)
			rel(node(p.Count[a]+p.Count[c]), a, c)
		}
	}
	p.Status = make([]Status, len(p.Count))
	return p
}

// pick returns up to n distinct node indices below limit.
func pick(src source, limit, n int) []int32 {
	seen := map[int32]bool{}
	var out []int32
	for range 2 * n {
		v := int32(src.intn(limit))
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
		if len(out) == n {
			break
		}
	}
	return out
}
