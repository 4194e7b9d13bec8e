package portal

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// ledgerCollector reads the release in force, its disclosure report and
// the run ledger from published.db at each scrape: the aggregator may run
// in another process, so these are read, not counted.
type ledgerCollector struct{ s *Server }

var (
	descRelease   = prometheus.NewDesc("portal_release", "Number of the release in force (0: none).", nil, nil)
	descWithheld  = prometheus.NewDesc("portal_release_withheld_cells", "Cells withheld in the release in force, by dataset and kind of suppression.", []string{"dataset", "kind"}, nil)
	descRuns      = prometheus.NewDesc("portal_aggregation_runs", "Aggregation runs in the ledger, by outcome.", []string{"outcome"}, nil)
	descLastOK    = prometheus.NewDesc("portal_aggregation_last_success_timestamp_seconds", "End of the last run that published a release.", nil, nil)
	descRows      = prometheus.NewDesc("portal_aggregation_rows", "Input rows of all published runs, by fate.", []string{"fate"}, nil)
	descStoreUp   = prometheus.NewDesc("portal_store_up", "Whether a store answers (1) or not (0).", []string{"store"}, nil)
	ledgerMetrics = []*prometheus.Desc{descRelease, descWithheld, descRuns, descLastOK, descRows, descStoreUp}
)

func (l *ledgerCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range ledgerMetrics {
		ch <- d
	}
}

func (l *ledgerCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	up := func(name string, err error) {
		v := 1.0
		if err != nil {
			v = 0
		}
		ch <- prometheus.MustNewConstMetric(descStoreUp, prometheus.GaugeValue, v, name)
	}
	up("published", l.s.pub.Ping(ctx))
	up("press", l.s.press.Ping(ctx))
	rel, err := l.s.Latest(ctx)
	if err == nil {
		ch <- prometheus.MustNewConstMetric(descRelease, prometheus.GaugeValue, float64(rel.Number))
		for name, d := range rel.Disclosure.Datasets {
			ch <- prometheus.MustNewConstMetric(descWithheld, prometheus.GaugeValue, float64(d.Primary), name, "primary")
			ch <- prometheus.MustNewConstMetric(descWithheld, prometheus.GaugeValue, float64(d.Secondary), name, "secondary")
		}
	} else {
		ch <- prometheus.MustNewConstMetric(descRelease, prometheus.GaugeValue, 0)
	}
	if runs, err := l.s.Data.RunsByOutcome(ctx); err == nil {
		for outcome, n := range runs {
			ch <- prometheus.MustNewConstMetric(descRuns, prometheus.GaugeValue, float64(n), outcome)
		}
	}
	if t, ok, err := l.s.Data.LastPublished(ctx); err == nil && ok {
		ch <- prometheus.MustNewConstMetric(descLastOK, prometheus.GaugeValue, float64(t.Unix()))
	}
	if f, err := l.s.Data.PublishedRowFates(ctx); err == nil {
		for fate, v := range map[string]int64{"accepted": f.Accepted, "replayed": f.Replayed, "rejected": f.Rejected, "quarantined": f.Quarantined, "moved": f.Moved} {
			ch <- prometheus.MustNewConstMetric(descRows, prometheus.GaugeValue, float64(v), fate)
		}
	}
}

// metricsHandler serves /metrics.
func (s *Server) metricsHandler() gin.HandlerFunc {
	h := promhttp.HandlerFor(s.Metrics.Reg, promhttp.HandlerOpts{})
	return func(c *gin.Context) {
		c.Header("Cache-Control", "no-store")
		h.ServeHTTP(c.Writer, c.Request)
	}
}

// readyz is the readiness probe: a release is loaded and the stores
// answer. Before the first release the site is up but not ready.
func (s *Server) readyz(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	ctx := c.Request.Context()
	if err := s.Ready(ctx); err != nil {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "stores not answering"})
		return
	}
	rel, err := s.Latest(ctx)
	if err != nil {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "no release loaded"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready", "release": rel.Number, "readonly": s.opts.ReadOnly})
}
