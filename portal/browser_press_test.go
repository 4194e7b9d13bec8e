package portal

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserAdminFlow: an admin logs in, writes a post, previews it,
// publishes it and finds it on /berita and the dashboard, in Chromium,
// with no script of the page's own and no console error.
func TestBrowserAdminFlow(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	s, _ := newWritableReleaseServer(t)
	withPressAccounts(t, s, &clock{t: pressT0})
	if _, err := s.Press.SeedDemo(context.Background(), pressT0.Add(-72*time.Hour)); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	base := srv.URL
	ctx, log := browse(t)

	// A reader does not see the "Cite in a release" action of a chart:
	// the page renders it hidden and no admin login marked the browser.
	const chart = "/grafik/penolakan-per-triwulan"
	if shown := citeShown(t, ctx, base+chart); shown {
		t.Fatal("a reader sees the cite action")
	}

	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/admin"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="password"]`)),
		chromedp.SetValue(chromedp.CSS(`input[name="name"]`), "ana"),
		chromedp.SetValue(chromedp.CSS(`input[name="password"]`), adminPass),
		chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.admin-nav`)),
	); err != nil {
		t.Fatalf("login: %v", err)
	}
	screenshot(t, ctx, "admin")
	// Signed in, the same cached page shows it; it opens a new post with
	// the chart attached, in words.
	if shown := citeShown(t, ctx, base+chart); !shown {
		t.Fatal("the cite action stays hidden after the admin login")
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`[data-press-cite] a`)),
		chromedp.WaitVisible(chromedp.CSS(`.citation-list`)),
	); err != nil {
		t.Fatalf("follow the cite action: %v", err)
	}
	cited, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.citation-list').textContent`))
	for _, want := range []string{"Penerima tertolak menurut alasan per triwulan", "rilis data", "Periode: "} {
		if !strings.Contains(cited, want) {
			t.Errorf("the editor's citation %q lacks %q", cited, want)
		}
	}
	screenshot(t, ctx, "admin-cite")
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/admin/tulis"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="title_id"]`)),
		chromedp.SetValue(chromedp.CSS(`input[name="title_id"]`), "Bansos PKH Tahap II Cair Pekan Ini"),
		chromedp.SetValue(chromedp.CSS(`textarea[name="summary_id"]`), "Penyaluran PKH tahap II dimulai di Jawa Barat."),
		chromedp.SetValue(chromedp.CSS(`textarea[name="body_id"]`), "Penyaluran **tahap II** dimulai.\n\n- Bank Himbara\n- PT Pos"),
		chromedp.SetValue(chromedp.CSS(`input[name="regions"]`), "32"),
		chromedp.Click(chromedp.CSS(`input[name="programs"][value="PKH"]`)),
		chromedp.Click(chromedp.CSS(`button[value="save"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#pratinjau`)),
	); err != nil {
		t.Fatalf("write and preview: %v", err)
	}
	preview, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#pratinjau .post-body').innerHTML`))
	if !strings.Contains(preview, "<strong>tahap II</strong>") {
		t.Errorf("preview: %q", preview)
	}
	screenshot(t, ctx, "admin-editor")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`form[action$="/terbitkan"] button`))); err != nil {
		t.Fatalf("publish: %v", err)
	}
	waitLocation(t, ctx, "ok=published")
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/berita"),
		chromedp.WaitVisible(chromedp.CSS(`.posts`)),
	); err != nil {
		t.Fatalf("publish: %v", err)
	}
	screenshot(t, ctx, "berita")
	first, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.post-card .post-title').textContent`))
	if !strings.Contains(first, "Bansos PKH Tahap II Cair Pekan Ini") {
		t.Fatalf("/berita shows %q first", first)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`.post-card .post-title a`)),
		chromedp.WaitVisible(chromedp.CSS(`article.post h1`)),
	); err != nil {
		t.Fatal(err)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.HasSuffix(loc, "/berita/bansos-pkh-tahap-ii-cair-pekan-ini") {
		t.Errorf("post address %s", loc)
	}
	screenshot(t, ctx, "berita-post")
	// The corrected demo clarification, with its embedded chart.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/berita?jenis=klarifikasi"),
		chromedp.Click(chromedp.CSS(`.post-card .post-title a`)),
		chromedp.WaitVisible(chromedp.CSS(`.notice.correction`)),
	); err != nil {
		t.Fatalf("corrected post: %v", err)
	}
	screenshot(t, ctx, "berita-corrected")
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`.posts`))); err != nil {
		t.Fatal(err)
	}
	home, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.posts').textContent`))
	if !strings.Contains(home, "Bansos PKH Tahap II") {
		t.Error("the dashboard does not show the new post")
	}
	// After the logout the action is hidden again.
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/admin"),
		chromedp.Click(chromedp.CSS(`form[action="/admin/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name="password"]`)),
	); err != nil {
		t.Fatalf("logout: %v", err)
	}
	if shown := citeShown(t, ctx, base+chart); shown {
		t.Error("the cite action is still shown after the logout")
	}
	log.check(t)
}

// citeShown opens page and reports whether its cite action is shown (not
// hidden, and laid out).
func citeShown(t *testing.T, ctx context.Context, page string) bool {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitReady(chromedp.CSS(`[data-press-cite]`))); err != nil {
		t.Fatalf("%s: %v", page, err)
	}
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(function () {
		var el = document.querySelector('[data-press-cite]');
		return !el.hidden && el.offsetParent !== null && getComputedStyle(el).display !== 'none';
	})()`))
	if err != nil {
		t.Fatalf("%s: %v", page, err)
	}
	return shown
}

// waitLocation waits until the page's address contains part (a form's
// redirect has landed).
func waitLocation(t *testing.T, ctx context.Context, part string) {
	t.Helper()
	var loc string
	for i := 0; i < 100; i++ {
		loc, _ = chromedp.Run(ctx, chromedp.Location())
		if strings.Contains(loc, part) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the page is %s, waited for %s", loc, part)
}
