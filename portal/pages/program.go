package pages

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/internal/published"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/portal/charts"
	"github.com/portal-data-bansos/portal/portal/web"
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
	*web.Page
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
	SeriesCharts  []charts.View
	ProvinceChart *charts.View
	Real          *realisationBlock
	Cover         *coverageBlock
	Questions     *web.Questions // the desk's latest answers about it
}

// Program is /program/{kode}: what the programme is, its national
// figures over time, by province and demographic group for a quarter, and
// for PKH by component.
func (s *Handler) Program(c *gin.Context) {
	code := strings.ToUpper(strings.TrimSpace(c.Param("kode")))
	if !slices.Contains(bansos.ProgramCodes, code) {
		_ = c.Error(web.ErrNotFound)
		return
	}
	p := &programPage{Page: s.NewPage(c, ""), Code: code, ProgramList: bansos.ProgramCodes}
	l := p.L
	f := cells{l}
	p.Name, p.Area = l.T("program.name."+code), l.T("program.area."+code)
	if err := s.WithRelease(c, p.Page); err != nil {
		_ = c.Error(err)
		return
	}
	if p.Release == nil {
		s.Render(c, http.StatusOK, "program", p)
		return
	}
	rel := *p.Release
	var fl regionFilter
	if err := s.parseRegionFilter(c, rel, &fl); err != nil {
		_ = c.Error(err)
		return
	}
	// With the information desk's latest answers (portal/tanya), which
	// change without a release.
	answers, done, err := s.PageAnswers(c, rel, p.Pinned, press.AnswerFilter{Program: code}, "program", code, c.Request.URL.RawQuery, string(l.Lang))
	if err != nil {
		_ = c.Error(err)
	}
	if err != nil || done {
		return
	}
	p.Questions = answers
	p.Periode = fl.Periode
	for i := len(rel.Periods) - 1; i >= 0; i-- {
		per := rel.Periods[i]
		p.Periods = append(p.Periods, optionView{Value: per, Label: per, Selected: per == p.Periode})
	}
	ctx := c.Request.Context()

	// Over time: every quarter of the release, national totals.
	perPeriod, err := s.Data.ProgramByQuarter(ctx, rel.Number, code)
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
	prov, err := s.Data.PenyaluranCells(ctx, rel.Number, provinceCells(p.Periode, code))
	if err != nil {
		_ = c.Error(err)
		return
	}
	q := "?" + url.Values{"periode": {p.Periode}, "program": {code}}.Encode()
	for _, pr := range region.Default().Provinces() {
		a := prov.At(code, "", pr.Code)
		r := f.row(a)
		r.Key, r.Label, r.URL = pr.Code, pr.Name, "/wilayah/"+pr.Code+q
		r.Share = f.share(a, nat)
		p.Provinces = append(p.Provinces, r)
	}

	pcs, err := programCharts(l, rel, code, p.Periode, perPeriod, prov)
	if err != nil {
		_ = c.Error(err)
		return
	}
	if len(pcs) == 3 {
		p.SeriesCharts, p.ProvinceChart = pcs[:2], &pcs[2]
	}

	if p.Demography, err = s.programDemography(ctx, f, rel.Number, p.Periode, code, nat); err != nil {
		_ = c.Error(err)
		return
	}

	if code == "PKH" {
		comps, err := s.Data.PenyaluranCells(ctx, rel.Number, published.CellFilter{Period: p.Periode, Level: 0, Program: "PKH", AllComponents: true})
		if err != nil {
			_ = c.Error(err)
			return
		}
		for _, k := range bansos.ComponentCodes {
			a := comps.At("PKH", k, "")
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
	if p.Real.Loaded {
		if p.Real.Chart, err = s.realisationChart(ctx, l, rel, p.Periode, "", int(region.Province), code); err != nil {
			_ = c.Error(err)
			return
		}
	}
	if p.Real.Tahap, err = s.realisationSeries(ctx, rel, code); err != nil {
		_ = c.Error(err)
		return
	}
	if p.Cover, err = s.coverage(ctx, l, rel, p.Periode, "", 0, code, true); err != nil {
		_ = c.Error(err)
		return
	}
	var cs []*charts.View
	for i := range p.SeriesCharts {
		cs = append(cs, &p.SeriesCharts[i])
	}
	pin := url.Values{"periode": {p.Periode}}
	if s.pageCharts(c, p.Page, rel, pin, append(cs, p.ProvinceChart, p.Cover.Chart, p.Real.Chart)...) {
		return
	}
	p.Cite = s.Cite(c, l, l.T("cite.title.program", p.Name, p.Periode), rel, "/program/"+code, pin)
	s.Render(c, http.StatusOK, "program", p)
}

// provinceCells selects a programme's totals by province in a quarter.
func provinceCells(periode, prog string) published.CellFilter {
	return published.CellFilter{Period: periode, Level: 1, Area: published.Within(""), Program: prog}
}

// programDemography is penyaluran-demografi at national level: each
// category's families, their share of the programme's families, rupiah.
func (s *Handler) programDemography(ctx context.Context, f cells, rel int, periode, prog string, nat published.Sum) ([]demoGroup, error) {
	cats, err := s.Data.ProgramDemography(ctx, rel, periode, prog)
	if err != nil {
		return nil, err
	}
	groups := map[string]*demoGroup{}
	for _, c := range cats {
		dim, a := c.Dimension, c.Sum
		g := groups[dim]
		if g == nil {
			g = &demoGroup{Title: f.l.T("program.dim." + dim)}
			groups[dim] = g
		}
		r := demoRow{Label: categoryLabel(f, dim, c.Category), Penerima: f.count(a, mPen, f.l.Int)}
		switch {
		case a.AllWithheld() || nat.AllWithheld():
			r.Share = f.withheld()
		case nat.V(mPen) == 0:
			r.Share = f.na()
		default:
			r.Share = cell{Text: f.pct(float64(a.V(mPen)) / float64(nat.V(mPen)))}
		}
		g.Rows = append(g.Rows, r)
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
