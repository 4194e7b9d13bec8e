package aggregator

import (
	"context"
	"database/sql"
	"fmt"
)

// QuarantinedRow is a malformed row kept for the data steward. Raw is the
// row as it was in the file: it may hold personal data, so it is read only
// through the command line (portal quarantine), never by the site.
type QuarantinedRow struct {
	RunID  string
	File   string
	Line   int64
	Reason string
	Raw    string
}

// QuarantineFilter narrows a listing; zero values match everything.
type QuarantineFilter struct {
	RunID  string
	Reason string
	File   string
	Limit  int
}

// EachQuarantined calls fn for each quarantined row of committed runs
// matching f, in run, file and line order.
func EachQuarantined(ctx context.Context, priv *sql.DB, f QuarantineFilter, fn func(QuarantinedRow) error) error {
	q := `SELECT q.run_id, q.file, q.line, q.reason, q.raw FROM quarantine q JOIN run r ON r.id = q.run_id
		WHERE r.state = 'committed' AND (? = '' OR q.run_id = ?) AND (? = '' OR q.reason = ?) AND (? = '' OR q.file = ?)
		ORDER BY r.seq, q.id`
	args := []any{f.RunID, f.RunID, f.Reason, f.Reason, f.File, f.File}
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := priv.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("quarantine: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r QuarantinedRow
		if err := rows.Scan(&r.RunID, &r.File, &r.Line, &r.Reason, &r.Raw); err != nil {
			return fmt.Errorf("quarantine: %w", err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}
