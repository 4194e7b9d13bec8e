package disclosure

import (
	"errors"
	"math"
)

// lp is a small dense linear program solved with the bounded-variable
// primal simplex method:
//
//	maximise c·x  subject to  A x (= or ≤) b,  lo ≤ x ≤ hi,
//
// where x = 0 is feasible (b = 0 on equality rows, b ≥ 0 on ≤ rows and
// lo ≤ 0 ≤ hi). That is always so here: the variables are changes δ to a
// release's true values, which satisfy every constraint. Each variable is
// split into an increase p ∈ [0, hi] and a decrease q ∈ [0, −lo], so the
// starting point is a vertex (every p and q at 0, the slacks basic) and no
// first phase is needed.
//
// Problems are local — the withheld cells near one requirement — so a
// dense tableau of a few hundred rows is fast and simple. Bounds may be
// changed between solves as long as the current point stays feasible,
// which lets a second objective start where the first one stopped.
type lp struct {
	m, n  int       // rows, structural variables
	cols  int       // tableau columns: 2n split variables + m slacks
	t     []float64 // m × cols tableau, B⁻¹A
	rhs   []float64 // values of the basic variables
	lo    []float64 // bounds of every column
	hi    []float64
	val   []float64 // values of the nonbasic columns (at a bound)
	basic []int     // column basic in each row
	where []int     // row of a basic column, -1 when nonbasic
	obj   []float64 // objective per column
	iters int
	// work, when set, counts the tableau cells the pivots touch (see
	// Options.Budget); past limit the solve stops with errLPBudget.
	work  *int64
	limit int64
}

var (
	errLPUnbounded = errors.New("lp: unbounded")
	errLPStalled   = errors.New("lp: iteration limit")
	errLPBudget    = errors.New("lp: work budget spent")
)

const lpEps = 1e-9

// newLP builds the program for n variables with bounds [lo, hi] and rows
// given as sparse terms. eq[i] says row i is an equality (else ≤ b[i]).
func newLP(n int, lo, hi []float64, rows [][]lpTerm, b []float64, eq []bool) *lp {
	m := len(rows)
	l := &lp{m: m, n: n, cols: 2*n + m}
	l.t = make([]float64, m*l.cols)
	l.rhs = make([]float64, m)
	l.lo = make([]float64, l.cols)
	l.hi = make([]float64, l.cols)
	l.val = make([]float64, l.cols)
	l.obj = make([]float64, l.cols)
	l.basic = make([]int, m)
	l.where = make([]int, l.cols)
	for j := 0; j < n; j++ {
		l.hi[j] = math.Max(hi[j], 0)    // p_j ∈ [0, hi]
		l.hi[n+j] = math.Max(-lo[j], 0) // q_j ∈ [0, −lo]
	}
	for i, row := range rows {
		for _, tm := range row {
			l.t[i*l.cols+int(tm.v)] += tm.c
			l.t[i*l.cols+n+int(tm.v)] -= tm.c
		}
		s := 2*n + i
		l.t[i*l.cols+s] = 1
		if !eq[i] {
			l.hi[s] = math.Inf(1)
		}
		l.rhs[i] = b[i]
		l.basic[i] = s
	}
	for j := range l.where {
		l.where[j] = -1
	}
	for i, s := range l.basic {
		l.where[s] = i
	}
	return l
}

// lpTerm is one coefficient of a row.
type lpTerm struct {
	v int32
	c float64
}

// setObjective sets the objective to maximise: c over the structural
// variables (the split parts get c and −c) and cost, when not nil, a
// penalty per unit of change of each variable (subtracted from both parts).
func (l *lp) setObjective(c, cost []float64) {
	clear(l.obj)
	for j := 0; j < l.n; j++ {
		var cj, pj float64
		if c != nil {
			cj = c[j]
		}
		if cost != nil {
			pj = cost[j]
		}
		l.obj[j] = cj - pj
		l.obj[l.n+j] = -cj - pj
	}
}

// x returns the structural variable j's value.
func (l *lp) x(j int) float64 { return l.colValue(j) - l.colValue(l.n+j) }

func (l *lp) colValue(c int) float64 {
	if r := l.where[c]; r >= 0 {
		return l.rhs[r]
	}
	return l.val[c]
}

// setBounds changes variable j's bounds to [lo, hi]; its current value
// must lie inside them.
func (l *lp) setBounds(j int, lo, hi float64) {
	// Split parts: p ∈ [max(lo,0), max(hi,0)], q ∈ [max(−hi,0), max(−lo,0)].
	l.lo[j], l.hi[j] = math.Max(lo, 0), math.Max(hi, 0)
	l.lo[l.n+j], l.hi[l.n+j] = math.Max(-hi, 0), math.Max(-lo, 0)
}

// solve maximises the objective from the current feasible point.
func (l *lp) solve() error {
	cols := l.cols
	// Reduced costs d_j = obj_j − Σ obj_B(i) T_ij, kept in a row updated
	// with every pivot.
	d := make([]float64, cols)
	copy(d, l.obj)
	for i, bcol := range l.basic {
		if cb := l.obj[bcol]; cb != 0 {
			row := l.t[i*cols : (i+1)*cols]
			for j, v := range row {
				d[j] -= cb * v
			}
		}
	}
	degenerate := 0
	for {
		l.iters++
		if l.iters > 50000 {
			return errLPStalled
		}
		if l.work != nil {
			*l.work += int64(l.m+1) * int64(cols)
			if l.limit > 0 && *l.work > l.limit {
				return errLPBudget
			}
		}
		bland := degenerate > 30
		enter, dir := -1, 0.0
		best := 0.0
		for j := 0; j < cols; j++ {
			if l.where[j] >= 0 || l.hi[j]-l.lo[j] <= lpEps {
				continue
			}
			dj := d[j]
			var s float64
			switch {
			case dj > lpEps && l.val[j] < l.hi[j]-lpEps:
				s = 1
			case dj < -lpEps && l.val[j] > l.lo[j]+lpEps:
				s = -1
			default:
				continue
			}
			if bland {
				enter, dir = j, s
				break
			}
			if a := math.Abs(dj); a > best {
				best, enter, dir = a, j, s
			}
		}
		if enter < 0 {
			return nil
		}
		// Ratio test: the entering column moves by θ in direction dir; the
		// basic variable of row i changes by −dir·θ·T_i,enter.
		theta := l.hi[enter] - l.val[enter]
		if dir < 0 {
			theta = l.val[enter] - l.lo[enter]
		}
		leave := -1
		leaveToUpper := false
		for i := 0; i < l.m; i++ {
			a := l.t[i*cols+enter]
			if math.Abs(a) <= lpEps {
				continue
			}
			bcol := l.basic[i]
			change := -dir * a // per unit θ
			var lim float64
			var toUpper bool
			if change < 0 {
				lim = (l.rhs[i] - l.lo[bcol]) / -change
			} else {
				if math.IsInf(l.hi[bcol], 1) {
					continue
				}
				lim, toUpper = (l.hi[bcol]-l.rhs[i])/change, true
			}
			if lim < 0 {
				lim = 0
			}
			if lim < theta-lpEps || (bland && lim < theta+lpEps && leave >= 0 && bcol < l.basic[leave]) {
				theta, leave, leaveToUpper = lim, i, toUpper
			}
		}
		if math.IsInf(theta, 1) {
			return errLPUnbounded
		}
		if theta <= lpEps {
			degenerate++
		} else {
			degenerate = 0
		}
		// Move: update basic values.
		for i := 0; i < l.m; i++ {
			if a := l.t[i*cols+enter]; a != 0 {
				l.rhs[i] -= dir * theta * a
			}
		}
		if leave < 0 {
			// Bound flip: the entering column goes to its other bound.
			if dir > 0 {
				l.val[enter] = l.hi[enter]
			} else {
				l.val[enter] = l.lo[enter]
			}
			continue
		}
		// Pivot: the entering column becomes basic in row leave; the
		// leaving column becomes nonbasic at the bound it reached.
		enterValue := l.val[enter] + dir*theta
		out := l.basic[leave]
		if leaveToUpper {
			l.val[out] = l.hi[out]
		} else {
			l.val[out] = l.lo[out]
		}
		prow := l.t[leave*cols : (leave+1)*cols]
		inv := 1 / prow[enter]
		for j := range prow {
			prow[j] *= inv
		}
		prow[enter] = 1
		for i := 0; i < l.m; i++ {
			if i == leave {
				continue
			}
			row := l.t[i*cols : (i+1)*cols]
			f := row[enter]
			if f == 0 {
				continue
			}
			for j, v := range prow {
				if v != 0 {
					row[j] -= f * v
				}
			}
			row[enter] = 0
		}
		if f := d[enter]; f != 0 {
			for j, v := range prow {
				if v != 0 {
					d[j] -= f * v
				}
			}
			d[enter] = 0
		}
		l.rhs[leave] = enterValue
		l.basic[leave] = enter
		l.where[enter] = leave
		l.where[out] = -1
	}
}
