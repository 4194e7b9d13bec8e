// Package release reads the numbered, immutable data releases in
// published.db. The aggregator writes them; the site serves the newest one
// (the release in force) and any older one on request.
package release

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ErrNoRelease means nothing has been published yet.
var ErrNoRelease = errors.New("no release has been published")

// ErrNotFound means the asked-for release number does not exist.
var ErrNotFound = errors.New("release not found")

// Report is the run report of the run that published a release
// (spec/interface.md, "Run report"): counts only, never a row's content.
type Report struct {
	RunID        string           `json:"run_id"`
	Release      string           `json:"release"`
	Files        []string         `json:"files"`
	Rows         int64            `json:"rows"`
	Accepted     int64            `json:"accepted"`
	Replayed     int64            `json:"replayed"`
	Moved        int64            `json:"moved"`
	Rejected     map[string]int64 `json:"rejected"`
	Quarantined  map[string]int64 `json:"quarantined"`
	Recipients   int64            `json:"recipients"`
	NominalSalur int64            `json:"nominal_salur"`
}

// Release is one published release.
type Release struct {
	Number      int
	PublishedAt time.Time
	RunID       string
	K           int
	Report      Report
}

// Querier is what reading a release needs: a *sql.DB or *sql.Tx.
type Querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

const selectRelease = `SELECT number, published_at, run_id, k, report FROM release`

// Latest returns the release in force, or ErrNoRelease.
func Latest(ctx context.Context, q Querier) (Release, error) {
	r, err := scan(q.QueryRowContext(ctx, selectRelease+` ORDER BY number DESC LIMIT 1`))
	if errors.Is(err, sql.ErrNoRows) {
		return Release{}, ErrNoRelease
	}
	return r, err
}

// Get returns release number n, or ErrNotFound.
func Get(ctx context.Context, q Querier, n int) (Release, error) {
	r, err := scan(q.QueryRowContext(ctx, selectRelease+` WHERE number = ?`, n))
	if errors.Is(err, sql.ErrNoRows) {
		return Release{}, fmt.Errorf("release %d: %w", n, ErrNotFound)
	}
	return r, err
}

func scan(row *sql.Row) (Release, error) {
	var (
		r      Release
		at     string
		report string
	)
	if err := row.Scan(&r.Number, &at, &r.RunID, &r.K, &report); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return r, err
		}
		return r, fmt.Errorf("release: read: %w", err)
	}
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return r, fmt.Errorf("release %d: published_at %q: %w", r.Number, at, err)
	}
	r.PublishedAt = t
	if err := json.Unmarshal([]byte(report), &r.Report); err != nil {
		return r, fmt.Errorf("release %d: report: %w", r.Number, err)
	}
	return r, nil
}
