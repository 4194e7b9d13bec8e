package download

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/release"
)

// fileCache keeps the full, unfiltered downloads of each release as files.
// Releases never change, so a full download is computed once and then
// served like a static file (sendfile, ranges), as fast as a web server
// serves the same bytes; its SHA-256 comes for free.
type fileCache struct {
	dir string
	mu  sync.Mutex
	// building serialises the first build of each file.
	building map[string]*sync.Mutex
}

// cachedFile is a built download.
type cachedFile struct {
	Path   string
	SHA256 string
	Size   int64
}

func newFileCache(dir string) *fileCache {
	if dir == "" {
		return nil
	}
	return &fileCache{dir: dir, building: map[string]*sync.Mutex{}}
}

// get returns the full download of ds in rel in format, building it on
// first use.
func (fc *fileCache) get(ctx context.Context, s *Handler, ds *dataset.Dataset, rel release.Release, format, base string) (*cachedFile, error) {
	// The files name their own absolute URLs: one set per public address.
	name := filepath.Join(fc.dir, "rilis-"+strconv.Itoa(rel.Number), hostDir(base), ds.Slug+"."+format)
	fc.mu.Lock()
	m := fc.building[name]
	if m == nil {
		m = &sync.Mutex{}
		fc.building[name] = m
	}
	fc.mu.Unlock()
	m.Lock()
	defer m.Unlock()
	if cf, err := readCached(name); err == nil {
		return cf, nil
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o750); err != nil {
		return nil, fmt.Errorf("download cache: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".build-*")
	if err != nil {
		return nil, fmt.Errorf("download cache: %w", err)
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	cw := &countingWriter{w: io.MultiWriter(tmp, h)}
	if err := s.writeFull(ctx, cw, ds, rel, format, base); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("download cache: %w", err)
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if err := os.WriteFile(name+".sha256", []byte(sum+"  "+filepath.Base(name)+"\n"), 0o640); err != nil {
		return nil, fmt.Errorf("download cache: %w", err)
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return nil, fmt.Errorf("download cache: %w", err)
	}
	return &cachedFile{Path: name, SHA256: sum, Size: cw.n}, nil
}

func readCached(name string) (*cachedFile, error) {
	fi, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(name + ".sha256")
	if err != nil || len(b) < 64 {
		return nil, fmt.Errorf("no checksum for %s", name)
	}
	return &cachedFile{Path: name, SHA256: string(b[:64]), Size: fi.Size()}, nil
}

// writeFull writes the whole dataset of a release in a format, exactly as
// an unfiltered download sends it.
func (s *Handler) writeFull(ctx context.Context, w io.Writer, ds *dataset.Dataset, rel release.Release, format, base string) error {
	q := &dataset.Query{DS: ds, Release: rel.Number, Filters: map[string][]string{}}
	rows, err := s.Data.Rows(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	switch format {
	case "csv":
		return writeCSV(w, ds, rows, false)
	case "json":
		return writeJSON(w, ds, rows, s.downloadMetaFor(ds, q, rel, base))
	case "xlsx":
		n, err := s.Data.Count(ctx, q)
		if err != nil {
			return err
		}
		return writeXLSX(w, ds, rows, n, s.downloadMetaFor(ds, q, rel, base), rel.PublishedAt)
	case "parquet":
		return writeParquet(w, ds, rows, s.downloadMetaFor(ds, q, rel, base))
	}
	return fmt.Errorf("unknown format %q", format)
}

// hostDir is a folder name for a public address: its scheme and host,
// with anything but letters, digits, dots and hyphens as "_".
func hostDir(base string) string {
	var b strings.Builder
	for _, r := range base {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}
