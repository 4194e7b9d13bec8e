package portal

import (
	"context"
	"encoding/base64"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/portal-data-bansos/portal/internal/testkit"
)

// saveArtifact keeps an exported image under testdata-artifacts/ for a
// person to look at.
func saveArtifact(t *testing.T, name string, b []byte) {
	t.Helper()
	dir := filepath.Join("..", "testdata-artifacts")
	if err := os.MkdirAll(dir, 0o755); err == nil {
		os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
}

// logExceptions logs the page's uncaught exceptions in full (browserLog
// keeps only their first words).
func logExceptions(t *testing.T, ctx context.Context) {
	t.Helper()
	chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok && e.ExceptionDetails.Exception != nil {
			t.Logf("exception: %s", e.ExceptionDetails.Exception.Description)
		}
	})
}

// TestBrowserChartExport exports a chart of the dashboard as PNG and SVG:
// the links appear with JavaScript, the download is named after the
// chart and its release, and the image is the chart's option drawn
// taller with its title, subtitle, credit and absolute URL around the
// plot (and the demo-data line when the page says so).
func TestBrowserChartExport(t *testing.T) {
	ctx, log, base := browseSite(t)
	logExceptions(t, ctx)
	const id = "nominal-per-triwulan"
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#`+id+`[data-drawn="1"] canvas`)),
	); err != nil {
		log.check(t)
		t.Fatalf("load the dashboard: %v", err)
	}

	// The links: shown once the chart is drawn, named after the chart.
	type links struct {
		Hidden bool   `json:"hidden"`
		PNG    string `json:"png"`
		SVG    string `json:"svg"`
	}
	ls, err := chromedp.Run(ctx, chromedp.Evaluate[links](`(function(){
		var s=document.querySelector('[data-images="`+id+`"]');
		return {hidden: s.hidden, png: s.querySelector('[data-png]').getAttribute('data-filename'),
			svg: s.querySelector('[data-svg]').getAttribute('data-filename')};})()`))
	if err != nil {
		t.Fatal(err)
	}
	name := regexp.MustCompile(`^nominal-salur-per-program-nasional-\d{4}-q\d-\d{4}-q\d-rilis-\d+(-contoh)?\.(png|svg)$`)
	if ls.Hidden || !name.MatchString(ls.PNG) || !name.MatchString(ls.SVG) || !strings.HasSuffix(ls.SVG, ".svg") {
		t.Errorf("export links: %+v", ls)
	}

	// A click on PNG downloads the export under that name.
	type download struct {
		Name, Head string
	}
	dl, err := chromedp.Run(ctx, chromedp.Evaluate[[]download](`(function(){
		var got=[], click=HTMLAnchorElement.prototype.click;
		HTMLAnchorElement.prototype.click=function(){ got.push({Name:this.download, Head:this.href.slice(0,22)}); };
		try {
			document.querySelector('[data-png="`+id+`"]').dispatchEvent(new MouseEvent('click',{bubbles:true,cancelable:true}));
			document.querySelector('[data-svg="`+id+`"]').dispatchEvent(new MouseEvent('click',{bubbles:true,cancelable:true}));
		} finally { HTMLAnchorElement.prototype.click=click; }
		return got;})()`))
	if err != nil {
		t.Fatal(err)
	}
	if len(dl) != 2 || dl[0].Name != ls.PNG || dl[0].Head != "data:image/png;base64," ||
		dl[1].Name != ls.SVG || !strings.HasPrefix(dl[1].Head, "data:image/svg+xml") {
		t.Errorf("downloads: %+v", dl)
	}

	// The PNG export: the page's title in the export instance's option,
	// the subtitle, the credit and the absolute URL, taller than the chart.
	type export struct {
		Title, Subtitle, PageTitle, Graphic, URL string
		Width, Height, PageHeight                float64
	}
	ex, err := chromedp.Run(ctx, chromedp.Evaluate[export](`(function(){
		var el=document.getElementById('`+id+`');
		var url=el.__export('png');
		var o=el.__exportChart.getOption();
		var texts=(o.graphic&&o.graphic[0]&&o.graphic[0].elements||[]).map(function(g){return g.style&&g.style.text||''});
		return new Promise(function(resolve){
			var img=new Image();
			img.onload=function(){ resolve({Title:o.title[0].text, Subtitle:o.title[0].subtext,
				PageTitle:document.getElementById('`+id+`-title').textContent, Graphic:texts.join('\n'), URL:url,
				Width:img.naturalWidth, Height:img.naturalHeight, PageHeight:el.clientHeight}); };
			img.src=url;
		});})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if ex.Title == "" || ex.Title != ex.PageTitle {
		t.Errorf("export title %q, the page's %q", ex.Title, ex.PageTitle)
	}
	if !strings.Contains(ex.Subtitle, "Satuan: rupiah") || !strings.Contains(ex.Subtitle, "Indonesia") {
		t.Errorf("export subtitle %q", ex.Subtitle)
	}
	for _, want := range []string{"Sumber: Portal Data Bansos, rilis", "CC BY 4.0", base + "/grafik/" + id + "?release="} {
		if !strings.Contains(ex.Graphic, want) {
			t.Errorf("export texts lack %q:\n%s", want, ex.Graphic)
		}
	}
	if ex.Width != 2000 || ex.Height <= 2*ex.PageHeight+100 {
		t.Errorf("PNG is %vx%v for a chart %v px high: want 2000 wide, taller than the chart", ex.Width, ex.Height, ex.PageHeight)
	}
	if png, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(ex.URL, "data:image/png;base64,")); err == nil {
		saveArtifact(t, "export-"+id+".png", png)
	} else {
		t.Errorf("PNG data URL: %v", err)
	}

	// The SVG export: vector text, the same texts.
	svg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function(){
		var u=document.getElementById('`+id+`').__export('svg'), i=u.indexOf(',');
		var body=u.slice(i+1);
		return u.slice(0,i).indexOf(';base64')>=0 ? atob(body) : decodeURIComponent(body);})()`))
	if err != nil {
		t.Fatal(err)
	}
	saveArtifact(t, "export-"+id+".svg", []byte(svg))
	if !strings.HasPrefix(strings.TrimSpace(svg), "<svg") || !strings.Contains(svg, `width="1000"`) {
		t.Errorf("SVG export: %.200s", svg)
	}
	for _, want := range []string{"CC BY 4.0", "/grafik/" + id} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	// The title may be broken into lines: its first word is there.
	if first := strings.Fields(ex.PageTitle); len(first) == 0 || !strings.Contains(svg, first[0]) {
		t.Errorf("SVG lacks the title %q", ex.PageTitle)
	}

	// Demo data: the export says so in both languages.
	demo, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function(){
		var el=document.getElementById('`+id+`'), s=document.getElementById(el.getAttribute('data-meta'));
		var m=JSON.parse(s.textContent); m.synthetic='DATA CONTOH (SINTETIS) / SYNTHETIC DEMO DATA'; s.textContent=JSON.stringify(m);
		el.__export('png');
		var o=el.__exportChart.getOption();
		return (o.graphic[0].elements||[]).map(function(g){return g.style&&g.style.text||''}).join('\n');})()`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(demo, "DATA CONTOH (SINTETIS) / SYNTHETIC DEMO DATA") {
		t.Errorf("demo export lacks the demo-data line:\n%s", demo)
	}
	log.check(t)
}

// TestBrowserWithheldIsNotZero looks at withheld values as drawn: a bar
// chart's withheld value is a gap with a hatched stub and "—" (a stub
// for every gap, none for a zero), its tooltip says "—" and why; a
// withheld province of the map is white and hatched, and the map's
// legend has a "—" swatch.
func TestBrowserWithheldIsNotZero(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	s, _ := newTestServerWithRelease(t)
	// A map selection with a withheld province.
	mapURL := ""
	for _, q := range []string{"program=PENA", "program=ATENSI", "program=PKH&komponen=SMA", "program=PKH&komponen=DISABILITAS_BERAT",
		"program=BLT", "program=PKH&komponen=LANSIA", "program=PKH&komponen=IBU_HAMIL", "ukuran=cakupan"} {
		body := testkit.Get(t, s, "/?"+q).Body.String()
		if m := regexp.MustCompile(`(?s)id="peta-provinsi-option">(.*?)</script>`).FindStringSubmatch(body); m != nil && strings.Contains(m[1], `"ditekan":true`) {
			mapURL = "/?" + q
			break
		}
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	ctx, log := browse(t)
	logExceptions(t, ctx)
	const id = "nominal-per-triwulan"
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#`+id+`[data-drawn="1"] canvas`)),
	); err != nil {
		log.check(t)
		t.Fatalf("load the dashboard: %v", err)
	}
	type bars struct {
		Gaps, Stubs, StubsOnZero, Painted int
		Tip                               string
	}
	b, err := chromedp.Run(ctx, chromedp.Evaluate[bars](`(function(){
		var el=document.getElementById('`+id+`'); el.scrollIntoView({block:'center', behavior:'instant'});
		var chart=echarts.getInstanceByDom(el), o=chart.getOption(), r={Gaps:0, Stubs:0, StubsOnZero:0, Painted:0, Tip:''};
		var canvas=el.querySelector('canvas'), ctx=canvas.getContext('2d'), ratio=canvas.width/el.clientWidth;
		var first=null;
		o.series.forEach(function(s, k){
			s.data.forEach(function(d){ if((d&&d.value!==undefined?d.value:d)==='-') r.Gaps++; });
			((s.markPoint||{}).data||[]).forEach(function(m){
				if(!m.ditekan) return;
				r.Stubs++;
				var v=s.data[m.coord[0]]; v=(v&&v.value!==undefined)?v.value:v;
				if(v===0) r.StubsOnZero++;
				// Dark hatching where the stub stands, above the stack.
				var p=chart.convertToPixel({seriesIndex:k}, m.coord);
				if(!first) first={x:p[0], y:p[1]-7};
				var img=ctx.getImageData(Math.round((p[0]-4)*ratio), Math.round((p[1]-14)*ratio), Math.round(8*ratio), Math.round(14*ratio)).data;
				for(var i=0;i<img.length;i+=4){ if(img[i+3]>0 && img[i]<170 && img[i+1]<170 && img[i+2]<190 && Math.abs(img[i]-img[i+1])<40){ r.Painted++; break; } }
			});
		});
		if(first){ chart.dispatchAction({type:'showTip', x:first.x, y:first.y}); }
		var tip=el.querySelector('.chart-tip-note'); r.Tip=tip?tip.parentNode.textContent:'';
		return r;})()`))
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "withheld-bars")
	if b.Gaps == 0 {
		t.Fatalf("the fixture's %s has no withheld value to look at", id)
	}
	if b.Stubs != b.Gaps || b.StubsOnZero != 0 || b.Painted != b.Stubs {
		t.Errorf("withheld bars: %+v (want a painted stub for every gap, none on a zero)", b)
	}
	if !strings.Contains(b.Tip, "—") || !strings.Contains(b.Tip, "ditekan") {
		t.Errorf("tooltip of a withheld value: %q", b.Tip)
	}

	if mapURL == "" {
		t.Log("no map selection with a withheld province in the fixture: map not looked at")
		log.check(t)
		return
	}
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+mapURL),
		chromedp.WaitVisible(chromedp.CSS(`#peta-provinsi[data-drawn="1"] canvas`)),
	); err != nil {
		t.Fatalf("load the map: %v", err)
	}
	type tiles struct {
		Withheld, White, Legend int
		Export, URL             string
	}
	m, err := chromedp.Run(ctx, chromedp.Evaluate[tiles](`(function(){
		var el=document.getElementById('peta-provinsi'); el.scrollIntoView({block:'center', behavior:'instant'});
		return fetch(el.getAttribute('data-geo')).then(function(r){return r.json()}).then(function(geo){
			var chart=echarts.getInstanceByDom(el), o=chart.getOption(), r={Withheld:0, White:0, Legend:0, Export:''};
			var canvas=el.querySelector('canvas'), ctx=canvas.getContext('2d'), ratio=canvas.width/el.clientWidth;
			var at={}; geo.features.forEach(function(f){ at[f.properties.name]=f.geometry.coordinates[0]; });
			o.series[0].data.forEach(function(d){
				if(!d.ditekan) return;
				r.Withheld++;
				// A corner of the tile, away from its label: white, not a colour of the scale.
				var c=at[d.name], p=chart.convertToPixel({seriesIndex:0}, [c[0][0]+0.12, c[0][1]-0.12]);
				var img=ctx.getImageData(Math.round(p[0]*ratio), Math.round(p[1]*ratio), Math.round(6*ratio), Math.round(6*ratio)).data;
				for(var i=0;i<img.length;i+=4){ if(img[i]>=250&&img[i+1]>=250&&img[i+2]>=250){ r.White++; break; } }
			});
			var flat=function(es){ return (es||[]).reduce(function(a,g){ return a.concat([g], flat(g.children)); }, []); };
			r.Legend=flat(o.graphic&&o.graphic[0]&&o.graphic[0].elements).filter(function(g){return g.style&&/^— /.test(g.style.text||'')}).length;
			r.URL=el.__export('png');
			var eo=el.__exportChart.getOption();
			r.Export=eo.title[0].text;
			return r;
		});})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "withheld-map")
	if png, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(m.URL, "data:image/png;base64,")); err == nil {
		saveArtifact(t, "export-peta-provinsi.png", png)
	}
	if m.Withheld == 0 || m.White != m.Withheld || m.Legend != 1 || m.Export == "" {
		t.Errorf("withheld provinces: %+v (want each white, one legend swatch, an export title)", m)
	}
	log.check(t)
}
