package web

import (
	"fmt"
	"testing"
	"time"
)

func TestClientKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"192.0.2.7", "192.0.2.7"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"},
		{"not-an-ip", "not-an-ip"},
	}
	for _, tt := range tests {
		if got := ClientKey(tt.in); got != tt.want {
			t.Errorf("ClientKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Idle addresses are forgotten: the limiter's memory does not grow with
// every address ever seen.
func TestLimiterForgetsIdleClients(t *testing.T) {
	clk := time.Unix(1_700_000_000, 0)
	l := newLimiter(RateLimit{PerSecond: 2, Burst: 1}, func() time.Time { return clk })
	for i := range 50 {
		l.allow(fmt.Sprintf("198.51.100.%d", i))
	}
	if n := l.size(); n != 50 {
		t.Fatalf("limiter remembers %d addresses, want 50", n)
	}
	clk = clk.Add(limiterIdle + time.Minute)
	l.allow("203.0.113.9")
	if n := l.size(); n != 1 {
		t.Errorf("limiter remembers %d addresses after they went idle, want 1", n)
	}
}
