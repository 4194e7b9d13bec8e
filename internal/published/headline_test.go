package published

import (
	"context"
	"reflect"
	"slices"
	"testing"
)

func TestNationalRejections(t *testing.T) {
	ctx := context.Background()
	r := fixtureReader(t)
	got, err := r.NationalRejections(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := registryRows(t, r, "ketepatan-sasaran", 2, map[string][]string{"tingkat": {"nasional"}})
	if len(got) != len(want) || len(got) == 0 {
		t.Fatalf("%d national rejection cells, the registry has %d", len(got), len(want))
	}
	type key struct{ per, prog, reason string }
	byKey := map[key]Measure{}
	for _, w := range want {
		byKey[key{w["periode"].(string), w["program"].(string), w["alasan"].(string)}] = measureOf(w["jumlah"])
	}
	var published, withheld int
	var semua bool
	for i, x := range got {
		if i > 0 && x.Period < got[i-1].Period {
			t.Errorf("%s after %s", x.Period, got[i-1].Period)
		}
		w, ok := byKey[key{x.Period, x.Program, x.Reason}]
		if !ok || !reflect.DeepEqual(x.Count, w) {
			t.Errorf("%s %s %s: %s, the registry says %s (present: %v)", x.Period, x.Program, x.Reason, show(x.Count), show(w), ok)
		}
		if !slices.Contains([]string{"ASN", "DECEASED", "DOUBLE"}, x.Reason) {
			t.Errorf("reason %q", x.Reason)
		}
		if x.Count == nil {
			withheld++
		} else {
			published++
		}
		semua = semua || x.Program == "SEMUA"
	}
	if published == 0 || withheld == 0 || !semua {
		t.Errorf("%d published and %d withheld cells, all programmes together: %v", published, withheld, semua)
	}
	// Release 1 has no fourth quarter.
	old, err := r.NationalRejections(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range old {
		if x.Period == "2025-Q4" {
			t.Fatalf("release 1 has a rejection in %s", x.Period)
		}
	}
	if len(old) == 0 || len(old) >= len(got) {
		t.Errorf("release 1: %d cells, release 2: %d", len(old), len(got))
	}
}

func TestNationalDeciles(t *testing.T) {
	ctx := context.Background()
	r := fixtureReader(t)
	got, err := r.NationalDeciles(ctx, 2, "2025-Q4")
	if err != nil {
		t.Fatal(err)
	}
	want := registryRows(t, r, "penyaluran-demografi", 2, map[string][]string{"tingkat": {"nasional"}, "periode": {"2025-Q4"}, "dimensi": {"desil"}})
	if len(got) != len(want) || len(got) < 20 {
		t.Fatalf("%d national decile cells, the registry has %d", len(got), len(want))
	}
	type key struct{ prog, decile string }
	byKey := map[key]Measure{}
	for _, w := range want {
		byKey[key{w["program"].(string), w["kategori"].(string)}] = measureOf(w["penerima"])
	}
	order := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "tidak_diketahui"}
	var low, all int64
	for i, d := range got {
		w, ok := byKey[key{d.Program, d.Decile}]
		if !ok || !reflect.DeepEqual(d.Families, w) {
			t.Errorf("%s decile %s: %s, the registry says %s (present: %v)", d.Program, d.Decile, show(d.Families), show(w), ok)
		}
		if i > 0 && d.Program == got[i-1].Program && slices.Index(order, d.Decile) <= slices.Index(order, got[i-1].Decile) {
			t.Errorf("%s: decile %s after %s", d.Program, d.Decile, got[i-1].Decile)
		}
		if d.Families != nil {
			all += *d.Families
			if slices.Index(order, d.Decile) < 4 {
				low += *d.Families
			}
		}
	}
	// DTSEN's target group, deciles 1–4, holds most recipients.
	if all == 0 || 2*low < all {
		t.Errorf("deciles 1–4 hold %d of %d families", low, all)
	}
	if none, err := r.NationalDeciles(ctx, 1, "2025-Q4"); err != nil || len(none) != 0 {
		t.Errorf("release 1, 2025-Q4: %d cells, %v; want none", len(none), err)
	}
}

func TestQuarantined(t *testing.T) {
	ctx := context.Background()
	r := fixtureReader(t)
	rel, err := r.Release(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range rel.Periods {
		got, err := r.Quarantined(ctx, 2, q)
		if err != nil {
			t.Fatal(err)
		}
		var want, moved int64
		for _, w := range registryRows(t, r, "kualitas-data", 2, map[string][]string{"periode": {q}}) {
			n, ok := w["jumlah"].(int64)
			switch {
			case !ok:
			case w["alasan"] == "MOVED" || w["alasan"] == "REPLAYED":
				moved += n
			default:
				want += n
			}
		}
		// Rows moved to another quarter or replayed are not faults.
		if got != want || got == 0 || moved == 0 {
			t.Errorf("%s: %d rows quarantined, the registry says %d (and %d moved or replayed)", q, got, want, moved)
		}
	}
	if n, err := r.Quarantined(ctx, 2, "2030-Q1"); err != nil || n != 0 {
		t.Errorf("2030-Q1: %d, %v; want 0", n, err)
	}
}

// The national total of a reason is the SEMUA row where it is published,
// never SEMUA plus the programmes (which counted every rejection twice).
func TestNationalRejectionTotals(t *testing.T) {
	ctx := context.Background()
	r := fixtureReader(t)
	cells, err := r.NationalRejections(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.NationalRejectionTotals(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ per, reason string }
	semua := map[key]Measure{}
	progs := map[key][]Measure{}
	for _, x := range cells {
		k := key{x.Period, x.Reason}
		if x.Program == "SEMUA" {
			semua[k] = x.Count
		} else {
			progs[k] = append(progs[k], x.Count)
		}
	}
	if len(got) != len(progs) {
		t.Fatalf("%d totals for %d quarter and reason pairs", len(got), len(progs))
	}
	var both, exact int
	for i, x := range got {
		k := key{x.Period, x.Reason}
		if i > 0 && (x.Period < got[i-1].Period || x.Period == got[i-1].Period && x.Reason <= got[i-1].Reason) {
			t.Errorf("%v after %v", k, got[i-1])
		}
		var sum int64
		partial := false
		for _, n := range progs[k] {
			if n == nil {
				partial = true
			} else {
				sum += *n
			}
		}
		if s := semua[k]; s != nil {
			if x.Count != *s || x.Partial {
				t.Errorf("%v: total %d (partial %v), SEMUA says %d", k, x.Count, x.Partial, *s)
			}
			if sum > 0 {
				both++
			}
			if !partial && sum != *s {
				t.Errorf("%v: the programmes add up to %d, SEMUA is %d", k, sum, *s)
			}
			if !partial {
				exact++
			}
			continue
		}
		if x.Count != sum || x.Partial != partial {
			t.Errorf("%v: total %d (partial %v), the programmes give %d (partial %v)", k, x.Count, x.Partial, sum, partial)
		}
	}
	// The fixture withholds some programme beside every published total
	// (exact is 0 here); a case of SEMUA beside published programme
	// counts is what the double count got wrong.
	if both == 0 {
		t.Errorf("the fixture has no total published beside published programme counts (%d fully published)", exact)
	}
}
