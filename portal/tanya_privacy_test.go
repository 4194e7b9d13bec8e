package portal

import (
	"bytes"
	"context"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/kip"
	"github.com/portal-data-bansos/portal/internal/press"
)

// deskAsker is someone who asked, with what they agreed to.
type deskAsker struct {
	name, email, outlet string
	publish, showName   bool
	outcome             string // press.RequestAnswered, RequestRefused, or open
}

// TestTanyaNoPersonalDataPublished asks several questions with
// distinctive names and addresses (consenting to publication or not, to
// their name or not; answered, refused or open), then crawls every public
// page reachable from the home page, the desk's pages, both sets of
// feeds, the report and its CSV, the sitemap and the API: no asker's
// e-mail address appears anywhere, and no name or outlet unless that
// asker agreed to both publication and their name.
func TestTanyaNoPersonalDataPublished(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("crawl")
	}
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, kip.Jakarta)
	ps := newDeskSite(t, t0)
	s := ps.s
	ctx := context.Background()
	askers := []deskAsker{
		{"Zulkarnain Wiratmadja", "zulkarnain.wiratmadja@koransatu.example", "Koran Satu Zeta", true, true, press.RequestAnswered},
		{"Theodora Kusumaningrum", "theodora.kusumaningrum@majalah.example", "Majalah Theta Kappa", true, false, press.RequestAnswered},
		{"Yohanes Prasetyadi", "yohanes.prasetyadi@warta.example", "Warta Ypsilon", false, false, press.RequestAnswered},
		{"Xaverius Gunawardhana", "xaverius.gunawardhana@radio.example", "Radio Xi Omikron", false, true, press.RequestAnswered},
		{"Wilhelmina Sastrowardoyo", "wilhelmina.sastro@tv.example", "TV Wilhelm", true, true, press.RequestReceived},
		{"Valentino Hadiningrat", "valentino.hadiningrat@daring.example", "Daring Vega", true, true, press.RequestRefused},
	}
	admin, err := s.Press.Authenticate(ctx, "ana", adminPass)
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range askers {
		r, _, err := s.Press.SubmitRequest(ctx, press.Ask{Name: a.name, Email: a.email, Outlet: a.outlet,
			Question: "Pertanyaan nomor " + string(rune('A'+i)) + " tentang penyaluran PKH di Kabupaten Bandung tahun ini?",
			Region:   "32.04", Program: "PKH", ConsentPublishQuestion: a.publish, ConsentPublishName: a.showName}, t0)
		if err != nil {
			t.Fatal(err)
		}
		switch a.outcome {
		case press.RequestAnswered:
			if err := s.Press.SaveDraft(ctx, admin, r.ID, i18n.Text{ID: "Jawaban untuk permohonan ini.", EN: "The answer."}, nil, t0.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			err = s.Press.Answer(ctx, admin, r.ID, t0.Add(2*time.Hour))
		case press.RequestRefused:
			err = s.Press.Refuse(ctx, admin, r.ID, "pasal17h", "Data pribadi.", t0.Add(2*time.Hour))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Press.SeedDemo(ctx, t0.Add(-72*time.Hour)); err != nil {
		t.Fatal(err)
	}
	s.ForgetStamp()

	// What each answer may show: the consenting, named asker's name and
	// outlet; nothing of the others', and no e-mail address at all.
	var allowed, forbidden []string
	for _, a := range askers {
		forbidden = append(forbidden, a.email, strings.Split(a.email, "@")[0])
		if a.publish && a.showName && a.outcome == press.RequestAnswered {
			allowed = append(allowed, a.name, a.outlet)
			continue
		}
		forbidden = append(forbidden, a.name, a.outlet)
	}
	leak := func(b []byte) string {
		b = bytes.ToLower(b)
		for _, f := range forbidden {
			if bytes.Contains(b, []byte(strings.ToLower(f))) {
				return f
			}
		}
		return ""
	}

	cr := newCrawler(s, 15)
	cr.skip = func(u *url.URL) bool {
		return strings.HasPrefix(u.Path, "/static/") || strings.HasPrefix(u.Path, "/admin")
	}
	cr.always = func(u *url.URL) bool { return strings.HasPrefix(u.Path, "/tanya") }
	add := cr.add
	for _, u := range []string{"/", "/tanya", "/tanya/terjawab", "/tanya/laporan", "/tanya/laporan.csv", "/tanya/laporan?tahun=2026",
		"/tanya/terjawab.atom", "/tanya/terjawab.rss", "/tanya/terjawab.json", "/tanya/terjawab?wilayah=32", "/tanya/terjawab.atom?program=PKH",
		"/feed.atom", "/feed.xml", "/feed.json", "/berita", "/sitemap.xml", "/robots.txt", "/api/openapi.json",
		"/wilayah/32.04", "/wilayah/32", "/program/PKH", "/?lang=en", "/tanya/terjawab?lang=en"} {
		add(u)
	}
	shown := map[string]bool{}
	cr.run(t, 60*time.Second, func(u string, rec *httptest.ResponseRecorder, bodies [][]byte) {
		if rec.Code != http.StatusOK {
			if strings.HasPrefix(u, "/tanya") {
				t.Errorf("%s: status %d", u, rec.Code)
			}
			return
		}
		for _, b := range bodies {
			if f := leak(b); f != "" {
				t.Errorf("%s shows %q", u, f)
			}
			if bytes.Contains(b, []byte("[tanya.")) {
				t.Errorf("%s shows a message key of the desk's instead of its text", u)
			}
			for _, a := range allowed {
				if bytes.Contains(b, []byte(a)) {
					shown[a] = true
				}
			}
			switch {
			case u == "/sitemap.xml":
				var set struct {
					URLs []struct {
						Loc string `xml:"loc"`
					} `xml:"url"`
				}
				if err := xml.Unmarshal(b, &set); err != nil {
					t.Fatal(err)
				}
				for _, l := range set.URLs {
					if p, err := url.Parse(l.Loc); err == nil {
						add(p.RequestURI())
					}
				}
			case u == "/api/openapi.json":
				addAPIPaths(t, b, add)
			}
		}
	})
	// The detector finds what it looks for: the consenting asker is named.
	for _, a := range allowed {
		if !shown[a] {
			t.Errorf("%q is shown nowhere: the crawl missed the published answers", a)
		}
	}
	for _, u := range []string{"/tanya/terjawab/1", "/tanya/terjawab/2", "/tanya/laporan.csv"} {
		if !cr.seen[u] {
			t.Errorf("the crawl did not reach %s", u)
		}
	}
	for _, u := range []string{"/tanya/terjawab/3", "/tanya/terjawab/4", "/tanya/terjawab/5", "/tanya/terjawab/6"} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, u, nil))
		if rec.Code != http.StatusNotFound {
			t.Errorf("%s (not for publication, or not answered): %d", u, rec.Code)
		}
	}
	t.Logf("%d answers checked for %d names and addresses", cr.fetched, len(forbidden))
}
