package portal

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/kip"
	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/internal/testkit"
)

// newDeskSite is the real site over its own copy of the release fixture
// (a region, programme and data releases to ask about and cite), its
// clock set to at through Options.Now, with the press accounts "ana"
// (admin) and "budi" (editor), served over loopback.
func newDeskSite(t *testing.T, at time.Time) *pressSite {
	t.Helper()
	dir := t.TempDir()
	if err := (testkit.Fixture{WithTargets: true}).CopyStores(dir); err != nil {
		t.Fatal(err)
	}
	pub, _, pressDB := testkit.OpenStores(t, dir)
	ck := &clock{t: at}
	return withPressAccounts(t, newSite(t, pub, pressDB, func(o *Options) { o.Now = ck.now }), ck)
}

// askForm is a question as the form sends it.
func askForm(name, email, question string, publish, showName bool) url.Values {
	f := url.Values{"name": {name}, "email": {email}, "outlet": {"Harian " + name}, "question": {question},
		"region": {"32.04"}, "program": {"PKH"}, "dataset": {"realisasi"}}
	if publish {
		f.Set("consent_publish", "1")
	}
	if showName {
		f.Set("consent_name", "1")
	}
	return f
}

var trackLink = regexp.MustCompile(`/tanya/lacak/([A-Za-z0-9_-]{43})`)

// ask opens the form (its token and cookie) and sends it; it returns the
// answer and the tracking token the confirmation shows ("" when none).
func (c *client) ask(form url.Values) (*http.Response, string, string) {
	c.t.Helper()
	c.get("/tanya")
	resp, body := c.post("/tanya", form)
	tok := ""
	if m := trackLink.FindStringSubmatch(body); m != nil {
		tok = m[1]
	}
	return resp, body, tok
}

// staff signs an account in on a client of its own and opens path (the
// CSRF token of its forms is then the one the client sends).
func (ps *pressSite) staff(t *testing.T, name, password, path string) *client {
	t.Helper()
	c := ps.client(t)
	c.login(name, password)
	c.get(path)
	return c
}

// requestCount is how many requests the store holds.
func requestCount(t testing.TB, s *Server) int {
	t.Helper()
	_, total, err := s.Press.Queue(context.Background(), press.QueueFilter{}, s.Now())
	if err != nil {
		t.Fatal(err)
	}
	return total
}

// TestTanyaDeskFlow walks a question through the desk over HTTP: asked
// without an account (deadline as internal/kip counts it, across Nyepi
// and Idulfitri), tracked by its private link, drafted by an editor with
// a realisation figure pinned to release 1, extended and answered by an
// admin; then it is on /tanya/terjawab, its page, the feeds and the
// region and programme pages, and the tracking page shows the answer.
// Every step is in the audit log.
func TestTanyaDeskFlow(t *testing.T) {
	t.Parallel()
	received := time.Date(2026, 3, 13, 9, 30, 0, 0, kip.Jakarta) // a Friday before Nyepi, Idulfitri and Good Friday
	ps := newDeskSite(t, received)
	s := ps.s
	l := testkit.Indonesian(t)
	cal, _ := s.Press.Calendar()
	deadline, prov := cal.Deadline(received)
	if prov || kip.DateOf(deadline) != (kip.Date{Year: 2026, Month: time.April, Day: 6}) {
		t.Fatalf("kip: a request of 13 March 2026 is due %v (provisional %v)", kip.DateOf(deadline), prov)
	}
	due := l.DateTime(deadline)

	asker := ps.client(t)
	resp, form := asker.get("/tanya")
	wantStatus(t, "form", resp, http.StatusOK)
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("the form's Cache-Control is %q", cc)
	}
	for _, want := range []string{`name="website"`, `aria-hidden="true"`, `name="consent_publish" value="1">`, `value="32.04"`, `<optgroup label="Jawa Barat">`} {
		if !strings.Contains(form, want) {
			t.Errorf("the form lacks %s", want)
		}
	}
	resp, sent, tok := asker.ask(askForm("Ratna Kusumawati", "ratna@redaksi.example", "Berapa keluarga penerima PKH di Kabupaten Bandung yang sudah menerima bantuan tahap ketiga?", true, false))
	wantStatus(t, "ask", resp, http.StatusOK)
	if tok == "" {
		t.Fatalf("no tracking link on the confirmation:\n%s", sent)
	}
	for _, want := range []string{due, "hanya ditampilkan sekali", ps.srv.URL + "/tanya/lacak/" + tok} {
		if !strings.Contains(sent, want) {
			t.Errorf("the confirmation lacks %q", want)
		}
	}
	if resp.Header.Get("Referrer-Policy") != "no-referrer" || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("the confirmation's headers: %v", resp.Header)
	}
	// Sending the same form again (a reload) files nothing twice.
	resp, _ = asker.post("/tanya", askForm("Ratna Kusumawati", "ratna@redaksi.example", "Berapa keluarga penerima PKH di Kabupaten Bandung yang sudah menerima bantuan tahap ketiga?", true, false))
	wantStatus(t, "the form sent again", resp, http.StatusForbidden)
	if n := requestCount(t, s); n != 1 {
		t.Fatalf("%d requests stored, want 1", n)
	}

	trackPath := "/tanya/lacak/" + tok
	resp, track := asker.get(trackPath)
	wantStatus(t, "tracking page", resp, http.StatusOK)
	for k, want := range map[string]string{"Cache-Control": "no-store", "X-Robots-Tag": "noindex", "Referrer-Policy": "no-referrer"} {
		if !strings.Contains(resp.Header.Get(k), want) {
			t.Errorf("tracking page: %s is %q", k, resp.Header.Get(k))
		}
	}
	for _, want := range []string{l.T("tanya.status.received"), due, l.DateTime(received), "Kabupaten Bandung", l.T("tanya.days_left", cal.WorkingDaysBetween(received, deadline))} {
		if !strings.Contains(track, want) {
			t.Errorf("the tracking page lacks %q", want)
		}
	}
	for _, secret := range []string{"Ratna", "ratna@"} {
		if strings.Contains(track, secret) {
			t.Errorf("the tracking page shows %q", secret)
		}
	}
	if resp := testkit.Get(t, s, "/tanya/lacak/"+strings.Repeat("A", 43)); resp.Code != http.StatusNotFound {
		t.Errorf("an unknown token: %d", resp.Code)
	}

	// Staff: the queue with the deadline and the days left, the asker's
	// data on the request's page.
	ed := ps.staff(t, "budi", editorPass, "/admin")
	_, queue := ed.get("/admin/tanya")
	for _, want := range []string{"#1", due, l.T("tanya.admin.open_n", 1), "Berapa keluarga penerima PKH"} {
		if !strings.Contains(queue, want) {
			t.Errorf("the queue lacks %q", want)
		}
	}
	_, page := ed.get("/admin/tanya/1")
	for _, body := range []string{form, sent, track, queue, page} {
		if i := strings.Index(body, "[tanya."); i >= 0 {
			t.Errorf("a message key instead of its text: %.40s", body[i:])
		}
	}
	for _, want := range []string{"Ratna Kusumawati", "ratna@redaksi.example", due, l.T("tanya.days_left", cal.WorkingDaysBetween(received, deadline))} {
		if !strings.Contains(page, want) {
			t.Errorf("the request's page lacks %q", want)
		}
	}
	// The editor's checks of cited data, then a draft citing PKH's
	// realisation in 2025-Q3 as release 1 published it.
	draft := url.Values{"answer_id": {"Per rilis data 1, realisasi PKH tahap 2025-Q3 tercantum di bawah ini."},
		"answer_en": {"As of data release 1, PKH's 2025-Q3 realisation is below."}, "links": {"dataset realisasi 99 periode=2025-Q3&program=PKH"}}
	resp, page = ed.post("/admin/tanya/1/draf", draft)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "rilis data 99 tidak ada") {
		t.Errorf("a link to a release that does not exist: %d", resp.StatusCode)
	}
	draft.Set("links", "dataset realisasi 1 periode=2025-Q3&program=PKH")
	resp, page = ed.post("/admin/tanya/1/draf", draft)
	wantStatus(t, "save draft", resp, http.StatusOK)
	if !strings.Contains(page, l.T("tanya.admin.ok.draft")) || !strings.Contains(page, "PKH tahap 2025-Q3, Indonesia: Tersalur") {
		t.Error("the saved draft shows no preview of its figure")
	}
	for _, action := range []string{"perpanjang", "jawab", "tolak"} {
		resp, _ := ed.post("/admin/tanya/1/"+action, url.Values{"days": {"2"}, "reason": {"Alasan."}, "ground": {"pasal17h"}})
		wantStatus(t, "an editor's "+action, resp, http.StatusForbidden)
	}
	// The asker does not see the draft.
	if _, track := asker.get(trackPath); strings.Contains(track, "tercantum di bawah ini") {
		t.Error("the asker sees the draft")
	}

	// Two days later (sessions last 12 hours: the admin signs in then).
	ps.clock.set(received.Add(48 * time.Hour))
	ad := ps.staff(t, "ana", adminPass, "/admin/tanya/1")
	resp, _ = ad.post("/admin/tanya/1/perpanjang", url.Values{"days": {"3"}, "reason": {""}})
	wantStatus(t, "an extension without reasons", resp, http.StatusUnprocessableEntity)
	resp, page = ad.post("/admin/tanya/1/perpanjang", url.Values{"days": {"3"}, "reason": {"Data kabupaten sedang direkonsiliasi."}})
	wantStatus(t, "extend", resp, http.StatusOK)
	extended, _, _ := cal.Extend(deadline, 3)
	if !strings.Contains(page, l.DateTime(extended)) {
		t.Errorf("the extended deadline %s is not shown", l.DateTime(extended))
	}
	resp, _ = ad.post("/admin/tanya/1/perpanjang", url.Values{"days": {"1"}, "reason": {"Lagi."}})
	wantStatus(t, "a second extension", resp, http.StatusConflict)
	if _, track := asker.get(trackPath); !strings.Contains(track, "Data kabupaten sedang direkonsiliasi.") || !strings.Contains(track, l.DateTime(extended)) {
		t.Error("the tracking page does not show the extension and its reasons")
	}
	ps.clock.set(received.Add(5 * 24 * time.Hour))
	ad.login("ana", adminPass)
	ad.get("/admin/tanya/1")
	resp, _ = ad.post("/admin/tanya/1/jawab", nil)
	wantStatus(t, "answer", resp, http.StatusOK)

	// Published: the list, the answer's page, the feeds, the region and
	// programme pages; the tracking page shows the answer.
	reader := ps.client(t)
	_, list := reader.get("/tanya/terjawab")
	if !strings.Contains(list, `href="/tanya/terjawab/1"`) || !strings.Contains(list, `type="application/atom+xml"`) {
		t.Error("/tanya/terjawab does not list the answer, or has no feed links")
	}
	resp, one := reader.get("/tanya/terjawab/1")
	wantStatus(t, "the answer's page", resp, http.StatusOK)
	for _, want := range []string{"Berapa keluarga penerima PKH di Kabupaten Bandung", "tercantum di bawah ini", "PKH tahap 2025-Q3, Indonesia: Tersalur",
		`href="/dataset/realisasi?periode=2025-Q3&amp;program=PKH&amp;release=1"`, l.T("tanya.figure_fixed"),
		l.T("tanya.working_days", cal.WorkingDaysBetween(received, received.Add(5*24*time.Hour))), l.T("tanya.with_extension", 3)} {
		if !strings.Contains(one, want) {
			t.Errorf("the answer's page lacks %q", want)
		}
	}
	if strings.Contains(one, "Ratna") {
		t.Error("the answer's page names an asker who did not agree")
	}
	feeds := parseDeskFeeds(t, reader)
	for format, items := range feeds {
		if len(items) != 1 || !strings.HasSuffix(items[0].Link, "/tanya/terjawab/1") || !strings.Contains(items[0].Content, "PKH tahap 2025-Q3") {
			t.Errorf("%s feed: %+v", format, items)
		}
	}
	for _, path := range []string{"/wilayah/32.04", "/wilayah/32", "/program/PKH"} {
		_, body := reader.get(path)
		if !strings.Contains(body, `href="/tanya/terjawab/1"`) || !strings.Contains(body, "tanya-questions") {
			t.Errorf("%s does not list the answer", path)
		}
	}
	if _, body := reader.get("/wilayah/35"); strings.Contains(body, `href="/tanya/terjawab/1"`) {
		t.Error("another province lists the answer")
	}
	if _, track := asker.get(trackPath); !strings.Contains(track, "tercantum di bawah ini") || !strings.Contains(track, "/tanya/terjawab/1") {
		t.Error("the tracking page does not show the answer")
	}

	// Every step is in the audit log, with a link to the request.
	_, audit := ad.get("/admin/audit")
	for _, want := range []string{"request.submit", "request.draft", "request.extend", "request.answer", `href="/admin/tanya/1"`} {
		if !strings.Contains(audit, want) {
			t.Errorf("the audit log lacks %s", want)
		}
	}
	if strings.Contains(audit, "ratna@") {
		t.Error("the audit log holds the asker's address")
	}
	// The CSV export names the request of each of the desk's steps.
	_, csvBody := ad.get("/admin/audit.csv")
	rows, err := csv.NewReader(strings.NewReader(csvBody)).ReadAll()
	if err != nil || len(rows) < 2 || rows[0][len(rows[0])-1] != "request_id" {
		t.Fatalf("audit CSV: %v %q", err, csvBody[:min(len(csvBody), 200)])
	}
	steps := 0
	for _, r := range rows[1:] {
		if strings.HasPrefix(r[3], "request.") {
			steps++
			if r[6] != "1" {
				t.Errorf("audit CSV: %s names request %q, want 1", r[3], r[6])
			}
		}
	}
	if steps < 4 || strings.Contains(csvBody, "ratna@") {
		t.Errorf("audit CSV: %d request steps, or it holds the asker's address", steps)
	}
}

// deskFeedItem is an entry of a feed, whatever its format.
type deskFeedItem struct{ Link, Content string }

// parseDeskFeeds reads the answers' three feeds.
func parseDeskFeeds(t *testing.T, c *client) map[string][]deskFeedItem {
	t.Helper()
	out := map[string][]deskFeedItem{}
	for format, path := range map[string]string{"atom": "/tanya/terjawab.atom", "rss": "/tanya/terjawab.rss", "json": "/tanya/terjawab.json"} {
		resp, body := c.get(path)
		wantStatus(t, path, resp, http.StatusOK)
		f, err := gofeed.NewParser().ParseString(body)
		if err != nil {
			t.Fatalf("%s does not parse: %v", path, err)
		}
		for _, it := range f.Items {
			out[format] = append(out[format], deskFeedItem{Link: it.Link, Content: it.Content})
		}
	}
	return out
}

// TestTanyaRefusalAndQuestionEdit: an admin refuses on a ground of the
// law, with reasons the asker reads; an editor takes a name out of
// another question, which is then published as edited; an editor cannot
// refuse (403). Everything is audited.
func TestTanyaRefusalAndQuestionEdit(t *testing.T) {
	t.Parallel()
	ps := newDeskSite(t, time.Date(2026, 7, 6, 9, 0, 0, 0, kip.Jakarta))
	l := testkit.Indonesian(t)
	asker := ps.client(t)
	_, _, tok1 := asker.ask(askForm("Budi Santoso", "budi@contoh.example", "Siapa saja nama penerima PKH di desa saya, lengkap dengan NIK?", true, true))
	_, _, tok2 := asker.ask(askForm("Budi Santoso", "budi@contoh.example", "Ibu saya Siti Aminah belum menerima PKH tahap ketiga; berapa keluarga di Bandung yang sama?", true, true))
	if tok1 == "" || tok2 == "" {
		t.Fatal("no tracking links")
	}
	ed := ps.staff(t, "budi", editorPass, "/admin/tanya/1")
	resp, _ := ed.post("/admin/tanya/1/tolak", url.Values{"ground": {"pasal17h"}, "reason": {"Nama dan NIK penerima adalah data pribadi."}})
	wantStatus(t, "an editor refuses", resp, http.StatusForbidden)

	ad := ps.staff(t, "ana", adminPass, "/admin/tanya/1")
	resp, _ = ad.post("/admin/tanya/1/tolak", url.Values{"ground": {"bukan"}, "reason": {"x"}})
	wantStatus(t, "an unknown ground", resp, http.StatusUnprocessableEntity)
	resp, _ = ad.post("/admin/tanya/1/tolak", url.Values{"ground": {"pasal17h"}, "reason": {"Nama dan NIK penerima adalah data pribadi."}})
	wantStatus(t, "refuse", resp, http.StatusOK)
	_, track := asker.get("/tanya/lacak/" + tok1)
	g, _ := press.Ground("pasal17h")
	for _, want := range []string{l.T("tanya.status.refused"), g.Label.ID, g.Article, "Nama dan NIK penerima adalah data pribadi."} {
		if !strings.Contains(track, want) {
			t.Errorf("the refusal's tracking page lacks %q", want)
		}
	}
	if _, list := asker.get("/tanya/terjawab"); strings.Contains(list, "desa saya") {
		t.Error("a refused request is published")
	}

	ed.get("/admin/tanya/2")
	public := "Seorang penerima belum menerima PKH tahap ketiga; berapa keluarga di Bandung yang sama?"
	resp, page := ed.post("/admin/tanya/2/pertanyaan", url.Values{"question": {public}})
	wantStatus(t, "edit the question", resp, http.StatusOK)
	if !strings.Contains(page, "Siti Aminah") || !strings.Contains(page, public) {
		t.Error("the request's page does not show both the asked and the published question")
	}
	ed.post("/admin/tanya/2/draf", url.Values{"answer_id": {"Jawaban."}})
	ad.get("/admin/tanya/2")
	resp, _ = ad.post("/admin/tanya/2/jawab", nil)
	wantStatus(t, "answer", resp, http.StatusOK)
	_, one := asker.get("/tanya/terjawab/2")
	if !strings.Contains(one, public) || strings.Contains(one, "Siti Aminah") || !strings.Contains(one, "Budi Santoso") {
		t.Error("the published answer does not show the edited question with the consenting asker's name")
	}
	log, _ := ps.s.Press.Audit(context.Background(), 0)
	var actions []string
	for _, e := range log {
		if e.RequestID != 0 {
			actions = append(actions, e.Action)
		}
	}
	for _, want := range []string{"request.refuse", "request.question", "request.draft", "request.answer"} {
		if !strings.Contains(strings.Join(actions, " "), want) {
			t.Errorf("the audit log lacks %s", want)
		}
	}
}

// TestTanyaDeadlineProvisional: a request whose deadline runs into a
// year without a holiday list shows the deadline kip counts, marked
// provisional, to the asker and to staff, and the queue warns.
func TestTanyaDeadlineProvisional(t *testing.T) {
	t.Parallel()
	received := time.Date(2026, 12, 23, 16, 0, 0, 0, kip.Jakarta)
	ps := newDeskSite(t, received)
	l := testkit.Indonesian(t)
	cal, _ := ps.s.Press.Calendar()
	deadline, prov := cal.Deadline(received)
	if !prov {
		t.Skip("the calendar has a list for 2027: nothing is provisional")
	}
	asker := ps.client(t)
	_, _, tok := asker.ask(askForm("Ani", "ani@contoh.example", "Kapan data penyaluran triwulan IV 2026 diterbitkan di portal ini?", false, false))
	_, track := asker.get("/tanya/lacak/" + tok)
	if !strings.Contains(track, l.DateTime(deadline)) || !strings.Contains(track, l.T("tanya.provisional")) {
		t.Errorf("the tracking page lacks the provisional deadline %s", l.DateTime(deadline))
	}
	ad := ps.staff(t, "ana", adminPass, "/admin")
	_, queue := ad.get("/admin/tanya")
	for _, want := range []string{l.DateTime(deadline), l.T("tanya.admin.provisional_warning"), "2027", l.T("tanya.admin.next_year", 2027)} {
		if !strings.Contains(queue, want) {
			t.Errorf("the queue lacks %q", want)
		}
	}
	if en := testkit.Get(t, ps.s, "/tanya/lacak/"+tok, "Cookie", "lang=en").Body.String(); !strings.Contains(en, i18n.FormatDateTime(i18n.EN, deadline)) {
		t.Error("the English tracking page lacks the deadline")
	}
}
