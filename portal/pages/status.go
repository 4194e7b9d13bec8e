package pages

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/published"
	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/portal/web"
)

// RunInfo is one aggregation run as /status shows it.
type RunInfo struct {
	ID        string
	Trigger   string
	Started   time.Time
	Ended     *time.Time
	Outcome   string
	Release   int
	Report    *release.Report
	Error     string
	Quarantin int64
	Rejected  int64
}

type statusPage struct {
	*web.Page
	Runs    []RunInfo
	NextRun *time.Time
	Files   []published.ReleaseFile
	// ReadOnly: a replica serving one exported release, with no schedule.
	ReadOnly bool
}

// Status shows the release in force, the last runs and the next one.
func (s *Handler) Status(c *gin.Context) {
	ctx := c.Request.Context()
	p := &statusPage{Page: s.NewPage(c, "status"), ReadOnly: s.readOnly}
	if err := s.WithRelease(c, p.Page); err != nil {
		_ = c.Error(err)
		return
	}
	if s.NextRun != nil {
		if t := s.NextRun(); !t.IsZero() {
			p.NextRun = &t
		}
	}
	runs, err := s.Data.RecentRuns(ctx, 20)
	if err != nil {
		_ = c.Error(err)
		return
	}
	for _, run := range runs {
		r := RunInfo{ID: run.ID, Trigger: run.Trigger, Started: run.StartedAt, Ended: run.EndedAt, Outcome: run.Outcome,
			Release: run.Release, Report: run.Report, Error: run.Error}
		if rep := run.Report; rep != nil {
			for _, n := range rep.Quarantined {
				r.Quarantin += n
			}
			for _, n := range rep.Rejected {
				r.Rejected += n
			}
		}
		p.Runs = append(p.Runs, r)
	}
	if p.Release != nil {
		if p.Files, err = s.Data.ReleaseFiles(ctx, p.Release.Number); err != nil {
			_ = c.Error(err)
			return
		}
	}
	c.Header("Cache-Control", "no-cache")
	s.Render(c, http.StatusOK, "status", p)
}
