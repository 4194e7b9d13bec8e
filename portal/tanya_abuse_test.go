package portal

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/portal-data-bansos/portal/internal/kip"
	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/internal/testkit"
	"github.com/portal-data-bansos/portal/portal/tanya"
)

// deskToken is a form's token: its cookie and its hidden field.
type deskToken struct{ cookie, field string }

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// formToken opens the form from addr and returns its token.
func formToken(t testing.TB, h http.Handler, addr string) deskToken {
	t.Helper()
	rec := testkit.Request{URL: "/tanya", RemoteAddr: addr}.Do(h)
	m := csrfInput.FindStringSubmatch(rec.Body.String())
	var ck string
	for _, c := range rec.Result().Cookies() {
		if c.Name == "tanya_csrf" {
			ck = c.Value
		}
	}
	if m == nil || ck == "" {
		t.Fatalf("the form has no token: %d", rec.Code)
	}
	return deskToken{cookie: ck, field: m[1]}
}

// postAsk sends the form from addr with a token (the zero token sends
// none).
func postAsk(h http.Handler, addr string, form url.Values, tok deskToken) *httptest.ResponseRecorder {
	form = cloneValues(form)
	if tok.field != "" {
		form.Set("csrf", tok.field)
	}
	req := httptest.NewRequest(http.MethodPost, "/tanya", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = addr
	if tok.cookie != "" {
		req.AddCookie(&http.Cookie{Name: "tanya_csrf", Value: tok.cookie})
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// openCount is how many requests are open (every request of these tests
// is).
func openCount(t testing.TB, s *Server) int {
	t.Helper()
	n, _, err := s.Press.OpenRequests(context.Background(), s.Now())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestTanyaAbuse: the form's defences, each storing nothing — a filled
// honeypot gets the same confirmation; a missing, forged or expired token
// is a 403 with the form shown again, input kept; an oversized body is a
// 413; a bad field is a 422 naming it; and the 6th question from one
// address within an hour is a 429 that says when to try again, while
// another address may still ask.
func TestTanyaAbuse(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, kip.Jakarta)
	ps := newDeskSite(t, t0)
	s := ps.s
	l := testkit.Indonesian(t)
	good := askForm("Dewi Lestari", "dewi@contoh.example", "Berapa nominal PKH yang tersalur di Jawa Barat pada triwulan ketiga?", true, false)
	const a1, a2, a3 = "192.0.2.10:1000", "192.0.2.20:1000", "198.51.100.7:1000"

	t.Run("honeypot", func(t *testing.T) {
		form := cloneValues(good)
		form.Set("website", "https://spam.example/")
		rec := postAsk(s, a1, form, formToken(t, s, a1))
		body := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.Contains(body, l.T("tanya.sent.title")) || !trackLink.MatchString(body) {
			t.Fatalf("a robot is not shown the confirmation: %d", rec.Code)
		}
		if n := openCount(t, s); n != 0 {
			t.Errorf("%d requests stored", n)
		}
		if code := testkit.Get(t, s, trackLink.FindString(body)).Code; code != http.StatusNotFound {
			t.Errorf("the robot's tracking link answers %d", code)
		}
	})

	t.Run("token", func(t *testing.T) {
		tok := formToken(t, s, a1)
		for name, tc := range map[string]struct {
			tok  deskToken
			want string
		}{
			"missing":      {deskToken{}, "tanya.error.token_missing"},
			"no cookie":    {deskToken{field: tok.field}, "tanya.error.token_missing"},
			"forged":       {deskToken{cookie: tok.cookie, field: tok.field[:len(tok.field)-1] + "x"}, "tanya.error.token_mismatch"},
			"other cookie": {deskToken{cookie: formToken(t, s, a1).cookie, field: tok.field}, "tanya.error.token_mismatch"},
			"bad time":     {deskToken{cookie: "x." + tok.cookie, field: "x." + tok.cookie}, "tanya.error.token_mismatch"},
		} {
			rec := postAsk(s, a1, good, tc.tok)
			if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), l.T(tc.want)) {
				t.Errorf("%s: %d", name, rec.Code)
			}
			if !strings.Contains(rec.Body.String(), `value="Dewi Lestari"`) {
				t.Errorf("%s: the input is not kept", name)
			}
		}
		// A token issued more than three hours before it is used.
		old := formToken(t, s, a1)
		ps.clock.set(t0.Add(3*time.Hour + time.Minute))
		rec := postAsk(s, a1, good, old)
		ps.clock.set(t0)
		if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), l.T("tanya.error.token_expired")) {
			t.Errorf("expired: %d", rec.Code)
		}
		if n := openCount(t, s); n != 0 {
			t.Errorf("%d requests stored", n)
		}
	})

	t.Run("size", func(t *testing.T) {
		form := cloneValues(good)
		form.Set("question", strings.Repeat("Berapa? ", tanya.MaxBody/8+10))
		if rec := postAsk(s, a1, form, formToken(t, s, a1)); rec.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("a body over the form's limit: %d", rec.Code)
		}
		// Sent without a length, the body is cut at the limit all the same.
		form.Set("csrf", "x")
		req := httptest.NewRequest(http.MethodPost, "/tanya", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.ContentLength = -1
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("a body over the limit without a length: %d", rec.Code)
		}
		if n := openCount(t, s); n != 0 {
			t.Errorf("%d requests stored", n)
		}
	})

	t.Run("fields", func(t *testing.T) {
		for field, tc := range map[string]struct{ value, want string }{
			"email":    {"dewi(at)contoh", l.T("tanya.field.email") + ": " + l.T("invalid.email")},
			"name":     {"  ", l.T("tanya.field.name") + ": " + l.T("invalid.required")},
			"question": {"Berapa?", l.T("tanya.field.question") + ": " + l.T("invalid.question_length", press.MinQuestion, press.MaxQuestion)},
			"region":   {"99.99", l.T("tanya.field.region") + ": "},
			"program":  {"BANSOS", l.T("tanya.field.program") + ": "},
		} {
			form := cloneValues(good)
			form.Set(field, tc.value)
			rec := postAsk(s, a1, form, formToken(t, s, a1))
			body := rec.Body.String()
			if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, tc.want) {
				t.Errorf("%s %q: %d, want %q", field, tc.value, rec.Code, tc.want)
			}
			if !strings.Contains(body, `id="e-`+field+`"`) || !strings.Contains(body, `href="#f-`+field+`"`) {
				t.Errorf("%s: the error does not point at its field", field)
			}
		}
		if n := openCount(t, s); n != 0 {
			t.Errorf("%d requests stored", n)
		}
	})

	t.Run("rate", func(t *testing.T) {
		for i := range tanya.AsksPerHour {
			if rec := postAsk(s, a2, good, formToken(t, s, a2)); rec.Code != http.StatusOK {
				t.Fatalf("question %d: %d", i+1, rec.Code)
			}
		}
		rec := postAsk(s, a2, good, formToken(t, s, a2))
		if rec.Code != http.StatusTooManyRequests {
			t.Fatalf("the 6th question in an hour: %d", rec.Code)
		}
		retry, _ := strconv.Atoi(rec.Header().Get("Retry-After"))
		if retry < 3500 || retry > 3601 {
			t.Errorf("Retry-After %q", rec.Header().Get("Retry-After"))
		}
		body := rec.Body.String()
		if !strings.Contains(body, l.T("tanya.error.rate", tanya.AsksPerHour, l.DateTime(t0.Add(time.Hour)))) || !strings.Contains(body, `value="Dewi Lestari"`) {
			t.Error("the 429 does not say when to try again, or loses the input")
		}
		if n := openCount(t, s); n != tanya.AsksPerHour {
			t.Errorf("%d requests stored, want %d", n, tanya.AsksPerHour)
		}
		if rec := postAsk(s, a3, good, formToken(t, s, a3)); rec.Code != http.StatusOK {
			t.Errorf("another address: %d", rec.Code)
		}
		ps.clock.set(t0.Add(time.Hour + time.Second))
		if rec := postAsk(s, a2, good, formToken(t, s, a2)); rec.Code != http.StatusOK {
			t.Errorf("an hour later: %d", rec.Code)
		}
		ps.clock.set(t0)
	})
}

// FuzzTanyaForm sends the form's fields through the real handler: it
// never fails with a 500, and what it stores is a request the domain
// accepts, stored as the domain normalises it; a request it refuses is
// not stored.
func FuzzTanyaForm(f *testing.F) {
	f.Add("Ana Wartawati", "ana@contoh.co.id", "Harian Contoh", "Berapa keluarga penerima PKH di Kabupaten Bandung?", "3204", "pkh", "penyaluran", true, true, "")
	f.Add("Budi", "budi@contoh.example", "", "Kapan data triwulan berikutnya terbit di portal?", "", "", "", false, true, "")
	f.Add("", "", "", "", "", "", "", false, false, "")
	f.Add("Ana\x00", "ana@@contoh", "\u202e", "pendek", "99", "BANSOS", "tidak-ada", true, false, "")
	f.Add("Robot", "robot@spam.example", "", "Pertanyaan robot yang cukup panjang untuk diterima.", "32", "PKH", "", true, true, "https://spam.example")
	f.Add(" Ana\r\nWartawati ", "ana@contoh.co.id", strings.Repeat("M", 121), "Pertanyaan\r\ndengan baris baru yang cukup panjang.", "32.04.01", "sembako", "realisasi", false, false, "")
	f.Add("Ana", "Ana <ana@contoh.co.id>", "", "Pertanyaan yang cukup panjang untuk diterima?", "32.73", "", "", true, false, " ")
	s, _ := newWritableReleaseServer(f)
	tok := formToken(f, s, "203.0.113.1:1")
	var n atomic.Int64
	f.Fuzz(func(t *testing.T, name, email, outlet, question, reg, program, ds string, publish, showName bool, website string) {
		// Each input from its own address: the rate limit is tested above.
		i := n.Add(1)
		addr := "10." + strconv.Itoa(int(i>>16&255)) + "." + strconv.Itoa(int(i>>8&255)) + "." + strconv.Itoa(int(i&255)) + ":1"
		form := url.Values{"name": {name}, "email": {email}, "outlet": {outlet}, "question": {question},
			"region": {reg}, "program": {program}, "dataset": {ds}, "website": {website}}
		if publish {
			form.Set("consent_publish", "1")
		}
		if showName {
			form.Set("consent_name", "on")
		}
		before := openCount(t, s)
		rec := postAsk(s, addr, form, tok)
		after := openCount(t, s)
		want := press.Ask{Name: name, Email: email, Outlet: outlet, Question: question, Region: reg, Program: program, Dataset: ds,
			ConsentPublishQuestion: publish, ConsentPublishName: showName}
		valid := want.Normalize() == nil
		switch {
		case rec.Code >= 500:
			t.Fatalf("status %d", rec.Code)
		case after > before+1:
			t.Fatalf("%d requests stored at once", after-before)
		case after == before+1:
			if !valid || strings.TrimSpace(website) != "" || rec.Code != http.StatusOK {
				t.Fatalf("stored a request the form must refuse (status %d)", rec.Code)
			}
			// Requests are numbered in order, and none is deleted.
			r, err := s.Press.Request(context.Background(), int64(after))
			if err != nil {
				t.Fatal(err)
			}
			got := press.Ask{Name: r.Name, Email: r.Email, Outlet: r.Outlet, Question: r.Question, Region: r.Region, Program: r.Program, Dataset: r.Dataset,
				ConsentPublishQuestion: r.ConsentPublishQuestion, ConsentPublishName: r.ConsentPublishName}
			if got != want {
				t.Fatalf("stored %+v, want %+v", got, want)
			}
			if again := got; again.Normalize() != nil || again != got {
				t.Fatalf("the stored request does not normalise to itself: %+v", got)
			}
		case valid && strings.TrimSpace(website) == "" && rec.Code != http.StatusRequestEntityTooLarge:
			t.Fatalf("a valid question was not stored: status %d", rec.Code)
		}
	})
}

// lockedBuffer is a log's buffer written by concurrent requests.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestTanyaTokenNeverLogged: the tracking token is in the asker's
// confirmation and the tracking page's address, never in the site's log
// (the request log writes such paths without it).
func TestTanyaTokenNeverLogged(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := (testkit.Fixture{WithTargets: true}).CopyStores(dir); err != nil {
		t.Fatal(err)
	}
	pub, _, pressDB := testkit.OpenStores(t, dir)
	var logged lockedBuffer
	s := newSite(t, pub, pressDB, func(o *Options) { o.Log = slog.New(slog.NewJSONHandler(&logged, nil)) })
	const addr = "192.0.2.1:1"
	rec := postAsk(s, addr, askForm("Ani", "ani@contoh.example", "Berapa penerima PKH di Jawa Barat tahun ini, per kabupaten?", false, false), formToken(t, s, addr))
	m := trackLink.FindStringSubmatch(rec.Body.String())
	if rec.Code != http.StatusOK || m == nil {
		t.Fatalf("ask: %d", rec.Code)
	}
	tok := m[1]
	for _, path := range []string{"/tanya/lacak/" + tok, "/tanya/lacak/" + tok + "/", "/tanya/./lacak/" + tok, "/tanya/lacak/" + tok + "x"} {
		testkit.Get(t, s, path)
	}
	log := logged.String()
	if strings.Contains(log, tok) {
		t.Errorf("the log holds the token:\n%s", log)
	}
	if !strings.Contains(log, `"route":"/tanya/lacak/:token"`) || !strings.Contains(log, `"path":"/tanya/lacak/…"`) {
		t.Errorf("the tracking page's request is not logged as such:\n%s", log)
	}
}

// TestTanyaReadOnly: a read-only replica shows the published answers and
// the report, and the form without its submit: it takes no question.
func TestTanyaReadOnly(t *testing.T) {
	t.Parallel()
	s, _ := newReleaseServer(t, true, func(o *Options) { o.ReadOnly = true })
	l := testkit.Indonesian(t)
	form := testkit.Get(t, s, "/tanya")
	if form.Code != http.StatusOK || !strings.Contains(form.Body.String(), l.T("tanya.readonly")) || strings.Contains(form.Body.String(), `method="post" action="/tanya"`) {
		t.Errorf("the replica's form: %d", form.Code)
	}
	if got := postAsk(s, "192.0.2.1:1", askForm("Ani", "ani@contoh.example", "Pertanyaan yang cukup panjang untuk diterima?", false, false), deskToken{}); got.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /tanya on a replica: %d", got.Code)
	}
	for _, path := range []string{"/tanya/terjawab", "/tanya/laporan", "/tanya/laporan.csv", "/tanya/terjawab.atom"} {
		if code := testkit.Get(t, s, path).Code; code != http.StatusOK {
			t.Errorf("%s on a replica: %d", path, code)
		}
	}
}
