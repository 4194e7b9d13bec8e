package pages

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/portal/charts"
)

var update = flag.Bool("update", false, "rewrite golden files")

// goldenRegion and goldenProgram are the region and programme whose
// charts the golden files hold.
const (
	goldenRegion  = "32"
	goldenProgram = "PKH"
)

// TestChartsGolden compares the ECharts option of every chart of the site,
// built from the generated release (deterministic per seed), with
// testdata/golden/<id>.json. go test ./portal -run TestChartsGolden -update
// rewrites them.
func TestChartsGolden(t *testing.T) {
	t.Parallel()
	s, _ := newTestServerWithRelease(t)
	ctx := context.Background()
	l := s.Cat.For(i18n.ID)
	rel, err := s.Latest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	per := rel.Periods[len(rel.Periods)-1]

	var all []charts.View
	home, err := s.quarterCharts(ctx, l, rel)
	if err != nil {
		t.Fatal(err)
	}
	all = append(all, home...)
	m, rank, err := s.provinceMap(ctx, l, rel, mapSelection{Program: "SEMBAKO", Measure: "penerima"})
	if err != nil || m == nil || rank == nil {
		t.Fatalf("province map: %v", err)
	}
	all = append(all, *m, *rank)

	kc, pc := regionChartsOf(t, s, rel, goldenRegion, regionFilter{Periode: per})
	all = append(all, kc, pc)

	perPeriod, err := s.Data.ProgramByQuarter(ctx, rel.Number, goldenProgram)
	if err != nil {
		t.Fatal(err)
	}
	prov, err := s.Data.PenyaluranCells(ctx, rel.Number, provinceCells(per, goldenProgram))
	if err != nil {
		t.Fatal(err)
	}
	pcs, err := programCharts(l, rel, goldenProgram, per, perPeriod, prov)
	if err != nil {
		t.Fatal(err)
	}
	all = append(all, pcs...)

	if len(all) != 9 {
		t.Fatalf("%d charts, want 9", len(all))
	}
	published := rel.PublishedAt.Format("2006-01-02")
	seen := map[string]bool{}
	for _, cv := range all {
		t.Run(cv.ID, func(t *testing.T) {
			if seen[cv.ID] {
				t.Fatalf("chart id %s twice", cv.ID)
			}
			seen[cv.ID] = true
			var got bytes.Buffer
			if err := json.Indent(&got, []byte(cv.Option), "", "  "); err != nil {
				t.Fatalf("option is not JSON: %v", err)
			}
			got.WriteByte('\n')
			// Only deterministic content: no release time in the option.
			if bytes.Contains(got.Bytes(), []byte(published)) {
				t.Fatalf("option contains the release date %s", published)
			}
			path := filepath.Join("testdata", "golden", cv.ID+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("option of %s differs from %s (run with -update if the change is intended):\n%s", cv.ID, path, firstDiff(string(want), got.String()))
			}
		})
	}
}

// firstDiff shows the first line where two texts differ.
func firstDiff(want, got string) string {
	wl, gl := bytes.Split([]byte(want), []byte("\n")), bytes.Split([]byte(got), []byte("\n"))
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g []byte
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if !bytes.Equal(w, g) {
			return fmt.Sprintf("line %d:\n  want: %s\n  got:  %s", i+1, w, g)
		}
	}
	return ""
}
