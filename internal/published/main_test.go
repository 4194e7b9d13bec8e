package published

import (
	"os"
	"testing"

	"github.com/portal-data-bansos/portal/internal/testkit"
)

// TestMain removes the release fixtures the tests built (internal/testkit).
func TestMain(m *testing.M) {
	code := m.Run()
	testkit.Cleanup()
	os.Exit(code)
}
