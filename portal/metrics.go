package portal

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the site's Prometheus metrics. Each Server has its own
// registry, so tests can run many servers in one process.
type metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	downloads *prometheus.CounterVec
	limited   *prometheus.CounterVec
}

func newMetrics(s *Server) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "portal_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
	}, []string{"route", "method", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "portal_http_request_duration_seconds", Help: "Time to answer, by route pattern.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route"})
	m.downloads = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "portal_download_bytes_total", Help: "Bytes of dataset downloads sent, by dataset and format (before compression).",
	}, []string{"dataset", "format"})
	m.limited = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "portal_http_rate_limited_total", Help: "Requests refused with 429 by the per-client rate limit, by route pattern.",
	}, []string{"route"})
	m.reg.MustRegister(m.requests, m.latency, m.downloads, m.limited,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&ledgerCollector{s: s})
	return m
}

// observe is the middleware that counts requests. Routes are patterns
// ("/wilayah/:kode"), never paths, so the series stay few.
func (m *metrics) observe() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		m.requests.WithLabelValues(route, c.Request.Method, strconv.Itoa(c.Writer.Status())).Inc()
		m.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
	}
}

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
	rel, err := l.s.latest(ctx)
	if err == nil {
		ch <- prometheus.MustNewConstMetric(descRelease, prometheus.GaugeValue, float64(rel.Number))
		for name, d := range rel.Disclosure.Datasets {
			ch <- prometheus.MustNewConstMetric(descWithheld, prometheus.GaugeValue, float64(d.Primary), name, "primary")
			ch <- prometheus.MustNewConstMetric(descWithheld, prometheus.GaugeValue, float64(d.Secondary), name, "secondary")
		}
	} else {
		ch <- prometheus.MustNewConstMetric(descRelease, prometheus.GaugeValue, 0)
	}
	if runs, err := l.s.data.RunsByOutcome(ctx); err == nil {
		for outcome, n := range runs {
			ch <- prometheus.MustNewConstMetric(descRuns, prometheus.GaugeValue, float64(n), outcome)
		}
	}
	if t, ok, err := l.s.data.LastPublished(ctx); err == nil && ok {
		ch <- prometheus.MustNewConstMetric(descLastOK, prometheus.GaugeValue, float64(t.Unix()))
	}
	if f, err := l.s.data.PublishedRowFates(ctx); err == nil {
		for fate, v := range map[string]int64{"accepted": f.Accepted, "replayed": f.Replayed, "rejected": f.Rejected, "quarantined": f.Quarantined, "moved": f.Moved} {
			ch <- prometheus.MustNewConstMetric(descRows, prometheus.GaugeValue, float64(v), fate)
		}
	}
}

// metricsHandler serves /metrics.
func (s *Server) metricsHandler() gin.HandlerFunc {
	h := promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{})
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
	rel, err := s.latest(ctx)
	if err != nil {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "no release loaded"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready", "release": rel.Number, "readonly": s.opts.ReadOnly})
}
