package press

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/portal-data-bansos/portal/internal/apperr"
	"github.com/portal-data-bansos/portal/internal/i18n"
)

func localizers(t *testing.T) (id, en i18n.Localizer) {
	t.Helper()
	cat, err := i18n.Messages()
	if err != nil {
		t.Fatal(err)
	}
	return cat.For(i18n.ID), cat.For(i18n.EN)
}

// TestLinkWords: a cited link reads as words — title, release, filters
// with programme and region names — in each language, never as a slug or
// a query string.
func TestLinkWords(t *testing.T) {
	id, en := localizers(t)
	for _, tc := range []struct {
		line   string
		lang   i18n.Localizer
		want   string
		absent []string
	}{
		{"dataset penyaluran 3 tingkat=provinsi&program=PKH&dalam=32", id,
			"Dataset “Penyaluran bantuan sosial”, rilis data 3 (Program: Program Keluarga Harapan (PKH); Tingkat wilayah: provinsi; Di dalam wilayah: Jawa Barat)", nil},
		{"dataset penyaluran 3 program=PKH,sembako&komponen=-", en,
			"Dataset “Social assistance distribution”, data release 3 (Programme: Family Hope Programme (PKH), Sembako food assistance programme; PKH component: programme total)", nil},
		{"dataset realisasi 2 periode=2025-Q3&kode_wilayah=-&program=PKH", id,
			"Dataset “Realisasi penyaluran terhadap kuota dan pagu”, rilis data 2 (Periode: 2025-Q3; Program: Program Keluarga Harapan (PKH); Wilayah: Indonesia (nasional))", nil},
		{"dataset realisasi 2 periode=2025-Q3&kode_wilayah=32.04", en,
			"Dataset “Realisation against target and budget”, data release 2 (Period: 2025-Q3; Region: Kabupaten Bandung)", nil},
		{"grafik bauran-program 2 periode=2025-Q4&program=BLT # Bauran program 2025-Q4", id,
			"Grafik “Bauran program 2025-Q4”, rilis data 2 (Periode: 2025-Q4; Program: Bantuan Langsung Tunai (BLT))", nil},
		{"grafik peta-provinsi 1 ukuran=nominal", en, "Chart “untitled”, data release 1 (Measure: Amount disbursed (Rp))", []string{"peta-provinsi"}},
	} {
		links, err := ParseLinks(tc.line)
		if err != nil || len(links) != 1 {
			t.Fatalf("%s: %v", tc.line, err)
		}
		got := links[0].Words(tc.lang).String()
		if got != tc.want {
			t.Errorf("%s in %s:\n got %s\nwant %s", tc.line, tc.lang.Lang, got, tc.want)
		}
		for _, no := range append(tc.absent, "=", "&", "kode_wilayah") {
			if strings.Contains(got, no) {
				t.Errorf("%s: the words show %q", tc.line, no)
			}
		}
	}
}

// TestLinkTitleReadsBack: a chart's title rides along in the editor's
// form after "#", on one line and at most 200 characters; a dataset's is
// the catalogue's; "dalam" is a filter of datasets with regions.
func TestLinkTitleReadsBack(t *testing.T) {
	links, err := ParseLinks("grafik bauran-program 2 periode=2025-Q4 #  Bauran   program #1 \n" +
		"dataset penyaluran 2 dalam=3204 # ignored")
	if err != nil {
		t.Fatal(err)
	}
	if links[0].Title != "Bauran program #1" || links[0].String() != "grafik bauran-program 2 periode=2025-Q4 # Bauran program #1" {
		t.Errorf("chart: %+v %q", links[0], links[0].String())
	}
	if links[1].Title != "" || links[1].Query != "dalam=3204" {
		t.Errorf("dataset: %+v", links[1])
	}
	again, err := ParseLinks(links[0].String())
	if err != nil || again[0] != links[0] {
		t.Errorf("does not read back: %+v %v", again, err)
	}
	long, _ := ParseLinks("grafik x 1 # " + strings.Repeat("é", 300))
	if n := len([]rune(long[0].Title)); n != 200 {
		t.Errorf("a title of %d runes", n)
	}
	if _, err := ParseLinks("dataset kualitas-data 1 dalam=32"); err == nil {
		t.Error("dalam on a dataset without regions")
	}
}

// TestChangedPerLanguage: a correction names the text it changed per
// language, and a reader of the other language is told that only the
// other text changed.
func TestChangedPerLanguage(t *testing.T) {
	a := Content{Title: i18n.Text{ID: "Judul", EN: "Title"}, Body: i18n.Text{ID: "Isi", EN: "Body"}}
	b := a
	b.Body.ID = "Isi diperbaiki"
	got := Changed(&a, &b)
	if !slices.Equal(got, []string{"body.id"}) {
		t.Fatalf("Changed = %v", got)
	}
	r := Revision{Changed: got, Note: i18n.Text{ID: "Angka diperbaiki", EN: "Figures corrected"}}
	if here, other := r.ChangedIn(LangEN); len(here) != 0 || !other {
		t.Errorf("for English readers: %v %v", here, other)
	}
	if here, other := r.ChangedIn(LangID); !slices.Equal(here, []string{"body.id"}) || other {
		t.Errorf("for Indonesian readers: %v %v", here, other)
	}
	if r.NoteIn(LangEN) != "Figures corrected" || r.NoteIn(LangID) != "Angka diperbaiki" {
		t.Error("notes per language")
	}
	b.Tags = []string{"baru"}
	r.Changed = Changed(&a, &b)
	if here, other := r.ChangedIn(LangEN); !slices.Equal(here, []string{"tags"}) || !other {
		t.Errorf("tags and the Indonesian body, for English readers: %v %v", here, other)
	}
	// A revision from before: one note, fields without a language.
	old := Revision{Changed: []string{"body", "links"}, Note: i18n.Text{ID: "Ralat / Correction"}}
	if here, other := old.ChangedIn(LangEN); !slices.Equal(here, old.Changed) || other || old.NoteIn(LangEN) != "Ralat / Correction" {
		t.Errorf("old revision: %v %v %q", here, other, old.NoteIn(LangEN))
	}
}

func fieldOf(err error) string {
	if e := apperr.From(err); e != nil {
		return e.Field
	}
	return ""
}

// TestCorrectionNotes: a correction of a post with English text needs the
// English note too; a post in Indonesian only does not. Both notes are
// kept.
func TestCorrectionNotes(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	admin, _ := s.AddUser(ctx, "ana", RoleAdmin, "correct horse battery", t0)
	both := testContent()
	both.Lang, both.Title.EN, both.Body.EN = LangBoth, "PKH phase I", "Body."
	idBoth, _ := s.Create(ctx, admin, both, t0)
	idOnly, _ := s.Create(ctx, admin, testContent(), t0)
	for _, id := range []int64{idBoth, idOnly} {
		if err := s.Publish(ctx, admin, id, t0); err != nil {
			t.Fatal(err)
		}
	}
	fixed := both
	fixed.Body.ID = "Isi diperbaiki."
	err := s.Correct(ctx, admin, idBoth, fixed, i18n.Text{ID: "Isi diperbaiki"}, t0.Add(time.Hour))
	if fieldOf(err) != "note_en" {
		t.Fatalf("a bilingual correction without the English note: %v", err)
	}
	if err := s.Correct(ctx, admin, idBoth, fixed, i18n.Text{ID: " Isi diperbaiki ", EN: " Body corrected "}, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	revs, _ := s.Revisions(ctx, idBoth)
	if r := revs[1]; r.Note != (i18n.Text{ID: "Isi diperbaiki", EN: "Body corrected"}) || !slices.Equal(r.Changed, []string{"body.id"}) {
		t.Errorf("revision: %+v", r)
	}
	only := testContent()
	only.Body.ID = "Isi lain."
	if err := s.Correct(ctx, admin, idOnly, only, i18n.Text{ID: "Isi diganti"}, t0.Add(time.Hour)); err != nil {
		t.Errorf("an Indonesian post's correction asks for English: %v", err)
	}
}

// TestAltText: an image needs alt text in each language of the post; a
// PDF needs none; the text is kept.
func TestAltText(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	ed, _ := s.AddUser(ctx, "budi", RoleEditor, "another long password", t0)
	both := testContent()
	both.Lang, both.Title.EN = LangBoth, "PKH phase I"
	id, _ := s.Create(ctx, ed, both, t0)
	png := DemoPNG()
	if _, err := s.Attach(ctx, ed, id, "a.png", i18n.Text{}, png, t0); fieldOf(err) != "alt_id" {
		t.Errorf("an image without alt text: %v", err)
	}
	if _, err := s.Attach(ctx, ed, id, "a.png", i18n.Text{ID: "Bagan"}, png, t0); fieldOf(err) != "alt_en" {
		t.Errorf("a bilingual post's image without English alt text: %v", err)
	}
	if _, err := s.Attach(ctx, ed, id, "a.png", i18n.Text{ID: " Bagan  penyaluran ", EN: "Distribution chart"}, png, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Attach(ctx, ed, id, "laporan.pdf", i18n.Text{ID: "ignored"}, []byte("%PDF-1.4\n%%EOF\n"), t0); err != nil {
		t.Errorf("a PDF without alt text: %v", err)
	}
	atts, _ := s.Attachments(ctx, id)
	if len(atts) != 2 || atts[0].Alt != (i18n.Text{ID: "Bagan penyaluran", EN: "Distribution chart"}) || atts[1].Alt != (i18n.Text{}) {
		t.Errorf("attachments: %+v", atts)
	}
	idOnly, _ := s.Create(ctx, ed, testContent(), t0)
	if _, err := s.Attach(ctx, ed, idOnly, "a.png", i18n.Text{ID: "Bagan", EN: "dropped"}, png, t0); err != nil {
		t.Fatal(err)
	}
	if atts, _ := s.Attachments(ctx, idOnly); atts[0].Alt != (i18n.Text{ID: "Bagan"}) {
		t.Errorf("an Indonesian post's alt text: %+v", atts[0].Alt)
	}
	if _, err := s.Attach(ctx, ed, 999, "a.png", i18n.Text{ID: "x"}, png, t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("no post: %v", err)
	}
}

// TestEmbargoOnTheMinute: a post scheduled for 10:00 WIB is due when the
// scheduler runs at 10:00 and some fraction of a second (the stored times
// are compared as times: "03:00:00.4Z" sorts before "03:00:00Z" as text),
// and it is dated 10:00, not the tick's second. Run late, it is dated when
// it really came out.
func TestEmbargoOnTheMinute(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	admin, _ := s.AddUser(ctx, "ana", RoleAdmin, "correct horse battery", t0)
	at := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC) // 10:00 WIB
	onTime, _ := s.Create(ctx, admin, testContent(), t0)
	late := testContent()
	late.Title.ID = "Terlambat"
	lateID, _ := s.Create(ctx, admin, late, t0)
	for _, id := range []int64{onTime, lateID} {
		if err := s.Schedule(ctx, admin, id, at, t0); err != nil {
			t.Fatal(err)
		}
	}
	if next, ok, err := s.NextEmbargo(ctx); err != nil || !ok || !next.Equal(at) {
		t.Errorf("NextEmbargo = %v %v %v", next, ok, err)
	}
	if n, _ := s.PublishDue(ctx, at.Add(-time.Millisecond)); n != 0 {
		t.Fatal("published before its minute")
	}
	// Only the first is due "now": move the other's embargo a second on.
	if _, err := s.db.W.Exec(`UPDATE post SET publish_at = ? WHERE id = ?`, fmtTime(at.Add(time.Second)), lateID); err != nil {
		t.Fatal(err)
	}
	tick := at.Add(400 * time.Millisecond)
	if n, err := s.PublishDue(ctx, tick); n != 1 || err != nil {
		t.Fatalf("PublishDue at 10:00:00.4 = %d, %v", n, err)
	}
	p, _ := s.Get(ctx, onTime)
	if p.Status != StatusPublished || !p.Published.Equal(at) {
		t.Errorf("published %s at %v, want %v", p.Status, p.Published, at)
	}
	revs, _ := s.Revisions(ctx, onTime)
	if !revs[0].At.Equal(at) {
		t.Errorf("revision 1 at %v", revs[0].At)
	}
	later := at.Add(2 * time.Hour)
	if n, _ := s.PublishDue(ctx, later); n != 1 {
		t.Fatal("the late post was not published")
	}
	if p, _ := s.Get(ctx, lateID); !p.Published.Equal(later) {
		t.Errorf("a post published two hours late is dated %v", p.Published)
	}
	if _, ok, _ := s.NextEmbargo(ctx); ok {
		t.Error("an embargo is left")
	}
}
