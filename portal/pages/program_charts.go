package pages

import (
	"net/url"
	"strconv"

	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/published"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/portal/charts"
)

// The charts of a programme page, built from its cells.

// programCharts builds the charts of a programme page: its national
// rupiah disbursed and recipient families per quarter of the release, and
// its families per province in the selected quarter, largest first.
// perPeriod is the programme's national totals by quarter
// (published.Reader.ProgramByQuarter), prov its cells by province in the
// quarter (provinceCells).
func programCharts(l i18n.Localizer, rel release.Release, code, periode string, perPeriod map[string]published.Sum, prov published.Cells) ([]charts.View, error) {
	if len(rel.Periods) == 0 {
		return nil, nil
	}
	source := l.T("chart.source", rel.Number, l.Date(rel.PublishedAt))
	short := l.T("program.short." + code)
	span := rel.Periods[0] + "–" + rel.Periods[len(rel.Periods)-1]
	relQ := strconv.Itoa(rel.Number)
	natCSV := "/dataset/penyaluran.csv?" + url.Values{"program": {code}, "tingkat": {"nasional"}, "komponen": {dataset.EmptyValue}, "release": {relQ}}.Encode()
	first, last := rel.Periods[0], rel.Periods[len(rel.Periods)-1]
	var nom, pen []charts.Point
	for _, per := range rel.Periods {
		a := perPeriod[per]
		nom = append(nom, charts.PointAt(per, per, a, mNom))
		pen = append(pen, charts.PointAt(per, per, a, mPen))
	}
	var out []charts.View
	for _, c := range []struct {
		id, title, unit, col, series, unitCode string
		format                                 func(int64) string
		pts                                    []charts.Point
	}{
		{"program-nominal", "program.chart.nominal.title", "chart.unit.rupiah", "wilayah.col.nominal", "nominal_salur", charts.UnitRupiah, l.Rupiah, nom},
		{"program-penerima", "program.chart.penerima.title", "chart.unit.families", "wilayah.col.recipients", "penerima", charts.UnitFamilies, l.Int, pen},
	} {
		cv, err := charts.Bar(l, charts.BarSpec{ID: c.id, Title: l.T(c.title, short, span), Unit: l.T(c.unit), Source: source,
			CSV: natCSV, Format: c.format, Height: "300px", Color: charts.ProgramColor(code),
			Head:   [2]string{l.T("wilayah.filter.period"), l.T(c.col)},
			Series: c.series, UnitCode: c.unitCode,
			Name:     charts.Slug(c.series, code, "nasional", spanSlug(first, last)),
			Subtitle: subtitle(l.T(c.unit), "Indonesia", span)}, c.pts)
		if err != nil {
			return nil, err
		}
		stamp(&cv, rel)
		out = append(out, cv)
	}

	var pts []charts.Point
	for _, pr := range region.Default().Provinces() {
		a := prov.At(code, "", pr.Code)
		pts = append(pts, charts.PointAt(pr.Code, pr.Name, a, mPen))
	}
	charts.SortPoints(pts)
	cv, err := charts.Bar(l, charts.BarSpec{ID: "program-provinsi", Title: l.T("program.chart.provinces.title", short, periode),
		Unit: l.T("chart.unit.families"), Source: source, Format: l.Int, Rotate: true, Height: "420px", Color: charts.ProgramColor(code),
		CSV: "/dataset/penyaluran.csv?" + url.Values{"program": {code}, "periode": {periode}, "tingkat": {"provinsi"},
			"komponen": {dataset.EmptyValue}, "release": {relQ}}.Encode(),
		Head:   [2]string{l.T("wilayah.col.name"), l.T("wilayah.col.recipients")},
		Series: "penerima", UnitCode: charts.UnitFamilies,
		Name:     charts.Slug("penerima", code, "per-provinsi", periode),
		Subtitle: subtitle(l.T("chart.unit.families"), "Indonesia", periode)}, pts)
	if err != nil {
		return nil, err
	}
	stamp(&cv, rel)
	linkRegions(&cv)
	return append(out, cv), nil
}
