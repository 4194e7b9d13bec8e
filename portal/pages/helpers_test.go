package pages

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"net/http"
	"os"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/internal/published"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/internal/store"
	"github.com/portal-data-bansos/portal/internal/testkit"
	"github.com/portal-data-bansos/portal/portal/charts"
	"github.com/portal-data-bansos/portal/portal/download"
	"github.com/portal-data-bansos/portal/portal/news"
	"github.com/portal-data-bansos/portal/portal/web"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testkit.Cleanup()
	os.Exit(code)
}

// testServer is the pages surface behind the shared middleware a reader's
// request passes (language, compression, the error path), over real
// stores: a *Handler for tests that look inside, an http.Handler for
// those that ask as a reader does.
type testServer struct {
	*Handler
	engine *gin.Engine
}

func (s *testServer) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.engine.ServeHTTP(w, r) }

// newTestServerWithRelease serves the release fixture with the target and
// DTSEN lists (internal/testkit), opened read-only: the pages only read, so
// their tests share it and run in parallel.
func newTestServerWithRelease(t testing.TB) (*testServer, *store.DB) {
	t.Helper()
	pub, pr := testkit.Fixture{WithTargets: true}.OpenReadOnly(t)
	return serve(t, pub, pr), pub
}

// newTestServer serves empty stores: nothing published yet.
func newTestServer(t testing.TB) (*testServer, *store.DB) {
	t.Helper()
	pub, _, pr := testkit.OpenStores(t, t.TempDir())
	return serve(t, pub, pr), pub
}

func serve(t testing.TB, pub, pr *store.DB) *testServer {
	t.Helper()
	site, err := web.New(web.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Data: published.New(pub.R), Press: press.New(pr)})
	if err != nil {
		t.Fatal(err)
	}
	h := New(site, news.New(site, ""), false)
	e := gin.New()
	e.Use(site.Recovery(), site.Language(), site.SecurityHeaders(), web.Compress(), site.ErrorHandler())
	h.Routes(e)
	download.New(site, "").Routes(e) // pages link to their numbers' CSV
	e.GET("/static/*path", site.Static)
	e.NoRoute(func(c *gin.Context) { _ = c.Error(web.ErrNotFound) })
	return &testServer{Handler: h, engine: e}
}

func readCSV(t *testing.T, body []byte) [][]string {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	return recs
}

// regionChartsOf builds a region page's two charts (its children, its
// programmes) for the filter, as the page does.
func regionChartsOf(t *testing.T, s *testServer, rel release.Release, code string, fl regionFilter) (children, programs charts.View) {
	t.Helper()
	ctx := context.Background()
	reg, ok := region.Default().Lookup(code)
	if !ok {
		t.Fatalf("no region %s", code)
	}
	own, err := s.Data.PenyaluranCells(ctx, rel.Number, fl.cells(int(reg.Level), published.OneRegion(reg.Code)))
	if err != nil {
		t.Fatal(err)
	}
	kids, err := s.regionChildren(ctx, rel.Number, reg, fl)
	if err != nil {
		t.Fatal(err)
	}
	kc, pc, err := regionCharts(s.Cat.For(i18n.ID), rel, reg, fl, own, kids)
	if err != nil || kc == nil || pc == nil {
		t.Fatalf("region charts: %v", err)
	}
	return *kc, *pc
}
