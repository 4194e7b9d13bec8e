// Package published is the read model of published.db: every query the
// site sends to the published releases lives here, typed, so that the
// schema is known in three places only — the migrations
// (internal/store/migrations/published), the aggregator's INSERTs
// (aggregator/publish.go) and this package with the dataset registry
// (internal/dataset), which a test holds to the schema. Handlers ask
// questions in domain words and get Go values back; none of them holds SQL.
//
// The published tables and their measures are described in
// docs/interface.md, "Datasets"; withheld and partial cells in
// docs/disclosure.md.
package published

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/portal-data-bansos/portal/internal/dataset"
)

// Reader answers questions about the published releases from a pool of
// read-only connections. Safe for concurrent use.
type Reader struct {
	db *sql.DB
}

// New reads through db, a pool of read-only connections to published.db.
func New(db *sql.DB) *Reader { return &Reader{db: db} }

// Rows runs a download or API query of the dataset registry.
func (r *Reader) Rows(ctx context.Context, q *dataset.Query) (*dataset.Rows, error) {
	return q.Run(ctx, r.db)
}

// Count is the number of rows a query of the dataset registry gives.
func (r *Reader) Count(ctx context.Context, q *dataset.Query) (int, error) {
	return q.Count(ctx, r.db)
}

// Page runs one page of a query of the dataset registry (cursor paging).
func (r *Reader) Page(ctx context.Context, q *dataset.Query) ([][]any, bool, error) {
	return q.Page(ctx, r.db)
}

// each runs query and calls fn for each row, closing the rows and
// reporting an error that ended the loop early (rows.Err): the one row
// loop of the package. what names the question in errors.
func (r *Reader) each(ctx context.Context, what string, fn func(*sql.Rows) error, query string, args ...any) error {
	rows, err := r.db.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("published: %s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return fmt.Errorf("published: %s: %w", what, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("published: %s: %w", what, err)
	}
	return nil
}

// collect is each for a query whose rows become a slice.
func collect[T any](ctx context.Context, r *Reader, what string, scan func(*sql.Rows) (T, error), query string, args ...any) ([]T, error) {
	var out []T
	err := r.each(ctx, what, func(rows *sql.Rows) error {
		v, err := scan(rows)
		if err == nil {
			out = append(out, v)
		}
		return err
	}, query, args...)
	return out, err
}

// one runs a query of one row.
func (r *Reader) one(ctx context.Context, what string, query string, args []any, dest ...any) error {
	if err := r.db.QueryRowContext(ctx, query, args...).Scan(dest...); err != nil {
		return fmt.Errorf("published: %s: %w", what, err)
	}
	return nil
}

// Measure is a published count or amount: nil when the cell is withheld
// (or, for an optional measure, not given).
type Measure = *int64

// measure turns a nullable column into a Measure.
func measure(n sql.NullInt64) Measure {
	if !n.Valid {
		return nil
	}
	v := n.Int64
	return &v
}
