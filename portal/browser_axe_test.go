package portal

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/portal-data-bansos/portal/internal/testkit"
)

// TestBrowserAxe runs axe-core (npm, pinned in tools/axe) in Chromium on
// each kind of page: no serious or critical accessibility violation.
func TestBrowserAxe(t *testing.T) {
	ctx, log, base := browseSite(t)
	checkAxe(t, ctx, base, "/", "/wilayah/32", "/wilayah/32.73", "/program/PKH", "/dataset", "/dataset/penyaluran",
		"/grafik/nominal-per-triwulan", "/embed/grafik/nominal-per-triwulan", "/berita", "/cari?q=bandung", "/wilayah", "/rilis/2", "/metodologi", "/status", "/admin/login")
	log.check(t)
}

// checkAxe runs axe-core (npm, pinned in tools/axe) in the browser on
// each page: no serious or critical accessibility violation. Without
// axe-core the test says so and is skipped.
func checkAxe(t *testing.T, ctx context.Context, base string, pages ...string) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "tools", "axe", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		testkit.Need(t, "no axe-core (make test installs it: npm ci --prefix tools/axe)")
	}
	for _, page := range pages {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+page), chromedp.WaitReady("body")); err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](string(src)+";true")); err != nil {
			t.Fatalf("%s: load axe: %v", page, err)
		}
		found, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`axe.run(document, {resultTypes: ["violations"]}).then(function (r) {
			return r.violations.filter(function (v) { return v.impact === "serious" || v.impact === "critical"; })
				.map(function (v) { return v.impact + " " + v.id + " (" + v.nodes.length + "): " + v.nodes[0].target.join(" ") + " — " + v.help; });
		})`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s: axe: %v", page, err)
		}
		for _, v := range found {
			t.Errorf("%s: %s", page, v)
		}
	}
}
