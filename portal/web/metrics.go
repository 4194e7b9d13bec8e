package web

import (
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are the site's Prometheus metrics. Each Site has its own
// registry, so tests can run many sites in one process; surfaces register
// collectors of their own in Reg.
type Metrics struct {
	Reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	Downloads *prometheus.CounterVec
	limited   *prometheus.CounterVec
}

func newMetrics() *Metrics {
	m := &Metrics{Reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "portal_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
	}, []string{"route", "method", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "portal_http_request_duration_seconds", Help: "Time to answer, by route pattern.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route"})
	m.Downloads = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "portal_download_bytes_total", Help: "Bytes of dataset downloads sent, by dataset and format (before compression).",
	}, []string{"dataset", "format"})
	m.limited = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "portal_http_rate_limited_total", Help: "Requests refused with 429 by the per-client rate limit, by route pattern.",
	}, []string{"route"})
	m.Reg.MustRegister(m.requests, m.latency, m.Downloads, m.limited,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Observe is the middleware that counts requests. Routes are patterns
// ("/wilayah/:kode"), never paths, so the series stay few.
func (m *Metrics) Observe() gin.HandlerFunc {
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
