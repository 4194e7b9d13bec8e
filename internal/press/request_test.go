package press

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/portal-data-bansos/portal/internal/apperr"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/kip"
)

// jkt is a time in Jakarta.
func jkt(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, kip.Jakarta)
}

// endOf is the end of a day in Jakarta, as deadlines are.
func endOf(y int, m time.Month, d int) time.Time { return kip.Date{Year: y, Month: m, Day: d}.End() }

func discardLog() *slog.Logger { return slog.New(slog.DiscardHandler) }

func testAsk() Ask {
	return Ask{Name: " Ana  Wartawati ", Email: "ana@contoh.co.id", Outlet: "Harian Contoh",
		Question: "Berapa keluarga penerima PKH di Kabupaten Bandung pada triwulan I 2026?",
		Region:   "3204", Program: "pkh", Dataset: "penyaluran", ConsentPublishQuestion: true}
}

type deskFixture struct {
	s           *Store
	admin, ed   *User
	ctx         context.Context
	submitCount int
}

func newDesk(t *testing.T) *deskFixture {
	t.Helper()
	ctx := context.Background()
	s := openStore(t)
	admin, err := s.AddUser(ctx, "ana", RoleAdmin, "correct horse battery", t0)
	if err != nil {
		t.Fatal(err)
	}
	ed, err := s.AddUser(ctx, "budi", RoleEditor, "another long password", t0)
	if err != nil {
		t.Fatal(err)
	}
	return &deskFixture{s: s, admin: admin, ed: ed, ctx: ctx}
}

func (f *deskFixture) submit(t *testing.T, a Ask, at time.Time) (*Request, string) {
	t.Helper()
	r, tok, err := f.s.SubmitRequest(f.ctx, a, at)
	if err != nil {
		t.Fatal(err)
	}
	return r, tok
}

// answer drafts and publishes an answer.
func (f *deskFixture) answer(t *testing.T, id int64, at time.Time) {
	t.Helper()
	if err := f.s.SaveDraft(f.ctx, f.ed, id, i18n.Text{ID: "Jawaban **lengkap**."}, nil, at.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := f.s.Answer(f.ctx, f.admin, id, at); err != nil {
		t.Fatal(err)
	}
}

func TestRequestFlow(t *testing.T) {
	f := newDesk(t)
	ctx, s := f.ctx, f.s
	received := jkt(2026, 3, 2, 10, 0) // Monday
	r, tok, err := s.SubmitRequest(ctx, testAsk(), received)
	if err != nil {
		t.Fatal(err)
	}
	if len(tok) != 43 || r.Status != RequestReceived || !r.Deadline.Equal(endOf(2026, 3, 16)) || r.Provisional {
		t.Fatalf("submitted: token %q, %+v", tok, r)
	}
	if r.Name != "Ana Wartawati" || r.Region != "32.04" || r.Program != "PKH" {
		t.Errorf("not normalised: %q %q %q", r.Name, r.Region, r.Program)
	}
	var inStore int
	s.db.R.QueryRow(`SELECT count(*) FROM request WHERE token_hash = ? OR token_hash = ?`, tok, tokenHash(tok)).Scan(&inStore)
	var plain int
	s.db.R.QueryRow(`SELECT count(*) FROM request WHERE token_hash = ?`, tok).Scan(&plain)
	if inStore != 1 || plain != 0 {
		t.Error("the token is not stored as its hash only")
	}

	v, err := s.ByToken(ctx, tok)
	if err != nil || v.ID != r.ID || v.Status != RequestReceived || !v.Deadline.Equal(r.Deadline) {
		t.Fatalf("ByToken: %+v %v", v, err)
	}
	for _, bad := range []string{"", tok[:42], tok + "x", strings.Repeat("A", 500)} {
		if _, err := s.ByToken(ctx, bad); !errors.Is(err, ErrNotFound) {
			t.Errorf("ByToken(%q): %v", bad, err)
		}
	}

	// An editor drafts; the asker does not see the draft.
	links, err := ParseLinks("dataset penyaluran 3 program=PKH&tingkat=provinsi")
	if err != nil {
		t.Fatal(err)
	}
	draft := i18n.Text{ID: " Ada **1.234** keluarga. ", EN: "There are **1,234** families."}
	if err := s.SaveDraft(ctx, f.ed, r.ID, draft, links, jkt(2026, 3, 3, 9, 0)); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.ByToken(ctx, tok); v.Answer != (i18n.Text{}) || v.Links != nil {
		t.Errorf("the asker sees the draft: %+v", v.Answer)
	}
	full, _ := s.Request(ctx, r.ID)
	if full.Answer.ID != "Ada **1.234** keluarga." || len(full.Links) != 1 || full.DraftBy != "budi" || full.Email != "ana@contoh.co.id" {
		t.Errorf("staff view: %+v", full)
	}

	// The admin extends by 3 working days, across Nyepi and cuti bersama.
	if err := s.Extend(ctx, f.admin, r.ID, 3, "Data kabupaten sedang direkonsiliasi.", jkt(2026, 3, 13, 10, 0)); err != nil {
		t.Fatal(err)
	}
	full, _ = s.Request(ctx, r.ID)
	if !full.Deadline.Equal(endOf(2026, 3, 26)) || !full.OriginalDeadline.Equal(endOf(2026, 3, 16)) || full.ExtensionDays != 3 {
		t.Errorf("extended: deadline %s, original %s", full.Deadline.In(kip.Jakarta), full.OriginalDeadline.In(kip.Jakarta))
	}
	if v, _ := s.ByToken(ctx, tok); v.ExtensionReason != "Data kabupaten sedang direkonsiliasi." || !v.Deadline.Equal(full.Deadline) {
		t.Errorf("the asker does not see the extension: %+v", v)
	}

	pv0, _ := s.PublicVersion(ctx)
	answered := jkt(2026, 3, 25, 15, 0) // after the original deadline, before the extended one
	if err := s.Answer(ctx, f.admin, r.ID, answered); err != nil {
		t.Fatal(err)
	}
	if pv1, _ := s.PublicVersion(ctx); pv1 != pv0+1 {
		t.Errorf("public version %d → %d", pv0, pv1)
	}
	v, _ = s.ByToken(ctx, tok)
	if v.Status != RequestAnswered || v.Answer.EN != "There are **1,234** families." || len(v.Links) != 1 || !v.Closed.Equal(answered) || !v.Published {
		t.Errorf("the asker's answer: %+v", v)
	}
	full, _ = s.Request(ctx, r.ID)
	if !full.OnTime() || full.ClosedBy != "ana" {
		t.Errorf("closed: on time %v by %q", full.OnTime(), full.ClosedBy)
	}
	if err := s.SaveDraft(ctx, f.admin, r.ID, draft, nil, answered); !errors.Is(err, ErrRequestClosed) {
		t.Errorf("a closed request's answer was edited: %v", err)
	}
	if err := s.Answer(ctx, f.admin, r.ID, answered); !errors.Is(err, ErrRequestClosed) {
		t.Errorf("answered twice: %v", err)
	}

	// Every step is in the audit log, naming the request.
	log, _ := s.Audit(ctx, 0)
	var actions []string
	for _, e := range log {
		if e.RequestID == r.ID {
			actions = append([]string{e.Action}, actions...)
			if strings.Contains(e.Detail, "ana@") || strings.Contains(e.Detail, "Wartawati") {
				t.Errorf("personal data in the audit log: %q", e.Detail)
			}
		}
	}
	if want := []string{"request.submit", "request.draft", "request.extend", "request.answer"}; !reflect.DeepEqual(actions, want) {
		t.Errorf("audit: %v, want %v", actions, want)
	}
}

func TestRequestRefusal(t *testing.T) {
	f := newDesk(t)
	r, tok := f.submit(t, testAsk(), jkt(2026, 7, 6, 9, 0))
	for _, tc := range []struct {
		ground, reason, field string
	}{
		{"pasal99", "Alasan.", "ground"},
		{"pasal17h", "  ", "reason"},
		{"pasal17h", "a\x00b", "reason"},
	} {
		err := f.s.Refuse(f.ctx, f.admin, r.ID, tc.ground, tc.reason, jkt(2026, 7, 7, 9, 0))
		if e := apperr.From(err); e.Kind != apperr.Invalid || e.Field != tc.field {
			t.Errorf("Refuse(%q, %q) = %v, want an error about %s", tc.ground, tc.reason, err, tc.field)
		}
	}
	if err := f.s.Refuse(f.ctx, f.admin, r.ID, "pasal17h", "Data per keluarga memuat rahasia pribadi.", jkt(2026, 7, 7, 9, 0)); err != nil {
		t.Fatal(err)
	}
	v, err := f.s.ByToken(f.ctx, tok)
	if err != nil || v.Status != RequestRefused || v.RefusalReason != "Data per keluarga memuat rahasia pribadi." || v.Published {
		t.Fatalf("refused: %+v %v", v, err)
	}
	if g, ok := v.Ground(); !ok || g.Article != "UU 14/2008 Pasal 17 huruf h" || g.Label.EN == "" {
		t.Errorf("ground: %+v", g)
	}
	if err := f.s.Extend(f.ctx, f.admin, r.ID, 2, "x", jkt(2026, 7, 8, 9, 0)); !errors.Is(err, ErrRequestClosed) {
		t.Errorf("a refused request was extended: %v", err)
	}
	if as, n, _ := f.s.Answered(f.ctx, AnswerFilter{}); n != 0 || len(as) != 0 {
		t.Error("a refused request is listed as answered")
	}
}

func TestRequestRules(t *testing.T) {
	f := newDesk(t)
	r, _ := f.submit(t, testAsk(), jkt(2026, 3, 2, 10, 0))
	at := jkt(2026, 3, 4, 10, 0)
	for name, err := range map[string]error{
		"editor extends":  f.s.Extend(f.ctx, f.ed, r.ID, 2, "Butuh waktu.", at),
		"editor answers":  f.s.Answer(f.ctx, f.ed, r.ID, at),
		"editor refuses":  f.s.Refuse(f.ctx, f.ed, r.ID, "pasal17a", "Alasan.", at),
		"nobody extends":  f.s.Extend(f.ctx, nil, r.ID, 2, "Butuh waktu.", at),
		"nobody drafts":   f.s.SaveDraft(f.ctx, nil, r.ID, i18n.Text{ID: "x"}, nil, at),
		"nobody answers":  f.s.Answer(f.ctx, nil, r.ID, at),
		"nobody refuses":  f.s.Refuse(f.ctx, nil, r.ID, "pasal17a", "Alasan.", at),
		"a disabled role": f.s.SaveDraft(f.ctx, &User{ID: f.ed.ID, Role: "tamu"}, r.ID, i18n.Text{ID: "x"}, nil, at),
	} {
		if !errors.Is(err, ErrForbidden) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := f.s.Answer(f.ctx, f.admin, r.ID, at); apperr.From(err).Field != "answer" {
		t.Errorf("answered without a draft: %v", err)
	}
	if err := f.s.SaveDraft(f.ctx, f.ed, r.ID, i18n.Text{ID: "   "}, nil, at); err != nil {
		t.Fatal(err)
	}
	if err := f.s.Answer(f.ctx, f.admin, r.ID, at); apperr.From(err).Field != "answer" {
		t.Errorf("answered with a blank draft: %v", err)
	}
	if err := f.s.SaveDraft(f.ctx, f.ed, r.ID, i18n.Text{ID: "x"}, []Link{{Kind: "dataset", Target: "tidak-ada", Release: 1}}, at); apperr.From(err).Field != "links" {
		t.Errorf("a link to no dataset: %v", err)
	}
	for _, tc := range []struct {
		days   int
		reason string
		field  string
	}{{0, "Alasan.", "days"}, {8, "Alasan.", "days"}, {3, " ", "reason"}, {3, strings.Repeat("x", MaxReason+1), "reason"}} {
		if err := f.s.Extend(f.ctx, f.admin, r.ID, tc.days, tc.reason, at); apperr.From(err).Field != tc.field {
			t.Errorf("Extend(%d, %.10q): %v", tc.days, tc.reason, err)
		}
	}
	if err := f.s.Extend(f.ctx, f.admin, r.ID, 7, "Butuh waktu.", at); err != nil {
		t.Fatal(err)
	}
	if err := f.s.Extend(f.ctx, f.admin, r.ID, 1, "Sekali lagi.", at); !errors.Is(err, ErrAlreadyExtended) {
		t.Errorf("extended twice: %v", err)
	}
	if r2, _ := f.s.Request(f.ctx, r.ID); !r2.Deadline.Equal(endOf(2026, 4, 1)) {
		t.Errorf("7 days after 16 March: %s", r2.Deadline.In(kip.Jakarta))
	}
	// An extension comes before the original deadline passes.
	late, _ := f.submit(t, testAsk(), jkt(2026, 3, 2, 10, 0))
	if err := f.s.Extend(f.ctx, f.admin, late.ID, 2, "Terlambat.", jkt(2026, 3, 17, 0, 0)); !errors.Is(err, ErrExtensionLate) {
		t.Errorf("extended after the deadline: %v", err)
	}
	if err := f.s.Extend(f.ctx, f.admin, late.ID, 2, "Tepat.", jkt(2026, 3, 16, 23, 59)); err != nil {
		t.Errorf("extended on the deadline's day: %v", err)
	}
	if _, err := f.s.Request(f.ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("no request 999: %v", err)
	}
	if err := f.s.Answer(f.ctx, f.admin, 999, at); !errors.Is(err, ErrNotFound) {
		t.Errorf("answered request 999: %v", err)
	}
	// The workflow's own errors have their text in the catalogue.
	cat, _ := i18n.Messages()
	for _, e := range []*apperr.Error{ErrRequestClosed, ErrAlreadyExtended, ErrExtensionLate} {
		if !cat.Has(e.Key) {
			t.Errorf("no message %s", e.Key)
		}
	}
}

func TestAskNormalize(t *testing.T) {
	long := strings.Repeat("x", MaxQuestion+1)
	for _, tc := range []struct {
		name  string
		edit  func(*Ask)
		field string
	}{
		{"no name", func(a *Ask) { a.Name = "  " }, "name"},
		{"long name", func(a *Ask) { a.Name = strings.Repeat("é", MaxAskName+1) }, "name"},
		{"name with a line break", func(a *Ask) { a.Name = "Ana\nBudi" }, "name"},
		{"name with a bidi override", func(a *Ask) { a.Name = "Ana\u202eBudi" }, "name"},
		{"no e-mail", func(a *Ask) { a.Email = "" }, "email"},
		{"display name", func(a *Ask) { a.Email = "Ana <ana@contoh.id>" }, "email"},
		{"no domain dot", func(a *Ask) { a.Email = "ana@localhost" }, "email"},
		{"no at", func(a *Ask) { a.Email = "ana.contoh.id" }, "email"},
		{"space", func(a *Ask) { a.Email = "ana budi@contoh.id" }, "email"},
		{"two addresses", func(a *Ask) { a.Email = "a@contoh.id, b@contoh.id" }, "email"},
		{"long outlet", func(a *Ask) { a.Outlet = strings.Repeat("o", MaxOutlet+1) }, "outlet"},
		{"short question", func(a *Ask) { a.Question = "Berapa penerima?" }, "question"},
		{"long question", func(a *Ask) { a.Question = long }, "question"},
		{"control character", func(a *Ask) { a.Question += "\x1b[31m" }, "question"},
		{"invalid UTF-8", func(a *Ask) { a.Question += "\xff" }, "question"},
		{"bad region", func(a *Ask) { a.Region = "99" }, "region"},
		{"village", func(a *Ask) { a.Region = "3204010001" }, "region"},
		{"bad programme", func(a *Ask) { a.Program = "BANSOS" }, "program"},
		{"unknown dataset", func(a *Ask) { a.Dataset = "../etc" }, "dataset"},
	} {
		a := testAsk()
		tc.edit(&a)
		err := a.Normalize()
		if e := apperr.From(err); err == nil || e.Kind != apperr.Invalid || e.Field != tc.field {
			t.Errorf("%s: %v, want an error about %s", tc.name, err, tc.field)
		}
	}
	a := testAsk()
	a.Question = "  Baris satu\r\nbaris\tdua yang cukup panjang  \r"
	a.Outlet, a.Region, a.Program, a.Dataset = "", "", "", ""
	a.ConsentPublishQuestion, a.ConsentPublishName = false, true
	if err := a.Normalize(); err != nil {
		t.Fatal(err)
	}
	if a.Question != "Baris satu\nbaris\tdua yang cukup panjang" || a.ConsentPublishName {
		t.Errorf("normalised: %q, name consent %v", a.Question, a.ConsentPublishName)
	}
}

// TestPublicAnswers: only answered requests whose asker agreed are
// listed; the name only with its own consent; never the e-mail address.
func TestPublicAnswers(t *testing.T) {
	f := newDesk(t)
	named := testAsk()
	named.ConsentPublishName = true
	anonymous := testAsk()
	anonymous.Region, anonymous.Program = "35.01", "BLT"
	private := testAsk()
	private.ConsentPublishQuestion = false
	rNamed, _ := f.submit(t, named, jkt(2026, 7, 6, 9, 0))
	rAnon, _ := f.submit(t, anonymous, jkt(2026, 7, 6, 9, 0))
	rPriv, _ := f.submit(t, private, jkt(2026, 7, 6, 9, 0))
	rOpen, _ := f.submit(t, named, jkt(2026, 7, 6, 9, 0))
	pv0, _ := f.s.PublicVersion(f.ctx)
	f.answer(t, rPriv.ID, jkt(2026, 7, 8, 9, 0))
	if pv, _ := f.s.PublicVersion(f.ctx); pv != pv0 {
		t.Error("an answer nobody sees bumped the public version")
	}
	f.answer(t, rNamed.ID, jkt(2026, 7, 9, 9, 0))
	f.answer(t, rAnon.ID, jkt(2026, 7, 10, 9, 0))

	as, total, err := f.s.Answered(f.ctx, AnswerFilter{})
	if err != nil || total != 2 || len(as) != 2 || as[0].ID != rAnon.ID || as[1].ID != rNamed.ID {
		t.Fatalf("Answered = %+v, %d, %v", as, total, err)
	}
	if as[1].Name != "Ana Wartawati" || as[1].Outlet != "Harian Contoh" || as[0].Name != "" || as[0].Outlet != "" {
		t.Errorf("names: %q/%q and %q/%q", as[1].Name, as[1].Outlet, as[0].Name, as[0].Outlet)
	}
	for _, id := range []int64{rPriv.ID, rOpen.ID, 999} {
		if _, err := f.s.AnsweredByID(f.ctx, id); !errors.Is(err, ErrNotFound) {
			t.Errorf("AnsweredByID(%d): %v", id, err)
		}
	}
	if a, err := f.s.AnsweredByID(f.ctx, rAnon.ID); err != nil || a.Name != "" || a.Answer.ID != "Jawaban **lengkap**." {
		t.Errorf("AnsweredByID: %+v %v", a, err)
	}
	// The public type has nowhere to put an e-mail address.
	for i := range reflect.TypeFor[PublicAnswer]().NumField() {
		if n := reflect.TypeFor[PublicAnswer]().Field(i).Name; strings.Contains(strings.ToLower(n), "mail") || n == "Request" {
			t.Errorf("PublicAnswer has a field %s", n)
		}
	}

	for _, tc := range []struct {
		f    AnswerFilter
		want []int64
	}{
		{AnswerFilter{Program: "pkh"}, []int64{rNamed.ID}},
		{AnswerFilter{Program: "BLT"}, []int64{rAnon.ID}},
		{AnswerFilter{Region: "32"}, []int64{rNamed.ID}},
		{AnswerFilter{Region: "3204"}, []int64{rNamed.ID}},
		{AnswerFilter{Region: "35"}, []int64{rAnon.ID}},
		{AnswerFilter{Region: "35.01"}, []int64{rAnon.ID}},
		{AnswerFilter{Region: "33"}, nil},
		{AnswerFilter{Region: "35", Program: "PKH"}, nil},
		{AnswerFilter{Limit: 1}, []int64{rAnon.ID}},
		{AnswerFilter{Limit: 1, Offset: 1}, []int64{rNamed.ID}},
	} {
		as, total, err := f.s.Answered(f.ctx, tc.f)
		var ids []int64
		for _, a := range as {
			ids = append(ids, a.ID)
		}
		wantTotal := len(tc.want)
		if tc.f.Limit > 0 {
			wantTotal = 2
		}
		if err != nil || !reflect.DeepEqual(ids, tc.want) || total != wantTotal {
			t.Errorf("%+v: %v (total %d), %v; want %v", tc.f, ids, total, err, tc.want)
		}
	}
	if _, _, err := f.s.Answered(f.ctx, AnswerFilter{Region: "3%"}); apperr.From(err).Field != "region" {
		t.Errorf("a region filter of junk: %v", err)
	}
}

func TestQueue(t *testing.T) {
	f := newDesk(t)
	late, _ := f.submit(t, testAsk(), jkt(2026, 7, 1, 9, 0))  // deadline 15 July
	soon, _ := f.submit(t, testAsk(), jkt(2026, 7, 6, 9, 0))  // 20 July
	later, _ := f.submit(t, testAsk(), jkt(2026, 7, 8, 9, 0)) // 22 July
	done, _ := f.submit(t, testAsk(), jkt(2026, 7, 2, 9, 0))
	f.answer(t, done.ID, jkt(2026, 7, 3, 9, 0))
	refused, _ := f.submit(t, testAsk(), jkt(2026, 7, 2, 9, 0))
	if err := f.s.Refuse(f.ctx, f.admin, refused.ID, "tidak_dikuasai", "Data ini dikelola BPS.", jkt(2026, 7, 7, 9, 0)); err != nil {
		t.Fatal(err)
	}
	now := jkt(2026, 7, 16, 10, 0) // Thursday
	q, total, err := f.s.Queue(f.ctx, QueueFilter{}, now)
	if err != nil || total != 5 {
		t.Fatalf("Queue: %d, %v", total, err)
	}
	type row struct {
		id       int64
		left     int
		overdue  bool
		hasEmail bool
	}
	var got []row
	for _, it := range q {
		got = append(got, row{it.ID, it.DaysLeft, it.Overdue, it.Email != ""})
	}
	want := []row{{late.ID, -1, true, true}, {soon.ID, 2, false, true}, {later.ID, 4, false, true}, {refused.ID, 0, false, true}, {done.ID, 0, false, true}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("queue:\n got %v\nwant %v", got, want)
	}
	if q, total, _ := f.s.Queue(f.ctx, QueueFilter{Status: RequestReceived, Limit: 2}, now); total != 3 || len(q) != 2 || q[1].ID != soon.ID {
		t.Errorf("open, first two: %d of %d", len(q), total)
	}
	if _, _, err := f.s.Queue(f.ctx, QueueFilter{Status: "lost"}, now); apperr.From(err).Field != "status" {
		t.Errorf("unknown status: %v", err)
	}
	if open, overdue, err := f.s.OpenRequests(f.ctx, now); open != 3 || overdue != 1 || err != nil {
		t.Errorf("OpenRequests = %d, %d, %v", open, overdue, err)
	}
}

// TestStats builds July 2026 (no holiday in it) by hand.
func TestStats(t *testing.T) {
	f := newDesk(t)
	// A: 2 working days, on time.
	a, _ := f.submit(t, testAsk(), jkt(2026, 7, 6, 9, 0))
	f.answer(t, a.ID, jkt(2026, 7, 8, 14, 0))
	// B: extended by 5 days (20 → 27 July), answered after the original
	// deadline but before the extended one: on time, 14 working days.
	b, _ := f.submit(t, testAsk(), jkt(2026, 7, 6, 10, 0))
	if err := f.s.Extend(f.ctx, f.admin, b.ID, 5, "Data belum lengkap.", jkt(2026, 7, 15, 9, 0)); err != nil {
		t.Fatal(err)
	}
	f.answer(t, b.ID, jkt(2026, 7, 24, 16, 0))
	// C: deadline 21 July, answered 31 July: late, 18 working days.
	c, _ := f.submit(t, testAsk(), jkt(2026, 7, 7, 9, 0))
	f.answer(t, c.ID, jkt(2026, 7, 31, 10, 0))
	// D: refused.
	d, _ := f.submit(t, testAsk(), jkt(2026, 7, 10, 9, 0))
	if err := f.s.Refuse(f.ctx, f.admin, d.ID, "pasal17h", "Rahasia pribadi.", jkt(2026, 7, 13, 9, 0)); err != nil {
		t.Fatal(err)
	}
	// E: 23:30 on 31 July in Jakarta (16:30 UTC), still open: July.
	f.submit(t, testAsk(), time.Date(2026, 7, 31, 16, 30, 0, 0, time.UTC))
	// F: 00:30 on 1 August in Jakarta, 31 July in UTC: August.
	f.submit(t, testAsk(), time.Date(2026, 7, 31, 17, 30, 0, 0, time.UTC))
	// G: June, 2 working days.
	g, _ := f.submit(t, testAsk(), jkt(2026, 6, 29, 9, 0))
	f.answer(t, g.ID, jkt(2026, 7, 1, 9, 0))
	// H: New Year's night in Jakarta, 2025 in UTC: January 2026.
	f.submit(t, testAsk(), time.Date(2025, 12, 31, 17, 30, 0, 0, time.UTC))
	// I: 2025 in Jakarta: not counted.
	f.submit(t, testAsk(), time.Date(2025, 12, 31, 16, 30, 0, 0, time.UTC))

	st, err := f.s.Stats(f.ctx, 2026)
	if err != nil {
		t.Fatal(err)
	}
	jul := st.Months[6]
	if jul.Period != "2026-07" || jul.Received != 5 || jul.Answered != 3 || jul.OnTime != 2 || jul.Late != 1 || jul.Extended != 1 ||
		jul.Refused != 1 || jul.RefusedBy["pasal17h"] != 1 || jul.Open != 1 || jul.MedianDays != 14 {
		t.Errorf("July: %+v", jul)
	}
	if aug := st.Months[7]; aug.Received != 1 || aug.Open != 1 || !math.IsNaN(aug.MedianDays) {
		t.Errorf("August: %+v", aug)
	}
	if jan := st.Months[0]; jan.Received != 1 {
		t.Errorf("January: %+v", jan)
	}
	if jun := st.Months[5]; jun.Received != 1 || jun.OnTime != 1 || jun.MedianDays != 2 {
		t.Errorf("June: %+v", jun)
	}
	// The year: A, B, C, G answered in 2, 14, 18 and 2 days: median 8.
	if y := st.Total; y.Period != "2026" || y.Received != 8 || y.Answered != 4 || y.Open != 3 || y.Refused != 1 || y.MedianDays != 8 {
		t.Errorf("year: %+v", y)
	}
	for _, r := range st.Rows() {
		if r.Received != r.Answered+r.Refused+r.Open || r.Answered != r.OnTime+r.Late {
			t.Errorf("%s does not add up: %+v", r.Period, r)
		}
	}

	var buf bytes.Buffer
	if err := st.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 14 ||
		lines[0] != "periode,permohonan,dijawab,dijawab_tepat_waktu,dijawab_terlambat,diperpanjang,ditolak,"+
			"ditolak_pasal17a,ditolak_pasal17b,ditolak_pasal17c,ditolak_pasal17d,ditolak_pasal17e,ditolak_pasal17f,ditolak_pasal17g,"+
			"ditolak_pasal17h,ditolak_pasal17i,ditolak_pasal17j,ditolak_tidak_dikuasai,dalam_proses,median_hari_kerja" ||
		lines[7] != "2026-07,5,3,2,1,1,1,0,0,0,0,0,0,0,1,0,0,0,1,14" ||
		lines[8] != "2026-08,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1," ||
		lines[13] != "2026,8,4,3,1,1,1,0,0,0,0,0,0,0,1,0,0,0,3,8" {
		t.Errorf("CSV:\n%s", buf.String())
	}
	if len(StatsColumns()) != len(strings.Split(lines[0], ",")) {
		t.Error("StatsColumns and the CSV differ")
	}
	if empty, err := f.s.Stats(f.ctx, 2024); err != nil || empty.Total.Received != 0 || len(empty.Months) != 12 {
		t.Errorf("an empty year: %+v %v", empty, err)
	}
}

func TestPurge(t *testing.T) {
	f := newDesk(t)
	named := testAsk()
	named.ConsentPublishName = true
	old, oldTok := f.submit(t, named, jkt(2026, 3, 2, 9, 0))
	closedAt := jkt(2026, 3, 5, 9, 0)
	f.answer(t, old.ID, closedAt)
	open, openTok := f.submit(t, testAsk(), jkt(2026, 3, 2, 9, 0))
	const retention = 90 * 24 * time.Hour

	if n, err := f.s.Purge(f.ctx, closedAt.Add(retention), retention); n != 0 || err != nil {
		t.Errorf("purged on the last day: %d, %v", n, err)
	}
	pv0, _ := f.s.PublicVersion(f.ctx)
	now := closedAt.Add(retention + time.Minute)
	if n, err := f.s.Purge(f.ctx, now, retention); n != 1 || err != nil {
		t.Fatalf("Purge = %d, %v", n, err)
	}
	if pv, _ := f.s.PublicVersion(f.ctx); pv != pv0+1 {
		t.Error("a name left a public page without a new public version")
	}
	r, _ := f.s.Request(f.ctx, old.ID)
	if r.Name != "" || r.Email != "" || r.Outlet != "" || !r.Purged.Equal(now) || r.Question == "" || r.Answer.ID == "" {
		t.Errorf("after the purge: %+v", r)
	}
	var hashes int
	f.s.db.R.QueryRow(`SELECT count(*) FROM request WHERE id = ? AND token_hash IS NOT NULL`, old.ID).Scan(&hashes)
	if hashes != 0 {
		t.Error("the token hash survived the purge")
	}
	if _, err := f.s.ByToken(f.ctx, oldTok); !errors.Is(err, ErrNotFound) {
		t.Errorf("a purged request's token still works: %v", err)
	}
	if a, err := f.s.AnsweredByID(f.ctx, old.ID); err != nil || a.Name != "" || a.Answer.ID == "" {
		t.Errorf("the published answer after the purge: %+v %v", a, err)
	}
	if r, _ := f.s.Request(f.ctx, open.ID); r.Email == "" {
		t.Error("an open request was purged")
	}
	if _, err := f.s.ByToken(f.ctx, openTok); err != nil {
		t.Error(err)
	}
	if n, _ := f.s.Purge(f.ctx, now.Add(time.Hour), retention); n != 0 {
		t.Errorf("purged again: %d", n)
	}
	if _, err := f.s.Purge(f.ctx, now, -time.Hour); err == nil {
		t.Error("a negative retention was accepted")
	}
	log, _ := f.s.Audit(f.ctx, 1)
	if log[0].Action != "request.purge" || log[0].RequestID != old.ID || log[0].User != "system" {
		t.Errorf("audit: %+v", log[0])
	}
}

// TestPublisherPurges: the cron job purges with its retention, at most
// once an hour, and refreshes pages when a name left them.
func TestPublisherPurges(t *testing.T) {
	f := newDesk(t)
	named := testAsk()
	named.ConsentPublishName = true
	first, _ := f.submit(t, named, jkt(2026, 3, 2, 9, 0))
	f.answer(t, first.ID, jkt(2026, 3, 3, 9, 0))
	second, _ := f.submit(t, named, jkt(2026, 3, 2, 9, 0))
	f.answer(t, second.ID, jkt(2026, 3, 3, 12, 0))
	clock := jkt(2026, 3, 13, 10, 0) // 10 days after the first answer
	refreshed := 0
	p := &Publisher{Store: f.s, Log: discardLog(), Now: func() time.Time { return clock }, Retention: 10*24*time.Hour - 2*time.Hour,
		OnPublish: func() { refreshed++ }}
	p.RunOnce(f.ctx)
	if r, _ := f.s.Request(f.ctx, first.ID); r.Purged.IsZero() || refreshed != 1 {
		t.Errorf("the first run did not purge: %v, refreshed %d", r.Purged, refreshed)
	}
	clock = clock.Add(59 * time.Minute) // the second is due now, but the job ran an hour ago
	p.RunOnce(f.ctx)
	if r, _ := f.s.Request(f.ctx, second.ID); !r.Purged.IsZero() {
		t.Error("purged twice within the hour")
	}
	clock = clock.Add(2 * time.Minute)
	p.RunOnce(f.ctx)
	if r, _ := f.s.Request(f.ctx, second.ID); r.Purged.IsZero() || refreshed != 2 {
		t.Errorf("the hourly purge did not run: refreshed %d", refreshed)
	}
	// Without a retention nothing is purged.
	third, _ := f.submit(t, named, jkt(2026, 3, 2, 9, 0))
	f.answer(t, third.ID, jkt(2026, 3, 3, 12, 0))
	(&Publisher{Store: f.s, Log: discardLog(), Now: func() time.Time { return clock.Add(1000 * time.Hour) }}).RunOnce(f.ctx)
	if r, _ := f.s.Request(f.ctx, third.ID); !r.Purged.IsZero() {
		t.Error("purged without a retention")
	}
}

// TestProvisionalDeadline: a request received late in a year whose
// successor has no holiday list gets a provisional deadline, counted
// again once the office adds the list in the data folder.
func TestProvisionalDeadline(t *testing.T) {
	f := newDesk(t)
	r, tok := f.submit(t, testAsk(), jkt(2026, 12, 23, 10, 0))
	if !r.Provisional || !r.Deadline.Equal(endOf(2027, 1, 8)) {
		t.Fatalf("provisional deadline: %s %v", r.Deadline.In(kip.Jakarta), r.Provisional)
	}
	if v, _ := f.s.ByToken(f.ctx, tok); !v.Provisional {
		t.Error("the asker is not told the deadline is provisional")
	}
	if n, err := f.s.RecountProvisional(f.ctx, jkt(2026, 12, 24, 10, 0)); n != 0 || err != nil {
		t.Errorf("recounted without a list: %d, %v", n, err)
	}
	dir := filepath.Dir(f.s.DB().Path)
	if wrote, err := f.s.WriteHolidayFile(); !wrote || err != nil {
		t.Fatalf("WriteHolidayFile = %v, %v", wrote, err)
	}
	b, _ := os.ReadFile(kip.HolidayPath(dir))
	b = append(b, "2027-01-01,libur_nasional,Tahun Baru 2027 Masehi\n"...)
	if err := os.WriteFile(kip.HolidayPath(dir), b, 0o640); err != nil {
		t.Fatal(err)
	}
	if cal, err := f.s.Calendar(); err != nil || !cal.Covers(2027) {
		t.Fatalf("the office's list was not read: %v", err)
	}
	if n, err := f.s.RecountProvisional(f.ctx, jkt(2026, 12, 24, 10, 0)); n != 1 || err != nil {
		t.Fatalf("RecountProvisional = %d, %v", n, err)
	}
	r, _ = f.s.Request(f.ctx, r.ID)
	if r.Provisional || !r.Deadline.Equal(endOf(2027, 1, 11)) || !r.OriginalDeadline.Equal(r.Deadline) {
		t.Errorf("recounted: %s %v", r.Deadline.In(kip.Jakarta), r.Provisional)
	}
}

// FuzzAskNormalize: any form either is refused with an error naming a
// field, or comes out clean; normalising twice changes nothing.
func FuzzAskNormalize(f *testing.F) {
	a := testAsk()
	f.Add(a.Name, a.Email, a.Outlet, a.Question, a.Region, a.Program, a.Dataset, true, true)
	f.Add("A", "a@b.co", "", strings.Repeat("q", 20), "35", "blt", "", false, true)
	f.Add("\u202e", "\"a b\"@c.id", "\x00", "\r\n\r\n", "1", "x", "../", true, false)
	f.Fuzz(func(t *testing.T, name, email, outlet, question, reg, prog, ds string, consentQ, consentN bool) {
		a := Ask{Name: name, Email: email, Outlet: outlet, Question: question, Region: reg, Program: prog, Dataset: ds,
			ConsentPublishQuestion: consentQ, ConsentPublishName: consentN}
		if err := a.Normalize(); err != nil {
			if e := apperr.From(err); e.Kind != apperr.Invalid || e.Field == "" || e.Key == "" {
				t.Fatalf("error %v names no field", err)
			}
			return
		}
		for field, s := range map[string]string{"name": a.Name, "email": a.Email, "outlet": a.Outlet} {
			if !utf8.ValidString(s) || strings.ContainsFunc(s, forbidden) || s != strings.TrimSpace(s) {
				t.Fatalf("%s %q is not clean", field, s)
			}
		}
		if a.Name == "" || utf8.RuneCountInString(a.Name) > MaxAskName || utf8.RuneCountInString(a.Outlet) > MaxOutlet || !validEmail(a.Email) {
			t.Fatalf("accepted %+v", a)
		}
		if n := utf8.RuneCountInString(a.Question); n < MinQuestion || n > MaxQuestion || !utf8.ValidString(a.Question) ||
			strings.ContainsFunc(a.Question, func(r rune) bool {
				return r != '\n' && r != '\t' && (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r))
			}) {
			t.Fatalf("accepted the question %q", a.Question)
		}
		if a.ConsentPublishName && !a.ConsentPublishQuestion {
			t.Fatal("a name may be published without the question")
		}
		b := a
		if err := b.Normalize(); err != nil || b != a {
			t.Fatalf("normalising again: %+v → %+v, %v", a, b, err)
		}
	})
}
