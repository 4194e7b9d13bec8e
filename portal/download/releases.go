package download

import (
	"cmp"
	"context"
	"encoding/csv"
	"html/template"
	"maps"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/apperr"
	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/published"
	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/portal/news"
	"github.com/portal-data-bansos/portal/portal/web"
)

// Data releases as pages (docs/interface.md, "Releases"): /rilis lists
// them, /rilis/{n} shows one — when it was made, its input files and the
// lists in force, its rounded run report and disclosure report, and what
// changed since release n−1 — /rilis/{n}/perubahan.csv gives every
// revised cell, and /rilis.atom announces each release. A release's
// changes are computed from the two releases' published tables, which
// anyone can download: they disclose nothing the releases do not.

// Change kinds of a cell present in both releases.
const (
	changeRevised   = "revisi"       // a published value changed
	changeWithheld  = "ditekan_baru" // published before, withheld now
	changePublished = "terbit_baru"  // withheld before, published now
)

// cellChange is one measure of one row that differs between two releases.
type cellChange struct {
	Dataset, Key, Level, Measure, Kind string
	Old, New                           string // "" when withheld
	size                               float64
}

// levelChanges counts a dataset level's changes.
type levelChanges struct {
	Dataset, Level                      string
	Revised, Withheld, Published, Added int
	Removed                             int
}

// releaseChanges is what changed from release Prev to the release.
type releaseChanges struct {
	Prev        int
	NewQuarters []string
	Levels      []levelChanges
	Cells       []cellChange // every changed cell, largest revision first
}

// totals sums the counts over the levels.
func (rc *releaseChanges) totals() levelChanges {
	var t levelChanges
	for _, l := range rc.Levels {
		t.Revised, t.Withheld, t.Published, t.Added, t.Removed = t.Revised+l.Revised, t.Withheld+l.Withheld, t.Published+l.Published, t.Added+l.Added, t.Removed+l.Removed
	}
	return t
}

// changeMemo keeps computed changes: releases never change.
type changeMemo struct {
	mu   sync.Mutex
	done map[int]*releaseChanges
}

// changes returns what changed from release n−1 to n (nil for release 1).
func (s *Handler) changes(ctx context.Context, rel release.Release) (*releaseChanges, error) {
	if rel.Number < 2 {
		return nil, nil
	}
	s.memo.mu.Lock()
	defer s.memo.mu.Unlock()
	if rc, ok := s.memo.done[rel.Number]; ok {
		return rc, nil
	}
	prev, err := s.Release(ctx, rel.Number-1)
	if err != nil {
		return nil, err
	}
	rc := &releaseChanges{Prev: prev.Number}
	for _, q := range rel.Periods {
		if !slices.Contains(prev.Periods, q) {
			rc.NewQuarters = append(rc.NewQuarters, q)
		}
	}
	for _, ds := range dataset.All {
		if ds.Table == "" {
			continue
		}
		if err := s.datasetChanges(ctx, ds, prev.Number, rel.Number, rc); err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(rc.Cells, func(a, b cellChange) int { return cmp.Compare(b.size, a.size) })
	if s.memo.done == nil {
		s.memo.done = map[int]*releaseChanges{}
	}
	s.memo.done[rel.Number] = rc
	return rc, nil
}

// datasetChanges compares one dataset's rows, keyed by its dimensions,
// measure by measure.
func (s *Handler) datasetChanges(ctx context.Context, ds *dataset.Dataset, prev, cur int, rc *releaseChanges) error {
	var measures []int
	level := -1
	var keyCols []int
	for i, c := range ds.Columns {
		switch {
		case c.Dimension:
			keyCols = append(keyCols, i)
			if c.Name == "tingkat" {
				level = i
			}
		case c.Type == dataset.TypeInteger || c.Type == dataset.TypeNumber:
			measures = append(measures, i)
		}
	}
	keyOf := func(vals []any) string {
		parts := make([]string, len(keyCols))
		for j, i := range keyCols {
			parts[j] = ds.Columns[i].Name + "=" + text(vals[i])
		}
		return strings.Join(parts, ";")
	}
	old := map[string][]string{}
	if err := s.eachRow(ctx, ds, prev, func(vals []any) {
		v := make([]string, len(measures))
		for j, i := range measures {
			v[j] = text(vals[i])
		}
		old[keyOf(vals)] = v
	}); err != nil {
		return err
	}
	byLevel := map[string]*levelChanges{}
	at := func(l string) *levelChanges {
		if byLevel[l] == nil {
			byLevel[l] = &levelChanges{Dataset: ds.Slug, Level: l}
		}
		return byLevel[l]
	}
	err := s.eachRow(ctx, ds, cur, func(vals []any) {
		key := keyOf(vals)
		lvl := ""
		if level >= 0 {
			lvl = text(vals[level])
		}
		was, ok := old[key]
		if !ok {
			at(lvl).Added++
			return
		}
		delete(old, key)
		for j, i := range measures {
			o, n := was[j], text(vals[i])
			if o == n {
				continue
			}
			ch := cellChange{Dataset: ds.Slug, Key: key, Level: lvl, Measure: ds.Columns[i].Name, Old: o, New: n}
			switch {
			case n == "":
				ch.Kind = changeWithheld
				at(lvl).Withheld++
			case o == "":
				ch.Kind = changePublished
				at(lvl).Published++
			default:
				ch.Kind = changeRevised
				at(lvl).Revised++
				a, _ := strconv.ParseFloat(o, 64)
				b, _ := strconv.ParseFloat(n, 64)
				ch.size = math.Abs(b - a)
			}
			rc.Cells = append(rc.Cells, ch)
		}
	})
	if err != nil {
		return err
	}
	for key := range old {
		lvl := ""
		if level >= 0 {
			for _, part := range strings.Split(key, ";") {
				if v, ok := strings.CutPrefix(part, "tingkat="); ok {
					lvl = v
				}
			}
		}
		at(lvl).Removed++
	}
	var levels []string
	if level >= 0 {
		levels = ds.Columns[level].Values
	}
	for _, l := range levels {
		if lc := byLevel[l]; lc != nil {
			rc.Levels = append(rc.Levels, *lc)
			delete(byLevel, l)
		}
	}
	for _, l := range slices.Sorted(maps.Keys(byLevel)) { // a dataset without levels
		rc.Levels = append(rc.Levels, *byLevel[l])
	}
	return nil
}

// eachRow streams a dataset's rows of a release.
func (s *Handler) eachRow(ctx context.Context, ds *dataset.Dataset, rel int, fn func([]any)) error {
	rows, err := s.Data.Rows(ctx, &dataset.Query{DS: ds, Release: rel, Filters: map[string][]string{}})
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		fn(rows.Values())
	}
	return rows.Err()
}

// text is a value as the CSV writes it ("" when withheld).
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	}
	return string(appendPlain(nil, v))
}

type releaseListPage struct {
	*web.Page
	Releases []releaseRow
}

type releaseRow struct {
	release.Release
	Changes *levelChanges
	New     []string
}

type releasePage struct {
	*web.Page
	Shown   release.Release
	Report  release.Report
	Files   []published.ReleaseFile
	Changes *releaseChanges
	Totals  levelChanges
	Top     []cellChange
	CSVURL  string
}

// Releases answers /rilis: every release, newest first, with what it
// changed.
func (s *Handler) Releases(c *gin.Context) {
	p := &releaseListPage{Page: s.NewPage(c, "dataset")}
	all, err := s.Data.Releases(c.Request.Context())
	if err != nil {
		_ = c.Error(err)
		return
	}
	for _, r := range all {
		row := releaseRow{Release: r}
		rc, err := s.changes(c.Request.Context(), r)
		if err != nil {
			_ = c.Error(err)
			return
		}
		if rc != nil {
			t := rc.totals()
			row.Changes, row.New = &t, rc.NewQuarters
		}
		p.Releases = append(p.Releases, row)
	}
	c.Header("Cache-Control", "public, max-age=60")
	s.Render(c, http.StatusOK, "rilis_daftar", p)
}

// releaseOf reads the {n} of /rilis/{n}: a 404 for one that does not
// exist.
func (s *Handler) releaseOf(c *gin.Context) (release.Release, bool) {
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil || n < 1 {
		_ = c.Error(web.ErrNotFound)
		return release.Release{}, false
	}
	rel, err := s.Release(c.Request.Context(), n)
	if err != nil {
		_ = c.Error(apperr.From(err))
		return rel, false
	}
	return rel, true
}

// ReleasePage answers /rilis/{n}.
func (s *Handler) ReleasePage(c *gin.Context) {
	rel, ok := s.releaseOf(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	p := &releasePage{Page: s.NewPage(c, "dataset"), Shown: rel, Report: rel.Report.Public(rel.K)}
	p.Release = &rel
	if web.NotModified(c, rel, true, "rilis", string(web.LangOf(c))) {
		return
	}
	var err error
	if p.Files, err = s.Data.ReleaseFiles(ctx, rel.Number); err != nil {
		_ = c.Error(err)
		return
	}
	if p.Changes, err = s.changes(ctx, rel); err != nil {
		_ = c.Error(err)
		return
	}
	if p.Changes != nil {
		p.Totals = p.Changes.totals()
		for _, ch := range p.Changes.Cells {
			if ch.Kind == changeRevised && len(p.Top) < 20 {
				p.Top = append(p.Top, ch)
			}
		}
		p.CSVURL = "/rilis/" + strconv.Itoa(rel.Number) + "/perubahan.csv"
	}
	s.Render(c, http.StatusOK, "rilis", p)
}

// ChangesCSV answers /rilis/{n}/perubahan.csv: every cell that changed
// since release n−1, largest revision first.
func (s *Handler) ChangesCSV(c *gin.Context) {
	rel, ok := s.releaseOf(c)
	if !ok {
		return
	}
	if rel.Number < 2 {
		_ = c.Error(&apperr.Error{Kind: apperr.NotFound, Code: "no_previous_release", Msg: i18n.Text{ID: "rilis 1 tidak punya rilis sebelumnya untuk dibandingkan", EN: "release 1 has no previous release to compare with"}})
		return
	}
	if web.NotModified(c, rel, true, "perubahan") {
		return
	}
	rc, err := s.changes(c.Request.Context(), rel)
	if err != nil {
		_ = c.Error(err)
		return
	}
	name := "perubahan_rilis-" + strconv.Itoa(rc.Prev) + "-ke-" + strconv.Itoa(rel.Number)
	if rel.Synthetic {
		name += "-contoh"
	}
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	w := csv.NewWriter(c.Writer)
	_ = w.Write([]string{"dataset", "kunci", "tingkat", "ukuran", "jenis", "nilai_lama", "nilai_baru"})
	for _, ch := range rc.Cells {
		_ = w.Write([]string{ch.Dataset, ch.Key, ch.Level, ch.Measure, ch.Kind, ch.Old, ch.New})
	}
	w.Flush()
}

// ReleaseFeed answers /rilis.atom: one entry per release (its id never
// changes), summarising what it changed.
func (s *Handler) ReleaseFeed(c *gin.Context) {
	ctx := c.Request.Context()
	all, err := s.Data.Releases(ctx)
	if err != nil {
		_ = c.Error(err)
		return
	}
	l := s.Cat.For(web.LangOf(c))
	base := s.BaseOf(c)
	host := base
	if u, err := url.Parse(base); err == nil {
		host = u.Host
	}
	m := news.FeedMeta{Title: l.T("rilis.feed_title"), Description: l.T("rilis.feed_description"), Lang: string(l.Lang),
		Home: base + "/rilis", Self: base + "/rilis.atom", Author: web.Publisher}
	var items []news.FeedItem
	for i, r := range all {
		if i >= 50 {
			break
		}
		if r.PublishedAt.After(m.Updated) {
			m.Updated = r.PublishedAt
		}
		summary := l.T("rilis.entry_first", r.Number, strings.Join(r.Periods, ", "))
		rc, err := s.changes(ctx, r)
		if err != nil {
			_ = c.Error(err)
			return
		}
		if rc != nil {
			t := rc.totals()
			quarters := strings.Join(rc.NewQuarters, ", ")
			if quarters == "" {
				quarters = "—"
			}
			summary = l.T("rilis.entry", r.Number, quarters, t.Revised, t.Withheld, t.Published)
		}
		if r.Synthetic {
			summary = l.T("demo.short") + ". " + summary
		}
		items = append(items, news.FeedItem{
			ID:  "tag:" + host + "," + r.PublishedAt.In(bansos.WIB).Format("2006-01-02") + ":rilis/" + strconv.Itoa(r.Number),
			URL: base + "/rilis/" + strconv.Itoa(r.Number), Title: l.T("rilis.entry_title", r.Number),
			Summary: summary, Content: template.HTMLEscapeString(summary), Published: r.PublishedAt, Updated: r.PublishedAt,
		})
	}
	body, err := news.AtomFeed(m, items)
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.Header("Cache-Control", "public, max-age=60")
	c.Data(http.StatusOK, "application/atom+xml; charset=utf-8", body)
}
