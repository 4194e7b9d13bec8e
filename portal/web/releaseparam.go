package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/apperr"
	"github.com/portal-data-bansos/portal/internal/release"
)

// RequestedRelease resolves ?release=N (any past release) or, without it,
// the release in force. Before the first release it is
// release.ErrNoRelease (a 503); an unknown or malformed number is a 400
// that says what exists.
func (s *Site) RequestedRelease(c *gin.Context) (release.Release, bool, error) {
	ctx := c.Request.Context()
	latest, err := s.Latest(ctx)
	if err != nil {
		return release.Release{}, false, err
	}
	raw, pinned := c.GetQuery("release")
	if !pinned {
		return latest, false, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(raw))
	if err != nil || n < 1 || n > latest.Number {
		return release.Release{}, true, &apperr.Error{Kind: apperr.Invalid, Code: "unknown_release", Field: "release",
			Key: "error.unknown_release", Args: []any{raw, latest.Number}}
	}
	rel, err := s.Release(ctx, n)
	return rel, true, err
}

// releases caches parsed releases: they never change, and parsing a
// release's reports on every request is most of a small answer's cost.
type releases struct{ m sync.Map } // number → release.Release

// Release returns release n.
func (s *Site) Release(ctx context.Context, n int) (release.Release, error) {
	if r, ok := s.rels.m.Load(n); ok {
		return r.(release.Release), nil
	}
	r, err := s.Data.Release(ctx, n)
	if err != nil {
		return r, err
	}
	s.rels.m.Store(n, r)
	return r, nil
}

// Latest returns the release in force (one indexed lookup, then the cache).
func (s *Site) Latest(ctx context.Context) (release.Release, error) {
	n, err := s.Data.LatestNumber(ctx)
	if err != nil {
		return release.Release{}, err
	}
	return s.Release(ctx, n)
}

// NotModified sets the validators of an answer derived from a release and
// a query — ETag (strong: releases never change) and Last-Modified — and
// cache headers: a year for a URL pinned to a release, a minute for the
// release in force. It reports true, having answered 304, when the client
// already has it.
func NotModified(c *gin.Context, rel release.Release, pinned bool, parts ...string) bool {
	h := sha256.New()
	h.Write([]byte(strconv.Itoa(rel.Number)))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	etag := `"r` + strconv.Itoa(rel.Number) + "-" + hex.EncodeToString(h.Sum(nil))[:20] + `"`
	if p := c.Request.URL.Path; downloadPath(p) && CompressibleDownload(p[strings.LastIndexByte(p, '.')+1:]) && AcceptsGzip(c) {
		// A CSV or JSON download to a client that takes gzip is gzipped
		// by its handler (Compress, which retags the others, leaves
		// downloads alone).
		etag = GzipETag(etag)
	}
	c.Header("ETag", etag)
	c.Header("Last-Modified", rel.PublishedAt.UTC().Format(http.TimeFormat))
	if pinned {
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Header("Cache-Control", "public, max-age=60")
	}
	if c.GetHeader("If-None-Match") != "" {
		if ETagMatches(c, etag) {
			c.Status(http.StatusNotModified)
			return true
		}
		return false
	}
	if ims := c.GetHeader("If-Modified-Since"); ims != "" {
		if t, err := http.ParseTime(ims); err == nil && !rel.PublishedAt.Truncate(time.Second).After(t) {
			c.Status(http.StatusNotModified)
			return true
		}
	}
	return false
}

// ETagMatches says whether the request's If-None-Match names etag or its
// gzip coding's tag (GzipETag: the answer is the same one, compressed):
// one of its comma-separated tags, weak or strong (RFC 9110 §13.1.2
// compares weakly), or "*".
func ETagMatches(c *gin.Context, etag string) bool {
	gz := GzipETag(etag)
	for _, t := range strings.Split(c.GetHeader("If-None-Match"), ",") {
		if t = strings.TrimPrefix(strings.TrimSpace(t), "W/"); t == etag || t == gz || t == "*" {
			return true
		}
	}
	return false
}

// WithRelease puts into the page the release it shows: the one ?release=N
// names (so that a cited page shows exactly what was cited; an unknown
// number is the same 400 as on downloads), else the release in force, if
// there is one. Page.Pinned says which, Page.InForce is the newest number.
func (s *Site) WithRelease(c *gin.Context, p *Page) error {
	rel, pinned, err := s.RequestedRelease(c)
	switch {
	case errors.Is(err, release.ErrNoRelease):
		return nil
	case err != nil:
		return err
	}
	p.Release, p.Pinned = &rel, pinned
	p.InForce = rel.Number
	if pinned {
		latest, err := s.Latest(c.Request.Context())
		if err != nil {
			return err
		}
		p.InForce = latest.Number
	}
	return nil
}
