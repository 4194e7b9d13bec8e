package disclosure

import (
	"errors"
	"math/big"
	"slices"
)

// The exact path: the same elimination as the integer fast path (fewest
// occurrences first, shortest row), with math/big rationals so that any
// non-zero pivot will do and no entry can overflow. It is slower by two
// orders of magnitude, and runs only for the rare component the fast path
// gives up on (see audit.go).

// ratEntry is one non-zero of a sparse rational row. Rows never share a
// *big.Rat that is later changed: updates build new values.
type ratEntry struct {
	col int32
	v   *big.Rat
}

func newRatRow(row []entry) []ratEntry {
	out := make([]ratEntry, len(row))
	for i, en := range row {
		out[i] = ratEntry{en.col, big.NewRat(int64(en.val), 1)}
	}
	return out
}

var bigPrime = new(big.Int).SetUint64(prime)

// exactDetermined eliminates rows (each sorted by column) over the
// rationals and returns the determined columns, decided like the fast path
// by two random null-space vectors modulo p.
func exactDetermined(ncols int, rows [][]ratEntry, random func() uint64) ([]int32, error) {
	nrows := len(rows)
	var q buckets
	q.reset(ncols, nrows)
	colRows := make([][]int32, ncols) // append-only, stale rows skipped
	active := make([]bool, nrows)
	seen := make([]int32, nrows)
	for r, row := range rows {
		active[r] = len(row) > 0
		for _, en := range row {
			q.count[en.col]++
			colRows[en.col] = append(colRows[en.col], int32(r))
		}
	}
	q.start()
	pivot := make([]int32, ncols)
	for i := range pivot {
		pivot[i] = -1
	}
	var order []int32
	type rcand struct {
		row int32
		v   *big.Rat
	}
	var cands []rcand
	tmp := new(big.Rat)
	for step := int32(1); ; step++ {
		x := q.pop()
		if x < 0 {
			break
		}
		cands = cands[:0]
		best := -1
		for _, r := range colRows[x] {
			if !active[r] || seen[r] == step {
				continue
			}
			seen[r] = step
			i, ok := slices.BinarySearchFunc(rows[r], x, func(en ratEntry, c int32) int { return int(en.col - c) })
			if !ok {
				continue
			}
			cands = append(cands, rcand{r, rows[r][i].v})
			if best < 0 || len(rows[r]) < len(rows[cands[best].row]) {
				best = len(cands) - 1
			}
		}
		colRows[x] = nil
		if best < 0 {
			return nil, errors.New("exact elimination lost a column") // cannot happen: count[x] > 0
		}
		pr := cands[best].row
		active[pr] = false
		pivot[x] = pr
		order = append(order, x)
		prow := rows[pr]
		for _, en := range prow {
			q.add(en.col, -1)
		}
		if pv := cands[best].v; pv.Cmp(ratOne) != 0 {
			inv := new(big.Rat).Inv(pv)
			for i := range prow {
				prow[i].v = new(big.Rat).Mul(prow[i].v, inv)
			}
		}
		for i, c := range cands {
			if i == best {
				continue
			}
			j := c.row
			rj := rows[j]
			out := make([]ratEntry, 0, len(rj)+len(prow))
			a, b := 0, 0
			for a < len(rj) || b < len(prow) {
				switch {
				case b == len(prow) || (a < len(rj) && rj[a].col < prow[b].col):
					out = append(out, rj[a])
					a++
				case a == len(rj) || prow[b].col < rj[a].col:
					v := new(big.Rat).Mul(c.v, prow[b].v)
					out = append(out, ratEntry{prow[b].col, v.Neg(v)})
					q.add(prow[b].col, 1)
					colRows[prow[b].col] = append(colRows[prow[b].col], j)
					b++
				default:
					tmp.Mul(c.v, prow[b].v)
					v := new(big.Rat).Sub(rj[a].v, tmp)
					if v.Sign() == 0 {
						q.add(rj[a].col, -1)
					} else {
						out = append(out, ratEntry{rj[a].col, v})
					}
					a++
					b++
				}
			}
			rows[j] = out
			if len(out) == 0 {
				active[j] = false
			}
		}
	}

	v1, v2 := make([]uint64, ncols), make([]uint64, ncols)
	for c := range ncols {
		if pivot[c] < 0 {
			v1[c], v2[c] = random(), random()
		}
	}
	for i := len(order) - 1; i >= 0; i-- {
		x := order[i]
		var s1, s2 uint64
		for _, en := range rows[pivot[x]] {
			if en.col == x {
				continue
			}
			f, err := ratMod(en.v)
			if err != nil {
				return nil, err
			}
			s1 = addMod(s1, mulMod(f, v1[en.col]))
			s2 = addMod(s2, mulMod(f, v2[en.col]))
		}
		v1[x], v2[x] = negMod(s1), negMod(s2)
	}
	var det []int32
	for _, x := range order {
		if v1[x] == 0 && v2[x] == 0 {
			det = append(det, x)
		}
	}
	return det, nil
}

var ratOne = big.NewRat(1, 1)

// ratMod maps a rational to its residue modulo p. A denominator divisible
// by p would need a minor of the relation matrix of at least 2^61; it is
// reported rather than guessed.
func ratMod(v *big.Rat) (uint64, error) {
	var n, d big.Int
	n.Mod(v.Num(), bigPrime)
	d.Mod(v.Denom(), bigPrime)
	if d.Sign() == 0 {
		return 0, errors.New("a denominator is divisible by 2^61-1")
	}
	return mulMod(n.Uint64(), invMod(d.Uint64())), nil
}

// invMod returns a^(p-2) = a^-1 modulo p, for a ≠ 0.
func invMod(a uint64) uint64 {
	r := uint64(1)
	for e := uint64(prime - 2); e > 0; e >>= 1 {
		if e&1 == 1 {
			r = mulMod(r, a)
		}
		a = mulMod(a, a)
	}
	return r
}
