package charts

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
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
	// Raw is the table with plain numbers ("" where withheld): the CSV of
	// exactly what is plotted.
	Raw [][]string
	// Link is the chart's stable page, pinned to its release; Embed the
	// URL of the chart alone, for an iframe.
	Link, Embed string
	// GeoURL is the shapes of a map chart, registered before drawing.
	GeoURL string
	// Wide charts take the page's full width.
	Wide bool
	// EmbedCode is the iframe snippet of the embed, with absolute URLs.
	EmbedCode string
}

// Point is one bar of a page chart: a value, a gap where withheld, or
// a lower bound (a sum that lacks withheld parts), drawn paler.
type Point struct {
	Label    string
	V        int64
	Withheld bool
	Partial  bool
}

// PointOf is the bar of one sum's figure i.
func PointOf(label string, a published.Sum, i int) Point {
	b := a.Of(i)
	return Point{Label: label, V: a.V(i), Withheld: b.AllWithheld(), Partial: b.Partial()}
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
	Head                         [2]string // label column, value column
	Format                       func(int64) string
	Height                       string
	Rotate                       bool // long category names: slanted labels
	// Decimals > 0: the values are in units of 10^-Decimals (a percentage
	// with one decimal is given ×10), plotted and exported as decimals.
	Decimals int
}

// Bar builds a one-series bar chart and the table of exactly what it
// plots: a withheld value is a gap ("-") and "—" in the table, never 0; a
// partial sum is drawn paler and shown as "≥ n".
func Bar(l i18n.Localizer, sp BarSpec, pts []Point) (View, error) {
	cv := View{L: l, ID: sp.ID, Title: sp.Title, Unit: sp.Unit, Source: sp.Source, CSV: sp.CSV,
		Head: sp.Head[:], Numeric: []bool{false, true}}
	labels := make([]string, len(pts))
	items := make([]opts.BarData, len(pts))
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
		num := strconv.FormatInt(p.V, 10)
		if sp.Decimals > 0 {
			num = strconv.FormatFloat(float64(p.V)/scale, 'f', sp.Decimals, 64)
		}
		switch {
		case p.Withheld:
			withheld = true
			items[i] = opts.BarData{Value: "-"}
			cv.Rows = append(cv.Rows, []string{p.Label, "—"})
			cv.Raw = append(cv.Raw, []string{p.Label, ""})
			continue
		case p.Partial:
			partial = true
			items[i] = opts.BarData{Value: value(p.V), ItemStyle: &opts.ItemStyle{Opacity: opts.Float(0.45)}}
			cv.Rows = append(cv.Rows, []string{p.Label, "≥ " + sp.Format(p.V)})
		default:
			items[i] = opts.BarData{Value: value(p.V)}
			cv.Rows = append(cv.Rows, []string{p.Label, sp.Format(p.V)})
		}
		cv.Raw = append(cv.Raw, []string{p.Label, num})
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
	xAxis := opts.XAxis{Type: "category"}
	if sp.Rotate {
		xAxis.AxisLabel = &opts.AxisLabel{Rotate: 45, Interval: "0"}
	}
	bar := echarts.NewBar()
	bar.SetGlobalOptions(
		echarts.WithInitializationOpts(Init(sp.ID, sp.Height)),
		echarts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		echarts.WithGridOpts(grid),
		echarts.WithXAxisOpts(xAxis),
		echarts.WithYAxisOpts(opts.YAxis{Type: "value"}),
	)
	bar.SetXAxis(labels)
	bar.AddSeries(sp.Head[1], items)
	err := cv.SetOption(bar)
	return cv, err
}

// SetOption validates a go-echarts chart and stores its option JSON: what
// static/js/charts.js draws.
func (v *View) SetOption(c interface {
	Validate()
	JSON() map[string]interface{}
}) error {
	c.Validate()
	b, err := json.Marshal(c.JSON())
	if err != nil {
		return fmt.Errorf("charts: option of %s: %w", v.ID, err)
	}
	v.Option = template.JS(b)
	return nil
}
