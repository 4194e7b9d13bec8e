package published

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/portal-data-bansos/portal/internal/release"
)

// The run ledger (table run): every aggregation run, with its outcome and,
// once it ended, its run report — times, outcomes and counts only.

// Run is one aggregation run.
type Run struct {
	ID string
	// Trigger is what started it: "schedule", "command" or "demo".
	Trigger   string
	StartedAt time.Time
	// EndedAt is nil while the run is still running.
	EndedAt *time.Time
	// Outcome is "running", "published", "nothing", "failed" or "skipped".
	Outcome string
	// Release is the release the run published or found in force; 0 when
	// none.
	Release int
	// Report is the run report (nil when the run has none, or when it
	// cannot be read).
	Report *release.Report
	// Error says why the run failed ("" when it did not).
	Error string
}

// RecentRuns lists the last n runs, newest first.
func (r *Reader) RecentRuns(ctx context.Context, n int) ([]Run, error) {
	return collect(ctx, r, "runs", func(rows *sql.Rows) (Run, error) {
		var (
			run                    Run
			started                string
			ended, report, errText sql.NullString
			number                 sql.NullInt64
		)
		if err := rows.Scan(&run.ID, &run.Trigger, &started, &ended, &run.Outcome, &number, &report, &errText); err != nil {
			return run, err
		}
		var err error
		if run.StartedAt, err = time.Parse(time.RFC3339Nano, started); err != nil {
			return run, fmt.Errorf("run %s: started_at: %w", run.ID, err)
		}
		if ended.Valid {
			t, err := time.Parse(time.RFC3339Nano, ended.String)
			if err != nil {
				return run, fmt.Errorf("run %s: ended_at: %w", run.ID, err)
			}
			run.EndedAt = &t
		}
		run.Release = int(number.Int64)
		run.Error = errText.String
		if report.Valid && report.String != "" {
			var rep release.Report
			if json.Unmarshal([]byte(report.String), &rep) == nil {
				run.Report = &rep
			}
		}
		return run, nil
	}, `SELECT id, trigger, started_at, ended_at, outcome, release, report, error
		FROM run ORDER BY started_at DESC LIMIT ?`, n)
}

// RunsByOutcome counts the runs of the ledger by outcome.
func (r *Reader) RunsByOutcome(ctx context.Context) (map[string]int64, error) {
	out := map[string]int64{}
	err := r.each(ctx, "runs by outcome", func(rows *sql.Rows) error {
		var (
			outcome string
			n       int64
		)
		err := rows.Scan(&outcome, &n)
		out[outcome] = n
		return err
	}, `SELECT outcome, count(*) FROM run GROUP BY outcome`)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// LastPublished is when the last run that published a release ended;
// ok is false when no run has published one.
func (r *Reader) LastPublished(ctx context.Context) (t time.Time, ok bool, err error) {
	var last sql.NullString
	if err := r.one(ctx, "last published run", `SELECT max(ended_at) FROM run WHERE outcome = 'published'`, nil, &last); err != nil {
		return time.Time{}, false, err
	}
	if !last.Valid {
		return time.Time{}, false, nil
	}
	if t, err = time.Parse(time.RFC3339Nano, last.String); err != nil {
		return time.Time{}, false, fmt.Errorf("published: last published run: ended_at: %w", err)
	}
	return t, true, nil
}

// RowFates are the input rows of all published runs, by fate: summed over
// their run reports (0 where no report says).
type RowFates struct {
	Accepted, Replayed, Moved, Rejected, Quarantined int64
}

// PublishedRowFates sums the input rows of every published run by fate.
func (r *Reader) PublishedRowFates(ctx context.Context) (RowFates, error) {
	var acc, rep, moved, rej, quar sql.NullInt64
	err := r.one(ctx, "rows of published runs", `SELECT sum(report ->> '$.accepted'), sum(report ->> '$.replayed'), sum(report ->> '$.moved'),
		sum((SELECT sum(value) FROM json_each(report, '$.rejected'))), sum((SELECT sum(value) FROM json_each(report, '$.quarantined')))
		FROM run WHERE outcome = 'published'`, nil, &acc, &rep, &moved, &rej, &quar)
	if err != nil {
		return RowFates{}, err
	}
	return RowFates{Accepted: acc.Int64, Replayed: rep.Int64, Moved: moved.Int64, Rejected: rej.Int64, Quarantined: quar.Int64}, nil
}
