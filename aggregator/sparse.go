package aggregator

import "slices"

// Publishing less where it only leaks (docs/disclosure.md, "What is
// published"). A level of a programme in a quarter where most rows would
// describe fewer than k families tells nobody anything — its rows would be
// dashes — but every dash is a lower bound an attacker can use, and every
// small row needs protection from larger ones. Such a level is not
// published at all, nor any level below it. The same holds for each
// breakdown: PKH components, demography categories, coverage deciles and
// rejection reasons. Whether a level is published depends only on how
// many of its cells are small, which reveals nobody.

// sparseShare is the share of small cells above which a level is left out.
const sparseShare = 2.0 / 3

// coverageFloor is the first level at which cakupan-desil gives SEMUA
// only, not each programme.
const coverageFloor = Kabupaten

// levelKey names a level of one table's rows: quarter, dataset, programme
// (or component slot, or ProgramNone for SEMUA) and level.
type levelKey struct {
	q    Quarter
	ds   int
	slot int
	sub  int // demography dimension, coverage decile; 0 otherwise
	geo  Geo
}

type levelCount struct{ cells, small int }

// Omitted counts the rows a release leaves out, per dataset and level.
type Omitted map[string]map[Geo]int

func (o Omitted) add(ds string, geo Geo) {
	if o[ds] == nil {
		o[ds] = map[Geo]int{}
	}
	o[ds][geo]++
}

// omitSparse removes the rows of sparse levels (and everything below them)
// from t and reports how many rows of each dataset and level it removed.
func omitSparse(t *Tables, k int64) Omitted {
	counts := map[levelKey]*levelCount{}
	tally := func(key levelKey, v int64) {
		if v <= 0 {
			return
		}
		c := counts[key]
		if c == nil {
			c = &levelCount{}
			counts[key] = c
		}
		c.cells++
		if v < k {
			c.small++
		}
	}
	// Components count together (a component left out alone would be the
	// total minus the others).
	compSlot := func(c Component) int {
		if c == ComponentNone {
			return -1
		}
		return 99
	}
	penSlot := func(c *Cell) int {
		if s := compSlot(c.Component); s >= 0 {
			return s
		}
		return int(c.Program)
	}
	for i := range t.Penyaluran {
		c := &t.Penyaluran[i]
		tally(levelKey{c.Quarter, dsPen, penSlot(c), 0, c.Geo}, c.Penerima)
	}
	for i := range t.Demografi {
		c := &t.Demografi[i]
		tally(levelKey{c.Quarter, dsDemo, int(c.Program), int(Categories[c.Cat].Dim), c.Geo}, c.Penerima)
	}
	for i := range t.Cakupan {
		c := &t.Cakupan[i]
		tally(levelKey{c.Quarter, dsCov, int(c.Program), c.Decile, c.Geo}, c.Penerima)
	}
	for i := range t.Ketepatan {
		c := &t.Ketepatan[i]
		tally(levelKey{c.Quarter, dsRej, int(c.Program), int(c.Reason), c.Geo}, c.Jumlah)
	}
	// A level is out when it is sparse or the level above is out.
	out := func(key levelKey) bool {
		for g := Provinsi; g <= key.geo; g++ {
			k2 := key
			k2.geo = g
			if c := counts[k2]; c != nil && float64(c.small) > sparseShare*float64(c.cells) {
				return true
			}
		}
		return false
	}
	// Demography by province only where no province is small: a small
	// province's categories would each describe a handful of families.
	// Deciles by province are cakupan-desil's: the demography's decile
	// dimension is national only.
	for i := range t.Penyaluran {
		c := &t.Penyaluran[i]
		if c.Component == ComponentNone && c.Geo == Provinsi && c.Penerima < k {
			for dim := DimSex; dim < numDims; dim++ {
				counts[levelKey{c.Quarter, dsDemo, int(c.Program), int(dim), Provinsi}] = &levelCount{cells: 1, small: 1}
			}
		}
	}
	for q := range t.Amounts {
		for _, p := range Programs() {
			counts[levelKey{q, dsDemo, int(p), int(DimDecile), Provinsi}] = &levelCount{cells: 1, small: 1}
		}
	}
	// A programme's rows below its published levels go in every dataset.
	progOut := func(q Quarter, p Program, geo Geo) bool {
		return out(levelKey{q, dsPen, int(p), 0, geo})
	}
	om := Omitted{}
	// drop counts a row left out of ds at geo.
	drop := func(ds string, geo Geo, left bool) bool {
		if left {
			om.add(ds, geo)
		}
		return left
	}
	t.Penyaluran = slices.DeleteFunc(t.Penyaluran, func(c Cell) bool {
		return drop("penyaluran", c.Geo, progOut(c.Quarter, c.Program, c.Geo) || out(levelKey{c.Quarter, dsPen, penSlot(&c), 0, c.Geo}))
	})
	t.Demografi = slices.DeleteFunc(t.Demografi, func(c DemoCell) bool {
		return drop("penyaluran-demografi", c.Geo, progOut(c.Quarter, c.Program, c.Geo) || out(levelKey{c.Quarter, dsDemo, int(c.Program), int(Categories[c.Cat].Dim), c.Geo}))
	})
	t.Realisasi = slices.DeleteFunc(t.Realisasi, func(c RealCell) bool {
		return drop("realisasi", c.Geo, progOut(c.Quarter, c.Program, c.Geo))
	})
	t.Cakupan = slices.DeleteFunc(t.Cakupan, func(c CoverCell) bool {
		// By regency, coverage is told across programmes (SEMUA): one
		// programme's families of one decile in one regency are mostly a
		// handful, and each would tie SEMUA to that programme's rows.
		perProgramme := c.Program != ProgramNone && c.Geo >= coverageFloor
		return drop("cakupan-desil", c.Geo, perProgramme || (c.Program != ProgramNone && progOut(c.Quarter, c.Program, c.Geo)) ||
			out(levelKey{c.Quarter, dsCov, int(c.Program), c.Decile, c.Geo}))
	})
	t.Ketepatan = slices.DeleteFunc(t.Ketepatan, func(c RejectCell) bool {
		return drop("ketepatan-sasaran", c.Geo, out(levelKey{c.Quarter, dsRej, int(c.Program), int(c.Reason), c.Geo}))
	})
	return om
}

// omitLevel leaves out programme p's rows of quarter q at level geo and
// below, in every dataset: the last resort for a count that no
// suppression can protect in that quarter (a handful of families whose
// region has too few others to hide among). Like a sparse level, the
// level is then not published at all for that programme and quarter, and
// what it holds stays in the totals above. It returns the rows removed.
func omitLevel(t *Tables, q Quarter, p Program, geo Geo) int {
	return t.dropRows(func(k *CellKey) bool { return k.Quarter == q && k.Program == p && k.Geo >= geo })
}

// dropRows removes the rows of every table with a cell key for which out
// holds, and returns how many it removed.
func (t *Tables) dropRows(out func(k *CellKey) bool) int {
	n := 0
	drop := func(k *CellKey) bool {
		if out(k) {
			n++
			return true
		}
		return false
	}
	t.Penyaluran = slices.DeleteFunc(t.Penyaluran, func(c Cell) bool { return drop(&c.CellKey) })
	t.Demografi = slices.DeleteFunc(t.Demografi, func(c DemoCell) bool { return drop(&c.CellKey) })
	t.Realisasi = slices.DeleteFunc(t.Realisasi, func(c RealCell) bool { return drop(&c.CellKey) })
	t.Cakupan = slices.DeleteFunc(t.Cakupan, func(c CoverCell) bool { return drop(&c.CellKey) })
	t.Ketepatan = slices.DeleteFunc(t.Ketepatan, func(c RejectCell) bool { return drop(&c.CellKey) })
	return n
}
