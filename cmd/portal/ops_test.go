package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/synth"
)

// runCmd runs one command in-process and returns its exit code and output.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb syncBuffer
	code := run(context.Background(), args, envFrom(nil), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// TestOperationsCommands: backup, restore, release export and a read-only
// replica, through the commands an operator types.
func TestOperationsCommands(t *testing.T) {
	src := gen(t, 3000, 5)
	data := t.TempDir()
	if code, _, errs := runCmd(t, "aggregate", "--data", data, filepath.Join(src, synth.DistributionFile)); code != 0 {
		t.Fatalf("aggregate: %d %s", code, errs)
	}
	tmp := t.TempDir()
	archive, relFile, restored := filepath.Join(tmp, "b.tar.gz"), filepath.Join(tmp, "rilis-1.db"), filepath.Join(tmp, "restored")

	steps := []struct {
		name   string
		args   []string
		code   int
		output string
	}{
		{"backup", []string{"backup", "--data", data, archive}, 0, "NOT in the archive"},
		{"backup needs a file", []string{"backup", "--data", data}, exitUsage, "usage: portal backup"},
		{"restore into a new folder", []string{"restore", "--data", restored, archive}, 0, "Restored release 1"},
		{"restore refuses a non-empty folder", []string{"restore", "--data", restored, archive}, exitFailure, "not empty"},
		{"restore --force replaces", []string{"restore", "--data", restored, "--force", archive}, 0, "Restored release 1"},
		{"export", []string{"release", "export", "--data", data, "1", relFile}, 0, "Release 1 written"},
		{"export of a missing release", []string{"release", "export", "--data", data, "7", relFile}, exitFailure, "release 7 does not exist"},
		{"export usage", []string{"release", "export", "--data", data, "x"}, exitUsage, "usage: portal release export"},
		{"readonly needs a release file", []string{"serve", "--readonly"}, exitUsage, "--release-file"},
		{"a release file needs readonly", []string{"serve", "--release-file", relFile}, exitUsage, "--readonly"},
		{"bad trusted proxy", []string{"serve", "--trusted-proxies", "10.0.0.0/8,nonsense"}, exitUsage, `"nonsense" is neither`},
		{"bad rate limit", []string{"serve", "--rate-limit", "-1"}, exitUsage, "--rate-limit"},
	}
	for _, st := range steps {
		code, out, errs := runCmd(t, st.args...)
		if code != st.code || !strings.Contains(out+errs, st.output) {
			t.Errorf("%s: exit %d, want %d; output lacks %q:\n%s%s", st.name, code, st.code, st.output, out, errs)
		}
	}

	// The replica serves release 1 and writes nothing next to its file.
	before, _ := os.ReadDir(tmp)
	base, logs, stop := startPortal(t, []string{"serve", "--readonly", "--release-file", relFile, "--addr", "127.0.0.1:0"},
		map[string]string{"PORTAL_LOG_FORMAT": "json"})
	resp, body := get(t, base+"/readyz")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"release":1`) || !strings.Contains(body, `"readonly":true`) {
		t.Errorf("/readyz: %d %s", resp.StatusCode, body)
	}
	resp, _ = get(t, base+"/dataset/penyaluran.csv")
	if resp.StatusCode != http.StatusOK {
		t.Errorf("download from the replica: %d", resp.StatusCode)
	}
	if code := stop(); code != 0 {
		t.Errorf("replica exit %d:\n%s", code, logs.String())
	}
	after, _ := os.ReadDir(tmp)
	if len(after) != len(before) {
		t.Errorf("the replica created files next to the release file: %v → %v", before, after)
	}
}

// TestOperationsSettings: the new settings' environment twins, defaults
// and validation.
func TestOperationsSettings(t *testing.T) {
	tests := []struct {
		name  string
		env   map[string]string
		args  []string
		check func(*Config) bool
		bad   string // part of the error when the settings are refused
	}{
		{"defaults", nil, nil, func(c *Config) bool {
			return c.RateLimit == 10 && c.RateBurst == 50 && c.TrustedProxies == nil && !c.ReadOnly && c.PublishAfterDays == 30
		}, ""},
		{"publish after, from the environment", map[string]string{"PORTAL_PUBLISH_AFTER_DAYS": "-1"}, nil,
			func(c *Config) bool { return c.PublishAfterDays == -1 }, ""},
		{"publish after, out of range", nil, []string{"--publish-after-days", "400"}, nil, "--publish-after-days"},
		{"run workers default to one", nil, nil, func(c *Config) bool { return c.RunWorkers == 1 }, ""},
		{"run workers, from the environment", map[string]string{"PORTAL_RUN_WORKERS": "0"}, nil,
			func(c *Config) bool { return c.RunWorkers == 0 }, ""},
		{"run workers, not a number", map[string]string{"PORTAL_RUN_WORKERS": "two"}, nil, nil, "PORTAL_RUN_WORKERS"},
		{"run workers, out of range", nil, []string{"--run-workers", "-1"}, nil, "--run-workers"},
		{"retention off by default", nil, nil, func(c *Config) bool { return c.RetainQuarters == 0 }, ""},
		{"retention, from the environment", map[string]string{"PORTAL_RETAIN_QUARTERS": "8"}, nil,
			func(c *Config) bool { return c.RetainQuarters == 8 }, ""},
		{"retention shorter than a year", nil, []string{"--retain-quarters", "2"}, nil, "--retain-quarters"},
		{"environment", map[string]string{"PORTAL_RATE_LIMIT": "2.5", "PORTAL_RATE_BURST": "7",
			"PORTAL_TRUSTED_PROXIES": " 10.0.0.0/8 , 192.0.2.1 ", "PORTAL_READONLY": "true", "PORTAL_RELEASE_FILE": "r.db"}, nil,
			func(c *Config) bool {
				return c.RateLimit == 2.5 && c.RateBurst == 7 && strings.Join(c.TrustedProxies, "|") == "10.0.0.0/8|192.0.2.1" &&
					c.ReadOnly && c.ReleaseFile == "r.db"
			}, ""},
		{"flag beats environment", map[string]string{"PORTAL_RATE_LIMIT": "2.5"}, []string{"--rate-limit", "0"},
			func(c *Config) bool { return c.RateLimit == 0 }, ""},
		{"zero burst with a limit", nil, []string{"--rate-burst", "0"}, nil, "--rate-burst"},
		{"bad proxy network", map[string]string{"PORTAL_TRUSTED_PROXIES": "10.0.0.0/33"}, nil, nil, "PORTAL_TRUSTED_PROXIES"},
		{"press file without readonly", nil, []string{"--press-file", "p.db"}, nil, "--readonly"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var errb syncBuffer
			cfg, _, code := parseFlags(&env{getenv: envFrom(tt.env), stderr: &errb}, "serve", tt.args, (*Config).registerServe, nil)
			if tt.bad != "" {
				if code != exitUsage || !strings.Contains(errb.String(), tt.bad) {
					t.Errorf("exit %d, want %d naming %s: %s", code, exitUsage, tt.bad, errb.String())
				}
				return
			}
			if code >= 0 || !tt.check(cfg) {
				t.Errorf("exit %d, settings %+v: %s", code, cfg, errb.String())
			}
		})
	}
}
