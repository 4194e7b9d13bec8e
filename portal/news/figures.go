package news

import (
	"context"
	"fmt"
	"net/url"

	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/portal/web"
)

// realFigure is a realisation figure a press release cites: a row of
// realisasi pinned to the data release the post names, so the post keeps
// showing the number it talked about ("tahap 3 as of release N") whatever
// later releases say.
type realFigure struct {
	web.RealView
	Release int
	Link    string
}

// realFigures reads the realisation figures of a post's links: each link
// to the realisasi dataset that names a periode gives the rows its dataset
// page shows for its release and filters (the dataset's own query), of
// the nation unless the link names a region or level. Only rows with a
// target (or withheld) are figures.
func (s *Handler) realFigures(ctx context.Context, links []press.Link) ([]realFigure, error) {
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
		for _, r := range web.RealViews(rs) {
			if r.HasTarget || r.Withheld {
				out = append(out, realFigure{RealView: r, Release: ln.Release, Link: ln.URL()})
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

// FigureLine is a realisation figure in words (as the feeds give it),
// with its page pinned to the release: how the information desk's
// answers (portal/tanya, portal/admin) show the figures they cite.
type FigureLine struct {
	Text    string
	Link    string
	Release int
}

// FigureLines reads the realisation figures links cite, each pinned to
// its release, in words for a reader of l.
func (s *Handler) FigureLines(ctx context.Context, l i18n.Localizer, links []press.Link) ([]FigureLine, error) {
	figs, err := s.realFigures(ctx, links)
	if err != nil {
		return nil, err
	}
	out := make([]FigureLine, len(figs))
	for i, f := range figs {
		out[i] = FigureLine{Text: figureText(l, f), Link: f.Link, Release: f.Release}
	}
	return out, nil
}
