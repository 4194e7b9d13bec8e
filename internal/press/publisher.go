package press

import (
	"context"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"
)

// PublishSchedule checks for due embargoes every minute, Jakarta time.
const PublishSchedule = "CRON_TZ=Asia/Jakarta * * * * *"

// Publisher publishes scheduled posts when their time comes, from a cron
// job. Now is its clock (tests inject one).
type Publisher struct {
	Store *Store
	Log   *slog.Logger
	Now   func() time.Time
	// OnPublish, when set, is called after posts were published (the site
	// uses it to refresh cached pages).
	OnPublish func()
	cron      *cron.Cron
}

// RunOnce publishes what is due now.
func (p *Publisher) RunOnce(ctx context.Context) {
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	n, err := p.Store.PublishDue(ctx, now())
	if err != nil {
		p.Log.Error("press: scheduled publication failed", "err", err)
	}
	if n > 0 {
		p.Log.Info("press: scheduled posts published", "count", n)
		if p.OnPublish != nil {
			p.OnPublish()
		}
	}
}

// Start runs the job every minute until ctx ends or Stop is called.
func (p *Publisher) Start(ctx context.Context) error {
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
