package aggregator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/portal-data-bansos/portal/internal/datadir"
	"github.com/portal-data-bansos/portal/internal/store"

	"github.com/robfig/cron/v3"
)

// CronParser accepts the standard five fields, descriptors such as @daily,
// and a CRON_TZ= prefix.
var CronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Scheduler runs the aggregation of the inbox on a cron schedule while the
// site serves.
type Scheduler struct {
	cron    *cron.Cron
	entry   cron.EntryID
	opt     Options
	dataDir string
	inbox   string
	log     *slog.Logger
	running sync.Mutex
	busy    atomic.Bool // an aggregation is running (Busy)
	ctx     context.Context
	// After, when set, is called after every scheduled run (tests).
	After func(*Result, error)
}

// NewScheduler prepares (but does not start) the scheduled aggregation of
// inbox with the given cron spec (a CRON_TZ= prefix sets its time zone).
func NewScheduler(spec, dataDir, inbox string, opt Options) (*Scheduler, error) {
	if _, err := CronParser.Parse(spec); err != nil {
		return nil, fmt.Errorf("schedule %q: %w", spec, err)
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	opt.Trigger = "schedule"
	// The inbox is where real files arrive: a scheduled run is never
	// synthetic, and is refused in a folder that holds the demo.
	opt.Synthetic = false
	if opt.DataDir == "" {
		opt.DataDir = dataDir
	}
	s := &Scheduler{opt: opt, dataDir: dataDir, inbox: inbox, log: opt.Log}
	s.cron = cron.New(cron.WithParser(CronParser), cron.WithLogger(cronLogger{opt.Log}))
	id, err := s.cron.AddFunc(spec, func() { s.RunNow(s.ctx) })
	if err != nil {
		return nil, fmt.Errorf("schedule %q: %w", spec, err)
	}
	s.entry = id
	return s, nil
}

// Start runs the schedule until ctx ends; Stop waits for a running job.
func (s *Scheduler) Start(ctx context.Context) {
	s.ctx = ctx
	s.cron.Start()
	s.log.Info("aggregation scheduled", "next", s.Next())
}

// Stop stops the schedule and waits for a running aggregation to finish.
func (s *Scheduler) Stop() { <-s.cron.Stop().Done() }

// Next is the time of the next scheduled run.
func (s *Scheduler) Next() time.Time { return s.cron.Entry(s.entry).Next }

// Busy reports whether an aggregation is running now, so the site can
// give readers' pages the cores first meanwhile.
func (s *Scheduler) Busy() bool { return s.busy.Load() }

// RunNow runs one scheduled aggregation of the inbox. Overlapping runs are
// skipped (and recorded as skipped); a panic is recovered and logged.
func (s *Scheduler) RunNow(ctx context.Context) {
	if ctx == nil {
		ctx = context.Background()
	}
	if !s.running.TryLock() {
		s.log.Warn("scheduled aggregation skipped: the previous one is still running")
		LedgerSkipped(ctx, s.opt.Published.W, "schedule", s.now())
		return
	}
	defer s.running.Unlock()
	s.busy.Store(true)
	defer s.busy.Store(false)
	var (
		res *Result
		err error
	)
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
			s.log.Error("scheduled aggregation panicked", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		}
		if s.After != nil {
			s.After(res, err)
		}
	}()
	res, err = s.runInbox(ctx)
	switch {
	case errors.Is(err, datadir.ErrBusy):
		s.log.Warn("scheduled aggregation skipped", "err", err)
		LedgerSkipped(ctx, s.opt.Published.W, "schedule", s.now())
	case errors.Is(err, ErrDemoFolder), errors.Is(err, ErrRealFolder):
		// Recorded in the ledger by the run; the files wait in the inbox
		// until the folder is cleared (portal demo remove).
		s.log.Error("scheduled aggregation refused; the files stay in the inbox", "err", err, "inbox", s.inbox)
	case err != nil && !errors.Is(err, ErrRefused):
		s.log.Error("scheduled aggregation failed", "err", store.Explain(err))
	case res != nil && res.Release > 0:
		s.log.Info("scheduled aggregation published", "release", res.Release, "rows", res.Report.Rows)
	}
}

func (s *Scheduler) now() time.Time {
	if s.opt.Now != nil {
		return s.opt.Now()
	}
	return time.Now()
}

func (s *Scheduler) runInbox(ctx context.Context) (*Result, error) {
	lock, err := datadir.TryLock(s.dataDir)
	if err != nil {
		return nil, err
	}
	defer lock.Unlock()
	inputs, err := CollectInbox(s.inbox)
	if err != nil {
		return nil, err
	}
	if len(inputs) == 0 {
		s.log.Info("scheduled aggregation: inbox empty")
		return nil, nil
	}
	res, err := Run(ctx, s.opt, inputs)
	if res != nil && (err == nil || errors.Is(err, ErrRefused)) {
		if ferr := FileInbox(s.inbox, res.RunID, res.Files); ferr != nil {
			return res, ferr
		}
	}
	return res, err
}

// cronLogger adapts slog to cron's logger.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
