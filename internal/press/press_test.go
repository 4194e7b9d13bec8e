package press

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/portal-data-bansos/portal/internal/apperr"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/store"
)

func openStore(t *testing.T) *Store {
	t.Helper()
	db, err := store.Open(context.Background(), t.TempDir(), store.Press, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return New(db)
}

var t0 = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC) // 08:00 WIB

func TestUsersAndSessions(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	if _, err := s.AddUser(ctx, "ana", RoleAdmin, "short", t0); err == nil {
		t.Error("a short password was accepted")
	}
	admin, err := s.AddUser(ctx, "ana", RoleAdmin, "correct horse battery", t0)
	if err != nil {
		t.Fatal(err)
	}
	ed, _ := s.AddUser(ctx, "budi", RoleEditor, "another long password", t0)
	if _, err := s.Authenticate(ctx, "ana", "wrong password!!"); !errors.Is(err, ErrForbidden) {
		t.Errorf("wrong password: %v", err)
	}
	u, err := s.Authenticate(ctx, "ANA", "correct horse battery")
	if err != nil || u.ID != admin.ID {
		t.Fatalf("login: %v", err)
	}
	tok, _, err := s.StartSession(ctx, u, t0)
	if err != nil {
		t.Fatal(err)
	}
	if sess, err := s.SessionOf(ctx, tok, t0.Add(time.Hour)); err != nil || sess.User.Name != "ana" {
		t.Errorf("session: %v", err)
	}
	if _, err := s.SessionOf(ctx, tok, t0.Add(SessionTTL)); err == nil {
		t.Error("an expired session is live")
	}
	etok, _, _ := s.StartSession(ctx, ed, t0)
	if err := s.SetDisabled(ctx, ed, admin.ID, true, t0); !errors.Is(err, ErrForbidden) {
		t.Errorf("an editor disabled an account: %v", err)
	}
	if err := s.SetDisabled(ctx, admin, ed.ID, true, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionOf(ctx, etok, t0); err == nil {
		t.Error("a disabled account's session lives on")
	}
	if _, err := s.Authenticate(ctx, "budi", "another long password"); err == nil {
		t.Error("a disabled account logged in")
	}
}

func testContent() Content {
	return Content{Kind: KindRelease, Lang: LangID, Category: "penyaluran",
		Title: i18n.Text{ID: "Penyaluran PKH Tahap I"}, Body: i18n.Text{ID: "Isi **tebal**."},
		Programs: []string{"pkh"}, Regions: []string{"3204"}, Tags: []string{" PKH ", "PKH"}}
}

func TestWorkflow(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	admin, _ := s.AddUser(ctx, "ana", RoleAdmin, "correct horse battery", t0)
	ed, _ := s.AddUser(ctx, "budi", RoleEditor, "another long password", t0)
	id, err := s.Create(ctx, ed, testContent(), t0)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := s.Get(ctx, id)
	if p.Regions[0] != "32.04" || p.Programs[0] != "PKH" || len(p.Tags) != 1 {
		t.Errorf("not normalised: %v %v %v", p.Regions, p.Programs, p.Tags)
	}
	if err := s.Publish(ctx, ed, id, t0); !errors.Is(err, ErrForbidden) {
		t.Errorf("an editor published: %v", err)
	}
	if err := s.Submit(ctx, ed, id, t0); err != nil {
		t.Fatal(err)
	}
	at := t0.Add(2 * time.Hour)
	if err := s.Schedule(ctx, admin, id, at, t0); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.PublishDue(ctx, at.Add(-time.Second)); n != 0 {
		t.Errorf("published before its time")
	}
	if n, err := s.PublishDue(ctx, at); n != 1 || err != nil {
		t.Fatalf("PublishDue = %d, %v", n, err)
	}
	p, _ = s.Get(ctx, id)
	if p.Status != StatusPublished || !p.Published.Equal(at) || p.Slug != "penyaluran-pkh-tahap-i" {
		t.Errorf("after publication: %+v", p)
	}
	// A province filter finds a post about its regency.
	if ps, _, _ := s.List(ctx, Filter{Statuses: []string{StatusPublished}, Region: "32", Program: "PKH"}); len(ps) != 1 {
		t.Errorf("province filter found %d", len(ps))
	}
	if ps, _, _ := s.List(ctx, Filter{Statuses: []string{StatusPublished}, Region: "33"}); len(ps) != 0 {
		t.Errorf("other province found %d", len(ps))
	}
	if err := s.Update(ctx, admin, id, testContent(), at); !errors.Is(err, ErrConflict) {
		t.Errorf("a published post was edited silently: %v", err)
	}
	c := testContent()
	c.Title.ID = "Penyaluran PKH Tahap I (ralat)"
	if err := s.Correct(ctx, admin, id, c, i18n.Text{}, at); err == nil {
		t.Error("a correction without a note")
	}
	if err := s.Correct(ctx, admin, id, c, i18n.Text{ID: "Judul diperbaiki"}, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	p, _ = s.Get(ctx, id)
	if p.Slug != "penyaluran-pkh-tahap-i" || p.Revision != 2 || p.Corrected.IsZero() {
		t.Errorf("after correction: %+v", p)
	}
	revs, _ := s.Revisions(ctx, id)
	if len(revs) != 2 || revs[1].Changed[0] != "title.id" || revs[0].Content.Title.ID != "Penyaluran PKH Tahap I" {
		t.Errorf("revisions: %+v", revs)
	}
	if err := s.Retract(ctx, admin, id, "Salah data", at.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if p, err := s.BySlug(ctx, "penyaluran-pkh-tahap-i"); err != nil || p.Status != StatusRetracted {
		t.Errorf("tombstone: %v", err)
	}
	log, _ := s.Audit(ctx, 0)
	if len(log) < 8 || log[0].Action != "post.retract" {
		t.Errorf("audit log: %+v", log[0])
	}
}

func TestSeedDemo(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	n, err := s.SeedDemo(ctx, t0)
	if err != nil || n != 3 {
		t.Fatalf("SeedDemo = %d, %v", n, err)
	}
	if n, _ := s.SeedDemo(ctx, t0); n != 0 {
		t.Error("seeded twice")
	}
}

func TestSniffAttachment(t *testing.T) {
	png := DemoPNG()
	if _, ct, err := SniffAttachment("a.png", png); err != nil || ct != "image/png" {
		t.Errorf("png: %v %v", ct, err)
	}
	for name, data := range map[string][]byte{
		"gambar.pdf":  png,
		"x.html":      []byte("<html><script>alert(1)</script>"),
		"evil.svg":    []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`),
		"laporan.png": []byte("%PDF-1.4\n"),
	} {
		if _, _, err := SniffAttachment(name, data); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
	if got := CleanName(`..\..\"><img src=x onerror=alert(1)>.png`); strings.ContainsAny(got, `<>"/\`) {
		t.Errorf("CleanName = %q", got)
	}
}

// activeHTML reports what in a fragment of HTML could run: a script-like
// element, an on* attribute or a URL with a scheme other than http(s) and
// mailto. It parses the fragment as a browser would.
func activeHTML(fragment string) string {
	nodes, err := html.ParseFragment(strings.NewReader(fragment), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
	if err != nil {
		return "unparsable: " + err.Error()
	}
	var found string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "iframe", "object", "embed", "style", "form", "svg", "math", "base", "meta", "link":
				found = "<" + n.Data + ">"
			}
			for _, a := range n.Attr {
				k := strings.ToLower(a.Key)
				v := strings.ToLower(strings.Map(func(r rune) rune {
					if r <= ' ' {
						return -1
					}
					return r
				}, a.Val))
				if strings.HasPrefix(k, "on") || k == "style" || k == "srcdoc" {
					found = "attribute " + k
				}
				if (k == "href" || k == "src" || k == "action" || k == "formaction" || k == "xlink:href") && strings.Contains(v, ":") &&
					!strings.HasPrefix(v, "http:") && !strings.HasPrefix(v, "https:") && !strings.HasPrefix(v, "mailto:") {
					if i := strings.IndexAny(v, "/?#"); i < 0 || i > strings.Index(v, ":") {
						found = k + "=" + v
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return found
}

func TestRenderMarkdownIsInert(t *testing.T) {
	for _, src := range []string{
		"<script>alert(1)</script>",
		"[x](javascript:alert(1))",
		"<img src=x onerror=alert(1)>",
		"![a](javascript:alert(1))",
		"<a href=\"JaVaScRiPt:alert(1)\">x</a>",
		"[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
		"<iframe src=//evil></iframe>",
		"**ok** <b onmouseover=alert(1)>b</b>",
	} {
		if out := string(RenderMarkdown(src)); activeHTML(out) != "" {
			t.Errorf("%q rendered to %q: %s", src, out, activeHTML(out))
		}
	}
	if out := string(RenderMarkdown("**tebal** dan [tautan](https://example.org)")); !strings.Contains(out, "<strong>tebal</strong>") || !strings.Contains(out, `href="https://example.org"`) {
		t.Errorf("plain Markdown lost: %s", out)
	}
}

func FuzzRenderMarkdown(f *testing.F) {
	f.Add("# Judul\n\n**tebal** [a](https://b)")
	f.Add("<script>alert(1)</script>")
	f.Add("[x](javascript:alert(1))")
	f.Fuzz(func(t *testing.T, src string) {
		if out := string(RenderMarkdown(src)); activeHTML(out) != "" {
			t.Errorf("%q rendered to %q: %s", src, out, activeHTML(out))
		}
	})
}

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"Klarifikasi: Bantuan Rp600.000 untuk Lansia!": "klarifikasi-bantuan-rp600-000-untuk-lansia",
		"Café ÉTÉ": "cafe-ete",
		"<<>>":     "berita",
	} {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestInvalidReasonsAreInTheCatalogue: every reason a form error names has
// its text in both languages.
func TestInvalidReasonsAreInTheCatalogue(t *testing.T) {
	cat, err := i18n.Messages()
	if err != nil {
		t.Fatal(err)
	}
	call := regexp.MustCompile(`invalid\([^,]+, "([a-z_]+)"`)
	files, _ := filepath.Glob("*.go")
	n := 0
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for _, m := range call.FindAllStringSubmatch(string(b), -1) {
			n++
			if !cat.Has("invalid." + m[1]) {
				t.Errorf("%s: no message invalid.%s", f, m[1])
			}
		}
	}
	if n < 20 {
		t.Errorf("found only %d reasons", n)
	}
	e := apperr.From(invalid("regions", "bad_region", "99"))
	if got := e.Message(cat).ID; got != `"99" bukan kode provinsi, kabupaten/kota atau kecamatan` {
		t.Errorf("Indonesian reason: %s", got)
	}
}

// FuzzParseLinks: the editor's link lines either are refused or become
// links on this site that read back the same.
func FuzzParseLinks(f *testing.F) {
	f.Add("dataset penyaluran 3 program=PKH&tingkat=provinsi\ngrafik penolakan-per-triwulan 2")
	f.Add("dataset ../../etc 1 x=%zz")
	f.Add("grafik //evil.example 1 release=7")
	f.Fuzz(func(t *testing.T, text string) {
		links, err := ParseLinks(text)
		if err != nil {
			return
		}
		for _, l := range links {
			u := l.URL()
			path, _, _ := strings.Cut(u, "?")
			if !strings.HasPrefix(path, "/dataset/") && !strings.HasPrefix(path, "/grafik/") || strings.Contains(path, "//") || strings.Contains(path, "..") {
				t.Fatalf("%q gave the link %q", text, u)
			}
			again, err := ParseLinks(l.String())
			if err != nil || len(again) != 1 || again[0].URL() != u {
				t.Fatalf("%q does not read back: %v %v", l.String(), again, err)
			}
		}
	})
}

// TestPublicationIsAllOrNothing: when a step of a publication fails (here
// the revision, made to collide), nothing of it remains: the post is as
// before, readers' version and the audit log unchanged.
func TestPublicationIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	admin, _ := s.AddUser(ctx, "ana", RoleAdmin, "correct horse battery", t0)
	id, err := s.Create(ctx, admin, testContent(), t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.W.Exec(`INSERT INTO post_revision (post_id, number, kind, at, snapshot) VALUES (?, 1, 'publish', ?, '{}')`, id, fmtTime(t0)); err != nil {
		t.Fatal(err)
	}
	v0, _ := s.PublicVersion(ctx)
	log0, _ := s.Audit(ctx, 0)
	if err := s.Publish(ctx, admin, id, t0); err == nil {
		t.Fatal("publication succeeded despite the collision")
	}
	p, _ := s.Get(ctx, id)
	v1, _ := s.PublicVersion(ctx)
	log1, _ := s.Audit(ctx, 0)
	if p.Status != StatusDraft || p.Slug != "" || !p.Published.IsZero() || v1 != v0 || len(log1) != len(log0) {
		t.Errorf("half a publication remains: status %s slug %q version %d→%d audit %d→%d", p.Status, p.Slug, v0, v1, len(log0), len(log1))
	}
}
