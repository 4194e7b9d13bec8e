package web

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// An expensive request waits for a free work slot; a page does not.
func TestExpensiveSharesTheCores(t *testing.T) {
	s := &Site{work: make(chan struct{}, 1)}
	release := make(chan struct{})
	started := make(chan string, 4)
	e := gin.New()
	e.Use(s.Expensive())
	e.GET("/api/v1/slow", func(c *gin.Context) {
		started <- c.Query("n")
		<-release
		c.Status(http.StatusOK)
	})
	e.GET("/wilayah/32", func(c *gin.Context) { c.Status(http.StatusOK) })
	get := func(u string) chan int {
		done := make(chan int, 1)
		go func() {
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, u, nil))
			done <- rec.Code
		}()
		return done
	}
	first := get("/api/v1/slow?n=1")
	if n := <-started; n != "1" {
		t.Fatalf("started %s", n)
	}
	second := get("/api/v1/slow?n=2")
	// The page runs while the only slot is held.
	select {
	case code := <-get("/wilayah/32"):
		if code != http.StatusOK {
			t.Errorf("page: %d", code)
		}
	case <-time.After(time.Second):
		t.Fatal("a page waited for the expensive work slot")
	}
	select {
	case n := <-started:
		t.Fatalf("request %s started while the slot was held", n)
	case <-time.After(200 * time.Millisecond):
	}
	release <- struct{}{} // the first finishes, the second takes the slot
	if code := <-first; code != http.StatusOK {
		t.Errorf("first: %d", code)
	}
	select {
	case n := <-started:
		if n != "2" {
			t.Errorf("started %s", n)
		}
	case <-time.After(time.Second):
		t.Fatal("the waiting request did not start when the slot came free")
	}
	close(release)
	if code := <-second; code != http.StatusOK {
		t.Errorf("second: %d", code)
	}
}

// While an aggregation runs, expensive requests share fewer slots.
func TestExpensiveSharesFewerCoresWhileAggregating(t *testing.T) {
	var busy atomic.Bool
	s := &Site{work: make(chan struct{}, 2), workBusy: make(chan struct{}, 1), aggregating: busy.Load}
	started := make(chan struct{}, 4)
	engine := func(hold chan struct{}) *gin.Engine {
		e := gin.New()
		e.Use(s.Expensive())
		e.GET("/api/v1/slow", func(c *gin.Context) { started <- struct{}{}; <-hold })
		return e
	}
	run := func(e *gin.Engine) {
		go e.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/api/v1/slow", nil))
	}
	wantStarts := func(n int, what string) {
		t.Helper()
		for i := 0; i < n; i++ {
			select {
			case <-started:
			case <-time.After(time.Second):
				t.Fatalf("%s: only %d of %d started", what, i, n)
			}
		}
		select {
		case <-started:
			t.Fatalf("%s: more than %d started", what, n)
		case <-time.After(200 * time.Millisecond):
		}
	}
	hold := make(chan struct{})
	idle := engine(hold)
	run(idle)
	run(idle)
	run(idle)
	wantStarts(2, "idle: two slots")
	close(hold)
	wantStarts(1, "the third, once a slot is free")

	busy.Store(true)
	hold = make(chan struct{})
	aggregating := engine(hold)
	run(aggregating)
	run(aggregating)
	wantStarts(1, "aggregating: one slot")
	close(hold)
	wantStarts(1, "the second, once the slot is free")
}
