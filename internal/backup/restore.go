package backup

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/portal-data-bansos/portal/internal/datadir"
	"github.com/portal-data-bansos/portal/internal/store"
)

// ErrNotEmpty is returned when restoring into a data folder that already
// holds stores, without Force.
var ErrNotEmpty = errors.New("the data folder is not empty")

// RestoreOptions configure a restore.
type RestoreOptions struct {
	// Data is the data folder to restore into (created when absent).
	Data string
	// KeyFile is where an included key is put (default Data/secret.key).
	KeyFile string
	// Force replaces the stores of a data folder that has some.
	Force bool
}

// RestoreResult says what a restore did.
type RestoreResult struct {
	Manifest *Manifest
	// KeyRestored is true when the archive's key was written to KeyFile.
	KeyRestored bool
	// KeyMissing is true when private.db needs a key that is not at
	// KeyFile: it must be put there before the next aggregation.
	KeyMissing bool
	// KeyMismatch is true when the key at KeyFile is not the one private.db
	// was built with.
	KeyMismatch bool
}

// Restore unpacks an archive made by Backup into a data folder: every file
// is checked against the manifest's SHA-256 and every store with PRAGMA
// integrity_check before anything in the folder is replaced. The portal
// must not be running on the folder.
func Restore(ctx context.Context, opt RestoreOptions, path string) (*RestoreResult, error) {
	if opt.KeyFile == "" {
		opt.KeyFile = datadir.DefaultKeyFile(opt.Data)
	}
	if err := os.MkdirAll(opt.Data, 0o750); err != nil {
		return nil, fmt.Errorf("restore: data folder: %w", err)
	}
	if !opt.Force {
		if err := checkEmpty(opt.Data, opt.KeyFile); err != nil {
			return nil, fmt.Errorf("restore: %w", err)
		}
	}
	lock, err := datadir.TryLock(opt.Data)
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	defer lock.Unlock()

	stage, err := os.MkdirTemp(opt.Data, ".restore-*")
	if err != nil {
		return nil, fmt.Errorf("restore: staging folder: %w", err)
	}
	defer os.RemoveAll(stage)
	m, err := unpack(path, stage)
	if err != nil {
		return nil, fmt.Errorf("restore %s: %w", filepath.Base(path), err)
	}
	for _, k := range store.Kinds {
		db, err := sql.Open("sqlite3", "file:"+filepath.Join(stage, k.FileName())+"?mode=ro")
		if err != nil {
			return nil, fmt.Errorf("restore: %w", err)
		}
		err = integrity(ctx, db, k.FileName())
		db.Close()
		if err != nil {
			return nil, fmt.Errorf("restore: %w", err)
		}
	}
	if m.KeyIncluded {
		if old, err := os.ReadFile(opt.KeyFile); err == nil {
			if neu, _ := os.ReadFile(filepath.Join(stage, datadir.KeyFileName)); !bytes.Equal(old, neu) {
				return nil, fmt.Errorf("restore: a different key is already at %s; move it away first (a key is never overwritten)", opt.KeyFile)
			}
		}
	}
	res := &RestoreResult{Manifest: m}

	// Everything checked: replace the stores. The stale WAL and shared
	// memory files of the old stores would be replayed onto the new ones,
	// and the download cache holds files of the old releases: remove them.
	for _, k := range store.Kinds {
		dst := filepath.Join(opt.Data, k.FileName())
		for _, suffix := range []string{"-wal", "-shm"} {
			if err := os.Remove(dst + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("restore: %w", err)
			}
		}
		if err := os.Rename(filepath.Join(stage, k.FileName()), dst); err != nil {
			return nil, fmt.Errorf("restore: %w", err)
		}
	}
	if err := os.RemoveAll(filepath.Join(opt.Data, "cache")); err != nil {
		return nil, fmt.Errorf("restore: download cache: %w", err)
	}
	if m.KeyIncluded {
		if err := os.MkdirAll(filepath.Dir(opt.KeyFile), 0o750); err != nil {
			return nil, fmt.Errorf("restore: %w", err)
		}
		if err := os.Rename(filepath.Join(stage, datadir.KeyFileName), opt.KeyFile); err != nil {
			return nil, fmt.Errorf("restore: key: %w", err)
		}
		res.KeyRestored = true
	}
	if m.KeyFingerprint != "" {
		if _, err := os.Stat(opt.KeyFile); errors.Is(err, os.ErrNotExist) {
			res.KeyMissing = true
		} else if k, err := datadir.LoadOrCreateKey(opt.KeyFile); err != nil {
			return res, fmt.Errorf("restore: key file: %w", err)
		} else if k.Fingerprint() != m.KeyFingerprint {
			res.KeyMismatch = true
		}
	}
	return res, nil
}

// checkEmpty refuses a folder that holds a store or anything but the
// files a fresh portal leaves behind and the key, which an operator may
// have put back first.
func checkEmpty(dir, keyFile string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if p := filepath.Join(dir, e.Name()); p == datadir.LockFile(dir) || p == datadir.DefaultInbox(dir) {
			continue
		}
		if filepath.Join(dir, e.Name()) == filepath.Clean(keyFile) {
			continue
		}
		return fmt.Errorf("%w: %s holds %s; restore into an empty folder or pass --force to replace its stores", ErrNotEmpty, dir, e.Name())
	}
	return nil
}

// maxArchiveFile bounds one file of an archive (a hostile or damaged
// archive cannot fill the disk): far above a national history's stores.
const maxArchiveFile = 64 << 30

// unpack reads the manifest and the files it lists into dir, checking each
// file's size and SHA-256.
func unpack(path, dir string) (*Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	var r io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("not a gzip file: %w", err)
		}
		defer gz.Close()
		r = gz
	}
	tr := tar.NewReader(r)
	var m *Manifest
	got := map[string]bool{}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("not a portal backup (tar): %w", err)
		}
		if m == nil {
			if h.Name != ManifestFile {
				return nil, fmt.Errorf("not a portal backup: first entry is %q, not %s", h.Name, ManifestFile)
			}
			m = &Manifest{}
			if err := json.NewDecoder(io.LimitReader(tr, 1<<20)).Decode(m); err != nil {
				return nil, fmt.Errorf("manifest: %w", err)
			}
			if m.Format != FormatVersion {
				return nil, fmt.Errorf("manifest: archive format %d, this portal reads %d", m.Format, FormatVersion)
			}
			continue
		}
		i := slices.IndexFunc(m.Files, func(fe FileEntry) bool { return fe.Name == h.Name })
		if i < 0 || h.Typeflag != tar.TypeReg || strings.ContainsAny(h.Name, `/\`) {
			return nil, fmt.Errorf("unexpected entry %q", h.Name)
		}
		fe := m.Files[i]
		if h.Size != fe.Bytes || h.Size > maxArchiveFile {
			return nil, fmt.Errorf("%s: %d bytes, manifest says %d", h.Name, h.Size, fe.Bytes)
		}
		out, err := os.OpenFile(filepath.Join(dir, h.Name), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return nil, err
		}
		hs := sha256.New()
		_, err = io.Copy(io.MultiWriter(out, hs), io.LimitReader(tr, fe.Bytes))
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", h.Name, err)
		}
		if sum := hex.EncodeToString(hs.Sum(nil)); sum != fe.SHA256 {
			return nil, fmt.Errorf("%s: SHA-256 %s does not match the manifest's %s: the archive is damaged", h.Name, sum, fe.SHA256)
		}
		got[h.Name] = true
	}
	if m == nil {
		return nil, errors.New("not a portal backup: empty archive")
	}
	for _, fe := range m.Files {
		if !got[fe.Name] {
			return nil, fmt.Errorf("%s is in the manifest but not in the archive: the archive is truncated", fe.Name)
		}
	}
	for _, k := range store.Kinds {
		if !got[k.FileName()] {
			return nil, fmt.Errorf("the archive lacks %s", k.FileName())
		}
	}
	return m, nil
}
