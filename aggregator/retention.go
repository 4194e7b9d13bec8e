package aggregator

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/portal-data-bansos/portal/internal/bansos"
)

// Retention (docs/input.md §3, "Retention"): by default the private store
// remembers every seen transaction and receipt for as long as the data
// folder lives, and each file is checked against all of them, so the
// check grows with the history. With Options.RetainQuarters = n, a run
// judges only rows of the quarter its day falls in and the n quarters
// before it. A row of an earlier, closed quarter is quarantined as
// CLOSED_PERIOD (its id can no longer be told a replay from a new row),
// and once the run is committed the ids and receipts of closed quarters
// are deleted, so later runs read only those of open quarters.
//
// What was forgotten cannot be judged again: a run never opens a quarter
// that a committed run had closed, whatever its own setting.

// MinRetainQuarters is the shortest retention: a year of quarters before
// the current one, so that late payments and corrected exports of the
// past year are still judged.
const MinRetainQuarters = 4

// quarterOfDay is the quarter day t falls in, in Jakarta.
func quarterOfDay(t time.Time) Quarter {
	t = t.In(bansos.WIB)
	return MakeQuarter(t.Year(), (int(t.Month())-1)/3+1)
}

// openFrom is the first quarter a run on day due judges, keeping n
// quarters before the current one (n = 0: no retention), never earlier
// than recorded, the first quarter a committed run left open.
func openFrom(due time.Time, n int, recorded Quarter) Quarter {
	from := recorded
	if n > 0 {
		cur := quarterOfDay(due)
		if int(cur) > n {
			from = max(from, cur-Quarter(n))
		}
	}
	return from
}

// recordedOpenFrom is the largest open_from of a committed run: the
// quarters before it are closed for good.
func recordedOpenFrom(ctx context.Context, priv *sql.DB) (Quarter, error) {
	var q int
	if err := priv.QueryRowContext(ctx, `SELECT coalesce(max(open_from), 0) FROM run WHERE state = 'committed'`).Scan(&q); err != nil {
		return 0, fmt.Errorf("read the retention in force: %w", err)
	}
	return Quarter(q), nil
}

// forgetClosed deletes the seen ids and receipts of the quarters a
// committed run closed (before recordedOpenFrom), and says how many
// stored chunks went. It runs after a commit: a run that is undone must
// not have deleted anything, and a kill in between leaves the deletion to
// the next run, whose reads skip closed quarters anyway.
func forgetClosed(ctx context.Context, priv *sql.DB) (int64, error) {
	from, err := recordedOpenFrom(ctx, priv)
	if err != nil || from == 0 {
		return 0, err
	}
	var n int64
	for _, table := range []string{"seen_part", "receipt_part"} {
		r, err := priv.ExecContext(ctx, `DELETE FROM `+table+` WHERE quarter < ?`, int(from))
		if err != nil {
			return n, fmt.Errorf("forget the closed quarters' %s: %w", table, err)
		}
		k, _ := r.RowsAffected()
		n += k
	}
	return n, nil
}

// forget runs forgetClosed after a commit; a failure is logged, not
// fatal: the release is out, and the next run deletes what is left.
func forget(ctx context.Context, priv *sql.DB, log *slog.Logger) {
	n, err := forgetClosed(ctx, priv)
	if err != nil {
		log.Warn("forget closed quarters", "err", err)
	} else if n > 0 {
		log.Info("closed quarters forgotten", "chunks", n)
	}
}
