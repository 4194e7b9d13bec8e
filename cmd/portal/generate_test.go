package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runGen(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	e := &env{getenv: func(string) string { return "" }, stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr}
	code := runGenerate(context.Background(), e, args)
	return code, stdout.String(), stderr.String()
}

func TestGenerateCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := runGen(t, "--rows", "2500", "--seed", "42", "--out", dir)
	if code != exitOK {
		t.Fatalf("exit %d; stderr: %s", code, stderr)
	}
	if strings.Count(stdout, "\n") != 1 || !strings.Contains(stdout, "2500 rows") || !strings.Contains(stdout, "seed 42") {
		t.Errorf("summary line: %q", stdout)
	}
	for _, name := range []string{"penyaluran.csv", "asn.csv", "meninggal.csv", "kuota.csv", "dtsen.csv"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	// The same seed writes the same bytes; --year moves the periods.
	again := filepath.Join(t.TempDir(), "again")
	if code, _, stderr := runGen(t, "--rows", "2500", "--seed", "42", "--out", again); code != exitOK {
		t.Fatalf("exit %d; stderr: %s", code, stderr)
	}
	a, _ := os.ReadFile(filepath.Join(dir, "penyaluran.csv"))
	b, _ := os.ReadFile(filepath.Join(again, "penyaluran.csv"))
	if !bytes.Equal(a, b) {
		t.Error("same seed, different files")
	}
	y := filepath.Join(t.TempDir(), "y")
	if code, _, stderr := runGen(t, "--rows", "100", "--year", "2026", "--out", y); code != exitOK {
		t.Fatalf("exit %d; stderr: %s", code, stderr)
	}
	if c, _ := os.ReadFile(filepath.Join(y, "penyaluran.csv")); !bytes.Contains(c, []byte(",2026-")) {
		t.Error("--year 2026 not used")
	}
	// --monthly delivers the same records as twelve monthly exports.
	m := filepath.Join(t.TempDir(), "m")
	if code, stdout, stderr := runGen(t, "--rows", "2500", "--seed", "42", "--monthly", "--out", m); code != exitOK || !strings.Contains(stdout, "penyaluran-2025-12.csv") {
		t.Fatalf("exit %d; stdout %s; stderr: %s", code, stdout, stderr)
	}
	parts, _ := filepath.Glob(filepath.Join(m, "penyaluran-2025-*.csv"))
	lines := 0
	for _, p := range parts {
		c, _ := os.ReadFile(p)
		lines += bytes.Count(c, []byte("\n")) - 1
	}
	if _, err := os.Stat(filepath.Join(m, "penyaluran.csv")); len(parts) != 12 || err == nil || lines < 2500 {
		t.Errorf("--monthly: %d files, %d record lines, whole file left: %v", len(parts), lines, err == nil)
	}
}

func TestGenerateCommandErrors(t *testing.T) {
	out := t.TempDir()
	blocker := filepath.Join(out, "file")
	os.WriteFile(blocker, []byte("x"), 0o644)
	for _, tc := range []struct {
		name     string
		args     []string
		code     int
		inStderr string
	}{
		{"no rows", []string{"--out", out}, exitUsage, "--rows"},
		{"zero rows", []string{"--rows", "0", "--out", out}, exitUsage, "--rows"},
		{"negative rows", []string{"--rows", "-5", "--out", out}, exitUsage, "--rows"},
		{"not a number", []string{"--rows", "many", "--out", out}, exitUsage, "invalid value"},
		{"no out", []string{"--rows", "10"}, exitUsage, "--out"},
		{"bad seed", []string{"--rows", "10", "--seed", "-1", "--out", out}, exitUsage, "invalid value"},
		{"bad year", []string{"--rows", "10", "--year", "1990", "--out", out}, exitUsage, "--year"},
		{"unknown flag", []string{"--rows", "10", "--out", out, "--nope"}, exitUsage, "not defined"},
		{"stray argument", []string{"--rows", "10", "--out", out, "extra"}, exitUsage, "extra"},
		{"help", []string{"-h"}, exitOK, "--rows"},
		{"out is a file", []string{"--rows", "10", "--out", blocker}, exitFailure, "portal generate:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runGen(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.code, stderr)
			}
			if !strings.Contains(stderr, tc.inStderr) {
				t.Errorf("stderr lacks %q: %s", tc.inStderr, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout: %q", stdout)
			}
		})
	}
}
