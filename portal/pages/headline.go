package pages

import (
	"context"
	"encoding/json"
	"html/template"
	"strconv"
	"strings"

	echarts "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/published"
	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/portal/charts"
)

// areaOf is each programme's area of intervention.
var areaOf = map[string]string{"PKH": "perlindungan", "SEMBAKO": "perlindungan", "BLT": "perlindungan", "PBI_JK": "perlindungan",
	"ATENSI": "rehabilitasi", "PENA": "pemberdayaan"}

// figure is a number with its change from the previous quarter; Partial
// when some of its parts are withheld (then it is a lower bound).
type figure struct {
	Value, Prev    int64
	Known, Partial bool
	HasPrev        bool
}

// Change is the relative change from the previous quarter, in percent.
func (f figure) Change() float64 { return 100 * float64(f.Value-f.Prev) / float64(f.Prev) }

// ShowChange reports whether a change can be stated honestly.
func (f figure) ShowChange() bool { return f.Known && f.HasPrev && f.Prev > 0 && !f.Partial }

type headlineProgram struct {
	Program      string
	Families, Rp figure
	FailedShare  float64
	FailedKnown  bool
}

// headline is the dashboard's summary of one quarter.
type headline struct {
	Quarter, PrevQuarter string
	Quarters             []string
	Year                 string
	Nominal, NominalYear figure
	Programs             []headlineProgram
	Rejected             figure
	RejectedBy           map[string]int64
	Decile14             float64
	Decile14Known        bool
	Decile14Prev         float64
	Decile14PrevKnown    bool
	Quarantined          int64
	QuarantineShare      float64
}

// headlineOf computes the summary of quarter q (the latest when empty).
func (s *Handler) headlineOf(ctx context.Context, rel release.Release, q string) (*headline, error) {
	if len(rel.Periods) == 0 {
		return nil, nil
	}
	h := &headline{Quarters: rel.Periods, Quarter: rel.Periods[len(rel.Periods)-1], RejectedBy: map[string]int64{}}
	if q != "" {
		h.Quarter = q
	}
	for i, p := range rel.Periods {
		if p == h.Quarter && i > 0 {
			h.PrevQuarter = rel.Periods[i-1]
		}
	}
	h.Year = h.Quarter[:4]
	series, err := s.Data.NationalSeries(ctx, rel.Number)
	if err != nil {
		return nil, err
	}
	// value is a measure's value, 0 where withheld.
	value := func(m published.Measure) int64 {
		if m == nil {
			return 0
		}
		return *m
	}
	cells := map[string]map[string]published.ProgramQuarter{}
	var trxQ int64
	for _, c := range series {
		if cells[c.Period] == nil {
			cells[c.Period] = map[string]published.ProgramQuarter{}
		}
		cells[c.Period][c.Program] = c
		if c.Period == h.Quarter {
			trxQ += value(c.Transactions)
		}
	}
	sum := func(per string, pick func(published.ProgramQuarter) published.Measure) figure {
		f := figure{Known: true}
		for _, prog := range bansos.ProgramCodes {
			c, ok := cells[per][prog]
			if !ok {
				continue
			}
			if v := pick(c); v != nil {
				f.Value += *v
			} else {
				f.Partial = true
			}
		}
		return f
	}
	nom := func(c published.ProgramQuarter) published.Measure { return c.Rupiah }
	h.Nominal = sum(h.Quarter, nom)
	if h.PrevQuarter != "" {
		prev := sum(h.PrevQuarter, nom)
		h.Nominal.Prev, h.Nominal.HasPrev, h.Nominal.Partial = prev.Value, true, h.Nominal.Partial || prev.Partial
	}
	h.NominalYear = figure{Known: true}
	for _, per := range rel.Periods {
		if strings.HasPrefix(per, h.Year) {
			f := sum(per, nom)
			h.NominalYear.Value += f.Value
			h.NominalYear.Partial = h.NominalYear.Partial || f.Partial
		}
	}
	for _, prog := range bansos.ProgramCodes {
		c, ok := cells[h.Quarter][prog]
		if !ok {
			continue
		}
		r := headlineProgram{Program: prog}
		r.Families = figure{Value: value(c.Families), Known: c.Families != nil}
		r.Rp = figure{Value: value(c.Rupiah), Known: c.Rupiah != nil}
		if pc, ok := cells[h.PrevQuarter][prog]; ok && h.PrevQuarter != "" {
			r.Families.Prev, r.Families.HasPrev = value(pc.Families), pc.Families != nil
			r.Rp.Prev, r.Rp.HasPrev = value(pc.Rupiah), pc.Rupiah != nil
		}
		// Failed transactions count the returned ones too.
		if trx := value(c.Transactions); trx > 0 && c.Failed != nil {
			r.FailedShare, r.FailedKnown = 100*float64(*c.Failed+value(c.Returned))/float64(trx), true
		}
		h.Programs = append(h.Programs, r)
	}
	// Targeting accuracy: rejections by reason, and the share of families
	// in welfare deciles 1–4 (DTSEN's target group).
	h.Rejected = figure{Known: true}
	rejections, err := s.Data.NationalRejectionTotals(ctx, rel.Number)
	if err != nil {
		return nil, err
	}
	prevPartial := false
	for _, x := range rejections {
		switch x.Period {
		case h.Quarter:
			h.Rejected.Value += x.Count
			h.RejectedBy[x.Reason] += x.Count
			h.Rejected.Partial = h.Rejected.Partial || x.Partial
		case h.PrevQuarter:
			h.Rejected.Prev += x.Count
			h.Rejected.HasPrev = true
			prevPartial = prevPartial || x.Partial
		}
	}
	// No change is shown against a partial total.
	h.Rejected.HasPrev = h.Rejected.HasPrev && !prevPartial
	if h.Decile14, h.Decile14Known, err = s.decileShare(ctx, rel.Number, h.Quarter); err != nil {
		return nil, err
	}
	if h.PrevQuarter != "" {
		if h.Decile14Prev, h.Decile14PrevKnown, err = s.decileShare(ctx, rel.Number, h.PrevQuarter); err != nil {
			return nil, err
		}
	}
	// Data quality: rows quarantined in the quarter.
	if h.Quarantined, err = s.Data.Quarantined(ctx, rel.Number, h.Quarter); err != nil {
		return nil, err
	}
	if total := trxQ + h.Rejected.Value + h.Quarantined; total > 0 {
		h.QuarantineShare = 100 * float64(h.Quarantined) / float64(total)
	}
	return h, nil
}

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
	if err := setOption(&mix, pie); err != nil {
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
	if err := setOption(&rej, bar); err != nil {
		return nil, err
	}
	out = append(out, rej)
	return out, nil
}

// setOption validates a go-echarts chart and stores its option JSON.
func setOption(cv *charts.View, c interface {
	Validate()
	JSON() map[string]interface{}
}) error {
	c.Validate()
	b, err := json.Marshal(c.JSON())
	if err != nil {
		return err
	}
	cv.Option = template.JS(b)
	return nil
}

// decileShare is the share (%) of recipient families in welfare deciles
// 1–4 in a quarter, over all programmes at national level.
func (s *Handler) decileShare(ctx context.Context, rel int, quarter string) (float64, bool, error) {
	deciles, err := s.Data.NationalDeciles(ctx, rel, quarter)
	if err != nil {
		return 0, false, err
	}
	var low, all int64
	for _, d := range deciles {
		if d.Families == nil {
			continue
		}
		all += *d.Families
		switch d.Decile {
		case "1", "2", "3", "4":
			low += *d.Families
		}
	}
	if all == 0 {
		return 0, false, nil
	}
	return 100 * float64(low) / float64(all), true, nil
}
