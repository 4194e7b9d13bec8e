package api

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/testkit"
)

// TestSpectralFindsNothing lints the OpenAPI document with Spectral's
// spectral:oas ruleset (npm @stoplight/spectral-cli, pinned in
// tools/openapi and installed by make test): no error and no warning.
func TestSpectralFindsNothing(t *testing.T) {
	t.Parallel()
	dir, err := filepath.Abs(filepath.Join("..", "..", "tools", "openapi"))
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "node_modules", ".bin", "spectral")
	if _, err := os.Stat(bin); err != nil {
		testkit.Need(t, "no Spectral (make test installs it: npm ci --prefix tools/openapi)")
	}
	doc, err := json.Marshal(openAPIDocument(dataset.All))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "openapi.json")
	if err := os.WriteFile(file, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "lint", "--quiet", "--fail-severity", "hint", "-r", filepath.Join(dir, ".spectral.yaml"), file).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "" {
		t.Errorf("spectral: %v\n%s", err, out)
	}
}
