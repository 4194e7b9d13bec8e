package disclosure

import "math"

// Interval is what an attacker can tell about a node: Lo ≤ value ≤ Hi
// (Hi is NoUpper when unbounded).
type Interval struct{ Lo, Hi int64 }

// Attack returns, for every node, the interval an attacker reaches by
// bound propagation: published nodes are known exactly, withheld ones
// start at their bounds, and every constraint narrows its terms with
// integer rounding until nothing changes. It is the first thing a solver
// does, cheap on a whole release, and an outer bound of what the attacker
// can know: a real solver may narrow further, never less.
func Attack(p *Problem) []Interval {
	n := len(p.Nodes)
	iv := make([]Interval, n)
	for i, nd := range p.Nodes {
		if p.Units[nd.Unit].Status.Withheld() {
			iv[i] = Interval{nd.Lower, nd.Upper}
		} else {
			iv[i] = Interval{nd.Value, nd.Value}
		}
	}
	cons := make([][]int32, n)
	for ci, c := range p.Constraints {
		for _, t := range c.Terms {
			cons[t.Node] = append(cons[t.Node], int32(ci))
		}
	}
	queued := make([]bool, len(p.Constraints))
	queue := make([]int32, 0, len(p.Constraints))
	for ci := range p.Constraints {
		queue = append(queue, int32(ci))
		queued[ci] = true
	}
	// Bounds creep by small steps around cycles of constraints; a budget
	// of passes keeps the attack finite without losing what matters (an
	// interval narrowed that slowly is wide anyway).
	budget := 64 * len(p.Constraints)
	for len(queue) > 0 && budget > 0 {
		budget--
		ci := queue[0]
		queue = queue[1:]
		queued[ci] = false
		c := &p.Constraints[ci]
		for _, changed := range narrow(c, iv) {
			for _, cj := range cons[changed] {
				if !queued[cj] {
					queued[cj] = true
					queue = append(queue, cj)
				}
			}
		}
	}
	return iv
}

// inf stands for an unbounded sum.
const inf = math.MaxInt64 / 4

func sat(v int64) int64 { return max(-inf, min(inf, v)) }

// narrow applies one constraint to the intervals and returns the nodes
// whose interval changed.
func narrow(c *Constraint, iv []Interval) []int32 {
	// Σ over terms of the smallest and largest contribution, with the
	// number of unbounded contributions kept apart.
	var smin, smax int64
	var nmin, nmax int // unbounded below / above
	contrib := func(t Term) (lo, hi int64, loInf, hiInf bool) {
		x := iv[t.Node]
		xhi, hiUnb := x.Hi, x.Hi == NoUpper
		if t.Coef > 0 {
			lo = sat(t.Coef * x.Lo)
			if hiUnb {
				hiInf = true
			} else {
				hi = sat(t.Coef * xhi)
			}
		} else {
			hi = sat(t.Coef * x.Lo)
			if hiUnb {
				loInf = true
			} else {
				lo = sat(t.Coef * xhi)
			}
		}
		return
	}
	for _, t := range c.Terms {
		lo, hi, loInf, hiInf := contrib(t)
		if loInf {
			nmin++
		} else {
			smin = sat(smin + lo)
		}
		if hiInf {
			nmax++
		} else {
			smax = sat(smax + hi)
		}
	}
	var changed []int32
	for _, t := range c.Terms {
		lo, hi, loInf, hiInf := contrib(t)
		// The others' minimum and maximum.
		omin, omax := smin, smax
		ominInf, omaxInf := nmin > 0, nmax > 0
		if loInf {
			ominInf = nmin > 1
		} else {
			omin = sat(omin - lo)
		}
		if hiInf {
			omaxInf = nmax > 1
		} else {
			omax = sat(omax - hi)
		}
		// coef·x ≤ RHS − omin; for Eq also coef·x ≥ RHS − omax.
		x := iv[t.Node]
		nlo, nhi := x.Lo, x.Hi
		if !ominInf {
			ub := sat(c.RHS - omin)
			if t.Coef > 0 {
				nhi = minHi(nhi, floorDiv(ub, t.Coef))
			} else {
				nlo = max(nlo, ceilDiv(ub, t.Coef))
			}
		}
		if c.Op == Eq && !omaxInf {
			lb := sat(c.RHS - omax)
			if t.Coef > 0 {
				nlo = max(nlo, ceilDiv(lb, t.Coef))
			} else {
				nhi = minHi(nhi, floorDiv(lb, t.Coef))
			}
		}
		if nlo != x.Lo || nhi != x.Hi {
			if nhi != NoUpper && nlo > nhi {
				// Contradiction: only possible with inconsistent data;
				// leave the interval as it was.
				continue
			}
			iv[t.Node] = Interval{nlo, nhi}
			changed = append(changed, t.Node)
		}
	}
	return changed
}

func minHi(a, b int64) int64 {
	if a == NoUpper {
		return b
	}
	return min(a, b)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func ceilDiv(a, b int64) int64 { return -floorDiv(-a, b) }

// Violations lists the requirements that bound propagation alone already
// breaks: a withheld count narrowed below k, or a small count proven
// nonzero and narrower than k. Propagation is an outer bound, so each is a
// real disclosure; an empty list is necessary, not sufficient (Protect's
// witnesses are the proof).
func Violations(p *Problem, k int) []int {
	iv := Attack(p)
	var out []int
	kk := int64(k)
	for ri := range p.Requirements {
		r := &p.Requirements[ri]
		lo, hi := r.Const, r.Const
		hiInf := false
		pub := true
		var val int64 = r.Const
		for _, t := range r.Terms {
			x := iv[t.Node]
			val += t.Coef * p.Nodes[t.Node].Value
			if p.Units[p.Nodes[t.Node].Unit].Status.Withheld() {
				pub = false
			}
			if t.Coef > 0 {
				lo += t.Coef * x.Lo
				if x.Hi == NoUpper {
					hiInf = true
				} else {
					hi += t.Coef * x.Hi
				}
			} else {
				hi += t.Coef * x.Lo
				if x.Hi == NoUpper {
					lo = -inf
				} else {
					lo += t.Coef * x.Hi
				}
			}
		}
		small := val > 0 && val < kk
		switch {
		case pub:
			if r.Need == NeedSmall && small {
				out = append(out, ri)
			}
		case hiInf:
		case r.Need == NeedWide:
			if hi-lo < kk {
				out = append(out, ri)
			}
		case small:
			if lo > 0 && hi-lo < kk {
				out = append(out, ri)
			}
		}
	}
	return out
}
