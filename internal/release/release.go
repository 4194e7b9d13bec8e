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

	"github.com/portal-data-bansos/portal/internal/apperr"
)

// ErrNoRelease means nothing has been published yet: a 503 that says so.
var ErrNoRelease = &apperr.Error{Kind: apperr.Unavailable, Code: "no_release", Key: "error.no_release"}

// ErrNotFound means the asked-for release number does not exist.
var ErrNotFound = &apperr.Error{Kind: apperr.NotFound, Code: "unknown_release"}

// Report is the run report of the run that published a release
// (docs/interface.md, "Run report"): counts only, never a row's content.
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
	// RoundedTo and RupiahRoundedTo, when set, say the counts and the
	// rupiah above are rounded to that base (see Public).
	RoundedTo       int64 `json:"rounded_to,omitempty"`
	RupiahRoundedTo int64 `json:"rupiah_rounded_to,omitempty"`
}

// RupiahRoundingBase is the base the public report rounds rupiah to:
// Rp 1 billion, wider than k families at any programme's unit amount.
const RupiahRoundingBase = 1_000_000_000

// Public is the report as the site may show it (docs/disclosure.md,
// "Reported with every release"): every count rounded to the nearest
// multiple of 10·k and the rupiah to the nearest billion. Exact run-level
// counts, set beside the published tables, would give the sum of the
// withheld cells (quarantined rows by reason minus kualitas-data's
// published cells, say); rounded to a base wider than k they give it
// only within that base. The exact report stays with the data steward.
func (r Report) Public(k int) Report {
	base := int64(10 * max(k, 1))
	round := func(v, b int64) int64 { return (v + b/2) / b * b }
	out := r
	for _, v := range []*int64{&out.Rows, &out.Accepted, &out.Replayed, &out.Moved, &out.Recipients} {
		*v = round(*v, base)
	}
	out.NominalSalur = round(r.NominalSalur, RupiahRoundingBase)
	roundMap := func(m map[string]int64) map[string]int64 {
		if m == nil {
			return nil
		}
		o := make(map[string]int64, len(m))
		for key, v := range m {
			o[key] = round(v, base)
		}
		return o
	}
	out.Rejected, out.Quarantined = roundMap(r.Rejected), roundMap(r.Quarantined)
	out.RoundedTo, out.RupiahRoundedTo = base, RupiahRoundingBase
	return out
}

// Disclosure is the disclosure report published with every release
// (docs/disclosure.md §4): the threshold, and per dataset and level how
// many rows are withheld by primary and by secondary suppression, how many
// published rows have some measure withheld, and what share of families
// and rupiah sits in withheld rows.
type Disclosure struct {
	K        int                           `json:"k"`
	Datasets map[string]*DatasetDisclosure `json:"datasets"`
	// Method names the protection method and its version.
	Method string `json:"method,omitempty"`
	// Quarters is how many quarters this release protected anew;
	// Carried how many it carried unchanged from the previous release.
	Quarters int `json:"quarters_protected"`
	Carried  int `json:"quarters_carried"`
	// HeldBack lists the quarters (YYYY-Qn) whose changes since the
	// previous release could not yet be published safely: the release
	// shows them as the previous one did (not at all when none did), and
	// a later release publishes the changes together with whatever
	// arrives by then.
	HeldBack []string `json:"quarters_held_back,omitempty"`
	// LevelsLeftOut lists the programme levels ("2025-Q2 BLT kecamatan")
	// left out of a quarter, in every dataset, because one of their
	// counts could not be protected otherwise; the totals above still
	// hold their families.
	LevelsLeftOut []string `json:"levels_left_out,omitempty"`
	// Pending lists the quarters with data that are not published yet:
	// a quarter comes out whole once it has ended and the days set for
	// late files have passed.
	Pending []string `json:"quarters_pending,omitempty"`
	// Witnesses is how many alternative tables prove the release safe;
	// Requirements how many counts they protect.
	Witnesses    int `json:"witnesses"`
	Requirements int `json:"requirements"`
}

// DatasetDisclosure is one dataset's part of the report.
type DatasetDisclosure struct {
	Cells     int                         `json:"cells"`
	Primary   int                         `json:"primary"`
	Secondary int                         `json:"secondary"`
	Partial   int                         `json:"partial"`
	Levels    map[string]*LevelDisclosure `json:"levels"`
}

// LevelDisclosure counts one level (tingkat) of one dataset. The shares are
// of the level's total (0–1), rounded so that they cannot be multiplied
// back into an exact count: to a step s (0.001, 0.01 or 0.1) for which s
// times the total is at least 2k, and left out (null) when even 0.1 is
// too fine.
type LevelDisclosure struct {
	Cells            int      `json:"cells"`
	Primary          int      `json:"primary"`
	Secondary        int      `json:"secondary"`
	Partial          int      `json:"partial"`
	FamiliesWithheld *float64 `json:"families_withheld_share"`
	RupiahWithheld   *float64 `json:"rupiah_withheld_share"`
}

// Withheld is the number of withheld cells of the dataset.
func (d *DatasetDisclosure) Withheld() int { return d.Primary + d.Secondary }

// Release is one published release.
type Release struct {
	Number      int
	PublishedAt time.Time
	RunID       string
	K           int
	Report      Report
	Disclosure  Disclosure
	// Periods are the quarters of the release's tables, in order.
	Periods []string
	// Counts are the rows of each dataset in the release, by slug.
	Counts map[string]int
	// Synthetic marks a release made from generated data (the demo):
	// every surface that shows or serves it says so (docs/interface.md,
	// "Demo data").
	Synthetic bool
}

// Querier is what reading a release needs: a *sql.DB or *sql.Tx.
type Querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

const selectRelease = `SELECT number, published_at, run_id, k, report, disclosure, periods, counts, synthetic FROM release`

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

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

func scan(row scanner) (Release, error) {
	var (
		r                     Release
		at                    string
		report, disc, periods string
		counts                string
	)
	if err := row.Scan(&r.Number, &at, &r.RunID, &r.K, &report, &disc, &periods, &counts, &r.Synthetic); err != nil {
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
	if err := json.Unmarshal([]byte(disc), &r.Disclosure); err != nil {
		return r, fmt.Errorf("release %d: disclosure report: %w", r.Number, err)
	}
	if err := json.Unmarshal([]byte(periods), &r.Periods); err != nil {
		return r, fmt.Errorf("release %d: periods: %w", r.Number, err)
	}
	if err := json.Unmarshal([]byte(counts), &r.Counts); err != nil {
		return r, fmt.Errorf("release %d: counts: %w", r.Number, err)
	}
	return r, nil
}

// All lists every release, newest first, in one query.
func All(ctx context.Context, db *sql.DB) ([]Release, error) {
	rows, err := db.QueryContext(ctx, selectRelease+` ORDER BY number DESC`)
	if err != nil {
		return nil, fmt.Errorf("release: list: %w", err)
	}
	defer rows.Close()
	var out []Release
	for rows.Next() {
		r, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("release: list: %w", err)
	}
	return out, nil
}
