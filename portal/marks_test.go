package portal

import (
	"regexp"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/testkit"
)

// TestMissingNumbersHaveOneMarkEach: on every page a withheld number is
// "—" and one that does not exist or apply is "t.a.", never the other
// way round and never bare: each mark in a table cell or headline card
// carries its meaning (an abbr with its title), and the footer explains
// both once.
func TestMissingNumbersHaveOneMarkEach(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	bareDash := regexp.MustCompile(`(<(td|span)[^>]*class="(num|value)"[^>]*>|/ )\s*—\s*</(td|span)>`)
	bareNA := regexp.MustCompile(`>\s*t\.a\.\s*<`)
	naMark := regexp.MustCompile(`<abbr class="na" title="[^"]+">t\.a\.</abbr>`)
	var sawNA bool
	for _, page := range []string{"/", "/wilayah/32", "/wilayah/32.73", "/wilayah/32.73.01", "/program/PKH", "/program/ATENSI",
		"/dataset/realisasi", "/dataset/cakupan-desil", "/dataset/penyaluran", "/wilayah", "/metodologi",
		"/tanya", "/tanya/terjawab", "/tanya/laporan"} {
		body := testkit.Get(t, s, page).Body.String()
		if n := strings.Count(body, `class="marks"`); n != 1 {
			t.Errorf("%s: the marks are explained %d times", page, n)
		}
		if m := bareDash.FindString(body); m != "" {
			t.Errorf("%s: a bare dash: %s", page, m)
		}
		nas := len(bareNA.FindAllString(body, -1))
		marked := len(naMark.FindAllString(body, -1))
		if nas != marked {
			t.Errorf("%s: %d \"t.a.\", %d of them marked", page, nas, marked)
		}
		sawNA = sawNA || marked > 0
	}
	if !sawNA {
		t.Error("no page shows a \"t.a.\": the test sees nothing")
	}
}
