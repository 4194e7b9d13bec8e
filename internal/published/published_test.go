package published

import (
	"context"
	"database/sql"
	"testing"

	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/store"
)

// The dataset registry and the schema agree: every column a dataset
// publishes is a column of its table, and every table has a release.
func TestRegistryMatchesSchema(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir(), store.Published, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	checked := 0
	for _, ds := range dataset.All {
		if ds.Table == "" {
			continue
		}
		checked++
		cols := map[string]bool{}
		err := New(db.R).each(ctx, "columns", func(rows *sql.Rows) error {
			var name string
			err := rows.Scan(&name)
			cols[name] = true
			return err
		}, `SELECT name FROM pragma_table_info(?)`, ds.Table)
		if err != nil {
			t.Fatal(err)
		}
		if len(cols) == 0 {
			t.Errorf("%s: table %s does not exist", ds.Slug, ds.Table)
			continue
		}
		if !cols["release"] {
			t.Errorf("%s: table %s has no release column", ds.Slug, ds.Table)
		}
		for _, c := range ds.Columns {
			if !cols[c.Name] {
				t.Errorf("%s: column %s is not in table %s", ds.Slug, c.Name, ds.Table)
			}
		}
	}
	if checked < 5 {
		t.Errorf("only %d datasets have a table", checked)
	}
}
