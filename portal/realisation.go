package portal

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/internal/published"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/release"
)

// Realisation against target and coverage of the DTSEN deciles: the
// figures Indonesian reporting leads with ("tersalur X dari kuota Y KPM
// (Z persen)"). Both come from the realisasi and cakupan-desil datasets of
// the release in force; a page shows them for its region (nation,
// province or regency) and quarter, and says plainly when no target or
// DTSEN list is loaded rather than showing zeros.

// semua is cakupan-desil's programme for families reached by any
// programme.
const semua = "SEMUA"

// coverChartID is the dashboard's coverage chart (by province).
const coverChartID = "cakupan-desil14"

// realView is one row of realisasi as a page shows it.
type realView struct {
	Program, Label, Periode, Kode, Name, URL string
	Withheld                                 bool
	HasTarget                                bool
	Kuota, Salur                             int64
	// SalurWithheld: the row is published but its families paid are
	// not (families not yet paid would be 1 to k−1; docs/disclosure.md).
	SalurWithheld bool
	PctKPM        float64
	HasPctKPM     bool
	HasPagu       bool
	Pagu, Nominal int64
	PctPagu       float64
	HasPctPagu    bool
}

// BarKPM and BarPagu are the progress bars' values, capped at 100.
func (r realView) BarKPM() float64  { return min(r.PctKPM, 100) }
func (r realView) BarPagu() float64 { return min(r.PctPagu, 100) }

// realisationBlock is the realisation section of a page.
type realisationBlock struct {
	// Loaded: a target list is in force for this release.
	Loaded  bool
	Periode string
	// Rows are the region's programmes with a target in the quarter
	// (withheld ones included); Missing says there is none.
	Rows    []realView
	Missing bool
	// Lagging are the child regions furthest behind their target.
	Lagging      []realView
	LaggingLevel string
	regencyLink
	// Tahap is one programme's national realisation per quarter (the
	// programme page).
	Tahap      []realView
	DatasetURL string
}

// regencyLink points a district page to its regency, the finest level of
// realisation and coverage.
type regencyLink struct {
	BelowRegency bool
	RegencyURL   string
	RegencyName  string
}

// belowRegency is the link for region kode at level lvl: set for a
// district, empty otherwise.
func belowRegency(kode string, lvl int) regencyLink {
	if lvl <= int(region.Regency) {
		return regencyLink{}
	}
	reg, _ := region.Default().Lookup(kode)
	return regencyLink{BelowRegency: true, RegencyURL: "/wilayah/" + reg.Parent, RegencyName: region.Default().Name(reg.Parent)}
}

// nationAsEmpty is a region code as a filter value: the nation's empty
// code is written dataset.EmptyValue.
func nationAsEmpty(kode string) string {
	if kode == "" {
		return dataset.EmptyValue
	}
	return kode
}

// realViewOf is a row of realisasi as a page shows it.
func realViewOf(x published.Realisation) realView {
	r := realView{Program: x.Program, Periode: x.Period, Kode: x.Code, Name: x.Name, Withheld: x.Withheld}
	r.HasTarget, r.Kuota, r.Salur = x.Target != nil, orZero(x.Target), orZero(x.Reached)
	r.SalurWithheld = !r.Withheld && x.Reached == nil
	r.HasPctKPM, r.PctKPM = x.PctTarget != nil, orZero(x.PctTarget)
	r.HasPagu, r.Pagu, r.Nominal = x.Budget != nil, orZero(x.Budget), orZero(x.Rupiah)
	r.HasPctPagu, r.PctPagu = x.PctBudget != nil, orZero(x.PctBudget)
	return r
}

// realViews is realViewOf of each row.
func realViews(xs []published.Realisation) []realView {
	var out []realView
	for _, x := range xs {
		out = append(out, realViewOf(x))
	}
	return out
}

// orZero is *p, or 0 for nil (a figure not given).
func orZero[T int64 | float64](p *T) T {
	if p == nil {
		return 0
	}
	return *p
}

// realisation builds the realisation section for region kode (dotted; ""
// for the nation) at level lvl (0 for the nation) in quarter periode, for
// the programmes given (all when empty).
func (s *Server) realisation(ctx context.Context, l i18n.Localizer, rel release.Release, periode, kode string, lvl int, progs []string) (*realisationBlock, error) {
	b := &realisationBlock{Loaded: rel.Counts["realisasi"] > 0, Periode: periode,
		DatasetURL:  "/dataset/realisasi?" + url.Values{"periode": {periode}, "kode_wilayah": {nationAsEmpty(kode)}}.Encode(),
		regencyLink: belowRegency(kode, lvl)}
	if !b.Loaded || b.BelowRegency {
		return b, nil
	}
	own, err := s.Data.Realisations(ctx, rel.Number, periode, lvl, published.OneRegion(kode), progs)
	if err != nil {
		return nil, err
	}
	for _, r := range realViews(own) {
		if r.HasTarget || r.Withheld {
			b.Rows = append(b.Rows, r)
		}
	}
	slices.SortFunc(b.Rows, func(a, c realView) int {
		return slices.Index(bansos.ProgramCodes, a.Program) - slices.Index(bansos.ProgramCodes, c.Program)
	})
	b.Missing = len(b.Rows) == 0
	for i := range b.Rows {
		b.Rows[i].Label = b.Rows[i].Program
		b.Rows[i].URL = "/program/" + b.Rows[i].Program
	}
	if lvl < int(region.Regency) {
		// The five child regions furthest behind their target.
		lag, err := s.Data.LaggingRealisations(ctx, rel.Number, periode, lvl+1, published.Within(kode), progs, 5)
		if err != nil {
			return nil, err
		}
		b.Lagging = realViews(lag)
		for i := range b.Lagging {
			r := &b.Lagging[i]
			r.Label = r.Name
			r.URL = "/wilayah/" + r.Kode + "?" + url.Values{"periode": {periode}, "program": {r.Program}}.Encode()
		}
		b.LaggingLevel = l.T("level." + region.Level(lvl+1).String())
	}
	return b, nil
}

// realisationSeries is one programme's national realisation per quarter.
func (s *Server) realisationSeries(ctx context.Context, rel release.Release, prog string) ([]realView, error) {
	if rel.Counts["realisasi"] == 0 {
		return nil, nil
	}
	xs, err := s.Data.RealisationSeries(ctx, rel.Number, prog)
	out := realViews(xs)
	for i := range out {
		out[i].Label = out[i].Periode
	}
	return out, err
}

// coverDecile is one decile's coverage.
type coverDecile struct {
	Desil              int
	Keluarga, Penerima int64
	Pct                float64
	HasPct             bool
	Withheld           bool
}

// Bar is the progress bar's value, capped at 100.
func (d coverDecile) Bar() float64 { return min(d.Pct, 100) }

// coverageBlock is the coverage section of a page.
type coverageBlock struct {
	Loaded  bool
	Periode string
	Program string // a programme, or SEMUA
	// Pct14 is the share of DTSEN families of deciles 1–4 reached; Gap14
	// the families of deciles 1–4 not reached (Fam14 − Pen14, at least 0).
	Pct14, GapPct14   float64
	Fam14, Pen14, Gap int64
	HasPct14          bool
	Above4            float64 // share of recipients (known decile) in deciles 5–10
	HasAbove4         bool
	Deciles           []coverDecile
	NoRows            bool // loaded, but nothing for this region and quarter
	regencyLink
	DatasetURL string
	// Chart is the coverage of deciles 1–4 by child region.
	Chart *chartView
}

// coverage builds the coverage section for region kode at level lvl in
// quarter periode, for one programme or SEMUA; with chart, also the chart
// of its child regions (the dashboard has its province chart already, as
// one of its charts).
func (s *Server) coverage(ctx context.Context, l i18n.Localizer, rel release.Release, periode, kode string, lvl int, prog string, chart bool) (*coverageBlock, error) {
	b := &coverageBlock{Loaded: rel.Counts["cakupan-desil"] > 0, Periode: periode, Program: prog,
		DatasetURL:  "/dataset/cakupan-desil?" + url.Values{"periode": {periode}, "program": {prog}, "kode_wilayah": {nationAsEmpty(kode)}}.Encode(),
		regencyLink: belowRegency(kode, lvl)}
	if !b.Loaded || b.BelowRegency {
		return b, nil
	}
	own, err := s.Data.Coverage(ctx, rel.Number, periode, prog, lvl, published.OneRegion(kode))
	if err != nil {
		return nil, err
	}
	if len(own) == 0 {
		b.NoRows = true
		return b, nil
	}
	c := &own[0]
	for d := 1; d <= 10; d++ {
		dv := c.Deciles[d]
		b.Deciles = append(b.Deciles, coverDecile{Desil: d, Keluarga: dv.Families, Penerima: dv.Recipients, Pct: dv.Pct, HasPct: dv.HasPct, Withheld: dv.Withheld})
	}
	b.Pct14, b.HasPct14 = c.Pct14()
	b.Fam14, b.Pen14 = c.Families14, c.Recipients14
	if b.HasPct14 {
		b.Gap = max(0, c.Families14-c.Recipients14)
		b.GapPct14 = 100 * float64(b.Gap) / float64(c.Families14)
	}
	if all := c.Recipients14 + c.Recipients510; c.Known() && c.Withheld510 == 0 && all > 0 {
		b.Above4, b.HasAbove4 = 100*float64(c.Recipients510)/float64(all), true
	}
	if chart && lvl < int(region.Regency) {
		if b.Chart, err = s.coverageChart(ctx, l, rel, periode, kode, lvl+1, prog); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// coverageChart is the coverage of deciles 1–4 of the regions at level lvl
// under parent (all provinces for the nation), highest first; a region
// with a withheld decile is a gap, never 0.
func (s *Server) coverageChart(ctx context.Context, l i18n.Localizer, rel release.Release, periode, parent string, lvl int, prog string) (*chartView, error) {
	sums, err := s.Data.Coverage(ctx, rel.Number, periode, prog, lvl, published.Within(parent))
	if err != nil {
		return nil, err
	}
	if len(sums) == 0 {
		return nil, nil
	}
	var pts []barPoint
	for i := range sums {
		c := &sums[i]
		pct, ok := c.Pct14()
		if !ok && c.Known() {
			continue // no DTSEN families of deciles 1–4 listed
		}
		pts = append(pts, barPoint{Label: c.Name, V: int64(pct*10 + 0.5), Withheld: !ok})
	}
	sortPoints(pts)
	id := coverChartID
	if parent != "" {
		id += "-" + strings.ReplaceAll(parent, ".", "")
	}
	place := "Indonesia"
	if parent != "" {
		place = region.Default().Name(parent)
	}
	cv, err := barChart(l, barSpec{ID: id, Title: l.T("cover.chart.title", coverWho(l, prog), place, periode),
		Unit: l.T("cover.chart.unit"), Source: l.T("chart.source", rel.Number, l.Date(rel.PublishedAt)),
		Head:     [2]string{l.T("level." + region.Level(lvl).String()), l.T("cover.col.pct14")},
		Decimals: 1, Format: func(v int64) string { return l.Percent(float64(v) / 10) },
		Height: "380px", Rotate: true}, pts)
	if err != nil {
		return nil, err
	}
	cv.Wide = true
	cv.CSV = "/dataset/cakupan-desil.csv?" + url.Values{"release": {fmt.Sprint(rel.Number)}, "periode": {periode}, "program": {prog},
		"tingkat": {region.Level(lvl).String()}}.Encode()
	return &cv, nil
}

// coverWho names who reaches the families: a programme, or "any
// programme" for SEMUA.
func coverWho(l i18n.Localizer, prog string) string {
	if prog == semua {
		return l.T("cover.program.semua")
	}
	return prog
}

// Who is coverWho for the page's programme.
func (b *coverageBlock) Who(l i18n.Localizer) string { return coverWho(l, b.Program) }

// realFigure is a realisation figure a press release cites: a row of
// realisasi pinned to the data release the post names, so the post keeps
// showing the number it talked about ("tahap 3 as of release N") whatever
// later releases say.
type realFigure struct {
	realView
	Release int
	Link    string
}

// realFigures reads the realisation figures of a post's links: each link
// to the realisasi dataset that names a periode gives the rows its dataset
// page shows for its release and filters (the dataset's own query), of
// the nation unless the link names a region or level. Only rows with a
// target (or withheld) are figures.
func (s *Server) realFigures(ctx context.Context, links []press.Link) ([]realFigure, error) {
	var out []realFigure
	for _, ln := range links {
		if ln.Kind != press.LinkDataset || ln.Target != dataset.Realisasi.Slug {
			continue
		}
		v, err := url.ParseQuery(ln.Query)
		if err != nil || v.Get("periode") == "" {
			continue
		}
		if v.Get("kode_wilayah") == "" && v.Get("tingkat") == "" {
			v.Set("kode_wilayah", dataset.EmptyValue)
		}
		q, err := dataset.ParseQuery(dataset.Realisasi, v, false)
		if err != nil {
			continue // the editor's check refuses such links; an old one shows no figure
		}
		q.Release = ln.Release
		rs, err := s.Data.RealisationQuery(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("realisation figure: %w", err)
		}
		for _, r := range realViews(rs) {
			if r.HasTarget || r.Withheld {
				out = append(out, realFigure{realView: r, Release: ln.Release, Link: ln.URL()})
			}
		}
	}
	return out, nil
}

// figureText is a figure in words, for feeds: "PKH tahap 2025-Q3,
// Indonesia: tersalur X dari kuota Y KPM (Z%) — rilis data N".
func figureText(l i18n.Localizer, f realFigure) string {
	head := f.Program + " tahap " + f.Periode + ", " + f.Name + ": "
	tail := " — " + l.T("press.release_n", f.Release)
	if f.Withheld {
		return head + l.T("real.withheld") + tail
	}
	if f.SalurWithheld {
		return head + "— " + l.T("real.kpm_withheld", l.Int(f.Kuota)) + tail
	}
	s := head + l.T("real.kpm_line", l.Int(f.Salur), l.Int(f.Kuota))
	if f.HasPctKPM {
		s += " (" + l.Percent(f.PctKPM) + ")"
	}
	return s + tail
}
