package press

import (
	"strings"
	"sync"
	"time"
)

// Limiter counts failed logins per key (an account name, a client address)
// in a sliding window and refuses further attempts once a key has failed
// too often. It lives in memory: a restart forgets, which only helps the
// legitimate user who locked themselves out.
type Limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	fails  map[string][]time.Time
}

// NewLimiter allows max failures per key within window.
func NewLimiter(max int, window time.Duration) *Limiter {
	return &Limiter{max: max, window: window, fails: map[string][]time.Time{}}
}

func (l *Limiter) recent(key string, now time.Time) []time.Time {
	ts := l.fails[key]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= l.window {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fails, key)
		return nil
	}
	l.fails[key] = ts
	return ts
}

// Allowed reports whether key may try again now, and if not, when.
func (l *Limiter) Allowed(key string, now time.Time) (bool, time.Time) {
	key = strings.ToLower(key)
	l.mu.Lock()
	defer l.mu.Unlock()
	ts := l.recent(key, now)
	if len(ts) < l.max {
		return true, time.Time{}
	}
	return false, ts[0].Add(l.window)
}

// Fail records a failed attempt for key.
func (l *Limiter) Fail(key string, now time.Time) {
	key = strings.ToLower(key)
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.fails) > 100_000 { // a flood of made-up names must not exhaust memory
		for k := range l.fails {
			l.recent(k, now)
		}
	}
	l.fails[key] = append(l.recent(key, now), now)
}

// Reset forgets key's failures (after a successful login).
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, strings.ToLower(key))
}
