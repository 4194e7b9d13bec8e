package backup

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/portal-data-bansos/portal/aggregator"
	"github.com/portal-data-bansos/portal/internal/datadir"
	"github.com/portal-data-bansos/portal/internal/store"
	"github.com/portal-data-bansos/portal/internal/synth"
	"github.com/portal-data-bansos/portal/portal"
)

// folder is a data folder with open stores, as the site has it.
type folder struct {
	dir              string
	pub, priv, press *store.DB
	key              datadir.Key
	keyFile          string
	site             *portal.Server
}

func openFolder(t *testing.T, dir string) *folder {
	t.Helper()
	f := &folder{dir: dir, keyFile: filepath.Join(dir, datadir.KeyFileName)}
	dbs := []**store.DB{&f.pub, &f.priv, &f.press}
	for i, k := range store.Kinds {
		db, err := store.Open(context.Background(), dir, k, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		*dbs[i] = db
	}
	var err error
	if f.key, err = datadir.LoadOrCreateKey(f.keyFile); err != nil {
		t.Fatal(err)
	}
	if f.site, err = portal.New(portal.Options{Log: slog.New(slog.DiscardHandler), Published: f.pub, Press: f.press}); err != nil {
		t.Fatal(err)
	}
	return f
}

// aggregate runs the aggregator under the folder's lock on generated data.
func (f *folder) aggregate(t *testing.T, rows int, seed uint64, lists bool) *aggregator.Result {
	t.Helper()
	ctx := context.Background()
	gen := t.TempDir()
	if _, err := synth.Generate(ctx, gen, synth.Options{Rows: rows, Seed: seed}); err != nil {
		t.Error(err)
		return nil
	}
	inputs := []aggregator.Input{{Path: filepath.Join(gen, synth.DistributionFile)}}
	if lists {
		inputs = append([]aggregator.Input{
			{Path: filepath.Join(gen, synth.ASNFile), Kind: aggregator.ListASN},
			{Path: filepath.Join(gen, synth.DeceasedFile), Kind: aggregator.ListDeceased},
		}, inputs...)
	}
	lock, err := datadir.TryLock(f.dir)
	if err != nil {
		t.Error(err)
		return nil
	}
	defer lock.Unlock()
	res, err := aggregator.Run(ctx, aggregator.Options{Published: f.pub, Private: f.priv, Key: f.key, K: 10}, inputs)
	if err != nil {
		t.Error(err)
	}
	return res
}

func fetch(t *testing.T, h http.Handler, url string) (int, []byte) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, url, nil))
	return rec.Code, rec.Body.Bytes()
}

// answers are compared between the primary and the restored copy.
var answers = []string{
	"/api/v1/releases",
	"/api/v1/datasets/penyaluran/rows?release=%d&limit=500",
	"/dataset/penyaluran.csv?release=%d",
	"/dataset/ketepatan-sasaran.json?release=%d",
	"/dataset/kualitas-data.csv",
	"/wilayah/32", // pages show the release in force; ?release pins data answers
	"/grafik/nominal-per-triwulan?release=%d",
}

// TestBackupWhileRunningAndRestore: a backup taken while an aggregation
// runs and requests are served restores into a fresh folder that serves
// the same release with the same answers, and that the next run accepts.
func TestBackupWhileRunningAndRestore(t *testing.T) {
	ctx := context.Background()
	src := openFolder(t, t.TempDir())
	src.aggregate(t, 5000, 40, true)

	// Readers hammer the site for the whole test.
	stop := make(chan struct{})
	var served, failed atomic.Int64
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				rec := httptest.NewRecorder()
				src.site.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/datasets/penyaluran/rows?limit=100", nil))
				served.Add(1)
				if rec.Code != http.StatusOK {
					failed.Add(1)
				}
			}
		})
	}
	// An aggregation runs; the backup starts while it holds the lock.
	running := make(chan *aggregator.Result, 1)
	go func() { running <- src.aggregate(t, 20000, 41, false) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		l, err := datadir.TryLock(src.dir)
		if errors.Is(err, datadir.ErrBusy) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		l.Unlock()
		if time.Now().After(deadline) {
			t.Fatal("the aggregation never took the lock")
		}
		time.Sleep(time.Millisecond)
	}
	archive := filepath.Join(t.TempDir(), "portal.tar.gz")
	m, err := Backup(ctx, Options{Data: src.dir, Wait: time.Minute}, archive)
	if err != nil {
		t.Fatal(err)
	}
	res := <-running
	close(stop)
	wg.Wait()
	if res == nil || res.Release != 2 {
		t.Fatalf("the aggregation did not publish release 2: %+v", res)
	}
	if m.Release != 2 {
		t.Errorf("backup holds release %d; taken under the lock it must hold the finished run's release 2", m.Release)
	}
	if failed.Load() > 0 {
		t.Errorf("%d of %d requests failed during the backup", failed.Load(), served.Load())
	}
	if m.KeyIncluded || m.KeyFingerprint != src.key.Fingerprint() {
		t.Errorf("manifest key: included %v, fingerprint %q", m.KeyIncluded, m.KeyFingerprint)
	}
	if fi, err := os.Stat(archive); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("archive mode: %v %v", fi.Mode(), err)
	}

	dst := filepath.Join(t.TempDir(), "restored")
	rr, err := Restore(ctx, RestoreOptions{Data: dst}, archive)
	if err != nil {
		t.Fatal(err)
	}
	if !rr.KeyMissing {
		t.Error("restore did not say the key is missing")
	}
	// The key is backed up separately; put it back as the README says.
	b, _ := os.ReadFile(src.keyFile)
	if err := os.WriteFile(filepath.Join(dst, datadir.KeyFileName), b, 0o600); err != nil {
		t.Fatal(err)
	}
	got := openFolder(t, dst)
	for _, u := range answers {
		u := strings.Replace(u, "%d", strconv.Itoa(m.Release), 1)
		cs, bs := fetch(t, src.site, u)
		cg, bg := fetch(t, got.site, u)
		if cs != http.StatusOK || cg != cs || !bytes.Equal(bs, bg) {
			t.Errorf("%s: primary %d (%d bytes), restored %d (%d bytes)", u, cs, len(bs), cg, len(bg))
		}
	}
	// The restored pair is one the next run accepts.
	if res := got.aggregate(t, 2000, 42, false); res == nil || res.Release != 3 {
		t.Errorf("next run on the restored folder: %+v", res)
	}
}

func TestRestoreRefuses(t *testing.T) {
	ctx := context.Background()
	src := openFolder(t, t.TempDir())
	src.aggregate(t, 3000, 40, true)
	good := filepath.Join(t.TempDir(), "good.tar")
	if _, err := Backup(ctx, Options{Data: src.dir, KeyFile: src.keyFile, IncludeKey: true}, good); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	damaged := filepath.Join(t.TempDir(), "damaged.tar")
	d := bytes.Clone(raw)
	d[len(d)/2] ^= 0xff // inside a store's bytes
	os.WriteFile(damaged, d, 0o600)
	truncated := filepath.Join(t.TempDir(), "truncated.tar")
	os.WriteFile(truncated, raw[:len(raw)/3], 0o600)
	notArchive := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(notArchive, []byte("hello"), 0o600)

	tests := []struct {
		name    string
		archive string
		folder  func(t *testing.T) string
		force   bool
		want    string
	}{
		{"non-empty folder", good, func(*testing.T) string { return src.dir }, false, "not empty"},
		{"damaged archive", damaged, emptyDir, false, "SHA-256"},
		{"truncated archive", truncated, emptyDir, false, ""},
		{"not an archive", notArchive, emptyDir, false, "not a portal backup"},
		{"missing archive", filepath.Join(t.TempDir(), "none.tar"), emptyDir, false, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := tt.folder(t)
			_, err := Restore(ctx, RestoreOptions{Data: dir, Force: tt.force}, tt.archive)
			if err == nil || !bytes.Contains([]byte(err.Error()), []byte(tt.want)) {
				t.Fatalf("err = %v, want one mentioning %q", err, tt.want)
			}
			if tt.folder(t) != src.dir {
				if entries, _ := os.ReadDir(dir); len(entries) > 1 { // aggregate.lock may remain
					t.Errorf("a refused restore left %d entries in the folder", len(entries))
				}
			}
		})
	}

	t.Run("the key put back first is no obstacle", func(t *testing.T) {
		dir := t.TempDir()
		b, _ := os.ReadFile(src.keyFile)
		os.WriteFile(filepath.Join(dir, datadir.KeyFileName), b, 0o600)
		res, err := Restore(ctx, RestoreOptions{Data: dir}, good)
		if err != nil || res.KeyMismatch || res.KeyMissing {
			t.Fatalf("%+v %v", res, err)
		}
	})

	t.Run("a different key is never overwritten", func(t *testing.T) {
		dir := t.TempDir()
		other := filepath.Join(dir, datadir.KeyFileName)
		os.WriteFile(other, bytes.Repeat([]byte{7}, 32), 0o600)
		_, err := Restore(ctx, RestoreOptions{Data: dir}, good)
		if err == nil || !strings.Contains(err.Error(), "a different key") {
			t.Fatalf("err = %v", err)
		}
		if _, err := os.Stat(filepath.Join(dir, "published.db")); !errors.Is(err, os.ErrNotExist) {
			t.Error("stores were replaced before the key conflict was found")
		}
	})

	t.Run("force replaces, key included", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "published.db"), []byte("old"), 0o600)
		os.WriteFile(filepath.Join(dir, "published.db-wal"), []byte("stale"), 0o600)
		res, err := Restore(ctx, RestoreOptions{Data: dir, Force: true}, good)
		if err != nil {
			t.Fatal(err)
		}
		if !res.KeyRestored || res.KeyMissing || res.KeyMismatch {
			t.Errorf("key: %+v", res)
		}
		if _, err := os.Stat(filepath.Join(dir, "published.db-wal")); !errors.Is(err, os.ErrNotExist) {
			t.Error("the old WAL file was left to be replayed onto the restored store")
		}
		got := openFolder(t, dir)
		if c, _ := fetch(t, got.site, "/readyz"); c != http.StatusOK {
			t.Errorf("/readyz after restore: %d", c)
		}
	})
}

func emptyDir(t *testing.T) string { return t.TempDir() }
