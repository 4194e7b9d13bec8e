// Package pages is the site for readers: the dashboard (home), region and
// programme pages with their embeds, single charts, the province tile map,
// the methodology and the processing status. Numbers come from the read
// model (internal/published); charts are built with go-echarts.
package pages

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/portal-data-bansos/portal/internal/apperr"
	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/portal/charts"
	"github.com/portal-data-bansos/portal/portal/news"
	"github.com/portal-data-bansos/portal/portal/web"
)

type homePage struct {
	*web.Page
	Charts     []charts.View
	Head       *headline
	Programs   []string
	Program    string
	Sel        mapSelection
	Components []string
	// Real and Cover lead the dashboard: realisation against target and
	// coverage of the poorest deciles in the headline quarter.
	Real  *realisationBlock
	Cover *coverageBlock
	News  []*news.PostView
	// Provinces feed the "jump to a province" form: the keyboard's and
	// the screen reader's way past the map.
	Provinces []region.Region
}

// Handler serves the readers' pages.
type Handler struct {
	*web.Site
	news     *news.Handler
	readOnly bool
}

// New is the pages surface; the home page shows the latest posts of news.
// readOnly says the site is a replica (the status page says so).
func New(site *web.Site, n *news.Handler, readOnly bool) *Handler {
	return &Handler{Site: site, news: n, readOnly: readOnly}
}

// Routes registers the readers' pages. The dashboard, region and
// programme pages are served through the site's page cache.
func (s *Handler) Routes(e gin.IRoutes) {
	e.GET("/", s.CachedPage(s.Home))
	e.GET("/status", s.Status)
	e.GET("/cari", s.Search(false))
	e.GET("/cari.json", s.Search(true))
	e.GET("/wilayah", s.Regions)
	e.GET("/metodologi", s.Methodology)
	e.GET("/grafik/:id", s.Chart(false))
	e.GET("/embed/grafik/:id", s.Chart(true))
	e.GET("/peta/ubin/:hash", s.TileMap)
	e.GET("/wilayah/:kode", s.CachedPage(s.Region))
	e.GET("/program/:kode", s.CachedPage(s.Program))
	e.GET("/embed/wilayah/:kode", s.EmbedOf(s.Region))
	e.GET("/embed/program/:kode", s.EmbedOf(s.Program))
}

// Home is the dashboard: the release in force, or an empty state.
func (s *Handler) Home(c *gin.Context) {
	p := s.NewPage(c, "home")
	if err := s.WithRelease(c, p); err != nil {
		_ = c.Error(err)
		return
	}
	hp := homePage{Page: p, Programs: bansos.ProgramCodes, Program: "SEMBAKO", Components: bansos.ComponentCodes, Provinces: region.Default().Provinces()}
	news, err := s.news.LatestPosts(c, 3)
	if err != nil {
		_ = c.Error(err)
		return
	}
	hp.News = news
	if p.Release != nil {
		ctx := c.Request.Context()
		// Filters, in the URL so a view can be shared: the quarter of the
		// headline and the map, and the map's programme, component and
		// measure.
		sel, err := parseMapSelection(c, *p.Release)
		if err != nil {
			_ = c.Error(err)
			return
		}
		hp.Program, hp.Sel = sel.Program, sel
		q := sel.Quarter
		if hp.Head, err = s.headlineOf(ctx, *p.Release, q); err != nil {
			_ = c.Error(err)
			return
		}
		if hp.Charts, err = s.homeCharts(ctx, p.L, *p.Release, hp.Head, sel, s.BaseOf(c)); err != nil {
			_ = c.Error(err)
			return
		}
		if hp.Head != nil {
			pin := sel
			pin.Quarter = hp.Head.Quarter
			q, _ := url.ParseQuery(strings.TrimPrefix(pin.query(), "&"))
			p.Cite = s.Cite(c, p.L, p.L.T("cite.title.home", hp.Head.Quarter), *p.Release, "/", q)
			if hp.Real, err = s.realisation(ctx, p.L, *p.Release, hp.Head.Quarter, "", 0, nil); err != nil {
				_ = c.Error(err)
				return
			}
			if hp.Cover, err = s.coverage(ctx, p.L, *p.Release, hp.Head.Quarter, "", 0, semua, false); err != nil {
				_ = c.Error(err)
				return
			}
			// The coverage chart is one of the dashboard's charts (its
			// stable link and embed), shown in the coverage section.
			if i := slices.IndexFunc(hp.Charts, func(cv charts.View) bool { return cv.ID == coverChartID }); i >= 0 {
				cv := hp.Charts[i]
				hp.Cover.Chart = &cv
				hp.Charts = slices.Delete(hp.Charts, i, i+1)
			}
		}
	}
	s.Render(c, http.StatusOK, "home", hp)
}

// parseMapSelection reads the dashboard's filters: periode, program,
// komponen (PKH only) and ukuran (penerima, nominal, or cakupan: the
// coverage of DTSEN deciles 1–4 by any programme).
func parseMapSelection(c *gin.Context, rel release.Release) (mapSelection, error) {
	sel := mapSelection{Quarter: c.Query("periode"), Program: strings.ToUpper(c.Query("program")),
		Component: strings.ToUpper(c.Query("komponen")), Measure: strings.ToLower(c.Query("ukuran"))}
	if sel.Program == "" {
		sel.Program = "SEMBAKO"
	}
	if sel.Measure == "" {
		sel.Measure = "penerima"
	}
	bad := func(field, key string, args ...any) (mapSelection, error) {
		return sel, apperr.BadValue(field, key, args...)
	}
	switch {
	case sel.Quarter != "" && !slices.Contains(rel.Periods, sel.Quarter):
		return bad("periode", "error.map.quarter", sel.Quarter, strings.Join(rel.Periods, ", "))
	case !slices.Contains(bansos.ProgramCodes, sel.Program):
		return bad("program", "error.map.program", sel.Program, strings.Join(bansos.ProgramCodes, ", "))
	case sel.Component != "" && (sel.Program != "PKH" || !slices.Contains(bansos.ComponentCodes, sel.Component)):
		return bad("komponen", "error.map.component", strings.Join(bansos.ComponentCodes, ", "))
	case sel.Measure != "penerima" && sel.Measure != "nominal" && sel.Measure != "cakupan":
		return bad("ukuran", "error.map.measure")
	}
	return sel, nil
}
