package disclosure

import (
	"container/heap"
	"fmt"
	"os"
	"slices"
)

// The repair search builds a witness the way a person would: change the
// requirement's node by the amount wanted, then repair every constraint
// the change breaks by changing another node of that constraint, and so
// on until nothing is broken. A region's families go up by ten: its parent
// relation is off by ten, so a sibling gives ten; its own transactions
// must now be at least its families, so they go up, and the sibling's go
// down; the region's districts must add up again, so one of them takes the
// ten... The choice of node is what makes it work: a node in a row the
// move already changes comes first (the sibling chosen for the families
// is the one whose transactions move too), then a node of the same kind
// as the nodes already moving in that constraint's rows, then one with
// room to move, then a withheld node before a published one. A node is
// never moved back against its change, so the search cannot oscillate.
//
// The first real choice decides the shape of the move (which sibling
// gives, which measure absorbs), so the search is run again with each of
// the first choice's best alternatives, keeping the cheapest witness. It
// needs no matrix: its time grows with the size of the move, not of the
// release.

// Limits of one search.
const (
	repairSteps    = 3000 // constraint repairs per attempt
	repairAttempts = 4    // alternatives of the first choice
	// repairStepWork is one repair step in the units of Options.Budget:
	// about what a step costs next to a pivot's tableau cells.
	repairStepWork = 2000
)

var traceAll = os.Getenv("DISCLOSURE_TRACE") == "all"

type repairer struct {
	e          *engine
	candidates bool // published units (not fixed) may change, at a cost
	steps      int
	locked     int32   // the node the search started from
	fixed      []int32 // the requirement's other nodes: they stay, so its value is the one wanted
	queue      conQueue
	// forced is the first choice to take (-1: the best), and branch
	// records the alternatives seen at the first choice.
	forced    int
	branched  bool
	branchOps []option
}

// repairState is the engine's scratch for repair searches: dense arrays
// indexed by node, row and constraint, reset through the lists of what a
// search touched, so a search costs what it touches.
type repairState struct {
	delta   []int64 // change of each node
	touched []int32 // nodes with a change
	rows    []int32 // changed nodes per row
	queued  []bool  // per constraint
	inQueue []int32 // constraints marked queued
}

func (e *engine) scratch() *repairState {
	if e.rs == nil {
		maxRow := int32(0)
		for i := range e.p.Nodes {
			maxRow = max(maxRow, e.p.Nodes[i].Row)
		}
		e.rs = &repairState{
			delta:  make([]int64, len(e.p.Nodes)),
			rows:   make([]int32, maxRow+1),
			queued: make([]bool, len(e.p.Constraints)),
		}
	}
	return e.rs
}

func (rs *repairState) reset(e *engine) {
	for _, n := range rs.touched {
		rs.delta[n] = 0
		if row := e.p.Nodes[n].Row; row != 0 {
			rs.rows[row] = 0
		}
	}
	rs.touched = rs.touched[:0]
	for _, ci := range rs.inQueue {
		rs.queued[ci] = false
	}
	rs.inQueue = rs.inQueue[:0]
}

// repair looks for a witness changing node n by d (d ≠ 0). With
// candidates, published units that are not fixed may change too; of the
// witnesses found it returns the one whose changed published nodes cost
// least.
func (e *engine) repair(n int32, d int64, candidates bool, fixed ...int32) (Witness, bool) {
	if !e.mayChange(n, candidates) {
		return Witness{}, false
	}
	nd := &e.p.Nodes[n]
	if v := nd.Value + d; v < nd.Lower || v > nd.Upper {
		return Witness{}, false
	}
	var best Witness
	bestCost, found := 0.0, false
	attempts := 1
	rs := e.scratch()
	for a := 0; a < attempts && a < repairAttempts; a++ {
		r := &repairer{e: e, candidates: candidates, locked: n, fixed: fixed, forced: a - 1}
		if a == 0 {
			r.forced = -1
		}
		r.set(n, d)
		ok := r.solve()
		if a == 0 && r.branched {
			attempts = 1 + min(len(r.branchOps)-1, repairAttempts-1)
		}
		var w Witness
		if ok {
			w = r.witness()
		}
		rs.reset(e)
		if !ok || !e.verify(w, candidates) {
			continue
		}
		c := e.cost(w)
		if !found || c < bestCost {
			best, bestCost, found = w, c, true
		}
		if c == 0 {
			break // nothing published changes: as good as it gets
		}
	}
	return best, found
}

// cost is the information lost by withholding the published units whose
// nodes w changes: each unit once, at its dearest node, however far the
// witness moves it (a number withheld is withheld, by 1 or by 100).
func (e *engine) cost(w Witness) float64 {
	var c float64
	seen := map[int32]float64{}
	for i, n := range w.Nodes {
		if w.Delta[i] == 0 || !e.published(n) {
			continue
		}
		u := e.p.Nodes[n].Unit
		if old, ok := seen[u]; !ok || e.p.Nodes[n].Cost > old {
			c += e.p.Nodes[n].Cost - old
			seen[u] = e.p.Nodes[n].Cost
		}
	}
	return c
}

func (r *repairer) witness() Witness {
	rs := r.e.rs
	keys := make([]int32, 0, len(rs.touched))
	for _, k := range rs.touched {
		if rs.delta[k] != 0 {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	w := Witness{Nodes: keys, Delta: make([]int64, len(keys))}
	for i, k := range keys {
		w.Delta[i] = rs.delta[k]
	}
	return w
}

func (e *engine) mayChange(n int32, candidates bool) bool {
	u := &e.p.Units[e.p.Nodes[n].Unit]
	return u.Status.Withheld() || (candidates && !u.Fixed)
}

// set changes node n by d and queues its constraints.
func (r *repairer) set(n int32, d int64) {
	rs := r.e.rs
	old := rs.delta[n]
	if old == 0 {
		rs.touched = append(rs.touched, n)
	}
	rs.delta[n] = old + d
	if row := r.e.p.Nodes[n].Row; row != 0 {
		if old == 0 && old+d != 0 {
			rs.rows[row]++
		} else if old != 0 && old+d == 0 {
			rs.rows[row]--
		}
	}
	for _, ci := range r.e.cons[n] {
		if !rs.queued[ci] {
			rs.queued[ci] = true
			rs.inQueue = append(rs.inQueue, ci)
			heap.Push(&r.queue, conItem{ci, int32(len(r.e.p.Constraints[ci].Terms))})
		}
	}
}

// conQueue orders the constraints to repair: the smallest first, so a
// row's own constraints (a handful of terms) are repaired before the
// relations between rows (dozens): when a province's failed transactions
// go down by one, its transactions go down by one before the nation's
// sum of provinces is looked at, which then already adds up.
type conItem struct{ ci, size int32 }
type conQueue []conItem

func (q conQueue) Len() int { return len(q) }
func (q conQueue) Less(i, j int) bool {
	if q[i].size != q[j].size {
		return q[i].size < q[j].size
	}
	return q[i].ci < q[j].ci
}
func (q conQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *conQueue) Push(x any)   { *q = append(*q, x.(conItem)) }
func (q *conQueue) Pop() any {
	old := *q
	it := old[len(old)-1]
	*q = old[:len(old)-1]
	return it
}

// residual is how far constraint c is from holding with the current
// changes: for Eq the signed excess, for Le the excess when positive.
func (r *repairer) residual(c *Constraint) int64 {
	var sum int64
	delta := r.e.rs.delta
	for _, t := range c.Terms {
		sum += t.Coef * (r.e.p.Nodes[t.Node].Value + delta[t.Node])
	}
	sum -= c.RHS
	if c.Op == Le && sum <= 0 {
		return 0
	}
	return sum
}

// option is one way to repair a constraint: change node by d.
type option struct {
	node  int32
	d     int64
	score float64
}

// options lists the ways to repair constraint ci, best first.
func (r *repairer) options(ci int32) []option {
	e := r.e
	c := &e.p.Constraints[ci]
	res := r.residual(c)
	// The kinds (units' measure, told apart by the node's cost per unit)
	// already moving in this constraint: a move that took a sibling's
	// families takes that sibling's families in the next relation too.
	var out []option
	for _, t := range c.Terms {
		if t.Node == r.locked || slices.Contains(r.fixed, t.Node) || !e.mayChange(t.Node, r.candidates) {
			continue
		}
		var d int64
		switch {
		case c.Op == Eq && res%t.Coef != 0:
			continue
		case c.Op == Eq:
			d = -res / t.Coef
		case t.Coef > 0: // Le: any change at least this big repairs it
			d = floorDiv(-res, t.Coef)
		default:
			d = ceilDiv(-res, t.Coef)
		}
		if d == 0 {
			continue
		}
		if cd := r.e.rs.delta[t.Node]; (cd > 0 && d < 0) || (cd < 0 && d > 0) {
			continue // never undo a change: it oscillates
		}
		nd := &e.p.Nodes[t.Node]
		cur := nd.Value + r.e.rs.delta[t.Node]
		v := cur + d
		partial := false
		if v < nd.Lower {
			// Take what the node can give; another gives the rest.
			if d = nd.Lower - cur; d >= 0 {
				continue
			}
			v, partial = nd.Lower, true
		}
		if nd.Upper != NoUpper && v > nd.Upper {
			if d = nd.Upper - cur; d <= 0 {
				continue
			}
			v, partial = nd.Upper, true
		}
		// The node's other inequalities bound how far it can move before
		// one of them breaks (a region's families paid can rise only to
		// its families): stay within them.
		cascade := false
		if room := r.room(t.Node, ci, d > 0); room < abs(d) {
			if room > 0 {
				// Also offer the move that stays within them.
				pd := room
				if d < 0 {
					pd = -room
				}
				out = append(out, option{t.Node, pd, r.score(t.Node, cur+pd, pd, true)})
			}
			cascade = true
		}
		score := r.score(t.Node, v, d, partial)
		if cascade {
			score -= 300 // it breaks another inequality, to be repaired in turn
		}
		out = append(out, option{t.Node, d, score})
	}
	slices.SortStableFunc(out, func(a, b option) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return int(a.node - b.node)
	})
	return out
}

// score rates changing node n by d to value v: a row already in the move
// first, a node already moving, room left, withheld before published,
// fewer constraints.
func (r *repairer) score(n int32, v, d int64, partial bool) float64 {
	e := r.e
	nd := &e.p.Nodes[n]
	score := 0.0
	if nd.Row != 0 && r.e.rs.rows[nd.Row] > 0 {
		score += 1000
	}
	if r.e.rs.delta[n] != 0 {
		score += 200 // already moving: keep changes on few nodes
	}
	room := v - nd.Lower
	score += 50 * float64(min(room, 100)) / 100
	if !e.p.Units[nd.Unit].Status.Withheld() {
		score -= 500 + nd.Cost*float64(abs(d))
	}
	score -= float64(len(e.cons[n]))
	if partial {
		score -= 100
	}
	return score
}

// room is how far node n can move up (or down) before one of its
// inequalities other than skip breaks, the other nodes staying as they are.
func (r *repairer) room(n int32, skip int32, up bool) int64 {
	best := int64(1) << 62
	for _, ci := range r.e.cons[n] {
		c := &r.e.p.Constraints[ci]
		if ci == skip || c.Op != Le {
			continue
		}
		var coef, sum int64
		for _, t := range c.Terms {
			sum += t.Coef * (r.e.p.Nodes[t.Node].Value + r.e.rs.delta[t.Node])
			if t.Node == n {
				coef = t.Coef
			}
		}
		slack := c.RHS - sum
		if slack < 0 {
			slack = 0
		}
		if (up && coef > 0) || (!up && coef < 0) {
			best = min(best, slack/abs(coef))
		}
	}
	return best
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// solve repairs queued constraints until none is broken.
func (r *repairer) solve() bool {
	for r.queue.Len() > 0 {
		ci := heap.Pop(&r.queue).(conItem).ci
		r.e.rs.queued[ci] = false
		c := &r.e.p.Constraints[ci]
		for r.residual(c) != 0 {
			r.steps++
			r.e.work += repairStepWork
			if r.steps > repairSteps {
				return false
			}
			opts := r.options(ci)
			if r.e.trace {
				fmt.Fprintf(os.Stderr, "step %d c%d res %d; options", r.steps, ci, r.residual(c))
				for _, o := range opts {
					fmt.Fprintf(os.Stderr, " n%d%+d(%.0f)", o.node, o.d, o.score)
				}
				fmt.Fprintln(os.Stderr)
			}
			if len(opts) == 0 {
				if r.e.trace {
					for _, t := range c.Terms {
						nd := &r.e.p.Nodes[t.Node]
						name := ""
						if r.e.opt.Name != nil {
							name = r.e.opt.Name(t.Node)
						}
						fmt.Fprintf(os.Stderr, "   %+d × n%d %s = %d%+d (lower %d, withheld %v)\n", t.Coef, t.Node, name, nd.Value, r.e.rs.delta[t.Node], nd.Lower, !r.e.published(t.Node))
					}
				}
				return false
			}
			pick := 0
			if len(opts) > 1 && !r.branched {
				r.branched = true
				r.branchOps = opts
				if r.forced >= 0 {
					if r.forced >= len(opts) {
						return false
					}
					pick = r.forced
				}
			}
			r.set(opts[pick].node, opts[pick].d)
		}
	}
	return true
}
