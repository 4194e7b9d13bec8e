package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine to write while
// the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func envFrom(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// startPortal runs the real run() in-process on a free port and returns the
// site's URL, the log, and a stop function that returns the exit code.
func startPortal(t *testing.T, args []string, env map[string]string) (string, *syncBuffer, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	logs := &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, args, envFrom(env), strings.NewReader(""), pw, logs)
		pw.Close()
	}()
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		re := regexp.MustCompile(`http://\S+`)
		for sc.Scan() {
			if m := re.FindString(sc.Text()); m != "" {
				urlc <- m
				break
			}
		}
		io.Copy(io.Discard, pr)
	}()
	select {
	case u := <-urlc:
		return u, logs, func() int { cancel(); return <-done }
	case code := <-done:
		cancel()
		t.Fatalf("portal exited with %d before serving; log:\n%s", code, logs.String())
	case <-time.After(60 * time.Second):
		cancel()
		t.Fatalf("portal did not start in 60 s; log:\n%s", logs.String())
	}
	return "", nil, nil
}

func get(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestServeEndToEnd(t *testing.T) {
	data := t.TempDir()
	base, logs, stop := startPortal(t, []string{"serve", "--addr", "127.0.0.1:0", "--no-demo"},
		map[string]string{"PORTAL_DATA": data, "PORTAL_LOG_FORMAT": "json"})

	resp, body := get(t, base+"/")
	if resp.StatusCode != 200 || !strings.Contains(body, "Portal Data Bansos") {
		t.Fatalf("/: %d\n%s", resp.StatusCode, body)
	}
	css := regexp.MustCompile(`/static/css/site\.[0-9a-f]+\.css`).FindString(body)
	if css == "" {
		t.Fatal("no stylesheet link on /")
	}
	resp, _ = get(t, base+css)
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("static asset: %d %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	resp, body = get(t, base+"/healthz")
	if resp.StatusCode != 200 || !strings.Contains(body, "ok") {
		t.Errorf("/healthz: %d %s", resp.StatusCode, body)
	}
	resp, body = get(t, base+"/?lang=en")
	if resp.StatusCode != 200 || !strings.Contains(body, `lang="en"`) || !strings.Contains(resp.Header.Get("Set-Cookie"), "lang=en") {
		t.Errorf("/?lang=en: %d, cookie %q", resp.StatusCode, resp.Header.Get("Set-Cookie"))
	}
	for _, p := range []string{"/berita", "/feed.atom", "/feed.xml", "/feed.json", "/admin/login"} {
		if resp, _ := get(t, base+p); resp.StatusCode != 200 {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
	}
	resp, body = get(t, base+"/halaman-yang-tidak-ada")
	if resp.StatusCode != 404 || !strings.Contains(body, "Halaman tidak ditemukan") {
		t.Errorf("404: %d", resp.StatusCode)
	}
	for _, f := range []string{"published.db", "private.db", "press.db"} {
		if _, err := os.Stat(filepath.Join(data, f)); err != nil {
			t.Errorf("store not created: %v", err)
		}
	}
	// The site never reads private.db: between runs the process does not
	// hold it open (docs/disclosure.md, "Side channels").
	if fds, err := os.ReadDir("/proc/self/fd"); err == nil {
		for _, fd := range fds {
			if target, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name())); err == nil && strings.HasPrefix(target, filepath.Join(data, "private.db")) {
				t.Errorf("serve holds %s open between runs", target)
			}
		}
	}
	if code := stop(); code != 0 {
		t.Errorf("exit code %d after graceful shutdown; log:\n%s", code, logs.String())
	}
	for _, want := range []string{`"msg":"serving"`, `"msg":"request"`, `"msg":"stopped"`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %s", want)
		}
	}
}

func TestServeRefusesNewerSchema(t *testing.T) {
	data := t.TempDir()
	base, _, stop := startPortal(t, []string{"--addr", "127.0.0.1:0", "--data", data, "--no-demo"}, nil)
	_ = base
	if code := stop(); code != 0 {
		t.Fatalf("first start: exit %d", code)
	}
	// Pretend a newer portal migrated the press store.
	db := openRaw(t, filepath.Join(data, "press.db"))
	if _, err := db.Exec(`INSERT INTO schema_migrations VALUES (999, '0999_future', '2030-01-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	var stdout, stderr syncBuffer
	code := run(context.Background(), []string{"--addr", "127.0.0.1:0", "--data", data, "--no-demo", "--log-format", "text"},
		envFrom(nil), strings.NewReader(""), &stdout, &stderr)
	if code == 0 {
		t.Fatal("portal started on a newer schema")
	}
	if !strings.Contains(stderr.String(), "newer") || !strings.Contains(stderr.String(), "press.db") {
		t.Errorf("error does not explain: %s", stderr.String())
	}
}

func TestCommands(t *testing.T) {
	for _, tc := range []struct {
		name     string
		args     []string
		env      map[string]string
		code     int
		inStderr string
		inStdout string
	}{
		{"help", []string{"help"}, nil, 0, "", "serve"},
		{"unknown command", []string{"frobnicate"}, nil, 2, "unknown command", ""},
		{"bad flag", []string{"serve", "--nope"}, nil, 2, "flag provided but not defined", ""},
		{"bad k", []string{"serve", "--k", "1"}, nil, 2, "--k (PORTAL_K)", ""},
		{"bad k from env", []string{"serve"}, map[string]string{"PORTAL_K": "ten"}, 2, "PORTAL_K", ""},
		{"bad addr", []string{"serve", "--addr", "8080"}, nil, 2, "--addr (PORTAL_ADDR)", ""},
		{"bad schedule", []string{"serve", "--schedule", "every day"}, nil, 2, "--schedule (PORTAL_SCHEDULE)", ""},
		{"bad log level", []string{"serve", "--log-level", "loud"}, nil, 2, "--log-level", ""},
		{"bad no-demo env", []string{"serve"}, map[string]string{"PORTAL_NO_DEMO": "perhaps"}, 2, "PORTAL_NO_DEMO", ""},
		{"serve -h", []string{"serve", "-h"}, nil, 0, "PORTAL_ADDR", ""},
		{"bad base url", []string{"serve", "--base-url", "data.example.go.id"}, nil, 2, "--base-url (PORTAL_BASE_URL)", ""},
		{"bad hub from env", []string{"serve"}, map[string]string{"PORTAL_WEBSUB_HUB": "ftp://hub"}, 2, "PORTAL_WEBSUB_HUB", ""},
		{"user without add", []string{"user"}, nil, 2, "usage: portal user add", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr syncBuffer
			code := run(context.Background(), tc.args, envFrom(tc.env), strings.NewReader(""), &stdout, &stderr)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.inStderr) {
				t.Errorf("stderr lacks %q: %s", tc.inStderr, stderr.String())
			}
			if !strings.Contains(stdout.String(), tc.inStdout) {
				t.Errorf("stdout lacks %q: %s", tc.inStdout, stdout.String())
			}
		})
	}
}

func TestConfigPrecedence(t *testing.T) {
	getenv := envFrom(map[string]string{"PORTAL_ADDR": ":9000", "PORTAL_K": "15", "PORTAL_DATA": "/srv/portal"})
	cfg, err := newConfig(getenv)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != ":9000" || cfg.K != 15 || cfg.Data != "/srv/portal" {
		t.Errorf("env not applied: %+v", cfg)
	}
	c2, _, code := parseFlags(&env{getenv: getenv, stderr: io.Discard}, "serve", []string{"--k", "20"}, (*Config).registerServe, nil)
	if code >= 0 {
		t.Fatalf("parse: %d", code)
	}
	if c2.K != 20 || c2.Addr != ":9000" {
		t.Errorf("flag should beat env, env should beat default: %+v", c2)
	}
	if c2.Inbox != filepath.Join("/srv/portal", "inbox") || c2.KeyFile != filepath.Join("/srv/portal", "secret.key") {
		t.Errorf("derived paths: inbox %q key %q", c2.Inbox, c2.KeyFile)
	}
	if !strings.HasPrefix(c2.Schedule, "CRON_TZ=Asia/Jakarta") {
		t.Errorf("schedule without time zone: %q", c2.Schedule)
	}
	d, _ := newConfig(envFrom(nil))
	if d.Addr != ":8080" || d.Data != "./data" || d.K != 10 || d.Schedule != DefaultSchedule {
		t.Errorf("defaults: %+v", d)
	}
}

func TestUserAdd(t *testing.T) {
	dir := t.TempDir()
	env := envFrom(map[string]string{"PORTAL_DATA": dir})
	var stdout, stderr syncBuffer
	if code := run(context.Background(), []string{"user", "add", "redaksi", "--role", "admin"}, env, strings.NewReader("a long enough password\n"), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "redaksi (admin)") || strings.Contains(stdout.String()+stderr.String(), "long enough") {
		t.Errorf("stdout %q stderr %q", stdout.String(), stderr.String())
	}
	for _, tc := range []struct {
		args  []string
		stdin string
	}{
		{[]string{"user", "add", "redaksi", "--role", "admin"}, "another long password\n"}, // exists
		{[]string{"user", "add", "budi", "--role", "boss"}, "another long password\n"},
		{[]string{"user", "add", "budi", "--role", "editor"}, "short\n"},
		{[]string{"user", "add", "budi", "--role", "editor"}, ""},
		{[]string{"user", "add", "budi", "secret-password", "--role", "editor"}, "another long password\n"},
	} {
		if code := run(context.Background(), tc.args, env, strings.NewReader(tc.stdin), &stdout, &stderr); code == 0 {
			t.Errorf("%v with %q succeeded", tc.args, tc.stdin)
		}
	}
}
