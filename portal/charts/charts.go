// Package charts builds the site's charts with go-echarts: each chart is a
// View, the ECharts option together with the table of exactly what it
// plots (for readers without JavaScript and for the chart's CSV). Pages
// give it numbers; it knows nothing of HTTP or SQL.
package charts

import (
	"github.com/go-echarts/go-echarts/v2/opts"
)

// EChartsHost is where go-echarts is told ECharts lives: our own /static,
// filled by `make assets` from the npm package pinned in package-lock.json.
// go-echarts' default is a CDN, which this portal never loads from.
const EChartsHost = "/static/vendor/echarts/"

// Init is the initialisation every chart of the site starts from:
// ECharts from our own host, a stable element id, full width, SVG-free
// canvas rendering, and a height that suits a phone.
func Init(id, height string) opts.Initialization {
	if height == "" {
		height = "360px"
	}
	return opts.Initialization{
		ChartID:    id,
		AssetsHost: EChartsHost,
		Width:      "100%",
		Height:     height,
		Theme:      "white",
		Renderer:   "canvas",
	}
}
