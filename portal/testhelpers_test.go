package portal

import (
	"context"
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/portal-data-bansos/portal/internal/store"
	"github.com/portal-data-bansos/portal/internal/testkit"
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

// newTestServerWithRelease builds the real site over the release fixture
// with the target and DTSEN lists (internal/testkit), opened read-only and
// shared by every test that only reads.
func newTestServerWithRelease(t testing.TB) (*Server, *store.DB) {
	t.Helper()
	return newReleaseServer(t, true)
}

// newReleaseServer is newTestServerWithRelease, with or without the target
// and DTSEN lists, and with options. The releases are built once per test
// binary; the stores are opened read-only (a test that writes takes
// newWritableReleaseServer).
func newReleaseServer(t testing.TB, withTargets bool, options ...func(*Options)) (*Server, *store.DB) {
	t.Helper()
	pub, press := testkit.Fixture{WithTargets: withTargets}.OpenReadOnly(t)
	return newSite(t, pub, press, options...), pub
}

// newWritableReleaseServer is the site over its own copy of the release
// fixture, for tests that change the stores (sign in, post, edit a row).
func newWritableReleaseServer(t testing.TB) (*Server, *store.DB) {
	t.Helper()
	dir := t.TempDir()
	if err := (testkit.Fixture{WithTargets: true}).CopyStores(dir); err != nil {
		t.Fatal(err)
	}
	pub, _, press := openTestStores(t, dir)
	return newSite(t, pub, press), pub
}

func newSite(t testing.TB, pub, press *store.DB, options ...func(*Options)) *Server {
	t.Helper()
	o := Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Published: pub, Press: press}
	for _, f := range options {
		f(&o)
	}
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestMain(m *testing.M) {
	code := m.Run()
	testkit.Cleanup()
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
