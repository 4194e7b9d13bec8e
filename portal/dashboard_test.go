package portal

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

func TestHomeCharts(t *testing.T) {
	s, _ := newTestServerWithRelease(t)
	body := get(t, s, "/").Body.String()
	for _, want := range []string{`data-chart="nominal-per-triwulan-option"`, `data-chart="penerima-per-triwulan-option"`,
		"Tabel data grafik ini", "Satuan: rupiah", "Sumber: Portal Data Bansos, rilis 2", "echarts.min.", "/static/js/charts."} {
		if !strings.Contains(body, want) {
			t.Errorf("home lacks %q", want)
		}
	}
	// Each option is valid JSON that ECharts can take: a category x axis of
	// the release's quarters and one series per programme.
	re := regexp.MustCompile(`(?s)<script type="application/json" id="([a-z-]+)-option">(.*?)</script>`)
	ms := re.FindAllStringSubmatch(body, -1)
	if len(ms) != 2 {
		t.Fatalf("%d chart options on the page", len(ms))
	}
	for _, m := range ms {
		var opt struct {
			XAxis  []struct{ Data []string } `json:"xAxis"`
			Series []struct {
				Name string
				Type string
			} `json:"series"`
		}
		if err := json.Unmarshal([]byte(m[2]), &opt); err != nil {
			t.Fatalf("%s: option is not JSON: %v", m[1], err)
		}
		if len(opt.Series) != 6 || opt.Series[0].Type != "bar" || len(opt.XAxis) == 0 || len(opt.XAxis[0].Data) != 4 {
			t.Errorf("%s: option %s", m[1], m[2][:min(len(m[2]), 200)])
		}
		if strings.Contains(m[2], "cdn") || strings.Contains(m[2], "go-echarts.github.io") {
			t.Errorf("%s: option refers to a remote host", m[1])
		}
	}
	// The page stays usable without JavaScript: the tables carry the numbers.
	if strings.Count(body, `<th scope="row">2025-Q`) != 8 {
		t.Errorf("data tables: %d quarter rows", strings.Count(body, `<th scope="row">2025-Q`))
	}
	// English numbers and titles.
	en := get(t, s, "/?lang=en").Body.String()
	if !strings.Contains(en, "Amount disbursed per quarter by programme") || !strings.Contains(en, "Data table of this chart") {
		t.Error("English charts missing")
	}
}
