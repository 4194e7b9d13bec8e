package pages

import (
	"cmp"
	"context"
	"slices"
	"strconv"

	echarts "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/published"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/portal/charts"
)

// The dashboard's charts beyond the headline figures.

// pieItem is a slice of a pie: a partial sum (some of its parts
// withheld) is paler and flagged "sebagian" for the tooltips' "≥".
type pieItem struct {
	Name      string          `json:"name"`
	Value     int64           `json:"value"`
	ItemStyle *opts.ItemStyle `json:"itemStyle,omitempty"`
	Partial   bool            `json:"sebagian,omitempty"`
}

// extraCharts are the programme mix by area and the rejections over time.
func (s *Handler) extraCharts(ctx context.Context, l i18n.Localizer, rel release.Release, h *headline) ([]charts.View, error) {
	source := l.T("chart.source", rel.Number, l.Date(rel.PublishedAt))
	var out []charts.View
	// Programme mix: rupiah per area (inner ring) and programme (outer).
	mix := charts.View{L: l, ID: "bauran-program", Title: l.T("chart.mix.title", h.Quarter), Unit: l.T("chart.unit.rupiah"), Source: source,
		Head: []string{l.T("chart.area"), l.T("chart.program"), l.T("home.nominal")}, Numeric: []bool{false, false, true},
		CSV:      "/dataset/penyaluran.csv?tingkat=nasional&komponen=-&periode=" + h.Quarter + "&release=" + strconv.Itoa(rel.Number),
		Name:     charts.Slug("nominal-salur-per-bidang-dan-program", "nasional", h.Quarter),
		Subtitle: subtitle(l.T("chart.unit.rupiah"), "Indonesia", h.Quarter)}
	stamp(&mix, rel)
	areas := map[string]int64{}
	areaWithheld := map[string]bool{}
	var outer []pieItem
	var progData []charts.Datum
	for _, r := range h.Programs {
		a := areaOf[r.Program]
		label := l.T("area." + a)
		d := charts.Datum{Code: r.Program, Label: l.T("program.short." + r.Program), Series: "program", Unit: charts.UnitRupiah}
		if !r.Rp.Known {
			mix.Rows = append(mix.Rows, []string{label, r.Program, "—"})
			mix.Note = l.T("chart.withheld")
			areaWithheld[a] = true
			d.Withheld = true
			progData = append(progData, d)
			continue
		}
		areas[a] += r.Rp.Value
		outer = append(outer, pieItem{Name: r.Program, Value: r.Rp.Value, ItemStyle: &opts.ItemStyle{Color: charts.ProgramColor(r.Program)}})
		mix.Rows = append(mix.Rows, []string{label, r.Program, l.Rupiah(r.Rp.Value)})
		d.Value = strconv.FormatInt(r.Rp.Value, 10)
		progData = append(progData, d)
	}
	var inner []pieItem
	for _, a := range []string{"perlindungan", "rehabilitasi", "pemberdayaan"} {
		// An area whose programmes are all withheld is withheld; one with
		// some withheld is a partial sum.
		d := charts.Datum{Code: a, Label: l.T("area." + a), Series: "bidang", Unit: charts.UnitRupiah,
			Value: strconv.FormatInt(areas[a], 10), Partial: areaWithheld[a] && areas[a] > 0, Withheld: areaWithheld[a] && areas[a] == 0}
		if d.Withheld {
			d.Value = ""
		}
		mix.Data = append(mix.Data, d)
		if areas[a] > 0 {
			it := pieItem{Name: l.T("area." + a), Value: areas[a], ItemStyle: &opts.ItemStyle{Color: charts.AreaColor(a)}}
			if d.Partial {
				it.ItemStyle.Opacity, it.Partial = opts.Float(0.45), true
			}
			inner = append(inner, it)
		}
	}
	mix.Data = append(mix.Data, progData...)
	// The rings sit above the middle: on a phone the legend wraps to
	// three rows under them and must not cover them.
	pieCenter := []string{"50%", "40%"}
	mix.Height = 400
	pie := echarts.NewPie()
	pie.SetGlobalOptions(echarts.WithInitializationOpts(charts.Init(mix.ID, "340px")),
		echarts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
		echarts.WithTooltipOpts(opts.Tooltip{Trigger: "item"}))
	pie.AddSeries(l.T("chart.area"), nil, echarts.WithPieChartOpts(opts.PieChart{Radius: []string{"0", "33%"}, Center: pieCenter}),
		echarts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "inner", Formatter: "{b}"}))
	pie.MultiSeries[0].Data = inner
	pie.AddSeries(l.T("chart.program"), nil, echarts.WithPieChartOpts(opts.PieChart{Radius: []string{"46%", "64%"}, Center: pieCenter}))
	pie.MultiSeries[1].Data = outer
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
	part := map[string]map[string]bool{}
	withheld := false
	for _, x := range rejections {
		if by[x.Period] == nil {
			by[x.Period], part[x.Period] = map[string]int64{}, map[string]bool{}
		}
		by[x.Period][x.Reason] = x.Count
		part[x.Period][x.Reason] = x.Partial
		withheld = withheld || x.Partial
	}
	first, last := rel.Periods[0], rel.Periods[len(rel.Periods)-1]
	rej := charts.View{L: l, ID: "penolakan-per-triwulan", Title: l.T("chart.rejected.title", first+"–"+last),
		Unit: l.T("chart.unit.transactions"), Source: source,
		Head:     []string{l.T("chart.quarter"), "ASN", "DECEASED", "DOUBLE"},
		Numeric:  []bool{false, true, true, true},
		CSV:      "/dataset/ketepatan-sasaran.csv?tingkat=nasional&release=" + strconv.Itoa(rel.Number),
		Name:     charts.Slug("penolakan-per-alasan", "nasional", spanSlug(first, last)),
		Subtitle: subtitle(l.T("chart.unit.transactions"), "Indonesia", first+"–"+last)}
	stamp(&rej, rel)
	if withheld {
		rej.Note = l.T("chart.withheld_partial")
	}
	bar := echarts.NewBar()
	bar.SetGlobalOptions(echarts.WithInitializationOpts(charts.Init(rej.ID, "340px")),
		echarts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
		echarts.WithGridOpts(opts.Grid{Left: "2%", Right: "4%", Top: "8%", Bottom: "18%", ContainLabel: opts.Bool(true)}))
	bar.SetXAxis(rel.Periods)
	for _, reason := range []string{"ASN", "DECEASED", "DOUBLE"} {
		items := make([]charts.Item, len(rel.Periods))
		for i, per := range rel.Periods {
			items[i] = charts.ValueOf(by[per][reason])
			if part[per][reason] {
				items[i] = charts.PartialOf(by[per][reason])
			}
		}
		charts.AddBars(bar, l.T("reason."+reason), items, echarts.WithBarChartOpts(opts.BarChart{Stack: "total"}),
			echarts.WithItemStyleOpts(opts.ItemStyle{Color: charts.ReasonColor(reason)}))
	}
	for _, per := range rel.Periods {
		row := []string{per}
		for _, reason := range []string{"ASN", "DECEASED", "DOUBLE"} {
			row = append(row, l.Int(by[per][reason]))
			rej.Data = append(rej.Data, charts.Datum{Code: per, Label: per, Series: reason, Unit: charts.UnitTransactions,
				Value: strconv.FormatInt(by[per][reason], 10), Partial: part[per][reason]})
		}
		rej.Rows = append(rej.Rows, row)
	}
	if err := rej.SetOption(bar); err != nil {
		return nil, err
	}
	out = append(out, rej)
	byProv, err := s.rejectionsByProvince(ctx, l, rel, h.Quarter)
	if err != nil {
		return nil, err
	}
	return append(out, byProv), nil
}

// rejectionsByProvince is the quarter's rejected transactions per
// province, stacked by reason (ASN, deceased, double): where padan data
// rejects most. A withheld count is a stub, never 0.
func (s *Handler) rejectionsByProvince(ctx context.Context, l i18n.Localizer, rel release.Release, quarter string) (charts.View, error) {
	reasons := []string{"ASN", "DECEASED", "DOUBLE"}
	cv := charts.View{L: l, ID: "penolakan-per-provinsi", Title: l.T("chart.rejected_prov.title", quarter),
		Unit: l.T("chart.unit.transactions"), Source: l.T("chart.source", rel.Number, l.Date(rel.PublishedAt)),
		Head:     []string{l.T("map.province"), l.T("reason.ASN"), l.T("reason.DECEASED"), l.T("reason.DOUBLE")},
		Numeric:  []bool{false, true, true, true},
		CSV:      "/dataset/ketepatan-sasaran.csv?tingkat=provinsi&program=SEMUA&periode=" + quarter + "&release=" + strconv.Itoa(rel.Number),
		Name:     charts.Slug("penolakan-per-alasan", "per-provinsi", quarter),
		Subtitle: subtitle(l.T("chart.unit.transactions"), "Indonesia", quarter), Wide: true}
	stamp(&cv, rel)
	type prov struct {
		code, name string
		by         published.RejectionSums
		total      int64
	}
	var provs []prov
	for _, p := range region.Default().Provinces() {
		by, err := s.Data.RegionRejections(ctx, rel.Number, quarter, int(region.Province), p.Code)
		if err != nil {
			return cv, err
		}
		if len(by) == 0 {
			continue
		}
		pr := prov{code: p.Code, name: p.Name, by: by}
		for _, r := range reasons {
			pr.total += by.At(semua, r).V(published.Transaksi)
		}
		provs = append(provs, pr)
	}
	slices.SortStableFunc(provs, func(a, b prov) int { return cmp.Compare(b.total, a.total) })
	names := make([]string, len(provs))
	for i, p := range provs {
		names[i] = p.name
	}
	ax := charts.Categories(len(names), true, 40)
	grid := opts.Grid{Left: "4%", Right: "4%", Top: "8%", Bottom: "14%", ContainLabel: opts.Bool(true)}
	if ax.Across {
		grid.Top, grid.Bottom, cv.Height = "24", "48", ax.Height
	}
	bar := echarts.NewBar()
	bar.SetGlobalOptions(echarts.WithInitializationOpts(charts.Init(cv.ID, "420px")),
		echarts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
		echarts.WithGridOpts(grid), echarts.WithXAxisOpts(ax.X), echarts.WithYAxisOpts(ax.Y))
	bar.SetXAxis(names)
	if ax.Across {
		bar.XYReversal()
	}
	withheld := false
	for _, r := range reasons {
		items := make([]charts.Item, len(provs))
		for i, p := range provs {
			a := p.by.At(semua, r)
			switch {
			case a.AllWithheld():
				items[i], withheld = charts.Gap(), true
			default:
				items[i] = charts.ValueOf(a.V(published.Transaksi))
			}
		}
		charts.AddBars(bar, l.T("reason."+r), items, echarts.WithBarChartOpts(opts.BarChart{Stack: "total"}),
			echarts.WithItemStyleOpts(opts.ItemStyle{Color: charts.ReasonColor(r)}))
	}
	for _, p := range provs {
		row := []string{p.name}
		for _, r := range reasons {
			a := p.by.At(semua, r)
			d := charts.Datum{Code: p.code, Label: p.name, Series: r, Unit: charts.UnitTransactions}
			if a.AllWithheld() {
				row, d.Withheld = append(row, "—"), true
			} else {
				row, d.Value = append(row, l.Int(a.V(published.Transaksi))), strconv.FormatInt(a.V(published.Transaksi), 10)
			}
			cv.Data = append(cv.Data, d)
		}
		cv.Rows = append(cv.Rows, row)
		cv.RowLinks = append(cv.RowLinks, "/wilayah/"+p.code+"#ketepatan")
	}
	if withheld {
		cv.Note = l.T("chart.withheld")
	}
	err := cv.SetOption(bar) // before cv is returned: it sets cv.Option
	return cv, err
}
