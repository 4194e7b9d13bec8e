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
	switch sel.Measure {
	case "nominal":
		titleKey, unitKey, perKey, col = "map.title.nominal", "map.unit.nominal", "map.per_person", "nominal_salur"
	case "cakupan":
		titleKey, unitKey, perKey, col = "map.title.cakupan", "map.unit.cakupan", "map.cakupan", "cakupan"
	}
	title := l.T(titleKey, program, q)
	source := l.T("chart.source", rel.Number, l.Date(rel.PublishedAt)) + " " + l.T("map.population")
	if sel.Measure == "cakupan" {
		title, source = l.T(titleKey, q), l.T("chart.source", rel.Number, l.Date(rel.PublishedAt))
	}
	cv := &charts.View{L: l, ID: id, Title: title, Unit: l.T(unitKey), Source: source,
		Head:    []string{l.T("map.province"), l.T("map.measure." + col), l.T(perKey)},
		Numeric: []bool{false, true, true}, GeoURL: tileMapURL(), Wide: true,
	}
	var data []opts.MapData
	type ranked struct {
		name string
		v    float64
	}
	var pub []ranked
	maxV, minV := 0.0, -1.0
	withheld := false
	for _, p := range region.Default().Provinces() {
		pv, ok := values[p.Code]
		row, raw := []string{p.Name}, []string{p.Name}
		switch {
		case !ok:
			data = append(data, opts.MapData{Name: provinceAbbr[p.Code], Value: 0})
			row, raw = append(row, "0", "0"), append(raw, "0", "0")
		case !pv.known:
			withheld = true
			data = append(data, opts.MapData{Name: provinceAbbr[p.Code], Value: "-"})
			row, raw = append(row, "—", "—"), append(raw, "", "")
		default:
			v := pv.v
			pub = append(pub, ranked{p.Name, v})
			maxV = max(maxV, v)
			if minV < 0 || v < minV {
				minV = v
			}
			data = append(data, opts.MapData{Name: provinceAbbr[p.Code], Value: math.Round(v*10000) / 10000})
			row = append(row, l.Int(pv.count), i18n.FormatDecimal(l.Lang, v, pv.decimals))
			raw = append(raw, strconv.FormatInt(pv.count, 10), strconv.FormatFloat(v, 'f', pv.decimals, 64))
		}
		cv.Rows = append(cv.Rows, row)
		cv.Raw = append(cv.Raw, raw)
	}
	if withheld {
		cv.Note = l.T("chart.withheld")
	}
	m := echarts.NewMap()
	m.RegisterMapType("indonesia-ubin")
	m.SetGlobalOptions(
		echarts.WithInitializationOpts(charts.Init(id, "420px")),
		echarts.WithVisualMapOpts(opts.VisualMap{Calculable: opts.Bool(true), Min: float32(max(minV, 0)), Max: float32(maxV),
			Orient: "horizontal", Left: "center", Bottom: "0",
			InRange: &opts.VisualMapInRange{Color: []string{"#e7eef5", "#6b9bc9", "#0b4f8a"}}}),
	)
	m.AddSeries(l.T(perKey), data)
	if err := cv.SetOption(m); err != nil {
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
		Note: l.T("map.rank.note"), CSV: cv.CSV}
	bar := echarts.NewBar()
	bar.SetGlobalOptions(echarts.WithInitializationOpts(charts.Init(rk.ID, "360px")),
		echarts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		echarts.WithGridOpts(opts.Grid{Left: "30%", Right: "6%", Top: "4%", Bottom: "8%"}),
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
		rk.Raw = append(rk.Raw, []string{r.name, strconv.FormatFloat(r.v, 'f', 2, 64)})
	}
	bar.SetXAxis(names)
	bar.AddSeries(l.T(perKey), vals)
	bar.XYReversal()
	if err := rk.SetOption(bar); err != nil {
		return nil, nil, err
	}
	return cv, rk, nil
}
