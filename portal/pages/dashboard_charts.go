package pages

import (
	"context"
	"strconv"

	echarts "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/portal/charts"
)

// The dashboard's charts by quarter.

// quarterCharts builds the two headline charts: rupiah disbursed and
// families reached, by quarter and programme.
func (s *Handler) quarterCharts(ctx context.Context, l i18n.Localizer, rel release.Release) ([]charts.View, error) {
	data, err := s.nationalSeries(ctx, rel.Number)
	if err != nil || len(rel.Periods) == 0 {
		return nil, err
	}
	span := rel.Periods[0] + "–" + rel.Periods[len(rel.Periods)-1]
	source := l.T("chart.source", rel.Number, l.Date(rel.PublishedAt))
	mk := func(id, titleKey, unitKey string, measure int, stacked bool) (charts.View, error) {
		bar := echarts.NewBar()
		bar.SetGlobalOptions(
			echarts.WithInitializationOpts(charts.Init(id, "340px")),
			echarts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
			echarts.WithGridOpts(opts.Grid{Left: "8%", Right: "4%", Top: "8%", Bottom: "18%"}),
		)
		bar.SetXAxis(rel.Periods)
		cv := charts.View{L: l, ID: id, Title: l.T(titleKey, span), Unit: l.T(unitKey), Source: source,
			Head: append([]string{l.T("chart.quarter")}, bansos.ProgramCodes...),
		}
		cv.Numeric = make([]bool, len(cv.Head))
		for i := 1; i < len(cv.Numeric); i++ {
			cv.Numeric[i] = true
		}
		withheld := false
		for _, prog := range bansos.ProgramCodes {
			items := make([]opts.BarData, len(rel.Periods))
			for i, per := range rel.Periods {
				v, ok := data[per][prog]
				switch {
				case !ok:
					items[i] = opts.BarData{Value: 0}
				case v[measure] == nil:
					items[i] = opts.BarData{Value: "-"}
					withheld = true
				default:
					items[i] = opts.BarData{Value: *v[measure]}
				}
			}
			stack := ""
			if stacked {
				stack = "total"
			}
			bar.AddSeries(prog, items, echarts.WithBarChartOpts(opts.BarChart{Stack: stack}))
		}
		for _, per := range rel.Periods {
			row, raw := []string{per}, []string{per}
			for _, prog := range bansos.ProgramCodes {
				v, ok := data[per][prog]
				switch {
				case !ok:
					row, raw = append(row, "0"), append(raw, "0")
				case v[measure] == nil:
					row, raw = append(row, "—"), append(raw, "")
				default:
					row, raw = append(row, l.Int(*v[measure])), append(raw, strconv.FormatInt(*v[measure], 10))
				}
			}
			cv.Rows = append(cv.Rows, row)
			cv.Raw = append(cv.Raw, raw)
		}
		if withheld {
			cv.Note = l.T("chart.withheld")
		}
		err := cv.SetOption(bar)
		return cv, err
	}
	rp, err := mk("nominal-per-triwulan", "chart.nominal.title", "chart.unit.rupiah", 1, true)
	if err != nil {
		return nil, err
	}
	fam, err := mk("penerima-per-triwulan", "chart.penerima.title", "chart.unit.families", 0, false)
	if err != nil {
		return nil, err
	}
	return []charts.View{rp, fam}, nil
}
