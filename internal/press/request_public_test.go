package press

import (
	"errors"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/apperr"
)

// TestEditQuestion: staff take personal data out of a question; every
// view shows the edited question, the office keeps the asked one, the
// audit log records the edit without the text, and a public answer's
// pages are refreshed.
func TestEditQuestion(t *testing.T) {
	f := newDesk(t)
	a := testAsk()
	a.Question = "Ibu saya Siti Aminah (NIK 3204123456780001) belum menerima PKH triwulan I 2026, kenapa?"
	r, tok := f.submit(t, a, jkt(2026, 3, 2, 10, 0))
	asked, edited, err := f.s.QuestionAsked(f.ctx, r.ID)
	if err != nil || edited || asked != a.Question {
		t.Fatalf("before any edit: %q %v %v", asked, edited, err)
	}
	public := "Seorang penerima belum menerima PKH triwulan I 2026, kenapa?"
	for _, tc := range []struct {
		u     *User
		q     string
		field string
	}{
		{f.ed, "   ", "question"},
		{f.ed, "ada \u202e karakter", "question"},
		{f.ed, strings.Repeat("a", MaxQuestion+1), "question"},
		{f.ed, a.Question, "question"}, // unchanged
	} {
		if err := f.s.EditQuestion(f.ctx, tc.u, r.ID, tc.q, jkt(2026, 3, 3, 9, 0)); apperr.From(err).Field != tc.field {
			t.Errorf("EditQuestion(%.20q): %v", tc.q, err)
		}
	}
	if err := f.s.EditQuestion(f.ctx, nil, r.ID, public, jkt(2026, 3, 3, 9, 0)); !errors.Is(err, ErrForbidden) {
		t.Errorf("without an account: %v", err)
	}
	if err := f.s.EditQuestion(f.ctx, f.ed, 999, public, jkt(2026, 3, 3, 9, 0)); !errors.Is(err, ErrNotFound) {
		t.Errorf("no such request: %v", err)
	}
	if err := f.s.EditQuestion(f.ctx, f.ed, r.ID, " "+public+"\r\n", jkt(2026, 3, 3, 9, 0)); err != nil {
		t.Fatal(err)
	}
	full, _ := f.s.Request(f.ctx, r.ID)
	v, _ := f.s.ByToken(f.ctx, tok)
	if full.Question != public || v.Question != public {
		t.Errorf("the edited question is not shown: staff %q, asker %q", full.Question, v.Question)
	}
	// A second edit keeps the question as first asked.
	if err := f.s.EditQuestion(f.ctx, f.ed, r.ID, public+" (diedit)", jkt(2026, 3, 3, 9, 5)); err != nil {
		t.Fatal(err)
	}
	if asked, edited, _ := f.s.QuestionAsked(f.ctx, r.ID); !edited || asked != a.Question {
		t.Errorf("the question as asked: %q %v", asked, edited)
	}

	// Once answered and public, only admins edit it, and readers' pages
	// are refreshed.
	f.answer(t, r.ID, jkt(2026, 3, 4, 9, 0))
	if err := f.s.EditQuestion(f.ctx, f.ed, r.ID, public, jkt(2026, 3, 5, 9, 0)); !errors.Is(err, ErrForbidden) {
		t.Errorf("an editor edited a closed request: %v", err)
	}
	pv0, _ := f.s.PublicVersion(f.ctx)
	if err := f.s.EditQuestion(f.ctx, f.admin, r.ID, public, jkt(2026, 3, 5, 9, 0)); err != nil {
		t.Fatal(err)
	}
	if pv, _ := f.s.PublicVersion(f.ctx); pv != pv0+1 {
		t.Errorf("public version %d → %d", pv0, pv)
	}
	if pa, err := f.s.AnsweredByID(f.ctx, r.ID); err != nil || pa.Question != public {
		t.Errorf("the published question: %+v %v", pa, err)
	}
	if _, _, err := f.s.QuestionAsked(f.ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("QuestionAsked of no request: %v", err)
	}

	log, _ := f.s.Audit(f.ctx, 0)
	edits := 0
	for _, e := range log {
		if e.RequestID == r.ID && e.Action == "request.question" {
			edits++
			if e.Detail != "" {
				t.Errorf("the audit log holds the question: %q", e.Detail)
			}
		}
	}
	if edits != 3 {
		t.Errorf("%d edits audited, want 3", edits)
	}
}
