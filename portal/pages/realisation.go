package pages

import (
	"context"
	"net/url"
	"slices"

	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/published"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/portal/charts"
	"github.com/portal-data-bansos/portal/portal/web"
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

// realisationBlock is the realisation section of a page.
type realisationBlock struct {
	// Loaded: a target list is in force for this release.
	Loaded  bool
	Periode string
	// Rows are the region's programmes with a target in the quarter
	// (withheld ones included); Missing says there is none.
	Rows    []web.RealView
	Missing bool
	// Lagging are the child regions furthest behind their target.
	Lagging      []web.RealView
	LaggingLevel string
	// Chart is one programme's realisation by child region, with the
	// 100 % line (programme pages, and region pages filtered to one
	// programme).
	Chart *charts.View
	regencyLink
	// Tahap is one programme's national realisation per quarter (the
	// programme page).
	Tahap      []web.RealView
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

// realisation builds the realisation section for region kode (dotted; ""
// for the nation) at level lvl (0 for the nation) in quarter periode, for
// the programmes given (all when empty).
func (s *Handler) realisation(ctx context.Context, l i18n.Localizer, rel release.Release, periode, kode string, lvl int, progs []string) (*realisationBlock, error) {
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
	for _, r := range web.RealViews(own) {
		if r.HasTarget || r.Withheld {
			b.Rows = append(b.Rows, r)
		}
	}
	slices.SortFunc(b.Rows, func(a, c web.RealView) int {
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
		b.Lagging = web.RealViews(lag)
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
func (s *Handler) realisationSeries(ctx context.Context, rel release.Release, prog string) ([]web.RealView, error) {
	if rel.Counts["realisasi"] == 0 {
		return nil, nil
	}
	xs, err := s.Data.RealisationSeries(ctx, rel.Number, prog)
	out := web.RealViews(xs)
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
	Chart *charts.View
}

// coverage builds the coverage section for region kode at level lvl in
// quarter periode, for one programme or SEMUA; with chart, also the chart
// of its child regions (the dashboard has its province chart already, as
// one of its charts).
func (s *Handler) coverage(ctx context.Context, l i18n.Localizer, rel release.Release, periode, kode string, lvl int, prog string, chart bool) (*coverageBlock, error) {
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
