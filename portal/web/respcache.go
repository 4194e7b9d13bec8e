package web

import (
	"container/list"
	"sync"
)

// AnswerCache keeps recent rendered answers that depend only on a release
// and a query. Releases never change, so an entry never goes stale; on the
// day a story breaks, thousands of readers ask the same few questions, and
// each is then answered without touching SQLite. Bounded by entries and
// bytes, least recently used out first.
type AnswerCache struct {
	mu       sync.Mutex
	ll       *list.List
	items    map[string]*list.Element
	bytes    int
	maxItems int
	maxBytes int
}

// CachedAnswer is one kept answer: its key, body, the body gzipped (when
// kept) and the Link header it was sent with.
type CachedAnswer struct {
	Key  string
	Body []byte
	GZ   []byte
	Link string
	// Validators and lifetime of a cached page, as its render set them.
	ETag, LastModified, CacheControl string
}

// NewAnswerCache keeps at most maxItems answers and maxBytes bytes.
func NewAnswerCache(maxItems, maxBytes int) *AnswerCache {
	return &AnswerCache{ll: list.New(), items: map[string]*list.Element{}, maxItems: maxItems, maxBytes: maxBytes}
}

func (c *AnswerCache) Get(key string) (*CachedAnswer, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.ll.MoveToFront(e)
		return e.Value.(*CachedAnswer), true
	}
	return nil, false
}

func (c *AnswerCache) Put(a *CachedAnswer) {
	if len(a.Body) > c.maxBytes/16 {
		return // a large answer would push out many small ones
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[a.Key]; ok {
		return
	}
	c.items[a.Key] = c.ll.PushFront(a)
	c.bytes += len(a.Body) + len(a.GZ)
	for c.ll.Len() > c.maxItems || c.bytes > c.maxBytes {
		e := c.ll.Back()
		old := e.Value.(*CachedAnswer)
		c.ll.Remove(e)
		delete(c.items, old.Key)
		c.bytes -= len(old.Body) + len(old.GZ)
	}
}
