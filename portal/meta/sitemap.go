package meta

import (
	"encoding/xml"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/release"
)

// Robots answers /robots.txt: crawlers are welcome on the pages and
// datasets, pointed at the sitemap, and kept out of the press office's
// area, the iframe copies of pages (/embed/) and the API, which machines
// read by its OpenAPI document, not by crawling (docs/interface.md, "Web").
func (s *Handler) Robots(c *gin.Context) {
	c.Header("Cache-Control", "public, max-age=3600")
	c.Header("Content-Type", "text/plain; charset=utf-8")
	c.String(http.StatusOK, "User-agent: *\nDisallow: /admin\nDisallow: /embed/\nDisallow: /api/\nAllow: /\n\nSitemap: %s/sitemap.xml\n", s.BaseOf(c))
}

type smURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type smURLSet struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []smURL  `xml:"url"`
}

// Sitemap answers /sitemap.xml (sitemaps.org 0.9): the dashboard, the
// catalogue and every dataset page, every province and regency page, the
// programme pages, the methodology and status, every published post, and
// the information desk's form, report and published answers.
// Data pages are as fresh as the release in force.
func (s *Handler) Sitemap(c *gin.Context) {
	ctx := c.Request.Context()
	base := s.BaseOf(c)
	var lastmod string
	rel, err := s.Latest(ctx)
	switch {
	case err == nil:
		lastmod = rel.PublishedAt.UTC().Format(time.RFC3339)
	case !errors.Is(err, release.ErrNoRelease):
		_ = c.Error(err)
		return
	}
	set := smURLSet{}
	add := func(path, mod string) { set.URLs = append(set.URLs, smURL{Loc: base + path, LastMod: mod}) }
	add("/", lastmod)
	add("/dataset", lastmod)
	for _, ds := range dataset.All {
		add("/dataset/"+ds.Slug, lastmod)
	}
	for _, p := range region.Default().Provinces() {
		add("/wilayah/"+p.Code, lastmod)
		for _, k := range region.Default().Children(p.Code) {
			add("/wilayah/"+k.Code, lastmod)
		}
	}
	for _, code := range bansos.ProgramCodes {
		add("/program/"+code, lastmod)
	}
	add("/rilis", lastmod)
	if rel.Number > 0 {
		for n := 1; n <= rel.Number; n++ {
			add("/rilis/"+strconv.Itoa(n), "")
		}
	}
	add("/metodologi", lastmod)
	add("/status", "")
	add("/berita", "")
	posts, _, err := s.Press.List(ctx, press.Filter{Statuses: []string{press.StatusPublished, press.StatusRetracted}})
	if err != nil {
		_ = c.Error(err)
		return
	}
	for _, p := range posts {
		add("/berita/"+p.Slug, p.Modified().UTC().Format(time.RFC3339))
	}
	add("/tanya", "")
	add("/tanya/terjawab", "")
	add("/tanya/laporan", "")
	answers, _, err := s.Press.Answered(ctx, press.AnswerFilter{})
	if err != nil {
		_ = c.Error(err)
		return
	}
	for _, a := range answers {
		add("/tanya/terjawab/"+strconv.FormatInt(a.ID, 10), a.Answered.UTC().Format(time.RFC3339))
	}
	var b strings.Builder
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", " ")
	if err := enc.Encode(set); err != nil {
		_ = c.Error(err)
		return
	}
	c.Header("Cache-Control", "public, max-age=300")
	c.Data(http.StatusOK, "application/xml; charset=utf-8", []byte(b.String()+"\n"))
}
