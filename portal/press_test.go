package portal

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/internal/testkit"
	"github.com/portal-data-bansos/portal/portal/admin"
	"github.com/portal-data-bansos/portal/portal/news"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// pressSite is the real site with press accounts "ana" (admin) and "budi"
// (editor), on a settable clock, served over loopback.
type pressSite struct {
	s     *Server
	srv   *httptest.Server
	clock *clock
}

const (
	adminPass  = "correct horse battery"
	editorPass = "another long password"
)

var pressT0 = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC) // 08:00 WIB

func newPressSite(t *testing.T, opt func(*Options)) *pressSite {
	t.Helper()
	pub, _, pressDB := testkit.OpenStores(t, t.TempDir())
	ck := &clock{t: pressT0}
	o := Options{Log: slog.New(slog.NewTextHandler(testLog{t}, nil)), Published: pub, Press: pressDB, Now: ck.now}
	if opt != nil {
		opt(&o)
	}
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return withPressAccounts(t, s, ck)
}

func withPressAccounts(t *testing.T, s *Server, ck *clock) *pressSite {
	t.Helper()
	ctx := context.Background()
	if _, err := s.Press.AddUser(ctx, "ana", press.RoleAdmin, adminPass, pressT0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Press.AddUser(ctx, "budi", press.RoleEditor, editorPass, pressT0); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return &pressSite{s: s, srv: srv, clock: ck}
}

// client is a browser-like client: a cookie jar, redirects followed.
type client struct {
	t    *testing.T
	base string
	hc   *http.Client
	csrf string
}

func (ps *pressSite) client(t *testing.T) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: ps.srv.URL, hc: &http.Client{Jar: jar}}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (c *client) do(req *http.Request) (*http.Response, string) {
	c.t.Helper()
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	body := string(b)
	if m := csrfField.FindStringSubmatch(body); m != nil {
		c.csrf = m[1]
	}
	return resp, body
}

func (c *client) get(path string) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	return c.do(req)
}

// post submits a form with the last CSRF token seen (unless the form sets
// its own).
func (c *client) post(path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", c.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

func (c *client) login(name, password string) (*http.Response, string) {
	c.t.Helper()
	c.get("/admin/login")
	return c.post("/admin/login", url.Values{"name": {name}, "password": {password}})
}

// upload posts a file with the form's other fields given as name, value
// pairs (an image's alt text: "alt_id", "…").
func (c *client) upload(path, name string, data []byte, fields ...string) (*http.Response, string) {
	c.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("csrf", c.csrf)
	for i := 0; i+1 < len(fields); i += 2 {
		w.WriteField(fields[i], fields[i+1])
	}
	fw, _ := w.CreateFormFile("file", name)
	fw.Write(data)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.base+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

func wantStatus(t *testing.T, what string, resp *http.Response, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("%s: status %d, want %d", what, resp.StatusCode, want)
	}
}

// draftForm is the editor's form for a simple post (citing no data: most
// test sites have no data release).
func draftForm(title string) url.Values {
	return url.Values{"kind": {"siaran_pers"}, "lang": {"both"}, "category": {"penyaluran"},
		"title_id": {title}, "summary_id": {"Ringkasan " + title}, "body_id": {"Isi **penting**."},
		"title_en": {"EN " + title}, "summary_en": {"Summary"}, "body_en": {"Body."},
		"tags": {"PKH, bansos"}, "regions": {"32.04"}, "programs": {"PKH"}}
}

var postIDInURL = regexp.MustCompile(`/admin/berita/(\d+)`)

// write creates a draft and returns its admin path.
func (c *client) write(form url.Values) string {
	c.t.Helper()
	c.get("/admin/tulis")
	resp, body := c.post("/admin/tulis", form)
	wantStatus(c.t, "create draft", resp, 200)
	m := postIDInURL.FindStringSubmatch(resp.Request.URL.Path)
	if m == nil {
		c.t.Fatalf("no post page after create: %s\n%s", resp.Request.URL, body)
	}
	return m[0]
}

// adminDraft signs the admin "ana" in and writes a draft titled title:
// the start of every test of one post's life. It returns the admin's
// client and the draft's admin path, its page read once (for its form's
// CSRF token).
func (ps *pressSite) adminDraft(t *testing.T, title string) (*client, string) {
	t.Helper()
	ad := ps.client(t)
	ad.login("ana", adminPass)
	path := ad.write(draftForm(title))
	ad.get(path)
	return ad, path
}

func TestAdminLoginSessionAndRoles(t *testing.T) {
	t.Parallel()
	ps := newPressSite(t, nil)
	c := ps.client(t)
	resp, _ := c.get("/admin")
	if resp.Request.URL.Path != "/admin/login" {
		t.Fatalf("/admin without login went to %s", resp.Request.URL.Path)
	}
	resp, body := c.login("ana", "wrong password here")
	wantStatus(t, "wrong password", resp, http.StatusUnauthorized)
	if !strings.Contains(body, "Nama atau kata sandi salah") {
		t.Error("no message for a wrong password")
	}
	// The session cookie's attributes.
	c.get("/admin/login")
	form := url.Values{"name": {"ana"}, "password": {adminPass}, "csrf": {c.csrf}}
	req, _ := http.NewRequest(http.MethodPost, c.base+"/admin/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	noFollow := &http.Client{Jar: c.hc.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	raw, err := noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw.Body.Close()
	var sc *http.Cookie
	for _, ck := range raw.Cookies() {
		if ck.Name == admin.SessionCookie && ck.Value != "" {
			sc = ck
		}
	}
	if sc == nil || !sc.HttpOnly || sc.SameSite != http.SameSiteStrictMode || sc.Path != "/admin" {
		t.Fatalf("session cookie: %+v", sc)
	}
	resp, body = c.get("/admin")
	wantStatus(t, "admin home", resp, 200)
	if !strings.Contains(body, "ana (admin)") || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("admin home: %q", resp.Header.Get("Cache-Control"))
	}
	resp, _ = c.get("/admin/audit")
	wantStatus(t, "audit for admin", resp, 200)
	resp, body = c.get("/admin/audit.csv")
	if resp.StatusCode != 200 || !strings.HasPrefix(body, "id,waktu,akun,tindakan") || !strings.Contains(body, "login") {
		t.Errorf("audit CSV: %d %q", resp.StatusCode, body)
	}

	ed := ps.client(t)
	wantStatus(t, "editor login", first(ed.login("budi", editorPass)), 200)
	resp, _ = ed.get("/admin/audit")
	wantStatus(t, "audit for editor", resp, http.StatusForbidden)
	resp, _ = ed.get("/admin/akun")
	wantStatus(t, "accounts for editor", resp, http.StatusForbidden)
	path := ed.write(draftForm("Draf editor"))
	resp, _ = ed.post(path+"/terbitkan", nil)
	wantStatus(t, "editor publishes", resp, http.StatusForbidden)
	resp, _ = ed.post(path+"/ajukan", nil)
	wantStatus(t, "editor submits", resp, 200)

	// An admin disables the editor: the editor's session ends.
	resp, body = c.get("/admin/akun")
	wantStatus(t, "accounts", resp, 200)
	id := regexp.MustCompile(`/admin/akun/(\d+)/nonaktifkan`).FindStringSubmatch(body)
	if id == nil {
		t.Fatal("no disable button")
	}
	resp, _ = c.post(id[0], nil)
	wantStatus(t, "disable", resp, 200)
	resp, _ = ed.get("/admin")
	if resp.Request.URL.Path != "/admin/login" {
		t.Error("a disabled account's session still works")
	}
	// Logout ends the session.
	c.get("/admin")
	resp, _ = c.post("/admin/logout", nil)
	if resp.Request.URL.Path != "/admin/login" {
		t.Errorf("logout went to %s", resp.Request.URL.Path)
	}
	resp, _ = c.get("/admin")
	if resp.Request.URL.Path != "/admin/login" {
		t.Error("still logged in after logout")
	}
}

func first(r *http.Response, _ string) *http.Response { return r }

func TestAdminCSRFRefused(t *testing.T) {
	t.Parallel()
	ps := newPressSite(t, nil)
	c := ps.client(t)
	// Login without the login form's token.
	resp, _ := c.post("/admin/login", url.Values{"name": {"ana"}, "password": {adminPass}, "csrf": {"forged"}})
	wantStatus(t, "login without token", resp, http.StatusForbidden)
	c.login("ana", adminPass)
	for _, tok := range []string{"", "forged"} {
		form := draftForm("Tanpa token")
		form.Set("csrf", tok)
		resp, _ := c.post("/admin/tulis", form)
		wantStatus(t, "create with token "+tok, resp, http.StatusForbidden)
		resp, _ = c.post("/admin/logout", url.Values{"csrf": {tok}})
		wantStatus(t, "logout with token "+tok, resp, http.StatusForbidden)
	}
	if n, _ := ps.s.Press.Count(context.Background()); n != 0 {
		t.Errorf("%d posts created without a token", n)
	}
	// A form too large for its limit is refused as such.
	big := draftForm("Besar")
	big.Set("body_id", strings.Repeat("x", admin.FormLimit))
	resp, _ = c.post("/admin/tulis", big)
	wantStatus(t, "oversized form", resp, http.StatusRequestEntityTooLarge)
}

func TestLoginRateLimited(t *testing.T) {
	t.Parallel()
	ps := newPressSite(t, nil)
	c := ps.client(t)
	for i := 0; i < admin.LoginMaxFailures; i++ {
		wantStatus(t, "failure", first(c.login("ana", "not the password")), http.StatusUnauthorized)
	}
	resp, _ := c.login("ana", adminPass)
	wantStatus(t, "right password after too many failures", resp, http.StatusTooManyRequests)
	if resp.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	// The window passes.
	ps.clock.set(pressT0.Add(admin.LoginWindow))
	wantStatus(t, "after the window", first(c.login("ana", adminPass)), 200)

	// Per address: many accounts from one address.
	ps2 := newPressSite(t, nil)
	c2 := ps2.client(t)
	for i := 0; i < admin.AddrMaxFailures; i++ {
		c2.login("user"+strings.Repeat("x", i%7)+string(rune('a'+i)), "whatever password")
	}
	wantStatus(t, "address limit", first(c2.login("budi", editorPass)), http.StatusTooManyRequests)
}

func TestReadOnlyHasNoAdmin(t *testing.T) {
	t.Parallel()
	ps := newPressSite(t, func(o *Options) { o.ReadOnly = true })
	resp, _ := ps.client(t).get("/admin/login")
	wantStatus(t, "read-only /admin/login", resp, http.StatusNotFound)
	stop, err := ps.s.StartPublisher(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	stop()
}

// testLog sends the site's log to the test's, shown when a test fails.
type testLog struct{ t *testing.T }

func (l testLog) Write(b []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

func TestNewsPagingAndSecureCookies(t *testing.T) {
	t.Parallel()
	ps := newPressSite(t, func(o *Options) { o.BaseURL = "https://data.example.go.id/" })
	ctx := context.Background()
	u, _ := ps.s.Press.Authenticate(ctx, "ana", adminPass)
	for i := 0; i < news.PostsPerPage+2; i++ {
		ct := press.Content{Kind: press.KindAnnouncement, Lang: press.LangID, Category: "umum", Title: i18n.Text{ID: "Pengumuman nomor " + string(rune('A'+i))}}
		id, err := ps.s.Press.Create(ctx, u, ct, pressT0)
		if err != nil {
			t.Fatal(err)
		}
		if err := ps.s.Press.Publish(ctx, u, id, pressT0.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	c := ps.client(t)
	// Without any data release the dashboard still shows the news.
	_, home := c.get("/")
	if strings.Count(home, `class="post-card"`) != 3 {
		t.Error("the dashboard without a data release does not show the latest posts")
	}
	_, body := c.get("/berita")
	if n := strings.Count(body, `class="post-card"`); n != news.PostsPerPage || !strings.Contains(body, `href="/berita?halaman=2" rel="next"`) {
		t.Errorf("page 1: %d posts", n)
	}
	if !strings.Contains(body, "Pengumuman nomor L") || strings.Contains(body, `nomor A<`) {
		t.Error("page 1 is not the newest posts")
	}
	_, body = c.get("/berita?halaman=2&jenis=pengumuman")
	if n := strings.Count(body, `class="post-card"`); n != 2 || !strings.Contains(body, `rel="prev"`) {
		t.Errorf("page 2: %d posts", n)
	}
	for _, q := range []string{"?halaman=0", "?halaman=x", "?jenis=gosip", "?kategori=lain", "?wilayah=32.99"} {
		resp, _ := c.get("/berita" + q)
		wantStatus(t, q, resp, http.StatusBadRequest)
	}
	// With an https base URL the cookies are Secure even behind a proxy
	// that speaks plain HTTP to us.
	resp, _ := c.get("/admin/login")
	for _, ck := range resp.Cookies() {
		if ck.Name == admin.LoginCSRFCookie && !ck.Secure {
			t.Error("login cookie not Secure with an https base URL")
		}
	}
}

// TestPublisherCatchesUpOnStart: an embargo that fell due while the site
// was down is published when the publisher starts, by its clock.
func TestPublisherCatchesUpOnStart(t *testing.T) {
	t.Parallel()
	ps := newPressSite(t, nil)
	ctx := context.Background()
	u, _ := ps.s.Press.Authenticate(ctx, "ana", adminPass)
	ct := press.Content{Kind: press.KindRelease, Lang: press.LangID, Category: "umum", Title: i18n.Text{ID: "Embargo"}}
	id, _ := ps.s.Press.Create(ctx, u, ct, pressT0)
	if err := ps.s.Press.Schedule(ctx, u, id, pressT0.Add(time.Hour), pressT0); err != nil {
		t.Fatal(err)
	}
	ps.clock.set(pressT0.Add(3 * time.Hour))
	stop, err := ps.s.StartPublisher(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stop()
	p, _ := ps.s.Press.Get(ctx, id)
	if p.Status != press.StatusPublished || !p.Published.Equal(pressT0.Add(3*time.Hour)) {
		t.Errorf("after start: %s at %v", p.Status, p.Published)
	}
}
