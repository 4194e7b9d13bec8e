package pages

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/testkit"
)

// TestEveryEmbedLinkAnswers: inside the embeds of a region, a programme
// and a national chart, every link and script answers 200 (the region
// embed's links once pointed to /embed/embed/…), and the embed's own
// links and code are pinned to the period and the release.
func TestEveryEmbedLinkAnswers(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	attr := regexp.MustCompile(`(?:href|src)="([^"]+)"`)
	for _, page := range []struct{ url, chart string }{
		{"/wilayah/32.73", "wilayah-program"},
		{"/wilayah/32?periode=2025-Q1", "wilayah-anak"},
		{"/program/SEMBAKO", "program-provinsi"},
		{"/grafik/nominal-per-triwulan", "nominal-per-triwulan"},
	} {
		body := testkit.Get(t, s, page.url).Body.String()
		// The page's embed code for the chart names its embed URL.
		m := regexp.MustCompile(`&lt;iframe src=&#34;http://example.com(/embed/[^&]*\?[^ ]*?grafik=` + page.chart + `[^ ]*?)&#34;`).FindStringSubmatch(body)
		if m == nil {
			m = regexp.MustCompile(`&lt;iframe src=&#34;http://example.com(/embed/grafik/` + page.chart + `\?[^ ]*?)&#34;`).FindStringSubmatch(body)
		}
		if m == nil {
			t.Errorf("%s: no embed code for %s", page.url, page.chart)
			continue
		}
		embed := strings.ReplaceAll(strings.ReplaceAll(m[1], "&amp;amp;", "&"), "&amp;", "&")
		if !strings.Contains(embed, "release=2") || !strings.Contains(embed, "periode=") {
			t.Errorf("%s: embed %s is not pinned to a release and a period", page.url, embed)
		}
		w := testkit.Get(t, s, embed)
		if w.Code != 200 {
			t.Errorf("%s: embed %s answers %d", page.url, embed, w.Code)
			continue
		}
		for _, a := range attr.FindAllStringSubmatch(w.Body.String(), -1) {
			link := strings.ReplaceAll(a[1], "&amp;", "&")
			u, err := url.Parse(link)
			if err != nil || (u.Host != "" && u.Host != "example.com") || strings.HasPrefix(link, "#") {
				continue
			}
			if u.Path == "" {
				continue
			}
			if strings.HasPrefix(u.Path, "/embed/embed/") {
				t.Errorf("%s: embed links to %s", embed, link)
			}
			target := u.RequestURI()
			if code := testkit.Get(t, s, target).Code; code != 200 {
				t.Errorf("%s: link %s answers %d", embed, link, code)
			}
			if strings.Contains(link, "grafik=") || strings.HasPrefix(u.Path, "/grafik/") {
				if !strings.Contains(link, "release=2") {
					t.Errorf("%s: link %s is not pinned to the release", embed, link)
				}
			}
		}
	}
}

// TestPagesHonourRelease: a cited page shows exactly what was cited:
// ?release=N shows release N with a note that a newer one is in force,
// and an unknown release is a 400 as on downloads.
func TestPagesHonourRelease(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	for _, sc := range []testkit.Scenario{
		{Name: "region, unknown release", URL: "/wilayah/32.73?release=99", ExpectedStatus: 400, ExpectedContent: []string{"release"}},
		{Name: "programme, unknown release", URL: "/program/PKH?release=0", ExpectedStatus: 400},
		{Name: "chart, unknown release", URL: "/grafik/nominal-per-triwulan?release=x", ExpectedStatus: 400},
		{Name: "region, old release", URL: "/wilayah/32?release=1", ExpectedStatus: 200,
			ExpectedContent: []string{"Anda melihat rilis 1. Rilis yang berlaku adalah rilis 2.", "release=1"},
			ExpectedHeaders: map[string]string{"Cache-Control": "public, max-age=31536000, immutable"}},
		{Name: "programme, release in force", URL: "/program/PKH?release=2", ExpectedStatus: 200,
			NotExpected: []string{"Anda melihat rilis"}},
	} {
		sc.Run(t, s)
	}
}

// TestCitationsOnEveryView: region, programme, chart, dashboard and
// dataset views each carry a citation whose URL is absolute and pinned
// to the release and to the filters in view, with BibTeX and RIS.
func TestCitationsOnEveryView(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	citeURL := regexp.MustCompile(`data-cite-url>([^<]+)<`)
	for _, v := range []struct {
		url  string
		want []string
	}{
		{"/wilayah/32.73?program=SEMBAKO", []string{"program=SEMBAKO", "periode=2025-Q4", "release=2"}},
		{"/program/PKH?periode=2025-Q2", []string{"/program/PKH?", "periode=2025-Q2", "release=2"}},
		{"/grafik/nominal-per-triwulan", []string{"/grafik/nominal-per-triwulan?", "release=2", "periode=2025-Q4"}},
		{"/?program=PKH", []string{"program=PKH", "periode=2025-Q4", "release=2"}},
		{"/dataset/penyaluran?program=BLT&tingkat=provinsi", []string{"/dataset/penyaluran?", "program=BLT", "tingkat=provinsi", "release=2"}},
	} {
		body := testkit.Get(t, s, v.url).Body.String()
		m := citeURL.FindStringSubmatch(body)
		if m == nil {
			t.Errorf("%s: no citation", v.url)
			continue
		}
		u := strings.ReplaceAll(m[1], "&amp;", "&")
		if !strings.HasPrefix(u, "http://example.com/") {
			t.Errorf("%s: citation URL %s is not absolute", v.url, u)
		}
		for _, w := range v.want {
			if !strings.Contains(u, w) {
				t.Errorf("%s: citation URL %s lacks %s", v.url, u, w)
			}
		}
		for _, w := range []string{"@misc{", "TY  - DATA", "CC BY 4.0", "Cara mengutip"} {
			if !strings.Contains(body, w) {
				t.Errorf("%s: citation lacks %q", v.url, w)
			}
		}
		// The cited URL answers and shows the same numbers.
		pu, _ := url.Parse(u)
		cited := testkit.Get(t, s, pu.RequestURI())
		if cited.Code != 200 {
			t.Errorf("%s: cited URL %s answers %d", v.url, u, cited.Code)
			continue
		}
		nums := regexp.MustCompile(`<td class="num">([^<]*)</td>`)
		// The numbers of the view, not the download checksums a dataset
		// page lists once they are computed in the background.
		view := func(s string) string { before, _, _ := strings.Cut(s, `id="checksum"`); return before }
		a, b := nums.FindAllString(view(body), -1), nums.FindAllString(view(cited.Body.String()), -1)
		if len(a) == 0 || strings.Join(a, "") != strings.Join(b, "") {
			t.Errorf("%s: the cited URL %s shows other numbers (%d cells, %d cited)", v.url, u, len(a), len(b))
		}
	}
}
