package web

import (
	"strings"

	"github.com/portal-data-bansos/portal/internal/published"
)

// View models that several surfaces show.

// RealView is one row of realisasi as a page shows it.
type RealView struct {
	Program, Label, Periode, Kode, Name, URL string
	Withheld                                 bool
	HasTarget                                bool
	Kuota, Salur                             int64
	// SalurWithheld: the row is published but its families paid are
	// not (families not yet paid would be 1 to k−1; docs/disclosure.md).
	SalurWithheld bool
	PctKPM        float64
	HasPctKPM     bool
	HasPagu       bool
	Pagu, Nominal int64
	PctPagu       float64
	HasPctPagu    bool
}

// BarKPM and BarPagu are the progress bars' values, capped at 100.
func (r RealView) BarKPM() float64  { return min(r.PctKPM, 100) }
func (r RealView) BarPagu() float64 { return min(r.PctPagu, 100) }

// RealViewOf is a row of realisasi as a page shows it.
func RealViewOf(x published.Realisation) RealView {
	r := RealView{Program: x.Program, Periode: x.Period, Kode: x.Code, Name: x.Name, Withheld: x.Withheld}
	r.HasTarget, r.Kuota, r.Salur = x.Target != nil, orZero(x.Target), orZero(x.Reached)
	r.SalurWithheld = !r.Withheld && x.Reached == nil
	r.HasPctKPM, r.PctKPM = x.PctTarget != nil, orZero(x.PctTarget)
	r.HasPagu, r.Pagu, r.Nominal = x.Budget != nil, orZero(x.Budget), orZero(x.Rupiah)
	r.HasPctPagu, r.PctPagu = x.PctBudget != nil, orZero(x.PctBudget)
	return r
}

// RealViews is RealViewOf of each row.
func RealViews(xs []published.Realisation) []RealView {
	var out []RealView
	for _, x := range xs {
		out = append(out, RealViewOf(x))
	}
	return out
}

// orZero is *p, or 0 for nil (a figure not given).
func orZero[T int64 | float64](p *T) T {
	if p == nil {
		return 0
	}
	return *p
}

// Neutralise keeps a text cell from being read as a spreadsheet formula:
// a value starting with =, +, -, @, a tab or a carriage return gets a
// leading apostrophe (OWASP's advice for CSV injection).
func Neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
