package portal

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/aggregator"
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

// newTestServerWithRelease builds the real site over a data folder where
// the real aggregator has published two releases of generated data (5,000
// rows with the four lists — exclusions, targets, DTSEN —, then 2,000
// more rows), k = 10.
func newTestServerWithRelease(t testing.TB) (*Server, *store.DB) {
	t.Helper()
	return newReleaseServer(t, true)
}

// newReleaseServer is newTestServerWithRelease, with or without the target
// and DTSEN lists.
func newReleaseServer(t testing.TB, withTargets bool) (*Server, *store.DB) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	pub, priv, press := openTestStores(t, dir)
	key, err := aggregator.LoadOrCreateKey(filepath.Join(dir, "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	for i, rows := range []int{5000, 2000} {
		gen := t.TempDir()
		if _, err := synth.Generate(ctx, gen, synth.Options{Rows: rows, Seed: uint64(40 + i)}); err != nil {
			t.Fatal(err)
		}
		inputs := []aggregator.Input{{Path: filepath.Join(gen, synth.DistributionFile)}}
		if i == 0 {
			inputs = append([]aggregator.Input{
				{Path: filepath.Join(gen, synth.ASNFile), Kind: aggregator.ListASN},
				{Path: filepath.Join(gen, synth.DeceasedFile), Kind: aggregator.ListDeceased},
			}, inputs...)
			if withTargets {
				inputs = append([]aggregator.Input{
					{Path: filepath.Join(gen, synth.KuotaFile), Kind: aggregator.ListKuota},
					{Path: filepath.Join(gen, synth.DTSENFile), Kind: aggregator.ListDTSEN},
				}, inputs...)
			}
		}
		if _, err := aggregator.Run(ctx, aggregator.Options{Published: pub, Private: priv, Key: key, K: 10}, inputs); err != nil {
			t.Fatal(err)
		}
	}
	s, err := New(Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Published: pub, Press: press})
	if err != nil {
		t.Fatal(err)
	}
	return s, pub
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
