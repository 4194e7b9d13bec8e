package published

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/portal-data-bansos/portal/internal/dataset"
)

// registryRows reads a dataset's rows in a release through the dataset
// registry (the download path), each as column → value: what the
// questions of this package are checked against.
func registryRows(t *testing.T, r *Reader, slug string, rel int, filters map[string][]string) []map[string]any {
	t.Helper()
	ds, ok := dataset.Get(slug)
	if !ok {
		t.Fatalf("no dataset %s", slug)
	}
	rows, err := r.Rows(context.Background(), &dataset.Query{DS: ds, Release: rel, Filters: filters})
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []map[string]any
	for rows.Next() {
		m := map[string]any{}
		for i, v := range rows.Values() {
			m[ds.Columns[i].Name] = v
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// measureOf is a registry value as a Measure.
func measureOf(v any) Measure {
	if v == nil {
		return nil
	}
	n := v.(int64)
	return &n
}

// show prints a Measure for a failure message.
func show(m Measure) string {
	if m == nil {
		return "withheld"
	}
	return fmt.Sprint(*m)
}

func TestNationalSeries(t *testing.T) {
	ctx := context.Background()
	r := fixtureReader(t)
	for _, rel := range []int{1, 2} {
		got, err := r.NationalSeries(ctx, rel)
		if err != nil {
			t.Fatal(err)
		}
		want := registryRows(t, r, "penyaluran", rel, map[string][]string{"tingkat": {"nasional"}, "komponen": {""}})
		if len(got) != len(want) || len(got) < 10 {
			t.Fatalf("release %d: %d national cells, the registry has %d", rel, len(got), len(want))
		}
		byKey := map[string]map[string]any{}
		for _, w := range want {
			byKey[w["periode"].(string)+" "+w["program"].(string)] = w
		}
		var periods []string
		withheld := 0
		for i, p := range got {
			if i > 0 && (p.Period < got[i-1].Period || p.Period == got[i-1].Period && p.Program <= got[i-1].Program) {
				t.Errorf("release %d: %s %s after %s %s", rel, p.Period, p.Program, got[i-1].Period, got[i-1].Program)
			}
			if !slices.Contains(periods, p.Period) {
				periods = append(periods, p.Period)
			}
			w, ok := byKey[p.Period+" "+p.Program]
			if !ok {
				t.Errorf("release %d: %s %s is not a national row", rel, p.Period, p.Program)
				continue
			}
			for name, m := range map[string]Measure{"penerima": p.Families, "nominal_salur": p.Rupiah, "transaksi": p.Transactions,
				"transaksi_gagal": p.Failed, "transaksi_retur": p.Returned} {
				if wm := measureOf(w[name]); !reflect.DeepEqual(m, wm) {
					t.Errorf("release %d, %s %s: %s %s, the registry says %s", rel, p.Period, p.Program, name, show(m), show(wm))
				}
			}
			if p.Families == nil {
				withheld++
			}
		}
		rels, _ := r.Release(ctx, rel)
		if !reflect.DeepEqual(periods, rels.Periods) {
			t.Errorf("release %d: series of %v, the release has %v", rel, periods, rels.Periods)
		}
		// PENA is too small to publish nationally in some quarters.
		if withheld == 0 || withheld == len(got) {
			t.Errorf("release %d: %d of %d national cells withheld", rel, withheld, len(got))
		}
	}
}
