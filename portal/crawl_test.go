package portal

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/portal-data-bansos/portal/aggregator"
	"github.com/portal-data-bansos/portal/internal/datadir"
	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/internal/synth"
	"github.com/portal-data-bansos/portal/internal/testkit"
	"github.com/portal-data-bansos/portal/portal/download"
)

// secrets are what must never leave the aggregator: identity numbers,
// family card numbers, names, civil servant numbers and transaction ids.
type secrets struct {
	numbers map[string]string // 16- or 18-digit number → what it is
	trx     map[string]bool
	names   map[string]bool
}

// readSecrets collects every identifier of the generated input files.
func readSecrets(t *testing.T, dir string) *secrets {
	t.Helper()
	s := &secrets{numbers: map[string]string{}, trx: map[string]bool{}, names: map[string]bool{}}
	cols := map[string][]string{
		synth.DistributionFile: {"id_transaksi", "NIK", "no_kk", "nama"},
		synth.ASNFile:          {"nip", "nik", "nama"},
		synth.DeceasedFile:     {"nik"},
	}
	for file, want := range cols {
		f, err := os.Open(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(f)
		r.FieldsPerRecord = -1
		head, err := r.Read()
		if err != nil {
			t.Fatal(err)
		}
		idx := map[string]int{}
		for i, h := range head {
			idx[strings.TrimPrefix(h, "\ufeff")] = i
		}
		for {
			rec, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				continue // malformed rows are part of the input on purpose
			}
			for _, c := range want {
				i, ok := idx[c]
				if !ok || i >= len(rec) || rec[i] == "" {
					continue
				}
				v := strings.TrimSpace(rec[i])
				switch {
				case c == "id_transaksi":
					s.trx[v] = true
				case c == "nama":
					// A full name (two words or more): a single word may
					// be a place name too.
					if strings.Count(v, " ") >= 1 && len(v) >= 8 {
						s.names[strings.ToUpper(v)] = true
					}
				case len(v) >= 10:
					s.numbers[v] = c
				}
			}
		}
		f.Close()
	}
	if len(s.numbers) < 1000 || len(s.trx) < 1000 || len(s.names) < 1000 {
		t.Fatalf("too few identifiers read: %d numbers, %d transactions, %d names", len(s.numbers), len(s.trx), len(s.names))
	}
	return s
}

var (
	digitRun = regexp.MustCompile(`\d{10,}`)
	trxRun   = regexp.MustCompile(`TRX-[0-9A-Za-z-]+`)
	upperRun = regexp.MustCompile(`[A-Z][A-Z'.-]*(?: [A-Z][A-Z'.-]*)+`)
)

// leak reports the first identifier found in body.
func (s *secrets) leak(body []byte) string {
	for _, m := range digitRun.FindAll(body, -1) {
		if what, ok := s.numbers[string(m)]; ok {
			return what + " " + string(m)
		}
	}
	for _, m := range trxRun.FindAll(body, -1) {
		if s.trx[string(m)] {
			return "transaction " + string(m)
		}
	}
	upper := bytes.ToUpper(body)
	for _, m := range upperRun.FindAll(upper, -1) {
		words := strings.Fields(string(m))
		for i := range words {
			for j := i + 2; j <= len(words) && j <= i+5; j++ {
				if n := strings.Join(words[i:j], " "); s.names[n] {
					return "name " + n
				}
			}
		}
	}
	return ""
}

// texts are the readable parts of an answer: the body, decompressed, and
// for an XLSX workbook each file inside it.
func texts(t *testing.T, rec *httptest.ResponseRecorder) [][]byte {
	body := rec.Body.Bytes()
	if rec.Header().Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("bad gzip: %v", err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			t.Fatalf("bad gzip: %v", err)
		}
	}
	if !strings.Contains(rec.Header().Get("Content-Type"), "spreadsheetml") {
		return [][]byte{body}
	}
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("bad xlsx: %v", err)
	}
	var out [][]byte
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		out = append(out, b)
	}
	return out
}

var linkAttr = regexp.MustCompile(`(?:href|src|data-geo|data-src)="(/[^"#]*)`)

// crawlClass bounds how many pages of one kind the crawl visits: every
// region has a page, and a sample of each level says as much as all.
func crawlClass(u *url.URL) string {
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	class := segs[0]
	if class == "wilayah" || class == "embed" {
		class += "/" + strconv.Itoa(len(strings.Split(segs[len(segs)-1], ".")))
	}
	if u.RawQuery != "" {
		class += "?"
	}
	return class
}

// crawler walks the site breadth-first from the addresses added: it
// follows local redirects and the links of HTML pages, and fetches at most
// perClass answers of one kind of page (crawlClass) unless always says an
// address counts apart. skip, when set, keeps addresses out altogether.
type crawler struct {
	site     http.Handler
	perClass int
	skip     func(*url.URL) bool
	always   func(*url.URL) bool
	seen     map[string]bool
	classes  map[string]int
	queue    []string
	fetched  int
}

func newCrawler(site http.Handler, perClass int) *crawler {
	return &crawler{site: site, perClass: perClass, seen: map[string]bool{}, classes: map[string]int{}}
}

// add queues an address once.
func (c *crawler) add(u string) {
	pu, err := url.Parse(u)
	if err != nil || c.seen[u] || c.skip != nil && c.skip(pu) {
		return
	}
	class := crawlClass(pu)
	if c.classes[class] >= c.perClass && (c.always == nil || !c.always(pu)) {
		return
	}
	c.classes[class]++
	c.seen[u] = true
	c.queue = append(c.queue, u)
}

// run fetches what is queued, gzip accepted, until nothing is left; it
// fails the test past budget. visit gets every answer that is not a
// redirect, with its bodies as a reader gets them (texts); the links of
// HTML bodies are queued after it.
func (c *crawler) run(t *testing.T, budget time.Duration, visit func(u string, rec *httptest.ResponseRecorder, bodies [][]byte)) {
	t.Helper()
	deadline := time.Now().Add(budget)
	for len(c.queue) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("crawl not finished in %s (%d fetched, %d queued)", budget, c.fetched, len(c.queue))
		}
		u := c.queue[0]
		c.queue = c.queue[1:]
		req := httptest.NewRequest(http.MethodGet, u, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := httptest.NewRecorder()
		c.site.ServeHTTP(rec, req)
		c.fetched++
		if rec.Code >= 300 && rec.Code < 400 {
			if loc := rec.Header().Get("Location"); strings.HasPrefix(loc, "/") {
				c.add(loc)
			}
			continue
		}
		var bodies [][]byte
		if rec.Code < 300 {
			bodies = texts(t, rec)
		}
		visit(u, rec, bodies)
		if !strings.Contains(rec.Header().Get("Content-Type"), "html") {
			continue
		}
		for _, b := range bodies {
			for _, m := range linkAttr.FindAllSubmatch(b, -1) {
				c.add(strings.ReplaceAll(string(m[1]), "&amp;", "&"))
			}
		}
	}
}

// TestNoPersonalDataInAnyAnswer crawls the site built by the real
// aggregator from generated data and checks that no identity number,
// family card number, civil servant number, name or transaction id of the
// input appears in any page, download (every dataset, every format), API
// answer, press page, attachment or feed (the demo posts are seeded; every
// press URL must answer 200).
func TestNoPersonalDataInAnyAnswer(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("crawl")
	}
	ctx := context.Background()
	dir := t.TempDir()
	pub, priv, pressDB := testkit.OpenStores(t, dir)
	gen := t.TempDir()
	if _, err := synth.Generate(ctx, gen, synth.Options{Rows: 30000, Seed: 11}); err != nil {
		t.Fatal(err)
	}
	key, err := datadir.LoadOrCreateKey(filepath.Join(dir, "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := aggregator.Run(ctx, aggregator.Options{Published: pub, Private: priv, Key: key, K: 10}, []aggregator.Input{
		{Path: filepath.Join(gen, synth.ASNFile), Kind: aggregator.ListASN},
		{Path: filepath.Join(gen, synth.DeceasedFile), Kind: aggregator.ListDeceased},
		{Path: filepath.Join(gen, synth.DistributionFile)},
	}); err != nil && !errors.Is(err, aggregator.ErrRefused) {
		t.Fatal(err)
	}
	// The press office's example posts (one corrected, one with an
	// attachment), so /berita, every post, its files and the feeds have
	// something to show.
	pr := press.New(pressDB)
	if n, err := pr.SeedDemo(ctx, time.Now()); err != nil || n == 0 {
		t.Fatalf("demo posts: %d, %v", n, err)
	}
	posts, _, err := pr.List(ctx, press.Filter{Statuses: []string{press.StatusPublished, press.StatusRetracted}})
	if err != nil || len(posts) == 0 {
		t.Fatalf("public posts: %d, %v", len(posts), err)
	}
	// Every press URL must answer 200: the feeds, the list, each post and
	// each of its files.
	pressURLs := []string{"/feed.xml", "/feed.atom", "/feed.json", "/berita"}
	for _, p := range posts {
		pressURLs = append(pressURLs, "/berita/"+p.Slug)
		files, err := pr.Attachments(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range files {
			pressURLs = append(pressURLs, "/lampiran/"+strconv.FormatInt(a.ID, 10)+"/"+url.PathEscape(a.Name))
		}
	}
	if !slices.ContainsFunc(pressURLs, func(u string) bool { return strings.HasPrefix(u, "/lampiran/") }) {
		t.Fatal("the demo posts have no attachment to crawl")
	}
	site, err := New(Options{Log: slog.New(slog.DiscardHandler), Published: pub, Press: pressDB})
	if err != nil {
		t.Fatal(err)
	}
	sec := readSecrets(t, gen)
	// The detector finds what it looks for.
	for n := range sec.numbers {
		for name := range sec.names {
			for trx := range sec.trx {
				probe := []byte(`<td>` + n + `</td>`)
				if sec.leak(probe) == "" || sec.leak([]byte(`"`+strings.ToLower(name)+`",`)) == "" || sec.leak([]byte(trx+",")) == "" {
					t.Fatalf("the detector misses %s, %s or %s", n, name, trx)
				}
				break
			}
			break
		}
		break
	}

	cr := newCrawler(site, 60)
	add := cr.add
	// Start from the home page; add every download and API endpoint.
	add("/")
	for _, ds := range dataset.All {
		for f := range download.Formats {
			add("/dataset/" + ds.Slug + "." + f)
			add("/dataset/" + ds.Slug + "." + f + "?release=1")
		}
		add("/dataset/" + ds.Slug + "/datapackage.json")
		add("/api/v1/datasets/" + ds.Slug)
	}
	add("/api/openapi.json")
	for _, u := range pressURLs {
		add(u)
	}
	status := map[string]int{}
	cr.run(t, 40*time.Second, func(u string, rec *httptest.ResponseRecorder, bodies [][]byte) {
		status[u] = rec.Code
		if rec.Code >= 400 {
			t.Errorf("%s: status %d", u, rec.Code)
			return
		}
		for _, b := range bodies {
			if what := sec.leak(b); what != "" {
				t.Errorf("%s shows %s", u, what)
			}
			if u == "/api/openapi.json" {
				addAPIPaths(t, b, add)
			}
		}
	})
	for _, u := range pressURLs {
		if status[u] != http.StatusOK {
			t.Errorf("%s: status %d, want 200", u, status[u])
		}
	}
	t.Logf("%d answers checked (%d kinds of page); %d numbers, %d transactions, %d names looked for",
		cr.fetched, len(cr.classes), len(sec.numbers), len(sec.trx), len(sec.names))
	if cr.fetched < 200 {
		t.Errorf("only %d answers crawled", cr.fetched)
	}
}

// addAPIPaths adds every path of the OpenAPI document, with its parameters
// filled in.
func addAPIPaths(t *testing.T, doc []byte, add func(string)) {
	var spec struct {
		Paths map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(doc, &spec); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	for p := range spec.Paths {
		for _, ds := range dataset.All {
			q := strings.ReplaceAll(strings.ReplaceAll(p, "{slug}", ds.Slug), "{n}", "1")
			add(q)
			if strings.HasSuffix(q, "/rows") {
				add(q + "?limit=1000")
			}
		}
	}
}
