// Package disclosure decides which published cells must be withheld so that
// no family can be learnt from a release (spec/disclosure.md §2 and §3).
//
// It knows nothing of datasets, regions or programmes. A caller describes a
// release as a Problem: one node per distinct published cell (a cell shown
// in two datasets is one node, so it is withheld in both or in neither) and
// one Relation per additive identity the published tables obey (a region is
// the sum of its children, a programme total the sum of its components, a
// region's total the sum of the categories of one demographic dimension).
// Protect then applies primary suppression, secondary suppression and an
// audit that solves the whole system of published equations, and withholds
// more until no withheld value can be recomputed.
package disclosure

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
)

// Status says whether a node is published and, if not, why it is withheld.
type Status uint8

// The statuses of a node.
const (
	Published Status = iota
	Primary          // its count is 1..k-1 (or the caller withheld it)
	Secondary        // withheld so that no other withheld node can be recomputed
)

// Withheld reports whether a node with status s is withheld.
func (s Status) Withheld() bool { return s != Published }

// String returns "published", "primary" or "secondary".
func (s Status) String() string {
	switch s {
	case Published:
		return "published"
	case Primary:
		return "primary"
	case Secondary:
		return "secondary"
	}
	return "disclosure.Status(" + strconv.Itoa(int(s)) + ")"
}

// Relation is one additive identity of the published tables:
// value(Total) = Σ value(Parts). Cells known to be zero are not nodes and
// are simply absent from Parts. A relation has at least one part, and no
// node appears in it twice.
type Relation struct {
	Total int32
	Parts []int32
}

// Problem is a release as the disclosure engine sees it. Node i has the
// protected count Count[i] and the status Status[i].
type Problem struct {
	// Count is the protected count of each node: families for the
	// distribution tables, rows for the rejection table. It is at least 1
	// for every node (zero cells are not nodes).
	Count []int64
	// Status is filled by Protect. It may be pre-set (a caller may mark a
	// node Primary for reasons of its own); Protect never publishes a node
	// the caller withheld. Protect allocates it when it is nil.
	Status []Status
	// Relations are the additive identities between the nodes.
	Relations []Relation
}

// Result summarises what Protect did.
type Result struct {
	Primary   int // nodes withheld by primary suppression (or pre-set Primary)
	Secondary int // nodes withheld by secondary suppression, the audit's additions included
	// AuditAdded is how many of the Secondary nodes the audit added beyond
	// the "0 or at least 2 per relation" rule.
	AuditAdded int
	// Rounds is the number of audit passes: 1 when the rule alone was
	// enough; otherwise the passes that found recomputable nodes, the
	// incremental passes after each fix and a final full pass.
	Rounds int
	// AuditedComponents and LargestComponent describe the final, full
	// audit: the number of connected groups of withheld nodes that share a
	// relation, and the number of withheld nodes in the largest one.
	AuditedComponents int
	LargestComponent  int
	// ExactComponents counts the components of the final audit whose
	// elimination left the integer fast path and was redone with exact
	// rational arithmetic (see audit.go).
	ExactComponents int
}

// ErrInvalid is wrapped by every error about a malformed Problem.
var ErrInvalid = errors.New("disclosure: invalid problem")

// Protect withholds the nodes of p that must not be published at threshold
// k, recording the verdict in p.Status, and returns counts and the final
// audit's verdict.
//
//  1. Primary suppression (§2): a published node whose Count is 1..k-1
//     becomes Primary.
//  2. Secondary suppression (§3) to a fixed point: every relation must have
//     0 or at least 2 withheld nodes among its total and parts. When it has
//     exactly one, the published part with the smallest Count (ties: lowest
//     index) is withheld — smallest first loses the least information — or,
//     when no part is left, the total.
//  3. The audit (see Audit). Each node it finds recomputable gets one more
//     suppression in a relation that contains it (the cheapest published
//     part, else the total) unless a suppression added in the same pass is
//     within two relations of it; then step 2 runs again and the components
//     that changed are audited again, until the audit passes; a last full
//     audit confirms the verdict.
//
// Withholding everything always passes when the counts obey the relations,
// so the loop ends; an error means p is malformed or its counts contradict
// its relations. On error p.Status may hold a partial result.
func Protect(p *Problem, k int) (Result, error) {
	if k < 1 {
		return Result{}, fmt.Errorf("%w: k = %d, want at least 1", ErrInvalid, k)
	}
	if p.Status == nil {
		p.Status = make([]Status, len(p.Count))
	}
	idx, err := validate(p, true)
	if err != nil {
		return Result{}, err
	}
	pr := newProtector(p, idx)

	// 1. Primary suppression.
	for i, c := range p.Count {
		if p.Status[i] == Published && c < int64(k) {
			p.Status[i] = Primary
		}
	}
	// 2. Secondary suppression from scratch: count each relation's
	// withheld members, queue those with exactly one.
	for r := range p.Relations {
		n := pr.withheldIn(int32(r))
		pr.wc[r] = n
		if n == 1 {
			pr.queue = append(pr.queue, int32(r))
		}
	}
	pr.secondary()

	// 3. Audit, fix, repeat. The first pass audits everything; later passes
	// only the components that gained a withheld node (a component none of
	// whose nodes changed has the same equations and the same verdict).
	var res Result
	full := true
	maxRounds := 2*len(p.Count) + 4 // every failing pass withholds at least one more node
	var seeds []int32
	for {
		if res.Rounds >= maxRounds {
			return res, fmt.Errorf("disclosure: audit did not converge after %d rounds", res.Rounds)
		}
		res.Rounds++
		seeds = seeds[:0]
		if full {
			for i, s := range p.Status {
				if s.Withheld() {
					seeds = append(seeds, int32(i))
				}
			}
		} else {
			seeds = append(seeds, pr.newly...)
		}
		pr.newly = pr.newly[:0]
		groups, st, err := pr.aud.run(seeds)
		if err != nil {
			return res, err
		}
		if len(groups) == 0 {
			if full {
				res.AuditedComponents, res.LargestComponent, res.ExactComponents = st.components, st.largest, st.exact
				break
			}
			full = true // confirm with a full pass
			continue
		}
		full = false
		added, err := pr.fix(groups, res.Rounds)
		if err != nil {
			return res, err
		}
		res.AuditAdded += added
		pr.secondary()
	}
	for _, s := range p.Status {
		switch s {
		case Primary:
			res.Primary++
		case Secondary:
			res.Secondary++
		}
	}
	return res, nil
}

// Audit proves that no withheld node's value is determined exactly by the
// published values and the relations. It returns, in increasing order, the
// withheld nodes that are determined; none means the release passes.
//
// The withheld nodes W are the unknowns of a linear system with one
// equation per relation (total +1, parts −1; published members move to the
// right-hand side). Node x is determined iff the unit vector e_x lies in the
// row space of the system restricted to W. Audit splits W into connected
// components (withheld nodes sharing a relation), eliminates each with
// sparse, fill-reducing Gaussian elimination and decides exactly; see
// audit.go for the arithmetic. Count is not used, but p must be valid.
func Audit(p *Problem) ([]int32, error) {
	idx, err := validate(p, false)
	if err != nil {
		return nil, err
	}
	a := newAuditor(p, idx)
	var seeds []int32
	for i, s := range p.Status {
		if s.Withheld() {
			seeds = append(seeds, int32(i))
		}
	}
	groups, _, err := a.run(seeds)
	if err != nil {
		return nil, err
	}
	var out []int32
	for _, g := range groups {
		out = append(out, g...)
	}
	slices.Sort(out)
	return out, nil
}

// index lists, for each node, the relations it belongs to (as total or as
// part): node i's relations are rel[off[i]:off[i+1]], in increasing order.
type index struct {
	off []int
	rel []int32
}

func (x *index) of(node int32) []int32 { return x.rel[x.off[node]:x.off[node+1]] }

// validate checks p and builds its node→relations index. Counts are checked
// only for Protect (Audit does not read them).
func validate(p *Problem, counts bool) (*index, error) {
	n := len(p.Count)
	if n > math.MaxInt32 || len(p.Relations) > math.MaxInt32 {
		return nil, fmt.Errorf("%w: %d nodes and %d relations, at most 2^31-1 of each", ErrInvalid, n, len(p.Relations))
	}
	if len(p.Status) != n {
		return nil, fmt.Errorf("%w: %d statuses for %d nodes", ErrInvalid, len(p.Status), n)
	}
	for i, s := range p.Status {
		if s > Secondary {
			return nil, fmt.Errorf("%w: node %d has status %d", ErrInvalid, i, s)
		}
		if counts && p.Count[i] < 1 {
			return nil, fmt.Errorf("%w: node %d has count %d; zero cells are not nodes", ErrInvalid, i, p.Count[i])
		}
	}
	// One pass checks ranges and duplicates (mark[node] = relation+1) and
	// counts each node's memberships; a second fills the index.
	mark := make([]int32, n)
	off := make([]int, n+1)
	check := func(r int, v int32) error {
		if v < 0 || int(v) >= n {
			return fmt.Errorf("%w: relation %d names node %d of %d", ErrInvalid, r, v, n)
		}
		if mark[v] == int32(r+1) {
			return fmt.Errorf("%w: relation %d names node %d twice", ErrInvalid, r, v)
		}
		mark[v] = int32(r + 1)
		off[v+1]++
		return nil
	}
	for r, rel := range p.Relations {
		if len(rel.Parts) == 0 {
			return nil, fmt.Errorf("%w: relation %d (total %d) has no parts", ErrInvalid, r, rel.Total)
		}
		if err := check(r, rel.Total); err != nil {
			return nil, err
		}
		for _, v := range rel.Parts {
			if err := check(r, v); err != nil {
				return nil, err
			}
		}
	}
	for i := 0; i < n; i++ {
		off[i+1] += off[i]
	}
	rel := make([]int32, off[n])
	fill := mark // reuse as the per-node fill cursor
	clear(fill)
	for r, re := range p.Relations {
		rel[off[re.Total]+int(fill[re.Total])] = int32(r)
		fill[re.Total]++
		for _, v := range re.Parts {
			rel[off[v]+int(fill[v])] = int32(r)
			fill[v]++
		}
	}
	return &index{off: off, rel: rel}, nil
}

// protector holds Protect's working state.
type protector struct {
	p     *Problem
	idx   *index
	wc    []int32 // withheld members per relation
	queue []int32 // relations that may have exactly one withheld member
	newly []int32 // nodes withheld since the last audit pass
	aud   *auditor

	blocked []int32 // fix: round in which the node came near a new suppression
}

func newProtector(p *Problem, idx *index) *protector {
	return &protector{
		p:       p,
		idx:     idx,
		wc:      make([]int32, len(p.Relations)),
		aud:     newAuditor(p, idx),
		blocked: make([]int32, len(p.Count)),
	}
}

func (pr *protector) withheldIn(r int32) int32 {
	rel := &pr.p.Relations[r]
	var n int32
	if pr.p.Status[rel.Total].Withheld() {
		n++
	}
	for _, v := range rel.Parts {
		if pr.p.Status[v].Withheld() {
			n++
		}
	}
	return n
}

// withhold marks a published node Secondary and queues the relations in
// which it is now the only withheld member.
func (pr *protector) withhold(v int32) {
	pr.p.Status[v] = Secondary
	pr.newly = append(pr.newly, v)
	for _, r := range pr.idx.of(v) {
		pr.wc[r]++
		if pr.wc[r] == 1 {
			pr.queue = append(pr.queue, r)
		}
	}
}

// cheapest returns relation r's published part with the smallest count
// (ties: lowest index), else its total if published, else -1.
func (pr *protector) cheapest(r int32) int32 {
	rel := &pr.p.Relations[r]
	best := int32(-1)
	for _, v := range rel.Parts {
		if pr.p.Status[v].Withheld() {
			continue
		}
		if best < 0 || pr.p.Count[v] < pr.p.Count[best] || (pr.p.Count[v] == pr.p.Count[best] && v < best) {
			best = v
		}
	}
	if best < 0 && !pr.p.Status[rel.Total].Withheld() {
		best = rel.Total
	}
	return best
}

// secondary runs the worklist of relations with exactly one withheld
// member until none is left. A relation is queued when its count of
// withheld members becomes 1; it may have gained more by the time it is
// looked at, hence the re-check.
func (pr *protector) secondary() {
	for h := 0; h < len(pr.queue); h++ {
		r := pr.queue[h]
		if pr.wc[r] != 1 {
			continue
		}
		// Exactly one member is withheld, so a published member exists.
		pr.withhold(pr.cheapest(r))
	}
	pr.queue = pr.queue[:0]
}

// fix withholds one more node for each determined node (groups holds them
// per component) unless a suppression added in this round is near it, and
// reports how many it withheld. Skipping the near ones matters: one
// suppression often frees a whole group (in the triangle a+b, b+c, a+c all
// three are determined and one more suppression frees them all). On
// generated national releases this loses less than fixing one node per
// component per round, and needs fewer passes.
func (pr *protector) fix(groups [][]int32, round int) (int, error) {
	added := 0
	stamp := int32(round)
	for _, g := range groups {
		for _, x := range g {
			if pr.near(x, stamp) {
				continue
			}
			v := pr.choose(x)
			if v < 0 {
				// Everything near x is withheld, possibly by this round's
				// earlier fixes; the next pass will tell.
				continue
			}
			pr.withhold(v)
			added++
			// Block the neighbourhood of the new suppression.
			for _, r := range pr.idx.of(v) {
				rel := &pr.p.Relations[r]
				pr.blocked[rel.Total] = stamp
				for _, m := range rel.Parts {
					pr.blocked[m] = stamp
				}
			}
		}
	}
	if added == 0 {
		// Determined nodes whose components publish nothing: their value
		// follows from the relations alone (it is 0), which real counts
		// (all ≥ 1) cannot do.
		g := groups[0]
		return 0, fmt.Errorf("disclosure: %d nodes (%v) are determined by the relations alone, so the counts contradict the relations", len(g), g[:min(len(g), 10)])
	}
	return added, nil
}

// near reports whether x shares a relation with a node that shares a
// relation with a suppression added in this round: that suppression may
// well have freed x too (as in the triangle), and the next pass will tell.
func (pr *protector) near(x int32, stamp int32) bool {
	if pr.blocked[x] == stamp {
		return true
	}
	for _, r := range pr.idx.of(x) {
		rel := &pr.p.Relations[r]
		if pr.blocked[rel.Total] == stamp {
			return true
		}
		for _, m := range rel.Parts {
			if pr.blocked[m] == stamp {
				return true
			}
		}
	}
	return false
}

// choose returns the published node to withhold for the determined node x:
// among the relations containing x, the cheapest published member (see
// cheapest) with the smallest count. When every relation of x is entirely
// withheld, it looks outward through withheld nodes for the nearest
// relation with a published member; -1 when there is none.
func (pr *protector) choose(x int32) int32 {
	best := int32(-1)
	pick := func(rels []int32) {
		for _, r := range rels {
			v := pr.cheapest(r)
			if v < 0 {
				continue
			}
			if best < 0 || pr.p.Count[v] < pr.p.Count[best] || (pr.p.Count[v] == pr.p.Count[best] && v < best) {
				best = v
			}
		}
	}
	pick(pr.idx.of(x))
	if best >= 0 {
		return best
	}
	// Breadth-first through withheld nodes, one layer at a time.
	seenNode := map[int32]bool{x: true}
	seenRel := map[int32]bool{}
	layer := []int32{x}
	for len(layer) > 0 {
		var rels, next []int32
		for _, v := range layer {
			for _, r := range pr.idx.of(v) {
				if seenRel[r] {
					continue
				}
				seenRel[r] = true
				rels = append(rels, r)
				rel := &pr.p.Relations[r]
				for _, m := range append([]int32{rel.Total}, rel.Parts...) {
					if !seenNode[m] && pr.p.Status[m].Withheld() {
						seenNode[m] = true
						next = append(next, m)
					}
				}
			}
		}
		pick(rels)
		if best >= 0 {
			return best
		}
		layer = next
	}
	return -1
}
