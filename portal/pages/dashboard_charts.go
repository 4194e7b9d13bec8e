package pages

import (
	"context"
	"strconv"
	"strings"

	echarts "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/portal/charts"
)

// The dashboard's charts by quarter, and what every chart builder of the
// pages shares.

// stamp gives a chart its release: it names its downloads and marks
// demo data.
func stamp(cv *charts.View, rel release.Release) {
	cv.Release, cv.Synthetic = rel.Number, rel.Synthetic
}

// subtitle joins a chart's units, place and period in words.
func subtitle(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " · ")
}

// spanSlug is a span of quarters in a download name: "2025-q1-2025-q4",
// or the one quarter.
func spanSlug(first, last string) string {
	if first == last {
		return charts.Slug(first)
	}
	return charts.Slug(first, last)
}

// quarterCharts builds the two headline charts: rupiah disbursed and
// families reached, by quarter and programme.
func (s *Handler) quarterCharts(ctx context.Context, l i18n.Localizer, rel release.Release) ([]charts.View, error) {
	data, err := s.nationalSeries(ctx, rel.Number)
	if err != nil || len(rel.Periods) == 0 {
		return nil, err
	}
	first, last := rel.Periods[0], rel.Periods[len(rel.Periods)-1]
	span := first + "–" + last
	source := l.T("chart.source", rel.Number, l.Date(rel.PublishedAt))
	mk := func(id, titleKey, unitKey, series, unitCode string, measure int, stacked bool) (charts.View, error) {
		bar := echarts.NewBar()
		bar.SetGlobalOptions(
			echarts.WithInitializationOpts(charts.Init(id, "340px")),
			echarts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
			echarts.WithGridOpts(opts.Grid{Left: "2%", Right: "4%", Top: "8%", Bottom: "18%", ContainLabel: opts.Bool(true)}),
		)
		bar.SetXAxis(rel.Periods)
		cv := charts.View{L: l, ID: id, Title: l.T(titleKey, span), Unit: l.T(unitKey), Source: source,
			Head:     append([]string{l.T("chart.quarter")}, bansos.ProgramCodes...),
			Name:     charts.Slug(series, "per-program", "nasional", spanSlug(first, last)),
			Subtitle: subtitle(l.T(unitKey), "Indonesia", span),
		}
		stamp(&cv, rel)
		cv.Numeric = make([]bool, len(cv.Head))
		for i := 1; i < len(cv.Numeric); i++ {
			cv.Numeric[i] = true
		}
		withheld := false
		for _, prog := range bansos.ProgramCodes {
			items := make([]charts.Item, len(rel.Periods))
			for i, per := range rel.Periods {
				v, ok := data[per][prog]
				switch {
				case !ok:
					items[i] = charts.ValueOf(0)
				case v[measure] == nil:
					items[i] = charts.Gap()
					withheld = true
				default:
					items[i] = charts.ValueOf(*v[measure])
				}
			}
			stack := ""
			if stacked {
				stack = "total"
			}
			charts.AddBars(bar, prog, items, echarts.WithBarChartOpts(opts.BarChart{Stack: stack}),
				echarts.WithItemStyleOpts(opts.ItemStyle{Color: charts.ProgramColor(prog)}))
		}
		for _, per := range rel.Periods {
			row := []string{per}
			for _, prog := range bansos.ProgramCodes {
				v, ok := data[per][prog]
				d := charts.Datum{Code: per, Label: per, Series: prog, Unit: unitCode}
				switch {
				case !ok:
					row = append(row, "0")
					d.Value = "0"
				case v[measure] == nil:
					row = append(row, "—")
					d.Withheld = true
				default:
					row = append(row, l.Int(*v[measure]))
					d.Value = strconv.FormatInt(*v[measure], 10)
				}
				cv.Data = append(cv.Data, d)
			}
			cv.Rows = append(cv.Rows, row)
		}
		if withheld {
			cv.Note = l.T("chart.withheld")
		}
		err := cv.SetOption(bar)
		return cv, err
	}
	rp, err := mk("nominal-per-triwulan", "chart.nominal.title", "chart.unit.rupiah", "nominal_salur", charts.UnitRupiah, 1, true)
	if err != nil {
		return nil, err
	}
	fam, err := mk("penerima-per-triwulan", "chart.penerima.title", "chart.unit.families", "penerima", charts.UnitFamilies, 0, false)
	if err != nil {
		return nil, err
	}
	return []charts.View{rp, fam}, nil
}
