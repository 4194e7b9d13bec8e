package published

import "database/sql"

// Sum is the penyaluran measures of one cell, or the sum of several cells
// (the programmes of a region, the quarters of a year). A cell that is
// absent from the release is a true zero, Sum{}: nothing was distributed
// there. A withheld cell contributes nothing to the sum but is counted, so
// that a page never shows a sum that lacks withheld parts as if it were
// complete, nor a withheld cell as 0 (docs/disclosure.md).
type Sum struct {
	// M is the sum of each measure (Penerima…NominalRetur); V reads it.
	M              [7]int64
	Rows, Withheld int
	// Null counts, per measure (Penerima…NominalRetur), the rows not
	// withheld whose measure is empty: withheld alone, or not published
	// at the level (docs/disclosure.md). Such a sum is partial like a
	// withheld row's.
	Null [7]int
}

// The measures of a Sum, in the column order of penyaluran: what V and Of
// take.
const (
	Penerima = iota
	Transaksi
	Nominal
	TransaksiGagal
	NominalGagal
	TransaksiRetur
	NominalRetur
)

// penCols are the columns of penyaluran behind the measures of a Sum.
var penCols = [7]string{"penerima", "transaksi", "nominal_salur", "transaksi_gagal", "nominal_gagal", "transaksi_retur", "nominal_retur"}

// withheldSum is one withheld row.
var withheldSum = Sum{Rows: 1, Withheld: 1}

// cellSum is one penyaluran row's Sum from its seven measures.
func cellSum(m [7]sql.NullInt64, withheld bool) Sum {
	if withheld {
		return withheldSum
	}
	a := Sum{Rows: 1}
	for i := range m {
		a.M[i] = m[i].Int64
		if !m[i].Valid {
			a.Null[i] = 1
		}
	}
	return a
}

// V is measure i's sum.
func (a Sum) V(i int) int64 { return a.M[i] }

// Of is a seen for the given measures alone: rows with one of them empty
// count as withheld (at least as many as for the emptiest measure).
func (a Sum) Of(measures ...int) Sum {
	n := 0
	for _, i := range measures {
		n = max(n, a.Null[i])
	}
	a.Withheld = min(a.Rows, a.Withheld+n)
	return a
}

// Add adds b to a.
func (a *Sum) Add(b Sum) {
	for i := range a.M {
		a.M[i] += b.M[i]
		a.Null[i] += b.Null[i]
	}
	a.Rows += b.Rows
	a.Withheld += b.Withheld
}

// None says no cell is in the sum: a true zero.
func (a Sum) None() bool { return a.Rows == 0 }

// AllWithheld says every cell of the sum is withheld: nothing is known.
func (a Sum) AllWithheld() bool { return a.Rows > 0 && a.Withheld == a.Rows }

// Partial says some cells of the sum, not all, are withheld: the sum is a
// lower bound ("≥ n").
func (a Sum) Partial() bool { return a.Withheld > 0 && a.Withheld < a.Rows }
