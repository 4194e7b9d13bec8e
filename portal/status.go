package portal

import (
	"database/sql"
	"encoding/json"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/release"
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
	*Page
	Runs    []RunInfo
	NextRun *time.Time
	Files   []releaseFile
	// ReadOnly: a replica serving one exported release, with no schedule.
	ReadOnly bool
}

type releaseFile struct {
	Name, Kind, Outcome string
}

// status shows the release in force, the last runs and the next one.
func (s *Server) status(c *gin.Context) {
	ctx := c.Request.Context()
	p := &statusPage{Page: s.page(c, "status"), ReadOnly: s.opts.ReadOnly}
	if err := s.withRelease(c, p.Page); err != nil {
		_ = c.Error(err)
		return
	}
	if s.nextRun != nil {
		if t := s.nextRun(); !t.IsZero() {
			p.NextRun = &t
		}
	}
	rows, err := s.pub.R.QueryContext(ctx, `SELECT id, trigger, started_at, ended_at, outcome, release, report, error
		FROM run ORDER BY started_at DESC LIMIT 20`)
	if err != nil {
		_ = c.Error(err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var (
			r             RunInfo
			started       string
			ended, report sql.NullString
			errText       sql.NullString
			releaseNumber sql.NullInt64
		)
		if err := rows.Scan(&r.ID, &r.Trigger, &started, &ended, &r.Outcome, &releaseNumber, &report, &errText); err != nil {
			_ = c.Error(err)
			return
		}
		r.Started, _ = time.Parse(time.RFC3339Nano, started)
		if ended.Valid {
			t, _ := time.Parse(time.RFC3339Nano, ended.String)
			r.Ended = &t
		}
		r.Release = int(releaseNumber.Int64)
		r.Error = errText.String
		if report.Valid && report.String != "" {
			var rep release.Report
			if json.Unmarshal([]byte(report.String), &rep) == nil {
				r.Report = &rep
				for _, n := range rep.Quarantined {
					r.Quarantin += n
				}
				for _, n := range rep.Rejected {
					r.Rejected += n
				}
			}
		}
		p.Runs = append(p.Runs, r)
	}
	if err := rows.Err(); err != nil {
		_ = c.Error(err)
		return
	}
	if p.Release != nil {
		frows, err := s.pub.R.QueryContext(ctx, `SELECT name, kind, outcome FROM release_file WHERE release = ? ORDER BY name`, p.Release.Number)
		if err != nil {
			_ = c.Error(err)
			return
		}
		defer frows.Close()
		for frows.Next() {
			var f releaseFile
			if err := frows.Scan(&f.Name, &f.Kind, &f.Outcome); err != nil {
				_ = c.Error(err)
				return
			}
			p.Files = append(p.Files, f)
		}
	}
	c.Header("Cache-Control", "no-cache")
	s.render(c, http.StatusOK, "status", p)
}
