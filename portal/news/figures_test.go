package news

import (
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/portal/web"
)

// A figure whose families paid are withheld says so in a feed, and never
// reads as zero paid.
func TestFigureTextWithheld(t *testing.T) {
	cat, err := i18n.Messages()
	if err != nil {
		t.Fatal(err)
	}
	l := cat.For(i18n.ID)
	const kuota = 1200
	withheld := l.T("real.kpm_withheld", l.Int(kuota))
	zero := l.T("real.kpm_line", l.Int(0), l.Int(kuota))
	f := realFigure{RealView: web.RealView{Program: "PKH", Periode: "2025-Q3", Name: "Indonesia", HasTarget: true, Kuota: kuota, SalurWithheld: true}, Release: 2}
	if got := figureText(l, f); !strings.Contains(got, withheld) || strings.Contains(got, zero) || !strings.Contains(got, "PKH tahap 2025-Q3, Indonesia") {
		t.Errorf("figure text %q", got)
	}
	f.SalurWithheld, f.Salur, f.HasPctKPM, f.PctKPM = false, 900, true, 75
	if got := figureText(l, f); !strings.Contains(got, l.T("real.kpm_line", l.Int(900), l.Int(kuota))) {
		t.Errorf("figure text %q", got)
	}
}
