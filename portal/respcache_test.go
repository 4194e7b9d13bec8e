package portal

import (
	"bytes"
	"fmt"
	"testing"
)

func TestAnswerCacheEvicts(t *testing.T) {
	c := newAnswerCache(3, 1000)
	for i := 0; i < 5; i++ {
		c.put(&cachedAnswer{key: fmt.Sprint(i), body: make([]byte, 10)})
	}
	if _, ok := c.get("0"); ok {
		t.Error("oldest entry kept beyond the item bound")
	}
	if _, ok := c.get("4"); !ok {
		t.Error("newest entry missing")
	}
	c.get("2") // used: survives the next eviction
	c.put(&cachedAnswer{key: "5", body: make([]byte, 10)})
	if _, ok := c.get("2"); !ok {
		t.Error("recently used entry evicted")
	}
	c.put(&cachedAnswer{key: "big", body: make([]byte, 500)})
	if _, ok := c.get("big"); ok {
		t.Error("an answer larger than 1/16 of the budget was cached")
	}
	if c.bytes > c.maxBytes || c.ll.Len() > c.maxItems {
		t.Errorf("bounds broken: %d bytes, %d items", c.bytes, c.ll.Len())
	}
}

func TestCachedAPIAnswerIsTheSame(t *testing.T) {
	s, _ := newTestServerWithRelease(t)
	url := "/api/v1/datasets/penyaluran/rows?periode=2025-Q1&limit=50"
	first, second := get(t, s, url), get(t, s, url)
	if first.Code != 200 || !bytes.Equal(first.Body.Bytes(), second.Body.Bytes()) ||
		first.Header().Get("Link") != second.Header().Get("Link") || first.Header().Get("ETag") != second.Header().Get("ETag") {
		t.Error("the cached answer differs from the computed one")
	}
	if old := get(t, s, url+"&release=1"); bytes.Equal(old.Body.Bytes(), first.Body.Bytes()) {
		t.Error("release 1 answered from release 2's cache entry")
	}
}
