package press

import (
	"context"
	"strconv"
	"testing"

	"github.com/portal-data-bansos/portal/internal/i18n"
)

// TestRemoveDemo: RemoveDemo deletes the example posts SeedDemo loaded,
// with their revisions and attachments, and nothing of the press
// office's: its posts, their attachments, its accounts. It is audited and
// refreshes cached pages; a second call deletes nothing.
func TestRemoveDemo(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	if _, err := s.SeedDemo(ctx, t0); err != nil {
		t.Fatal(err)
	}
	admin, err := s.AddUser(ctx, "ana", RoleAdmin, "correct horse battery", t0)
	if err != nil {
		t.Fatal(err)
	}
	own, err := s.Create(ctx, admin, Content{Kind: KindAnnouncement, Lang: LangID, Category: "layanan",
		Title: i18n.Text{ID: "Pengumuman redaksi"}, Body: i18n.Text{ID: "Isi."}}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Attach(ctx, admin, own, "jadwal.png", i18n.Text{ID: "Jadwal pemutakhiran"}, DemoPNG(), t0); err != nil {
		t.Fatal(err)
	}
	if err := s.Publish(ctx, admin, own, t0); err != nil {
		t.Fatal(err)
	}
	before, _ := s.PublicVersion(ctx)

	n, err := s.RemoveDemo(ctx, t0)
	if err != nil || n != 3 {
		t.Fatalf("RemoveDemo = %d, %v; want the 3 example posts", n, err)
	}
	count := func(q string) int {
		var c int
		if err := s.db.R.QueryRow(q).Scan(&c); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return c
	}
	for q, want := range map[string]int{
		`SELECT count(*) FROM post`:                                                         1,
		`SELECT count(*) FROM post WHERE example = 1`:                                       0,
		`SELECT count(*) FROM post_revision WHERE post_id <> ` + strconv.FormatInt(own, 10): 0,
		`SELECT count(*) FROM attachment WHERE post_id <> ` + strconv.FormatInt(own, 10):    0,
		`SELECT count(*) FROM attachment WHERE post_id = ` + strconv.FormatInt(own, 10):     1,
		`SELECT count(*) FROM user`:                                                         1,
		`SELECT count(*) FROM audit WHERE action = 'demo.remove'`:                           1,
	} {
		if got := count(q); got != want {
			t.Errorf("%s = %d, want %d", q, got, want)
		}
	}
	if p, err := s.Get(ctx, own); err != nil || p.Status != StatusPublished {
		t.Errorf("the press office's post: %v %v", p, err)
	}
	if after, _ := s.PublicVersion(ctx); after <= before {
		t.Error("cached pages showing posts are not refreshed")
	}
	if n, err := s.RemoveDemo(ctx, t0); err != nil || n != 0 {
		t.Errorf("second RemoveDemo = %d, %v", n, err)
	}
}
