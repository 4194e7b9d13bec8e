package web

import (
	"io/fs"
	"regexp"
	"testing"

	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/public"
)

// TestTemplatesParseAndUseKnownKeys is the sanity test: every template
// parses with the layout, and every message key a template names exists in
// the catalogue.
func TestTemplatesParseAndUseKnownKeys(t *testing.T) {
	a, err := loadAssets()
	if err != nil {
		t.Fatal(err)
	}
	pages, err := parsePages(a)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"home", "error"} {
		if pages[want] == nil {
			t.Errorf("template %s missing", want)
		}
	}
	cat, _ := i18n.Messages()
	key := regexp.MustCompile(`\.T "([a-z0-9_.]+)"`)
	files, _ := fs.Glob(public.FS, "templates/*.html")
	for _, f := range files {
		b, _ := fs.ReadFile(public.FS, f)
		for _, m := range key.FindAllStringSubmatch(string(b), -1) {
			if !cat.Has(m[1]) {
				t.Errorf("%s uses unknown message key %q", f, m[1])
			}
		}
	}
}
