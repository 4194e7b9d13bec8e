package pages

import (
	"net/http"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/search"
	"github.com/portal-data-bansos/portal/portal/web"
)

// searchIndex is every region (province to district), programme and
// dataset, built once.
var searchIndex = sync.OnceValue(func() *search.Index {
	cat, _ := i18n.Messages()
	ix := &search.Index{}
	regs := region.Default()
	var walk func(r region.Region, parents []string)
	walk = func(r region.Region, parents []string) {
		e := search.Entry{Kind: search.Region, Key: r.Code, Title: r.Name, Context: strings.Join(parents, ", "), URL: "/wilayah/" + r.Code, Rank: int(r.Level)}
		switch r.Level {
		case region.Province:
			e.Type = "provinsi"
		case region.District:
			e.Type = "kecamatan"
		} // a regency's kind is the first word of its name
		ix.Add(e, parents...)
		if r.Level >= region.District {
			return
		}
		next := append([]string{r.Name}, parents...)
		for _, k := range regs.Children(r.Code) {
			walk(k, next)
		}
	}
	for _, p := range regs.Provinces() {
		walk(p, nil)
	}
	for _, code := range bansos.ProgramCodes {
		also := append([]string{cat.T(i18n.EN, "program.name."+code), cat.T(i18n.ID, "program.area."+code), "bansos", "bantuan sosial"}, bansos.ProgramAliases[code]...)
		ix.Add(search.Entry{Kind: search.Program, Key: code, Title: cat.T(i18n.ID, "program.name."+code), URL: "/program/" + code, Rank: -2}, also...)
	}
	for _, ds := range dataset.All {
		ix.Add(search.Entry{Kind: search.Dataset, Key: ds.Slug, Title: ds.Title.ID, URL: "/dataset/" + ds.Slug, Rank: -1},
			append(ds.SearchTerms(), "dataset", "data")...)
	}
	return ix
})

// searchPage is /cari: what was asked and what was found, by kind.
type searchPage struct {
	*web.Page
	Q                           string
	Regions, Programs, Datasets []searchHit
	More                        bool
}

type searchHit struct {
	Title, Context, URL string
}

// searchLimit is how many regions a results page lists; suggestions how
// many hits the search box suggests as you type.
const searchLimit, suggestions = 50, 8

// Search is /cari?q=: regions, programmes and datasets by name, without
// JavaScript; /cari.json?q= gives the first suggestions as you type.
func (s *Handler) Search(asJSON bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		q := strings.TrimSpace(c.Query("q"))
		if len(q) > 200 {
			q = q[:200]
		}
		l := s.Cat.For(web.LangOf(c))
		c.Header("Cache-Control", "public, max-age=3600")
		if asJSON {
			out := []gin.H{}
			for _, h := range searchIndex().Find(q, suggestions) {
				t := hitOf(l, h)
				out = append(out, gin.H{"kind": string(h.Kind), "title": t.Title, "context": t.Context, "url": t.URL})
			}
			c.JSON(http.StatusOK, gin.H{"q": q, "results": out})
			return
		}
		p := &searchPage{Page: s.NewPage(c, ""), Q: q}
		for _, h := range searchIndex().Find(q, 0) {
			t := hitOf(l, h)
			switch h.Kind {
			case search.Region:
				if len(p.Regions) == searchLimit {
					p.More = true
					continue
				}
				p.Regions = append(p.Regions, t)
			case search.Program:
				p.Programs = append(p.Programs, t)
			case search.Dataset:
				p.Datasets = append(p.Datasets, t)
			}
		}
		s.Render(c, http.StatusOK, "cari", p)
	}
}

// hitOf is a hit as the reader sees it, in the page's language.
func hitOf(l i18n.Localizer, h search.Hit) searchHit {
	t := searchHit{Title: h.Title, Context: h.Context, URL: h.URL}
	switch h.Kind {
	case search.Region:
		lvl := l.T("level." + region.Level(h.Rank).String())
		if t.Context != "" {
			t.Context = lvl + " · " + t.Context
		} else {
			t.Context = lvl
		}
	case search.Program:
		t.Title, t.Context = l.T("program.name."+h.Key), l.T("program.area."+h.Key)
	case search.Dataset:
		if ds, ok := dataset.Get(h.Key); ok {
			t.Title, t.Context = ds.Title.In(string(l.Lang)), "Dataset"
		}
	}
	return t
}

// regionListPage is /wilayah: every province, each with its regencies.
type regionListPage struct {
	*web.Page
	Provinces []regionGroup
}

type regionGroup struct {
	region.Region
	Children []region.Region
}

// Regions is /wilayah: the provinces and their regencies and cities, all
// links, for readers who browse rather than search.
// With ?kode= (the home page's "jump to a province" form, which works
// without JavaScript) it sends the reader to that region's page.
func (s *Handler) Regions(c *gin.Context) {
	if kode := strings.TrimSpace(c.Query("kode")); kode != "" {
		if dotted, _, ok := region.Normalize(kode); ok && region.Default().Valid(dotted) {
			c.Redirect(http.StatusSeeOther, "/wilayah/"+dotted)
			return
		}
		_ = c.Error(web.ErrNotFound)
		return
	}
	p := &regionListPage{Page: s.NewPage(c, "")}
	for _, pr := range region.Default().Provinces() {
		p.Provinces = append(p.Provinces, regionGroup{Region: pr, Children: region.Default().Children(pr.Code)})
	}
	c.Header("Cache-Control", "public, max-age=3600")
	s.Render(c, http.StatusOK, "wilayah_daftar", p)
}
