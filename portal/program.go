package portal

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/release"
)

// demoDims are the dimensions of penyaluran-demografi, in page order.
var demoDims = []string{"jenis_kelamin", "kelompok_umur", "desil", "penyalur"}

type demoGroup struct {
	Title string
	Rows  []demoRow
}

type demoRow struct {
	Label    string
	Penerima cell
	Share    cell
}

type programPage struct {
	*Page
	Code        string
	ProgramList []string
	Name        string
	Area        string
	Periode     string
	Periods     []optionView
	Series      []figRow
	Provinces   []figRow
	National    figRow
	Demography  []demoGroup
	Components  []figRow
	HasWithheld bool
	HasPartial  bool
	CSVURL      string
	DemoCSVURL  string
	// SeriesCharts are rupiah and families per quarter; ProvinceChart the
	// families per province in the quarter.
	SeriesCharts  []chartView
	ProvinceChart *chartView
	Real          *realisationBlock
	Cover         *coverageBlock
}

// programPage is /program/{kode}: what the programme is, its national
// figures over time, by province and demographic group for a quarter, and
// for PKH by component.
func (s *Server) programPage(c *gin.Context) {
	code := strings.ToUpper(strings.TrimSpace(c.Param("kode")))
	if !slices.Contains(bansos.ProgramCodes, code) {
		_ = c.Error(errNotFound)
		return
	}
	p := &programPage{Page: s.page(c, ""), Code: code, ProgramList: bansos.ProgramCodes}
	l := p.L
	f := cells{l}
	p.Name, p.Area = l.T("program.name."+code), l.T("program.area."+code)
	if err := s.withRelease(c, p.Page); err != nil {
		_ = c.Error(err)
		return
	}
	if p.Release == nil {
		s.render(c, http.StatusOK, "program", p)
		return
	}
	rel := *p.Release
	var fl regionFilter
	if err := s.parseRegionFilter(c, rel, &fl); err != nil {
		s.badRequest(c, err)
		return
	}
	if notModified(c, rel, false, "program", code, c.Request.URL.RawQuery, string(l.Lang)) {
		return
	}
	p.Periode = fl.Periode
	for i := len(rel.Periods) - 1; i >= 0; i-- {
		per := rel.Periods[i]
		p.Periods = append(p.Periods, optionView{Value: per, Label: per, Selected: per == p.Periode})
	}
	ctx := c.Request.Context()

	// Over time: every quarter of the release, national totals.
	perPeriod, err := s.penyaluranByPeriod(ctx, rel.Number, code)
	if err != nil {
		_ = c.Error(err)
		return
	}
	for _, per := range rel.Periods {
		r := f.row(perPeriod[per])
		r.Key, r.Label, r.Current = per, per, per == p.Periode
		p.Series = append(p.Series, r)
	}

	nat := perPeriod[p.Periode]
	p.National = f.row(nat)
	prov, err := s.penyaluranCells(ctx, rel.Number, p.Periode, 1, "program = ? AND komponen = ''", code)
	if err != nil {
		_ = c.Error(err)
		return
	}
	q := "?" + url.Values{"periode": {p.Periode}, "program": {code}}.Encode()
	for _, pr := range region.Default().Provinces() {
		a := prov[code+"||"+pr.Code]
		r := f.row(a)
		r.Key, r.Label, r.URL = pr.Code, pr.Name, "/wilayah/"+pr.Code+q
		r.Share = f.share(a, nat)
		p.Provinces = append(p.Provinces, r)
	}

	charts, err := programCharts(l, rel, code, p.Periode, perPeriod, prov)
	if err != nil {
		_ = c.Error(err)
		return
	}
	if len(charts) == 3 {
		p.SeriesCharts, p.ProvinceChart = charts[:2], &charts[2]
	}

	if p.Demography, err = s.programDemography(ctx, f, rel.Number, p.Periode, code, nat); err != nil {
		_ = c.Error(err)
		return
	}

	if code == "PKH" {
		comps, err := s.penyaluranCells(ctx, rel.Number, p.Periode, 0, "program = 'PKH' AND komponen <> '' AND kode_wilayah = ''")
		if err != nil {
			_ = c.Error(err)
			return
		}
		for _, k := range bansos.ComponentCodes {
			a := comps["PKH|"+k+"|"]
			r := f.row(a)
			r.Key, r.Label = k, l.T("program.komp."+k)
			r.Share = f.share(a, nat)
			p.Components = append(p.Components, r)
		}
	}

	for _, rows := range [][]figRow{p.Series, p.Provinces, p.Components} {
		for _, r := range rows {
			for _, x := range []cell{r.Penerima, r.Transaksi, r.Nominal, r.NomGagal, r.NomRetur, r.Share, r.PerKPM} {
				p.HasWithheld = p.HasWithheld || x.Withheld
				p.HasPartial = p.HasPartial || x.Partial
			}
		}
	}
	for _, g := range p.Demography {
		for _, r := range g.Rows {
			p.HasWithheld = p.HasWithheld || r.Penerima.Withheld
		}
	}
	p.CSVURL = "/dataset/penyaluran.csv?" + url.Values{"program": {code}, "periode": {p.Periode}, "tingkat": {"nasional,provinsi"}}.Encode()
	p.DemoCSVURL = "/dataset/penyaluran-demografi.csv?" + url.Values{"program": {code}, "periode": {p.Periode}, "tingkat": {"nasional"}}.Encode()
	if p.Real, err = s.realisation(ctx, l, rel, p.Periode, "", 0, []string{code}); err != nil {
		_ = c.Error(err)
		return
	}
	if p.Real.Tahap, err = s.realisationSeries(ctx, rel, code); err != nil {
		_ = c.Error(err)
		return
	}
	if p.Cover, err = s.coverage(ctx, l, rel, p.Periode, "", 0, code, true); err != nil {
		_ = c.Error(err)
		return
	}
	var cs []*chartView
	for i := range p.SeriesCharts {
		cs = append(cs, &p.SeriesCharts[i])
	}
	if s.pageCharts(c, p.Page, rel, append(cs, p.ProvinceChart, p.Cover.Chart)...) {
		return
	}
	s.render(c, http.StatusOK, "program", p)
}

// penyaluranByPeriod reads a programme's national totals per quarter.
func (s *Server) penyaluranByPeriod(ctx context.Context, rel int, prog string) (map[string]agg, error) {
	rows, err := s.pub.R.QueryContext(ctx, `SELECT periode, penerima, transaksi, nominal_salur, transaksi_gagal, nominal_gagal,
		transaksi_retur, nominal_retur, ditekan FROM penyaluran
		WHERE release = ? AND lvl = 0 AND program = ? AND komponen = '' AND kode_wilayah = ''`, rel, prog)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]agg{}
	for rows.Next() {
		var per string
		var m [7]sql.NullInt64
		var ditekan bool
		if err := rows.Scan(&per, &m[0], &m[1], &m[2], &m[3], &m[4], &m[5], &m[6], &ditekan); err != nil {
			return nil, err
		}
		out[per] = penAgg(m, ditekan)
	}
	return out, rows.Err()
}

// programDemography reads penyaluran-demografi at national level: each
// category's families, their share of the programme's families, rupiah.
func (s *Server) programDemography(ctx context.Context, f cells, rel int, periode, prog string, nat agg) ([]demoGroup, error) {
	rows, err := s.pub.R.QueryContext(ctx, `SELECT k.dimensi, k.kategori, d.penerima, d.ditekan
		FROM demografi_kategori k
		LEFT JOIN penyaluran_demografi d ON d.dimensi = k.dimensi AND d.kategori = k.kategori
		     AND d.release = ? AND d.periode = ? AND d.program = ? AND d.lvl = 0 AND d.kode_wilayah = ''
		ORDER BY k.k`, rel, periode, prog)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	groups := map[string]*demoGroup{}
	for rows.Next() {
		var dim, cat string
		var pen, ditekan sql.NullInt64
		if err := rows.Scan(&dim, &cat, &pen, &ditekan); err != nil {
			return nil, err
		}
		a := agg{Pen: pen.Int64, Rows: 1}
		switch {
		case ditekan.Int64 == 1:
			a = agg{Rows: 1, Withheld: 1}
		case !ditekan.Valid:
			a = agg{} // no family in this category: a true zero
		}
		g := groups[dim]
		if g == nil {
			g = &demoGroup{Title: f.l.T("program.dim." + dim)}
			groups[dim] = g
		}
		r := demoRow{Label: categoryLabel(f, dim, cat), Penerima: f.count(a, mPen, f.l.Int)}
		switch {
		case a.allWithheld() || nat.allWithheld():
			r.Share = f.withheld()
		case nat.Pen == 0:
			r.Share = cell{Text: f.l.T("wilayah.na"), Zero: true}
		default:
			r.Share = cell{Text: f.pct(float64(a.Pen) / float64(nat.Pen))}
		}
		g.Rows = append(g.Rows, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []demoGroup
	for _, d := range demoDims {
		if g := groups[d]; g != nil {
			out = append(out, *g)
		}
	}
	return out, nil
}

func categoryLabel(f cells, dim, cat string) string {
	switch {
	case dim == "jenis_kelamin" || cat == "tidak_diketahui":
		return f.l.T("program.cat." + cat)
	case dim == "desil":
		return f.l.T("program.decile", cat)
	case dim == "kelompok_umur":
		return cat + " " + f.l.T("program.years")
	}
	return cat
}

// programCharts builds the charts of a programme page: its national
// rupiah disbursed and recipient families per quarter of the release, and
// its families per province in the selected quarter, largest first.
// perPeriod is penyaluranByPeriod's answer, prov penyaluranCells' at
// province level for the quarter.
func programCharts(l i18n.Localizer, rel release.Release, code, periode string, perPeriod, prov map[string]agg) ([]chartView, error) {
	if len(rel.Periods) == 0 {
		return nil, nil
	}
	source := l.T("chart.source", rel.Number, l.Date(rel.PublishedAt))
	short := l.T("program.short." + code)
	span := rel.Periods[0] + "–" + rel.Periods[len(rel.Periods)-1]
	relQ := strconv.Itoa(rel.Number)
	natCSV := "/dataset/penyaluran.csv?" + url.Values{"program": {code}, "tingkat": {"nasional"}, "komponen": {dataset.EmptyValue}, "release": {relQ}}.Encode()
	var nom, pen []barPoint
	for _, per := range rel.Periods {
		a := perPeriod[per]
		nom = append(nom, pointOf(per, a, mNom))
		pen = append(pen, pointOf(per, a, mPen))
	}
	var out []chartView
	for _, c := range []struct {
		id, title, unit, col string
		format               func(int64) string
		pts                  []barPoint
	}{
		{"program-nominal", "program.chart.nominal.title", "chart.unit.rupiah", "wilayah.col.nominal", l.Rupiah, nom},
		{"program-penerima", "program.chart.penerima.title", "chart.unit.families", "wilayah.col.recipients", l.Int, pen},
	} {
		cv, err := barChart(l, barSpec{ID: c.id, Title: l.T(c.title, short, span), Unit: l.T(c.unit), Source: source,
			CSV: natCSV, Format: c.format, Height: "300px",
			Head: [2]string{l.T("wilayah.filter.period"), l.T(c.col)}}, c.pts)
		if err != nil {
			return nil, err
		}
		out = append(out, cv)
	}

	var pts []barPoint
	for _, pr := range region.Default().Provinces() {
		a := prov[code+"||"+pr.Code]
		pts = append(pts, pointOf(pr.Name, a, mPen))
	}
	sortPoints(pts)
	cv, err := barChart(l, barSpec{ID: "program-provinsi", Title: l.T("program.chart.provinces.title", short, periode),
		Unit: l.T("chart.unit.families"), Source: source, Format: l.Int, Rotate: true, Height: "420px",
		CSV: "/dataset/penyaluran.csv?" + url.Values{"program": {code}, "periode": {periode}, "tingkat": {"provinsi"},
			"komponen": {dataset.EmptyValue}, "release": {relQ}}.Encode(),
		Head: [2]string{l.T("wilayah.col.name"), l.T("wilayah.col.recipients")}}, pts)
	if err != nil {
		return nil, err
	}
	return append(out, cv), nil
}
