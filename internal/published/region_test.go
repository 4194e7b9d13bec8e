package published

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/bansos"
)

// The fixture's releases hold West Java (32) only; release 2 adds 2025-Q4.
const (
	fixtureRelease  = 2
	fixtureProvince = "32"
	fixtureQuarter  = "2025-Q4"
)

// text is a registry value as a string.
func text(v any) string {
	switch s := v.(type) {
	case string:
		return s
	case []byte:
		return string(s)
	case nil:
		return ""
	}
	panic("not a text value")
}

// isWithheld says a registry row is withheld (ditekan).
func isWithheld(row map[string]any) bool {
	switch v := row["ditekan"].(type) {
	case bool:
		return v
	case int64:
		return v == 1
	}
	panic("ditekan is not a boolean")
}

// checkCell holds a cell to its registry row: a withheld row is a
// withheld Sum of one row, every other measure its value or, where empty,
// withheld for that measure alone.
func checkCell(t *testing.T, what string, got Sum, row map[string]any) {
	t.Helper()
	if got.Rows != 1 {
		t.Errorf("%s: %d rows, want 1", what, got.Rows)
	}
	if isWithheld(row) {
		if !got.AllWithheld() {
			t.Errorf("%s: withheld row read as %+v", what, got)
		}
		return
	}
	for i, col := range penCols {
		want := measureOf(row[col])
		seen := got.Of(i)
		switch {
		case want == nil && !seen.AllWithheld():
			t.Errorf("%s: %s is empty, read as %d", what, col, got.V(i))
		case want != nil && (seen.AllWithheld() || got.V(i) != *want):
			t.Errorf("%s: %s = %d (withheld %v), want %d", what, col, got.V(i), seen.AllWithheld(), *want)
		}
	}
}

func TestPenyaluranCells(t *testing.T) {
	ctx := context.Background()
	r := fixtureReader(t)
	nation, err := r.PenyaluranCells(ctx, fixtureRelease, CellFilter{Period: fixtureQuarter})
	if err != nil {
		t.Fatal(err)
	}
	province, err := r.PenyaluranCells(ctx, fixtureRelease, CellFilter{Period: fixtureQuarter, Level: 1, Area: OneRegion(fixtureProvince)})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("the nation's cells are the registry's", func(t *testing.T) {
		rows := registryRows(t, r, "penyaluran", fixtureRelease, map[string][]string{
			"periode": {fixtureQuarter}, "tingkat": {"nasional"}, "komponen": {""}})
		if len(rows) < 5 || len(rows) != len(nation) {
			t.Fatalf("%d cells, registry %d rows", len(nation), len(rows))
		}
		withheld := 0
		for _, row := range rows {
			prog := text(row["program"])
			checkCell(t, prog, nation.At(prog, "", ""), row)
			if nation.At(prog, "", "").AllWithheld() {
				withheld++
			}
		}
		if withheld == 0 {
			t.Error("no withheld programme at the nation in the fixture: the test sees none")
		}
	})

	t.Run("one province: the nation", func(t *testing.T) {
		if len(province) != len(nation) {
			t.Fatalf("%d province cells, %d national", len(province), len(nation))
		}
		for _, prog := range bansos.ProgramCodes {
			if n, p := nation.At(prog, "", ""), province.At(prog, "", fixtureProvince); n != p {
				t.Errorf("%s: nation %+v, province %+v", prog, n, p)
			}
		}
		for k := range province {
			if k.Code != fixtureProvince || k.Component != "" {
				t.Errorf("province cell %+v", k)
			}
		}
	})

	t.Run("regencies sum to their province", func(t *testing.T) {
		kids, err := r.PenyaluranCells(ctx, fixtureRelease, CellFilter{Period: fixtureQuarter, Level: 2, Area: Within(fixtureProvince)})
		if err != nil {
			t.Fatal(err)
		}
		sums := map[string]Sum{}
		for k, a := range kids {
			if !strings.HasPrefix(k.Code, fixtureProvince+".") || strings.Count(k.Code, ".") != 1 || k.Component != "" {
				t.Errorf("regency cell %+v", k)
			}
			s := sums[k.Program]
			s.Add(a)
			sums[k.Program] = s
		}
		complete, partial := 0, 0
		for prog, s := range sums {
			for _, m := range []int{Penerima, Nominal} {
				parent := province.At(prog, "", fixtureProvince)
				if parent.Of(m).AllWithheld() {
					continue
				}
				switch seen := s.Of(m); {
				case seen.AllWithheld():
				case seen.Partial():
					partial++
					if s.V(m) > parent.V(m) {
						t.Errorf("%s, measure %d: regencies' partial sum %d above the province's %d", prog, m, s.V(m), parent.V(m))
					}
				default:
					complete++
					if s.V(m) != parent.V(m) {
						t.Errorf("%s, measure %d: regencies sum to %d, province %d", prog, m, s.V(m), parent.V(m))
					}
				}
			}
		}
		if complete == 0 || partial == 0 {
			t.Errorf("%d complete and %d partial sums: the fixture should have both", complete, partial)
		}
	})

	t.Run("every region of a level", func(t *testing.T) {
		all, err := r.PenyaluranCells(ctx, fixtureRelease, CellFilter{Period: fixtureQuarter, Level: 1, Area: Within(""), Program: "PKH"})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 1 || all.At("PKH", "", fixtureProvince) != province.At("PKH", "", fixtureProvince) {
			t.Errorf("PKH by province: %+v", all)
		}
	})

	t.Run("withheld districts", func(t *testing.T) {
		cells, err := r.PenyaluranCells(ctx, fixtureRelease, CellFilter{Period: fixtureQuarter, Level: 3, Area: Within(fixtureProvince), Program: "PKH"})
		if err != nil {
			t.Fatal(err)
		}
		rows := registryRows(t, r, "penyaluran", fixtureRelease, map[string][]string{
			"periode": {fixtureQuarter}, "program": {"PKH"}, "tingkat": {"kecamatan"}, "komponen": {""}})
		if len(rows) != len(cells) {
			t.Fatalf("%d cells, registry %d rows", len(cells), len(rows))
		}
		withheld := 0
		for _, row := range rows {
			code := text(row["kode_wilayah"])
			a := cells.At("PKH", "", code)
			checkCell(t, code, a, row)
			if isWithheld(row) {
				withheld++
				for i := range penCols {
					if a.V(i) != 0 {
						t.Errorf("%s: withheld cell has measure %d = %d", code, i, a.V(i))
					}
				}
			}
		}
		if withheld == 0 {
			t.Error("no withheld district in the fixture: the test sees none")
		}
	})

	t.Run("PKH components", func(t *testing.T) {
		comps, err := r.PenyaluranCells(ctx, fixtureRelease, CellFilter{Period: fixtureQuarter, Program: "PKH", AllComponents: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(comps) != len(bansos.ComponentCodes) {
			t.Errorf("%d components, want %d", len(comps), len(bansos.ComponentCodes))
		}
		var s Sum
		for k, a := range comps {
			if !slices.Contains(bansos.ComponentCodes, k.Component) || k.Program != "PKH" || k.Code != "" {
				t.Errorf("component cell %+v", k)
			}
			s.Add(a)
		}
		total := nation.At("PKH", "", "")
		if s.Of(Nominal).AllWithheld() || s.Of(Nominal).Partial() || total.Of(Nominal).AllWithheld() {
			t.Fatalf("PKH's rupiah withheld in the fixture: components %+v, total %+v", s, total)
		}
		if s.V(Nominal) != total.V(Nominal) {
			t.Errorf("components' rupiah %d, PKH total %d", s.V(Nominal), total.V(Nominal))
		}
		if s.V(Penerima) < total.V(Penerima) {
			t.Errorf("components' families %d below PKH's %d", s.V(Penerima), total.V(Penerima))
		}
		one, err := r.PenyaluranCells(ctx, fixtureRelease, CellFilter{Period: fixtureQuarter, Component: "SD"})
		if err != nil {
			t.Fatal(err)
		}
		if len(one) != 1 || one.At("PKH", "SD", "") != comps.At("PKH", "SD", "") {
			t.Errorf("component SD: %+v", one)
		}
	})

	t.Run("absent cell: a true zero", func(t *testing.T) {
		if a := nation.At("NOPE", "", ""); !a.None() {
			t.Errorf("absent cell %+v", a)
		}
	})
}

func TestRegionRejections(t *testing.T) {
	ctx := context.Background()
	r := fixtureReader(t)
	for _, tc := range []struct {
		code string
		lvl  int
	}{{"", 0}, {fixtureProvince, 1}} {
		got, err := r.RegionRejections(ctx, fixtureRelease, fixtureQuarter, tc.lvl, tc.code)
		if err != nil {
			t.Fatal(err)
		}
		rows := registryRows(t, r, "ketepatan-sasaran", fixtureRelease, map[string][]string{
			"periode": {fixtureQuarter}, "kode_wilayah": {tc.code}})
		if len(rows) == 0 || len(rows) != len(got) {
			t.Fatalf("region %q: %d cells, registry %d rows", tc.code, len(got), len(rows))
		}
		withheld, known := 0, 0
		for _, row := range rows {
			prog, why := text(row["program"]), text(row["alasan"])
			a := got.At(prog, why)
			want := measureOf(row["jumlah"])
			switch {
			case a.Rows != 1:
				t.Errorf("%q %s %s: %d rows", tc.code, prog, why, a.Rows)
			case want == nil:
				withheld++
				if !a.AllWithheld() {
					t.Errorf("%q %s %s: withheld, read as %+v", tc.code, prog, why, a)
				}
			default:
				known++
				if a.Of(Transaksi).AllWithheld() || a.V(Transaksi) != *want {
					t.Errorf("%q %s %s: %+v, want %d rejected", tc.code, prog, why, a, *want)
				}
			}
		}
		if withheld == 0 || known == 0 {
			t.Errorf("region %q: %d withheld and %d published rejections: the fixture should have both", tc.code, withheld, known)
		}
		if a := got.At("PKH", "NOPE"); !a.None() {
			t.Errorf("absent rejection %+v", a)
		}
	}
}
