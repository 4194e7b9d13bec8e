package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/portal-data-bansos/portal/aggregator"
	"github.com/portal-data-bansos/portal/internal/datadir"
)

// Config holds every setting, filled from defaults, then environment
// variables, then flags (a flag beats its environment twin), and validated
// once before use.
type Config struct {
	Addr     string
	Data     string
	Schedule string
	Inbox    string
	KeyFile  string
	K        int
	// PublishAfterDays: see aggregator.Options.PublishAfterDays.
	PublishAfterDays int
	// RetainQuarters: see aggregator.Options.RetainQuarters (0: keep
	// every seen id and receipt).
	RetainQuarters int
	NoDemo         bool
	// Synthetic marks a `portal aggregate` run over generated files
	// (aggregator.Options.Synthetic).
	Synthetic bool
	LogLevel  string
	LogFormat string
	// BaseURL is the site's public address for feeds and share links;
	// empty derives it from each request's host.
	BaseURL string
	// WebSubHub, when set, is announced in the feeds (rel="hub").
	WebSubHub string
	// RateLimit and RateBurst limit each client's expensive requests
	// (downloads, API, charts, embeds, map tiles); 0 disables the limit.
	RateLimit float64
	RateBurst int
	// RunWorkers is a scheduled aggregation's share of the cores while
	// the site serves (aggregator.Options.Workers); 0 is all of them.
	RunWorkers int
	// TrustedProxies are the CIDR networks whose forwarding headers are
	// believed (none by default).
	TrustedProxies []string
	trustedProxies string
	// ReadOnly serves ReleaseFile (an exported release) as a replica, with
	// PressFile's posts when given: no private store, no aggregation.
	ReadOnly    bool
	ReleaseFile string
	PressFile   string
	// RequestRetentionDays is how long the personal data of an answered
	// or refused information request is kept (press.Store.Purge).
	RequestRetentionDays int
}

// DefaultSchedule runs the aggregation daily at 02:00 Jakarta time.
const DefaultSchedule = "CRON_TZ=Asia/Jakarta 0 2 * * *"

// setting describes one flag and its environment twin.
type setting struct {
	flag, env, usage string
}

var (
	sAddr         = setting{"addr", "PORTAL_ADDR", "address the site listens on"}
	sData         = setting{"data", "PORTAL_DATA", "data folder (stores, inbox, key)"}
	sSchedule     = setting{"schedule", "PORTAL_SCHEDULE", "cron schedule of the aggregation (standard 5 fields, or @daily; time zone Asia/Jakarta unless CRON_TZ= is given)"}
	sInbox        = setting{"inbox", "PORTAL_INBOX", "folder the scheduled run ingests (default DATA/inbox)"}
	sKeyFile      = setting{"key-file", "PORTAL_KEY_FILE", "pseudonymisation key file, created with mode 0600 when absent (default DATA/secret.key)"}
	sK            = setting{"k", "PORTAL_K", "disclosure threshold: cells describing fewer than k families are withheld"}
	sPublishAfter = setting{"publish-after-days", "PORTAL_PUBLISH_AFTER_DAYS", "days after a quarter ends before it is first published, so that late files come out with it (0: when it ends; -1: at once, even while it runs)"}
	sRetainQ      = setting{"retain-quarters", "PORTAL_RETAIN_QUARTERS", "remember the transaction ids and receipts of the current quarter and this many before it (at least 4), and refuse rows of older quarters as CLOSED_PERIOD; 0 remembers everything. Forgotten quarters stay closed even if this is raised later"}
	sNoDemo       = setting{"no-demo", "PORTAL_NO_DEMO", "do not load the demo data into an empty data folder"}
	sSynthetic    = setting{"synthetic", "PORTAL_SYNTHETIC", "the files are synthetic (from 'portal generate'): the release is marked as such, and the data folder must not hold real data"}
	sLogLevel     = setting{"log-level", "PORTAL_LOG_LEVEL", "debug, info, warn or error"}
	sLogFormat    = setting{"log-format", "PORTAL_LOG_FORMAT", "text or json (default: text on a terminal, json otherwise)"}
	sBaseURL      = setting{"base-url", "PORTAL_BASE_URL", "public address of the site for feeds and share links, e.g. https://data.example.go.id (default: from the request's host)"}
	sWebSubHub    = setting{"websub-hub", "PORTAL_WEBSUB_HUB", "WebSub hub announced in the feeds (default: none)"}
	sRateLimit    = setting{"rate-limit", "PORTAL_RATE_LIMIT", "expensive requests (downloads, API, charts, embeds, map tiles) per second per client address; 0 disables the limit"}
	sRateBurst    = setting{"rate-burst", "PORTAL_RATE_BURST", "expensive requests a client may send at once before --rate-limit applies"}
	sRunWorkers   = setting{"run-workers", "PORTAL_RUN_WORKERS", "cores a scheduled aggregation keeps busy at once while the site serves (0: all); fewer make the run slower and the site steadier"}
	sReadOnly     = setting{"readonly", "PORTAL_READONLY", "serve an exported release file as a read-only replica: no private store, no aggregation, no demo, no admin"}
	sRelFile      = setting{"release-file", "PORTAL_RELEASE_FILE", "with --readonly: the file written by 'portal release export N FILE'"}
	sPressFile    = setting{"press-file", "PORTAL_PRESS_FILE", "with --readonly: a copy of press.db whose posts to show (opened read-only and immutable: restart after replacing it; default none)"}
	sRetention    = setting{"request-retention-days", "PORTAL_REQUEST_RETENTION_DAYS", "days the name, e-mail address and outlet of an information request (/tanya) are kept after it is answered or refused; then they are erased, the question and the answer stay (1 to 3650)"}
	sProxies      = setting{"trusted-proxies", "PORTAL_TRUSTED_PROXIES", "comma-separated addresses or CIDR networks of reverse proxies whose X-Forwarded-For is believed (default none: the client is the connection's peer)"}
)

// newConfig returns the defaults overridden by the environment. An
// environment value that cannot be parsed is an error naming the variable.
func newConfig(getenv func(string) string) (*Config, error) {
	c := &Config{
		Addr:             ":8080",
		Data:             "./data",
		Schedule:         DefaultSchedule,
		K:                10,
		PublishAfterDays: 30,
		LogLevel:         "info",
		RateLimit:        10,
		RateBurst:        50,
		RunWorkers:       1,
		// Personal data of closed requests: 90 days (docs/information-desk.md).
		RequestRetentionDays: 90,
	}
	str := func(s setting, dst *string) {
		if v := strings.TrimSpace(getenv(s.env)); v != "" {
			*dst = v
		}
	}
	str(sAddr, &c.Addr)
	str(sData, &c.Data)
	str(sSchedule, &c.Schedule)
	str(sInbox, &c.Inbox)
	str(sKeyFile, &c.KeyFile)
	str(sLogLevel, &c.LogLevel)
	str(sLogFormat, &c.LogFormat)
	str(sBaseURL, &c.BaseURL)
	str(sWebSubHub, &c.WebSubHub)
	str(sProxies, &c.trustedProxies)
	str(sRelFile, &c.ReleaseFile)
	str(sPressFile, &c.PressFile)
	// Typed settings: the first value that does not parse is the error.
	var bad error
	parse := func(s setting, want string, conv func(string) error) {
		if v := strings.TrimSpace(getenv(s.env)); v != "" && bad == nil {
			if conv(v) != nil {
				bad = fmt.Errorf("%s=%q: %s", s.env, v, want)
			}
		}
	}
	boolean := func(s setting, dst *bool) {
		parse(s, "want true or false", func(v string) (err error) { *dst, err = strconv.ParseBool(v); return })
	}
	whole := func(s setting, dst *int) {
		parse(s, "not a whole number", func(v string) (err error) { *dst, err = strconv.Atoi(v); return })
	}
	boolean(sReadOnly, &c.ReadOnly)
	parse(sRateLimit, "not a number", func(v string) (err error) { c.RateLimit, err = strconv.ParseFloat(v, 64); return })
	whole(sRateBurst, &c.RateBurst)
	whole(sRunWorkers, &c.RunWorkers)
	whole(sPublishAfter, &c.PublishAfterDays)
	whole(sRetainQ, &c.RetainQuarters)
	whole(sK, &c.K)
	whole(sRetention, &c.RequestRetentionDays)
	boolean(sNoDemo, &c.NoDemo)
	boolean(sSynthetic, &c.Synthetic)
	if bad != nil {
		return nil, bad
	}
	return c, nil
}

func usage(s setting, def string) string {
	u := s.usage + " (env " + s.env + ")"
	if def != "" {
		u += " [" + def + "]"
	}
	return u
}

// registerData registers the settings every command that touches the data
// folder shares.
func (c *Config) registerData(fs *flag.FlagSet) {
	fs.StringVar(&c.Data, sData.flag, c.Data, usage(sData, ""))
	fs.StringVar(&c.KeyFile, sKeyFile.flag, c.KeyFile, usage(sKeyFile, ""))
	fs.StringVar(&c.LogLevel, sLogLevel.flag, c.LogLevel, usage(sLogLevel, ""))
	fs.StringVar(&c.LogFormat, sLogFormat.flag, c.LogFormat, usage(sLogFormat, ""))
}

// registerAggregate adds the settings of a run of the aggregator.
func (c *Config) registerAggregate(fs *flag.FlagSet) {
	c.registerData(fs)
	fs.IntVar(&c.K, sK.flag, c.K, usage(sK, ""))
	fs.IntVar(&c.PublishAfterDays, sPublishAfter.flag, c.PublishAfterDays, usage(sPublishAfter, ""))
	fs.IntVar(&c.RetainQuarters, sRetainQ.flag, c.RetainQuarters, usage(sRetainQ, ""))
	fs.StringVar(&c.Inbox, sInbox.flag, c.Inbox, usage(sInbox, ""))
}

// registerAggregateCommand adds the settings of `portal aggregate`: a
// run's, and whether its files are synthetic (a scheduled run never is).
func (c *Config) registerAggregateCommand(fs *flag.FlagSet) {
	c.registerAggregate(fs)
	fs.BoolVar(&c.Synthetic, sSynthetic.flag, c.Synthetic, usage(sSynthetic, ""))
}

// registerServe adds the settings of the site.
func (c *Config) registerServe(fs *flag.FlagSet) {
	c.registerAggregate(fs)
	fs.StringVar(&c.Addr, sAddr.flag, c.Addr, usage(sAddr, ""))
	fs.StringVar(&c.Schedule, sSchedule.flag, c.Schedule, usage(sSchedule, ""))
	fs.IntVar(&c.RunWorkers, sRunWorkers.flag, c.RunWorkers, usage(sRunWorkers, ""))
	fs.BoolVar(&c.NoDemo, sNoDemo.flag, c.NoDemo, usage(sNoDemo, ""))
	fs.IntVar(&c.RequestRetentionDays, sRetention.flag, c.RequestRetentionDays, usage(sRetention, ""))
	c.registerSite(fs)
	fs.BoolVar(&c.ReadOnly, sReadOnly.flag, c.ReadOnly, usage(sReadOnly, ""))
	fs.StringVar(&c.ReleaseFile, sRelFile.flag, c.ReleaseFile, usage(sRelFile, ""))
	fs.StringVar(&c.PressFile, sPressFile.flag, c.PressFile, usage(sPressFile, ""))
}

// registerSite adds the settings of the web site proper (shared by the
// primary and a read-only replica).
func (c *Config) registerSite(fs *flag.FlagSet) {
	fs.StringVar(&c.BaseURL, sBaseURL.flag, c.BaseURL, usage(sBaseURL, ""))
	fs.StringVar(&c.WebSubHub, sWebSubHub.flag, c.WebSubHub, usage(sWebSubHub, ""))
	fs.Float64Var(&c.RateLimit, sRateLimit.flag, c.RateLimit, usage(sRateLimit, ""))
	fs.IntVar(&c.RateBurst, sRateBurst.flag, c.RateBurst, usage(sRateBurst, ""))
	fs.StringVar(&c.trustedProxies, sProxies.flag, c.trustedProxies, usage(sProxies, ""))
}

// validate checks every setting and fills the derived defaults. Its errors
// name the flag and its environment twin.
func (c *Config) validate() error {
	var errs []error
	bad := func(s setting, format string, args ...any) {
		errs = append(errs, fmt.Errorf("--%s (%s): %s", s.flag, s.env, fmt.Sprintf(format, args...)))
	}
	if c.Data == "" {
		bad(sData, "must not be empty")
	}
	if c.Inbox == "" {
		c.Inbox = datadir.DefaultInbox(c.Data)
	}
	if c.KeyFile == "" {
		c.KeyFile = datadir.DefaultKeyFile(c.Data)
	}
	if _, port, err := net.SplitHostPort(c.Addr); err != nil {
		bad(sAddr, "%q is not host:port (e.g. :8080 or 127.0.0.1:8080)", c.Addr)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		bad(sAddr, "port %q is not a number from 0 to 65535", port)
	}
	if c.RunWorkers < 0 || c.RunWorkers > 256 {
		bad(sRunWorkers, "%d is outside 0..256", c.RunWorkers)
	}
	if c.PublishAfterDays < -1 || c.PublishAfterDays > 366 {
		bad(sPublishAfter, "%d is outside -1..366", c.PublishAfterDays)
	}
	if n := c.RetainQuarters; n != 0 && (n < aggregator.MinRetainQuarters || n > 400) {
		bad(sRetainQ, "%d is neither 0 (remember everything) nor within %d..400", n, aggregator.MinRetainQuarters)
	}
	if c.RequestRetentionDays < 1 || c.RequestRetentionDays > 3650 {
		bad(sRetention, "%d is outside 1..3650", c.RequestRetentionDays)
	}
	if c.K < 2 || c.K > 1000 {
		bad(sK, "%d is outside 2..1000 (a threshold of 1 would publish single families)", c.K)
	}
	if !strings.Contains(c.Schedule, "TZ=") {
		c.Schedule = "CRON_TZ=Asia/Jakarta " + c.Schedule
	}
	if _, err := aggregator.CronParser.Parse(c.Schedule); err != nil {
		bad(sSchedule, "%q: %v", c.Schedule, err)
	}
	for _, u := range []struct {
		s   setting
		val *string
	}{{sBaseURL, &c.BaseURL}, {sWebSubHub, &c.WebSubHub}} {
		if *u.val == "" {
			continue
		}
		p, err := url.Parse(*u.val)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || p.RawQuery != "" || p.Fragment != "" {
			bad(u.s, "%q is not an absolute http(s) URL", *u.val)
			continue
		}
		*u.val = strings.TrimSuffix(*u.val, "/")
	}
	if _, err := c.slogLevel(); err != nil {
		bad(sLogLevel, "%v", err)
	}
	if c.RateLimit < 0 || math.IsNaN(c.RateLimit) || math.IsInf(c.RateLimit, 0) {
		bad(sRateLimit, "%v: want 0 (no limit) or a positive number of requests per second", c.RateLimit)
	}
	if c.RateLimit > 0 && c.RateBurst < 1 {
		bad(sRateBurst, "%d: want at least 1 when --%s is set", c.RateBurst, sRateLimit.flag)
	}
	switch {
	case c.ReadOnly && c.ReleaseFile == "":
		bad(sRelFile, "--%s needs the release file to serve", sReadOnly.flag)
	case !c.ReadOnly && c.ReleaseFile != "":
		bad(sReadOnly, "--%s is only for a read-only replica; add --%s", sRelFile.flag, sReadOnly.flag)
	case !c.ReadOnly && c.PressFile != "":
		bad(sReadOnly, "--%s is only for a read-only replica; add --%s", sPressFile.flag, sReadOnly.flag)
	}
	c.TrustedProxies = nil
	for _, p := range strings.Split(c.trustedProxies, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			bad(sProxies, "%q is neither an address nor a CIDR network (e.g. 10.0.0.0/8)", p)
			continue
		}
		c.TrustedProxies = append(c.TrustedProxies, p)
	}
	switch c.LogFormat {
	case "", "text", "json":
	default:
		bad(sLogFormat, "%q: want text or json", c.LogFormat)
	}
	return errors.Join(errs...)
}

// RequestRetention is RequestRetentionDays as a duration
// (portal.Options.RequestRetention).
func (c *Config) RequestRetention() time.Duration {
	return time.Duration(c.RequestRetentionDays) * 24 * time.Hour
}

func (c *Config) slogLevel() (slog.Level, error) {
	var l slog.Level
	err := l.UnmarshalText([]byte(c.LogLevel))
	return l, err
}

// ensureDataDir creates the data folder (private to the portal's user).
func (c *Config) ensureDataDir() error {
	if err := os.MkdirAll(c.Data, 0o750); err != nil {
		return fmt.Errorf("data folder %s: %w", c.Data, err)
	}
	return nil
}
