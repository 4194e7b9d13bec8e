package published

import (
	"context"
	"maps"
	"slices"
	"testing"
)

func TestProgramByQuarter(t *testing.T) {
	ctx := context.Background()
	r := fixtureReader(t)
	for rel, periods := range map[int][]string{
		1: {"2025-Q1", "2025-Q2", "2025-Q3"},
		2: {"2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"},
	} {
		for _, prog := range []string{"PKH", "SEMBAKO"} {
			got, err := r.ProgramByQuarter(ctx, rel, prog)
			if err != nil {
				t.Fatal(err)
			}
			if q := slices.Sorted(maps.Keys(got)); !slices.Equal(q, periods) {
				t.Errorf("release %d, %s: quarters %v, want %v", rel, prog, q, periods)
			}
			for _, per := range periods {
				nation, err := r.PenyaluranCells(ctx, rel, CellFilter{Period: per, Program: prog})
				if err != nil {
					t.Fatal(err)
				}
				if want := nation.At(prog, "", ""); got[per] != want || want.None() {
					t.Errorf("release %d, %s, %s: %+v, the nation's cell %+v", rel, prog, per, got[per], want)
				}
			}
		}
	}
	if got, err := r.ProgramByQuarter(ctx, 2, "NOPE"); err != nil || len(got) != 0 {
		t.Errorf("unknown programme: %v, %v", got, err)
	}
}

func TestProgramDemography(t *testing.T) {
	ctx := context.Background()
	r := fixtureReader(t)
	dims := []string{"jenis_kelamin", "kelompok_umur", "desil", "penyalur"}
	for _, prog := range []string{"PKH", "ATENSI"} {
		got, err := r.ProgramDemography(ctx, fixtureRelease, fixtureQuarter, prog)
		if err != nil {
			t.Fatal(err)
		}
		nation, err := r.PenyaluranCells(ctx, fixtureRelease, CellFilter{Period: fixtureQuarter, Program: prog})
		if err != nil {
			t.Fatal(err)
		}
		total := nation.At(prog, "", "")
		// Every category, dimension by dimension in page order.
		var order []string
		byDim := map[string]Sum{}
		cells := map[[2]string]Sum{}
		for _, c := range got {
			if len(order) == 0 || order[len(order)-1] != c.Dimension {
				order = append(order, c.Dimension)
			}
			s := byDim[c.Dimension]
			s.Add(c.Sum)
			byDim[c.Dimension] = s
			cells[[2]string{c.Dimension, c.Category}] = c.Sum
		}
		if !slices.Equal(order, dims) || len(got) != 23 {
			t.Fatalf("%s: %d categories in dimensions %v", prog, len(got), order)
		}
		// The categories of a dimension sum to the programme's families
		// where none is withheld (docs/disclosure.md).
		complete := 0
		for _, d := range dims {
			s := byDim[d]
			switch {
			case s.AllWithheld():
			case s.Partial():
				if s.V(Penerima) > total.V(Penerima) {
					t.Errorf("%s %s: partial sum %d above the programme's %d families", prog, d, s.V(Penerima), total.V(Penerima))
				}
			default:
				complete++
				if s.V(Penerima) != total.V(Penerima) {
					t.Errorf("%s %s: categories sum to %d families, the programme has %d", prog, d, s.V(Penerima), total.V(Penerima))
				}
			}
		}
		if prog == "PKH" && complete == 0 {
			t.Errorf("PKH: no dimension without a withheld category in the fixture")
		}
		// Each category is the registry's: withheld, a count, or absent
		// (no family: a true zero).
		rows := registryRows(t, r, "penyaluran-demografi", fixtureRelease, map[string][]string{
			"periode": {fixtureQuarter}, "program": {prog}, "kode_wilayah": {""}})
		seen := map[[2]string]bool{}
		withheld := 0
		for _, row := range rows {
			k := [2]string{text(row["dimensi"]), text(row["kategori"])}
			seen[k] = true
			c := cells[k]
			if want := measureOf(row["penerima"]); isWithheld(row) {
				withheld++
				if !c.AllWithheld() || c.Rows != 1 {
					t.Errorf("%s %v: withheld, read as %+v", prog, k, c)
				}
			} else if want == nil || c.V(Penerima) != *want || c.Rows != 1 || c.Withheld != 0 {
				t.Errorf("%s %v: %+v, want %s families", prog, k, c, show(want))
			}
		}
		for k, c := range cells {
			if !seen[k] && !c.None() {
				t.Errorf("%s %v: no row, read as %+v", prog, k, c)
			}
		}
		if prog == "ATENSI" && withheld == 0 {
			t.Errorf("ATENSI: no withheld category in the fixture")
		}
	}
	// A quarter the release does not hold: every category a true zero.
	got, err := r.ProgramDemography(ctx, 1, fixtureQuarter, "PKH")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range got {
		if !c.Sum.None() {
			t.Errorf("release 1 has no %s, yet %s %s is %+v", fixtureQuarter, c.Dimension, c.Category, c.Sum)
		}
	}
	if len(got) != 23 {
		t.Errorf("%d categories", len(got))
	}
}
