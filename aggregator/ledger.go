package aggregator

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/portal-data-bansos/portal/internal/disclosure"
	"github.com/portal-data-bansos/portal/internal/release"
)

// The run ledger lives in published.db: the site's /status page shows it,
// and it holds only times, outcomes, counts and file names.

func ledgerStart(ctx context.Context, pub *sql.DB, runID, trigger string, synthetic bool, at time.Time) error {
	if trigger == "" {
		trigger = "command"
	}
	_, err := pub.ExecContext(ctx, `INSERT INTO run (id, trigger, started_at, outcome, synthetic) VALUES (?, ?, ?, 'running', ?)`,
		runID, trigger, at.UTC().Format(time.RFC3339Nano), synthetic)
	if err != nil {
		return fmt.Errorf("run ledger: %w", err)
	}
	return nil
}

func ledgerEnd(ctx context.Context, pub *sql.DB, runID, outcome string, rel int, rep *release.Report, k int, runErr error, at time.Time) error {
	var relArg any
	if rel > 0 {
		relArg = rel
	}
	report, _ := json.Marshal(rep.Public(k))
	var errText any
	if runErr != nil {
		errText = publicRunError(runErr)
	}
	_, err := pub.ExecContext(ctx, `UPDATE run SET ended_at = ?, outcome = ?, release = ?, report = ?, error = ? WHERE id = ?`,
		at.UTC().Format(time.RFC3339Nano), outcome, relArg, string(report), errText, runID)
	if err != nil {
		return fmt.Errorf("run ledger: %w", err)
	}
	return nil
}

// publicRunError is what the public ledger says of a failed run: the
// error, unless it comes from disclosure control or a panic, whose
// messages can name true counts; those go to the steward's log only.
func publicRunError(err error) string {
	var fe *disclosure.FailError
	var ce *disclosure.ConstraintError
	var me *MixError
	msg := err.Error()
	switch {
	case errors.As(err, &me):
		// The refusal as the steward reads it, without the server's path.
		return (&MixError{Demo: me.Demo}).Error()
	case errors.As(err, &fe), errors.As(err, &ce), errors.Is(err, disclosure.ErrInvalid), strings.Contains(msg, "disclosure"):
		return "disclosure control could not protect this release; the run log has the details"
	case strings.HasPrefix(msg, "panic:"):
		return "internal error; the run log has the details"
	}
	return msg
}

// LedgerSkipped records a scheduled run that did not start because another
// was still running.
func LedgerSkipped(ctx context.Context, pub *sql.DB, trigger string, at time.Time) error {
	id := newRunID(at)
	_, err := pub.ExecContext(ctx, `INSERT INTO run (id, trigger, started_at, ended_at, outcome) VALUES (?, ?, ?, ?, 'skipped')`,
		id, trigger, at.UTC().Format(time.RFC3339Nano), at.UTC().Format(time.RFC3339Nano))
	return err
}
