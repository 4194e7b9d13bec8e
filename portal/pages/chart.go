package pages

import (
	"github.com/go-echarts/go-echarts/v2/opts"
)

// echartsHost is where go-echarts is told ECharts lives: our own /static,
// filled by `make assets` from the npm package pinned in package-lock.json.
// go-echarts' default is a CDN, which this portal never loads from.
const echartsHost = "/static/vendor/echarts/"

// chartInit is the initialisation every chart of the site starts from:
// ECharts from our own host, a stable element id, full width, SVG-free
// canvas rendering, and a height that suits a phone.
func chartInit(id, height string) opts.Initialization {
	if height == "" {
		height = "360px"
	}
	return opts.Initialization{
		ChartID:    id,
		AssetsHost: echartsHost,
		Width:      "100%",
		Height:     height,
		Theme:      "white",
		Renderer:   "canvas",
	}
}
