package portal

import (
	"container/list"
	"sync"
)

// answerCache keeps recent rendered answers that depend only on a release
// and a query. Releases never change, so an entry never goes stale; on the
// day a story breaks, thousands of readers ask the same few questions, and
// each is then answered without touching SQLite. Bounded by entries and
// bytes, least recently used out first.
type answerCache struct {
	mu       sync.Mutex
	ll       *list.List
	items    map[string]*list.Element
	bytes    int
	maxItems int
	maxBytes int
}

type cachedAnswer struct {
	key  string
	body []byte
	gz   []byte // body gzipped, when kept
	link string
}

func newAnswerCache(maxItems, maxBytes int) *answerCache {
	return &answerCache{ll: list.New(), items: map[string]*list.Element{}, maxItems: maxItems, maxBytes: maxBytes}
}

func (c *answerCache) get(key string) (*cachedAnswer, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.ll.MoveToFront(e)
		return e.Value.(*cachedAnswer), true
	}
	return nil, false
}

func (c *answerCache) put(a *cachedAnswer) {
	if len(a.body) > c.maxBytes/16 {
		return // a large answer would push out many small ones
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[a.key]; ok {
		return
	}
	c.items[a.key] = c.ll.PushFront(a)
	c.bytes += len(a.body) + len(a.gz)
	for c.ll.Len() > c.maxItems || c.bytes > c.maxBytes {
		e := c.ll.Back()
		old := e.Value.(*cachedAnswer)
		c.ll.Remove(e)
		delete(c.items, old.key)
		c.bytes -= len(old.body) + len(old.gz)
	}
}
