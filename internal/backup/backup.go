// Package backup copies the portal's stores while it runs, restores such a
// copy, and exports one release as a file a read-only replica can serve.
//
// A backup is one tar archive (gzipped unless its name ends in .tar) with
// the three stores and a manifest.json of schema versions, SHA-256 sums,
// the release in force and the key's fingerprint. Each store is copied with
// SQLite's online backup, a consistent snapshot that lets the site go on
// reading and writing. published.db and private.db change together in a
// run (private first, then the release, then private marks the run
// committed); the copy holds the aggregation lock while it copies them, so
// the pair is always one the next run's reconcile step accepts.
package backup

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"

	"github.com/portal-data-bansos/portal/internal/datadir"
	"github.com/portal-data-bansos/portal/internal/store"
)

// FormatVersion is the version of the archive layout.
const FormatVersion = 1

// ManifestFile is the manifest's name inside an archive.
const ManifestFile = "manifest.json"

// Manifest describes an archive.
type Manifest struct {
	Format    int       `json:"format"`
	CreatedAt time.Time `json:"created_at"`
	// Release is the release in force in the copied published.db (0: none).
	Release int `json:"release"`
	// KeyFingerprint identifies the key private.db was built with; the key
	// itself is in the archive only when KeyIncluded.
	KeyFingerprint string      `json:"key_fingerprint,omitempty"`
	KeyIncluded    bool        `json:"key_included"`
	Files          []FileEntry `json:"files"`
}

// FileEntry is one file of the archive.
type FileEntry struct {
	Name          string `json:"name"`
	SchemaVersion int    `json:"schema_version,omitempty"`
	Bytes         int64  `json:"bytes"`
	SHA256        string `json:"sha256"`
}

// Options configure a backup.
type Options struct {
	// Data is the data folder holding the stores.
	Data string
	// KeyFile is the pseudonymisation key (copied only with IncludeKey).
	KeyFile    string
	IncludeKey bool
	// Wait bounds how long to wait for a running aggregation to finish.
	Wait time.Duration
	Log  *slog.Logger
	Now  func() time.Time
}

// Backup writes a consistent copy of the stores in opt.Data to the archive
// at path (written to a temporary name, then renamed, mode 0600).
func Backup(ctx context.Context, opt Options, path string) (*Manifest, error) {
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	for _, k := range store.Kinds {
		if _, err := os.Stat(filepath.Join(opt.Data, k.FileName())); err != nil {
			return nil, fmt.Errorf("backup: %w", err)
		}
	}
	stage, err := os.MkdirTemp(filepath.Dir(path), ".backup-*")
	if err != nil {
		return nil, fmt.Errorf("backup: staging folder: %w", err)
	}
	defer os.RemoveAll(stage)

	m := &Manifest{Format: FormatVersion, CreatedAt: opt.Now().UTC()}
	if err := copyStores(ctx, opt, stage); err != nil {
		return nil, err
	}
	for _, k := range store.Kinds {
		fe, err := checkCopy(ctx, filepath.Join(stage, k.FileName()), k)
		if err != nil {
			return nil, fmt.Errorf("backup: %w", err)
		}
		m.Files = append(m.Files, *fe)
	}
	if m.Release, m.KeyFingerprint, err = describe(ctx, stage); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if opt.IncludeKey {
		b, err := os.ReadFile(opt.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("backup: key file: %w", err)
		}
		if err := os.WriteFile(filepath.Join(stage, datadir.KeyFileName), b, 0o600); err != nil {
			return nil, fmt.Errorf("backup: %w", err)
		}
		sum := sha256.Sum256(b)
		m.Files = append(m.Files, FileEntry{Name: datadir.KeyFileName, Bytes: int64(len(b)), SHA256: hex.EncodeToString(sum[:])})
		m.KeyIncluded = true
	}
	if err := writeArchive(path, stage, m); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	return m, nil
}

// copyStores copies the three stores into dir: published.db and private.db
// under the aggregation lock, so no run is half-way between them.
func copyStores(ctx context.Context, opt Options, dir string) error {
	t0 := time.Now()
	lock, err := datadir.WaitLock(ctx, opt.Data, opt.Wait)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	opt.Log.Info("aggregation lock taken", "waited", time.Since(t0).Round(time.Millisecond).String())
	defer lock.Unlock()
	for _, k := range store.Kinds {
		t1 := time.Now()
		if err := onlineCopy(ctx, filepath.Join(opt.Data, k.FileName()), filepath.Join(dir, k.FileName())); err != nil {
			return fmt.Errorf("backup: copy %s: %w", k.FileName(), err)
		}
		opt.Log.Info("store copied", "store", k.FileName(), "took", time.Since(t1).Round(time.Millisecond).String())
	}
	return nil
}

// onlineCopy copies an SQLite database with the online backup API: one
// step, so the copy is one snapshot; under WAL, writers go on meanwhile.
// The copy is left in rollback-journal mode, a self-contained single file.
func onlineCopy(ctx context.Context, src, dst string) error {
	sdb, err := sql.Open("sqlite3", "file:"+src+"?_busy_timeout=10000")
	if err != nil {
		return err
	}
	defer sdb.Close()
	ddb, err := sql.Open("sqlite3", "file:"+dst)
	if err != nil {
		return err
	}
	defer ddb.Close()
	sc, err := sdb.Conn(ctx)
	if err != nil {
		return err
	}
	defer sc.Close()
	dc, err := ddb.Conn(ctx)
	if err != nil {
		return err
	}
	defer dc.Close()
	err = dc.Raw(func(d any) error {
		return sc.Raw(func(s any) error {
			b, err := d.(*sqlite3.SQLiteConn).Backup("main", s.(*sqlite3.SQLiteConn), "main")
			if err != nil {
				return err
			}
			for {
				done, err := b.Step(-1)
				if err != nil {
					b.Finish()
					return err
				}
				if done {
					return b.Finish()
				}
			}
		})
	})
	if err != nil {
		return err
	}
	if _, err := dc.ExecContext(ctx, "PRAGMA journal_mode=DELETE"); err != nil {
		return fmt.Errorf("journal mode of the copy: %w", err)
	}
	return nil
}

// checkCopy runs PRAGMA integrity_check on a copied store and sums it.
func checkCopy(ctx context.Context, path string, kind store.Kind) (*FileEntry, error) {
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := integrity(ctx, db, filepath.Base(path)); err != nil {
		return nil, err
	}
	v, err := store.Version(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	if latest := store.Latest(kind); v > latest {
		return nil, fmt.Errorf("%s: %w (version %d, this portal knows up to %d)", filepath.Base(path), store.ErrSchemaTooNew, v, latest)
	}
	sum, n, err := sumFile(path)
	if err != nil {
		return nil, err
	}
	return &FileEntry{Name: filepath.Base(path), SchemaVersion: v, Bytes: n, SHA256: sum}, nil
}

func integrity(ctx context.Context, db *sql.DB, name string) error {
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("%s: integrity check: %w", name, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return fmt.Errorf("%s: integrity check: %w", name, err)
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: integrity check: %w", name, err)
	}
	if len(problems) > 0 {
		if len(problems) > 5 {
			problems = append(problems[:5], "…")
		}
		return fmt.Errorf("%s fails its integrity check: %s", name, strings.Join(problems, "; "))
	}
	return nil
}

// describe reads the release in force and the key fingerprint of copies.
func describe(ctx context.Context, dir string) (release int, fingerprint string, err error) {
	pub, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, store.Published.FileName())+"?mode=ro")
	if err != nil {
		return 0, "", err
	}
	defer pub.Close()
	var n sql.NullInt64
	if err := pub.QueryRowContext(ctx, `SELECT max(number) FROM release`).Scan(&n); err != nil {
		return 0, "", fmt.Errorf("release in force: %w", err)
	}
	priv, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, store.Private.FileName())+"?mode=ro")
	if err != nil {
		return 0, "", err
	}
	defer priv.Close()
	err = priv.QueryRowContext(ctx, `SELECT fingerprint FROM key_fingerprint WHERE id = 1`).Scan(&fingerprint)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, "", fmt.Errorf("key fingerprint: %w", err)
	}
	return int(n.Int64), fingerprint, nil
}

func sumFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("read %s: %w", filepath.Base(path), err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// gzipped tells whether an archive name asks for compression.
func gzipped(path string) bool { return !strings.HasSuffix(strings.ToLower(path), ".tar") }

// writeArchive writes the manifest, then the files it lists, to path.
func writeArchive(path, dir string, m *Manifest) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".backup-*.part")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(tmp, 1<<20)
	var w io.Writer = bw
	var gz *gzip.Writer
	if gzipped(path) {
		gz, _ = gzip.NewWriterLevel(bw, gzip.BestSpeed)
		w = gz
	}
	tw := tar.NewWriter(w)
	mj, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	hdr := func(name string, size int64) *tar.Header {
		return &tar.Header{Name: name, Mode: 0o600, Size: size, ModTime: m.CreatedAt, Typeflag: tar.TypeReg, Format: tar.FormatPAX}
	}
	if err := tw.WriteHeader(hdr(ManifestFile, int64(len(mj)))); err != nil {
		return err
	}
	if _, err := tw.Write(mj); err != nil {
		return err
	}
	for _, fe := range m.Files {
		f, err := os.Open(filepath.Join(dir, fe.Name))
		if err != nil {
			return err
		}
		if err := tw.WriteHeader(hdr(fe.Name, fe.Bytes)); err != nil {
			f.Close()
			return err
		}
		_, err = io.Copy(tw, f)
		f.Close()
		if err != nil {
			return fmt.Errorf("archive %s: %w", fe.Name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if gz != nil {
		if err := gz.Close(); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
