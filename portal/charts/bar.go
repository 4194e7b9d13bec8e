package charts

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"

	echarts "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/published"
)

// View is one chart of a page: the ECharts option (built with
// go-echarts, drawn by static/js/charts.js) and the table of exactly what
// it plots, which is what a reader without JavaScript or with a screen
// reader gets.
type View struct {
	L       i18n.Localizer
	ID      string
	Title   string
	Unit    string
	Source  string
	Option  template.JS
	Head    []string
	Rows    [][]string
	CSV     string
	Note    string
	Numeric []bool
	// Link is the chart's stable page, pinned to its release; Embed the
	// URL of the chart alone, for an iframe.
	Link, Embed string
	// GeoURL is the shapes of a map chart, registered before drawing.
	GeoURL string
	// PageHeading: the chart is its page's subject (/grafik/{id}), whose
	// h1 is its title; the figure then has no heading of its own.
	PageHeading bool
	// RowLinks are the pages of the table's rows, by row ("" for none):
	// a region's name in a chart's table is a link to its page.
	RowLinks []string
	// Wide charts take the page's full width.
	Wide bool
	// Height, in CSS pixels, overrides the stylesheet's height: a long
	// list laid across (see Categories) grows with its rows.
	Height int
	// EmbedCode is the iframe snippet of the embed, with absolute URLs.
	EmbedCode string

	// Name is the stem of the chart's download names: what it is —
	// measure, programme, region, period — in lower-case ASCII with
	// hyphens ("penerima-per-kecamatan-sembako-kota-bandung-2025-q4").
	// Filename adds the release.
	Name string
	// Subtitle says the units, the period and the place in words; an
	// exported image prints it under the title.
	Subtitle string
	// Release and Synthetic are the release the chart draws (demo data
	// when Synthetic): they name its downloads and mark its images.
	Release   int
	Synthetic bool
	// Credit is the source · release · licence line an exported image
	// prints (Source when empty); URL the chart's absolute short URL it
	// prints (the stable link when empty).
	Credit, URL string
	// Data is every plotted value, for the chart's CSV (WriteCSV).
	Data []Datum
}

// Point is one bar of a page chart: a value, a gap where withheld, or
// a lower bound (a sum that lacks withheld parts), drawn paler. Code is
// its category's code in the chart's CSV (a region or programme code, a
// quarter); Label its name on the page.
type Point struct {
	Code     string
	Label    string
	V        int64
	Withheld bool
	Partial  bool
	// Color, when set, is the bar's own colour (a programme's).
	Color string
}

// PointOf is the bar of one sum's figure i.
func PointOf(label string, a published.Sum, i int) Point {
	b := a.Of(i)
	return Point{Label: label, V: a.V(i), Withheld: b.AllWithheld(), Partial: b.Partial()}
}

// PointAt is PointOf with the category's code.
func PointAt(code, label string, a published.Sum, i int) Point {
	p := PointOf(label, a, i)
	p.Code = code
	return p
}

// SortPoints orders bars largest first, withheld last, ties in the given
// order.
func SortPoints(pts []Point) {
	slices.SortStableFunc(pts, func(a, b Point) int {
		switch {
		case a.Withheld != b.Withheld:
			if a.Withheld {
				return 1
			}
			return -1
		case a.V > b.V:
			return -1
		case a.V < b.V:
			return 1
		}
		return 0
	})
}

// BarSpec is what a one-series bar chart of a page says about itself.
type BarSpec struct {
	ID, Title, Unit, Source, CSV string
	// Color, when set, colours the whole series (a programme's page).
	Color  string
	Head   [2]string // label column, value column
	Format func(int64) string
	Height string
	// Rotate: long category names. Up to LongList of them are slanted
	// labels under the bars; more are laid across (see Categories).
	Rotate bool
	// Decimals > 0: the values are in units of 10^-Decimals (a percentage
	// with one decimal is given ×10), plotted and exported as decimals.
	Decimals int
	// Line, when set, draws a labelled reference line at that value (in
	// the plotted unit): 100 on a chart of realisation against target.
	Line      float64
	LineLabel string
	// Name and Subtitle are the View's: the download names' stem and the
	// units, period and place in words.
	Name, Subtitle string
	// Series is the series' code in the chart's CSV (the measure, a
	// dataset column: penerima, nominal_salur, …); UnitCode the values'
	// unit there (a Unit* code).
	Series, UnitCode string
}

// Bar builds a one-series bar chart and the table of exactly what it
// plots: a withheld value is a gap ("-") marked by a hatched stub and
// "—", and "—" in the table, never 0; a partial sum is drawn paler and
// shown as "≥ n".
func Bar(l i18n.Localizer, sp BarSpec, pts []Point) (View, error) {
	cv := View{L: l, ID: sp.ID, Title: sp.Title, Unit: sp.Unit, Source: sp.Source, CSV: sp.CSV,
		Head: sp.Head[:], Numeric: []bool{false, true}, Name: sp.Name, Subtitle: sp.Subtitle}
	labels := make([]string, len(pts))
	items := make([]Item, len(pts))
	var withheld, partial bool
	scale := math.Pow10(sp.Decimals)
	value := func(v int64) any {
		if sp.Decimals > 0 {
			return float64(v) / scale
		}
		return v
	}
	for i, p := range pts {
		labels[i] = p.Label
		d := Datum{Code: p.Code, Label: p.Label, Series: sp.Series, Value: Num(p.V, sp.Decimals), Unit: sp.UnitCode,
			Withheld: p.Withheld, Partial: p.Partial && !p.Withheld}
		if d.Code == "" {
			d.Code = p.Label
		}
		switch {
		case p.Withheld:
			withheld = true
			items[i] = Gap()
			d.Value = ""
			cv.Rows = append(cv.Rows, []string{p.Label, "—"})
			cv.Data = append(cv.Data, d)
			continue
		case p.Partial:
			partial = true
			items[i] = PartialOf(value(p.V))
			cv.Rows = append(cv.Rows, []string{p.Label, "≥ " + sp.Format(p.V)})
		default:
			items[i] = ValueOf(value(p.V))
			cv.Rows = append(cv.Rows, []string{p.Label, sp.Format(p.V)})
		}
		if p.Color != "" && !p.Withheld {
			if items[i].ItemStyle == nil {
				items[i].ItemStyle = &opts.ItemStyle{}
			}
			items[i].ItemStyle.Color = p.Color
		}
		cv.Data = append(cv.Data, d)
	}
	var notes []string
	if withheld {
		notes = append(notes, l.T("chart.withheld"))
	}
	if partial {
		notes = append(notes, l.T("wilayah.chart.partial"))
	}
	cv.Note = strings.Join(notes, " ")
	grid := opts.Grid{Left: "4%", Right: "4%", Top: "8%", Bottom: "4%", ContainLabel: opts.Bool(true)}
	ax := Categories(len(pts), sp.Rotate, 0)
	if ax.Across {
		grid.Top, grid.Right = "24", "12%"
		cv.Height = ax.Height
	}
	bar := echarts.NewBar()
	bar.SetGlobalOptions(
		echarts.WithInitializationOpts(Init(sp.ID, sp.Height)),
		echarts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		echarts.WithGridOpts(grid),
		echarts.WithXAxisOpts(ax.X),
		echarts.WithYAxisOpts(ax.Y),
	)
	bar.SetXAxis(labels)
	if ax.Across {
		bar.XYReversal()
	}
	var series []echarts.SeriesOpts
	if sp.Color != "" {
		series = append(series, echarts.WithItemStyleOpts(opts.ItemStyle{Color: sp.Color}))
	}
	if sp.Line != 0 {
		line := echarts.WithMarkLineNameYAxisItemOpts(opts.MarkLineNameYAxisItem{Name: sp.LineLabel, YAxis: sp.Line})
		if ax.Across {
			line = echarts.WithMarkLineNameXAxisItemOpts(opts.MarkLineNameXAxisItem{Name: sp.LineLabel, XAxis: sp.Line})
		}
		series = append(series, line,
			echarts.WithMarkLineStyleOpts(opts.MarkLineStyle{Symbol: []string{"none", "none"},
				LineStyle: &opts.LineStyle{Color: "#b3261e", Type: "dashed", Width: 2},
				Label:     &opts.Label{Show: opts.Bool(true), Formatter: sp.LineLabel, Position: "insideEndTop"}}))
	}
	AddBars(bar, sp.Head[1], items, series...)
	err := cv.SetOption(bar)
	return cv, err
}

// LongList is the most categories a bar chart puts side by side: a
// longer list (38 provinces, a regency's districts) is laid across, one
// row per category, named in full and read top to bottom, so a phone
// shows every name instead of a smear of slanted labels.
const LongList = 12

// Axes are a bar chart's two axes for its number of categories.
type Axes struct {
	X opts.XAxis
	Y opts.YAxis
	// Across: the bars run left to right, categories down the side in
	// their given order (the chart then needs XYReversal); Height is
	// the chart's height in pixels for that many rows.
	Across bool
	Height int
}

// Categories chooses the axes of a bar chart of n categories: up to
// LongList stand side by side (slanted labels when rotate: long names),
// more are laid across with a height that gives each row room.
// extra is the height of anything drawn beyond the rows (a legend).
func Categories(n int, rotate bool, extra int) Axes {
	if n > LongList {
		return Axes{Across: true, Height: 48 + 24*n + extra,
			X: opts.XAxis{Type: "value", Position: "top"},
			Y: opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0"}}}
	}
	ax := Axes{X: opts.XAxis{Type: "category"}, Y: opts.YAxis{Type: "value"}}
	if rotate {
		ax.X.AxisLabel = &opts.AxisLabel{Rotate: 45, Interval: "0"}
	}
	return ax
}

// chart is what SetOption takes: any go-echarts chart.
type chart interface {
	Validate()
	JSON() map[string]interface{}
}

// SetOption validates a go-echarts chart and stores its option JSON: what
// static/js/charts.js draws. A bar chart's withheld values (Gap items)
// get their stubs (markWithheld).
func (v *View) SetOption(c chart) error { return v.SetOptionWith(c, nil) }

// SetOptionWith is SetOption with extra top-level components of the
// option that go-echarts does not know (such as graphic).
func (v *View) SetOptionWith(c chart, extra map[string]any) error {
	c.Validate()
	if bar, ok := c.(*echarts.Bar); ok {
		markWithheld(bar)
	}
	m := c.JSON()
	for k, x := range extra {
		m[k] = x
	}
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("charts: option of %s: %w", v.ID, err)
	}
	v.Option = template.JS(b)
	return nil
}
