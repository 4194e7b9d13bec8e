package charts

import (
	"math"

	echarts "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Withheld is not zero: how a chart draws a value it may not show.
//
// A withheld bar is a gap in its series ("-", so no axis, sum or
// screen reader takes it for a number) with a stub over it: a short
// hatched, outlined mark at the baseline (or atop its stack) labelled
// "—", a markPoint flagged "ditekan". A true zero stays an empty bar. A
// withheld province of the tile map is white and hatched with a dashed
// outline, labelled "—", and the map's legend has a swatch for it. A
// partial sum is paler and flagged "sebagian", which static/js/charts.js
// shows as "≥" in its tooltips.

// Item is one bar of a series: a value, a gap where withheld (Gap), or a
// paler lower bound where partial (PartialOf). go-echarts' BarData cannot
// say "partial", so series of Items are added with AddBars.
type Item struct {
	Value     any             `json:"value"`
	ItemStyle *opts.ItemStyle `json:"itemStyle,omitempty"`
	Partial   bool            `json:"sebagian,omitempty"`
}

// Gap is a withheld bar.
func Gap() Item { return Item{Value: "-"} }

// ValueOf is a bar of value v.
func ValueOf(v any) Item { return Item{Value: v} }

// PartialOf is a bar of a partial sum v: paler, a lower bound.
func PartialOf(v any) Item {
	return Item{Value: v, ItemStyle: &opts.ItemStyle{Opacity: opts.Float(0.45)}, Partial: true}
}

func (it Item) withheld() bool { s, ok := it.Value.(string); return ok && s == "-" }

// AddBars adds a bar series of items to bar.
func AddBars(bar *echarts.Bar, name string, items []Item, options ...echarts.SeriesOpts) {
	bar.AddSeries(name, nil, options...)
	bar.MultiSeries[len(bar.MultiSeries)-1].Data = items
}

// The look of a withheld value, here and in static/js/charts.js.
const (
	withheldFill   = "#ffffff"
	withheldStroke = "#5f6b7a"
	withheldText   = "#3d4652"
	// stubPath is a box with diagonal hatching, stretched to the stub's
	// size (ECharts "path://" symbol).
	stubPath = "path://M0,0H10V14H0Z M0,4L4,0 M0,9L9,0 M0,14L10,4 M5,14L10,9"
	// stubAcross and stubAlong are a stub's size in pixels across the
	// bar and along the value axis; charts.js narrows it to the bar.
	stubAcross, stubAlong = 10, 14
)

type stubStyle struct {
	Color       string  `json:"color"`
	BorderColor string  `json:"borderColor"`
	BorderWidth float64 `json:"borderWidth"`
}

type stubLabel struct {
	Show      bool   `json:"show"`
	Position  string `json:"position"`
	Formatter string `json:"formatter"`
	Color     string `json:"color"`
	FontSize  int    `json:"fontSize"`
}

// stub is the markPoint over a withheld bar.
type stub struct {
	Name         string    `json:"name,omitempty"`
	Coord        [2]any    `json:"coord"`
	Symbol       string    `json:"symbol"`
	SymbolSize   [2]int    `json:"symbolSize"`
	SymbolOffset [2]int    `json:"symbolOffset"`
	ItemStyle    stubStyle `json:"itemStyle"`
	Label        stubLabel `json:"label"`
	Withheld     bool      `json:"ditekan"`
}

// newStub is the stub of the withheld bar at category index i, standing
// at value base (0, or the top of its stack) above `above` other stubs.
func newStub(name string, i int, base float64, above int, horizontal bool) stub {
	s := stub{Name: name, Symbol: stubPath, Withheld: true,
		ItemStyle: stubStyle{Color: withheldFill, BorderColor: withheldStroke, BorderWidth: 1},
		Label:     stubLabel{Show: true, Position: "top", Formatter: "—", Color: withheldText, FontSize: 12}}
	shift := stubAlong/2 + above*(stubAlong+2)
	if horizontal {
		s.Coord = [2]any{base, i}
		s.SymbolSize = [2]int{stubAlong, stubAcross}
		s.SymbolOffset = [2]int{shift, 0}
		s.Label.Position = "right"
	} else {
		s.Coord = [2]any{i, base}
		s.SymbolSize = [2]int{stubAcross, stubAlong}
		s.SymbolOffset = [2]int{0, -shift}
	}
	return s
}

// markWithheld gives every Gap of bar's Item series its stub: at the
// baseline, or in a stacked series atop the stack of published values
// (several withheld values of one stack one above the other).
func markWithheld(bar *echarts.Bar) {
	horizontal := len(bar.XAxisList) > 0 && bar.XAxisList[0].Type == "value"
	var names []string
	if horizontal {
		if len(bar.YAxisList) > 0 {
			names, _ = bar.YAxisList[0].Data.([]string)
		}
	} else if len(bar.XAxisList) > 0 {
		names, _ = bar.XAxisList[0].Data.([]string)
	}
	type key struct {
		stack string
		i     int
	}
	top, count := map[key]float64{}, map[key]int{}
	for _, s := range bar.MultiSeries {
		items, _ := s.Data.([]Item)
		if s.Stack == "" {
			continue
		}
		for i, it := range items {
			if f, ok := number(it.Value); ok && f > 0 {
				top[key{s.Stack, i}] += f
			}
		}
	}
	for k := range bar.MultiSeries {
		s := &bar.MultiSeries[k]
		items, _ := s.Data.([]Item)
		var marks []any
		for i, it := range items {
			if !it.withheld() {
				continue
			}
			base, above := 0.0, 0
			if s.Stack != "" {
				at := key{s.Stack, i}
				base, above = top[at], count[at]
				count[at]++
			}
			name := ""
			if i < len(names) {
				name = names[i]
			}
			marks = append(marks, newStub(name, i, base, above, horizontal))
		}
		if len(marks) > 0 {
			if s.MarkPoints == nil {
				s.MarkPoints = &opts.MarkPoints{}
			}
			s.MarkPoints.Data = append(s.MarkPoints.Data, marks...)
		}
	}
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// decal is the hatching of a withheld area (ECharts decal).
type decal struct {
	Symbol     string  `json:"symbol"`
	SymbolSize float64 `json:"symbolSize"`
	DashArrayX [2]int  `json:"dashArrayX"`
	DashArrayY [2]int  `json:"dashArrayY"`
	Rotation   float64 `json:"rotation"`
	Color      string  `json:"color"`
}

type areaStyle struct {
	AreaColor   string  `json:"areaColor"`
	BorderColor string  `json:"borderColor"`
	BorderWidth float64 `json:"borderWidth"`
	BorderType  string  `json:"borderType"`
	Decal       decal   `json:"decal"`
}

type areaLabel struct {
	Formatter string `json:"formatter"`
	Color     string `json:"color"`
}

// MapItem is one region of a map series: its value, or when withheld
// "-" drawn white, hatched and outlined, labelled with its name and "—".
type MapItem struct {
	Name      string     `json:"name"`
	Value     any        `json:"value"`
	ItemStyle *areaStyle `json:"itemStyle,omitempty"`
	Label     *areaLabel `json:"label,omitempty"`
	Withheld  bool       `json:"ditekan,omitempty"`
}

// WithheldArea is the map item of a withheld region.
func WithheldArea(name string) MapItem {
	return MapItem{Name: name, Value: "-", Withheld: true,
		ItemStyle: &areaStyle{AreaColor: withheldFill, BorderColor: withheldStroke, BorderWidth: 1, BorderType: "dashed",
			Decal: decal{Symbol: "rect", SymbolSize: 1, DashArrayX: [2]int{1, 0}, DashArrayY: [2]int{2, 4}, Rotation: -0.7854,
				Color: "rgba(61,70,82,0.35)"}},
		Label: &areaLabel{Formatter: "{b}\n—", Color: withheldText}}
}

// WithheldLegend is the map legend's swatch for withheld regions, an
// ECharts graphic at the bottom left: a white, dashed square and
// "— label".
func WithheldLegend(label string) []any {
	return []any{map[string]any{
		"type": "group", "left": 8, "bottom": 6, "ditekan": true,
		"children": []any{
			map[string]any{"type": "rect", "shape": map[string]any{"x": 0, "y": 0, "width": 14, "height": 14},
				"style": map[string]any{"fill": withheldFill, "stroke": withheldStroke, "lineWidth": 1, "lineDash": []int{3, 2}}},
			map[string]any{"type": "text", "x": 20, "y": 1,
				"style": map[string]any{"text": "— " + label, "fill": withheldText, "fontSize": 12}},
		},
	}}
}

// LegendTitle is the map legend's title (what the colours measure, in
// what unit), above its classes.
func LegendTitle(text string) map[string]any {
	return map[string]any{"type": "text", "left": "center", "bottom": 40,
		"style": map[string]any{"text": text, "fill": withheldText, "fontSize": 12, "fontWeight": "bold"}}
}

// Classes are a map's classes: five rounded equal steps from a round
// number at or below lo to one at or above hi (equal steps read more
// honestly than quantiles when regions are few: a break means the same
// distance everywhere), and the colour of each, light to dark
// (ColorBrewer "Blues", colour-blind safe).
func Classes(lo, hi float64) []opts.Piece {
	colors := []string{"#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"}
	if hi <= lo {
		hi = lo + 1
	}
	step := niceStep((hi - lo) / float64(len(colors)))
	start := math.Floor(lo/step) * step
	var out []opts.Piece
	for i := range colors {
		a, b := start+float64(i)*step, start+float64(i+1)*step
		p := opts.Piece{Gte: float32(a), Lt: float32(b), Color: colors[i]}
		if i == len(colors)-1 || b >= hi {
			p.Lt, p.Lte = 0, float32(math.Max(b, hi))
			out = append(out, p)
			break
		}
		out = append(out, p)
	}
	return out
}

// niceStep rounds a step up to 1, 2, 2.5 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}
