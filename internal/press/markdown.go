package press

import (
	"bytes"
	"html/template"
	"regexp"
	"strings"
	"unicode"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"golang.org/x/text/unicode/norm"
)

// md turns Markdown into HTML. Raw HTML in the source is dropped by
// goldmark (no WithUnsafe) and whatever comes out is sanitised again by
// bluemonday: two independent layers between an author and a reader's
// browser.
var md = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify))

var policy = func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireNoFollowOnLinks(false)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	return p
}()

// RenderMarkdown renders Markdown to sanitised HTML: no script, no event
// handler attribute, no javascript: URL survives.
func RenderMarkdown(src string) template.HTML {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(policy.SanitizeBytes(buf.Bytes()))
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// Slugify derives an address from a title: lower-case ASCII letters and
// digits separated by dashes, at most 80 characters.
func Slugify(title string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(title) {
		if unicode.Is(unicode.Mn, r) {
			continue // strip accents: "é" → "e"
		}
		b.WriteRune(unicode.ToLower(r))
	}
	s := strings.Trim(nonSlug.ReplaceAllString(b.String(), "-"), "-")
	if len(s) > 80 {
		s = strings.Trim(s[:80], "-")
		if i := strings.LastIndexByte(s, '-'); i > 40 {
			s = s[:i]
		}
	}
	if s == "" {
		s = "berita"
	}
	return s
}
