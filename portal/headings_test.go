package portal

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/testkit"
)

// TestOneH1AndHeadingsInOrder: every page has one h1, and no heading
// skips a level on the way down (an h2 never follows the h1 as an h4).
func TestOneH1AndHeadingsInOrder(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	heading := regexp.MustCompile(`<h([1-6])[ >]`)
	for _, page := range []string{"/", "/wilayah/32", "/wilayah/32.73", "/wilayah/32.73.01", "/program/PKH", "/dataset", "/dataset/penyaluran",
		"/grafik/nominal-per-triwulan", "/berita", "/cari?q=bandung", "/cari", "/wilayah", "/rilis", "/rilis/2", "/metodologi", "/status", "/admin/login", "/tidak-ada"} {
		body := testkit.Get(t, s, page).Body.String()
		levels := heading.FindAllStringSubmatch(body, -1)
		if n := strings.Count(body, "<h1"); n != 1 {
			t.Errorf("%s: %d h1", page, n)
		}
		prev := 0
		for _, m := range levels {
			l, _ := strconv.Atoi(m[1])
			if prev > 0 && l > prev+1 {
				t.Errorf("%s: an h%d after an h%d", page, l, prev)
				break
			}
			prev = l
		}
	}
}
