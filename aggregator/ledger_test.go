package aggregator

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/disclosure"
)

// TestPublicRunError: the public ledger never carries a disclosure
// error's true counts or a panic's text.
func TestPublicRunError(t *testing.T) {
	for _, tc := range []struct {
		err    error
		secret string
	}{
		{fmt.Errorf("disclosure control of 2025-Q3: %w (penyaluran PKH kecamatan 32.05.17 = 4)", &disclosure.FailError{Requirement: 3, Value: 4}), "32.05.17"},
		{fmt.Errorf("disclosure control of 2025-Q3: %w", fmt.Errorf("%w: constraint 5219 (ketepatan = 23)", disclosure.ErrInvalid)), "5219"},
		{errors.New("panic: runtime error: index out of range [7] with length 3"), "index"},
	} {
		got := publicRunError(tc.err)
		if strings.Contains(got, tc.secret) || strings.ContainsAny(got, "0123456789") {
			t.Errorf("public text of %q: %q", tc.err, got)
		}
	}
	if got := publicRunError(errors.New("inbox/penyaluran.csv: line 1: header lacks nik")); !strings.Contains(got, "line 1") {
		t.Errorf("an input error loses its place: %q", got)
	}
}
