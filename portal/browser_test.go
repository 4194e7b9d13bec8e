package portal

import (
	"context"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/portal-data-bansos/portal/internal/testkit"
)

// chromium finds the browser for browser tests: $CHROMIUM, else chromium
// on the PATH. .ci/run installs Debian's chromium; without one the tests
// are skipped with a message, never silently passed.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	testkit.Need(t, "no Chromium found (install Debian's chromium, as .ci/run does, or set CHROMIUM)")
	return ""
}

// browse opens a headless Chromium (flags as root needs, no network but
// loopback) and records console errors and every request's host.
func browse(t *testing.T) (context.Context, *browserLog) {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1600),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	log := &browserLog{}
	err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			log.add(&log.errors, e.ExceptionDetails.Text)
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				log.add(&log.errors, "console.error")
			}
		case *network.EventRequestWillBeSent:
			if u, err := url.Parse(e.Request.URL); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
				log.add(&log.hosts, u.Hostname())
			}
		}
	})
	if err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	// chromedp enables the runtime and network domains of every tab.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx, log
}

type browserLog struct {
	mu            sync.Mutex
	errors, hosts []string
}

func (l *browserLog) add(list *[]string, s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	*list = append(*list, s)
}

// screenshot saves a PNG of the page as a test artefact under
// testdata-artifacts/ (ignored by git) for a person to look at.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	dir := filepath.Join("..", "testdata-artifacts")
	if err := os.MkdirAll(dir, 0o755); err == nil {
		os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	}
}

// browseSite starts the real site over generated releases and a browser,
// for one browser test.
func browseSite(t *testing.T) (context.Context, *browserLog, string) {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test")
	}
	s, _ := newTestServerWithRelease(t)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	ctx, log := browse(t)
	return ctx, log, srv.URL
}

// check fails the test on console errors and on requests that left
// localhost.
func (l *browserLog) check(t *testing.T) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.errors) > 0 {
		t.Errorf("console errors: %v", l.errors)
	}
	for _, h := range l.hosts {
		if h != "127.0.0.1" && h != "localhost" && !strings.HasPrefix(h, "[::1") {
			t.Errorf("a request left localhost: %s", h)
		}
	}
}

func TestBrowserHomeChartsDraw(t *testing.T) {
	ctx, log, base := browseSite(t)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`[data-chart][data-drawn="1"]`)),
	); err != nil {
		t.Fatalf("load the dashboard: %v", err)
	}
	drawn, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-chart][data-drawn="1"]').length`))
	if err != nil {
		t.Fatal(err)
	}
	// A drawn canvas has non-blank pixels.
	painted, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(function(){var c=document.querySelector('#nominal-per-triwulan canvas');
		if(!c)return false;var d=c.getContext('2d').getImageData(0,0,c.width,c.height).data;
		for(var i=3;i<d.length;i+=4){if(d[i]!==0)return true}return false})()`))
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "home")
	// Hovering a bar shows ECharts' tooltip; nothing it does may break the
	// Content-Security-Policy (no inline style attributes, no eval).
	xy, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(function(){
		window.__csp = [];
		document.addEventListener('securitypolicyviolation', function(e){ window.__csp.push(e.violatedDirective+' '+e.blockedURI); });
		var el=document.getElementById('nominal-per-triwulan'); el.scrollIntoView({block:'center'});
		var p=echarts.getInstanceByDom(el).convertToPixel({seriesIndex:0},[1, 0]);
		var r=el.getBoundingClientRect(); return [r.left+p[0], r.top+p[1]-5];})()`))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, xy[0], xy[1])); err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond)
	violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__csp`))
	if err != nil {
		t.Fatal(err)
	}
	if len(violations) > 0 {
		t.Errorf("Content-Security-Policy violations: %v", violations)
	}
	screenshot(t, ctx, "home-tooltip")
	if drawn != 8 || !painted { // seven charts and the coverage of deciles 1–4
		t.Errorf("charts drawn: %d, canvas painted: %v", drawn, painted)
	}
	log.check(t)
}

func TestBrowserEmbedDraws(t *testing.T) {
	ctx, log, base := browseSite(t)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/embed/grafik/penerima-per-triwulan?release=1"),
		chromedp.WaitVisible(chromedp.CSS(`#penerima-per-triwulan[data-drawn="1"] canvas`)),
	); err != nil {
		t.Fatalf("load the embed: %v", err)
	}
	screenshot(t, ctx, "embed")
	log.check(t)
}

// TestBrowserMapClickOpensProvince clicks Jawa Barat's tile on the home
// map and expects its province page.
func TestBrowserMapClickOpensProvince(t *testing.T) {
	ctx, log, base := browseSite(t)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#peta-provinsi[data-drawn="1"] canvas`)),
	); err != nil {
		t.Fatalf("load the map: %v", err)
	}
	// The centre of Jawa Barat's tile (column 6, row 5 of the grid),
	// measured afresh before every click: charts above the map that are
	// still drawing can move it.
	tile := func() []float64 {
		xy, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(function(){
		var el=document.getElementById('peta-provinsi'); el.scrollIntoView({block:'center', behavior:'instant'});
		var p=echarts.getInstanceByDom(el).convertToPixel({seriesIndex:0},[6.5,-5.5]);
		var r=el.getBoundingClientRect(); return [r.left+p[0], r.top+p[1]];})()`))
		if err != nil || len(xy) != 2 {
			t.Fatalf("tile position: %v %v", xy, err)
		}
		return xy
	}
	xy := tile()
	screenshot(t, ctx, "home-map")
	// Up to 15 s on a busy machine; a click that landed while the page was
	// still settling is repeated every 2 s at the tile's new place.
	var loc string
	for i := 0; i < 150; i++ {
		if i%20 == 0 {
			if i > 0 {
				xy = tile()
			}
			if err := chromedp.Do(ctx, chromedp.MouseClickXY(xy[0], xy[1])); err != nil {
				t.Fatal(err)
			}
		}
		loc, _ = chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
		if loc == "/wilayah/32" {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if loc != "/wilayah/32" {
		t.Fatalf("after clicking Jawa Barat the page is %q", loc)
	}
	// The province page draws its own charts.
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`#wilayah-anak[data-drawn="1"] canvas`))); err != nil {
		t.Fatalf("province charts: %v", err)
	}
	title, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('h1').textContent`))
	if !strings.Contains(title, "Jawa Barat") {
		t.Errorf("province page title %q", title)
	}
	screenshot(t, ctx, "province")
	log.check(t)
}

// TestBrowserChartsFollowTheirColumn: narrowing the window to a phone's
// 390 px and widening it again leaves no horizontal overflow at any
// step, and every chart back at its first width (the page once grew to
// 4,675 px and a chart collapsed to 94 px).
func TestBrowserChartsFollowTheirColumn(t *testing.T) {
	ctx, log, base := browseSite(t)
	measure := func(w int64) []float64 {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, 900), chromedp.Sleep(600*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		v, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(function(){var out=[document.documentElement.scrollWidth];
			document.querySelectorAll('[data-chart][data-drawn="1"]').forEach(function(el){out.push(Math.round(el.getBoundingClientRect().width))});return out})()`))
		if err != nil {
			t.Fatal(err)
		}
		if v[0] > float64(w)+1 {
			t.Errorf("at %d px the page is %v px wide", w, v[0])
		}
		return v[1:]
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 900), chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`[data-chart][data-drawn="1"]`)), chromedp.Sleep(500*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	// The tile map's form at a width: "map", or "ranking" (every
	// province in bars across, as many rows as the map has tiles).
	form := func() (string, int) {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[[]any](`(function(){var el=document.querySelector('[data-geo][data-drawn="1"]');
			if(!el){return ["",0]}var o=echarts.getInstanceByDom(el).getOption();var y=(o.yAxis||[])[0];
			return [el.getAttribute("data-form")||"", y&&y.data?y.data.length:0]})()`))
		if err != nil {
			t.Fatal(err)
		}
		return v[0].(string), int(v[1].(float64))
	}
	first := measure(1366)
	if f, _ := form(); f != "map" {
		t.Errorf("at 1366 px the map is drawn as %q", f)
	}
	narrow := measure(390)
	if f, rows := form(); f != "ranking" || rows != 38 {
		t.Errorf("at 390 px the map is drawn as %q with %d rows, want a ranking of 38 provinces", f, rows)
	}
	screenshot(t, ctx, "home-390")
	again := measure(1366)
	if f, _ := form(); f != "map" {
		t.Errorf("widened again, the map is drawn as %q", f)
	}
	for i := range first {
		if i < len(narrow) && narrow[i] > 390 {
			t.Errorf("chart %d is %v px wide on a 390 px screen", i, narrow[i])
		}
		if i < len(again) && (again[i] < first[i]-2 || again[i] > first[i]+2) {
			t.Errorf("chart %d: %v px, then %v px after narrowing and widening", i, first[i], again[i])
		}
	}
	screenshot(t, ctx, "home-after-resize")
	log.check(t)
}

// TestBrowserKeyboardReachesADistrict: with the keyboard alone (Tab,
// letters, Enter) a reader goes from the home page to a province, a
// regency and a district: the jump form past the map, then the linked
// names of the children tables.
func TestBrowserKeyboardReachesADistrict(t *testing.T) {
	ctx, log, base := browseSite(t)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 900), chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`form.jump select`))); err != nil {
		t.Fatal(err)
	}
	// tabTo presses Tab until the focused element matches the test, then
	// returns what it focused.
	tabTo := func(what, test string) string {
		t.Helper()
		for i := 0; i < 400; i++ {
			if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
				t.Fatal(err)
			}
			got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function(){var a=document.activeElement;return (`+test+`)?(a.getAttribute('href')||a.name||a.tagName):""})()`))
			if err != nil {
				t.Fatal(err)
			}
			if got != "" {
				return got
			}
		}
		t.Fatalf("Tab never reached %s", what)
		return ""
	}
	tabTo("the jump form", `a.tagName==="SELECT" && a.name==="kode"`)
	if err := chromedp.Do(ctx, chromedp.KeyEvent("Jawa Barat"), chromedp.Sleep(200*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	tabTo("its button", `a.tagName==="BUTTON" && a.closest("form.jump")`)
	steps := []struct{ what, test, path string }{
		{"", "", `^/wilayah/32$`},
		{"a regency", `/^\/wilayah\/32\.[0-9]{2}$/.test(a.getAttribute("href")||"")`, `^/wilayah/32\.[0-9]{2}$`},
		{"a district", `/^\/wilayah\/32\.[0-9]{2}\.[0-9]{2}$/.test(a.getAttribute("href")||"")`, `^/wilayah/32\.[0-9]{2}\.[0-9]{2}$`},
	}
	for _, st := range steps {
		if st.test != "" {
			tabTo(st.what, st.test)
		}
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter), chromedp.Sleep(300*time.Millisecond), chromedp.WaitReady("body")); err != nil {
			t.Fatal(err)
		}
		path, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(st.path).MatchString(path) {
			t.Fatalf("after Enter the reader is at %s, want %s", path, st.path)
		}
	}
	screenshot(t, ctx, "keyboard-district")
	log.check(t)
}

// TestBrowserEveryPageTypeFitsAPhone: at 320 and 390 px no page type
// scrolls sideways — wide tables scroll inside their frame, long
// addresses break, selects of region names shrink — and every page's
// screenshot at 390 px is kept (testdata-artifacts/phone-*.png) to look
// at.
func TestBrowserEveryPageTypeFitsAPhone(t *testing.T) {
	ctx, log, base := browseSite(t)
	pages := []string{"/", "/wilayah", "/wilayah/32", "/wilayah/32.73", "/wilayah/32.73.01", "/program/PKH", "/dataset",
		"/dataset/penyaluran", "/grafik/nominal-per-triwulan", "/cari?q=bandung", "/berita", "/rilis/2", "/metodologi", "/status"}
	for _, w := range []int64{320, 390} {
		for _, p := range pages {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, 800), chromedp.Navigate(base+p), chromedp.Sleep(300*time.Millisecond)); err != nil {
				t.Fatal(err)
			}
			sw, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`))
			if err != nil {
				t.Fatal(err)
			}
			if sw > float64(w) {
				t.Errorf("%s at %d px: the page is %v px wide", p, w, sw)
			}
			if w == 390 {
				screenshot(t, ctx, "phone"+strings.NewReplacer("/", "-", "?", "-", "=", "-").Replace(p))
			}
		}
	}
	log.check(t)
}
