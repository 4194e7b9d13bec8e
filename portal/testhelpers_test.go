package portal

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/portal-data-bansos/portal/aggregator"
	"github.com/portal-data-bansos/portal/internal/datadir"
	"github.com/portal-data-bansos/portal/internal/store"
	"github.com/portal-data-bansos/portal/internal/synth"
)

// newTestServer builds the real site over real SQLite stores in a temporary
// folder.
func newTestServer(t *testing.T) (*Server, *store.DB) {
	t.Helper()
	pub, _, press := openTestStores(t, t.TempDir())
	s, err := New(Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Published: pub, Press: press})
	if err != nil {
		t.Fatal(err)
	}
	return s, pub
}

// scenario is one HTTP request against the router and what must come back.
type scenario struct {
	Name            string
	Method          string
	URL             string
	Header          http.Header
	ExpectedStatus  int
	ExpectedContent []string
	NotExpected     []string
	ExpectedHeaders map[string]string
}

func (sc scenario) run(t *testing.T, h http.Handler) *httptest.ResponseRecorder {
	t.Helper()
	method := sc.Method
	if method == "" {
		method = http.MethodGet
	}
	req := httptest.NewRequest(method, sc.URL, nil)
	for k, vs := range sc.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != sc.ExpectedStatus {
		t.Errorf("%s: status %d, want %d", sc.Name, rec.Code, sc.ExpectedStatus)
	}
	body := rec.Body.String()
	for _, want := range sc.ExpectedContent {
		if !strings.Contains(body, want) {
			t.Errorf("%s: body lacks %q", sc.Name, want)
		}
	}
	for _, bad := range sc.NotExpected {
		if strings.Contains(body, bad) {
			t.Errorf("%s: body contains %q", sc.Name, bad)
		}
	}
	for k, want := range sc.ExpectedHeaders {
		if got := rec.Header().Get(k); !strings.Contains(got, want) {
			t.Errorf("%s: header %s = %q, want it to contain %q", sc.Name, k, got, want)
		}
	}
	return rec
}

// newTestServerWithRelease builds the real site over a copy of a data
// folder where the real aggregator has published two releases of
// generated data (20,000 rows with the four lists — exclusions, targets,
// DTSEN —, then 6,000 more rows), k = 10.
func newTestServerWithRelease(t testing.TB) (*Server, *store.DB) {
	t.Helper()
	return newReleaseServer(t, true)
}

// newReleaseServer is newTestServerWithRelease, with or without the target
// and DTSEN lists. The releases are built once per test binary (see
// releaseFixture); each test gets its own copy of the stores.
func newReleaseServer(t testing.TB, withTargets bool) (*Server, *store.DB) {
	t.Helper()
	src, err := releaseFixture(withTargets)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, k := range store.Kinds {
		body, err := os.ReadFile(filepath.Join(src, k.FileName()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, k.FileName()), body, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	pub, _, press := openTestStores(t, dir)
	s, err := New(Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Published: pub, Press: press})
	if err != nil {
		t.Fatal(err)
	}
	return s, pub
}

// releaseFixture returns a folder holding the stores of the two releases
// (with or without the lists), building it on first use. TestMain removes
// it.
func releaseFixture(withTargets bool) (string, error) {
	f := &fixtures[0]
	if withTargets {
		f = &fixtures[1]
	}
	f.once.Do(func() { f.dir, f.err = buildReleaseFixture(withTargets) })
	return f.dir, f.err
}

var fixtures [2]struct {
	once sync.Once
	dir  string
	err  error
}

func buildReleaseFixture(withTargets bool) (string, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "portal-fixture-")
	if err != nil {
		return "", err
	}
	var dbs []*store.DB
	open := func(k store.Kind) *store.DB {
		db, e := store.Open(ctx, dir, k, store.Options{})
		if e != nil && err == nil {
			err = e
		}
		dbs = append(dbs, db)
		return db
	}
	pub, priv, _ := open(store.Published), open(store.Private), open(store.Press)
	defer func() {
		for _, db := range dbs {
			if db != nil {
				db.Close() // checkpoints the WAL: each store is one file
			}
		}
	}()
	if err != nil {
		return dir, err
	}
	// A fixed key: the same fixture, and the same release, on every run.
	keyFile := filepath.Join(dir, "secret.key")
	if err := os.WriteFile(keyFile, bytes.Repeat([]byte{0x5a}, datadir.KeySize), 0o600); err != nil {
		return dir, err
	}
	key, err := datadir.LoadOrCreateKey(keyFile)
	if err != nil {
		return dir, err
	}
	// One generated year in West Java only, so that regencies and
	// districts are dense enough to publish (a national file of this size
	// would leave them sparse, docs/disclosure.md), delivered in two
	// files: the first three quarters, then the fourth.
	gen := filepath.Join(dir, "gen")
	if _, err := synth.Generate(ctx, gen, synth.Options{Rows: 120000, Seed: 40, Provinces: []string{"32"}}); err != nil {
		return dir, err
	}
	parts := [2]string{filepath.Join(dir, "part-1", synth.DistributionFile), filepath.Join(dir, "part-2", synth.DistributionFile)}
	q4 := func(_ int, p string) bool {
		return p == "2025-10" || p == "2025-11" || p == "2025-12" || strings.EqualFold(p, "2025-Q4")
	}
	if err := synth.SplitRecords(filepath.Join(gen, synth.DistributionFile), parts, q4); err != nil {
		return dir, err
	}
	return dir, deliver(ctx, aggregator.Options{Published: pub, Private: priv, Key: key, K: 10}, gen, parts[:], withTargets)
}

// deliver runs the aggregator once per part of a generated year in gen:
// the exclusion lists (and with targets the kuota and DTSEN lists) come
// with the first part.
func deliver(ctx context.Context, opt aggregator.Options, gen string, parts []string, targets bool) error {
	for i, part := range parts {
		inputs := []aggregator.Input{{Path: part}}
		if i == 0 {
			inputs = append([]aggregator.Input{
				{Path: filepath.Join(gen, synth.ASNFile), Kind: aggregator.ListASN},
				{Path: filepath.Join(gen, synth.DeceasedFile), Kind: aggregator.ListDeceased},
			}, inputs...)
			if targets {
				inputs = append([]aggregator.Input{
					{Path: filepath.Join(gen, synth.KuotaFile), Kind: aggregator.ListKuota},
					{Path: filepath.Join(gen, synth.DTSENFile), Kind: aggregator.ListDTSEN},
				}, inputs...)
			}
		}
		if _, err := aggregator.Run(ctx, opt, inputs); err != nil {
			return err
		}
	}
	return nil
}

func TestMain(m *testing.M) {
	code := m.Run()
	for i := range fixtures {
		if fixtures[i].dir != "" {
			os.RemoveAll(fixtures[i].dir)
		}
	}
	os.Exit(code)
}

// openTestStores opens the three real stores in dir, closed with the test.
func openTestStores(t testing.TB, dir string) (pub, priv, press *store.DB) {
	t.Helper()
	var dbs [3]*store.DB
	for i, k := range store.Kinds {
		db, err := store.Open(context.Background(), dir, k, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	return dbs[0], dbs[1], dbs[2]
}
