package release

import (
	"context"
	"testing"

	"github.com/portal-data-bansos/portal/internal/store"
)

// TestSyntheticIsRead: Latest, Get and All read the synthetic mark of
// each release from a real published store.
func TestSyntheticIsRead(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir(), store.Published, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	want := map[int]bool{1: true, 2: true, 3: false}
	for n := 1; n <= 3; n++ {
		if _, err := db.W.Exec(`INSERT INTO release (number, published_at, run_id, k, report, synthetic) VALUES (?, '2025-01-01T00:00:00Z', ?, 10, '{}', ?)`,
			n, n, want[n]); err != nil {
			t.Fatal(err)
		}
	}
	for n, synthetic := range want {
		r, err := Get(ctx, db.R, n)
		if err != nil || r.Synthetic != synthetic {
			t.Errorf("Get(%d): synthetic %v (%v), want %v", n, r.Synthetic, err, synthetic)
		}
	}
	if r, err := Latest(ctx, db.R); err != nil || r.Number != 3 || r.Synthetic {
		t.Errorf("Latest: release %d synthetic %v (%v)", r.Number, r.Synthetic, err)
	}
	all, err := All(ctx, db.R)
	if err != nil || len(all) != 3 {
		t.Fatalf("All: %d releases (%v)", len(all), err)
	}
	for _, r := range all {
		if r.Synthetic != want[r.Number] {
			t.Errorf("All: release %d synthetic %v, want %v", r.Number, r.Synthetic, want[r.Number])
		}
	}
}
