package portal

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/release"
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
func (s *Server) headlineOf(ctx context.Context, rel release.Release, q string) (*headline, error) {
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
	db := s.pub.R
	rows, err := db.QueryContext(ctx, `SELECT periode, program, penerima, nominal_salur, transaksi, transaksi_gagal, transaksi_retur
		FROM penyaluran WHERE release = ? AND lvl = 0 AND komponen = ''`, rel.Number)
	if err != nil {
		return nil, fmt.Errorf("headline: %w", err)
	}
	type cell struct{ pen, nom, trx, fail sql.NullInt64 }
	cells := map[string]map[string]cell{}
	var trxQ int64
	for rows.Next() {
		var per, prog string
		var c cell
		var ret sql.NullInt64
		if err := rows.Scan(&per, &prog, &c.pen, &c.nom, &c.trx, &c.fail, &ret); err != nil {
			rows.Close()
			return nil, err
		}
		c.fail.Int64 += ret.Int64
		if cells[per] == nil {
			cells[per] = map[string]cell{}
		}
		cells[per][prog] = c
		if per == h.Quarter {
			trxQ += c.trx.Int64
		}
	}
	rows.Close()
	sum := func(per string, pick func(cell) sql.NullInt64) figure {
		f := figure{Known: true}
		for _, prog := range bansos.ProgramCodes {
			c, ok := cells[per][prog]
			if !ok {
				continue
			}
			if v := pick(c); v.Valid {
				f.Value += v.Int64
			} else {
				f.Partial = true
			}
		}
		return f
	}
	nom := func(c cell) sql.NullInt64 { return c.nom }
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
		r.Families = figure{Value: c.pen.Int64, Known: c.pen.Valid}
		r.Rp = figure{Value: c.nom.Int64, Known: c.nom.Valid}
		if pc, ok := cells[h.PrevQuarter][prog]; ok && h.PrevQuarter != "" {
			r.Families.Prev, r.Families.HasPrev = pc.pen.Int64, pc.pen.Valid
			r.Rp.Prev, r.Rp.HasPrev = pc.nom.Int64, pc.nom.Valid
		}
		if c.trx.Valid && c.trx.Int64 > 0 && c.fail.Valid {
			r.FailedShare, r.FailedKnown = 100*float64(c.fail.Int64)/float64(c.trx.Int64), true
		}
		h.Programs = append(h.Programs, r)
	}
	// Targeting accuracy: rejections by reason, and the share of families
	// in welfare deciles 1–4 (DTSEN's target group).
	h.Rejected = figure{Known: true}
	rrows, err := db.QueryContext(ctx, `SELECT periode, alasan, jumlah FROM ketepatan_sasaran WHERE release = ? AND lvl = 0 AND periode IN (?, ?)`,
		rel.Number, h.Quarter, h.PrevQuarter)
	if err != nil {
		return nil, err
	}
	for rrows.Next() {
		var per, reason string
		var n sql.NullInt64
		if err := rrows.Scan(&per, &reason, &n); err != nil {
			rrows.Close()
			return nil, err
		}
		switch {
		case per == h.Quarter && n.Valid:
			h.Rejected.Value += n.Int64
			h.RejectedBy[reason] += n.Int64
		case per == h.Quarter:
			h.Rejected.Partial = true
		case n.Valid:
			h.Rejected.Prev += n.Int64
			h.Rejected.HasPrev = true
		}
	}
	rrows.Close()
	if h.Decile14, h.Decile14Known, err = decileShare(ctx, db, rel.Number, h.Quarter); err != nil {
		return nil, err
	}
	if h.PrevQuarter != "" {
		if h.Decile14Prev, h.Decile14PrevKnown, err = decileShare(ctx, db, rel.Number, h.PrevQuarter); err != nil {
			return nil, err
		}
	}
	// Data quality: rows quarantined in the quarter.
	if err := db.QueryRowContext(ctx, `SELECT coalesce(sum(jumlah), 0) FROM kualitas_data WHERE release = ? AND periode = ?
		AND alasan NOT IN ('MOVED', 'REPLAYED')`, rel.Number, h.Quarter).Scan(&h.Quarantined); err != nil {
		return nil, err
	}
	if total := trxQ + h.Rejected.Value + h.Quarantined; total > 0 {
		h.QuarantineShare = 100 * float64(h.Quarantined) / float64(total)
	}
	return h, nil
}

// extraCharts are the programme mix by area and the rejections over time.
func (s *Server) extraCharts(ctx context.Context, l i18n.Localizer, rel release.Release, h *headline) ([]chartView, error) {
	source := l.T("chart.source", rel.Number, l.Date(rel.PublishedAt))
	var out []chartView
	// Programme mix: rupiah per area (inner ring) and programme (outer).
	mix := chartView{L: l, ID: "bauran-program", Title: l.T("chart.mix.title", h.Quarter), Unit: l.T("chart.unit.rupiah"), Source: source,
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
	pie := charts.NewPie()
	pie.SetGlobalOptions(charts.WithInitializationOpts(chartInit(mix.ID, "340px")),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
		charts.WithTooltipOpts(opts.Tooltip{Trigger: "item"}))
	pie.AddSeries(l.T("chart.area"), inner, charts.WithPieChartOpts(opts.PieChart{Radius: []string{"0", "35%"}}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "inner", Formatter: "{b}"}))
	pie.AddSeries(l.T("chart.program"), outer, charts.WithPieChartOpts(opts.PieChart{Radius: []string{"48%", "68%"}}))
	if err := setOption(&mix, pie); err != nil {
		return nil, err
	}
	out = append(out, mix)

	// Rejections by reason over time.
	rows, err := s.pub.R.QueryContext(ctx, `SELECT periode, alasan, jumlah FROM ketepatan_sasaran
		WHERE release = ? AND lvl = 0 ORDER BY periode`, rel.Number)
	if err != nil {
		return nil, err
	}
	by := map[string]map[string]int64{}
	withheld := false
	for rows.Next() {
		var per, reason string
		var n sql.NullInt64
		if err := rows.Scan(&per, &reason, &n); err != nil {
			rows.Close()
			return nil, err
		}
		if by[per] == nil {
			by[per] = map[string]int64{}
		}
		if n.Valid {
			by[per][reason] += n.Int64
		} else {
			withheld = true
		}
	}
	rows.Close()
	rej := chartView{L: l, ID: "penolakan-per-triwulan", Title: l.T("chart.rejected.title", rel.Periods[0]+"–"+rel.Periods[len(rel.Periods)-1]),
		Unit: l.T("chart.unit.transactions"), Source: source,
		Head:    []string{l.T("chart.quarter"), "ASN", "DECEASED", "DOUBLE"},
		Numeric: []bool{false, true, true, true},
		CSV:     "/dataset/ketepatan-sasaran.csv?tingkat=nasional&release=" + strconv.Itoa(rel.Number)}
	if withheld {
		rej.Note = l.T("chart.withheld_partial")
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(charts.WithInitializationOpts(chartInit(rej.ID, "340px")),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "8%", Right: "4%", Top: "8%", Bottom: "18%"}))
	bar.SetXAxis(rel.Periods)
	for _, reason := range []string{"ASN", "DECEASED", "DOUBLE"} {
		items := make([]opts.BarData, len(rel.Periods))
		for i, per := range rel.Periods {
			items[i] = opts.BarData{Value: by[per][reason]}
		}
		bar.AddSeries(l.T("reason."+reason), items, charts.WithBarChartOpts(opts.BarChart{Stack: "total"}))
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
func setOption(cv *chartView, c interface {
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
func decileShare(ctx context.Context, db *sql.DB, rel int, quarter string) (float64, bool, error) {
	var low, all int64
	rows, err := db.QueryContext(ctx, `SELECT kategori, penerima FROM penyaluran_demografi
		WHERE release = ? AND lvl = 0 AND periode = ? AND dimensi = 'desil'`, rel, quarter)
	if err != nil {
		return 0, false, err
	}
	defer rows.Close()
	for rows.Next() {
		var cat string
		var n sql.NullInt64
		if err := rows.Scan(&cat, &n); err != nil {
			return 0, false, err
		}
		all += n.Int64
		switch cat {
		case "1", "2", "3", "4":
			low += n.Int64
		}
	}
	if err := rows.Err(); err != nil || all == 0 {
		return 0, false, err
	}
	return 100 * float64(low) / float64(all), true, nil
}
