package portal

import (
	"compress/gzip"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portal-data-bansos/portal/internal/testkit"
)

// TestREADMENginxBlock runs the README's nginx block, as it stands, with
// Debian's nginx in front of the portal. Only what a test must change is
// changed: the listen address (no TLS), the portal's and the cache's
// addresses. Then: a client that did not ask for gzip never gets gzip,
// even after a gzip client filled the cache (and the reverse); an English
// page never reaches an Indonesian reader (and the reverse); and the
// press office's area is never served from the cache.
func TestREADMENginxBlock(t *testing.T) {
	if testing.Short() {
		t.Skip("runs nginx")
	}
	ngx, err := exec.LookPath("nginx")
	if err != nil {
		for _, p := range []string{"/usr/sbin/nginx"} {
			if _, e := os.Stat(p); e == nil {
				ngx, err = p, nil
			}
		}
	}
	if err != nil {
		testkit.Need(t, "no nginx (apt-get install nginx-light; .ci/run does)")
	}
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```nginx\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md has no nginx block")
	}
	block := string(m[1])

	// The portal, counting what reaches it.
	s, _ := newTestServerWithRelease(t)
	var mu sync.Mutex
	reached := map[string]int{}
	portal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		reached[r.URL.RequestURI()]++
		mu.Unlock()
		s.ServeHTTP(w, r)
	}))
	t.Cleanup(portal.Close)

	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	for old, new := range map[string]string{
		"listen 443 ssl;":          "listen " + addr + ";",
		"http://127.0.0.1:8080":    portal.URL,
		"/var/cache/nginx/portal ": filepath.Join(dir, "cache") + " ",
	} {
		if !strings.Contains(block, old) {
			t.Fatalf("the README's nginx block no longer has %q", old)
		}
		block = strings.ReplaceAll(block, old, new)
	}
	conf := fmt.Sprintf(`user root;
worker_processes 1;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
events { worker_connections 64; }
http {
access_log off;
client_body_temp_path %[1]s/body;
proxy_temp_path %[1]s/proxy;
%[2]s
}
`, dir, block)
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(ngx, "-p", dir, "-c", filepath.Join(dir, "nginx.conf"), "-g", "daemon off;")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	base := "http://" + addr
	for i := 0; ; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		if i > 50 {
			b, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("nginx did not start: %s", b)
		}
		time.Sleep(100 * time.Millisecond)
	}

	// Like curl, wget or Python's urllib: no Accept-Encoding unless told.
	tr := &http.Transport{DisableCompression: true}
	get := func(u string, h ...string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, base+u, nil)
		for i := 0; i+1 < len(h); i += 2 {
			req.Header.Set(h[i], h[i+1])
		}
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var r io.Reader = resp.Body
		if resp.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(resp.Body)
			if err != nil {
				t.Fatalf("%s: gzip body does not decode: %v", u, err)
			}
			r = zr
		}
		b, _ := io.ReadAll(r)
		return resp, string(b)
	}

	// Codings: gzip first (poisoning the cache, before the fix), then plain.
	// Each URL pair: the first asked gzip first, the second plain first.
	for _, pair := range [][2]string{
		{"/dataset/penyaluran.csv?release=2&tingkat=provinsi", "/dataset/penyaluran.csv?release=2&tingkat=nasional"},
		{"/api/v1/datasets?release=2", "/api/v1/datasets?release=1"},
		{"/wilayah/32?release=2", "/wilayah/33?release=2"},
	} {
		for i, order := range [][]string{{"gzip", ""}, {"", "gzip, deflate, br"}} {
			u := pair[i]
			for round := 0; round < 2; round++ { // a miss, then a hit
				for _, enc := range order {
					resp, body := get(u, "Accept-Encoding", enc)
					got := resp.Header.Get("Content-Encoding")
					switch {
					case resp.StatusCode != 200:
						t.Errorf("%s (%q): %d", u, enc, resp.StatusCode)
					case enc == "" && got != "":
						t.Errorf("%s: a client that did not ask got Content-Encoding %q", u, got)
					case strings.Contains(enc, "gzip") && got != "gzip":
						t.Errorf("%s: a gzip client got %q", u, got)
					case len(body) == 0:
						t.Errorf("%s: empty body", u)
					}
				}
			}
		}
	}
	// Languages never mix: the English page first, then an Indonesian reader.
	for _, c := range []struct{ first, second string }{{"lang=en", ""}, {"", "lang=en"}} {
		u := "/program/PKH?mix=" + c.first
		_, a := get(u, "Cookie", c.first)
		_, b := get(u, "Cookie", c.second)
		en := func(s string) bool { return strings.Contains(s, `<html lang="en">`) }
		if en(a) != (c.first == "lang=en") || en(b) != (c.second == "lang=en") {
			t.Errorf("languages mixed: cookie %q got English %v, then cookie %q got English %v", c.first, en(a), c.second, en(b))
		}
	}
	// The press office's area is never served from the cache.
	for i := 0; i < 3; i++ {
		get("/admin/login")
		get("/admin")
	}
	mu.Lock()
	defer mu.Unlock()
	if reached["/admin/login"] != 3 || reached["/admin"] != 3 {
		t.Errorf("/admin reached the portal %d and %d times of 3: cached", reached["/admin/login"], reached["/admin"])
	}
	// And the cache works: a pinned download reached the portal once per
	// variant, however often it was asked.
	if n := reached["/dataset/penyaluran.csv?release=2&tingkat=provinsi"]; n != 2 {
		t.Errorf("a cached download reached the portal %d times, want 2 (one per coding)", n)
	}
}
