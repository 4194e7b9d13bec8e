package published

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/internal/store"
	"github.com/portal-data-bansos/portal/internal/testkit"
)

// fixtureReader reads the shared release fixture (internal/testkit):
// releases 1 (2025-Q1 to Q3, with the exclusion, target and DTSEN lists)
// and 2 (adding 2025-Q4), published by the real aggregator.
func fixtureReader(t *testing.T) *Reader {
	t.Helper()
	dir, err := testkit.Fixture{WithTargets: true}.Dir()
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), dir, store.Published, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return New(db.R)
}

// emptyReader reads a published.db in which nothing is published yet.
func emptyReader(t *testing.T) *Reader {
	t.Helper()
	db, err := store.Open(context.Background(), t.TempDir(), store.Published, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return New(db.R)
}

func TestReleases(t *testing.T) {
	ctx := context.Background()
	r := fixtureReader(t)
	n, err := r.LatestNumber(ctx)
	if err != nil || n != 2 {
		t.Fatalf("LatestNumber = %d, %v; want 2", n, err)
	}
	all, err := r.Releases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].Number != 2 || all[1].Number != 1 {
		t.Fatalf("Releases: %d releases, want 2 then 1", len(all))
	}
	wantPeriods := map[int][]string{
		1: {"2025-Q1", "2025-Q2", "2025-Q3"},
		2: {"2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"},
	}
	for _, rel := range all {
		one, err := r.Release(ctx, rel.Number)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(one, rel) {
			t.Errorf("release %d: the list and Release disagree", rel.Number)
		}
		if !reflect.DeepEqual(rel.Periods, wantPeriods[rel.Number]) {
			t.Errorf("release %d: periods %v, want %v", rel.Number, rel.Periods, wantPeriods[rel.Number])
		}
		if rel.K != 10 || rel.RunID == "" || rel.PublishedAt.IsZero() || rel.Counts["penyaluran"] == 0 || len(rel.Disclosure.Datasets) == 0 {
			t.Errorf("release %d is not read whole: k %d, run %q, published %v, counts %v, %d datasets disclosed",
				rel.Number, rel.K, rel.RunID, rel.PublishedAt, rel.Counts, len(rel.Disclosure.Datasets))
		}
	}
	if !all[0].PublishedAt.After(all[1].PublishedAt) {
		t.Errorf("release 2 published %v, not after release 1 (%v)", all[0].PublishedAt, all[1].PublishedAt)
	}
	if all[0].Counts["penyaluran"] <= all[1].Counts["penyaluran"] {
		t.Errorf("release 2 has %d penyaluran rows, release 1 %d: the fourth quarter adds rows", all[0].Counts["penyaluran"], all[1].Counts["penyaluran"])
	}
	if _, err := r.Release(ctx, 3); !errors.Is(err, release.ErrNotFound) {
		t.Errorf("Release(3): %v, want release.ErrNotFound", err)
	}

	sums, err := r.ReleaseSummaries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != len(all) {
		t.Fatalf("%d summaries of %d releases", len(sums), len(all))
	}
	for i, s := range sums {
		rel := all[i]
		want := ReleaseSummary{Number: rel.Number, PublishedAt: rel.PublishedAt, RunID: rel.RunID, K: rel.K, Periods: rel.Periods, Report: rel.Report}
		if !reflect.DeepEqual(s, want) {
			t.Errorf("summary %d:\n%+v\nwant\n%+v", i, s, want)
		}
	}
}

func TestReleasesBeforeTheFirst(t *testing.T) {
	ctx := context.Background()
	r := emptyReader(t)
	if _, err := r.LatestNumber(ctx); !errors.Is(err, release.ErrNoRelease) {
		t.Errorf("LatestNumber: %v, want release.ErrNoRelease", err)
	}
	if all, err := r.Releases(ctx); err != nil || len(all) != 0 {
		t.Errorf("Releases = %d, %v; want none", len(all), err)
	}
	if sums, err := r.ReleaseSummaries(ctx); err != nil || len(sums) != 0 {
		t.Errorf("ReleaseSummaries = %d, %v; want none", len(sums), err)
	}
	if runs, err := r.RecentRuns(ctx, 20); err != nil || len(runs) != 0 {
		t.Errorf("RecentRuns = %d, %v; want none", len(runs), err)
	}
	if _, ok, err := r.LastPublished(ctx); ok || err != nil {
		t.Errorf("LastPublished: ok %v, %v; want none", ok, err)
	}
	if f, err := r.PublishedRowFates(ctx); err != nil || f != (RowFates{}) {
		t.Errorf("PublishedRowFates = %+v, %v; want zeros", f, err)
	}
}

// RowCount agrees with the row counts the aggregator recorded with each
// release; the region reference is the same in every release.
func TestRowCount(t *testing.T) {
	ctx := context.Background()
	r := fixtureReader(t)
	all, err := r.Releases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, rel := range all {
		for _, ds := range dataset.All {
			n, err := r.RowCount(ctx, ds, rel.Number)
			if err != nil {
				t.Fatalf("%s in release %d: %v", ds.Slug, rel.Number, err)
			}
			if ds.Table == "" {
				if n < 100 {
					t.Errorf("%s: %d rows", ds.Slug, n)
				}
				continue
			}
			if want := int64(rel.Counts[ds.Slug]); n != want || n == 0 {
				t.Errorf("%s in release %d: %d rows, the release records %d", ds.Slug, rel.Number, n, want)
			}
		}
	}
	pen, _ := dataset.Get("penyaluran")
	if n, err := r.RowCount(ctx, pen, 3); err != nil || n != 0 {
		t.Errorf("penyaluran in release 3: %d, %v; want 0", n, err)
	}
}
