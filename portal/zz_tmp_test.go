package portal

import (
	"os"
	"path/filepath"
	"testing"
)

func TestZZKeepFixture(t *testing.T) {
	src, err := releaseFixture(true)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(src, "published.db"))
	os.WriteFile("/tmp/fxpub.db", b, 0o644)
}
