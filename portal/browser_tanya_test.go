package portal

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/portal-data-bansos/portal/internal/kip"
	"github.com/portal-data-bansos/portal/internal/testkit"
)

// TestBrowserTanyaFlow: in Chromium, a journalist asks a question through
// the form and opens the private link it shows; an admin signs in, drafts
// an answer citing PKH's realisation pinned to release 1 and publishes
// it; the answer is then on /tanya/terjawab, its own page, the Atom feed
// and the page of the region asked about, and the tracking page shows
// it. Every page of the desk passes axe (when installed), with no console
// error and no request leaving the machine.
func TestBrowserTanyaFlow(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	received := time.Date(2026, 3, 2, 9, 0, 0, 0, kip.Jakarta)
	ps := newDeskSite(t, received)
	base := ps.srv.URL
	ctx, log := browse(t)
	l := testkit.Indonesian(t)
	cal, _ := ps.s.Press.Calendar()
	deadline, _ := cal.Deadline(received)

	question := "Berapa keluarga di Kabupaten Bandung yang sudah menerima PKH tahap ketiga tahun 2025?"
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.Click(chromedp.CSS(`nav.nav a[href="/tanya"]`)),
		chromedp.WaitVisible(chromedp.CSS(`form.tanya-form`)),
		chromedp.SetValue(chromedp.CSS(`#f-name`), "Sekar Ayu Larasati"),
		chromedp.SetValue(chromedp.CSS(`#f-email`), "sekar@redaksi.example"),
		chromedp.SetValue(chromedp.CSS(`#f-outlet`), "Kabar Priangan"),
		chromedp.SetValue(chromedp.CSS(`#f-question`), question),
		chromedp.SetValue(chromedp.CSS(`#f-region`), "32.04"),
		chromedp.SetValue(chromedp.CSS(`#f-program`), "PKH"),
		chromedp.Click(chromedp.CSS(`input[name="consent_publish"]`)),
	); err != nil {
		t.Fatalf("fill in the form: %v", err)
	}
	screenshot(t, ctx, "tanya-form")
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`form.tanya-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.tanya-track code`)),
	); err != nil {
		t.Fatalf("send the form: %v", err)
	}
	screenshot(t, ctx, "tanya-sent")
	link, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.tanya-track code').textContent`))
	if !strings.HasPrefix(link, base+"/tanya/lacak/") {
		t.Fatalf("the confirmation shows %q", link)
	}
	sent, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main').textContent`))
	if !strings.Contains(sent, l.DateTime(deadline)) {
		t.Errorf("the confirmation does not give the deadline %s", l.DateTime(deadline))
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`main a.btn[href^="`+base+`/tanya/lacak/"]`)), chromedp.WaitVisible(chromedp.CSS(`.tanya-facts`))); err != nil {
		t.Fatalf("open the tracking link: %v", err)
	}
	status, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.tanya-facts .status').textContent`))
	if status != l.T("tanya.status.received") {
		t.Errorf("the tracking page says %q", status)
	}
	screenshot(t, ctx, "tanya-track")

	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/admin/tanya"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="password"]`)),
		chromedp.SetValue(chromedp.CSS(`input[name="name"]`), "ana"),
		chromedp.SetValue(chromedp.CSS(`input[name="password"]`), adminPass),
		chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.admin-nav`)),
		chromedp.Navigate(base+"/admin/tanya"),
		chromedp.WaitVisible(chromedp.CSS(`.tanya-queue`)),
	); err != nil {
		t.Fatalf("sign in and open the queue: %v", err)
	}
	screenshot(t, ctx, "admin-tanya")
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`.tanya-queue a[href="/admin/tanya/1"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#a-id`)),
		chromedp.SetValue(chromedp.CSS(`#a-id`), "Menurut rilis data 1, realisasi PKH **tahap 2025-Q3** sebagai berikut."),
		chromedp.SetValue(chromedp.CSS(`#a-en`), "As of data release 1, PKH's **2025-Q3** realisation is as follows."),
		chromedp.SetValue(chromedp.CSS(`#a-links`), "dataset realisasi 1 periode=2025-Q3&program=PKH"),
		chromedp.Click(chromedp.CSS(`form[action$="/draf"] button`)),
	); err != nil {
		t.Fatalf("draft the answer: %v", err)
	}
	waitLocation(t, ctx, "ok=draft")
	preview, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#pratinjau').innerHTML`))
	if !strings.Contains(preview, "<strong>tahap 2025-Q3</strong>") || !strings.Contains(preview, "PKH tahap 2025-Q3, Indonesia") {
		t.Errorf("the preview: %q", preview)
	}
	screenshot(t, ctx, "admin-tanya-request")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`form[action$="/jawab"] button`))); err != nil {
		t.Fatalf("publish: %v", err)
	}
	waitLocation(t, ctx, "ok=answered")

	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/tanya/terjawab"),
		chromedp.Click(chromedp.CSS(`.tanya-list a[href="/tanya/terjawab/1"]`)),
		chromedp.WaitVisible(chromedp.CSS(`article.tanya-answer h1`)),
	); err != nil {
		t.Fatalf("the published answer: %v", err)
	}
	screenshot(t, ctx, "tanya-answer")
	answer, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('article.tanya-answer').textContent`))
	for _, want := range []string{question, "tahap 2025-Q3", "PKH tahap 2025-Q3, Indonesia", l.T("tanya.figure_fixed")} {
		if !strings.Contains(answer, want) {
			t.Errorf("the answer's page lacks %q", want)
		}
	}
	if strings.Contains(answer, "Sekar") {
		t.Error("the answer's page names an asker who did not agree")
	}
	atom, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch('/tanya/terjawab.atom').then(function (r) { return r.text(); })`, chromedp.EvalAwaitPromise))
	if !strings.Contains(atom, base+"/tanya/terjawab/1") || !strings.Contains(atom, "Kabupaten Bandung") {
		t.Errorf("the Atom feed lacks the answer: %.300s", atom)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/wilayah/32.04"), chromedp.WaitVisible(chromedp.CSS(`.tanya-questions`))); err != nil {
		t.Fatalf("the region page: %v", err)
	}
	region, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.tanya-questions').innerHTML`))
	if !strings.Contains(region, `href="/tanya/terjawab/1"`) {
		t.Errorf("the region page does not list the answer: %q", region)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`.post-body`))); err != nil {
		t.Fatalf("the tracking page after the answer: %v", err)
	}
	track, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main').textContent`))
	if !strings.Contains(track, "tahap 2025-Q3") || !strings.Contains(track, l.T("tanya.status.answered")) {
		t.Error("the tracking page does not show the answer")
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/tanya/laporan"), chromedp.WaitVisible(chromedp.CSS(`table.tanya-report`))); err != nil {
		t.Fatalf("the service report: %v", err)
	}
	screenshot(t, ctx, "tanya-report")
	total, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('table.tanya-report tfoot td')).map(function (td) { return td.textContent; })`))
	if len(total) < 3 || total[0] != "1" || total[1] != "1" || total[2] != "1" {
		t.Errorf("the report's year: %v, want 1 received, 1 answered, 1 on time", total)
	}
	// No page of the desk scrolls sideways, on a laptop or a phone (the
	// refusal grounds' long names once widened the request page).
	for _, w := range []int64{1280, 390} {
		for _, p := range []string{"/tanya", "/tanya/terjawab", "/tanya/terjawab/1", "/tanya/laporan", strings.TrimPrefix(link, base), "/admin/tanya", "/admin/tanya/1"} {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, 800), chromedp.Navigate(base+p), chromedp.Sleep(200*time.Millisecond)); err != nil {
				t.Fatal(err)
			}
			if sw, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`)); err != nil || sw > float64(w) {
				t.Errorf("%s at %d px: %v px wide (%v)", p, w, sw, err)
			}
		}
	}
	// Every kind of page of the desk passes axe-core.
	checkAxe(t, ctx, base, "/tanya", "/tanya/terjawab", "/tanya/terjawab/1", "/tanya/laporan", strings.TrimPrefix(link, base),
		"/admin/tanya", "/admin/tanya/1", "/wilayah/32.04")
	log.check(t)
}
