package tanya

import (
	"strconv"
	"testing"
	"time"
)

func TestFormToken(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 3, 0, 0, 0, time.UTC)
	tok := newFormToken(now)
	if tok == newFormToken(now) {
		t.Fatal("two forms got the same token")
	}
	issued := strconv.FormatInt(now.Unix(), 10) + "."
	for _, tc := range []struct {
		name, field, cookie string
		at                  time.Time
		want                string
	}{
		{"fresh", tok, tok, now, ""},
		{"just before it expires", tok, tok, now.Add(csrfTTL), ""},
		{"expired", tok, tok, now.Add(csrfTTL + time.Second), tokenExpired},
		{"from the future", tok, tok, now.Add(-2 * time.Minute), tokenExpired},
		{"no field", "", tok, now, tokenMissing},
		{"no cookie", tok, "", now, tokenMissing},
		{"another form's", tok, newFormToken(now), now, tokenForged},
		{"a prefix", tok[:len(tok)-1], tok, now, tokenForged},
		{"no time", "abc", "abc", now, tokenForged},
		{"a bad time", "x" + tok, "x" + tok, now, tokenForged},
		{"an old time, forged", issued + "x", issued + "x", now.Add(time.Minute), ""},
	} {
		if got := checkFormToken(tc.field, tc.cookie, tc.at); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
