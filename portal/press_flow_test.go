package portal

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/portal-data-bansos/portal/internal/press"
)

// TestScheduledPublicationAndCorrection walks a post through its life:
// an editor writes and submits it, an admin schedules it, the scheduler
// publishes it at its time (not a minute before), the dashboard and
// /berita show it, an admin corrects it (same address, public history)
// and retracts it (tombstone).
func TestScheduledPublicationAndCorrection(t *testing.T) {
	t.Parallel()
	s, _ := newWritableReleaseServer(t)
	ck := &clock{t: pressT0}
	s.Now = ck.now
	ps := withPressAccounts(t, s, ck)
	ctx := context.Background()

	ed := ps.client(t)
	ed.login("budi", editorPass)
	form := draftForm("Penyaluran PKH Tahap I")
	form.Set("links", "dataset penyaluran 99 program=PKH")
	ed.get("/admin/tulis")
	resp, body := ed.post("/admin/tulis", form)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "rilis data 99 tidak ada") {
		t.Errorf("a link to a release that does not exist: %d", resp.StatusCode)
	}
	form.Del("csrf")
	form.Set("links", "dataset penyaluran 2 program=PKH&tingkat=provinsi")
	path := ed.write(form)
	_, body = ed.get(path)
	if !strings.Contains(body, "Pratinjau") || !strings.Contains(body, "<strong>penting</strong>") {
		t.Error("the editor shows no preview")
	}
	wantStatus(t, "submit", first(ed.post(path+"/ajukan", nil)), 200)

	home := ps.client(t)
	_, before := home.get("/") // cached before the publication
	if strings.Contains(before, "Penyaluran PKH Tahap I") {
		t.Fatal("a draft shows on the dashboard")
	}

	ad := ps.client(t)
	ad.login("ana", adminPass)
	ad.get(path)
	// 10:00 WIB = 03:00 UTC, two hours after the clock.
	resp, body = ad.post(path+"/jadwalkan", url.Values{"publish_at": {"2026-03-02T10:00"}})
	wantStatus(t, "schedule", resp, 200)
	if !strings.Contains(body, "2 Maret 2026 10.00 WIB") {
		t.Error("the schedule is not shown in WIB")
	}
	due := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)
	if n, _ := s.Press.PublishDue(ctx, due.Add(-time.Minute)); n != 0 {
		t.Fatal("published before its time")
	}
	_, list := home.get("/berita")
	if strings.Contains(list, "Penyaluran PKH Tahap I") {
		t.Fatal("an embargoed post is listed")
	}
	// The cron job runs with the site's clock.
	ck.set(due)
	// As StartPublisher does: a publication makes pages read the press
	// store's version again.
	p := &press.Publisher{Store: s.Press, Log: s.Log, Now: s.Now, OnPublish: s.ForgetStamp}
	p.RunOnce(ctx)
	post, _ := s.Press.Get(ctx, 1)
	if post.Status != press.StatusPublished || !post.Published.Equal(due) {
		t.Fatalf("after the scheduler: %s at %v", post.Status, post.Published)
	}
	_, list = home.get("/berita")
	if !strings.Contains(list, `href="/berita/penyaluran-pkh-tahap-i"`) {
		t.Fatal("/berita does not list the published post")
	}
	_, after := home.get("/")
	if !strings.Contains(after, "Penyaluran PKH Tahap I") {
		t.Fatal("the dashboard still shows the cached page without the post")
	}
	resp, page := home.get("/berita/penyaluran-pkh-tahap-i")
	wantStatus(t, "post page", resp, 200)
	for _, want := range []string{`<meta property="og:title" content="Penyaluran PKH Tahap I">`, `name="twitter:card"`,
		`content="2026-03-02T10:00:00&#43;07:00"`, `href="/dataset/penyaluran?program=PKH&amp;release=2&amp;tingkat=provinsi"`,
		"Kabupaten Bandung", "<strong>penting</strong>", `rel="canonical" href="` + ps.srv.URL + `/berita/penyaluran-pkh-tahap-i"`} {
		if !strings.Contains(page, want) {
			t.Errorf("post page lacks %s", want)
		}
	}
	_, en := home.get("/berita/penyaluran-pkh-tahap-i?lang=en")
	if !strings.Contains(en, "EN Penyaluran PKH Tahap I") {
		t.Error("the English version is not shown in English")
	}
	home.get("/berita?lang=id") // back to Indonesian (the choice is remembered)

	feedBefore := parseFeeds(t, home)

	// A published post cannot be edited silently: saving is a correction
	// and needs a note.
	form = draftForm("Penyaluran PKH Tahap I")
	form.Set("links", "dataset penyaluran 2 program=PKH&tingkat=provinsi")
	form.Set("body_id", "Isi **penting**, angka diperbaiki.")
	resp, _ = ed.post(path, form)
	wantStatus(t, "editor edits a published post", resp, http.StatusForbidden)
	ad.get(path)
	form.Del("csrf")
	resp, _ = ad.post(path, form)
	wantStatus(t, "correction without note", resp, http.StatusUnprocessableEntity)
	ck.set(due.Add(26 * time.Hour))
	if resp, _ := ad.get(path); resp.Request.URL.Path != "/admin/login" {
		t.Error("a session outlived its 12 hours")
	}
	ad.login("ana", adminPass)
	ad.get(path)
	form.Del("csrf")
	form.Set("note", "Angka penerima diperbaiki")
	resp, body = ad.post(path, form)
	wantStatus(t, "correction of a bilingual post without an English note", resp, http.StatusUnprocessableEntity)
	if !strings.Contains(body, "Apa yang diralat (Inggris)") {
		t.Error("the refusal does not name the English note")
	}
	form.Del("csrf")
	form.Set("note_en", "Recipient numbers corrected")
	resp, _ = ad.post(path, form)
	wantStatus(t, "correction", resp, 200)
	_, page = home.get("/berita/penyaluran-pkh-tahap-i")
	for _, want := range []string{"Diperbarui/Ralat 3 Maret 2026 12.00 WIB", "Angka penerima diperbaiki", "angka diperbaiki", "Riwayat perubahan", "?rev=1"} {
		if !strings.Contains(page, want) {
			t.Errorf("corrected page lacks %q", want)
		}
	}
	_, old := home.get("/berita/penyaluran-pkh-tahap-i?rev=1")
	if !strings.Contains(old, "Isi <strong>penting</strong>.") || !strings.Contains(old, "versi 1") {
		t.Error("revision 1 is not shown as it was")
	}

	feedAfter := parseFeeds(t, home)
	for format, items := range feedBefore {
		orig := items[0]
		var found *gofeed.Item
		var correction *gofeed.Item
		for _, it := range feedAfter[format] {
			if it.GUID == orig.GUID {
				found = it
			} else if strings.Contains(it.GUID, "/ralat/") {
				correction = it
			}
		}
		if found == nil {
			t.Errorf("%s: the post's id changed with the correction (was %s)", format, orig.GUID)
			continue
		}
		if format != "rss" && (found.UpdatedParsed == nil || !found.UpdatedParsed.After(*orig.UpdatedParsed)) {
			t.Errorf("%s: updated did not move: %v → %v", format, orig.Updated, found.Updated)
		}
		if correction == nil || !strings.Contains(correction.Link, "/berita/penyaluran-pkh-tahap-i") {
			t.Errorf("%s: no correction entry linking to the original", format)
		}
	}

	// Retraction leaves a tombstone.
	ck.set(due.Add(48 * time.Hour))
	ad.login("ana", adminPass)
	ad.get(path)
	resp, _ = ad.post(path+"/cabut", url.Values{"note": {"Data ditarik untuk diperiksa ulang"}})
	wantStatus(t, "retract", resp, 200)
	resp, page = home.get("/berita/penyaluran-pkh-tahap-i")
	wantStatus(t, "tombstone", resp, http.StatusGone)
	if !strings.Contains(page, "telah dicabut") || !strings.Contains(page, "Data ditarik untuk diperiksa ulang") || strings.Contains(page, "angka diperbaiki") {
		t.Error("the tombstone does not say what happened, or still shows the body")
	}
	_, list = home.get("/berita")
	if strings.Contains(list, "penyaluran-pkh-tahap-i") {
		t.Error("a retracted post is still listed")
	}
	_, atom := home.get("/feed.atom")
	if !strings.Contains(atom, "[Dicabut]") {
		t.Error("the feed does not carry the retraction")
	}
	log, _ := s.Press.Audit(ctx, 0)
	actions := ""
	for _, e := range log {
		actions += e.User + ":" + e.Action + " "
	}
	for _, want := range []string{"budi:post.create", "budi:post.submit", "ana:post.schedule", "system:post.publish", "ana:post.correct", "ana:post.retract"} {
		if !strings.Contains(actions, want) {
			t.Errorf("audit log lacks %s: %s", want, actions)
		}
	}
}

// parseFeeds reads the three feeds with a real feed reader library and
// checks their dates, self links and conditional GET.
func parseFeeds(t *testing.T, c *client) map[string][]*gofeed.Item {
	t.Helper()
	out := map[string][]*gofeed.Item{}
	for format, path := range map[string]string{"atom": "/feed.atom", "rss": "/feed.xml", "json": "/feed.json"} {
		resp, body := c.get(path)
		wantStatus(t, path, resp, 200)
		f, err := gofeed.NewParser().ParseString(body)
		if err != nil {
			t.Fatalf("%s does not parse: %v", path, err)
		}
		if len(f.Items) == 0 {
			t.Fatalf("%s has no items", path)
		}
		for _, it := range f.Items {
			if it.PublishedParsed == nil {
				t.Errorf("%s: item %s has no parsable publication date (%q)", path, it.GUID, it.Published)
			}
			if format != "rss" && (it.UpdatedParsed == nil || !strings.HasSuffix(it.Updated, "+07:00")) {
				t.Errorf("%s: item %s updated %q is not RFC 3339 in +07:00", path, it.GUID, it.Updated)
			}
			if !strings.HasPrefix(it.Link, c.base+"/berita/") {
				t.Errorf("%s: link %q is not absolute", path, it.Link)
			}
			if format == "rss" && it.GUID == "" {
				t.Errorf("%s: item without guid", path)
			}
		}
		if !strings.Contains(resp.Header.Get("Link"), `rel="self"`) {
			t.Errorf("%s: no Link rel=self header", path)
		}
		req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
		req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
		r2, _ := c.do(req)
		if r2.StatusCode != http.StatusNotModified {
			t.Errorf("%s: If-None-Match gave %d", path, r2.StatusCode)
		}
		out[format] = f.Items
	}
	return out
}

func TestFeedFiltersAndHub(t *testing.T) {
	t.Parallel()
	ps := newPressSite(t, func(o *Options) {
		o.BaseURL = "https://data.example.go.id"
		o.WebSubHub = "https://hub.example.org/"
	})
	ctx := context.Background()
	n, err := ps.s.Press.SeedDemo(ctx, pressT0)
	if err != nil || n == 0 {
		t.Fatal(n, err)
	}
	c := ps.client(t)
	for _, tc := range []struct {
		query string
		want  int // posts (corrections come as extra entries)
	}{
		{"", 3},
		{"?program=PKH&wilayah=32", 2}, // a province finds posts about its regencies
		{"?program=BLT&wilayah=32.04", 1},
		{"?wilayah=31", 0},
		{"?kategori=layanan", 1},
		{"?jenis=klarifikasi", 1},
	} {
		resp, body := c.get("/feed.atom" + tc.query)
		wantStatus(t, tc.query, resp, 200)
		f, err := gofeed.NewParser().ParseString(body)
		if err != nil {
			t.Fatal(err)
		}
		posts := 0
		for _, it := range f.Items {
			if !strings.Contains(it.GUID, "/ralat/") {
				posts++
			}
			if !strings.HasPrefix(it.GUID, "tag:data.example.go.id,") || !strings.HasPrefix(it.Link, "https://data.example.go.id/berita/") {
				t.Errorf("%s: id %s link %s not from the base URL", tc.query, it.GUID, it.Link)
			}
		}
		if posts != tc.want {
			t.Errorf("%s: %d posts, want %d", tc.query, posts, tc.want)
		}
		if !strings.Contains(body, `<link rel="hub" href="https://hub.example.org/">`) {
			t.Errorf("%s: no hub link", tc.query)
		}
		if !strings.Contains(body, `<link rel="self" href="https://data.example.go.id/feed.atom`+strings.ReplaceAll(tc.query, "&", "&amp;")) {
			t.Errorf("%s: self link is not the filtered feed", tc.query)
		}
	}
	resp, _ := c.get("/feed.json?wilayah=99")
	wantStatus(t, "bad region", resp, http.StatusBadRequest)
	resp, _ = c.get("/berita?program=NOPE")
	wantStatus(t, "bad programme", resp, http.StatusBadRequest)
	// The demo: enclosures for the attachment, one correction entry.
	_, body := c.get("/feed.json")
	var jf struct {
		Version string `json:"version"`
		Hubs    []struct{ Type, URL string }
		Items   []struct {
			ID          string `json:"id"`
			Attachments []struct {
				URL      string `json:"url"`
				MimeType string `json:"mime_type"`
			} `json:"attachments"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &jf); err != nil {
		t.Fatal(err)
	}
	atts, corrections := 0, 0
	for _, it := range jf.Items {
		atts += len(it.Attachments)
		if strings.Contains(it.ID, "/ralat/") {
			corrections++
		}
		for _, a := range it.Attachments {
			if a.MimeType != "image/png" {
				t.Errorf("attachment type %s", a.MimeType)
			}
			u, _ := url.Parse(a.URL)
			resp, _ := c.get(u.Path)
			wantStatus(t, "enclosure", resp, 200)
		}
	}
	if jf.Version != "https://jsonfeed.org/version/1.1" || len(jf.Hubs) != 1 || atts != 1 || corrections != 1 {
		t.Errorf("JSON feed: version %s, hubs %d, attachments %d, corrections %d", jf.Version, len(jf.Hubs), atts, corrections)
	}
	_, page := c.get("/berita")
	if strings.Count(page, `class="post-card"`) != 3 || !strings.Contains(page, "Contoh") {
		t.Error("/berita does not list the demo posts as examples")
	}
}

var activeMarkup = regexp.MustCompile(`(?i)<script[^>]*>alert|<img[^>]+\sonerror\s*=|<svg[^>]*\sonload\s*=|href="javascript:`)

// TestXSSIsInert puts script in every field an author controls and checks
// that pages and feeds carry it as text only.
func TestXSSIsInert(t *testing.T) {
	t.Parallel()
	ps := newPressSite(t, nil)
	ad := ps.client(t)
	ad.login("ana", adminPass)
	x := `<script>alert(1)</script><img src=x onerror=alert(1)>`
	form := draftForm(x)
	form.Set("summary_id", x)
	form.Set("summary_en", x)
	form.Set("body_id", x+"\n\n[klik](javascript:alert(1)) <svg onload=alert(1)>")
	form.Set("title_en", x)
	form.Set("body_en", x)
	form.Set("tags", `"><script>alert(1)</script>, <img src=x onerror=alert(1)>`)
	path := ad.write(form)
	ad.get(path)
	resp, _ := ad.upload(path+"/lampiran", `"><img src=x onerror=alert(1)>.png`, press.DemoPNG(), "alt_id", `"><script>alert(1)</script>`, "alt_en", `' onload='alert(1)`)
	wantStatus(t, "upload with a hostile name", resp, 200)
	ad.get(path)
	wantStatus(t, "publish", first(ad.post(path+"/terbitkan", nil)), 200)
	post, _ := ps.s.Press.Get(context.Background(), 1)
	c := ps.client(t)
	for _, p := range []string{"/berita", "/berita/" + post.Slug, "/berita/" + post.Slug + "?lang=en", path} {
		cl := c
		if strings.HasPrefix(p, "/admin") {
			cl = ad
		}
		resp, body := cl.get(p)
		wantStatus(t, p, resp, 200)
		if m := activeMarkup.FindString(body); m != "" {
			t.Errorf("%s carries active markup: %s", p, m)
		}
	}
	for _, p := range []string{"/feed.atom", "/feed.xml"} {
		_, body := c.get(p)
		if m := activeMarkup.FindString(body); m != "" {
			t.Errorf("%s carries active markup: %s", p, m)
		}
		// The escaped HTML content, once unescaped by a reader, must be
		// inert too.
		dec := xml.NewDecoder(strings.NewReader(body))
		for {
			tok, err := dec.Token()
			if err != nil {
				break
			}
			if cd, ok := tok.(xml.CharData); ok {
				if m := activeMarkup.FindString(string(cd)); m != "" && !strings.Contains(string(cd), "&lt;") {
					// Titles are text (shown as text by readers); HTML
					// content must not contain active markup.
					if strings.Contains(string(cd), "<p>") {
						t.Errorf("%s: HTML content carries %s", p, m)
					}
				}
			}
		}
	}
	// RSS readers render <description> as HTML: the plain-text summary,
	// once XML-decoded, must still be escaped HTML.
	_, rss := c.get("/feed.xml")
	rf, err := gofeed.NewParser().ParseString(rss)
	if err != nil || len(rf.Items) == 0 {
		t.Fatalf("RSS does not parse: %v", err)
	}
	for _, it := range rf.Items {
		if m := activeMarkup.FindString(it.Description); m != "" || !strings.Contains(it.Description, "&lt;script&gt;") {
			t.Errorf("RSS <description> %q is rendered by readers as markup (%s)", it.Description, m)
		}
	}
	_, body := c.get("/feed.json")
	var jf struct {
		Items []struct {
			ContentHTML string `json:"content_html"`
		} `json:"items"`
	}
	json.Unmarshal([]byte(body), &jf)
	for _, it := range jf.Items {
		if m := activeMarkup.FindString(it.ContentHTML); m != "" {
			t.Errorf("JSON feed content_html carries %s", m)
		}
	}
}

func TestAttachments(t *testing.T) {
	t.Parallel()
	ps := newPressSite(t, nil)
	ad, path := ps.adminDraft(t, "Dengan lampiran")
	pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	for name, data := range map[string][]byte{
		"laporan.pdf":    press.DemoPNG(), // a PNG that says it is a PDF
		"gambar.png":     pdf,
		"halaman.html":   []byte("<html><script>alert(1)</script></html>"),
		"gambar.svg.png": []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`),
	} {
		resp, body := ad.upload(path+"/lampiran", name, data)
		wantStatus(t, "lying upload "+name, resp, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "Lampiran: ") {
			t.Errorf("%s: refusal does not name the field", name)
		}
		if name == "laporan.pdf" && !strings.Contains(body, "isi berkas image/png tetapi namanya berakhiran &#34;.pdf&#34;") {
			t.Errorf("the refusal of a lying extension does not say why in Indonesian")
		}
	}
	wantStatus(t, "pdf", first(ad.upload(path+"/lampiran", "laporan.pdf", pdf)), 200)
	atts, _ := ps.s.Press.Attachments(context.Background(), 1)
	if len(atts) != 1 || atts[0].SHA256 == "" || atts[0].ContentType != "application/pdf" {
		t.Fatalf("attachments: %+v", atts)
	}
	c := ps.client(t)
	resp, _ := c.get("/lampiran/1/laporan.pdf")
	wantStatus(t, "attachment of a draft", resp, http.StatusNotFound)
	ad.get(path)
	ad.post(path+"/terbitkan", nil)
	resp, body := c.get("/lampiran/1/laporan.pdf")
	wantStatus(t, "attachment", resp, 200)
	for k, want := range map[string]string{"Content-Type": "application/pdf", "X-Content-Type-Options": "nosniff",
		"Content-Disposition": `attachment; filename="laporan.pdf"`, "Content-Security-Policy": "sandbox", "ETag": atts[0].SHA256} {
		if got := resp.Header.Get(k); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if body != string(pdf) {
		t.Error("attachment bytes differ")
	}
	_, page := c.get("/berita/dengan-lampiran")
	if !strings.Contains(page, atts[0].SHA256) {
		t.Error("the post does not show the attachment's checksum")
	}
	// On a published post a new attachment is a public correction, and
	// only an admin may add it.
	ed := ps.client(t)
	ed.login("budi", editorPass)
	ed.get(path)
	resp, _ = ed.upload(path+"/lampiran", "lagi.pdf", pdf)
	wantStatus(t, "editor attaches to a published post", resp, http.StatusConflict)
	ad.get(path)
	resp, _ = ad.upload(path+"/lampiran", "lagi.pdf", pdf)
	wantStatus(t, "admin attaches to a published post", resp, 200)
	_, page = c.get("/berita/dengan-lampiran")
	if !strings.Contains(page, "Diperbarui/Ralat") || !strings.Contains(page, "Lampiran ditambahkan: lagi.pdf") || !strings.Contains(page, "lagi.pdf</a>") {
		t.Error("an attachment added after publication is not shown as a correction")
	}
}

// TestWebSubPingAndAbsoluteLinks: publishing pings the hub for each feed,
// and links inside feed content are absolute.
func TestWebSubPingAndAbsoluteLinks(t *testing.T) {
	t.Parallel()
	pings := make(chan string, 10)
	hub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if r.Form.Get("hub.mode") == "publish" {
			pings <- r.Form.Get("hub.url")
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(hub.Close)
	ps := newPressSite(t, func(o *Options) { o.WebSubHub = hub.URL })
	ad := ps.client(t)
	ad.login("ana", adminPass)
	form := draftForm("Dengan tautan")
	form.Set("body_id", "Lihat [data](/dataset/penyaluran?release=2) dan [luar](//example.org/x).")
	path := ad.write(form)
	ad.get(path)
	wantStatus(t, "publish", first(ad.post(path+"/terbitkan", nil)), 200)
	got := map[string]bool{}
	for len(got) < 3 {
		select {
		case u := <-pings:
			got[u] = true
		case <-time.After(5 * time.Second):
			t.Fatalf("hub pings: %v", got)
		}
	}
	for _, f := range []string{"/feed.atom", "/feed.xml", "/feed.json"} {
		if !got[ps.srv.URL+f] {
			t.Errorf("no ping for %s: %v", f, got)
		}
	}
	_, body := ad.get("/feed.json")
	if !strings.Contains(body, `href=\"`+ps.srv.URL+`/dataset/penyaluran?release=2\"`) || !strings.Contains(body, `href=\"//example.org/x\"`) {
		t.Errorf("feed content links are not absolute:\n%s", body)
	}
}
