package press

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// PublishSchedule checks for due embargoes every minute, Jakarta time.
const PublishSchedule = "CRON_TZ=Asia/Jakarta * * * * *"

// housekeepingEvery is how often the publisher purges the personal data of
// old requests and recounts provisional deadlines.
const housekeepingEvery = time.Hour

// Publisher publishes scheduled posts when their time comes, from a cron
// job. Now is its clock (tests inject one).
type Publisher struct {
	Store *Store
	Log   *slog.Logger
	Now   func() time.Time
	// OnPublish, when set, is called after readers' pages changed: posts
	// were published, or answers lost their asker's name to the purge
	// (the site uses it to refresh cached pages).
	OnPublish func()
	// Retention is how long the name, e-mail address and outlet of a
	// closed information request are kept (see Store.Purge); 0 keeps
	// them. The publisher purges at most once an hour.
	Retention time.Duration
	cron      *cron.Cron

	mu        sync.Mutex
	lastHouse time.Time // the last housekeeping, in memory only
}

// RunOnce publishes what is due now, and about once an hour purges the
// personal data of requests past their retention and recounts deadlines
// that were provisional.
func (p *Publisher) RunOnce(ctx context.Context) {
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	t := now()
	n, err := p.Store.PublishDue(ctx, t)
	if err != nil {
		p.Log.Error("press: scheduled publication failed", "err", err)
	}
	if n > 0 {
		p.Log.Info("press: scheduled posts published", "count", n)
	}
	changed := p.housekeeping(ctx, t)
	if (n > 0 || changed) && p.OnPublish != nil {
		p.OnPublish()
	}
}

// housekeeping purges and recounts unless it did less than an hour ago;
// it reports whether readers' pages changed.
func (p *Publisher) housekeeping(ctx context.Context, now time.Time) bool {
	p.mu.Lock()
	if !p.lastHouse.IsZero() && now.Sub(p.lastHouse) < housekeepingEvery && !now.Before(p.lastHouse) {
		p.mu.Unlock()
		return false
	}
	p.lastHouse = now
	p.mu.Unlock()
	changed := false
	if p.Retention > 0 {
		n, err := p.Store.Purge(ctx, now, p.Retention)
		if err != nil {
			p.Log.Error("press: purging requests' personal data failed", "err", err)
		}
		if n > 0 {
			p.Log.Info("press: personal data of closed requests purged", "count", n, "retention", p.Retention.String())
			changed = true
		}
	}
	if _, err := p.Store.Calendar(); err != nil {
		p.Log.Warn("press: the holiday list cannot be read; deadlines use the last good one", "err", err)
	}
	if n, err := p.Store.RecountProvisional(ctx, now); err != nil {
		p.Log.Error("press: recounting provisional deadlines failed", "err", err)
	} else if n > 0 {
		p.Log.Info("press: provisional deadlines recounted", "count", n)
	}
	return changed
}

// Start runs the job every minute until ctx ends or Stop is called. It
// first writes the editable holiday list into the data folder when it is
// not there (Store.WriteHolidayFile).
func (p *Publisher) Start(ctx context.Context) error {
	if wrote, err := p.Store.WriteHolidayFile(); err != nil {
		p.Log.Warn("press: could not write the editable holiday list", "err", err)
	} else if wrote {
		p.Log.Info("press: wrote the editable holiday list into the data folder")
	}
	p.cron = cron.New()
	if _, err := p.cron.AddFunc(PublishSchedule, func() { p.RunOnce(ctx) }); err != nil {
		return err
	}
	p.cron.Start()
	p.RunOnce(ctx) // catch up on embargoes that fell due while stopped
	return nil
}

// Stop waits for a running job to finish.
func (p *Publisher) Stop() {
	if p.cron != nil {
		<-p.cron.Stop().Done()
	}
}
