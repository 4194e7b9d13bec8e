package disclosure

import (
	"errors"
	"fmt"
	"math/bits"
	"slices"
)

// The audit's arithmetic.
//
// For the withheld nodes W, every relation with a withheld member gives
// one equation Σ ±x = (a combination of published values), with +1 for the
// total and −1 for the parts. Node x is determined iff e_x lies in the row
// space of the matrix A of these equations restricted to the W columns,
// or, equivalently, iff every vector v with A·v = 0 has v_x = 0 (the row
// space is the orthogonal complement of the null space).
//
// Elimination is exact. The fast path eliminates with integers: it only
// pivots on entries ±1 and keeps every entry within ±2^29, so each update
// a − f·b is computed exactly in int64 and every zero it finds is a true
// zero; the resulting echelon form, and the rank, are those over the
// rationals. The matrices of hierarchical tables are network-like (in a
// totally unimodular matrix pivoting on ±1 keeps every entry in {0, ±1}),
// so this path is almost always taken. When no ±1 pivot is available or
// an entry grows (an odd cycle such as a+b, b+c, a+c gives a pivot 2) the
// component is eliminated again with math/big rationals (exact.go).
//
// With the echelon form U in hand, the decision uses one random element of
// the null space: give every free (non-pivot) column a random value and
// back-substitute. A free node is never determined. A pivot node x gets
// v_x = L_x(free values), a fixed linear form that is identically zero iff
// x is determined. Back-substitution runs modulo the prime p = 2^61−1
// (products through math/bits) with two independent random vectors. If x is
// determined, v_x is 0 in both and the audit says so — always. If x is not,
// L_x is a non-zero form over the rationals; it vanishes modulo p only if p
// divides every one of its coefficients, and a non-vanishing form is zero
// at a uniformly random point with probability 1/p (Schwartz–Zippel), so a
// wrong answer needs both vectors to hit a root: about 2^-122 per node. And
// a wrong answer can only call an undetermined node determined, which makes
// Protect withhold one cell too many; it can never let a recomputable cell
// pass. This is why no argument about modular and rational rank is needed:
// the rank is computed exactly, only the final test is randomised, and its
// failure mode is the safe one.
//
// Elimination order: the column with the fewest remaining occurrences
// first (minimum degree, a cheap Markowitz rule), pivoting on its shortest
// row. A column that occurs once costs no fill-in at all, and most do:
// the relations of one hierarchy form trees.

// prime is the Mersenne prime 2^61−1 used by the back-substitution.
const prime = 1<<61 - 1

// smallBound bounds the entries of the integer fast path: with |a|, |f|,
// |b| ≤ 2^29, a − f·b fits in an int64 with room to spare.
const smallBound = 1 << 29

// errOverflow says that a component left the integer fast path.
var errOverflow = errors.New("entry growth or non-unit pivot")

// auditStats describes one audit pass.
type auditStats struct {
	components int // components with at least one relation
	largest    int // withheld nodes in the largest component
	exact      int // components redone with exact rationals
}

// auditor finds the connected components of the withheld nodes and solves
// each. Its buffers are reused from one component to the next and from one
// pass to the next, so a pass allocates little beyond its answer.
type auditor struct {
	p   *Problem
	idx *index

	epoch    int32
	nodeSeen []int32 // epoch in which the node was put in a component
	relSeen  []int32 // epoch in which the relation was put in a component
	local    []int32 // node → its column in the current component

	nodes []int32 // current component: its withheld nodes (columns)
	rels  []int32 // and the relations that contain them (rows)
	row   []entry

	el  eliminator
	rng uint64
}

func newAuditor(p *Problem, idx *index) *auditor {
	return &auditor{
		p:        p,
		idx:      idx,
		nodeSeen: make([]int32, len(p.Count)),
		relSeen:  make([]int32, len(p.Relations)),
		local:    make([]int32, len(p.Count)),
		rng:      0x5eed_d15c_1057_0001, // fixed: the same release gives the same verdict
	}
}

// run audits the components that contain the withheld nodes among seeds
// and returns, per component that fails, its determined nodes in
// increasing order.
func (a *auditor) run(seeds []int32) ([][]int32, auditStats, error) {
	a.epoch++
	var groups [][]int32
	var st auditStats
	for _, s := range seeds {
		if a.nodeSeen[s] == a.epoch || !a.p.Status[s].Withheld() {
			continue
		}
		a.collect(s)
		if len(a.rels) == 0 {
			continue // a withheld node in no relation reveals nothing
		}
		st.components++
		st.largest = max(st.largest, len(a.nodes))
		det, exact, err := a.solve()
		if err != nil {
			return nil, st, err
		}
		if exact {
			st.exact++
		}
		if len(det) > 0 {
			g := make([]int32, len(det))
			for i, c := range det {
				g[i] = a.nodes[c]
			}
			slices.Sort(g)
			groups = append(groups, g)
		}
	}
	return groups, st, nil
}

// collect gathers the component of withheld node s breadth-first: withheld
// nodes are joined by the relations that contain them.
func (a *auditor) collect(s int32) {
	a.nodes, a.rels = a.nodes[:0], a.rels[:0]
	a.nodeSeen[s] = a.epoch
	a.local[s] = 0
	a.nodes = append(a.nodes, s)
	visit := func(v int32) {
		if a.nodeSeen[v] != a.epoch && a.p.Status[v].Withheld() {
			a.nodeSeen[v] = a.epoch
			a.local[v] = int32(len(a.nodes))
			a.nodes = append(a.nodes, v)
		}
	}
	for i := 0; i < len(a.nodes); i++ {
		for _, r := range a.idx.of(a.nodes[i]) {
			if a.relSeen[r] == a.epoch {
				continue
			}
			a.relSeen[r] = a.epoch
			a.rels = append(a.rels, r)
			rel := &a.p.Relations[r]
			visit(rel.Total)
			for _, v := range rel.Parts {
				visit(v)
			}
		}
	}
}

// rowOf appends relation r's equation over the component's columns to
// dst, sorted by column.
func (a *auditor) rowOf(dst []entry, r int32) []entry {
	rel := &a.p.Relations[r]
	if a.p.Status[rel.Total].Withheld() {
		dst = append(dst, entry{a.local[rel.Total], 1})
	}
	for _, v := range rel.Parts {
		if a.p.Status[v].Withheld() {
			dst = append(dst, entry{a.local[v], -1})
		}
	}
	slices.SortFunc(dst, func(x, y entry) int { return int(x.col - y.col) })
	return dst
}

// solve returns the determined columns of the current component and
// whether it needed exact rationals.
func (a *auditor) solve() ([]int32, bool, error) {
	switch {
	case len(a.nodes) == 1:
		return []int32{0}, false, nil // its equation names it alone
	case len(a.rels) == 1:
		return nil, false, nil // one equation in two or more unknowns
	}
	e := &a.el
	e.reset(len(a.nodes), len(a.rels))
	for _, r := range a.rels {
		a.row = a.rowOf(a.row[:0], r)
		e.addRow(a.row)
	}
	if err := e.eliminate(); err == nil {
		return e.determined(a.random), false, nil
	} else if !errors.Is(err, errOverflow) {
		return nil, false, err
	}
	rows := make([][]ratEntry, len(a.rels))
	for i, r := range a.rels {
		a.row = a.rowOf(a.row[:0], r)
		rows[i] = newRatRow(a.row)
	}
	det, err := exactDetermined(len(a.nodes), rows, a.random)
	if err != nil {
		return nil, true, fmt.Errorf("disclosure: audit of a component of %d nodes: %w", len(a.nodes), err)
	}
	return det, true, nil
}

// random returns a pseudo-random element of 1..p-1 (splitmix64).
func (a *auditor) random() uint64 {
	for {
		a.rng += 0x9E3779B97F4A7C15
		z := a.rng
		z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
		z = (z ^ z>>27) * 0x94D049BB133111EB
		z = (z ^ z>>31) >> 3
		if z != 0 && z < prime {
			return z
		}
	}
}

// entry is one non-zero of a sparse row.
type entry struct {
	col int32
	val int32
}

// link is one cell of a column's list of the rows that contain it. Lists
// are append-only: a row that loses the column stays listed and is skipped.
type link struct {
	row, next int32
}

// eliminator is the integer fast path: sparse Gaussian elimination of one
// component, rows stored in one arena (a row that changes is rewritten at
// the arena's end), columns ordered by a bucket queue of their counts.
type eliminator struct {
	start  []int   // row i is arena[start[i] : start[i]+length[i]]
	length []int32 //
	active []bool  // not yet a pivot row, not yet emptied
	seen   []int32 // step in which the row was last taken as a candidate
	arena  []entry

	q       buckets
	colHead []int32 // first link of each column, -1 when none
	links   []link
	pivot   []int32 // pivot row of each column, -1 for a free column
	order   []int32 // pivot columns in elimination order

	cand   []cand
	v1, v2 []uint64
	det    []int32
}

type cand struct {
	row int32
	val int32
}

func (e *eliminator) reset(ncols, nrows int) {
	e.start = resize(e.start, nrows)
	e.length = resize(e.length, nrows)
	e.active = resize(e.active, nrows)
	e.seen = resize(e.seen, nrows)
	clear(e.seen)
	e.start, e.length, e.active = e.start[:0], e.length[:0], e.active[:0]
	e.arena = e.arena[:0]
	e.q.reset(ncols, nrows)
	e.colHead = resize(e.colHead, ncols)
	e.pivot = resize(e.pivot, ncols)
	for i := range ncols {
		e.colHead[i] = -1
		e.pivot[i] = -1
	}
	e.links = e.links[:0]
	e.order = e.order[:0]
}

func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// addRow adds a row sorted by column.
func (e *eliminator) addRow(row []entry) {
	r := int32(len(e.start))
	e.start = append(e.start, len(e.arena))
	e.length = append(e.length, int32(len(row)))
	e.active = append(e.active, len(row) > 0)
	e.arena = append(e.arena, row...)
	for _, en := range row {
		e.q.count[en.col]++
		e.links = append(e.links, link{r, e.colHead[en.col]})
		e.colHead[en.col] = int32(len(e.links) - 1)
	}
}

func (e *eliminator) rowAt(r int32) []entry {
	s := e.start[r]
	return e.arena[s : s+int(e.length[r])]
}

// valueAt returns row r's entry in column c, 0 if none.
func (e *eliminator) valueAt(r, c int32) int32 {
	row := e.rowAt(r)
	i, ok := slices.BinarySearchFunc(row, c, func(en entry, c int32) int { return int(en.col - c) })
	if !ok {
		return 0
	}
	return row[i].val
}

// eliminate reduces the rows to echelon form, or returns errOverflow when
// the integer fast path cannot continue.
func (e *eliminator) eliminate() error {
	e.q.start()
	step := int32(0)
	for {
		x := e.q.pop()
		if x < 0 {
			return nil
		}
		step++
		e.cand = e.cand[:0]
		best := -1
		for l := e.colHead[x]; l >= 0; l = e.links[l].next {
			r := e.links[l].row
			if !e.active[r] || e.seen[r] == step {
				continue
			}
			e.seen[r] = step
			v := e.valueAt(r, x)
			if v == 0 {
				continue
			}
			e.cand = append(e.cand, cand{r, v})
			if v != 1 && v != -1 {
				continue
			}
			c := len(e.cand) - 1
			if best < 0 || e.length[r] < e.length[e.cand[best].row] ||
				(e.length[r] == e.length[e.cand[best].row] && r < e.cand[best].row) {
				best = c
			}
		}
		if best < 0 {
			return errOverflow // only pivots other than ±1
		}
		pr := e.cand[best].row
		e.active[pr] = false
		e.pivot[x] = pr
		e.order = append(e.order, x)
		prow := e.rowAt(pr)
		for _, en := range prow {
			e.q.add(en.col, -1)
		}
		if e.cand[best].val == -1 { // normalise: pivot +1
			for i := range prow {
				prow[i].val = -prow[i].val
			}
		}
		for i, c := range e.cand {
			if i == best {
				continue
			}
			if err := e.update(c.row, int64(c.val), pr); err != nil {
				return err
			}
		}
	}
}

// update replaces row j by row j − f·(pivot row pr), merging the two
// sorted rows into the arena's end.
func (e *eliminator) update(j int32, f int64, pr int32) error {
	rj, rp := e.rowAt(j), e.rowAt(pr)
	e.arena = slices.Grow(e.arena, len(rj)+len(rp))
	// rj and rp still point at the old array if Grow moved it; it is
	// read-only from here on.
	out := len(e.arena)
	i, k := 0, 0
	for i < len(rj) || k < len(rp) {
		switch {
		case k == len(rp) || (i < len(rj) && rj[i].col < rp[k].col):
			e.arena = append(e.arena, rj[i])
			i++
		case i == len(rj) || rp[k].col < rj[i].col: // fill-in
			v := -f * int64(rp[k].val)
			if v > smallBound || v < -smallBound {
				return errOverflow
			}
			c := rp[k].col
			e.arena = append(e.arena, entry{c, int32(v)})
			e.q.add(c, 1)
			e.links = append(e.links, link{j, e.colHead[c]})
			e.colHead[c] = int32(len(e.links) - 1)
			k++
		default:
			v := int64(rj[i].val) - f*int64(rp[k].val)
			if v > smallBound || v < -smallBound {
				return errOverflow
			}
			if v == 0 {
				e.q.add(rj[i].col, -1)
			} else {
				e.arena = append(e.arena, entry{rj[i].col, int32(v)})
			}
			i++
			k++
		}
	}
	e.start[j] = out
	e.length[j] = int32(len(e.arena) - out)
	if e.length[j] == 0 {
		e.active[j] = false // the equation was a combination of others
	}
	return nil
}

// determined back-substitutes two random null-space vectors modulo p and
// returns the pivot columns that are zero in both.
func (e *eliminator) determined(random func() uint64) []int32 {
	n := len(e.pivot)
	e.v1, e.v2 = resize(e.v1, n), resize(e.v2, n)
	for c := range n {
		if e.pivot[c] < 0 {
			e.v1[c], e.v2[c] = random(), random()
		}
	}
	for i := len(e.order) - 1; i >= 0; i-- {
		x := e.order[i]
		var s1, s2 uint64
		for _, en := range e.rowAt(e.pivot[x]) {
			if en.col == x {
				continue
			}
			f := modInt(int64(en.val))
			s1 = addMod(s1, mulMod(f, e.v1[en.col]))
			s2 = addMod(s2, mulMod(f, e.v2[en.col]))
		}
		e.v1[x], e.v2[x] = negMod(s1), negMod(s2)
	}
	e.det = e.det[:0]
	for _, x := range e.order {
		if e.v1[x] == 0 && e.v2[x] == 0 {
			e.det = append(e.det, x)
		}
	}
	return e.det
}

// buckets is a priority queue of columns by their count of occurrences in
// the active rows: one doubly linked list per count, O(1) to move a column
// when its count changes. Columns with count 0 are in no list.
type buckets struct {
	head       []int32
	next, prev []int32
	count      []int32
	min        int
}

func (b *buckets) reset(ncols, nrows int) {
	b.head = resize(b.head, nrows+1)
	for i := range b.head {
		b.head[i] = -1
	}
	b.next = resize(b.next, ncols)
	b.prev = resize(b.prev, ncols)
	b.count = resize(b.count, ncols)
	clear(b.count)
}

// start lists every column by the counts accumulated in count.
func (b *buckets) start() {
	b.min = 1
	for c := range b.count {
		if b.count[c] > 0 {
			b.push(int32(c))
		}
	}
}

func (b *buckets) push(c int32) {
	n := b.count[c]
	h := b.head[n]
	b.next[c], b.prev[c] = h, -1
	if h >= 0 {
		b.prev[h] = c
	}
	b.head[n] = c
	if int(n) < b.min {
		b.min = int(n)
	}
}

func (b *buckets) unlink(c int32) {
	n, p := b.next[c], b.prev[c]
	if p >= 0 {
		b.next[p] = n
	} else {
		b.head[b.count[c]] = n
	}
	if n >= 0 {
		b.prev[n] = p
	}
}

// add changes column c's count by d.
func (b *buckets) add(c int32, d int32) {
	if b.count[c] > 0 {
		b.unlink(c)
	}
	b.count[c] += d
	if b.count[c] > 0 {
		b.push(c)
	}
}

// pop returns a column with the smallest positive count, -1 when every
// count is 0. It stays listed until its count drops to 0.
func (b *buckets) pop() int32 {
	for b.min < len(b.head) && b.head[b.min] < 0 {
		b.min++
	}
	if b.min >= len(b.head) {
		return -1
	}
	return b.head[b.min]
}

// Arithmetic modulo 2^61−1.

func mulMod(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	// a·b = hi·2^64 + lo and 2^64 ≡ 8, 2^61 ≡ 1 (mod p).
	r := (lo & prime) + (lo >> 61) + (hi << 3)
	r = (r & prime) + (r >> 61)
	if r >= prime {
		r -= prime
	}
	return r
}

func addMod(a, b uint64) uint64 {
	r := a + b
	if r >= prime {
		r -= prime
	}
	return r
}

func negMod(a uint64) uint64 {
	if a == 0 {
		return 0
	}
	return prime - a
}

// modInt maps an integer of magnitude below p to its residue.
func modInt(v int64) uint64 {
	if v < 0 {
		return prime - uint64(-v)
	}
	return uint64(v)
}
