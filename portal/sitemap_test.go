package portal

import (
	"encoding/xml"
	"net/url"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/testkit"
)

// TestRobotsAndSitemap: robots.txt points at the sitemap and keeps
// crawlers out of /admin, /embed/ and the API; the sitemap lists the
// datasets, every province and regency, the programmes and the published
// posts, and every URL in it answers.
func TestRobotsAndSitemap(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	robots := testkit.Get(t, s, "/robots.txt")
	for _, want := range []string{"User-agent: *", "Disallow: /admin", "Disallow: /embed/", "Sitemap: http://example.com/sitemap.xml"} {
		if !strings.Contains(robots.Body.String(), want) {
			t.Errorf("robots.txt lacks %q", want)
		}
	}
	w := testkit.Get(t, s, "/sitemap.xml")
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/xml") {
		t.Fatalf("sitemap: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	var set struct {
		XMLName xml.Name
		URLs    []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(w.Body.Bytes(), &set); err != nil {
		t.Fatal(err)
	}
	if set.XMLName.Space != "http://www.sitemaps.org/schemas/sitemap/0.9" || set.XMLName.Local != "urlset" {
		t.Errorf("root %v", set.XMLName)
	}
	kinds := map[string]int{}
	for i, u := range set.URLs {
		p, err := url.Parse(u.Loc)
		if err != nil || p.Host != "example.com" {
			t.Errorf("URL %q", u.Loc)
			continue
		}
		seg := strings.Split(strings.Trim(p.Path, "/"), "/")
		kind := seg[0]
		if kind == "wilayah" {
			kind += "/" + map[bool]string{true: "provinsi", false: "kabupaten"}[!strings.Contains(seg[1], ".")]
		}
		kinds[kind]++
		// Every dataset, programme and province page, and one regency in ten.
		if kind != "wilayah/kabupaten" || i%10 == 0 {
			if code := testkit.Get(t, s, p.RequestURI()).Code; code != 200 {
				t.Errorf("%s answers %d", u.Loc, code)
			}
		}
	}
	for kind, n := range map[string]int{"dataset": len(dataset.All) + 1, "wilayah/provinsi": 38, "wilayah/kabupaten": 500, "program": 6, "berita": 1} {
		if kinds[kind] < n {
			t.Errorf("sitemap has %d %s URLs, want at least %d (%v)", kinds[kind], kind, n, kinds)
		}
	}
}
