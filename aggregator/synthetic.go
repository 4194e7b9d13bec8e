package aggregator

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/portal-data-bansos/portal/internal/release"
)

// A data folder holds either synthetic data (the demo that `portal serve`
// loads into an empty folder, or files of `portal generate` aggregated
// with --synthetic) or real data, never both: releases are cumulative, so
// one real file aggregated on top of demo rows would publish demo rows as
// real numbers for ever after (docs/interface.md, "Demo data").

// Holding is what kind of data a data folder holds.
type Holding int

// The kinds of data a folder holds.
const (
	// HoldsNothing: no release, and no completed run that kept data.
	HoldsNothing Holding = iota
	// HoldsReal: releases (or lists) of real data.
	HoldsReal
	// HoldsSynthetic: the demo, or other generated data.
	HoldsSynthetic
)

func (h Holding) String() string {
	switch h {
	case HoldsReal:
		return "real data"
	case HoldsSynthetic:
		return "synthetic data"
	}
	return "nothing"
}

// Holds says what the data folder whose published store q reads holds:
// its latest release says; before any release, its latest completed run
// (a run of lists alone keeps them without publishing). A failed,
// interrupted or refused run kept nothing: its rows are undone by the
// next run (persist.go, reconcile).
func Holds(ctx context.Context, q release.Querier) (Holding, error) {
	var synthetic bool
	err := q.QueryRowContext(ctx, `SELECT synthetic FROM release ORDER BY number DESC LIMIT 1`).Scan(&synthetic)
	if errors.Is(err, sql.ErrNoRows) {
		err = q.QueryRowContext(ctx, `SELECT synthetic FROM run WHERE outcome IN ('published', 'nothing')
			ORDER BY started_at DESC LIMIT 1`).Scan(&synthetic)
		if errors.Is(err, sql.ErrNoRows) {
			return HoldsNothing, nil
		}
	}
	if err != nil {
		return HoldsNothing, fmt.Errorf("what the data folder holds: %w", err)
	}
	if synthetic {
		return HoldsSynthetic, nil
	}
	return HoldsReal, nil
}

// ErrDemoFolder and ErrRealFolder are matched (errors.Is) by the MixError
// of a run refused because its data is not of the kind the folder holds.
var (
	ErrDemoFolder = errors.New("this data folder holds the demo (synthetic data)")
	ErrRealFolder = errors.New("this data folder holds real data")
)

// MixError refuses a run that would mix synthetic and real data in one
// data folder.
type MixError struct {
	// Demo: the folder holds the demo and the run is of real files;
	// otherwise the folder holds real data and the run is synthetic.
	Demo bool
	// Dir is the data folder, for the command to type ("DIR" when empty).
	Dir string
}

func (e *MixError) Error() string {
	dir := e.Dir
	if dir == "" {
		dir = "DIR"
	}
	if e.Demo {
		return fmt.Sprintf("%v; real files are never added to demo rows; to start clean run 'portal demo remove --data %s' or use a fresh --data folder",
			ErrDemoFolder, dir)
	}
	return fmt.Sprintf("%v; synthetic data (the demo, or files aggregated with --synthetic) is never added to real releases; use a fresh --data folder for it",
		ErrRealFolder)
}

// Is matches ErrDemoFolder or ErrRealFolder.
func (e *MixError) Is(target error) bool {
	return e.Demo && target == ErrDemoFolder || !e.Demo && target == ErrRealFolder
}

// checkMix refuses a run whose data is not of the kind the folder holds,
// before the run changes anything. The refusal is recorded in the run
// ledger, so /status shows why files wait in the inbox.
func checkMix(ctx context.Context, opt Options) error {
	pub := opt.Published.W
	h, err := Holds(ctx, pub)
	if err != nil {
		return err
	}
	var refusal *MixError
	switch {
	case h == HoldsSynthetic && !opt.Synthetic:
		refusal = &MixError{Demo: true, Dir: opt.DataDir}
	case h == HoldsReal && opt.Synthetic:
		refusal = &MixError{Dir: opt.DataDir}
	default:
		return nil
	}
	at := opt.Now()
	runID := newRunID(at)
	if err := ledgerStart(ctx, pub, runID, opt.Trigger, opt.Synthetic, at); err != nil {
		return fmt.Errorf("%w (and recording the refused run: %v)", refusal, err)
	}
	// The report of a run that read nothing: every count zero.
	rep := release.Report{RunID: runID, Rejected: map[string]int64{}, Quarantined: map[string]int64{}}
	for _, r := range RejectionReasons() {
		rep.Rejected[r.String()] = 0
	}
	for _, r := range QuarantineReasons() {
		rep.Quarantined[r.String()] = 0
	}
	if err := ledgerEnd(ctx, pub, runID, "failed", 0, &rep, opt.K, refusal, at); err != nil {
		return fmt.Errorf("%w (and recording the refused run: %v)", refusal, err)
	}
	return refusal
}
