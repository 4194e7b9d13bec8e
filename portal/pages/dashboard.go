package pages

import (
	"context"
	"net/url"
	"strconv"

	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/portal/charts"
	"github.com/portal-data-bansos/portal/portal/web"
)

// nationalSeries is the national programme totals of a release by
// quarter and programme: penerima and nominal_salur; nil where withheld.
func (s *Handler) nationalSeries(ctx context.Context, rel int) (map[string]map[string][2]*int64, error) {
	series, err := s.Data.NationalSeries(ctx, rel)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string][2]*int64{}
	for _, p := range series {
		if out[p.Period] == nil {
			out[p.Period] = map[string][2]*int64{}
		}
		out[p.Period][p.Program] = [2]*int64{p.Families, p.Rupiah}
	}
	return out, nil
}

// homeCharts builds every chart of the dashboard for a release, the
// headline's quarter and the map's programme, each with its stable page,
// embed and CSV of exactly what it plots.
// base is the site's public address, for the charts' absolute URLs.
func (s *Handler) homeCharts(ctx context.Context, l i18n.Localizer, rel release.Release, h *headline, sel mapSelection, base string) ([]charts.View, error) {
	all, err := s.quarterCharts(ctx, l, rel)
	if err != nil {
		return nil, err
	}
	if h != nil {
		extra, err := s.extraCharts(ctx, l, rel, h)
		if err != nil {
			return nil, err
		}
		all = append(all, extra...)
	}
	if h != nil {
		cover, err := s.coverageChart(ctx, l, rel, h.Quarter, "", 1, semua)
		if err != nil {
			return nil, err
		}
		if cover != nil {
			all = append(all, *cover)
		}
	}
	m, rank, err := s.provinceMap(ctx, l, rel, sel)
	if err != nil {
		return nil, err
	}
	if m != nil {
		all = append(all, *m, *rank)
	}
	// Every link pinned to the release and the quarter in view.
	pin := sel
	if pin.Quarter == "" && h != nil {
		pin.Quarter = h.Quarter
	}
	for i := range all {
		cv := &all[i]
		q := "?release=" + strconv.Itoa(rel.Number) + pin.query()
		cv.CSV = "/grafik/" + cv.ID + ".csv" + q
		cv.Link = "/grafik/" + cv.ID + q
		cv.Embed = "/embed/grafik/" + cv.ID + q
		cv.URL = base + cv.Link
	}
	return all, nil
}

// chartByID builds one chart of the dashboard by its stable id, for the
// quarter and programme of the request.
func (s *Handler) chartByID(ctx context.Context, l i18n.Localizer, rel release.Release, id string, sel mapSelection, base string) (*charts.View, error) {
	h, err := s.headlineOf(ctx, rel, sel.Quarter)
	if err != nil {
		return nil, err
	}
	all, err := s.homeCharts(ctx, l, rel, h, sel, base)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].ID == id {
			return &all[i], nil
		}
	}
	return nil, web.ErrNotFound
}

// query is the selection's non-default URL parameters.
func (sel mapSelection) query() string {
	v := url.Values{}
	if sel.Quarter != "" {
		v.Set("periode", sel.Quarter)
	}
	if sel.Program != "SEMBAKO" {
		v.Set("program", sel.Program)
	}
	if sel.Component != "" {
		v.Set("komponen", sel.Component)
	}
	if sel.Measure != "penerima" {
		v.Set("ukuran", sel.Measure)
	}
	if len(v) == 0 {
		return ""
	}
	return "&" + v.Encode()
}
