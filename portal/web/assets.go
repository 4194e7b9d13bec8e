package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/public"
)

// assets serves public/static at checksummed URLs: css/site.css is linked as
// /static/css/site.1a2b3c4d5e.css, so it can be cached for a year and a new
// build's file has a new URL.
type assets struct {
	byHashed map[string]asset // "css/site.1a2b3c4d5e.css" → file
	byName   map[string]asset // "css/site.css" → file
}

type asset struct {
	name   string // path under static/
	hashed string // name with the hash before the extension
	body   []byte
	gz     []byte // gzipped body, for text assets that shrink
	etag   string
	ctype  string
}

// loadAssets reads and checksums the embedded static files once per
// process (they are the binary's own), compressing text assets so that
// ECharts' megabyte reaches a phone as about a third of that.
var loadAssets = sync.OnceValues(readAssets)

func readAssets() (*assets, error) {
	a := &assets{byHashed: map[string]asset{}, byName: map[string]asset{}}
	static, err := fs.Sub(public.FS, "static")
	if err != nil {
		return nil, err
	}
	err = fs.WalkDir(static, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(static, p)
		if err != nil {
			return fmt.Errorf("read asset %s: %w", p, err)
		}
		sum := sha256.Sum256(body)
		h := hex.EncodeToString(sum[:])[:10]
		ext := path.Ext(p)
		ct := mime.TypeByExtension(ext)
		if ct == "" {
			ct = "application/octet-stream"
		}
		f := asset{name: p, hashed: strings.TrimSuffix(p, ext) + "." + h + ext, body: body, etag: `"` + h + `"`, ctype: ct}
		switch ext {
		case ".js", ".css", ".svg", ".json", ".txt":
			var buf bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			zw.Write(body)
			zw.Close()
			if buf.Len() < len(body) {
				f.gz = buf.Bytes()
			}
		}
		a.byHashed[f.hashed] = f
		a.byName[p] = f
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load static assets: %w", err)
	}
	return a, nil
}

// url returns the checksummed URL of a static file. A template naming a
// file that does not exist fails loudly at render time.
func (a *assets) url(name string) (string, error) {
	f, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("no static asset %q", name)
	}
	return "/static/" + f.hashed, nil
}

// Static serves /static/*: checksummed names are immutable and cached for a
// year; plain names (for tools that need a fixed URL) are revalidated.
func (s *Site) Static(c *gin.Context) {
	p := strings.TrimPrefix(c.Param("path"), "/")
	f, ok := s.assets.byHashed[p]
	cache := "public, max-age=31536000, immutable"
	if !ok {
		if f, ok = s.assets.byName[p]; !ok {
			_ = c.Error(ErrNotFound)
			return
		}
		cache = "public, max-age=300"
	}
	c.Header("Cache-Control", cache)
	gz := f.gz != nil && AcceptsGzip(c)
	etag := f.etag
	if gz {
		etag = GzipETag(etag) // each coding its own validator
	}
	c.Header("ETag", etag)
	c.Header("Vary", "Accept-Encoding")
	if ETagMatches(c, f.etag) {
		c.Status(http.StatusNotModified)
		return
	}
	if gz {
		c.Header("Content-Encoding", "gzip")
		c.Data(http.StatusOK, f.ctype, f.gz)
		return
	}
	c.Data(http.StatusOK, f.ctype, f.body)
}
