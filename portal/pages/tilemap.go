package pages

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/published"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/release"
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
