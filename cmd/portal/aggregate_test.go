package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/internal/synth"
)

// TestMain lets the test binary act as the portal binary for subprocess
// tests: with PORTAL_TEST_MAIN=1 it runs main's run() and exits.
func TestMain(m *testing.M) {
	if os.Getenv("PORTAL_TEST_MAIN") == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func portalCmd(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "PORTAL_TEST_MAIN=1", "PORTAL_LOG_FORMAT=json")
	return cmd
}

func gen(t *testing.T, rows int, seed uint64) string {
	t.Helper()
	dir := t.TempDir()
	var out, errb syncBuffer
	if code := run(context.Background(), []string{"generate", "--rows", fmt.Sprint(rows), "--seed", fmt.Sprint(seed), "--out", dir},
		envFrom(nil), strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("generate: %d %s", code, errb.String())
	}
	return dir
}

func TestAggregateJSONReport(t *testing.T) {
	dir := gen(t, 3000, 5)
	data := t.TempDir()
	var out, errb syncBuffer
	code := run(context.Background(), []string{"aggregate", "--data", data, "--k", "5", "--json",
		"--asn", filepath.Join(dir, synth.ASNFile), "--deceased", filepath.Join(dir, synth.DeceasedFile),
		"--kuota", filepath.Join(dir, synth.KuotaFile), "--dtsen", filepath.Join(dir, synth.DTSENFile),
		filepath.Join(dir, synth.DistributionFile)}, envFrom(nil), strings.NewReader(""), &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(out.String()), &rep); err != nil {
		t.Fatalf("stdout is not the JSON report: %v\n%s", err, out.String())
	}
	for _, k := range []string{"run_id", "release", "files", "rows", "accepted", "replayed", "moved", "rejected", "quarantined", "recipients", "nominal_salur"} {
		if _, ok := rep[k]; !ok {
			t.Errorf("report lacks %q", k)
		}
	}
	if rep["rows"].(float64) != 3000 {
		t.Errorf("rows %v", rep["rows"])
	}
	// The steward can read what was quarantined; the key was created 0600.
	var qout, qerr syncBuffer
	if code := run(context.Background(), []string{"quarantine", "list", "--data", data, "--reason", "BAD_NIK"},
		envFrom(nil), strings.NewReader(""), &qout, &qerr); code != 0 || !strings.Contains(qout.String(), "BAD_NIK") {
		t.Errorf("quarantine list: %d %s %s", code, qout.String(), qerr.String())
	}
	fi, err := os.Stat(filepath.Join(data, "secret.key"))
	if err != nil || fi.Mode().Perm() != 0o600 || fi.Size() != 32 {
		t.Errorf("key file: %v %v", fi, err)
	}
	if strings.Contains(errb.String(), "secret") && strings.Contains(errb.String(), "key=") {
		t.Error("log mentions the key")
	}
}

// TestAggregateRefusedListExitsNonZero: a malformed target list is
// refused with its file, line and field, and the run says so in its exit
// code.
func TestAggregateRefusedListExitsNonZero(t *testing.T) {
	dir := gen(t, 500, 6)
	bad := filepath.Join(t.TempDir(), "kuota.csv")
	os.WriteFile(bad, []byte("program,periode,kode_wilayah,kuota_kpm,pagu\nPKH,2025-Q1,,100,\nPKH,2025-Q9,,100,\n"), 0o600)
	var out, errb syncBuffer
	code := run(context.Background(), []string{"aggregate", "--data", t.TempDir(), "--kuota", bad, filepath.Join(dir, synth.DistributionFile)},
		envFrom(nil), strings.NewReader(""), &out, &errb)
	if code == 0 || !strings.Contains(errb.String(), "kuota.csv line 3, field periode") {
		t.Errorf("exit %d, stderr %s", code, errb.String())
	}
}

func TestAggregateRefusedFileExitsNonZero(t *testing.T) {
	data := t.TempDir()
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("id_transaksi,nik\n1,2\n"), 0o600)
	var out, errb syncBuffer
	code := run(context.Background(), []string{"aggregate", "--data", data, bad}, envFrom(nil), strings.NewReader(""), &out, &errb)
	if code == 0 || !strings.Contains(errb.String(), "bad.csv") || !strings.Contains(errb.String(), `"no_kk"`) {
		t.Errorf("exit %d, stderr %s", code, errb.String())
	}
}

// TestKilledAggregationLeavesPreviousRelease kills `portal aggregate`
// part-way with SIGKILL, checks that the previous release is still in
// force and untouched, then runs again and compares with a clean run.
func TestKilledAggregationLeavesPreviousRelease(t *testing.T) {
	if testing.Short() {
		t.Skip("subprocess test")
	}
	small := gen(t, 2000, 1)
	big := gen(t, 400000, 2)
	data := t.TempDir()
	args := func(dir string) []string {
		return []string{"aggregate", "--data", data, "--k", "5", "--asn", filepath.Join(dir, synth.ASNFile),
			"--deceased", filepath.Join(dir, synth.DeceasedFile), filepath.Join(dir, synth.DistributionFile)}
	}
	if out, err := portalCmd(t, args(small)...).CombinedOutput(); err != nil {
		t.Fatalf("first run: %v\n%s", err, out)
	}
	before := dumpRelease(t, data)

	// Kill at several points: while reading, and later.
	for _, after := range []string{`"kind":"meninggal"`, `"msg":"file ingested"`, `"msg":"state stored"`, `"msg":"aggregated"`} {
		cmd := portalCmd(t, args(big)...)
		stderr, _ := cmd.StderrPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stderr)
		killed := false
		for sc.Scan() {
			if strings.Contains(sc.Text(), after) {
				if strings.Contains(after, "meninggal") {
					time.Sleep(150 * time.Millisecond) // part-way through the distribution file
				}
				cmd.Process.Signal(syscall.SIGKILL)
				killed = true
				break
			}
		}
		cmd.Wait()
		if !killed {
			t.Fatalf("run finished before %s was seen", after)
		}
		if got := dumpRelease(t, data); got.Number != before.Number || got.Tables != before.Tables {
			t.Fatalf("killed after %s: release in force changed from %d to %d", after, before.Number, got.Number)
		}
	}
	if out, err := portalCmd(t, args(big)...).CombinedOutput(); err != nil {
		t.Fatalf("rerun: %v\n%s", err, out)
	}
	after := dumpRelease(t, data)

	clean := t.TempDir()
	for _, dir := range []string{small, big} {
		a := args(dir)
		a[2] = clean
		if out, err := portalCmd(t, a...).CombinedOutput(); err != nil {
			t.Fatalf("clean run: %v\n%s", err, out)
		}
	}
	want := dumpRelease(t, clean)
	if after.Tables != want.Tables {
		t.Errorf("after kills and a rerun the release differs from a clean run")
	}
	if after.Report.Rows != want.Report.Rows || after.Report.Accepted != want.Report.Accepted {
		t.Errorf("report after kills %+v, clean %+v", after.Report, want.Report)
	}
}

type dumped struct {
	Number int
	Report release.Report
	Tables string
}

func dumpRelease(t *testing.T, data string) dumped {
	t.Helper()
	db := openRaw(t, filepath.Join(data, "published.db"))
	defer db.Close()
	var d dumped
	rel, err := release.Latest(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	d.Number, d.Report = rel.Number, rel.Report
	var b strings.Builder
	for _, q := range []string{
		`SELECT periode||program||komponen||tingkat||kode_wilayah||coalesce(penerima,'-')||coalesce(nominal_salur,'-')||ditekan FROM penyaluran WHERE release = ? ORDER BY 1`,
		`SELECT periode||program||tingkat||kode_wilayah||dimensi||kategori||coalesce(penerima,'-')||ditekan FROM penyaluran_demografi WHERE release = ? ORDER BY 1`,
		`SELECT periode||program||tingkat||kode_wilayah||alasan||coalesce(jumlah,'-') FROM ketepatan_sasaran WHERE release = ? ORDER BY 1`,
		`SELECT periode||alasan||jumlah FROM kualitas_data WHERE release = ? ORDER BY 1`,
	} {
		rows, err := db.Query(q, rel.Number)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			rows.Scan(&s)
			b.WriteString(s)
			b.WriteByte('\n')
		}
		rows.Close()
	}
	d.Tables = b.String()
	return d
}

// TestAggregateAsOf: --as-of judges which quarters are due on an earlier
// day, so archived monthly exports loaded in order come out as they would
// have; a day after today is refused (it would publish quarters early).
func TestAggregateAsOf(t *testing.T) {
	dir := gen(t, 2000, 8)
	for _, tc := range []struct {
		asOf      string
		code      int
		published string // periods of the release, "" when none
	}{
		{"2025-02-10", 0, ""},        // Q1 still running
		{"2025-07-15", 0, "2025-Q1"}, // Q1 ended + 30 days; Q2 not yet
		{time.Now().AddDate(0, 0, 2).Format(time.DateOnly), exitUsage, ""}, // the future
		{"10-02-2025", exitUsage, ""},
	} {
		data := t.TempDir()
		var out, errb syncBuffer
		code := run(context.Background(), []string{"aggregate", "--data", data, "--k", "3", "--as-of", tc.asOf,
			filepath.Join(dir, synth.DistributionFile)}, envFrom(nil), strings.NewReader(""), &out, &errb)
		if code != tc.code {
			t.Errorf("--as-of %s: exit %d, want %d: %s", tc.asOf, code, tc.code, errb.String())
			continue
		}
		if code != 0 {
			if !strings.Contains(errb.String(), "--as-of") {
				t.Errorf("--as-of %s: the error does not name the flag: %s", tc.asOf, errb.String())
			}
			continue
		}
		db, err := sql.Open("sqlite3", "file:"+filepath.Join(data, "published.db")+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		var periods sql.NullString
		if err := db.QueryRow(`SELECT group_concat(DISTINCT periode) FROM penyaluran`).Scan(&periods); err != nil {
			t.Fatal(err)
		}
		db.Close()
		if periods.String != tc.published {
			t.Errorf("--as-of %s publishes %q, want %q", tc.asOf, periods.String, tc.published)
		}
	}
}
