package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/internal/store"
	"github.com/portal-data-bansos/portal/internal/synth"
)

// folderState is what a replica must leave as it found: the names, sizes,
// modification times and SHA-256 of every file in a folder.
func folderState(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		b.WriteString(e.Name() + " " + strconv.FormatInt(fi.Size(), 10) + " " + fi.ModTime().UTC().Format(time.RFC3339Nano) + " " + hex.EncodeToString(sum[:8]) + "\n")
	}
	return b.String()
}

// TestReplicaServesPressCopyReadOnly: `serve --readonly --press-file`
// shows the posts of a copy of press.db — the list, each post, its
// attachment, the three feeds — has no admin area, and writes nothing:
// neither to the copy nor next to it. The copy is taken both ways an
// operator may take it: the file as it lies in the data folder (WAL mode)
// and the one `portal backup` archives (rollback journal).
func TestReplicaServesPressCopyReadOnly(t *testing.T) {
	ctx := context.Background()
	src := gen(t, 2000, 12)
	data := t.TempDir()
	if code, _, errs := runCmd(t, "aggregate", "--data", data, filepath.Join(src, synth.DistributionFile)); code != 0 {
		t.Fatalf("aggregate: %d %s", code, errs)
	}
	relFile := filepath.Join(t.TempDir(), "rilis-1.db")
	if code, _, errs := runCmd(t, "release", "export", "--data", data, "1", relFile); code != 0 {
		t.Fatalf("export: %d %s", code, errs)
	}
	// The primary's press office: the example posts (one with an
	// attachment) and a scheduled post that must stay unpublished on the
	// replica even when its time has come.
	pdb, err := store.Open(ctx, data, store.Press, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pr := press.New(pdb)
	if _, err := pr.SeedDemo(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	admin, err := pr.AddUser(ctx, "redaksi", press.RoleAdmin, "a long enough password", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	id, err := pr.Create(ctx, admin, press.Content{Kind: press.KindRelease, Lang: press.LangID, Category: "umum",
		Title: i18n.Text{ID: "Embargo yang jatuh tempo di replika"}, Body: i18n.Text{ID: "Belum boleh tampil."}}, time.Now().Add(-time.Hour))
	if err == nil {
		err = pr.Schedule(ctx, admin, id, time.Now().Add(2*time.Second), time.Now())
	}
	if err != nil {
		t.Fatal(err)
	}
	// The information desk: an answer published with its asker's name,
	// one published without it, one the asker kept private, and an open
	// request; each asker with an address and a name no copy for
	// readers may hold unless they agreed.
	asks := []struct {
		name, email               string
		publish, showName, answer bool
	}{
		{"Nama Setuju Tampil", "setuju@contoh.test", true, true, true},
		{"Nama Tanpa Izin", "tanpa-izin@contoh.test", true, false, true},
		{"Nama Rahasia", "rahasia@contoh.test", false, false, true},
		{"Nama Belum Dijawab", "belum@contoh.test", true, true, false},
	}
	for i, a := range asks {
		r, _, err := pr.SubmitRequest(ctx, press.Ask{Name: a.name, Email: a.email, Question: "Berapa keluarga penerima PKH di Kota Bandung tahap ini?",
			ConsentPublishQuestion: a.publish, ConsentPublishName: a.showName}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if !a.answer {
			continue
		}
		if err := pr.SaveDraft(ctx, admin, r.ID, i18n.Text{ID: "Jawaban permohonan nomor " + strconv.Itoa(i)}, nil, time.Now()); err != nil {
			t.Fatal(err)
		}
		if err := pr.Answer(ctx, admin, r.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	draft, err := pr.Create(ctx, admin, press.Content{Kind: press.KindRelease, Lang: press.LangID, Category: "umum",
		Title: i18n.Text{ID: "Draf rahasia redaksi"}, Body: i18n.Text{ID: "Belum untuk pembaca."}}, time.Now())
	if err != nil || draft == 0 {
		t.Fatal(err)
	}
	posts, _, err := pr.List(ctx, press.Filter{Statuses: []string{press.StatusPublished}})
	if err != nil || len(posts) == 0 {
		t.Fatalf("posts: %d %v", len(posts), err)
	}
	var attachment string
	for _, p := range posts {
		files, _ := pr.Attachments(ctx, p.ID)
		for _, a := range files {
			attachment = "/lampiran/" + strconv.FormatInt(a.ID, 10) + "/" + url.PathEscape(a.Name)
		}
	}
	if attachment == "" {
		t.Fatal("no attachment among the demo posts")
	}
	pdb.Close()
	time.Sleep(2 * time.Second) // the embargo is now due

	archive := filepath.Join(t.TempDir(), "b.tar")
	if code, _, errs := runCmd(t, "backup", "--data", data, archive); code != 0 {
		t.Fatalf("backup: %d %s", code, errs)
	}
	copies := map[string]func(dst string){
		"portal press export": func(dst string) {
			if code, out, errs := runCmd(t, "press", "export", "--data", data, dst); code != 0 || !strings.Contains(out, "--press-file") {
				t.Fatalf("press export: %d %s %s", code, out, errs)
			}
			b, err := os.ReadFile(dst)
			if err != nil {
				t.Fatal(err)
			}
			// What readers may see is there; what they may not is nowhere
			// in the file's bytes, free pages included.
			for _, want := range []string{"Nama Setuju Tampil", "Jawaban permohonan nomor 1", posts[0].Title.In(press.LangID)} {
				if !strings.Contains(string(b), want) {
					t.Errorf("the replica's copy lacks %q", want)
				}
			}
			for _, secret := range []string{"@contoh.test", "Nama Tanpa Izin", "Nama Rahasia", "Jawaban permohonan nomor 2", "Nama Belum Dijawab",
				"Draf rahasia redaksi", "Embargo yang jatuh tempo", "$argon2", "$2a$", "scrypt"} {
				if strings.Contains(string(b), secret) {
					t.Errorf("the replica's copy holds %q", secret)
				}
			}
			rdb, err := store.OpenFile(ctx, dst, store.Press, store.Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer rdb.Close()
			for q, want := range map[string]int{
				`SELECT count(*) FROM session`: 0, `SELECT count(*) FROM audit`: 0,
				`SELECT count(*) FROM user WHERE password_hash <> ''`: 0,
				`SELECT count(*) FROM request`:                        2, `SELECT count(*) FROM request WHERE email <> '' OR token_hash IS NOT NULL`: 0,
			} {
				var n int
				if err := rdb.R.QueryRow(q).Scan(&n); err != nil || n != want {
					t.Errorf("%s: %d %v, want %d", q, n, err, want)
				}
			}
		},
		"copy of the data folder's file": func(dst string) {
			b, err := os.ReadFile(filepath.Join(data, "press.db"))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(dst, b, 0o600)
		},
		"from a backup": func(dst string) {
			restored := t.TempDir()
			if code, _, errs := runCmd(t, "restore", "--data", restored, archive); code != 0 {
				t.Fatalf("restore: %d %s", code, errs)
			}
			b, err := os.ReadFile(filepath.Join(restored, "press.db"))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(dst, b, 0o600)
		},
	}
	for name, copyTo := range copies {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			pressFile := filepath.Join(dir, "press.db")
			copyTo(pressFile)
			old := time.Now().Add(-time.Hour).Truncate(time.Second)
			os.Chtimes(pressFile, old, old)
			before := folderState(t, dir)

			base, logs, stop := startPortal(t, []string{"serve", "--readonly", "--release-file", relFile, "--press-file", pressFile,
				"--addr", "127.0.0.1:0"}, map[string]string{"PORTAL_LOG_FORMAT": "json"})
			for _, u := range []string{"/admin", "/admin/login", "/admin/tulis", "/admin/audit"} {
				if resp, _ := get(t, base+u); resp.StatusCode != http.StatusNotFound {
					t.Errorf("GET %s on a replica: %d, want 404", u, resp.StatusCode)
				}
			}
			resp, err := http.PostForm(base+"/admin/login", url.Values{"name": {"redaksi"}, "password": {"a long enough password"}})
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("POST /admin/login on a replica: %d, want 404", resp.StatusCode)
			}
			title := posts[0].Title.In(press.LangID)
			for _, u := range []string{"/berita", "/feed.xml", "/feed.atom", "/feed.json", "/berita/" + posts[0].Slug} {
				resp, body := get(t, base+u)
				if resp.StatusCode != http.StatusOK || !strings.Contains(body, title) {
					t.Errorf("GET %s: %d, want 200 showing %q", u, resp.StatusCode, title)
				}
				if strings.Contains(body, "Embargo yang jatuh tempo") {
					t.Errorf("GET %s shows the embargoed post", u)
				}
			}
			if resp, _ := get(t, base+attachment); resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" {
				t.Errorf("GET %s: %d %s", attachment, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			if code := stop(); code != 0 {
				t.Errorf("replica exit %d:\n%s", code, logs.String())
			}
			if after := folderState(t, dir); after != before {
				t.Errorf("the replica wrote to its press copy or next to it:\nbefore %s\nafter  %s", before, after)
			}
			if strings.Contains(logs.String(), "press: scheduled") {
				t.Errorf("the replica ran the press publisher:\n%s", logs.String())
			}
		})
	}
}
