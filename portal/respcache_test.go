package portal

import (
	"bytes"
	"testing"

	"github.com/portal-data-bansos/portal/internal/testkit"
)

func TestCachedAPIAnswerIsTheSame(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	url := "/api/v1/datasets/penyaluran/rows?periode=2025-Q1&limit=50"
	first, second := testkit.Get(t, s, url), testkit.Get(t, s, url)
	if first.Code != 200 || !bytes.Equal(first.Body.Bytes(), second.Body.Bytes()) ||
		first.Header().Get("Link") != second.Header().Get("Link") || first.Header().Get("ETag") != second.Header().Get("ETag") {
		t.Error("the cached answer differs from the computed one")
	}
	if old := testkit.Get(t, s, url+"&release=1"); bytes.Equal(old.Body.Bytes(), first.Body.Bytes()) {
		t.Error("release 1 answered from release 2's cache entry")
	}
}
