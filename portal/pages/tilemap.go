package pages

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"sync"

	"github.com/gin-gonic/gin"
	echarts "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/published"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/portal/charts"
	"github.com/portal-data-bansos/portal/portal/web"
)

// The province map is a tile grid: one equal square per province, laid
// out roughly where the province lies, west to east and north to south.
// Boundary files in the packages available here predate the 2022 Papua
// provinces; a tile grid shows all 38 honestly, none missing or merged,
// and gives small provinces the same weight as large ones. The layout is
// this project's own (public domain); nothing is taken from elsewhere.
var provinceTiles = map[string][2]int{ // code → column, row
	"11": {0, 0},
	"12": {1, 1}, "21": {3, 1}, "65": {8, 1}, "71": {12, 1}, "82": {14, 1},
	"13": {1, 2}, "14": {2, 2}, "61": {6, 2}, "64": {8, 2}, "75": {11, 2}, "96": {15, 2},
	"15": {2, 3}, "19": {4, 3}, "62": {7, 3}, "63": {8, 3}, "76": {9, 3}, "72": {10, 3}, "81": {13, 3}, "92": {16, 3}, "91": {18, 3},
	"17": {2, 4}, "16": {3, 4}, "73": {10, 4}, "74": {11, 4}, "94": {17, 4}, "95": {18, 4},
	"18": {3, 5}, "36": {4, 5}, "31": {5, 5}, "32": {6, 5}, "33": {7, 5}, "35": {8, 5}, "51": {9, 5}, "52": {10, 5}, "53": {11, 5}, "93": {18, 5},
	"34": {7, 6},
}

// provinceAbbr are the common Indonesian short names, printed on the
// tiles (a full name does not fit a tile; the tooltip gives it).
var provinceAbbr = map[string]string{
	"11": "ACEH", "12": "SUMUT", "13": "SUMBAR", "14": "RIAU", "15": "JAMBI", "16": "SUMSEL", "17": "BKL", "18": "LPG",
	"19": "BABEL", "21": "KEPRI", "31": "DKI", "32": "JABAR", "33": "JATENG", "34": "DIY", "35": "JATIM", "36": "BANTEN",
	"51": "BALI", "52": "NTB", "53": "NTT", "61": "KALBAR", "62": "KALTENG", "63": "KALSEL", "64": "KALTIM", "65": "KALTARA",
	"71": "SULUT", "72": "SULTENG", "73": "SULSEL", "74": "SULTRA", "75": "GTLO", "76": "SULBAR", "81": "MALUKU", "82": "MALUT",
	"91": "PAPUA", "92": "PABAR", "93": "PAPSEL", "94": "PAPTENG", "95": "PAPEG", "96": "PBD",
}

// tileGeoJSON is the tile grid as GeoJSON, for echarts.registerMap; built
// once, with its hash for a cacheable URL.
var tileGeoJSON = sync.OnceValues(func() ([]byte, string) {
	type feature struct {
		Type       string            `json:"type"`
		Properties map[string]string `json:"properties"`
		Geometry   struct {
			Type        string         `json:"type"`
			Coordinates [][][2]float64 `json:"coordinates"`
		} `json:"geometry"`
	}
	var fs []feature
	for _, p := range region.Default().Provinces() {
		xy := provinceTiles[p.Code]
		x, y := float64(xy[0]), -float64(xy[1])
		f := feature{Type: "Feature", Properties: map[string]string{"name": provinceAbbr[p.Code], "nama": p.Name, "kode": p.Code}}
		f.Geometry.Type = "Polygon"
		const g = 0.06 // gap between tiles
		f.Geometry.Coordinates = [][][2]float64{{{x + g, y - g}, {x + 1 - g, y - g}, {x + 1 - g, y - 1 + g}, {x + g, y - 1 + g}, {x + g, y - g}}}
		fs = append(fs, f)
	}
	b, _ := json.Marshal(map[string]any{"type": "FeatureCollection", "features": fs})
	sum := sha256.Sum256(b)
	return b, hex.EncodeToString(sum[:])[:10]
})

// TileMap serves the tile grid's GeoJSON at a checksummed URL.
func (s *Handler) TileMap(c *gin.Context) {
	b, h := tileGeoJSON()
	if c.Param("hash") != h+".geojson" {
		_ = c.Error(web.ErrNotFound)
		return
	}
	c.Header("Cache-Control", "public, max-age=31536000, immutable")
	c.Data(http.StatusOK, "application/geo+json", b)
}

func tileMapURL() string { _, h := tileGeoJSON(); return "/peta/ubin/" + h + ".geojson" }

var population = sync.OnceValues(func() (map[string]int64, error) {
	ps, err := region.Population(region.Default())
	if err != nil {
		return nil, err
	}
	m := map[string]int64{}
	for _, p := range ps {
		m[p.Code] = p.Population
	}
	return m, nil
})

// mapSelection is what the province map shows: a quarter (latest when
// empty), a programme (and PKH component) and a measure — families per
// 1,000 residents ("penerima") or rupiah per resident ("nominal").
type mapSelection struct {
	Quarter, Program, Component, Measure string
}

// provinceMap is the choropleth of families reached per 1,000 residents
// by province in the latest quarter for one programme (SEMBAKO, the
// widest), from penyaluran; withheld provinces are grey, never zero.
// It also returns the ranking chart of the five highest and five lowest
// provinces per capita.
func (s *Handler) provinceMap(ctx context.Context, l i18n.Localizer, rel release.Release, sel mapSelection) (*charts.View, *charts.View, error) {
	if len(rel.Periods) == 0 {
		return nil, nil, nil
	}
	pop, err := population()
	if err != nil {
		return nil, nil, err
	}
	q := sel.Quarter
	if q == "" {
		q = rel.Periods[len(rel.Periods)-1]
	}
	program := sel.Program
	if sel.Component != "" {
		program += " " + sel.Component
	}
	values, err := s.mapValues(ctx, rel, q, sel, pop)
	if err != nil {
		return nil, nil, err
	}
	if values == nil {
		return nil, nil, nil
	}
	id := "peta-provinsi"
	titleKey, unitKey, perKey, col := "map.title", "map.unit", "map.per1000", "penerima"
	switch sel.Measure {
	case "nominal":
		titleKey, unitKey, perKey, col = "map.title.nominal", "map.unit.nominal", "map.per_person", "nominal_salur"
	case "cakupan":
		titleKey, unitKey, perKey, col = "map.title.cakupan", "map.unit.cakupan", "map.cakupan", "cakupan"
	}
	title := l.T(titleKey, program, q)
	source := l.T("chart.source", rel.Number, l.Date(rel.PublishedAt)) + " " + l.T("map.population")
	if sel.Measure == "cakupan" {
		title, source = l.T(titleKey, q), l.T("chart.source", rel.Number, l.Date(rel.PublishedAt))
	}
	cv := &charts.View{L: l, ID: id, Title: title, Unit: l.T(unitKey), Source: source,
		Head:    []string{l.T("map.province"), l.T("map.measure." + col), l.T(perKey)},
		Numeric: []bool{false, true, true}, GeoURL: tileMapURL(), Wide: true,
	}
	var data []opts.MapData
	type ranked struct {
		name string
		v    float64
	}
	var pub []ranked
	maxV, minV := 0.0, -1.0
	withheld := false
	for _, p := range region.Default().Provinces() {
		pv, ok := values[p.Code]
		row, raw := []string{p.Name}, []string{p.Name}
		switch {
		case !ok:
			data = append(data, opts.MapData{Name: provinceAbbr[p.Code], Value: 0})
			row, raw = append(row, "0", "0"), append(raw, "0", "0")
		case !pv.known:
			withheld = true
			data = append(data, opts.MapData{Name: provinceAbbr[p.Code], Value: "-"})
			row, raw = append(row, "—", "—"), append(raw, "", "")
		default:
			v := pv.v
			pub = append(pub, ranked{p.Name, v})
			maxV = max(maxV, v)
			if minV < 0 || v < minV {
				minV = v
			}
			data = append(data, opts.MapData{Name: provinceAbbr[p.Code], Value: math.Round(v*10000) / 10000})
			row = append(row, l.Int(pv.count), i18n.FormatDecimal(l.Lang, v, pv.decimals))
			raw = append(raw, strconv.FormatInt(pv.count, 10), strconv.FormatFloat(v, 'f', pv.decimals, 64))
		}
		cv.Rows = append(cv.Rows, row)
		cv.Raw = append(cv.Raw, raw)
	}
	if withheld {
		cv.Note = l.T("chart.withheld")
	}
	m := echarts.NewMap()
	m.RegisterMapType("indonesia-ubin")
	m.SetGlobalOptions(
		echarts.WithInitializationOpts(charts.Init(id, "420px")),
		echarts.WithVisualMapOpts(opts.VisualMap{Calculable: opts.Bool(true), Min: float32(max(minV, 0)), Max: float32(maxV),
			Orient: "horizontal", Left: "center", Bottom: "0",
			InRange: &opts.VisualMapInRange{Color: []string{"#e7eef5", "#6b9bc9", "#0b4f8a"}}}),
	)
	m.AddSeries(l.T(perKey), data)
	if err := setOption(cv, m); err != nil {
		return nil, nil, err
	}
	// The five highest and five lowest published provinces, per capita.
	sort.Slice(pub, func(i, j int) bool { return pub[i].v > pub[j].v })
	pick := pub
	if len(pub) > 10 {
		pick = append(append([]ranked{}, pub[:5]...), pub[len(pub)-5:]...)
	}
	rk := &charts.View{L: l, ID: "provinsi-per-kapita", Title: l.T("map.rank.title", cv.Title), Unit: l.T(unitKey),
		Source: cv.Source, Head: []string{l.T("map.province"), l.T(perKey)}, Numeric: []bool{false, true},
		Note: l.T("map.rank.note"), CSV: cv.CSV}
	bar := echarts.NewBar()
	bar.SetGlobalOptions(echarts.WithInitializationOpts(charts.Init(rk.ID, "360px")),
		echarts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		echarts.WithGridOpts(opts.Grid{Left: "30%", Right: "6%", Top: "4%", Bottom: "8%"}),
		echarts.WithXAxisOpts(opts.XAxis{Type: "value"}),
		echarts.WithYAxisOpts(opts.YAxis{Type: "category"}))
	// Horizontal bars, highest at the top: ECharts draws a category axis
	// from the bottom, so the names go in ascending order.
	var names []string
	var vals []opts.BarData
	for i := len(pick) - 1; i >= 0; i-- {
		names = append(names, pick[i].name)
		vals = append(vals, opts.BarData{Value: math.Round(pick[i].v*10000) / 10000})
	}
	for _, r := range pick {
		rk.Rows = append(rk.Rows, []string{r.name, i18n.FormatDecimal(l.Lang, r.v, 2)})
		rk.Raw = append(rk.Raw, []string{r.name, strconv.FormatFloat(r.v, 'f', 2, 64)})
	}
	bar.SetXAxis(names)
	bar.AddSeries(l.T(perKey), vals)
	bar.XYReversal()
	if err := setOption(rk, bar); err != nil {
		return nil, nil, err
	}
	return cv, rk, nil
}

// provValue is one province's value on the map: the count shown beside it
// and the mapped value (per capita, or a percentage).
type provValue struct {
	count    int64
	v        float64
	known    bool // false: withheld
	decimals int
}

// mapValues reads the map's values by province: families per 1,000
// residents or rupiah per resident of a programme from penyaluran, or the
// coverage of DTSEN deciles 1–4 by any programme from cakupan-desil (nil
// when no DTSEN list is loaded). A province absent from the map is zero.
func (s *Handler) mapValues(ctx context.Context, rel release.Release, q string, sel mapSelection, pop map[string]int64) (map[string]provValue, error) {
	out := map[string]provValue{}
	if sel.Measure == "cakupan" {
		if rel.Counts["cakupan-desil"] == 0 {
			return nil, nil
		}
		sums, err := s.Data.Coverage(ctx, rel.Number, q, semua, 1, published.Within(""))
		if err != nil {
			return nil, err
		}
		for _, c := range sums {
			pct, ok := c.Pct14()
			if !ok && c.Known() {
				continue
			}
			out[c.Code] = provValue{count: c.Recipients14, v: pct, known: ok, decimals: 1}
		}
		return out, nil
	}
	m, scale := mPen, 1000.0
	if sel.Measure == "nominal" {
		m, scale = mNom, 1
	}
	if sel.Program == "" {
		return out, nil // no programme: no cell (a filter without one would read them all)
	}
	cells, err := s.Data.PenyaluranCells(ctx, rel.Number, published.CellFilter{Period: q, Level: 1, Area: published.Within(""),
		Program: sel.Program, Component: sel.Component})
	if err != nil {
		return nil, fmt.Errorf("province map: %w", err)
	}
	for k, a := range cells {
		n := a.V(m)
		out[k.Code] = provValue{count: n, v: scale * float64(n) / float64(pop[k.Code]), known: !a.Of(m).AllWithheld(), decimals: 2}
	}
	return out, nil
}
