package published

import (
	"cmp"
	"context"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/dataset"
)

// The fixture's realisation and coverage quarter: release 2, with targets.
const realQuarter = "2025-Q3"

// registryRealisations reads realisasi through the dataset registry's own
// query, as a press release's figure does.
func registryRealisations(t *testing.T, r *Reader, filters map[string][]string) []Realisation {
	t.Helper()
	got, err := r.RealisationQuery(context.Background(), &dataset.Query{DS: dataset.Realisasi, Release: fixtureRelease, Filters: filters})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func byProgram(a, b Realisation) int {
	return cmp.Or(strings.Compare(a.Code, b.Code), strings.Compare(a.Program, b.Program))
}

func TestRealisations(t *testing.T) {
	ctx := context.Background()
	r := fixtureReader(t)
	nation, err := r.Realisations(ctx, fixtureRelease, realQuarter, 0, OneRegion(""), nil)
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(nation, byProgram)
	want := registryRealisations(t, r, map[string][]string{"periode": {realQuarter}, "kode_wilayah": {""}})
	if len(nation) < 4 || !reflect.DeepEqual(nation, want) {
		t.Fatalf("the nation's realisation:\n%+v\nthe registry's:\n%+v", nation, want)
	}
	withheld, targets := 0, 0
	for _, x := range nation {
		if x.Period != realQuarter || x.Level != "nasional" || x.Code != "" || x.Name != "Indonesia" {
			t.Errorf("row %+v", x)
		}
		switch {
		case x.Withheld:
			withheld++
			if x.Target != nil || x.Reached != nil || x.PctTarget != nil || x.Budget != nil || x.Rupiah != nil || x.PctBudget != nil {
				t.Errorf("%s: withheld row with a measure: %+v", x.Program, x)
			}
		case x.Target != nil && x.Reached != nil:
			targets++
			pct := math.Round(1000*float64(*x.Reached)/float64(*x.Target)) / 10
			if x.PctTarget == nil || *x.PctTarget != pct {
				t.Errorf("%s: %d of %d families reached, persen_kpm %v, want %v", x.Program, *x.Reached, *x.Target, x.PctTarget, pct)
			}
		}
	}
	if withheld == 0 || targets == 0 {
		t.Errorf("%d withheld rows and %d with a target: the fixture should have both", withheld, targets)
	}

	some, err := r.Realisations(ctx, fixtureRelease, realQuarter, 1, OneRegion(fixtureProvince), []string{"PKH", "SEMBAKO"})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(some, byProgram)
	want = registryRealisations(t, r, map[string][]string{"periode": {realQuarter}, "kode_wilayah": {fixtureProvince}, "program": {"PKH", "SEMBAKO"}})
	if len(some) != 2 || !reflect.DeepEqual(some, want) {
		t.Errorf("two programmes of the province: %+v, registry %+v", some, want)
	}
}

func TestLaggingRealisations(t *testing.T) {
	ctx := context.Background()
	r := fixtureReader(t)
	for _, progs := range [][]string{nil, {"PKH"}} {
		all, err := r.Realisations(ctx, fixtureRelease, realQuarter, 2, Within(fixtureProvince), progs)
		if err != nil {
			t.Fatal(err)
		}
		var want []Realisation
		for _, x := range all {
			if !strings.HasPrefix(x.Code, fixtureProvince+".") || x.Level != "kabupaten" {
				t.Errorf("regency row %+v", x)
			}
			if x.PctTarget != nil {
				want = append(want, x)
			}
		}
		slices.SortFunc(want, func(a, b Realisation) int {
			return cmp.Or(cmp.Compare(*a.PctTarget, *b.PctTarget), byProgram(a, b))
		})
		want = want[:min(5, len(want))]
		got, err := r.LaggingRealisations(ctx, fixtureRelease, realQuarter, 2, Within(fixtureProvince), progs, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 5 || !reflect.DeepEqual(got, want) {
			t.Errorf("programmes %v: the five furthest behind\n%+v\nwant\n%+v", progs, got, want)
		}
	}
	// The nation's children: every province.
	got, err := r.LaggingRealisations(ctx, fixtureRelease, realQuarter, 1, Within(""), nil, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 {
		t.Fatal("no province behind its target")
	}
	for _, x := range got {
		if x.Level != "provinsi" || x.PctTarget == nil {
			t.Errorf("lagging province %+v", x)
		}
	}
}

func TestRealisationSeries(t *testing.T) {
	ctx := context.Background()
	r := fixtureReader(t)
	got, err := r.RealisationSeries(ctx, fixtureRelease, "PKH")
	if err != nil {
		t.Fatal(err)
	}
	var periods []string
	for _, x := range got {
		periods = append(periods, x.Period)
		one, err := r.Realisations(ctx, fixtureRelease, x.Period, 0, OneRegion(""), []string{"PKH"})
		if err != nil {
			t.Fatal(err)
		}
		if len(one) != 1 || !reflect.DeepEqual(one[0], x) {
			t.Errorf("%s: %+v, the quarter's row %+v", x.Period, x, one)
		}
	}
	if !slices.IsSorted(periods) || len(periods) != 4 {
		t.Errorf("quarters %v", periods)
	}
}

func TestRealisationQueryOfAnotherDataset(t *testing.T) {
	r := fixtureReader(t)
	if _, err := r.RealisationQuery(context.Background(), &dataset.Query{DS: dataset.Penyaluran, Release: fixtureRelease}); err == nil {
		t.Error("a penyaluran query read as realisation")
	}
}

func TestCoverage(t *testing.T) {
	ctx := context.Background()
	r := fixtureReader(t)
	nation, err := r.Coverage(ctx, fixtureRelease, realQuarter, "SEMUA", 0, OneRegion(""))
	if err != nil {
		t.Fatal(err)
	}
	if len(nation) != 1 || nation[0].Code != "" || nation[0].Rows != 10 {
		t.Fatalf("the nation's coverage: %+v", nation)
	}
	c := nation[0]
	rows := registryRows(t, r, "cakupan-desil", fixtureRelease, map[string][]string{"periode": {realQuarter}, "program": {"SEMUA"}, "kode_wilayah": {""}})
	var fam14, pen14, pen510 int64
	withheld := 0
	for _, row := range rows {
		d := int(row["desil"].(int64))
		got := c.Deciles[d]
		if got.Decile != d || got.Withheld != isWithheld(row) {
			t.Errorf("decile %d: %+v", d, got)
		}
		if got.Withheld {
			withheld++
			continue
		}
		fam, pen := measureOf(row["keluarga_dtsen"]), measureOf(row["penerima"])
		if fam == nil || pen == nil || got.Families != *fam || got.Recipients != *pen {
			t.Errorf("decile %d: %+v, want %s families, %s recipients", d, got, show(fam), show(pen))
			continue
		}
		if d <= 4 {
			fam14, pen14 = fam14+*fam, pen14+*pen
		} else {
			pen510 += *pen
		}
	}
	if withheld != c.Withheld14+c.Withheld510 || withheld == 0 {
		t.Errorf("%d withheld deciles, counted %d + %d", withheld, c.Withheld14, c.Withheld510)
	}
	if c.Families14 != fam14 || c.Recipients14 != pen14 || c.Recipients510 != pen510 {
		t.Errorf("sums %d, %d, %d; want %d, %d, %d", c.Families14, c.Recipients14, c.Recipients510, fam14, pen14, pen510)
	}
	if pct, ok := c.Pct14(); !ok || pct != 100*float64(pen14)/float64(fam14) || !c.Known() {
		t.Errorf("coverage of deciles 1–4: %v, %v", pct, ok)
	}

	// The regencies of the province, in code order; and every regency.
	kids, err := r.Coverage(ctx, fixtureRelease, realQuarter, "SEMUA", 2, Within(fixtureProvince))
	if err != nil {
		t.Fatal(err)
	}
	if len(kids) == 0 || !slices.IsSortedFunc(kids, func(a, b Coverage) int { return strings.Compare(a.Code, b.Code) }) {
		t.Fatalf("%d regencies, out of order", len(kids))
	}
	for _, k := range kids {
		n := 0
		for _, d := range k.Deciles {
			if d.Withheld {
				n++
			}
		}
		if !strings.HasPrefix(k.Code, fixtureProvince+".") || k.Rows > 10 || n != k.Withheld14+k.Withheld510 {
			t.Errorf("regency %s: %d rows, %d withheld deciles, counted %d + %d", k.Code, k.Rows, n, k.Withheld14, k.Withheld510)
		}
		if _, ok := k.Pct14(); ok != (k.Withheld14 == 0 && k.Families14 > 0) || k.Known() != (k.Withheld14 == 0) {
			t.Errorf("regency %s: coverage known %v with %d withheld deciles 1–4 and %d DTSEN families", k.Code, ok, k.Withheld14, k.Families14)
		}
	}
	every, err := r.Coverage(ctx, fixtureRelease, realQuarter, "SEMUA", 2, Within(""))
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, k := range every {
		total += k.Rows
	}
	all := registryRows(t, r, "cakupan-desil", fixtureRelease, map[string][]string{"periode": {realQuarter}, "program": {"SEMUA"}, "tingkat": {"kabupaten"}})
	if len(every) <= len(kids) || total != len(all) {
		t.Errorf("every regency: %d regions, %d rows; registry %d rows", len(every), total, len(all))
	}
	if none, err := r.Coverage(ctx, fixtureRelease, realQuarter, "SEMUA", 2, OneRegion("99.99")); err != nil || len(none) != 0 {
		t.Errorf("a region without rows: %+v, %v", none, err)
	}
}
