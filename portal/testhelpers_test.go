package portal

import (
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
	pub, _, press := testkit.OpenStores(t, t.TempDir())
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
	pub, _, press := testkit.OpenStores(t, dir)
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
