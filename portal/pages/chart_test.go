package pages

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	echarts "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/portal-data-bansos/portal/portal/charts"
)

// TestChartsUseOurOwnECharts guards against go-echarts' default CDN host.
func TestChartsUseOurOwnECharts(t *testing.T) {
	t.Parallel()
	bar := echarts.NewBar()
	bar.SetGlobalOptions(echarts.WithInitializationOpts(charts.Init("test-chart", "")))
	bar.AddSeries("x", []opts.BarData{{Value: 1}})
	var sb strings.Builder
	if err := bar.Render(&sb); err != nil {
		t.Fatal(err)
	}
	page := sb.String()
	if !strings.Contains(page, charts.EChartsHost+"echarts.min.js") {
		t.Errorf("chart page does not load ECharts from %s", charts.EChartsHost)
	}
	if strings.Contains(page, "://") && regexp.MustCompile(`src="https?://`).MatchString(page) {
		t.Errorf("chart page loads a script from another host")
	}
	rec := httptest.NewRecorder()
	s, _ := newTestServer(t)
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, charts.EChartsHost+"echarts.min.js", nil))
	if rec.Code != 200 {
		t.Errorf("ECharts not served at %s: %d", charts.EChartsHost, rec.Code)
	}
}
