package testkit

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// The house's layers, from the bottom: a package may import only packages
// of a lower layer (README, "How data flows"). Leaves know the domain's
// words and formats; stores and reference data sit on them; the dataset
// registry and the read model above; the aggregator and the site at the
// top, and the command over everything. A new package needs a line here.
var layers = map[string]int{
	"data":                 0,
	"public":               0,
	"internal/bansos":      0,
	"internal/civil":       0,
	"internal/csvread":     0,
	"internal/disclosure":  0,
	"internal/kip":         0,
	"internal/datadir":     1,
	"internal/i18n":        1,
	"internal/region":      1,
	"internal/search":      1,
	"internal/release":     3,
	"internal/store":       1,
	"internal/apperr":      2,
	"internal/attack":      2,
	"internal/synth":       2,
	"internal/backup":      2,
	"internal/dataset":     3,
	"internal/published":   4,
	"internal/press":       4,
	"aggregator":           5,
	"portal/web":           5,
	"portal/charts":        5,
	"portal/meta":          6,
	"portal/api":           6,
	"portal/news":          6,
	"portal/download":      7,
	"portal/pages":         7,
	"portal/admin":         7,
	"portal/tanya":         7,
	"portal":               8,
	"internal/testkit":     9, // tests only
	"scripts/genreference": 9,
	"cmd/portal":           10,
}

const module = "github.com/portal-data-bansos/portal/"

type pkg struct {
	ImportPath string
	Imports    []string
}

func listPackages(t *testing.T) []pkg {
	t.Helper()
	out, err := exec.Command("go", "list", "-json", module+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func TestImportsRunDownwards(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	for _, p := range listPackages(t) {
		name := strings.TrimPrefix(p.ImportPath, module)
		layer, ok := layers[name]
		if !ok {
			t.Errorf("package %s has no layer: add it to layers", name)
			continue
		}
		for _, imp := range p.Imports {
			if imp == "database/sql" && (name == "portal" || strings.HasPrefix(name, "portal/")) {
				t.Errorf("%s imports database/sql: its questions to a store belong in internal/published or the store's package", name)
			}
			dep, ours := strings.CutPrefix(imp, module)
			if !ours {
				continue
			}
			if dep == "internal/testkit" {
				t.Errorf("%s imports internal/testkit outside its tests", name)
			} else if l, ok := layers[dep]; ok && l >= layer {
				t.Errorf("%s (layer %d) imports %s (layer %d): imports run downwards only", name, layer, dep, l)
			}
		}
	}
}
