package pages

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// TestChartsUseOurOwnECharts guards against go-echarts' default CDN host.
func TestChartsUseOurOwnECharts(t *testing.T) {
	bar := charts.NewBar()
	bar.SetGlobalOptions(charts.WithInitializationOpts(chartInit("test-chart", "")))
	bar.AddSeries("x", []opts.BarData{{Value: 1}})
	var sb strings.Builder
	if err := bar.Render(&sb); err != nil {
		t.Fatal(err)
	}
	page := sb.String()
	if !strings.Contains(page, echartsHost+"echarts.min.js") {
		t.Errorf("chart page does not load ECharts from %s", echartsHost)
	}
	if strings.Contains(page, "://") && regexp.MustCompile(`src="https?://`).MatchString(page) {
		t.Errorf("chart page loads a script from another host")
	}
	rec := httptest.NewRecorder()
	s, _ := newTestServer(t)
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, echartsHost+"echarts.min.js", nil))
	if rec.Code != 200 {
		t.Errorf("ECharts not served at %s: %d", echartsHost, rec.Code)
	}
}
