package aggregator

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/portal-data-bansos/portal/internal/datadir"
	"github.com/portal-data-bansos/portal/internal/region"
)

func TestScheduledRunFilesTheInbox(t *testing.T) {
	e := newTestEnv(t)
	inbox := filepath.Join(e.dir, "inbox")
	os.MkdirAll(inbox, 0o750)
	write := func(name, body string) { os.WriteFile(filepath.Join(inbox, name), []byte(body), 0o600) }
	write("asn-2025.csv", "nik\n"+nikA+"\n")
	write("b-penyaluran.csv", header+row("T1", nikA, kkA, "SEMBAKO", "", "2025-01", "200000", "2025-01-10", "SALUR")+
		row("T2", nikB, kkB, "SEMBAKO", "", "2025-01", "200000", "2025-01-10", "SALUR"))
	write("a-rusak.csv", "id_transaksi,nik\n1,2\n")
	write("catatan.txt", "not a csv")
	write(".hidden.csv", "x")

	opt := Options{Published: e.pub, Private: e.priv, Regions: region.Default(), Key: e.key, K: 2}
	s, err := NewScheduler("CRON_TZ=Asia/Jakarta 0 2 * * *", e.dir, inbox, opt)
	if err != nil {
		t.Fatal(err)
	}
	var got *Result
	var gotErr error
	s.After = func(r *Result, err error) { got, gotErr = r, err }
	s.RunNow(context.Background())
	if got == nil || got.Release != 1 {
		t.Fatalf("scheduled run: %+v %v", got, gotErr)
	}
	if got.Report.Rejected["ASN"] != 1 || got.Report.Accepted != 1 {
		t.Errorf("the inbox's ASN list was not applied first: %+v", got.Report)
	}
	ls := func(sub string) []string {
		es, _ := os.ReadDir(filepath.Join(inbox, sub))
		var names []string
		for _, e := range es {
			names = append(names, e.Name())
		}
		return names
	}
	processed, failed := strings.Join(ls(ProcessedDir), " "), strings.Join(ls(FailedDir), " ")
	if !strings.Contains(processed, "b-penyaluran.csv") || !strings.Contains(processed, "asn-2025.csv") {
		t.Errorf("processed/: %s", processed)
	}
	if !strings.Contains(failed, "a-rusak.csv") || !strings.Contains(failed, "a-rusak.csv.reason") {
		t.Errorf("failed/: %s", failed)
	}
	reasonFiles, _ := filepath.Glob(filepath.Join(inbox, FailedDir, "*.reason"))
	if len(reasonFiles) == 1 {
		b, _ := os.ReadFile(reasonFiles[0])
		if !strings.Contains(string(b), "missing required column") {
			t.Errorf("reason file: %s", b)
		}
	}
	left := strings.Join(ls(""), " ")
	if !strings.Contains(left, "catatan.txt") || !strings.Contains(left, ".hidden.csv") || strings.Contains(left, "b-penyaluran.csv") {
		t.Errorf("inbox after the run: %s", left)
	}
	// Next run time is in Jakarta at 02:00.
	next := s.Next()
	if next.IsZero() {
		s.Start(context.Background())
		next = s.Next()
		s.Stop()
	}
	if jk := next.In(time.FixedZone("WIB", 7*3600)); jk.Hour() != 2 || jk.Minute() != 0 {
		t.Errorf("next run %v is not 02:00 WIB", jk)
	}
	// An empty inbox publishes nothing.
	got = nil
	s.RunNow(context.Background())
	if got != nil {
		t.Errorf("empty inbox produced %+v", got)
	}
	var runs int
	e.pub.R.QueryRow(`SELECT count(*) FROM run WHERE outcome = 'published'`).Scan(&runs)
	if runs != 1 {
		t.Errorf("ledger has %d published runs", runs)
	}
}

func TestOverlappingRunIsSkipped(t *testing.T) {
	e := newTestEnv(t)
	inbox := filepath.Join(e.dir, "inbox")
	os.MkdirAll(inbox, 0o750)
	os.WriteFile(filepath.Join(inbox, "a.csv"), []byte(header+row("T1", nikA, kkA, "SEMBAKO", "", "2025-01", "200000", "2025-01-10", "SALUR")), 0o600)
	opt := Options{Published: e.pub, Private: e.priv, Regions: region.Default(), Key: e.key, K: 2}
	s, err := NewScheduler("@every 1h", e.dir, inbox, opt)
	if err != nil {
		t.Fatal(err)
	}
	// Another process holds the data folder's lock.
	lock, err := datadir.TryLock(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := datadir.TryLock(e.dir); err != datadir.ErrBusy {
		t.Errorf("second lock: %v, want ErrBusy", err)
	}
	s.RunNow(context.Background())
	lock.Unlock()
	var skipped int
	e.pub.R.QueryRow(`SELECT count(*) FROM run WHERE outcome = 'skipped'`).Scan(&skipped)
	if skipped != 1 {
		t.Errorf("skipped runs recorded: %d", skipped)
	}
	if _, err := os.Stat(filepath.Join(inbox, "a.csv")); err != nil {
		t.Error("a skipped run moved the file")
	}
	// A panic inside a run is recovered, logged and reported.
	s.opt.Progress = panickingProgress{}
	var gotErr error
	s.After = func(_ *Result, err error) { gotErr = err }
	s.RunNow(context.Background())
	if gotErr == nil || !strings.Contains(gotErr.Error(), "panic") {
		t.Errorf("panic not recovered into an error: %v", gotErr)
	}
	if !s.running.TryLock() {
		t.Error("a panicking run left the scheduler locked")
	}
}

type panickingProgress struct{}

func (panickingProgress) Start(int64)         { panic("boom") }
func (panickingProgress) Update(int64, int64) {}
func (panickingProgress) Done()               {}

// A private store built with one key refuses a run with another.
func TestRunWithAnotherKeyIsRefused(t *testing.T) {
	other, err := datadir.LoadOrCreateKey(filepath.Join(t.TempDir(), "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEnv(t)
	e.mustRun(Input{Path: e.write("a.csv", header+row("T1", nikA, kkA, "SEMBAKO", "", "2025-01", "200000", "2025-01-10", "SALUR"))})
	e.key = other
	if _, err := e.run(Input{Path: e.write("b.csv", header)}); err == nil || !strings.Contains(err.Error(), "key") {
		t.Errorf("run with another key: %v", err)
	}
}
