package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/synth"
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
	// The months are split from the stream as it is written: the same
	// bytes as splitting the whole file afterwards.
	split, err := synth.SplitMonthly(filepath.Join(dir, "penyaluran.csv"), t.TempDir(), "penyaluran")
	if err != nil || len(split) != 12 {
		t.Fatalf("SplitMonthly: %d files, %v", len(split), err)
	}
	for _, f := range split {
		a, _ := os.ReadFile(f)
		b, _ := os.ReadFile(filepath.Join(m, filepath.Base(f)))
		if !bytes.Equal(a, b) {
			t.Errorf("%s: --monthly differs from splitting the whole file", filepath.Base(f))
		}
	}
	// --months keeps only the months asked for, the same as in the year.
	some := filepath.Join(t.TempDir(), "some")
	if code, stdout, stderr := runGen(t, "--rows", "2500", "--seed", "42", "--monthly", "--months", "2-3", "--out", some); code != exitOK || strings.Contains(stdout, "penyaluran-2025-04.csv") {
		t.Fatalf("exit %d; stdout %s; stderr: %s", code, stdout, stderr)
	}
	kept, _ := os.ReadDir(some)
	var names []string
	for _, k := range kept {
		names = append(names, k.Name())
	}
	if strings.Join(names, " ") != "asn.csv dtsen.csv kuota.csv meninggal.csv penyaluran-2025-02.csv penyaluran-2025-03.csv" {
		t.Errorf("--months 2-3 left %v", names)
	}
	for _, name := range []string{"penyaluran-2025-02.csv", "penyaluran-2025-03.csv", "asn.csv"} {
		a, _ := os.ReadFile(filepath.Join(m, name))
		b, _ := os.ReadFile(filepath.Join(some, name))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s: --months 2-3 differs from the whole year's", name)
		}
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
		{"monthly out is a file", []string{"--rows", "10", "--monthly", "--out", blocker}, exitFailure, "portal generate:"},
		{"months without monthly", []string{"--rows", "10", "--months", "1-4", "--out", out}, exitUsage, "--months needs --monthly"},
		{"months reversed", []string{"--rows", "10", "--monthly", "--months", "5-2", "--out", out}, exitUsage, "1–12"},
		{"month 13", []string{"--rows", "10", "--monthly", "--months", "13", "--out", out}, exitUsage, "1–12"},
		{"months not numbers", []string{"--rows", "10", "--monthly", "--months", "jan", "--out", out}, exitUsage, "1–12"},
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
