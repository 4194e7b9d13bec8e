package pages

import (
	"context"
	"strconv"

	echarts "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/portal/charts"
)

// The dashboard's charts beyond the headline figures.

// extraCharts are the programme mix by area and the rejections over time.
func (s *Handler) extraCharts(ctx context.Context, l i18n.Localizer, rel release.Release, h *headline) ([]charts.View, error) {
	source := l.T("chart.source", rel.Number, l.Date(rel.PublishedAt))
	var out []charts.View
	// Programme mix: rupiah per area (inner ring) and programme (outer).
	mix := charts.View{L: l, ID: "bauran-program", Title: l.T("chart.mix.title", h.Quarter), Unit: l.T("chart.unit.rupiah"), Source: source,
		Head: []string{l.T("chart.area"), l.T("chart.program"), l.T("home.nominal")}, Numeric: []bool{false, false, true},
		CSV: "/dataset/penyaluran.csv?tingkat=nasional&komponen=-&periode=" + h.Quarter + "&release=" + strconv.Itoa(rel.Number)}
	areas := map[string]int64{}
	var outer []opts.PieData
	for _, r := range h.Programs {
		a := areaOf[r.Program]
		label := l.T("area." + a)
		if !r.Rp.Known {
			mix.Rows = append(mix.Rows, []string{label, r.Program, "—"})
			mix.Raw = append(mix.Raw, []string{label, r.Program, ""})
			mix.Note = l.T("chart.withheld")
			continue
		}
		areas[a] += r.Rp.Value
		outer = append(outer, opts.PieData{Name: r.Program, Value: r.Rp.Value})
		mix.Rows = append(mix.Rows, []string{label, r.Program, l.Rupiah(r.Rp.Value)})
		mix.Raw = append(mix.Raw, []string{label, r.Program, strconv.FormatInt(r.Rp.Value, 10)})
	}
	var inner []opts.PieData
	for _, a := range []string{"perlindungan", "rehabilitasi", "pemberdayaan"} {
		if areas[a] > 0 {
			inner = append(inner, opts.PieData{Name: l.T("area." + a), Value: areas[a]})
		}
	}
	pie := echarts.NewPie()
	pie.SetGlobalOptions(echarts.WithInitializationOpts(charts.Init(mix.ID, "340px")),
		echarts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
		echarts.WithTooltipOpts(opts.Tooltip{Trigger: "item"}))
	pie.AddSeries(l.T("chart.area"), inner, echarts.WithPieChartOpts(opts.PieChart{Radius: []string{"0", "35%"}}),
		echarts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "inner", Formatter: "{b}"}))
	pie.AddSeries(l.T("chart.program"), outer, echarts.WithPieChartOpts(opts.PieChart{Radius: []string{"48%", "68%"}}))
	if err := mix.SetOption(pie); err != nil {
		return nil, err
	}
	out = append(out, mix)

	// Rejections by reason over time.
	rejections, err := s.Data.NationalRejectionTotals(ctx, rel.Number)
	if err != nil {
		return nil, err
	}
	by := map[string]map[string]int64{}
	withheld := false
	for _, x := range rejections {
		if by[x.Period] == nil {
			by[x.Period] = map[string]int64{}
		}
		by[x.Period][x.Reason] = x.Count
		withheld = withheld || x.Partial
	}
	rej := charts.View{L: l, ID: "penolakan-per-triwulan", Title: l.T("chart.rejected.title", rel.Periods[0]+"–"+rel.Periods[len(rel.Periods)-1]),
		Unit: l.T("chart.unit.transactions"), Source: source,
		Head:    []string{l.T("chart.quarter"), "ASN", "DECEASED", "DOUBLE"},
		Numeric: []bool{false, true, true, true},
		CSV:     "/dataset/ketepatan-sasaran.csv?tingkat=nasional&release=" + strconv.Itoa(rel.Number)}
	if withheld {
		rej.Note = l.T("chart.withheld_partial")
	}
	bar := echarts.NewBar()
	bar.SetGlobalOptions(echarts.WithInitializationOpts(charts.Init(rej.ID, "340px")),
		echarts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
		echarts.WithGridOpts(opts.Grid{Left: "8%", Right: "4%", Top: "8%", Bottom: "18%"}))
	bar.SetXAxis(rel.Periods)
	for _, reason := range []string{"ASN", "DECEASED", "DOUBLE"} {
		items := make([]opts.BarData, len(rel.Periods))
		for i, per := range rel.Periods {
			items[i] = opts.BarData{Value: by[per][reason]}
		}
		bar.AddSeries(l.T("reason."+reason), items, echarts.WithBarChartOpts(opts.BarChart{Stack: "total"}))
	}
	for _, per := range rel.Periods {
		row, raw := []string{per}, []string{per}
		for _, reason := range []string{"ASN", "DECEASED", "DOUBLE"} {
			row = append(row, l.Int(by[per][reason]))
			raw = append(raw, strconv.FormatInt(by[per][reason], 10))
		}
		rej.Rows, rej.Raw = append(rej.Rows, row), append(rej.Raw, raw)
	}
	if err := rej.SetOption(bar); err != nil {
		return nil, err
	}
	out = append(out, rej)
	return out, nil
}
