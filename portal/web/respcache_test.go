package web

import (
	"fmt"
	"testing"
)

func TestAnswerCacheEvicts(t *testing.T) {
	c := NewAnswerCache(3, 1000)
	for i := 0; i < 5; i++ {
		c.Put(&CachedAnswer{Key: fmt.Sprint(i), Body: make([]byte, 10)})
	}
	if _, ok := c.Get("0"); ok {
		t.Error("oldest entry kept beyond the item bound")
	}
	if _, ok := c.Get("4"); !ok {
		t.Error("newest entry missing")
	}
	c.Get("2") // used: survives the next eviction
	c.Put(&CachedAnswer{Key: "5", Body: make([]byte, 10)})
	if _, ok := c.Get("2"); !ok {
		t.Error("recently used entry evicted")
	}
	c.Put(&CachedAnswer{Key: "big", Body: make([]byte, 500)})
	if _, ok := c.Get("big"); ok {
		t.Error("an answer larger than 1/16 of the budget was cached")
	}
	if c.bytes > c.maxBytes || c.ll.Len() > c.maxItems {
		t.Errorf("bounds broken: %d bytes, %d items", c.bytes, c.ll.Len())
	}
}
