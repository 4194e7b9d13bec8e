package pages

import (
	"context"
	"math"
	"sort"
	"strconv"

	echarts "github.com/go-echarts/go-echarts/v2/charts"

	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/portal/charts"
)

// The dashboard's province tile map chart.

// provinceMap is the choropleth of families reached per 1,000 residents
// by province in the latest quarter for one programme (SEMBAKO, the
// widest), from penyaluran; withheld provinces are grey, never zero.
// It also returns the ranking chart of the five highest and five lowest
// provinces per capita.
func (s *Handler) provinceMap(ctx context.Context, l i18n.Localizer, rel release.Release, sel mapSelection) (*charts.View, *charts.View, error) {
	if len(rel.Periods) == 0 {
		return nil, nil, nil
	}
	pop, err := population()
	if err != nil {
		return nil, nil, err
	}
	q := sel.Quarter
	if q == "" {
		q = rel.Periods[len(rel.Periods)-1]
	}
	program := sel.Program
	if sel.Component != "" {
		program += " " + sel.Component
	}
	values, err := s.mapValues(ctx, rel, q, sel, pop)
	if err != nil {
		return nil, nil, err
	}
	if values == nil {
		return nil, nil, nil
	}
	id := "peta-provinsi"
	titleKey, unitKey, perKey, col := "map.title", "map.unit", "map.per1000", "penerima"
	// The series of the CSV: the count beside each province and the
	// mapped value, with their units.
	countSeries, countUnit := "penerima", charts.UnitFamilies
	valueSeries, valueUnit := "penerima_per_1000_penduduk", charts.UnitFamiliesPer1000
	switch sel.Measure {
	case "nominal":
		titleKey, unitKey, perKey, col = "map.title.nominal", "map.unit.nominal", "map.per_person", "nominal_salur"
		countSeries, countUnit = "nominal_salur", charts.UnitRupiah
		valueSeries, valueUnit = "nominal_salur_per_penduduk", charts.UnitRupiahPerPerson
	case "cakupan":
		titleKey, unitKey, perKey, col = "map.title.cakupan", "map.unit.cakupan", "map.cakupan", "cakupan"
		countSeries, countUnit = "penerima_desil_1_4", charts.UnitFamilies
		valueSeries, valueUnit = "cakupan_desil_1_4", charts.UnitPercent
	}
	title := l.T(titleKey, program, q)
	source := l.T("chart.source", rel.Number, l.Date(rel.PublishedAt)) + " " + l.T("map.population")
	which := charts.Slug(sel.Program, sel.Component)
	if sel.Measure == "cakupan" {
		title, source = l.T(titleKey, q), l.T("chart.source", rel.Number, l.Date(rel.PublishedAt))
		which = "semua-program"
	}
	cv := &charts.View{L: l, ID: id, Title: title, Unit: l.T(unitKey), Source: source,
		Head:    []string{l.T("map.province"), l.T("map.measure." + col), l.T(perKey)},
		Numeric: []bool{false, true, true}, GeoURL: tileMapURL(), Wide: true,
		Name:     charts.Slug("peta", valueSeries, which, q),
		Subtitle: subtitle(l.T(unitKey), "Indonesia", q),
	}
	stamp(cv, rel)
	var data []charts.MapItem
	type ranked struct {
		code, name string
		v          float64
	}
	var pub []ranked
	maxV, minV := 0.0, -1.0
	withheld := false
	for _, p := range region.Default().Provinces() {
		pv, ok := values[p.Code]
		row := []string{p.Name}
		count := charts.Datum{Code: p.Code, Label: p.Name, Series: countSeries, Unit: countUnit}
		value := charts.Datum{Code: p.Code, Label: p.Name, Series: valueSeries, Unit: valueUnit}
		switch {
		case !ok: // no cell: nobody received it there, a true zero
			data = append(data, charts.MapItem{Name: provinceAbbr[p.Code], Value: 0})
			row = append(row, "0", "0")
			count.Value, value.Value = "0", "0"
		case !pv.known:
			withheld = true
			data = append(data, charts.WithheldArea(provinceAbbr[p.Code]))
			row = append(row, "—", "—")
			count.Withheld, value.Withheld = true, true
		default:
			v := pv.v
			pub = append(pub, ranked{p.Code, p.Name, v})
			maxV = max(maxV, v)
			if minV < 0 || v < minV {
				minV = v
			}
			data = append(data, charts.MapItem{Name: provinceAbbr[p.Code], Value: math.Round(v*10000) / 10000})
			row = append(row, l.Int(pv.count), i18n.FormatDecimal(l.Lang, v, pv.decimals))
			count.Value, value.Value = strconv.FormatInt(pv.count, 10), charts.Dec(v, pv.decimals)
		}
		cv.Rows = append(cv.Rows, row)
		cv.RowLinks = append(cv.RowLinks, "/wilayah/"+p.Code)
		cv.Data = append(cv.Data, count, value)
	}
	// The legend: its title and unit, five labelled classes, and the
	// swatch for withheld provinces. (A province without a cell is a true
	// zero, in the lowest class: nobody there received the programme.)
	graphic := []any{charts.LegendTitle(l.T(unitKey))}
	if withheld {
		cv.Note = l.T("chart.withheld")
		graphic = append(graphic, charts.WithheldLegend(l.T("chart.withheld_label"))...)
	}
	extra := map[string]any{"graphic": graphic}
	m := echarts.NewMap()
	m.RegisterMapType("indonesia-ubin")
	m.SetGlobalOptions(
		echarts.WithInitializationOpts(charts.Init(id, "420px")),
		echarts.WithVisualMapOpts(opts.VisualMap{Type: "piecewise", Pieces: charts.Classes(max(minV, 0), maxV),
			Orient: "horizontal", Left: "center", Bottom: "14"}),
	)
	m.AddSeries(l.T(perKey), nil)
	m.MultiSeries[0].Data = data
	if err := cv.SetOptionWith(m, extra); err != nil {
		return nil, nil, err
	}
	// The five highest and five lowest published provinces, per capita.
	sort.Slice(pub, func(i, j int) bool { return pub[i].v > pub[j].v })
	pick := pub
	if len(pub) > 10 {
		pick = append(append([]ranked{}, pub[:5]...), pub[len(pub)-5:]...)
	}
	rk := &charts.View{L: l, ID: "provinsi-per-kapita", Title: l.T("map.rank.title", cv.Title), Unit: l.T(unitKey),
		Source: cv.Source, Head: []string{l.T("map.province"), l.T(perKey)}, Numeric: []bool{false, true},
		Note: l.T("map.rank.note"), CSV: cv.CSV,
		Name: charts.Slug("peringkat-provinsi", valueSeries, which, q), Subtitle: cv.Subtitle}
	stamp(rk, rel)
	bar := echarts.NewBar()
	bar.SetGlobalOptions(echarts.WithInitializationOpts(charts.Init(rk.ID, "360px")),
		echarts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		echarts.WithGridOpts(opts.Grid{Left: "2%", Right: "6%", Top: "4%", Bottom: "8%", ContainLabel: opts.Bool(true)}),
		echarts.WithXAxisOpts(opts.XAxis{Type: "value"}),
		echarts.WithYAxisOpts(opts.YAxis{Type: "category"}))
	// Horizontal bars, highest at the top: ECharts draws a category axis
	// from the bottom, so the names go in ascending order.
	var names []string
	var vals []opts.BarData
	for i := len(pick) - 1; i >= 0; i-- {
		names = append(names, pick[i].name)
		vals = append(vals, opts.BarData{Value: math.Round(pick[i].v*10000) / 10000})
	}
	for _, r := range pick {
		rk.Rows = append(rk.Rows, []string{r.name, i18n.FormatDecimal(l.Lang, r.v, 2)})
		rk.RowLinks = append(rk.RowLinks, "/wilayah/"+r.code)
		rk.Data = append(rk.Data, charts.Datum{Code: r.code, Label: r.name, Series: valueSeries, Unit: valueUnit, Value: charts.Dec(r.v, 2)})
	}
	bar.SetXAxis(names)
	bar.AddSeries(l.T(perKey), vals)
	bar.XYReversal()
	if err := rk.SetOption(bar); err != nil {
		return nil, nil, err
	}
	return cv, rk, nil
}
