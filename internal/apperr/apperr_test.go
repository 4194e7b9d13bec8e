package apperr

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/portal-data-bansos/portal/internal/i18n"
)

func TestFrom(t *testing.T) {
	notFound := &Error{Kind: NotFound}
	for _, c := range []struct {
		name   string
		err    error
		status int
		code   string
	}{
		{"plain error", io.ErrUnexpectedEOF, http.StatusInternalServerError, "internal"},
		{"wrapped app error", fmt.Errorf("reading: %w", Invalidf("bad_value", "x %d", "x %d", 1)), http.StatusBadRequest, "bad_value"},
		{"sentinel", notFound, http.StatusNotFound, "not_found"},
		{"field", FieldError("title", "invalid.required"), http.StatusBadRequest, "invalid"},
		{"unavailable", New(Unavailable, "no_release", i18n.Text{ID: "belum ada", EN: "none yet"}), http.StatusServiceUnavailable, "no_release"},
		{"too many", &Error{Kind: TooManyRequests}, http.StatusTooManyRequests, "rate_limited"},
		{"unknown kind", &Error{Kind: Kind(200)}, http.StatusInternalServerError, "internal"},
	} {
		e := From(c.err)
		if got := e.Kind.Status(); got != c.status {
			t.Errorf("%s: status %d, want %d", c.name, got, c.status)
		}
		if got := e.CodeOrDefault(); got != c.code {
			t.Errorf("%s: code %q, want %q", c.name, got, c.code)
		}
	}
	if From(nil) != nil {
		t.Error("From(nil) is not nil")
	}
}

func TestIsAndWrap(t *testing.T) {
	sentinel := &Error{Kind: NotFound, Code: "unknown_release"}
	cause := errors.New("sql: no rows")
	w := sentinel.Wrap(cause)
	if !errors.Is(w, sentinel) || !errors.Is(w, cause) {
		t.Error("a wrapped sentinel no longer matches the sentinel and its cause")
	}
	if errors.Is(&Error{Kind: NotFound}, sentinel) {
		t.Error("errors of one kind but different codes match")
	}
	if sentinel.Err != nil {
		t.Error("Wrap changed the sentinel")
	}
	if got := w.Error(); got != "unknown_release: Not Found: sql: no rows" {
		t.Errorf("Error() = %q", got)
	}
	if got := FieldError("title", "no.such.key").Error(); got != "invalid: title: no.such.key" {
		t.Errorf("Error() = %q", got)
	}
	// A catalogue message reads in English in logs.
	if got := (&Error{Kind: Unavailable, Code: "no_release", Key: "error.no_release"}).Error(); got != "no_release: no data release has been published yet" {
		t.Errorf("Error() = %q", got)
	}
}
