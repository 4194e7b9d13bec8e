package disclosure

import (
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// checkProtected asserts the invariants of a protected problem: no
// published node is small, every relation has 0 or at least 2 withheld
// members, nothing the caller withheld was published, and the audit passes.
func checkProtected(t testing.TB, p *Problem, k int, preset []Status) {
	t.Helper()
	for i, s := range p.Status {
		if s == Published && p.Count[i] < int64(k) {
			t.Fatalf("node %d (count %d) published below k = %d", i, p.Count[i], k)
		}
		if preset != nil && preset[i].Withheld() && !s.Withheld() {
			t.Fatalf("node %d was withheld by the caller but is published", i)
		}
	}
	for r, rel := range p.Relations {
		if n := withheldCount(p, rel); n == 1 {
			t.Fatalf("relation %d (total %d, parts %v) has exactly one withheld member", r, rel.Total, rel.Parts)
		}
	}
	det, err := Audit(p)
	if err != nil {
		t.Fatalf("Audit: %v", err)
	}
	if len(det) > 0 {
		t.Fatalf("Audit after Protect: nodes %v are determined", det)
	}
}

func withheldCount(p *Problem, rel Relation) int {
	n := 0
	if p.Status[rel.Total].Withheld() {
		n++
	}
	for _, v := range rel.Parts {
		if p.Status[v].Withheld() {
			n++
		}
	}
	return n
}

func statuses(p *Problem, nodes ...int32) []Status {
	out := make([]Status, len(nodes))
	for i, v := range nodes {
		out[i] = p.Status[v]
	}
	return out
}

// builder makes hand-written problems readable.
type builder struct{ p Problem }

func (b *builder) node(c int64) int32 {
	b.p.Count = append(b.p.Count, c)
	return int32(len(b.p.Count) - 1)
}

func (b *builder) sum(parts ...int32) int32 {
	var s int64
	for _, v := range parts {
		s += b.p.Count[v]
	}
	t := b.node(s)
	b.rel(t, parts...)
	return t
}

func (b *builder) rel(t int32, parts ...int32) {
	b.p.Relations = append(b.p.Relations, Relation{Total: t, Parts: parts})
}

func (b *builder) problem() *Problem {
	b.p.Status = make([]Status, len(b.p.Count))
	return &b.p
}

// table2 builds a rows×cols table with row, column and grand totals.
func table2(b *builder, counts [][]int64) (cell [][]int32, rowT, colT []int32, grand int32) {
	cols := len(counts[0])
	for i, row := range counts {
		cell = append(cell, nil)
		for _, c := range row {
			cell[i] = append(cell[i], b.node(c))
		}
	}
	for i := range counts {
		rowT = append(rowT, b.sum(cell[i]...))
	}
	for j := range cols {
		var col []int32
		for i := range counts {
			col = append(col, cell[i][j])
		}
		colT = append(colT, b.sum(col...))
	}
	grand = b.sum(rowT...)
	b.rel(grand, colT...)
	return cell, rowT, colT, grand
}

func TestSmallCellInTwoByNTable(t *testing.T) {
	var b builder
	cell, _, _, _ := table2(&b, [][]int64{
		{50, 11, 3, 40, 60},
		{70, 12, 30, 45, 80},
	})
	p := b.problem()
	res, err := Protect(p, 10)
	if err != nil {
		t.Fatal(err)
	}
	checkProtected(t, p, 10, nil)
	// The small cell, the cheapest other cell of its row (11), the other
	// cell of its column (30) and, to protect that one, the cheapest other
	// cell of row 1 (12): a rectangle, the least a 2×N table allows.
	want := map[int32]Status{cell[0][2]: Primary, cell[0][1]: Secondary, cell[1][2]: Secondary, cell[1][1]: Secondary}
	for v, s := range p.Status {
		if want[int32(v)] != s {
			t.Errorf("node %d (count %d): %v, want %v", v, p.Count[v], s, want[int32(v)])
		}
	}
	if res.Primary != 1 || res.Secondary != 3 || res.AuditAdded != 0 || res.Rounds != 1 {
		t.Errorf("result %+v", res)
	}
}

func TestSmallDistrictWithPublishedSiblings(t *testing.T) {
	var b builder
	d1, d2, d3 := b.node(4), b.node(25), b.node(90)
	reg := b.sum(d1, d2, d3)
	reg2 := b.node(500)
	b.sum(reg, reg2) // province
	p := b.problem()
	if _, err := Protect(p, 10); err != nil {
		t.Fatal(err)
	}
	checkProtected(t, p, 10, nil)
	if got, want := statuses(p, d1, d2, d3, reg), []Status{Primary, Secondary, Published, Published}; !slices.Equal(got, want) {
		t.Errorf("district, siblings, regency = %v, want %v", got, want)
	}
}

func TestPKHComponentAlone(t *testing.T) {
	var b builder
	var comps []int32
	for _, c := range []int64{40, 200, 300, 190, 5, 30, 100} {
		comps = append(comps, b.node(c))
	}
	total := b.sum(comps...)
	p := b.problem()
	if _, err := Protect(p, 10); err != nil {
		t.Fatal(err)
	}
	checkProtected(t, p, 10, nil)
	want := []Status{Published, Published, Published, Published, Primary, Secondary, Published}
	if got := statuses(p, comps...); !slices.Equal(got, want) {
		t.Errorf("components %v, want %v", got, want)
	}
	if p.Status[total] != Published {
		t.Errorf("programme total %v, want published", p.Status[total])
	}
}

func TestSinglePartRelation(t *testing.T) {
	// A city with a single district: total = part. When the part is
	// withheld, the total must be too.
	var b builder
	part := b.node(300)
	total := b.sum(part)
	p := b.problem()
	p.Status[part] = Primary // withheld by the caller
	if _, err := Protect(p, 10); err != nil {
		t.Fatal(err)
	}
	checkProtected(t, p, 10, nil)
	if got, want := statuses(p, part, total), []Status{Primary, Secondary}; !slices.Equal(got, want) {
		t.Errorf("part, total = %v, want %v", got, want)
	}

	// The same city under a province with a published sibling: the
	// sibling must go as well.
	var c builder
	part = c.node(3)
	total = c.sum(part)
	sib := c.node(800)
	c.sum(total, sib)
	p = c.problem()
	if _, err := Protect(p, 10); err != nil {
		t.Fatal(err)
	}
	checkProtected(t, p, 10, nil)
	if got, want := statuses(p, part, total, sib), []Status{Primary, Primary, Secondary}; !slices.Equal(got, want) {
		t.Errorf("part, total, sibling = %v, want %v", got, want)
	}
}

// TestSharedTotal: a region total is a node of the hierarchy (province =
// Σ regencies) and of a demography dimension (total = L + P). Withholding
// it must propagate through both kinds of relation.
func TestSharedTotal(t *testing.T) {
	var b builder
	l1, p1 := b.node(3), b.node(5)
	t1 := b.sum(l1, p1) // 8: small itself
	l2, p2 := b.node(40), b.node(55)
	t2 := b.sum(l2, p2)
	l3, p3 := b.node(300), b.node(310)
	t3 := b.sum(l3, p3)
	prov := b.sum(t1, t2, t3)
	b.sum(l1, l2, l3) // the province's L
	b.sum(p1, p2, p3) // the province's P
	p := b.problem()
	if _, err := Protect(p, 10); err != nil {
		t.Fatal(err)
	}
	checkProtected(t, p, 10, nil)
	// t1 is withheld once, in both kinds of relation. The hierarchy then
	// needs a sibling (t2, the cheapest), whose demography relation needs
	// one category (l2); the provincial L and P relations are then
	// satisfied by l1, l2 and p1 with p2 or p3.
	if got, want := statuses(p, t1, t2, t3, prov), []Status{Primary, Secondary, Published, Published}; !slices.Equal(got, want) {
		t.Errorf("totals %v, want %v", got, want)
	}
	if got, want := statuses(p, l1, p1, l2), []Status{Primary, Primary, Secondary}; !slices.Equal(got, want) {
		t.Errorf("categories %v, want %v", got, want)
	}
}

// TestTriangle: a+b, b+c and a+c published. Withholding a, b and c
// satisfies the "at least 2" rule in every relation, yet
// a = (T1 − T2 + T3)/2. The audit must see it and Protect must fix it.
func TestTriangle(t *testing.T) {
	var b builder
	x, y, z := b.node(2), b.node(3), b.node(4)
	t1, t2, t3 := b.sum(x, y), b.sum(y, z), b.sum(x, z)
	p := b.problem()

	p.Status[x], p.Status[y], p.Status[z] = Primary, Primary, Primary
	det, err := Audit(p)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(det, []int32{x, y, z}) {
		t.Fatalf("Audit = %v, want %v", det, []int32{x, y, z})
	}

	clear(p.Status)
	res, err := Protect(p, 5)
	if err != nil {
		t.Fatal(err)
	}
	checkProtected(t, p, 5, nil)
	if res.AuditAdded != 1 || res.Secondary != 1 {
		t.Errorf("result %+v: want one suppression added by the audit", res)
	}
	// For a, the cheapest published member of its relations is t1 (5).
	if got, want := statuses(p, t1, t2, t3), []Status{Secondary, Published, Published}; !slices.Equal(got, want) {
		t.Errorf("totals %v, want %v", got, want)
	}
}

// TestAuditCatchesBrokenSuppression publishes again one secondary cell of
// a protected table: the audit must name the primary cell it protected.
func TestAuditCatchesBrokenSuppression(t *testing.T) {
	var b builder
	cell, _, _, _ := table2(&b, [][]int64{
		{50, 11, 3, 40, 60},
		{70, 12, 30, 45, 80},
	})
	p := b.problem()
	if _, err := Protect(p, 10); err != nil {
		t.Fatal(err)
	}
	for _, v := range []int32{cell[0][1], cell[1][2], cell[1][1]} {
		q := &Problem{Count: p.Count, Status: slices.Clone(p.Status), Relations: p.Relations}
		q.Status[v] = Published
		det, err := Audit(q)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(det, cell[0][2]) {
			t.Errorf("publishing node %d: Audit = %v, want it to contain the primary cell %d", v, det, cell[0][2])
		}
	}
}

func TestPresetPrimaryKept(t *testing.T) {
	var b builder
	d := []int32{b.node(400), b.node(500), b.node(600)}
	b.sum(d...)
	p := b.problem()
	p.Status[d[2]] = Primary // withheld by the caller
	res, err := Protect(p, 10)
	if err != nil {
		t.Fatal(err)
	}
	checkProtected(t, p, 10, []Status{Published, Published, Primary, Published})
	if got, want := statuses(p, d...), []Status{Secondary, Published, Primary}; !slices.Equal(got, want) || res.Primary != 1 {
		t.Errorf("statuses %v (result %+v), want %v", got, res, want)
	}
}

func TestInvalidProblems(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    Problem
		k    int
	}{
		{"zero count", Problem{Count: []int64{0, 1}, Relations: []Relation{{0, []int32{1}}}}, 10},
		{"no parts", Problem{Count: []int64{5}, Relations: []Relation{{0, nil}}}, 10},
		{"out of range", Problem{Count: []int64{5}, Relations: []Relation{{0, []int32{3}}}}, 10},
		{"total among parts", Problem{Count: []int64{5, 5}, Relations: []Relation{{0, []int32{1, 0}}}}, 10},
		{"duplicate part", Problem{Count: []int64{10, 5}, Relations: []Relation{{0, []int32{1, 1}}}}, 10},
		{"bad status", Problem{Count: []int64{5}, Status: []Status{7}}, 10},
		{"status length", Problem{Count: []int64{5}, Status: []Status{0, 0}}, 10},
		{"k", Problem{Count: []int64{5}}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Protect(&tc.p, tc.k); !errors.Is(err, ErrInvalid) {
				t.Errorf("Protect: %v, want ErrInvalid", err)
			}
		})
	}
}

// TestInconsistentCounts: relations a = b and a = b + c claim c = 0 with
// nothing published at all; no suppression can help, so Protect must stop
// with an error rather than loop.
func TestInconsistentCounts(t *testing.T) {
	p := &Problem{
		Count:     []int64{3, 3, 3},
		Relations: []Relation{{0, []int32{1}}, {0, []int32{1, 2}}},
	}
	if _, err := Protect(p, 10); err == nil || errors.Is(err, ErrInvalid) {
		t.Fatalf("Protect: %v, want a non-validation error", err)
	}
}

// TestEliminatorOverflow feeds the integer fast path entries that grow past
// its bound: it must hand over to the exact path, which must agree with the
// dense reference.
func TestEliminatorOverflow(t *testing.T) {
	var e eliminator
	rows := [][]entry{
		{{0, 1}, {1, smallBound}, {2, 1}},
		{{0, 1}, {1, -smallBound}, {2, 1}},
	}
	e.reset(3, len(rows))
	var rat [][]ratEntry
	for _, r := range rows {
		e.addRow(r)
		rat = append(rat, newRatRow(r))
	}
	if err := e.eliminate(); !errors.Is(err, errOverflow) {
		t.Fatalf("eliminate: %v, want errOverflow", err)
	}
	a := &auditor{rng: 1}
	det, err := exactDetermined(3, rat, a.random)
	if err != nil {
		t.Fatal(err)
	}
	// The difference of the rows is 2^30·x1 = 0: x1 is determined, x0 and
	// x2 only as a sum.
	if !slices.Equal(det, []int32{1}) {
		t.Errorf("determined %v, want [1]", det)
	}
	for _, s := range []Status{Published, Primary, Secondary, 9} {
		if s.String() == "" {
			t.Error("empty status name")
		}
	}
}

func TestAuditEmptyAndIsolated(t *testing.T) {
	p := &Problem{Count: []int64{3, 4}, Status: []Status{Primary, Published}}
	det, err := Audit(p)
	if err != nil || len(det) != 0 {
		t.Fatalf("Audit = %v, %v", det, err)
	}
}

// TestProtectRandom checks the invariants on many small random problems
// with many small cells, and that Protect is deterministic.
func TestProtectRandom(t *testing.T) {
	cases := 3000
	if testing.Short() {
		cases = 300
	}
	for seed := range cases {
		rng := rand.New(rand.NewPCG(uint64(seed), 1))
		p := randomProblem(rngSource{rng}, 2+rng.IntN(25), func() bool { return true })
		k := 2 + rng.IntN(12)
		var preset []Status
		if seed%5 == 0 && len(p.Count) > 0 {
			p.Status[rng.IntN(len(p.Count))] = Primary
			preset = slices.Clone(p.Status)
		}
		q := &Problem{Count: p.Count, Status: slices.Clone(p.Status), Relations: p.Relations}
		if _, err := Protect(p, k); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		checkProtected(t, p, k, preset)
		if _, err := Protect(q, k); err != nil || !slices.Equal(p.Status, q.Status) {
			t.Fatalf("seed %d: a second run differs (%v)", seed, err)
		}
	}
}

// TestProtectGenerated runs the invariants on generated national-shaped
// problems, scaled down so that small cells are everywhere.
func TestProtectGenerated(t *testing.T) {
	for seed := range uint64(3) {
		cfg := defaultNational(seed)
		cfg.Scale = []float64{0.3, 1, 4}[seed]
		cfg.Quarters, cfg.HalfYear = 2, seed != 1
		g := genNational(cfg)
		p := g.P
		res, err := Protect(p, 10)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		checkProtected(t, p, 10, nil)
		t.Logf("seed %d: %d nodes, %d relations: %+v", seed, len(p.Count), len(p.Relations), res)
	}
}

// bruteDetermined decides the audit with dense rational Gauss–Jordan
// elimination: the reference Audit is tested against.
func bruteDetermined(p *Problem) []int32 {
	var cols []int32
	col := map[int32]int{}
	for i, s := range p.Status {
		if s.Withheld() {
			col[int32(i)] = len(cols)
			cols = append(cols, int32(i))
		}
	}
	var m [][]*big.Rat
	for _, rel := range p.Relations {
		row := make([]*big.Rat, len(cols))
		for j := range row {
			row[j] = new(big.Rat)
		}
		any := false
		if c, ok := col[rel.Total]; ok {
			row[c].SetInt64(1)
			any = true
		}
		for _, v := range rel.Parts {
			if c, ok := col[v]; ok {
				row[c].SetInt64(-1)
				any = true
			}
		}
		if any {
			m = append(m, row)
		}
	}
	var pivots []int // pivot column of row r
	r := 0
	for c := 0; c < len(cols) && r < len(m); c++ {
		piv := -1
		for i := r; i < len(m); i++ {
			if m[i][c].Sign() != 0 {
				piv = i
				break
			}
		}
		if piv < 0 {
			continue
		}
		m[r], m[piv] = m[piv], m[r]
		inv := new(big.Rat).Inv(m[r][c])
		for j := range m[r] {
			m[r][j].Mul(m[r][j], inv)
		}
		for i := range m {
			if i == r || m[i][c].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Set(m[i][c])
			for j := range m[i] {
				m[i][j].Sub(m[i][j], new(big.Rat).Mul(f, m[r][j]))
			}
		}
		pivots = append(pivots, c)
		r++
	}
	var det []int32
	for i, c := range pivots {
		alone := true
		for j := range cols {
			if j != c && m[i][j].Sign() != 0 {
				alone = false
				break
			}
		}
		if alone {
			det = append(det, cols[c])
		}
	}
	slices.Sort(det)
	return det
}

func TestAuditMatchesBruteForce(t *testing.T) {
	cases := 600
	if testing.Short() {
		cases = 100
	}
	exact := 0
	for seed := range cases {
		rng := rand.New(rand.NewPCG(uint64(seed), 2))
		p := randomProblem(rngSource{rng}, 2+rng.IntN(14), func() bool { return true })
		share := 0.2 + 0.6*rng.Float64()
		for i := range p.Status {
			if rng.Float64() < share {
				p.Status[i] = Primary
			}
		}
		got, err := Audit(p)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		want := bruteDetermined(p)
		if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("seed %d: Audit = %v, brute force = %v", seed, got, want)
		}
		idx, _ := validate(p, false)
		a := newAuditor(p, idx)
		var seeds []int32
		for i := range p.Status {
			seeds = append(seeds, int32(i))
		}
		_, st, _ := a.run(seeds)
		exact += st.exact
	}
	t.Logf("%d cases, %d components needed exact rationals", cases, exact)
	if exact == 0 {
		t.Error("no case exercised the exact path")
	}
}

// TestExactPathMatchesFastPath forces the exact path on components the
// fast path solves and compares the answers.
func TestExactPathMatchesFastPath(t *testing.T) {
	for seed := range 200 {
		rng := rand.New(rand.NewPCG(uint64(seed), 3))
		p := randomProblem(rngSource{rng}, 2+rng.IntN(14), func() bool { return true })
		for i := range p.Status {
			if rng.IntN(2) == 0 {
				p.Status[i] = Primary
			}
		}
		idx, _ := validate(p, false)
		a := newAuditor(p, idx)
		a.epoch++
		for s := range p.Status {
			if !p.Status[s].Withheld() || a.nodeSeen[s] == a.epoch {
				continue
			}
			a.collect(int32(s))
			if len(a.rels) < 2 || len(a.nodes) < 2 {
				continue
			}
			a.el.reset(len(a.nodes), len(a.rels))
			rows := make([][]ratEntry, len(a.rels))
			for i, r := range a.rels {
				a.row = a.rowOf(a.row[:0], r)
				a.el.addRow(a.row)
				rows[i] = newRatRow(a.row)
			}
			if a.el.eliminate() != nil {
				continue
			}
			fast := slices.Clone(a.el.determined(a.random))
			slow, err := exactDetermined(len(a.nodes), rows, a.random)
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(fast)
			slices.Sort(slow)
			if !slices.Equal(fast, slow) && len(fast)+len(slow) > 0 {
				t.Fatalf("seed %d: fast %v, exact %v", seed, fast, slow)
			}
		}
	}
}

func TestModArithmetic(t *testing.T) {
	P := new(big.Int).SetUint64(prime)
	if !P.ProbablyPrime(20) {
		t.Fatal("2^61-1 is not prime?")
	}
	rng := rand.New(rand.NewPCG(9, 9))
	for range 10000 {
		a, b := rng.Uint64N(prime), rng.Uint64N(prime)
		want := new(big.Int).Mul(new(big.Int).SetUint64(a), new(big.Int).SetUint64(b))
		want.Mod(want, P)
		if got := mulMod(a, b); got != want.Uint64() {
			t.Fatalf("mulMod(%d, %d) = %d, want %d", a, b, got, want)
		}
		if a != 0 && mulMod(a, invMod(a)) != 1 {
			t.Fatalf("invMod(%d) wrong", a)
		}
	}
	for _, a := range []uint64{0, 1, prime - 1} {
		for _, b := range []uint64{0, 1, prime - 1} {
			want := new(big.Int).Mul(new(big.Int).SetUint64(a), new(big.Int).SetUint64(b))
			if got := mulMod(a, b); got != want.Mod(want, P).Uint64() {
				t.Fatalf("mulMod(%d, %d) = %d", a, b, got)
			}
		}
	}
}

// TestProtectNational protects a full national-shaped release and logs
// its timing and how much secondary suppression adds.
func TestProtectNational(t *testing.T) {
	if testing.Short() {
		t.Skip("national-sized problem")
	}
	t0 := time.Now()
	g := genNational(defaultNational(1))
	p := g.P
	gen := time.Since(t0)
	t1 := time.Now()
	res, err := Protect(p, 10)
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(t1)
	t2 := time.Now()
	det, err := Audit(p)
	if err != nil || len(det) > 0 {
		t.Fatalf("Audit: %v, %v", det, err)
	}
	audit := time.Since(t2)
	checkProtected(t, p, 10, nil)
	t.Logf("%d nodes, %d relations (hierarchy %d, components %d, demography %d, periods %d); generated in %v",
		len(p.Count), len(p.Relations), g.HierarchyRelations, g.ComponentRelations, g.DemographyRelations, g.PeriodRelations, gen.Round(time.Millisecond))
	t.Logf("Protect %v (a second full Audit %v): %s", took.Round(time.Millisecond), audit.Round(time.Millisecond), describe(res, len(p.Count)))
}

func describe(res Result, nodes int) string {
	return fmt.Sprintf("primary %d (%.1f%% of nodes), secondary %d (+%.1f%% on top of primary; %d of them from the audit), %d rounds, %d components, largest %d, %d exact",
		res.Primary, 100*float64(res.Primary)/float64(nodes), res.Secondary, 100*float64(res.Secondary)/float64(res.Primary),
		res.AuditAdded, res.Rounds, res.AuditedComponents, res.LargestComponent, res.ExactComponents)
}

// BenchmarkProtectNational protects the national-shaped release: "periods"
// is defaultNational (two quarters and their half-year), "quarters" the
// same without the half-year relations.
func BenchmarkProtectNational(b *testing.B) {
	for _, tc := range []struct {
		name     string
		halfYear bool
	}{{"periods", true}, {"quarters", false}} {
		b.Run(tc.name, func(b *testing.B) {
			cfg := defaultNational(1)
			cfg.HalfYear = tc.halfYear
			p := genNational(cfg).P
			var res Result
			for b.Loop() {
				clear(p.Status)
				var err error
				if res, err = Protect(p, 10); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(p.Count)), "nodes")
			b.ReportMetric(float64(len(p.Relations)), "relations")
			b.ReportMetric(float64(res.Primary), "primary")
			b.ReportMetric(float64(res.Secondary), "secondary")
			b.ReportMetric(100*float64(res.Secondary)/float64(res.Primary), "secondary%")
			b.Logf("%d nodes, %d relations: %s", len(p.Count), len(p.Relations), describe(res, len(p.Count)))
		})
	}
}

func BenchmarkAuditNational(b *testing.B) {
	g := genNational(defaultNational(1))
	p := g.P
	if _, err := Protect(p, 10); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if det, err := Audit(p); err != nil || len(det) > 0 {
			b.Fatal(det, err)
		}
	}
}

func FuzzProtect(f *testing.F) {
	f.Add([]byte{3, 0, 1, 2, 3, 4, 5, 1, 2, 3})
	f.Add([]byte{7, 5, 3, 4, 5, 1, 0, 2, 3})
	f.Add([]byte{2, 3, 1, 2, 9, 9, 9, 9, 9, 9, 2, 1, 4, 3, 5, 0, 2})
	f.Add([]byte("the quick brown fox jumps over the lazy dog"))
	f.Fuzz(func(t *testing.T, data []byte) {
		src := &byteSource{b: data}
		k := 1 + src.intn(15)
		p := randomProblem(src, 40, func() bool { return !src.done() })
		if _, err := Protect(p, k); err != nil {
			t.Fatal(err)
		}
		checkProtected(t, p, k, nil)
		if len(p.Count) <= 60 {
			// The audit after Protect agrees with the dense reference.
			if det := bruteDetermined(p); len(det) > 0 {
				t.Fatalf("brute force finds %v determined", det)
			}
		}
	})
}
