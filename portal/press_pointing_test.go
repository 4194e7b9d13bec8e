package portal

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/portal/admin"
)

// citeAction is the "Kutip di siaran pers" action of a public page: the
// element rendered hidden, and the editor's address it leads to.
var citeAction = regexp.MustCompile(`<p class="[^"]*press-cite" data-press-cite hidden><a[^>]*href="([^"]+)"`)

// citeHref finds the page's first cite action whose address contains
// part.
func citeHref(t *testing.T, body, part string) string {
	t.Helper()
	for _, m := range citeAction.FindAllStringSubmatch(body, -1) {
		if h := html.UnescapeString(m[1]); strings.Contains(h, part) {
			return h
		}
	}
	t.Fatalf("no hidden cite action with %q", part)
	return ""
}

var tag = regexp.MustCompile(`<[^>]*>`)

// visible is the text of an HTML fragment, as a reader sees it.
func visible(fragment string) string { return html.UnescapeString(tag.ReplaceAllString(fragment, "")) }

var linksArea = regexp.MustCompile(`(?s)<textarea name="links"[^>]*>(.*?)</textarea>`)

// section is the HTML from the first match of start to the next end.
func section(body, start, end string) string {
	i := strings.Index(body, start)
	if i < 0 {
		return ""
	}
	j := strings.Index(body[i:], end)
	if j < 0 {
		return body[i:]
	}
	return body[i : i+j]
}

// TestCiteInARelease: a chart page, a dataset page and a realisation
// figure each carry a hidden "Cite in a release" action pinned to the
// release shown. An editor who follows it (signing in on the way) finds a
// new post with the citation attached, in words; once saved and
// published, the post's page tells the citation in words and links to
// the pinned address, which answers.
func TestCiteInARelease(t *testing.T) {
	t.Parallel()
	s, _ := newWritableReleaseServer(t)
	ck := &clock{t: pressT0}
	s.Now = ck.now
	ps := withPressAccounts(t, s, ck)
	reader := ps.client(t)
	ad := ps.client(t)
	ad.login("ana", adminPass)
	for _, tc := range []struct {
		name, view, part string
		words            []string // in the editor and on the post, in Indonesian
		english          []string // on the post in English
		figure           bool     // the post shows the realisation figure
	}{
		{name: "chart", view: "/grafik/penolakan-per-triwulan", part: "grafik+penolakan-per-triwulan",
			words:   []string{"Penerima tertolak menurut alasan per triwulan, nasional, 2025-Q1–2025-Q4", "(Grafik)", "rilis data 2", "Periode: 2025-Q4"},
			english: []string{"(Chart)", "data release 2", "Period: 2025-Q4"}},
		{name: "dataset", view: "/dataset/penyaluran?program=PKH&tingkat=provinsi&dalam=32", part: "dataset+penyaluran",
			words: []string{"Penyaluran bantuan sosial", "(Dataset)", "rilis data 2", "Program: Program Keluarga Harapan (PKH)",
				"Tingkat wilayah: provinsi", "Di dalam wilayah: Jawa Barat"},
			english: []string{"Social assistance distribution", "data release 2", "Programme: Family Hope Programme (PKH)", "Region level: province", "Within: Jawa Barat"}},
		{name: "realisation figure", view: "/wilayah/32", part: "program%3DSEMBAKO",
			words: []string{"Realisasi penyaluran terhadap kuota dan pagu", "rilis data 2", "Periode: 2025-Q4",
				"Program: Program Sembako", "Wilayah: Jawa Barat"},
			english: []string{"Realisation against target and budget", "Programme: Sembako food assistance programme", "Region: Jawa Barat"},
			figure:  true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, page := reader.get(tc.view)
			wantStatus(t, tc.view, resp, 200)
			href := citeHref(t, page, tc.part)
			if !strings.HasPrefix(href, "/admin/tulis?kutip=") {
				t.Fatalf("the action leads to %s", href)
			}
			kutip, _ := url.ParseQuery(strings.TrimPrefix(href, "/admin/tulis?"))
			if line := kutip.Get("kutip"); !strings.Contains(line, " 2 ") {
				t.Errorf("the citation %q is not pinned to release 2", line)
			}

			// An editor follows it without a session: the login brings
			// them back to it.
			ed := ps.client(t)
			resp, _ = ed.get(href)
			if resp.Request.URL.Path != "/admin/login" || resp.Request.URL.Query().Get(admin.ReturnParam) != href {
				t.Fatalf("without a session the action went to %s", resp.Request.URL)
			}
			resp, editor := ed.post("/admin/login", url.Values{"name": {"budi"}, "password": {editorPass}})
			wantStatus(t, "login", resp, 200)
			if got := resp.Request.URL.RequestURI(); got != href {
				t.Fatalf("after the login: %s, want %s", got, href)
			}
			list := visible(section(editor, `<ul class="citation-list">`, "</ul>"))
			for _, w := range tc.words {
				if !strings.Contains(list, w) {
					t.Errorf("the editor's citation lacks %q:\n%s", w, list)
				}
			}
			for _, no := range []string{"kode_wilayah", "=", "penolakan-per-triwulan", "penyaluran 2"} {
				if strings.Contains(list, no) {
					t.Errorf("the editor's citation shows %q:\n%s", no, list)
				}
			}
			m := linksArea.FindStringSubmatch(editor)
			if m == nil || strings.TrimSpace(html.UnescapeString(m[1])) != kutip.Get("kutip") {
				t.Fatalf("the links field holds %q, want %q", m, kutip.Get("kutip"))
			}
			form := draftForm("Kutipan " + tc.name)
			form.Set("links", html.UnescapeString(m[1]))
			path := ed.write(form)
			ad.get(path)
			wantStatus(t, "publish", first(ad.post(path+"/terbitkan", nil)), 200)
			post, _ := ps.s.Press.Get(context.Background(), mustID(t, path))

			resp, body := reader.get("/berita/" + post.Slug)
			wantStatus(t, "post", resp, 200)
			data := html.UnescapeString(section(body, `<section class="post-data">`, "</section>"))
			words := visible(data)
			for _, w := range tc.words {
				if !strings.Contains(words, w) {
					t.Errorf("the post's data lacks %q:\n%s", w, words)
				}
			}
			if strings.Contains(words, "kode_wilayah") || strings.Contains(words, "=") || strings.Contains(words, "penolakan-per-triwulan") {
				t.Errorf("the post shows a slug or a query string:\n%s", words)
			}
			pinned := post.Links[0].URL()
			if !strings.Contains(data, `href="`+pinned+`"`) || !strings.Contains(pinned, "release=2") {
				t.Errorf("the post does not link to %s", pinned)
			}
			resp, _ = reader.get(pinned)
			wantStatus(t, "the pinned address "+pinned, resp, 200)
			if tc.figure && !strings.Contains(body, `class="post-figures"`) {
				t.Error("the realisation figure is not shown with the post")
			}
			_, en := reader.get("/berita/" + post.Slug + "?lang=en")
			data = visible(section(en, `<section class="post-data">`, "</section>"))
			for _, w := range tc.english {
				if !strings.Contains(data, w) {
					t.Errorf("the English post's data lacks %q:\n%s", w, data)
				}
			}
			reader.get("/berita?lang=id")
		})
	}
}

var postIDOnly = regexp.MustCompile(`/admin/berita/(\d+)$`)

func mustID(t *testing.T, path string) int64 {
	t.Helper()
	m := postIDOnly.FindStringSubmatch(path)
	if m == nil {
		t.Fatalf("no post id in %s", path)
	}
	var id int64
	for _, r := range m[1] {
		id = id*10 + int64(r-'0')
	}
	return id
}

// TestCiteEditorRemovesAndRefuses: the editor lists the attached
// citations, each with a control that removes it when the post is saved;
// a citation that cannot be attached is refused in words; a view
// a post cannot link to offers no action.
func TestCiteEditorRemovesAndRefuses(t *testing.T) {
	t.Parallel()
	s, _ := newWritableReleaseServer(t)
	ps := withPressAccounts(t, s, &clock{t: pressT0})
	ed := ps.client(t)
	ed.login("budi", editorPass)
	two := "dataset penyaluran 2 program=PKH\ngrafik bauran-program 2 periode=2025-Q4 # Bauran program 2025-Q4"
	resp, body := ed.get("/admin/tulis?" + url.Values{"kutip": strings.Split(two, "\n")}.Encode())
	wantStatus(t, "two citations", resp, 200)
	if n := strings.Count(body, `name="lepas"`); n != 2 {
		t.Fatalf("%d remove controls", n)
	}
	form := draftForm("Dua kutipan")
	form.Set("links", two)
	form.Set("lepas", "dataset penyaluran 2 program=PKH")
	path := ed.write(form)
	post, _ := ps.s.Press.Get(context.Background(), mustID(t, path))
	if len(post.Links) != 1 || post.Links[0].Kind != press.LinkChart || post.Links[0].Title != "Bauran program 2025-Q4" {
		t.Errorf("after removing one citation: %+v", post.Links)
	}
	if _, body := ed.get(path); strings.Count(body, `name="lepas"`) != 1 {
		t.Error("the saved post does not list its one citation")
	}
	for kutip, want := range map[string]string{
		"dataset penyaluran 9 program=PKH": "rilis data 9 tidak ada",
		"dataset nope 2":                   `tidak ada dataset &#34;nope&#34;`,
	} {
		resp, body := ed.get("/admin/tulis?kutip=" + url.QueryEscape(kutip))
		wantStatus(t, kutip, resp, 200)
		if !strings.Contains(body, "Data yang hendak dikutip tidak dapat dilampirkan") || !strings.Contains(body, want) || !strings.Contains(body, "<details open>") {
			t.Errorf("%s: the refusal does not say why", kutip)
		}
	}
	for _, view := range []string{"/program/PKH", "/wilayah/32", "/"} {
		_, body := ed.get(view)
		cite := section(body, `<section class="cite"`, "</section>")
		if cite == "" || strings.Contains(cite, "data-press-cite") {
			t.Errorf("%s: the page's citation offers an action a post cannot link to", view)
		}
	}
}

// TestLoginReturnAndMarker: the login goes back only to a local admin
// page; it sets the non-secret marker cookie that reveals the cite
// actions (readable by scripts, on the whole site), which the logout and
// a visit without a session clear.
func TestLoginReturnAndMarker(t *testing.T) {
	t.Parallel()
	ps := newPressSite(t, nil)
	for raw, want := range map[string]string{
		"/admin/tulis?kutip=dataset+penyaluran+1": "/admin/tulis?kutip=dataset+penyaluran+1",
		"https://evil.example/admin":              "/admin",
		"//evil.example/admin":                    "/admin",
		`/\evil.example`:                          "/admin",
		"/admin/../berita":                        "/admin",
		"/admin/%2e%2e/x":                         "/admin",
		"/berita":                                 "/admin",
		"/admin/login":                            "/admin",
		"javascript:alert(1)":                     "/admin",
	} {
		c := ps.client(t)
		c.get("/admin/login?" + url.Values{admin.ReturnParam: {raw}}.Encode())
		resp, _ := c.post("/admin/login", url.Values{"name": {"ana"}, "password": {adminPass}})
		if got := resp.Request.URL.RequestURI(); got != want {
			t.Errorf("kembali=%s: after the login %s, want %s", raw, got, want)
		}
	}
	// The marker's attributes, at login and logout.
	c := ps.client(t)
	noFollow := &http.Client{Jar: c.hc.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	c.get("/admin/login")
	req, _ := http.NewRequest(http.MethodPost, c.base+"/admin/login", strings.NewReader(url.Values{"name": {"ana"}, "password": {adminPass}, "csrf": {c.csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	raw, err := noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw.Body.Close()
	marker := cookieNamed(raw, admin.MarkerCookie)
	if marker == nil || marker.Value != "1" || marker.HttpOnly || marker.Path != "/" || marker.MaxAge <= 0 {
		t.Fatalf("marker at login: %+v", marker)
	}
	if session := cookieNamed(raw, admin.SessionCookie); session == nil || !session.HttpOnly || session.Path != "/admin" {
		t.Errorf("the session cookie changed: %+v", session)
	}
	c.get("/admin")
	req, _ = http.NewRequest(http.MethodPost, c.base+"/admin/logout", strings.NewReader(url.Values{"csrf": {c.csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	raw, err = noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw.Body.Close()
	if m := cookieNamed(raw, admin.MarkerCookie); m == nil || m.MaxAge >= 0 {
		t.Errorf("marker at logout: %+v", m)
	}
	// A stale marker (the session expired) is cleared by the admin area.
	stale := ps.client(t)
	u, _ := url.Parse(stale.base)
	stale.hc.Jar.SetCookies(u, []*http.Cookie{{Name: admin.MarkerCookie, Value: "1", Path: "/"}})
	stale.get("/admin/tulis")
	for _, ck := range stale.hc.Jar.Cookies(u) {
		if ck.Name == admin.MarkerCookie {
			t.Error("a marker without a session survives a visit to the admin area")
		}
	}
}

func cookieNamed(resp *http.Response, name string) *http.Cookie {
	for _, ck := range resp.Cookies() {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

// TestBilingualCorrectionNotes: each language's page shows the note in
// its language; a correction of the Indonesian text only is, on the
// English page and in the English feed, "Correction (Indonesian text
// only)" and never claims the English text changed; a revision from
// before, with one note, shows it in both languages.
func TestBilingualCorrectionNotes(t *testing.T) {
	t.Parallel()
	ps := newPressSite(t, nil)
	ad, path := ps.adminDraft(t, "Penyaluran tahap II")
	wantStatus(t, "publish", first(ad.post(path+"/terbitkan", nil)), 200)
	ps.clock.set(pressT0.Add(3 * time.Hour))
	form := draftForm("Penyaluran tahap II")
	form.Set("body_id", "Isi **penting**, angka diperbaiki.")
	form.Set("note", "Angka penerima diperbaiki")
	ad.get(path)
	resp, body := ad.post(path, form)
	wantStatus(t, "without the English note", resp, http.StatusUnprocessableEntity)
	if !strings.Contains(body, "Apa yang diralat (Inggris): berita ini punya teks bahasa Inggris") {
		t.Error("the refusal does not name the English note")
	}
	form.Del("csrf")
	form.Set("note_en", "Recipient figures corrected")
	wantStatus(t, "correction", first(ad.post(path, form)), 200)

	c := ps.client(t)
	_, id := c.get("/berita/penyaluran-tahap-ii")
	notice := section(id, `<p class="notice correction"`, "</p>")
	for _, want := range []string{"Diperbarui/Ralat 2 Maret 2026 11.00 WIB:", "Angka penerima diperbaiki", "Isi (Indonesia)"} {
		if !strings.Contains(notice, want) {
			t.Errorf("the Indonesian notice lacks %q: %s", want, notice)
		}
	}
	if strings.Contains(notice, "Recipient") || strings.Contains(notice, "Inggris") {
		t.Errorf("the Indonesian notice: %s", notice)
	}
	_, en := c.get("/berita/penyaluran-tahap-ii?lang=en")
	notice = section(en, `<p class="notice correction"`, "</p>")
	for _, want := range []string{"Correction (Indonesian text only), 2 March 2026 11:00 WIB:", "Recipient figures corrected"} {
		if !strings.Contains(notice, want) {
			t.Errorf("the English notice lacks %q: %s", want, notice)
		}
	}
	for _, no := range []string{"Updated", "Body (English)", "Angka"} {
		if strings.Contains(notice, no) {
			t.Errorf("the English notice says %q: %s", no, notice)
		}
	}
	if history := section(en, `<section class="history">`, "</section>"); !strings.Contains(history, "Recipient figures corrected") {
		t.Errorf("the English history: %s", history)
	}
	_, feed := c.get("/feed.atom?lang=en")
	if !strings.Contains(feed, "Correction (Indonesian text only), 2 March 2026 11:00 WIB: Recipient figures corrected") {
		t.Error("the English feed's correction entry does not say only the Indonesian text changed")
	}
	c.get("/berita?lang=id")

	// A revision from before the notes were asked in both languages: one
	// note, fields without a language.
	if _, err := ps.s.Press.DB().W.Exec(`UPDATE post_revision SET note = 'Ralat lama / Old correction', note_en = '', changed = 'body' WHERE number = 2`); err != nil {
		t.Fatal(err)
	}
	ps.s.ForgetStamp()
	for _, lang := range []string{"id", "en"} {
		_, body := c.get("/berita/penyaluran-tahap-ii?lang=" + lang)
		if notice := section(body, `<p class="notice correction"`, "</p>"); !strings.Contains(notice, "Ralat lama / Old correction") || strings.Contains(notice, "text only") {
			t.Errorf("%s: the old revision's note: %s", lang, notice)
		}
	}
}

// TestImageAltText: an image needs its alt text (both languages for a
// bilingual post), a PDF none; the page renders it as the image's alt.
func TestImageAltText(t *testing.T) {
	t.Parallel()
	ps := newPressSite(t, nil)
	ad, path := ps.adminDraft(t, "Dengan gambar")
	for _, tc := range []struct {
		fields []string
		want   string
	}{
		{nil, "Teks alternatif gambar (Indonesia): wajib diisi untuk gambar"},
		{[]string{"alt_id", "Grafik penyaluran per provinsi"}, "Teks alternatif gambar (Inggris): wajib diisi untuk gambar"},
	} {
		resp, body := ad.upload(path+"/lampiran", "bagan.png", press.DemoPNG(), tc.fields...)
		wantStatus(t, "image without alt text", resp, http.StatusUnprocessableEntity)
		if !strings.Contains(body, tc.want) {
			t.Errorf("the refusal does not say %q", tc.want)
		}
	}
	if !strings.Contains(ad.lastBody(path), `name="alt_en"`) {
		t.Error("no English alt text field on a bilingual post")
	}
	wantStatus(t, "pdf without alt text", first(ad.upload(path+"/lampiran", "laporan.pdf", []byte("%PDF-1.4\n%%EOF\n"))), 200)
	resp, _ := ad.upload(path+"/lampiran", "bagan.png", press.DemoPNG(), "alt_id", "Grafik penyaluran per provinsi", "alt_en", "Distribution by province")
	wantStatus(t, "image with alt text", resp, 200)
	wantStatus(t, "publish", first(ad.post(path+"/terbitkan", nil)), 200)
	c := ps.client(t)
	_, id := c.get("/berita/dengan-gambar")
	if !strings.Contains(id, `alt="Grafik penyaluran per provinsi" class="attachment-img"`) || !strings.Contains(id, `<meta property="og:image:alt" content="Grafik penyaluran per provinsi">`) {
		t.Error("the Indonesian page does not render the alt text")
	}
	_, en := c.get("/berita/dengan-gambar?lang=en")
	if !strings.Contains(en, `alt="Distribution by province"`) {
		t.Error("the English page does not render the English alt text")
	}
	// An Indonesian post asks for the Indonesian text only.
	form := draftForm("Hanya Indonesia")
	form.Set("lang", "id")
	p2 := ad.write(form)
	ad.get(p2)
	if body := ad.lastBody(p2); strings.Contains(body, `name="alt_en"`) || !strings.Contains(body, `name="alt_id"`) {
		t.Error("an Indonesian post's upload form asks for English alt text")
	}
	resp, _ = ad.upload(p2+"/lampiran", "bagan.png", press.DemoPNG(), "alt_id", "Bagan")
	wantStatus(t, "Indonesian alt text on an Indonesian post", resp, 200)
}

// lastBody is the page at path.
func (c *client) lastBody(path string) string {
	c.t.Helper()
	_, body := c.get(path)
	return body
}

// TestEmbargoPublishesOnTheMinute: a post scheduled for 10:00 WIB is
// public when the scheduler runs at 10:00 (a few seconds into the minute,
// on the injected clock), dated 10:00; before, /berita may not be kept
// past 10:00; the admin pages say "Dijadwalkan terbit 10.00" before and
// "Terbit 10.00" after, the same minute as the public page and the feed.
func TestEmbargoPublishesOnTheMinute(t *testing.T) {
	t.Parallel()
	ps := newPressSite(t, nil)
	ctx := context.Background()
	ad, path := ps.adminDraft(t, "Embargo pukul sepuluh")
	resp, body := ad.post(path+"/jadwalkan", url.Values{"publish_at": {"2026-03-02T10:00"}})
	wantStatus(t, "schedule", resp, 200)
	if !strings.Contains(body, "Dijadwalkan terbit 2 Maret 2026 10.00 WIB") {
		t.Error("the post page does not say when it is scheduled")
	}
	if _, list := ad.get("/admin"); !strings.Contains(section(list, "Terjadwal (embargo)", "</table>"), "2 Maret 2026 10.00 WIB") {
		t.Error("the admin list does not show the embargo")
	}
	due := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC) // 10:00 WIB
	reader := ps.client(t)
	ps.clock.set(due.Add(-30 * time.Second))
	resp, _ = reader.get("/berita")
	if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=30" {
		t.Errorf("/berita 30 s before an embargo: Cache-Control %q", cc)
	}
	p := &press.Publisher{Store: ps.s.Press, Log: ps.s.Log, Now: ps.clock.now, OnPublish: ps.s.ForgetStamp}
	ps.clock.set(due.Add(-time.Second))
	p.RunOnce(ctx)
	if post, _ := ps.s.Press.Get(ctx, 1); post.Status != press.StatusScheduled {
		t.Fatal("published before its minute")
	}
	resp, _ = reader.get("/berita")
	if cc := resp.Header.Get("Cache-Control"); cc != "public, no-cache" && cc != "public, max-age=1" {
		t.Errorf("/berita a second before an embargo: Cache-Control %q", cc)
	}
	// The cron job fires on the minute; its clock reads a little later.
	ps.clock.set(due.Add(1500 * time.Millisecond))
	p.RunOnce(ctx)
	post, _ := ps.s.Press.Get(ctx, 1)
	if post.Status != press.StatusPublished || !post.Published.Equal(due) {
		t.Fatalf("after the 10:00 run: %s at %v, want published at %v", post.Status, post.Published, due)
	}
	resp, page := reader.get("/berita/embargo-pukul-sepuluh")
	wantStatus(t, "post", resp, 200)
	if !strings.Contains(page, `<time datetime="2026-03-02T03:00:00Z">Terbit 2 Maret 2026 10.00 WIB</time>`) ||
		!strings.Contains(page, `content="2026-03-02T10:00:00&#43;07:00"`) {
		t.Error("the public page does not show the 10:00 publication")
	}
	if _, list := reader.get("/berita"); !strings.Contains(list, "Embargo pukul sepuluh") {
		t.Error("/berita does not list the post")
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=60" {
		t.Errorf("with no embargo left: Cache-Control %q", cc)
	}
	_, adminPage := ad.get(path)
	if !strings.Contains(adminPage, ">Terbit 2 Maret 2026 10.00 WIB</time>") || strings.Contains(adminPage, "dijadwalkan") || strings.Contains(adminPage, "Dijadwalkan") {
		t.Error("the admin post page does not show the same publication time")
	}
	if _, list := ad.get("/admin"); !strings.Contains(section(list, "<h2>Terbit</h2>", "</table>"), "2 Maret 2026 10.00 WIB") {
		t.Error("the admin list does not show the publication time")
	}
	if _, feed := reader.get("/feed.atom"); !strings.Contains(feed, "<published>2026-03-02T10:00:00+07:00</published>") {
		t.Error("the feed does not date the post 10:00")
	}

	// Published late (the site was down at 10:00): dated when it came
	// out, the embargo beside it, labelled.
	path2 := ad.write(draftForm("Embargo terlambat"))
	ad.get(path2)
	ad.post(path2+"/jadwalkan", url.Values{"publish_at": {"2026-03-02T11:00"}})
	ps.clock.set(due.Add(3 * time.Hour))
	p.RunOnce(ctx)
	_, adminPage = ad.get(path2)
	if !strings.Contains(adminPage, "Terbit 2 Maret 2026 13.00 WIB</time> (dijadwalkan 2 Maret 2026 11.00 WIB)") {
		t.Error("a late publication does not show both times, labelled")
	}
}
