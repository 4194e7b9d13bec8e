package published

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/release"
)

// The releases themselves: which is in force, each one with its reports,
// and how many rows a dataset has in one. Reading and parsing a release
// row is internal/release's; this file asks for them.

// LatestNumber is the number of the release in force, or
// release.ErrNoRelease before the first one (one indexed lookup: callers
// cache the releases by number, which never change).
func (r *Reader) LatestNumber(ctx context.Context) (int, error) {
	var n sql.NullInt64
	if err := r.db.QueryRowContext(ctx, `SELECT max(number) FROM release`).Scan(&n); err != nil {
		return 0, fmt.Errorf("release in force: %w", err)
	}
	if !n.Valid {
		return 0, release.ErrNoRelease
	}
	return int(n.Int64), nil
}

// Release is release number n with its reports, or an error wrapping
// release.ErrNotFound.
func (r *Reader) Release(ctx context.Context, n int) (release.Release, error) {
	return release.Get(ctx, r.db, n)
}

// Releases lists every release with its reports, newest first.
func (r *Reader) Releases(ctx context.Context) ([]release.Release, error) {
	return release.All(ctx, r.db)
}

// ReleaseSummary is a release without its disclosure report and row
// counts: what a list of releases shows.
type ReleaseSummary struct {
	Number      int
	PublishedAt time.Time
	RunID       string
	K           int
	// Periods are the quarters of the release's tables, in order (nil
	// when none).
	Periods   []string
	Report    release.Report
	Synthetic bool
}

// Release is the summary as a release without its disclosure report and
// counts.
func (s ReleaseSummary) Release() release.Release {
	return release.Release{Number: s.Number, PublishedAt: s.PublishedAt, RunID: s.RunID, K: s.K, Periods: s.Periods, Report: s.Report, Synthetic: s.Synthetic}
}

// ReleaseSummaries lists every release, newest first, in one query that
// reads neither the disclosure reports nor anything else large.
func (r *Reader) ReleaseSummaries(ctx context.Context) ([]ReleaseSummary, error) {
	return collect(ctx, r, "releases", func(rows *sql.Rows) (ReleaseSummary, error) {
		var (
			s            ReleaseSummary
			at, rep, per string
		)
		if err := rows.Scan(&s.Number, &at, &s.RunID, &s.K, &rep, &per, &s.Synthetic); err != nil {
			return s, err
		}
		t, err := time.Parse(time.RFC3339Nano, at)
		if err == nil {
			s.PublishedAt = t
			err = json.Unmarshal([]byte(rep), &s.Report)
		}
		if err == nil {
			err = json.Unmarshal([]byte(per), &s.Periods)
		}
		if err != nil {
			return s, fmt.Errorf("release %d: %w", s.Number, err)
		}
		return s, nil
	}, `SELECT number, published_at, run_id, k, report, periods, synthetic FROM release ORDER BY number DESC`)
}

// RowCount is the number of rows of a dataset in release rel. The region
// reference (a dataset without a table) is the same in every release.
func (r *Reader) RowCount(ctx context.Context, ds *dataset.Dataset, rel int) (int64, error) {
	var n int64
	if ds.Table == "" {
		rows, err := r.Rows(ctx, &dataset.Query{DS: ds})
		if err != nil {
			return 0, err
		}
		defer rows.Close()
		for rows.Next() {
			n++
		}
		if err := rows.Err(); err != nil {
			return 0, err
		}
		return n, nil
	}
	// The table name comes from the registry, never from a request.
	err := r.one(ctx, fmt.Sprintf("count %s in release %d", ds.Slug, rel),
		`SELECT count(*) FROM `+ds.Table+` WHERE release = ?`, []any{rel}, &n)
	return n, err
}
