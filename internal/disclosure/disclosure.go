// Package disclosure decides which published numbers must be withheld so
// that nobody can learn a small group of families from a release, not even
// an attacker who holds every release and solves the published tables as
// a system of equations and inequalities with integer bounds (the threat
// model of docs/disclosure.md).
//
// It knows nothing of datasets, regions or programmes. A caller describes
// what a release (and the previous release of the same data) publishes as
// a Problem:
//
//   - Nodes are the unknowns of the attacker's system: every count (of
//     families, transactions or rejected rows) and amount the tables show
//     or imply, at the release being built and, where it matters, at the
//     previous release. Each has its true value and the bounds an attacker
//     knows without looking at it (a visible withheld row holds at least
//     one family; a count never shrinks from one release to the next).
//   - Units group the nodes that are published or withheld together (a
//     row's family count; its failed transactions with their rupiah). The
//     previous release's units have a fixed status.
//   - Constraints are every linear relation the attacker knows: a region is
//     the sum of its sub-regions, a PKH total of its components, a
//     region's families the sum of one dimension's categories; a row's
//     families are at most its transactions; a count at the previous
//     release is at most the same count now. True values satisfy them all.
//   - Requirements say what must not be learnt: a withheld row's protected
//     count must stay uncertain by at least k (NeedWide), and a count of 1
//     to k−1 — a row, a sub-count such as failed transactions, or the
//     families added between two releases — must not be published, nor
//     pinned near its value: the attacker must not be able to rule out
//     that it is 0, unless it is uncertain by at least k (NeedSmall).
//
// Protect withholds the units that must be withheld and proves that the
// result is safe: for every active requirement it finds witnesses —
// integer alternative values of every node that satisfy every constraint
// and change no published number — that span the required interval.
// Witnesses are found by small linear programs over the withheld nodes
// near the requirement, and checked exactly in integer arithmetic; when
// none exists, a second linear program picks the cheapest published units
// whose withholding makes one exist. Because a witness only ever needs
// nodes to be withheld, withholding more never invalidates it, so the
// proofs collected along the way all hold for the final release.
package disclosure

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Status says whether a unit is published and, if not, why it is withheld.
type Status uint8

// The statuses of a unit.
const (
	Published Status = iota
	Primary          // a small count (or its difference from the last release) would be published
	Secondary        // withheld so that another withheld count stays uncertain
)

// Withheld reports whether s is a withheld status.
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

// NoUpper marks a node without an upper bound.
const NoUpper = math.MaxInt64

// Node is one unknown of the attacker's system.
type Node struct {
	Value int64 // true value
	// Lower and Upper bound the node for an attacker who does not see it
	// (Upper is NoUpper when there is none). Value lies inside.
	Lower, Upper int64
	Unit         int32 // the unit whose status is the node's
	// Old nodes belong to the previous release (their units are Fixed).
	Old bool
	// Row groups the nodes of one published row (0: none). The search
	// for witnesses keeps a move on the rows it already changes, so that
	// a row's families, transactions and rupiah move together.
	Row int32
	// Cost is the information lost per unit of change of this node when
	// its unit has to be withheld to protect another; 0 for amounts and
	// other nodes whose units are costed through a count.
	Cost float64
}

// Unit is a set of nodes published or withheld together.
type Unit struct {
	Status Status
	// Fixed units (an earlier release's) keep their status.
	Fixed bool
	// With lists units that are withheld whenever this one is (a row's
	// other measures when its family count is withheld).
	With []int32
}

// Op is a constraint's comparison.
type Op uint8

// The comparisons.
const (
	Eq Op = iota // Σ = RHS
	Le           // Σ ≤ RHS
)

// Term is one coefficient of a constraint.
type Term struct {
	Node int32
	Coef int64
}

// Constraint is Σ Coef·value(Node) Op RHS.
type Constraint struct {
	Terms []Term
	Op    Op
	RHS   int64
}

// Need is what a requirement protects.
type Need uint8

// The kinds of requirement.
const (
	// NeedWide: when the node's unit is withheld and its value is not 0,
	// the attacker's interval for it must be at least k wide. For the
	// protected count of a visible row, whatever its size.
	NeedWide Need = iota + 1
	// NeedSmall: when the value is 1..k−1 it must not be published, and
	// while any of its nodes is withheld the attacker must not be able to
	// exclude 0 unless the interval is at least k wide.
	NeedSmall
)

// Requirement is one thing the attacker must not learn about the value
// Σ Coef·value(Node) + Const: a count (one term), the families added
// since the previous release (the count now minus the count then), or a
// count the tables imply (families with no disbursement: families minus
// families paid).
type Requirement struct {
	Terms []Term
	Const int64
	Need  Need
	// Hide is the unit primary suppression withholds when the value is
	// small and every term is published.
	Hide int32
}

// Floor asks for a witness in which each listed node is at least Min,
// changing no Old node: it carries an earlier release's witness forward
// to this release (see Protect).
type Floor struct {
	Nodes []int32
	Min   []int64
	// ShiftNodes and Shift, when set, are the earlier witness itself,
	// on this release's nodes and the previous release's: the tables
	// relate the same counts in every release and a count never
	// shrinks, so moving both releases' nodes by the same amounts is a
	// witness once the nodes it moves are withheld. It is the last
	// resort when no cheaper witness exists.
	ShiftNodes []int32
	Shift      []int64
}

// Problem is a release as the engine sees it.
type Problem struct {
	Nodes        []Node
	Units        []Unit
	Constraints  []Constraint
	Requirements []Requirement
	Floors       []Floor
}

// Witness is an alternative to the true values: node Nodes[i] has value
// Value + Delta[i], every other node its true value. It satisfies every
// constraint and changes no published node.
type Witness struct {
	Nodes []int32
	Delta []int64
}

// Result is what Protect did.
type Result struct {
	Primary, Secondary int // units withheld, by status (fixed units excluded)
	Witnesses          []Witness
	// FloorWitness[i] is the index in Witnesses of the witness that
	// carries Floors[i] forward.
	FloorWitness []int
	// Requirements that were active (withheld or small), LPs solved, and
	// escalation steps taken (see Options.Escalate).
	Active, LPs, Escalations int
	// Work is the work done, in the units of Options.Budget.
	Work int64
	// BySource counts the units withheld by each search: "proposal",
	// "repair", "lp", "escalate", "floor".
	BySource map[string]int
}

var traceEscalation = os.Getenv("DISCLOSURE_TRACE") != ""

// traceSecondary (DISCLOSURE_TRACE=2) also prints each secondary
// suppression with the requirement that caused it.
var traceSecondary = os.Getenv("DISCLOSURE_TRACE") == "2"

// traceOne traces the searches of one requirement (DISCLOSURE_TRACE_REQ).
var traceOne = func() int {
	var n int
	if _, err := fmt.Sscan(os.Getenv("DISCLOSURE_TRACE_REQ"), &n); err != nil {
		return -1
	}
	return n
}()

// ErrInvalid is wrapped by every error about a malformed Problem.
var ErrInvalid = errors.New("disclosure: invalid problem")

// Options tune Protect.
type Options struct {
	// MaxVars caps the variables of one local linear program.
	MaxVars int
	// Name, when set, names a node in traces.
	Name func(node int32) string
	// Propose, when set, suggests witnesses for requirement ri that take
	// its value to at least target (up) or at most target. Protect checks
	// each exactly and keeps one that changes no published node, else the
	// cheapest (withholding what it changes); the searches of its own
	// come after.
	// valid tells whether a witness would hold if the published nodes it
	// changes were withheld: a proposer builds its moves step by step
	// and keeps the steps that stay valid.
	Propose func(ri int, up bool, target int64, valid func(Witness) bool) []Witness
	// Escalate, when set, names the units to withhold at step 0, 1, ...
	// of the last resort for requirement ri (nil when there is nothing
	// more): blocks of rows ever wider around it.
	Escalate func(ri int, step int) []int32
	// Budget, when positive, bounds the search by the work done rather
	// than the clock, so that the same input gives the same verdict on
	// any machine: past it Protect gives up with ErrBudget (the caller
	// then publishes less). The unit is one tableau cell touched by a
	// simplex pivot or one step of the repair search; about 10⁹ units
	// take 10 s on one core of our CI machine.
	Budget int64
}

// ErrBudget is returned by Protect when Options.Budget is spent.
var ErrBudget = errors.New("disclosure: no proof found within the work allowed")

// Protect withholds units of p at threshold k, recording the verdict in
// p.Units[i].Status, and returns the witnesses that prove the result:
//
//  1. Primary suppression: a NeedSmall requirement whose nodes are all
//     published and whose value is 1..k−1 withholds its node's unit.
//  2. Every Floor gets a witness, withholding what it needs; when one
//     has none, Protect fails with a FailError (Requirement −1).
//  3. Every active requirement gets witnesses spanning its interval
//     (NeedWide: k wide; NeedSmall: reaching 0, or k wide). When the
//     withheld nodes near it admit none, the cheapest published units
//     that make one exist are withheld (secondary suppression), which may
//     activate more requirements, until all are met.
//
// Units in a With list follow their unit. On error p may hold a partial
// verdict.
func Protect(p *Problem, k int, opt Options) (*Result, error) {
	if k < 1 {
		return nil, fmt.Errorf("%w: k = %d, want at least 1", ErrInvalid, k)
	}
	if opt.MaxVars <= 0 {
		opt.MaxVars = 300
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	e := newEngine(p, int64(k), opt)
	res := &Result{}
	// 1. Primary suppression.
	for i := range p.Requirements {
		r := &p.Requirements[i]
		if r.Need != NeedSmall {
			continue
		}
		if v := e.reqValue(r); v > 0 && v < e.k && e.allPublished(r) {
			e.withhold(r.Hide, Primary)
		}
	}
	// 2. Floors.
	res.FloorWitness = make([]int, len(p.Floors))
	late := e.spent
	for i := range p.Floors {
		if late() {
			return nil, ErrBudget
		}
		w, err := e.floor(&p.Floors[i])
		if err != nil {
			return nil, &FailError{Requirement: -1, Floor: i}
		}
		res.FloorWitness[i] = e.record(w)
	}
	// 3. Requirements, until none is open.
	for {
		open := e.openRequirements()
		if len(open) == 0 {
			break
		}
		for _, ri := range open {
			if e.satisfied(ri) {
				continue
			}
			if late() {
				return nil, ErrBudget
			}
			if err := e.certify(ri); err != nil {
				return nil, err
			}
		}
	}
	res.Witnesses = e.witnesses
	res.LPs = e.lps
	res.Escalations = e.escalated
	res.Work = e.work
	res.BySource = e.bySource
	for i := range p.Requirements {
		if e.active(i) {
			res.Active++
		}
	}
	for i := range p.Units {
		if p.Units[i].Fixed {
			continue
		}
		switch p.Units[i].Status {
		case Primary:
			res.Primary++
		case Secondary:
			res.Secondary++
		}
	}
	return res, nil
}

// validate checks indexes, bounds and that the true values satisfy every
// constraint.
func (p *Problem) validate() error {
	n := int32(len(p.Nodes))
	if len(p.Nodes) > math.MaxInt32 || len(p.Units) > math.MaxInt32 {
		return fmt.Errorf("%w: too many nodes or units", ErrInvalid)
	}
	for i, nd := range p.Nodes {
		if nd.Unit < 0 || int(nd.Unit) >= len(p.Units) {
			return fmt.Errorf("%w: node %d names unit %d of %d", ErrInvalid, i, nd.Unit, len(p.Units))
		}
		if nd.Value < nd.Lower || nd.Value > nd.Upper {
			return fmt.Errorf("%w: node %d has value %d outside its bounds [%d, %d]", ErrInvalid, i, nd.Value, nd.Lower, nd.Upper)
		}
	}
	for i, u := range p.Units {
		if u.Status > Secondary {
			return fmt.Errorf("%w: unit %d has status %d", ErrInvalid, i, u.Status)
		}
		for _, w := range u.With {
			if w < 0 || int(w) >= len(p.Units) {
				return fmt.Errorf("%w: unit %d is withheld with unit %d of %d", ErrInvalid, i, w, len(p.Units))
			}
		}
	}
	for i, c := range p.Constraints {
		if len(c.Terms) == 0 {
			return fmt.Errorf("%w: constraint %d has no terms", ErrInvalid, i)
		}
		var sum int64
		for _, t := range c.Terms {
			if t.Node < 0 || t.Node >= n {
				return fmt.Errorf("%w: constraint %d names node %d of %d", ErrInvalid, i, t.Node, n)
			}
			sum += t.Coef * p.Nodes[t.Node].Value
		}
		if (c.Op == Eq && sum != c.RHS) || (c.Op == Le && sum > c.RHS) {
			return &ConstraintError{Constraint: i, Sum: sum}
		}
	}
	for i, r := range p.Requirements {
		if len(r.Terms) == 0 || (r.Need == NeedWide && (len(r.Terms) != 1 || r.Terms[0].Coef != 1 || r.Const != 0)) {
			return fmt.Errorf("%w: requirement %d has terms %v", ErrInvalid, i, r.Terms)
		}
		for _, t := range r.Terms {
			if t.Node < 0 || t.Node >= n {
				return fmt.Errorf("%w: requirement %d names node %d of %d", ErrInvalid, i, t.Node, n)
			}
		}
		if r.Hide < 0 || int(r.Hide) >= len(p.Units) {
			return fmt.Errorf("%w: requirement %d hides unit %d of %d", ErrInvalid, i, r.Hide, len(p.Units))
		}
		if r.Need != NeedWide && r.Need != NeedSmall {
			return fmt.Errorf("%w: requirement %d has need %d", ErrInvalid, i, r.Need)
		}
	}
	for i, f := range p.Floors {
		if len(f.Nodes) != len(f.Min) {
			return fmt.Errorf("%w: floor %d has %d nodes and %d minimums", ErrInvalid, i, len(f.Nodes), len(f.Min))
		}
		for _, v := range f.Nodes {
			if v < 0 || v >= n {
				return fmt.Errorf("%w: floor %d names node %d of %d", ErrInvalid, i, v, n)
			}
		}
	}
	return nil
}

// engine is Protect's working state.
type engine struct {
	p    *Problem
	k    int64
	opt  Options
	cons [][]int32 // constraints of each node
	reqs [][]int32 // requirements touching each node
	// lo and hi are the smallest and largest value of each requirement
	// seen in a witness (the true value to start with).
	lo, hi    []int64
	witnesses []Witness
	lps       int
	escalated int
	// bySource counts secondary suppressions by the search that made them.
	bySource map[string]int
	rs       *repairState
	trace    bool  // trace the searches of the requirement being certified
	work     int64 // work done so far, in the units of Options.Budget
}

// spent tells whether the work budget is used up.
func (e *engine) spent() bool { return e.opt.Budget > 0 && e.work > e.opt.Budget }

// newLP builds a local program whose pivots count towards the budget.
func (e *engine) newLP(n int, lo, hi []float64, rows [][]lpTerm, b []float64, eq []bool) *lp {
	l := newLP(n, lo, hi, rows, b, eq)
	l.work, l.limit = &e.work, e.opt.Budget
	e.lps++
	return l
}

func newEngine(p *Problem, k int64, opt Options) *engine {
	e := &engine{p: p, k: k, opt: opt, bySource: map[string]int{}}
	e.cons = make([][]int32, len(p.Nodes))
	for ci, c := range p.Constraints {
		for _, t := range c.Terms {
			e.cons[t.Node] = append(e.cons[t.Node], int32(ci))
		}
	}
	e.reqs = make([][]int32, len(p.Nodes))
	e.lo = make([]int64, len(p.Requirements))
	e.hi = make([]int64, len(p.Requirements))
	for ri := range p.Requirements {
		r := &p.Requirements[ri]
		for _, t := range r.Terms {
			e.reqs[t.Node] = append(e.reqs[t.Node], int32(ri))
		}
		v := e.reqValue(r)
		e.lo[ri], e.hi[ri] = v, v
	}
	return e
}

func (e *engine) published(n int32) bool { return !e.p.Units[e.p.Nodes[n].Unit].Status.Withheld() }

func (e *engine) reqValue(r *Requirement) int64 {
	v := r.Const
	for _, t := range r.Terms {
		v += t.Coef * e.p.Nodes[t.Node].Value
	}
	return v
}

func (e *engine) allPublished(r *Requirement) bool {
	for _, t := range r.Terms {
		if !e.published(t.Node) {
			return false
		}
	}
	return true
}

// withhold withholds unit u and the units withheld with it.
func (e *engine) withhold(u int32, s Status) {
	stack := []int32{u}
	for len(stack) > 0 {
		u := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		un := &e.p.Units[u]
		if un.Status.Withheld() || un.Fixed {
			continue
		}
		un.Status = s
		stack = append(stack, un.With...)
	}
}

// active reports whether requirement ri constrains the release as it
// stands.
func (e *engine) active(ri int) bool {
	r := &e.p.Requirements[ri]
	if e.allPublished(r) {
		return false
	}
	switch r.Need {
	case NeedWide:
		// A withheld zero (a grid row shown so that its total does not
		// reveal which parts are empty) describes nobody.
		return e.reqValue(r) != 0
	case NeedSmall:
		v := e.reqValue(r)
		return v > 0 && v < e.k
	}
	return false
}

// satisfied reports whether the witnesses so far meet requirement ri.
func (e *engine) satisfied(ri int) bool {
	if !e.active(ri) {
		return true
	}
	r := &e.p.Requirements[ri]
	if e.hi[ri]-e.lo[ri] >= e.k {
		return true
	}
	return r.Need == NeedSmall && e.lo[ri] <= 0
}

func (e *engine) openRequirements() []int {
	var out []int
	for i := range e.p.Requirements {
		if !e.satisfied(i) {
			out = append(out, i)
		}
	}
	return out
}

// record stores a verified witness, widens the requirements it touches,
// and returns its index.
func (e *engine) record(w Witness) int {
	delta := make(map[int32]int64, len(w.Nodes))
	for i, n := range w.Nodes {
		delta[n] = w.Delta[i]
	}
	for _, n := range w.Nodes {
		for _, ri := range e.reqs[n] {
			r := &e.p.Requirements[ri]
			v := e.reqValue(r)
			for _, t := range r.Terms {
				v += t.Coef * delta[t.Node]
			}
			e.lo[ri] = min(e.lo[ri], v)
			e.hi[ri] = max(e.hi[ri], v)
		}
	}
	e.witnesses = append(e.witnesses, w)
	return len(e.witnesses) - 1
}

// certify finds witnesses for requirement ri, withholding what it must
// (see offer); when nothing near it will do, it withholds whole blocks
// around it, wider and wider (see Options.Escalate), offering again after
// each. That costs much, and always ends: with everything withheld, the
// attacker has nothing to pin a value with.
func (e *engine) certify(ri int) error {
	r := &e.p.Requirements[ri]
	e.trace = traceAll || ri == traceOne
	if e.offer(ri) {
		return nil
	}
	for step := 0; e.opt.Escalate != nil; step++ {
		if e.spent() {
			return ErrBudget
		}
		units := e.opt.Escalate(ri, step)
		if units == nil {
			break
		}
		if traceEscalation {
			name := ""
			if e.opt.Name != nil {
				name = e.opt.Name(r.Terms[0].Node)
			}
			fmt.Fprintf(os.Stderr, "escalate requirement %d (%s = %d, need %d) step %d: %d units\n", ri, name, e.reqValue(r), r.Need, step, len(units))
		}
		for _, u := range units {
			e.withhold(u, Secondary)
			e.bySource["escalate"]++
		}
		e.escalated++
		if e.offer(ri) {
			return nil
		}
	}
	return &FailError{Requirement: ri, Value: e.reqValue(r)}
}

// offer looks for witnesses of requirement ri and reports whether they
// now meet it. A witness that changes only withheld nodes costs nothing:
// the repair search and the caller's proposals are asked for one first,
// for every goal. Failing that, the proposals and the repair search over
// published nodes too offer witnesses that need more withheld, and the
// cheapest is taken. Small linear programs come last.
func (e *engine) offer(ri int) bool {
	r := &e.p.Requirements[ri]
	open := func(g goal) bool {
		return !((g.up && e.hi[ri] >= g.target) || (!g.up && e.lo[ri] <= g.target) || e.beyond(r, g))
	}
	type costly struct {
		w    Witness
		cost float64
		src  string
	}
	var offers []costly
	for _, g := range e.goals(ri) {
		if e.satisfied(ri) {
			return true
		}
		if !open(g) {
			continue
		}
		if w, ok := e.repairGoal(r, g, false); ok {
			e.record(w)
			continue
		}
		if e.opt.Propose == nil {
			continue
		}
		props := e.opt.Propose(ri, g.up, g.target, func(w Witness) bool { return e.verify(w, true) })
		if e.trace {
			fmt.Fprintf(os.Stderr, "requirement %d goal %+v: %d proposals\n", ri, g, len(props))
		}
		for _, w := range props {
			if e.verify(w, false) {
				e.record(w)
				break
			}
			if e.verify(w, true) {
				offers = append(offers, costly{w, e.cost(w), "proposal"})
			}
		}
	}
	if e.satisfied(ri) {
		return true
	}
	for _, g := range e.goals(ri) {
		if open(g) {
			if w, ok := e.repairGoal(r, g, true); ok {
				offers = append(offers, costly{w, e.cost(w), "repair"})
			}
		}
	}
	// The cheapest offer that still meets the requirement.
	slices.SortStableFunc(offers, func(a, b costly) int { return cmp.Compare(a.cost, b.cost) })
	for _, o := range offers {
		if e.satisfied(ri) {
			return true
		}
		if !e.verify(o.w, true) {
			continue
		}
		for i, n := range o.w.Nodes {
			if o.w.Delta[i] != 0 && e.published(n) {
				e.withhold(e.p.Nodes[n].Unit, Secondary)
				e.bySource[o.src]++
				if traceEscalation && e.opt.Name != nil {
					e.bySource[kindOf(e.opt.Name(r.Terms[0].Node))+" → "+kindOf(e.opt.Name(n))+" ("+o.src+")"]++
					if traceSecondary {
						var ts []string
						for _, t := range r.Terms {
							ts = append(ts, fmt.Sprintf("%+d·%s=%d", t.Coef, e.opt.Name(t.Node), e.p.Nodes[t.Node].Value))
						}
						fmt.Fprintf(os.Stderr, "SEC %s [%s] → %s (Δ%d, %d nodes)\n", o.src, strings.Join(ts, " "), e.opt.Name(n), o.w.Delta[i], len(o.w.Nodes))
					}
				}
			}
		}
		e.record(o.w)
	}
	if e.satisfied(ri) {
		return true
	}
	for _, radius := range []int{2, 4} {
		done, full, err := e.tryWitness(ri, radius)
		if err == nil && done {
			return true
		}
		if full || err != nil {
			break
		}
	}
	for _, radius := range []int{2, 4} {
		done, full, err := e.trySuppress(ri, radius)
		if err == nil && done {
			return true
		}
		if full || err != nil {
			break
		}
	}
	return e.satisfied(ri)
}

// kindOf keeps the dataset, level and measure of a node's name (for
// traces): "penyaluran SEMBAKO kabupaten 32.04 families" → "penyaluran
// kabupaten families".
func kindOf(name string) string {
	f := strings.Fields(name)
	var out []string
	for i, w := range f {
		if i == 1 || (len(w) > 0 && w[0] >= '0' && w[0] <= '9') || w == "#" || strings.HasPrefix(w, "#") {
			continue
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

// ConstraintError says the true values break a constraint: the problem
// is built wrong.
type ConstraintError struct {
	Constraint int
	Sum        int64
}

func (c *ConstraintError) Error() string {
	return fmt.Sprintf("%v: constraint %d does not hold for the true values (sum %d)", ErrInvalid, c.Constraint, c.Sum)
}

func (c *ConstraintError) Unwrap() error { return ErrInvalid }

// FailError says a requirement could not be met by any suppression the
// search found.
type FailError struct {
	Requirement int // -1: a Floor (Floor names which)
	Value       int64
	Floor       int
}

func (f *FailError) Error() string {
	if f.Requirement < 0 {
		return fmt.Sprintf("disclosure: the earlier witness of floor %d cannot be carried forward", f.Floor)
	}
	return fmt.Sprintf("disclosure: no suppression found to protect requirement %d (value %d)", f.Requirement, f.Value)
}

// tryWitness looks for witnesses of requirement ri among the withheld
// nodes within radius constraint hops. full reports that the search
// already covered everything reachable.
func (e *engine) tryWitness(ri, radius int) (done, full bool, err error) {
	r := &e.p.Requirements[ri]
	loc, full := e.neighbourhood(r, radius, false)
	if len(loc.vars) == 0 {
		return false, full, nil
	}
	for _, g := range e.goals(ri) {
		if e.satisfied(ri) {
			return true, full, nil
		}
		if (g.up && e.hi[ri] >= g.target) || (!g.up && e.lo[ri] <= g.target) {
			continue
		}
		w, ok := loc.solve(e, g.up, g.target, false)
		if ok {
			e.record(w)
		}
	}
	return e.satisfied(ri), full, nil
}

// repairGoal runs the repair search to move requirement r's value to the
// goal, starting from each term that may change (the current release's
// first).
func (e *engine) repairGoal(r *Requirement, g goal, candidates bool) (Witness, bool) {
	v := e.reqValue(r)
	need := g.target - v
	order := make([]Term, 0, len(r.Terms))
	for _, old := range []bool{false, true} {
		for _, t := range r.Terms {
			if e.p.Nodes[t.Node].Old == old {
				order = append(order, t)
			}
		}
	}
	for _, t := range order {
		if need%t.Coef != 0 {
			continue
		}
		var others []int32
		for _, o := range r.Terms {
			if o.Node != t.Node {
				others = append(others, o.Node)
			}
		}
		if w, ok := e.repair(t.Node, need/t.Coef, candidates, others...); ok {
			return w, true
		}
	}
	return Witness{}, false
}

// beyond reports that a single-node requirement's goal lies outside the
// node's bounds (a visible row cannot reach 0).
func (e *engine) beyond(r *Requirement, g goal) bool {
	if len(r.Terms) != 1 || r.Terms[0].Coef != 1 {
		return false
	}
	nd := &e.p.Nodes[r.Terms[0].Node]
	v := g.target - r.Const
	return (!g.up && v < nd.Lower) || (g.up && nd.Upper != NoUpper && v > nd.Upper)
}

// goal is a value a witness should take a requirement to: at least
// target (up) or at most target.
type goal struct {
	up     bool
	target int64
}

// goals lists, in order of preference, the values that would satisfy
// requirement ri: for NeedSmall 0 (no small group can be proven); then k
// above the lowest value seen, or k below the highest.
func (e *engine) goals(ri int) []goal {
	var gs []goal
	if e.p.Requirements[ri].Need == NeedSmall {
		gs = append(gs, goal{false, 0})
	}
	return append(gs, goal{true, e.lo[ri] + e.k}, goal{false, e.hi[ri] - e.k})
}

// trySuppress withholds the cheapest published units within radius whose
// change lets requirement ri be met, and records the witness.
func (e *engine) trySuppress(ri, radius int) (done, full bool, err error) {
	r := &e.p.Requirements[ri]
	loc, full := e.neighbourhood(r, radius, true)
	for _, g := range e.goals(ri) {
		if e.satisfied(ri) {
			return true, full, nil
		}
		w, ok := loc.solve(e, g.up, g.target, true)
		if !ok {
			continue
		}
		for i, n := range w.Nodes {
			if w.Delta[i] != 0 && e.published(n) {
				e.withhold(e.p.Nodes[n].Unit, Secondary)
				e.bySource["lp"]++
			}
		}
		e.record(w)
	}
	return e.satisfied(ri), full, nil
}

// local is a requirement's neighbourhood: the nodes that may change (vars)
// and the constraints that touch them.
type local struct {
	req   *Requirement
	vars  []int32         // nodes that may change
	index map[int32]int32 // node → variable
	cons  []int32
	cost  bool // published nodes among vars carry their cost
}

// neighbourhood collects the nodes within radius constraint hops of r's
// nodes that may change: withheld ones, and with candidates also
// published units that are not fixed. It stops at opt.MaxVars variables;
// full reports that it reached everything reachable.
func (e *engine) neighbourhood(r *Requirement, radius int, candidates bool) (*local, bool) {
	loc := &local{req: r, index: map[int32]int32{}, cost: candidates}
	may := func(n int32) bool {
		u := &e.p.Units[e.p.Nodes[n].Unit]
		return u.Status.Withheld() || (candidates && !u.Fixed)
	}
	add := func(n int32) {
		if _, ok := loc.index[n]; ok {
			return
		}
		loc.index[n] = int32(len(loc.vars))
		loc.vars = append(loc.vars, n)
	}
	var frontier []int32
	for _, t := range r.Terms {
		frontier = append(frontier, t.Node)
	}
	for _, n := range frontier {
		if may(n) {
			add(n)
		}
	}
	full := true
	seenCon := map[int32]bool{}
	for hop := 0; hop < radius && len(frontier) > 0; hop++ {
		var next []int32
		for _, n := range frontier {
			if _, isVar := loc.index[n]; !isVar {
				continue
			}
			for _, ci := range e.cons[n] {
				if seenCon[ci] {
					continue
				}
				seenCon[ci] = true
				for _, t := range e.p.Constraints[ci].Terms {
					if _, ok := loc.index[t.Node]; ok || !may(t.Node) {
						continue
					}
					if len(loc.vars) >= e.opt.MaxVars {
						full = false
						continue
					}
					add(t.Node)
					next = append(next, t.Node)
				}
			}
		}
		frontier = next
	}
	if len(frontier) > 0 {
		full = false
	}
	// Every constraint touching a variable.
	seen := map[int32]bool{}
	for _, n := range loc.vars {
		for _, ci := range e.cons[n] {
			if !seen[ci] {
				seen[ci] = true
				loc.cons = append(loc.cons, ci)
			}
		}
	}
	slices.Sort(loc.cons)
	return loc, full
}

// solve runs the local program: move the requirement's value to target
// (up: at least target; down: at most target), then, with candidates,
// minimise the cost of the published nodes changed. It returns a verified
// integer witness.
func (loc *local) solve(e *engine, up bool, target int64, withCost bool) (Witness, bool) {
	p := e.p
	n := len(loc.vars)
	r := loc.req
	// Variables: the nodes' changes, plus z = the requirement's change.
	nv := n + 1
	z := n
	lo, hi := loc.bounds(p, nv)
	v := e.reqValue(r)
	need := float64(target - v)
	if up {
		lo[z], hi[z] = 0, need
		if need <= 0 {
			return Witness{}, false
		}
	} else {
		lo[z], hi[z] = need, 0
		if need >= 0 {
			return Witness{}, false
		}
	}
	rows, b, eq := loc.rows(p)
	// z − Σ coef·δ = 0 over the terms that may change.
	zrow := []lpTerm{{int32(z), 1}}
	for _, t := range r.Terms {
		if j, ok := loc.index[t.Node]; ok {
			zrow = append(zrow, lpTerm{j, -float64(t.Coef)})
		}
	}
	if len(zrow) == 1 {
		return Witness{}, false
	}
	rows = append(rows, zrow)
	b = append(b, 0)
	eq = append(eq, true)

	l := e.newLP(nv, lo, hi, rows, b, eq)
	obj := make([]float64, nv)
	if up {
		obj[z] = 1
	} else {
		obj[z] = -1
	}
	hair, cost := loc.costs(e, nv, withCost)
	l.setObjective(obj, hair)
	if err := l.solve(); err != nil {
		return Witness{}, false
	}
	got := l.x(z)
	if (up && got < need-1e-6) || (!up && got > need+1e-6) {
		return Witness{}, false
	}
	l.setBounds(z, got, got) // the target holds while the cost is minimised
	return loc.settle(e, l, cost, withCost)
}

// costs are the objectives of a local program of nv variables: a hair of
// cost on every change, which keeps a witness small, and (when
// withholding is allowed) each published node's cost, which counts only
// once the goal is reached.
func (loc *local) costs(e *engine, nv int, withCost bool) (hair, cost []float64) {
	hair, cost = make([]float64, nv), make([]float64, nv)
	for i, node := range loc.vars {
		hair[i], cost[i] = 1e-7, 1e-7
		if withCost && e.published(node) {
			cost[i] = e.p.Nodes[node].Cost + 1e-7
		}
	}
	return hair, cost
}

// settle is the second stage of a local program whose goal is now held
// by its bounds: with withholding allowed, minimise the cost; then read
// the integer witness and verify it exactly.
func (loc *local) settle(e *engine, l *lp, cost []float64, withCost bool) (Witness, bool) {
	if withCost {
		l.setObjective(nil, cost)
		if err := l.solve(); err != nil {
			return Witness{}, false
		}
	}
	w, ok := loc.witness(l)
	if !ok || !e.verify(w, withCost) {
		return Witness{}, false
	}
	return w, true
}

// verify checks w exactly: bounds, every constraint touching a changed
// node, and (unless candidates may change) no published node changed.
func (e *engine) verify(w Witness, candidates bool) bool {
	p := e.p
	why := func(format string, args ...any) bool {
		if e.trace && candidates {
			fmt.Fprintf(os.Stderr, "    invalid: "+format+"\n", args...)
		}
		return false
	}
	name := func(n int32) string {
		if e.opt.Name != nil {
			return e.opt.Name(n)
		}
		return fmt.Sprint("node ", n)
	}
	delta := make(map[int32]int64, len(w.Nodes))
	for i, n := range w.Nodes {
		nd := &p.Nodes[n]
		u := &p.Units[nd.Unit]
		if !u.Status.Withheld() && (!candidates || u.Fixed) {
			return why("%s is published and fixed", name(n))
		}
		v := nd.Value + w.Delta[i]
		if v < nd.Lower || v > nd.Upper {
			return why("%s = %d%+d outside [%d, %d]", name(n), nd.Value, w.Delta[i], nd.Lower, nd.Upper)
		}
		delta[n] = w.Delta[i]
	}
	checked := map[int32]bool{}
	for _, n := range w.Nodes {
		for _, ci := range e.cons[n] {
			if checked[ci] {
				continue
			}
			checked[ci] = true
			c := &p.Constraints[ci]
			var sum int64
			for _, t := range c.Terms {
				sum += t.Coef * (p.Nodes[t.Node].Value + delta[t.Node])
			}
			if (c.Op == Eq && sum != c.RHS) || (c.Op == Le && sum > c.RHS) {
				if e.trace && candidates {
					fmt.Fprintf(os.Stderr, "    invalid: constraint %d (op %d, rhs %d) sums to %d:", ci, c.Op, c.RHS, sum)
					for _, t := range c.Terms {
						fmt.Fprintf(os.Stderr, " %+d×[%s %d%+d]", t.Coef, name(t.Node), p.Nodes[t.Node].Value, delta[t.Node])
					}
					fmt.Fprintln(os.Stderr)
				}
				return false
			}
		}
	}
	return true
}

// floor finds a witness in which every node of f is at least its minimum,
// withholding what it must.
func (e *engine) floor(f *Floor) (Witness, error) {
	// Nodes already at their minimum need nothing.
	var need []int32
	var min []int64
	for i, n := range f.Nodes {
		if e.p.Nodes[n].Value < f.Min[i] {
			need = append(need, n)
			min = append(min, f.Min[i])
		}
	}
	if len(need) == 0 {
		return Witness{}, nil
	}
	take := func(w Witness) (Witness, error) {
		for i, n := range w.Nodes {
			if w.Delta[i] != 0 && e.published(n) {
				e.withhold(e.p.Nodes[n].Unit, Secondary)
				e.bySource["floor"]++
			}
		}
		return w, nil
	}
	// Cheapest first: the earlier witness moved along as it is (valid
	// when what it moves is still withheld), small linear programs over
	// withheld nodes, then the same allowed to withhold more.
	shift := Witness{Nodes: f.ShiftNodes, Delta: f.Shift}
	if len(shift.Nodes) > 0 && e.verify(shift, false) {
		return shift, nil
	}
	for _, radius := range []int{2, 4} {
		if w, ok := e.solveFloor(need, min, radius, false); ok {
			return w, nil
		}
	}
	for _, w := range []Witness{shift, e.repairEach(need, min)} {
		if len(w.Nodes) > 0 && e.verify(w, true) {
			return take(w)
		}
	}
	for _, radius := range []int{2, 4, 8} {
		if w, ok := e.solveFloor(need, min, radius, true); ok {
			return take(w)
		}
	}
	if traceEscalation {
		e.trace = true
		e.verify(Witness{Nodes: f.ShiftNodes, Delta: f.Shift}, true)
		e.trace = false
		for i, n := range need {
			fmt.Fprintf(os.Stderr, "    floor: %s = %d, want %d\n", e.opt.Name(n), e.p.Nodes[n].Value, min[i])
		}
	}
	return Witness{}, fmt.Errorf("disclosure: an earlier witness of %d nodes cannot be carried forward", len(need))
}

// repairEach sums one repair per node raising it to its minimum, each
// from the true values; empty when one has none.
func (e *engine) repairEach(need []int32, min []int64) Witness {
	sum := map[int32]int64{}
	var order []int32
	for i, n := range need {
		d := min[i] - e.p.Nodes[n].Value - sum[n]
		if d <= 0 {
			continue
		}
		w, ok := e.repair(n, d, true)
		if !ok {
			return Witness{}
		}
		for j, m := range w.Nodes {
			if _, seen := sum[m]; !seen {
				order = append(order, m)
			}
			sum[m] += w.Delta[j]
		}
	}
	var w Witness
	for _, n := range order {
		if sum[n] != 0 {
			w.Nodes = append(w.Nodes, n)
			w.Delta = append(w.Delta, sum[n])
		}
	}
	return w
}

// bounds returns the LP bounds of the changes of loc's variables (the
// first len(loc.vars) of n; the rest are left 0 for the caller).
func (loc *local) bounds(p *Problem, n int) (lo, hi []float64) {
	lo, hi = make([]float64, n), make([]float64, n)
	for i, node := range loc.vars {
		nd := &p.Nodes[node]
		lo[i] = float64(nd.Lower - nd.Value)
		hi[i] = math.Inf(1)
		if nd.Upper != NoUpper {
			hi[i] = float64(nd.Upper - nd.Value)
		}
	}
	return lo, hi
}

// rows returns loc's constraints over the changes of its variables: each
// row's terms, its slack at the true values, and whether it is an
// equality. Constraints touching no variable are left out.
func (loc *local) rows(p *Problem) (rows [][]lpTerm, b []float64, eq []bool) {
	for _, ci := range loc.cons {
		c := &p.Constraints[ci]
		var row []lpTerm
		slack := c.RHS
		for _, t := range c.Terms {
			slack -= t.Coef * p.Nodes[t.Node].Value
			if j, ok := loc.index[t.Node]; ok {
				row = append(row, lpTerm{j, float64(t.Coef)})
			}
		}
		if len(row) > 0 {
			rows = append(rows, row)
			b = append(b, float64(slack))
			eq = append(eq, c.Op == Eq)
		}
	}
	return rows, b, eq
}

// witness reads an LP solution as an integer witness over loc's
// variables; false when the vertex is not integral.
func (loc *local) witness(l *lp) (Witness, bool) {
	var w Witness
	for i, node := range loc.vars {
		x := l.x(i)
		d := math.Round(x)
		if math.Abs(x-d) > 1e-6 {
			return Witness{}, false
		}
		if d != 0 {
			w.Nodes = append(w.Nodes, node)
			w.Delta = append(w.Delta, int64(d))
		}
	}
	return w, true
}

func (e *engine) solveFloor(need []int32, min []int64, radius int, candidates bool) (Witness, bool) {
	// The neighbourhood of all the nodes, as one requirement would have.
	loc := &local{index: map[int32]int32{}, cost: candidates}
	for _, n := range need {
		sub, _ := e.neighbourhood(&Requirement{Terms: []Term{{n, 1}}}, radius, candidates)
		for _, v := range sub.vars {
			if e.p.Nodes[v].Old {
				continue // the earlier witness fixed the previous release
			}
			if _, ok := loc.index[v]; !ok {
				loc.index[v] = int32(len(loc.vars))
				loc.vars = append(loc.vars, v)
			}
		}
	}
	for _, n := range need {
		if _, ok := loc.index[n]; !ok {
			return Witness{}, false // a needed node cannot change
		}
	}
	seen := map[int32]bool{}
	for _, n := range loc.vars {
		for _, ci := range e.cons[n] {
			if !seen[ci] {
				seen[ci] = true
				loc.cons = append(loc.cons, ci)
			}
		}
	}
	p := e.p
	nv := len(loc.vars)
	lo, hi := loc.bounds(p, nv)
	rows, b, eq := loc.rows(p)
	l := e.newLP(nv, lo, hi, rows, b, eq)
	// Raise the needed nodes one bound at a time: maximise their sum with
	// each capped at its minimum, then require it.
	obj := make([]float64, nv)
	hair, cost := loc.costs(e, nv, candidates)
	for i, n := range need {
		j := loc.index[n]
		obj[j] = 1
		hi[j] = float64(min[i] - p.Nodes[n].Value)
		l.setBounds(int(j), lo[j], hi[j])
	}
	l.setObjective(obj, hair)
	if err := l.solve(); err != nil {
		return Witness{}, false
	}
	for i, n := range need {
		j := int(loc.index[n])
		want := float64(min[i] - p.Nodes[n].Value)
		if l.x(j) < want-1e-6 {
			return Witness{}, false
		}
		l.setBounds(j, want, want)
	}
	return loc.settle(e, l, cost, candidates)
}
