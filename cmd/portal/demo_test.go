package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/portal-data-bansos/portal/internal/datadir"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/internal/store"
	"github.com/portal-data-bansos/portal/internal/synth"
)

// demoRefusal is the message that refuses real files in a folder holding
// the demo (docs/interface.md, "Demo data").
func demoRefusal(data string) string {
	return "this data folder holds the demo (synthetic data); real files are never added to demo rows; " +
		"to start clean run 'portal demo remove --data " + data + "' or use a fresh --data folder"
}

// latestRelease reads the release in force of the published store at
// path, read-only.
func latestRelease(t *testing.T, path string) release.Release {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, err := release.Latest(context.Background(), db)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return r
}

// releaseCount counts the releases of the data folder's published store.
func releaseCount(t *testing.T, data string) int {
	t.Helper()
	db := openRaw(t, filepath.Join(data, store.Published.FileName()))
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM release`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// waitFor polls cond every 100 ms for up to d.
func waitFor(d time.Duration, cond func() bool) bool {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// TestDemoRemoveThenRealFiles walks the demo's life in one data folder:
// `portal serve`'s demo load marks its release synthetic; real files are
// refused by `portal aggregate` and by the scheduled run of `portal
// serve`, which leaves them in the inbox and shows why on /status;
// `portal demo remove` clears the folder but for the key, the inbox and
// the press office's own posts and accounts; `portal serve` then loads no
// demo, answers 503 until the first real run, and its scheduled run takes
// the inbox into a release that is not synthetic.
func TestDemoRemoveThenRealFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("serves and aggregates")
	}
	ctx := context.Background()
	defer func(n int) { demoRows = n }(demoRows)
	demoRows = 3000
	data := t.TempDir()
	cfg, _, code := parseFlags(&env{getenv: envFrom(nil), stderr: io.Discard}, "serve", []string{"--data", data}, (*Config).registerServe, nil)
	if code >= 0 {
		t.Fatalf("settings: %d", code)
	}
	log := slog.New(slog.DiscardHandler)

	// The demo, as `portal serve` loads it into an empty folder, and the
	// press office's own account and post beside the example posts.
	st, err := openStores(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	key, err := datadir.LoadOrCreateKey(cfg.KeyFile)
	if err != nil {
		t.Fatal(err)
	}
	keyBytes, _ := os.ReadFile(cfg.KeyFile)
	if err := loadDemoIfEmpty(ctx, cfg, log, runOptions(cfg, st.published, key, log)); err != nil {
		t.Fatalf("demo: %v", err)
	}
	if rel, err := release.Latest(ctx, st.published.R); err != nil || rel.Number != 1 || !rel.Synthetic {
		t.Fatalf("the demo's release: %d synthetic %v (%v)", rel.Number, rel.Synthetic, err)
	}
	pr := press.New(st.press)
	if err := seedDemoPress(ctx, st.published, pr, log); err != nil {
		t.Fatal(err)
	}
	editor, err := pr.AddUser(ctx, "redaksi", press.RoleEditor, "a long enough password", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	own, err := pr.Create(ctx, editor, press.Content{Kind: press.KindRelease, Lang: press.LangID, Category: "umum",
		Title: i18n.Text{ID: "Siaran pers redaksi"}}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := pr.Count(ctx); n != 4 {
		t.Fatalf("%d posts, want 3 examples and the press office's own", n)
	}
	st.close()
	if err := os.MkdirAll(filepath.Join(data, pageCacheDir, "penyaluran"), 0o750); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(data, pageCacheDir, "penyaluran", "1.csv"), []byte("x"), 0o600)

	// Real files: refused by the command and by the scheduled run.
	real := filepath.Join(gen(t, 2000, 21), synth.DistributionFile)
	inboxFile := filepath.Join(cfg.Inbox, "penyaluran-2025.csv")
	os.MkdirAll(cfg.Inbox, 0o750)
	copyFile(t, real, inboxFile)
	code, _, errs := runCmd(t, "aggregate", "--data", data, real)
	if code != exitFailure || !strings.Contains(errs, "portal aggregate: "+demoRefusal(data)) {
		t.Errorf("aggregate into the demo: exit %d, stderr:\n%s", code, errs)
	}
	base, logs, stop := startPortal(t, []string{"serve", "--data", data, "--addr", "127.0.0.1:0", "--schedule", "@every 1s"},
		map[string]string{"PORTAL_LOG_FORMAT": "json"})
	if !waitFor(30*time.Second, func() bool { return strings.Contains(logs.String(), `"msg":"scheduled aggregation refused`) }) {
		t.Errorf("no refused scheduled run logged:\n%s", logs.String())
	}
	if resp, body := get(t, base+"/status"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "real files are never added to demo rows") {
		t.Errorf("/status: %d, the refusal is not shown", resp.StatusCode)
	}
	if code := stop(); code != 0 {
		t.Errorf("serve exit %d", code)
	}
	if _, err := os.Stat(inboxFile); err != nil {
		t.Errorf("the inbox file is gone: %v", err)
	}
	if _, err := os.Stat(filepath.Join(cfg.Inbox, "failed")); err == nil {
		t.Error("failed/ was created in the inbox")
	}
	if n := releaseCount(t, data); n != 1 {
		t.Errorf("%d releases after the refusals, want 1", n)
	}

	// portal demo remove.
	code, out, errs := runCmd(t, "demo", "remove", "--data", data)
	if code != 0 || !strings.Contains(out, "3 example press posts") {
		t.Fatalf("demo remove: exit %d\n%s%s", code, out, errs)
	}
	for _, gone := range []string{"published.db", "published.db-wal", "published.db-shm", "private.db", "private.db-wal", "private.db-shm", demoDir, pageCacheDir} {
		if _, err := os.Stat(filepath.Join(data, gone)); err == nil {
			t.Errorf("%s is still there", gone)
		}
	}
	for _, kept := range []string{filepath.Join(data, "press.db"), filepath.Join(data, demoRemovedFile), inboxFile} {
		if _, err := os.Stat(kept); err != nil {
			t.Errorf("removed: %v", err)
		}
	}
	if b, _ := os.ReadFile(cfg.KeyFile); !bytes.Equal(b, keyBytes) {
		t.Error("the key file changed")
	}
	raw := openRaw(t, filepath.Join(data, "press.db"))
	var posts, examples, users int
	var ownLeft int64
	raw.QueryRow(`SELECT count(*), sum(example), max(id) FROM post`).Scan(&posts, &examples, &ownLeft)
	raw.QueryRow(`SELECT count(*) FROM user WHERE name = 'redaksi'`).Scan(&users)
	raw.Close()
	if posts != 1 || examples != 0 || ownLeft != own || users != 1 {
		t.Errorf("press.db after the removal: %d posts (%d examples, id %d), %d accounts; want only post %d and the account",
			posts, examples, ownLeft, users, own)
	}
	if code, _, errs := runCmd(t, "demo", "remove", "--data", data); code != exitFailure || !strings.Contains(errs, "does not hold the demo") {
		t.Errorf("second demo remove: exit %d: %s", code, errs)
	}

	// The demo is not loaded again.
	st, err = openStores(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := loadDemoIfEmpty(ctx, cfg, log, runOptions(cfg, st.published, key, log)); err != nil {
		t.Fatal(err)
	}
	var runs int
	st.published.R.QueryRow(`SELECT count(*) FROM run`).Scan(&runs)
	st.close()
	if runs != 0 {
		t.Errorf("loadDemoIfEmpty ran %d runs after the removal", runs)
	}
	base, logs, stop = startPortal(t, []string{"serve", "--data", data, "--addr", "127.0.0.1:0"}, map[string]string{"PORTAL_LOG_FORMAT": "json"})
	if resp, body := get(t, base+"/dataset/penyaluran.csv"); resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "Belum ada data") {
		t.Errorf("a download before the first real run: %d", resp.StatusCode)
	}
	if resp, _ := get(t, base+"/readyz"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz before the first real run: %d", resp.StatusCode)
	}
	if code := stop(); code != 0 {
		t.Errorf("serve exit %d", code)
	}
	if _, err := os.Stat(filepath.Join(data, demoDir)); err == nil {
		t.Error("serve generated the demo again")
	}
	if !strings.Contains(logs.String(), "the demo was removed from this data folder") {
		t.Errorf("serve does not say why it loads no demo:\n%s", logs.String())
	}

	// The scheduled run takes the inbox: a real release.
	base, logs, stop = startPortal(t, []string{"serve", "--data", data, "--addr", "127.0.0.1:0", "--schedule", "@every 1s"},
		map[string]string{"PORTAL_LOG_FORMAT": "json"})
	ready := waitFor(60*time.Second, func() bool { resp, _ := get(t, base+"/readyz"); return resp.StatusCode == http.StatusOK })
	if code := stop(); code != 0 || !ready {
		t.Fatalf("serve exit %d, ready %v:\n%s", code, ready, logs.String())
	}
	if rel := latestRelease(t, filepath.Join(data, "published.db")); rel.Number != 1 || rel.Synthetic {
		t.Errorf("first real release: %d synthetic %v", rel.Number, rel.Synthetic)
	}
	if _, err := os.Stat(inboxFile); err == nil {
		t.Error("the inbox file was not taken")
	}
	if n, _ := filepath.Glob(filepath.Join(cfg.Inbox, "processed", "*-penyaluran-2025.csv")); len(n) != 1 {
		t.Errorf("processed/: %v", n)
	}
	raw = openRaw(t, filepath.Join(data, "press.db"))
	raw.QueryRow(`SELECT count(*) FROM post`).Scan(&posts)
	raw.Close()
	if posts != 1 {
		t.Errorf("%d posts after serving a real release: the example posts came back", posts)
	}
}

// TestDemoRemoveRefuses: `portal demo remove` removes nothing from a
// folder that does not hold the demo, and says why.
func TestDemoRemoveRefuses(t *testing.T) {
	src := filepath.Join(gen(t, 2000, 22), synth.DistributionFile)
	for _, tc := range []struct {
		name    string
		args    []string
		prepare func(t *testing.T, data string)
		code    int
		stderr  string
	}{
		{"no such folder", []string{"demo", "remove", "--data", "DATA"}, func(t *testing.T, data string) { os.Remove(data) }, exitFailure, "does not hold the demo"},
		{"an empty folder", []string{"demo", "remove", "--data", "DATA"}, nil, exitFailure, "does not hold the demo: it has no published.db"},
		{"stores but no run", []string{"demo", "remove", "--data", "DATA"}, func(t *testing.T, data string) {
			db, err := store.Open(context.Background(), data, store.Published, store.Options{})
			if err != nil {
				t.Fatal(err)
			}
			db.Close()
		}, exitFailure, "does not hold the demo: it holds no data"},
		{"real releases", []string{"demo", "remove", "--data", "DATA"}, func(t *testing.T, data string) {
			if code, _, errs := runCmd(t, "aggregate", "--data", data, src); code != 0 {
				t.Fatalf("aggregate: %d %s", code, errs)
			}
		}, exitFailure, "it holds releases of real data, which 'portal demo remove' never deletes"},
		{"no subcommand", []string{"demo", "--data", "DATA"}, nil, exitUsage, "usage: portal demo remove"},
		{"unknown subcommand", []string{"demo", "purge", "--data", "DATA"}, nil, exitUsage, "usage: portal demo remove"},
		{"an argument", []string{"demo", "remove", "--data", "DATA", "now"}, nil, exitUsage, "usage: portal demo remove"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := t.TempDir()
			if tc.prepare != nil {
				tc.prepare(t, data)
			}
			before, _ := os.ReadDir(data)
			var args []string
			for _, a := range tc.args {
				args = append(args, strings.ReplaceAll(a, "DATA", data))
			}
			code, out, errs := runCmd(t, args...)
			if code != tc.code || !strings.Contains(errs, tc.stderr) {
				t.Errorf("exit %d, want %d; stderr lacks %q:\n%s%s", code, tc.code, tc.stderr, out, errs)
			}
			after, _ := os.ReadDir(data)
			for _, e := range before {
				if !strings.HasPrefix(e.Name(), "aggregate.lock") && !containsEntry(after, e.Name()) {
					t.Errorf("%s was removed", e.Name())
				}
			}
			if _, err := os.Stat(filepath.Join(data, demoRemovedFile)); err == nil {
				t.Error("the marker was written")
			}
		})
	}
}

func containsEntry(es []os.DirEntry, name string) bool {
	for _, e := range es {
		if e.Name() == name {
			return true
		}
	}
	return false
}

// TestDemoRemoveWaitsForAStoppedPortal: a portal serving the folder keeps
// its stores open; `portal demo remove` refuses to pull them from under
// it, and works once it has stopped.
func TestDemoRemoveWaitsForAStoppedPortal(t *testing.T) {
	if testing.Short() {
		t.Skip("subprocess test")
	}
	data := t.TempDir()
	if code, _, errs := runCmd(t, "aggregate", "--synthetic", "--data", data, filepath.Join(gen(t, 2000, 23), synth.DistributionFile)); code != 0 {
		t.Fatalf("aggregate: %d %s", code, errs)
	}
	cmd := portalCmd(t, "serve", "--no-demo", "--data", data, "--addr", "127.0.0.1:0")
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && !strings.Contains(sc.Text(), "running at") {
	}
	go io.Copy(io.Discard, stdout)
	code, out, errs := runCmd(t, "demo", "remove", "--data", data)
	if code != exitFailure || !strings.Contains(errs, fmt.Sprintf("a portal (process %d) has published.db open: stop it first", cmd.Process.Pid)) {
		t.Errorf("demo remove under a running portal: exit %d\n%s%s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(data, "published.db")); err != nil {
		t.Errorf("published.db: %v", err)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	if code, out, errs := runCmd(t, "demo", "remove", "--data", data); code != 0 {
		t.Errorf("demo remove after the portal stopped: exit %d\n%s%s", code, out, errs)
	}
}

// TestAggregateSynthetic: `portal aggregate --synthetic` (or
// PORTAL_SYNTHETIC) marks its release and run synthetic; an exported
// release file carries the mark; a run of the other kind into the folder
// is refused and changes no release.
func TestAggregateSynthetic(t *testing.T) {
	dir := gen(t, 2000, 24)
	dist := filepath.Join(dir, synth.DistributionFile)
	for _, tc := range []struct {
		name      string
		env       map[string]string
		args      []string
		code      int
		synthetic bool
		refusal   string // the refusal of the next run, of the other kind
	}{
		{"real", nil, nil, 0, false, "this data folder holds real data; synthetic data (the demo, or files aggregated with --synthetic) is never added to real releases"},
		{"--synthetic", nil, []string{"--synthetic"}, 0, true, "DEMO"},
		{"PORTAL_SYNTHETIC", map[string]string{"PORTAL_SYNTHETIC": "true"}, nil, 0, true, "DEMO"},
		{"the flag beats the environment", map[string]string{"PORTAL_SYNTHETIC": "true"}, []string{"--synthetic=false"}, 0, false, "holds real data"},
		{"a bad environment value", map[string]string{"PORTAL_SYNTHETIC": "perhaps"}, nil, exitUsage, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := t.TempDir()
			var out, errb syncBuffer
			args := append(append([]string{"aggregate", "--data", data}, tc.args...), dist)
			code := run(context.Background(), args, envFrom(tc.env), strings.NewReader(""), &out, &errb)
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, errb.String())
			}
			if code != 0 {
				if !strings.Contains(errb.String(), "PORTAL_SYNTHETIC") {
					t.Errorf("the error does not name the variable: %s", errb.String())
				}
				return
			}
			if rel := latestRelease(t, filepath.Join(data, "published.db")); rel.Synthetic != tc.synthetic {
				t.Errorf("release synthetic %v, want %v", rel.Synthetic, tc.synthetic)
			}
			raw := openRaw(t, filepath.Join(data, "published.db"))
			var runSynthetic bool
			raw.QueryRow(`SELECT synthetic FROM run WHERE release = 1`).Scan(&runSynthetic)
			raw.Close()
			if runSynthetic != tc.synthetic {
				t.Errorf("run synthetic %v, want %v", runSynthetic, tc.synthetic)
			}
			relFile := filepath.Join(t.TempDir(), "rilis-1.db")
			if code, _, errs := runCmd(t, "release", "export", "--data", data, "1", relFile); code != 0 {
				t.Fatalf("export: %d %s", code, errs)
			}
			if rel := latestRelease(t, relFile); rel.Synthetic != tc.synthetic {
				t.Errorf("exported release synthetic %v, want %v", rel.Synthetic, tc.synthetic)
			}

			other := []string{"aggregate", "--data", data, "--synthetic=" + fmt.Sprint(!tc.synthetic), dist}
			code, _, errs := runCmd(t, other...)
			want := tc.refusal
			if want == "DEMO" {
				want = demoRefusal(data)
			}
			if code != exitFailure || !strings.Contains(errs, want) {
				t.Errorf("a run of the other kind: exit %d, stderr lacks %q:\n%s", code, want, errs)
			}
			if n := releaseCount(t, data); n != 1 {
				t.Errorf("%d releases after the refusal", n)
			}
		})
	}
}

// TestDemoRemoveNamesRealFilesOnTop: in a folder whose runs predate the
// synthetic mark, real files may sit on top of the demo; `portal demo
// remove` removes them with it and names them, to be delivered again.
func TestDemoRemoveNamesRealFilesOnTop(t *testing.T) {
	data := t.TempDir()
	first := filepath.Join(gen(t, 2000, 25), synth.DistributionFile)
	second := filepath.Join(t.TempDir(), "penyaluran-2025-12.csv")
	copyFile(t, filepath.Join(gen(t, 2000, 26), synth.DistributionFile), second)
	for _, f := range []string{first, second} {
		if code, _, errs := runCmd(t, "aggregate", "--synthetic", "--data", data, f); code != 0 {
			t.Fatalf("aggregate: %d %s", code, errs)
		}
	}
	// What migration 0006 makes of a real run on top of the demo: the run
	// is real, its release (holding demo rows) synthetic.
	raw := openRaw(t, filepath.Join(data, "published.db"))
	if _, err := raw.Exec(`UPDATE run SET synthetic = 0 WHERE release = 2`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	code, out, errs := runCmd(t, "demo", "remove", "--data", data)
	if code != 0 || !strings.Contains(out, "deliver them to the inbox again: penyaluran-2025-12.csv\n") {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}
}
