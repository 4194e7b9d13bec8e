package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/internal/store"
	"github.com/portal-data-bansos/portal/portal"
)

// killedPosts is how many embargoed posts fall due at once: enough that
// the publisher is still writing them when the kill lands.
const killedPosts = 1500

// TestKilledPressPublication schedules many posts, lets `portal serve`
// publish them (its publisher catches up on due embargoes at start, each
// post in its own transaction) and SIGKILLs it at a random moment while it
// writes, several times. After each kill press.db passes PRAGMA
// integrity_check and every post is either published whole — address,
// revision 1, audit line, public version bumped, page and feed showing it
// — or still scheduled as before, with no trace of a publication. The
// last start publishes the rest.
func TestKilledPressPublication(t *testing.T) {
	if testing.Short() {
		t.Skip("subprocess test")
	}
	ctx := context.Background()
	data := t.TempDir()
	var out, errb syncBuffer
	if code := run(ctx, []string{"user", "add", "redaksi", "--role", "admin", "--data", data}, envFrom(nil),
		strings.NewReader("a long enough password\n"), &out, &errb); code != 0 {
		t.Fatalf("user add: %d %s", code, errb.String())
	}
	db, err := store.Open(ctx, data, store.Press, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pr := press.New(db)
	admin, err := pr.Authenticate(ctx, "redaksi", "a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	// The posts fall due a second after the first is written; each is
	// scheduled as of that moment, so a slow machine writing them does
	// not find the time already past.
	now := time.Now()
	due := now.Add(time.Second)
	titles := map[int64]string{}
	for i := range killedPosts {
		c := press.Content{Kind: press.Kinds[i%len(press.Kinds)], Lang: press.LangBoth, Category: press.Categories[i%len(press.Categories)],
			Title:    i18n.Text{ID: fmt.Sprintf("Siaran uji %04d tentang penyaluran", i), EN: fmt.Sprintf("Test release %04d", i)},
			Summary:  i18n.Text{ID: "Ringkasan.", EN: "Summary."},
			Body:     i18n.Text{ID: strings.Repeat("Isi siaran pers. ", 40), EN: strings.Repeat("Body of the release. ", 40)},
			Programs: []string{"PKH"}, Regions: []string{"32"}, Tags: []string{"uji"}}
		id, err := pr.Create(ctx, admin, c, now)
		if err == nil {
			err = pr.Schedule(ctx, admin, id, due, now)
		}
		if err != nil {
			t.Fatal(err)
		}
		titles[id] = c.Title.ID
	}
	db.Close()
	time.Sleep(time.Until(due))

	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 1))
	published := 0
	for round := 1; round <= 3; round++ {
		// Kill once a random number of further posts is published.
		threshold := published + 1 + rng.IntN((killedPosts-published)/3)
		got := killDuringPublication(t, data, threshold)
		if got >= killedPosts {
			t.Fatalf("round %d: every post was published before the kill (threshold %d, seed %d): make killedPosts larger", round, threshold, seed)
		}
		n := checkPressAfterKill(t, data, titles)
		t.Logf("round %d: killed after %d published (threshold %d); %d published whole, %d still scheduled",
			round, got, threshold, n, killedPosts-n)
		if n < published {
			t.Fatalf("round %d: %d posts published, fewer than the %d before", round, n, published)
		}
		published = n
	}
	// A normal start publishes what is left.
	base, logs, stop := startPortal(t, []string{"serve", "--no-demo", "--data", data, "--addr", "127.0.0.1:0"}, nil)
	if resp, _ := get(t, base+"/feed.json"); resp.StatusCode != http.StatusOK {
		t.Errorf("/feed.json after the restart: %d", resp.StatusCode)
	}
	if code := stop(); code != 0 {
		t.Errorf("serve exit %d:\n%s", code, logs.String())
	}
	if n := checkPressAfterKill(t, data, titles); n != killedPosts {
		t.Errorf("after a normal start %d of %d posts are published", n, killedPosts)
	}
}

// killDuringPublication starts `portal serve` on data as a subprocess and
// SIGKILLs it once at least threshold posts are published; it returns how
// many were published when it died.
func killDuringPublication(t *testing.T, data string, threshold int) int {
	t.Helper()
	r, err := sql.Open("sqlite3", "file:"+filepath.Join(data, "press.db")+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	count := func() int {
		var n int
		if err := r.QueryRow(`SELECT count(*) FROM post WHERE status = 'published'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	cmd := portalCmd(t, "serve", "--no-demo", "--data", data, "--addr", "127.0.0.1:0")
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	deadline := time.Now().Add(60 * time.Second)
	for count() < threshold {
		select {
		case <-exited:
			t.Fatalf("portal serve exited before %d posts were published", threshold)
		default:
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("fewer than %d posts published in 60 s", threshold)
		}
	}
	cmd.Process.Signal(syscall.SIGKILL)
	<-exited
	return count()
}

// checkPressAfterKill checks press.db after a kill (see
// TestKilledPressPublication) and returns how many posts are published.
func checkPressAfterKill(t *testing.T, data string, titles map[int64]string) int {
	t.Helper()
	ctx := context.Background()
	raw := openRaw(t, filepath.Join(data, "press.db"))
	defer raw.Close()
	var integrity string
	if err := raw.QueryRow(`PRAGMA integrity_check`).Scan(&integrity); err != nil || integrity != "ok" {
		t.Fatalf("press.db integrity_check: %q %v", integrity, err)
	}
	type state struct {
		status, slug, publishedAt     string
		revision, revisions, publishs int
		revKind                       string
	}
	rows, err := raw.Query(`SELECT p.id, p.status, coalesce(p.slug, ''), coalesce(p.published_at, ''), p.revision,
		(SELECT count(*) FROM post_revision r WHERE r.post_id = p.id),
		(SELECT coalesce(max(r.kind), '') FROM post_revision r WHERE r.post_id = p.id),
		(SELECT count(*) FROM audit a WHERE a.post_id = p.id AND a.action = 'post.publish' AND a.detail = coalesce(p.slug, a.detail))
		FROM post p`)
	if err != nil {
		t.Fatal(err)
	}
	posts := map[int64]state{}
	for rows.Next() {
		var id int64
		var s state
		if err := rows.Scan(&id, &s.status, &s.slug, &s.publishedAt, &s.revision, &s.revisions, &s.revKind, &s.publishs); err != nil {
			t.Fatal(err)
		}
		posts[id] = s
	}
	rows.Close()
	var version, publishAudits int
	raw.QueryRow(`SELECT version FROM public_version`).Scan(&version)
	raw.QueryRow(`SELECT count(*) FROM audit WHERE action = 'post.publish'`).Scan(&publishAudits)

	if len(posts) != len(titles) {
		t.Fatalf("%d posts in press.db, %d written", len(posts), len(titles))
	}
	published := 0
	for id, s := range posts {
		switch {
		case s.status == press.StatusPublished && s.slug != "" && s.publishedAt != "" && s.revision == 1 && s.revisions == 1 &&
			s.revKind == "publish" && s.publishs == 1:
			published++
		case s.status == press.StatusScheduled && s.slug == "" && s.publishedAt == "" && s.revision == 0 && s.revisions == 0 && s.publishs == 0:
		default:
			t.Errorf("post %d is half-published: %+v", id, s)
		}
	}
	if version != published || publishAudits != published {
		t.Errorf("%d posts published, public version %d, %d publication audit lines", published, version, publishAudits)
	}

	// What readers see: each published post's page, and the feed's newest
	// entries; a scheduled post has no page.
	pub, err := store.Open(ctx, data, store.Published, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	pdb, err := store.Open(ctx, data, store.Press, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer pdb.Close()
	site, err := portal.New(portal.Options{Log: slog.New(slog.DiscardHandler), Published: pub, Press: pdb})
	if err != nil {
		t.Fatal(err)
	}
	fetch := func(u string) (int, string) {
		rec := httptest.NewRecorder()
		site.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, u, nil))
		return rec.Code, rec.Body.String()
	}
	bySlug := map[string]bool{}
	for id, s := range posts {
		slug, want := s.slug, http.StatusOK
		if s.status != press.StatusPublished {
			slug, want = press.Slugify(titles[id]), http.StatusNotFound
		}
		if code, body := fetch("/berita/" + slug); code != want || want == http.StatusOK && !strings.Contains(body, titles[id]) {
			t.Errorf("post %d (%s): /berita/%s answers %d, want %d", id, s.status, slug, code, want)
		}
		if s.status == press.StatusPublished {
			bySlug[s.slug] = true
		}
	}
	code, body := fetch("/feed.json")
	var feed struct {
		Items []struct {
			URL string `json:"url"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &feed); code != http.StatusOK || err != nil {
		t.Fatalf("/feed.json: %d %v", code, err)
	}
	if want := min(published, 50); len(feed.Items) != want {
		t.Errorf("/feed.json has %d items, want %d", len(feed.Items), want)
	}
	for _, it := range feed.Items {
		if !bySlug[it.URL[strings.LastIndex(it.URL, "/")+1:]] {
			t.Errorf("/feed.json lists %s, which is not published", it.URL)
		}
	}
	return published
}
