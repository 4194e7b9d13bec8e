package bansos

import (
	"slices"
	"testing"
	"time"
)

func TestLevels(t *testing.T) {
	for _, c := range []struct{ name, child, parent string }{
		{"nasional", "provinsi", ""},
		{"provinsi", "kabupaten", "nasional"},
		{"kabupaten", "kecamatan", "provinsi"},
		{"kecamatan", "", "kabupaten"},
		{"desa", "", ""}, // not a published level
		{"", "", ""},
	} {
		if got := ChildLevel(c.name); got != c.child {
			t.Errorf("ChildLevel(%q) = %q, want %q", c.name, got, c.child)
		}
		if got := ParentLevel(c.name); got != c.parent {
			t.Errorf("ParentLevel(%q) = %q, want %q", c.name, got, c.parent)
		}
	}
	if !slices.Equal(LevelCodes, []string{"nasional", "provinsi", "kabupaten", "kecamatan"}) {
		t.Errorf("LevelCodes = %v", LevelCodes)
	}
}

// The publication order: protection, rehabilitation, empowerment.
func TestProgrammeOrder(t *testing.T) {
	want := []string{"PKH", "SEMBAKO", "BLT", "PBI_JK", "ATENSI", "PENA"}
	if !slices.Equal(ProgramCodes, want) {
		t.Errorf("ProgramCodes = %v, want %v", ProgramCodes, want)
	}
	for i, p := range Programs() {
		if p.String() != want[i] {
			t.Errorf("Programs()[%d] = %v, want %s", i, p, want[i])
		}
	}
	if len(ComponentCodes) != int(NumComponents)-1 || ComponentCodes[0] != "IBU_HAMIL" {
		t.Errorf("ComponentCodes = %v", ComponentCodes)
	}
}

func TestWIB(t *testing.T) {
	if _, off := time.Date(2026, 7, 1, 0, 0, 0, 0, WIB).Zone(); off != 7*3600 {
		t.Errorf("WIB offset %d s, want 25200", off)
	}
}
