package portal

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/portal-data-bansos/portal/internal/testkit"
)

// TestBrowserEmbedsOnANewsroomPage: a second server on another port
// stands in for a newsroom's page and frames a region, a programme and a
// national chart with the embed code the portal offers, in a 360 px and
// an 800 px column. The iframe takes the height its content reports
// (static/js/embed.js), so the chart, its source line and credit are
// never cut; the embed fits 360 px without scrolling sideways; and every
// link and script inside the embed answers.
func TestBrowserEmbedsOnANewsroomPage(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	s, _ := newTestServerWithRelease(t)
	site := httptest.NewServer(s)
	t.Cleanup(site.Close)
	code := regexp.MustCompile(`(?s)<code>(&lt;iframe src=.*?)</code>`)
	var embeds []string
	for _, u := range []string{"/wilayah/32.73", "/program/PKH", "/grafik/nominal-per-triwulan"} {
		resp, err := http.Get(site.URL + u)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		_, _ = fmt.Fprint(&b, readAll(t, resp))
		m := code.FindStringSubmatch(b.String())
		if m == nil {
			t.Fatalf("%s offers no embed code", u)
		}
		embeds = append(embeds, html.UnescapeString(m[1]))
	}
	newsroom := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var i, width int
		fmt.Sscanf(r.URL.Query().Get("i"), "%d", &i)
		fmt.Sscanf(r.URL.Query().Get("w"), "%d", &width)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width"><title>Berita</title></head>
<body style="margin:0"><article style="width:%dpx"><p>Paragraf berita.</p>%s<p>Paragraf sesudahnya.</p></article></body></html>`, width, embeds[i])
	}))
	t.Cleanup(newsroom.Close)

	ctx, log := browse(t)
	src := regexp.MustCompile(`src="([^"]+)"`)
	for i, e := range embeds {
		frame := src.FindStringSubmatch(e)[1]
		for _, width := range []int{360, 800} {
			name := fmt.Sprintf("embed %d at %d px", i, width)
			// The embed alone at the column's width: how tall it is, and
			// whether its credit line shows and nothing overflows sideways.
			if err := chromedp.Do(ctx,
				chromedp.EmulateViewport(int64(width), 900),
				chromedp.Navigate(frame),
				chromedp.WaitVisible(`[data-chart][data-drawn="1"]`),
				chromedp.Sleep(300*time.Millisecond),
			); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			dims, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(function(){var d=document.documentElement, c=document.querySelector('.embed-credit').getBoundingClientRect();
					return [d.getBoundingClientRect().height, d.scrollWidth, c.bottom, c.height];})()`))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if dims[1] > float64(width)+1 {
				t.Errorf("%s: the embed is %v px wide", name, dims[1])
			}
			if dims[3] <= 0 || dims[2] > dims[0]+1 {
				t.Errorf("%s: the credit line is not on the page (%v)", name, dims)
			}
			// Framed on the newsroom's page: the iframe takes that height.
			if err := chromedp.Do(ctx,
				chromedp.EmulateViewport(1280, 900),
				chromedp.Navigate(fmt.Sprintf("%s/?i=%d&w=%d", newsroom.URL, i, width)),
			); err != nil {
				t.Fatalf("%s on the newsroom page: %v", name, err)
			}
			if _, err := chromedp.Run(ctx, chromedp.Poll[float64](`(function(){var f=document.querySelector('iframe[data-bansos-embed]');return f.style.height?parseFloat(f.style.height):0})()`,
				chromedp.WithPollingTimeout(15*time.Second))); err != nil {
				t.Fatalf("%s: the iframe was never resized: %v", name, err)
			}
			time.Sleep(800 * time.Millisecond)
			got, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector('iframe[data-bansos-embed]').getBoundingClientRect().height`))
			if err != nil {
				t.Fatal(err)
			}
			if got < dims[0]-2 || got > dims[0]+40 {
				t.Errorf("%s: the iframe is %v px tall, its content %v px", name, got, dims[0])
			}
			if width == 360 {
				screenshot(t, ctx, fmt.Sprintf("newsroom-embed-%d-360", i))
			}
		}
		// Every link and script inside the embed answers.
		body := testkit.Get(t, s, strings.TrimPrefix(frame, site.URL)).Body.String()
		for _, m := range regexp.MustCompile(`(?:href|src)="(/[^"]*)"`).FindAllStringSubmatch(body, -1) {
			u, _, _ := strings.Cut(html.UnescapeString(m[1]), "#") // a browser never sends the fragment
			if code := testkit.Get(t, s, u).Code; code != 200 {
				t.Errorf("embed %d: %s answers %d", i, u, code)
			}
		}
	}
	log.check(t)
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return b.String()
}
