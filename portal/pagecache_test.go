package portal

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// TestCachedPageRendersOnceUnderABurst: readers who find a page's cache
// cold at the same moment wait for one render and get its copy, instead
// of rendering the page once each.
func TestCachedPageRendersOnceUnderABurst(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	var renders atomic.Int32
	release := make(chan struct{})
	h := s.CachedPage(func(c *gin.Context) {
		renders.Add(1)
		<-release // hold the render until every reader has arrived
		c.Data(http.StatusOK, "text/html; charset=utf-8", []byte("<p>halaman</p>"))
	})
	r := gin.New()
	r.GET("/p", h)
	const readers = 40
	var wg sync.WaitGroup
	bodies := make([]string, readers)
	for i := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/p", nil))
			bodies[i] = rec.Body.String()
		}()
	}
	time.Sleep(200 * time.Millisecond) // let the readers queue behind the render
	close(release)
	wg.Wait()
	if n := renders.Load(); n != 1 {
		t.Errorf("%d renders for %d readers at once, want 1", n, readers)
	}
	for i, b := range bodies {
		if b != "<p>halaman</p>" {
			t.Fatalf("reader %d got %q", i, b)
		}
	}
}
