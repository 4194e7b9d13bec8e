package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/public"
)

// Page is what every template receives; pages embed it in their own data.
type Page struct {
	L       i18n.Localizer
	Langs   []LangLink
	Nav     string
	Release *release.Release
	// Pinned: the page shows the release ?release=N named, not
	// necessarily the one in force (InForce).
	Pinned  bool
	InForce int
	// Demo: the release in force is generated demo data; every page
	// says so in a banner.
	Demo bool
	// Cite is the page's "how to cite" block, when it shows data.
	Cite *Citation

	// Error pages.
	Status      int
	ErrorTitle  string
	ErrorBody   string
	ErrorDetail string
}

// LangLink is one entry of the language switch: the same page in another
// language.
type LangLink struct {
	Code    string
	Label   string
	URL     string
	Current bool
}

// NewPage builds the common part of a page for this request.
func (s *Site) NewPage(c *gin.Context, nav string) *Page {
	lang := LangOf(c)
	p := &Page{L: s.Cat.For(lang), Nav: nav}
	if rel, _, err := s.stamp(c.Request.Context()); err == nil {
		p.Demo = rel.Synthetic
	}
	for _, l := range i18n.Langs {
		q := url.Values{}
		for k, v := range c.Request.URL.Query() {
			q[k] = v
		}
		q.Set("lang", string(l))
		p.Langs = append(p.Langs, LangLink{
			Code:    string(l),
			Label:   s.Cat.T(l, "lang."+string(l)),
			URL:     c.Request.URL.Path + "?" + q.Encode(),
			Current: l == lang,
		})
	}
	return p
}

// parsePages parses every page template together with the layout, one
// template set per page, so each page defines its own blocks.
func parsePages(a *assets) (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"asset": a.url,
		// pct shows a report share (rounded when published; nil where
		// the level is too small for any safe step, see
		// release.LevelDisclosure).
		"pct": func(l i18n.Localizer, share *float64) string {
			if share == nil {
				return "–"
			}
			return l.Percent(100 * *share)
		},
		"levels": func() []string { return bansos.LevelCodes },
		"i64":    func(n int) int64 { return int64(n) },
		"sub":    func(a, b int) int { return a - b },
		"list":   func(v ...string) []string { return v },
		"tr":     func(t i18n.Text, l i18n.Lang) string { return t.In(string(l)) },
		// dict passes several values to a shared template.
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict: odd number of arguments")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"subf": func(a, b float64) float64 { return a - b },
		"signed1": func(l i18n.Localizer, v float64) string {
			if v >= 0 {
				return "+" + i18n.FormatDecimal(l.Lang, v, 1)
			}
			return i18n.FormatDecimal(l.Lang, v, 1)
		},
		"signed": func(l i18n.Localizer, pct float64) string {
			if pct >= 0 {
				return "+" + l.Percent(pct)
			}
			return l.Percent(pct)
		},
	}
	layout, err := fs.ReadFile(public.FS, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("read layout: %w", err)
	}
	files, err := fs.Glob(public.FS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	// Files named partial_*.html are partials shared by every page.
	var partials []string
	for _, f := range files {
		if strings.HasPrefix(path.Base(f), "partial_") {
			b, err := fs.ReadFile(public.FS, f)
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", f, err)
			}
			partials = append(partials, string(b))
		}
	}
	pages := map[string]*template.Template{}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" || strings.HasPrefix(name, "partial_") {
			continue
		}
		body, err := fs.ReadFile(public.FS, f)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", f, err)
		}
		t, err := template.New(name).Funcs(funcs).Parse(string(layout))
		if err != nil {
			return nil, fmt.Errorf("parse layout: %w", err)
		}
		for _, part := range partials {
			if _, err := t.Parse(part); err != nil {
				return nil, fmt.Errorf("parse partials: %w", err)
			}
		}
		if _, err := t.Parse(string(body)); err != nil {
			return nil, fmt.Errorf("parse %s: %w", f, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// Render executes a page into a buffer first, so a template error becomes a
// clean 500 page instead of half a page.
func (s *Site) Render(c *gin.Context, status int, name string, data any) {
	t, ok := s.pages[name]
	if !ok {
		s.Log.Error("no such template", "template", name)
		c.String(http.StatusInternalServerError, "internal error")
		return
	}
	// A page file that defines "document" is a whole document (the embed
	// page); every other page fills the layout.
	root := "layout"
	if t.Lookup("document") != nil {
		root = "document"
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, root, data); err != nil {
		s.Log.Error("render template", "template", name, "err", err)
		if name != "error" {
			s.AnswerError(c, ErrInternal)
			return
		}
		c.String(http.StatusInternalServerError, "internal error")
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}
