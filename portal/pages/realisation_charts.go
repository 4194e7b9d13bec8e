package pages

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/published"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/portal/charts"
)

// The coverage chart of the realisation sections.

// coverageChart is the coverage of deciles 1–4 of the regions at level lvl
// under parent (all provinces for the nation), highest first; a region
// with a withheld decile is a gap, never 0.
func (s *Handler) coverageChart(ctx context.Context, l i18n.Localizer, rel release.Release, periode, parent string, lvl int, prog string) (*charts.View, error) {
	sums, err := s.Data.Coverage(ctx, rel.Number, periode, prog, lvl, published.Within(parent))
	if err != nil {
		return nil, err
	}
	if len(sums) == 0 {
		return nil, nil
	}
	var pts []charts.Point
	for i := range sums {
		c := &sums[i]
		pct, ok := c.Pct14()
		if !ok && c.Known() {
			continue // no DTSEN families of deciles 1–4 listed
		}
		pts = append(pts, charts.Point{Code: c.Code, Label: c.Name, V: int64(pct*10 + 0.5), Withheld: !ok})
	}
	charts.SortPoints(pts)
	id := coverChartID
	if parent != "" {
		id += "-" + strings.ReplaceAll(parent, ".", "")
	}
	place := "Indonesia"
	if parent != "" {
		place = region.Default().Name(parent)
	}
	cv, err := charts.Bar(l, charts.BarSpec{ID: id, Title: l.T("cover.chart.title", coverWho(l, prog), place, periode),
		Unit: l.T("cover.chart.unit"), Source: l.T("chart.source", rel.Number, l.Date(rel.PublishedAt)),
		Head:     [2]string{l.T("level." + region.Level(lvl).String()), l.T("cover.col.pct14")},
		Decimals: 1, Format: func(v int64) string { return l.Percent(float64(v) / 10) },
		Height: "380px", Rotate: true,
		Series: "cakupan_desil_1_4", UnitCode: charts.UnitPercent,
		Name:     charts.Slug("cakupan-desil-1-4", coverSlug(prog), "per", region.Level(lvl).String(), place, periode),
		Subtitle: subtitle(l.T("cover.chart.unit"), place, periode)}, pts)
	if err != nil {
		return nil, err
	}
	stamp(&cv, rel)
	linkRegions(&cv)
	cv.Wide = true
	cv.CSV = "/dataset/cakupan-desil.csv?" + url.Values{"release": {fmt.Sprint(rel.Number)}, "periode": {periode}, "program": {prog},
		"tingkat": {region.Level(lvl).String()}}.Encode()
	return &cv, nil
}

// coverSlug is a coverage chart's programme in a download name.
func coverSlug(prog string) string {
	if prog == semua {
		return "semua-program"
	}
	return prog
}

// realisationChart is realisation against target (persen_kpm) of one
// programme for the regions at level lvl under parent, highest first,
// with the 100 % line: which provinces (or regencies) are behind. A
// withheld region is a stub, never 0; a region without a target is left
// out.
func (s *Handler) realisationChart(ctx context.Context, l i18n.Localizer, rel release.Release, periode, parent string, lvl int, prog string) (*charts.View, error) {
	rows, err := s.Data.Realisations(ctx, rel.Number, periode, lvl, published.Within(parent), []string{prog})
	if err != nil {
		return nil, err
	}
	var pts []charts.Point
	for _, r := range rows {
		switch {
		case r.Withheld:
			pts = append(pts, charts.Point{Code: r.Code, Label: r.Name, Withheld: true})
		case r.PctTarget != nil:
			pts = append(pts, charts.Point{Code: r.Code, Label: r.Name, V: int64(*r.PctTarget*10 + 0.5)})
		}
	}
	if len(pts) == 0 {
		return nil, nil
	}
	charts.SortPoints(pts)
	place := "Indonesia"
	if parent != "" {
		place = region.Default().Name(parent)
	}
	id := "realisasi-" + strings.ToLower(prog)
	if parent != "" {
		id += "-" + strings.ReplaceAll(parent, ".", "")
	}
	level := region.Level(lvl).String()
	cv, err := charts.Bar(l, charts.BarSpec{ID: id, Title: l.T("real.chart.title", l.T("program.short."+prog), place, periode),
		Unit: l.T("real.chart.unit"), Source: l.T("chart.source", rel.Number, l.Date(rel.PublishedAt)),
		Head:     [2]string{l.T("level." + level), l.T("real.col.pct")},
		Decimals: 1, Format: func(v int64) string { return l.Percent(float64(v) / 10) },
		Height: "380px", Rotate: true, Line: 100, LineLabel: "100 %", Color: charts.ProgramColor(prog),
		Series: "persen_kpm", UnitCode: charts.UnitPercent,
		Name:     charts.Slug("realisasi", prog, "per", level, place, periode),
		Subtitle: subtitle(l.T("real.chart.unit"), place, periode)}, pts)
	if err != nil {
		return nil, err
	}
	stamp(&cv, rel)
	linkRegions(&cv)
	cv.Wide = true
	cv.CSV = "/dataset/realisasi.csv?" + url.Values{"release": {fmt.Sprint(rel.Number)}, "periode": {periode}, "program": {prog},
		"tingkat": {level}, "dalam": {nationAsDash(parent)}}.Encode()
	return &cv, nil
}

// nationAsDash is a parent code for dalam=: "-" (every region) for the
// nation.
func nationAsDash(code string) string {
	if code == "" {
		return "-"
	}
	return code
}
