package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/portal-data-bansos/portal/aggregator"
	"github.com/portal-data-bansos/portal/internal/datadir"
	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/store"
	"github.com/portal-data-bansos/portal/portal"
	"github.com/portal-data-bansos/portal/portal/web"
)

// HTTP server limits: a slow or hostile client cannot hold a connection
// open forever. WriteTimeout is generous because downloads stream.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 5 * time.Minute
	idleTimeout       = 2 * time.Minute
	maxHeaderBytes    = 64 << 10
	shutdownTimeout   = 20 * time.Second
)

// serveGCPercent is the garbage collector's target while serving (GOGC):
// see serve.
const serveGCPercent = 400

func runServe(ctx context.Context, e *env, args []string) int {
	cfg, _, code := parseFlags(e, "serve", args, (*Config).registerServe, nil)
	if code >= 0 {
		return code
	}
	// Log lines leave through a buffer, off the request path.
	lw := newAsyncWriter(e.stderr)
	defer lw.Close()
	log := newLogger(cfg, lw)
	if err := serve(ctx, cfg, log, e); err != nil {
		log.Error("portal stopped", "err", store.Explain(err))
		return exitFailure
	}
	return exitOK
}

// stores are the three open stores.
type stores struct {
	published, private, press *store.DB
}

func openStores(ctx context.Context, cfg *Config) (*stores, error) {
	if err := cfg.ensureDataDir(); err != nil {
		return nil, err
	}
	var s stores
	var err error
	if s.published, err = store.Open(ctx, cfg.Data, store.Published, store.Options{}); err != nil {
		return nil, err
	}
	if s.private, err = store.Open(ctx, cfg.Data, store.Private, store.Options{}); err != nil {
		s.close()
		return nil, err
	}
	if s.press, err = store.Open(ctx, cfg.Data, store.Press, store.Options{}); err != nil {
		s.close()
		return nil, err
	}
	return &s, nil
}

func (s *stores) close() error {
	var errs []error
	for _, db := range []*store.DB{s.published, s.private, s.press} {
		if db != nil {
			errs = append(errs, db.Close())
		}
	}
	return errors.Join(errs...)
}

func serve(ctx context.Context, cfg *Config, log *slog.Logger, e *env) error {
	if cfg.ReadOnly {
		return serveReadOnly(ctx, cfg, log, e)
	}
	st, err := openStores(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.close()

	key, err := datadir.LoadOrCreateKey(cfg.KeyFile)
	if err != nil {
		return err
	}
	// private.db is open only during a run (aggregator.Options.OpenPrivate):
	// the site itself never reads it.
	st.private.Close()
	st.private = nil
	aggOpts := runOptions(cfg, st.published, key, log)
	if !cfg.NoDemo {
		// Before the site serves: every core.
		if err := loadDemoIfEmpty(ctx, cfg, log, aggOpts); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	if err := os.MkdirAll(cfg.Inbox, 0o750); err != nil {
		return fmt.Errorf("inbox: %w", err)
	}
	// Scheduled runs share the cores with readers: few workers, on threads
	// at the lowest priority (aggregator.Options.YieldToReaders), and Go
	// processors to spare, so that a run's thread the kernel holds back
	// does not hold back a processor the handlers need.
	aggOpts.Workers = cfg.RunWorkers
	aggOpts.YieldToReaders = true
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(runtime.NumCPU() + 2 + max(cfg.RunWorkers, 1))
	}
	// Each request allocates little, but there are many: at Go's default
	// (a collection each time the heap doubles) the collector took some
	// 8 % of the site's CPU under load. Letting the heap grow to five
	// times what is live gave 7–10 % more pages a second and a third off
	// the p99 (bench/serving.sh; README, "Benchmarks"), for about 110 MB
	// more resident memory. A scheduled run goes back to the default
	// while it runs (aggregator.Options.GCPercent): at 400 the serving
	// process grew to 950 MiB during a 5M-row run, against 531 MiB. GOGC
	// in the environment overrides both.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
		aggOpts.GCPercent = 100
	}
	sched, err := aggregator.NewScheduler(cfg.Schedule, cfg.Data, cfg.Inbox, aggOpts)
	if err != nil {
		return err
	}
	sched.Start(ctx)
	defer sched.Stop()

	pr := press.New(st.press)
	if removed, err := demoRemoved(cfg.Data); err != nil {
		return err
	} else if !cfg.NoDemo && !removed {
		if err := seedDemoPress(ctx, st.published, pr, log); err != nil {
			return err
		}
	}
	site, err := portal.New(siteOptions(cfg, log, portal.Options{Published: st.published, Press: st.press, NextRun: sched.Next, Aggregating: sched.Busy,
		CacheDir: filepath.Join(cfg.Data, pageCacheDir)}))
	if err != nil {
		return err
	}
	// Embargoed posts are published by a cron job every minute.
	stopPublisher, err := site.StartPublisher(ctx)
	if err != nil {
		return err
	}
	defer stopPublisher()
	log.Info("data folder", "data", cfg.Data)
	return listenAndServe(ctx, cfg, log, e, site)
}

// runOptions are the options of the runs inside `portal serve`: the demo
// load and the scheduled runs. private.db is opened for each run only.
func runOptions(cfg *Config, pub *store.DB, key datadir.Key, log *slog.Logger) aggregator.Options {
	return aggregator.Options{
		Published: pub, Regions: region.Default(), Key: key, K: cfg.K, PublishAfterDays: cfg.PublishAfterDays, Log: log,
		DataDir: cfg.Data, RetainQuarters: cfg.RetainQuarters,
		OpenPrivate: func(ctx context.Context) (*store.DB, error) {
			return store.Open(ctx, cfg.Data, store.Private, store.Options{})
		},
	}
}

// siteOptions adds the settings every kind of site shares.
func siteOptions(cfg *Config, log *slog.Logger, o portal.Options) portal.Options {
	o.Log = log
	o.RateLimit = web.RateLimit{PerSecond: cfg.RateLimit, Burst: cfg.RateBurst}
	o.TrustedProxies = cfg.TrustedProxies
	o.ReadOnly = cfg.ReadOnly
	o.BaseURL, o.WebSubHub = cfg.BaseURL, cfg.WebSubHub
	o.RequestRetention = cfg.RequestRetention()
	return o
}

// serveReadOnly serves an exported release file as a replica: no data
// folder, no private store, no aggregation, no demo, nothing written. The
// press office's posts come from a read-only copy of press.db when given,
// else from an empty one.
func serveReadOnly(ctx context.Context, cfg *Config, log *slog.Logger, e *env) error {
	pub, err := store.OpenFile(ctx, cfg.ReleaseFile, store.Published, store.Options{ReadOnly: true, Immutable: true})
	if err != nil {
		return fmt.Errorf("release file: %w", err)
	}
	defer pub.Close()
	pressFile := cfg.PressFile
	if pressFile == "" {
		tmp, err := os.MkdirTemp("", "portal-press-*")
		if err != nil {
			return fmt.Errorf("empty press store: %w", err)
		}
		defer os.RemoveAll(tmp)
		empty, err := store.Open(ctx, tmp, store.Press, store.Options{})
		if err != nil {
			return fmt.Errorf("empty press store: %w", err)
		}
		empty.Close()
		pressFile = filepath.Join(tmp, store.Press.FileName())
	}
	// Immutable, like the release file: a copy of press.db in WAL mode
	// would otherwise get a -shm and a -wal file next to it (or fail to
	// open on a read-only filesystem). The copy never changes while the
	// replica runs; a new copy means a restart.
	press, err := store.OpenFile(ctx, pressFile, store.Press, store.Options{ReadOnly: true, Immutable: true})
	if err != nil {
		return fmt.Errorf("press file: %w", err)
	}
	defer press.Close()
	site, err := portal.New(siteOptions(cfg, log, portal.Options{Published: pub, Press: press}))
	if err != nil {
		return err
	}
	log.Info("read-only replica", "release_file", cfg.ReleaseFile, "press_file", cfg.PressFile)
	return listenAndServe(ctx, cfg, log, e, site)
}

// listenAndServe serves the site until ctx ends, then shuts down
// gracefully.
func listenAndServe(ctx context.Context, cfg *Config, log *slog.Logger, e *env, site http.Handler) error {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{
		Handler:           site,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	url := "http://" + displayAddr(ln.Addr())
	log.Info("serving", "url", url, "readonly", cfg.ReadOnly)
	fmt.Fprintf(e.stdout, "Portal Data Bansos is running at %s (Ctrl+C to stop)\n", url)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", shutdownTimeout)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// displayAddr turns a listener address into one a browser can open:
// a wildcard host becomes localhost.
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// runHealthcheck asks a running portal's /healthz; exit 0 when healthy.
// The container image has no curl, so the binary checks itself.
func runHealthcheck(ctx context.Context, e *env, args []string) int {
	cfg, _, code := parseFlags(e, "healthcheck", args, func(c *Config, fs *flag.FlagSet) {
		fs.StringVar(&c.Addr, sAddr.flag, c.Addr, usage(sAddr, ""))
	}, nil)
	if code >= 0 {
		return code
	}
	_, port, _ := net.SplitHostPort(cfg.Addr)
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://127.0.0.1:"+port+"/healthz", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintf(e.stderr, "unhealthy: %v\n", err)
		return exitFailure
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(e.stderr, "unhealthy: %s\n", resp.Status)
		return exitFailure
	}
	return exitOK
}
