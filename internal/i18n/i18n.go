// Package i18n holds the portal's message catalogue (Indonesian, the
// default, and English) and formats numbers, rupiah and dates the way
// readers of each language expect.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/portal-data-bansos/portal/internal/bansos"
)

// Lang is a language the portal speaks.
type Lang string

// The portal's languages. Indonesian is the default.
const (
	ID Lang = "id"
	EN Lang = "en"
)

// Default is the language served when none is chosen.
const Default = ID

// Langs lists every supported language, default first.
var Langs = []Lang{ID, EN}

// Parse returns the language named by s ("id", "en", "EN", "en-US") and
// whether it is supported.
func Parse(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i > 0 {
		s = s[:i]
	}
	for _, l := range Langs {
		if string(l) == s {
			return l, true
		}
	}
	return Default, false
}

//go:embed messages/*.json
var messagesFS embed.FS

// Catalog maps message keys to their text in every language.
type Catalog struct {
	msgs map[Lang]map[string]string
}

var (
	defaultOnce sync.Once
	defaultCat  *Catalog
	defaultErr  error
)

// Messages returns the embedded catalogue, loaded once.
func Messages() (*Catalog, error) {
	defaultOnce.Do(func() { defaultCat, defaultErr = LoadCatalog(messagesFS, "messages") })
	return defaultCat, defaultErr
}

// LoadCatalog reads DIR/<lang>.json and any DIR/<lang>.<part>.json (one
// part per area of the site) for every language. A key may be defined only
// once, and every language must define exactly the same keys, so no page
// shows a raw key to a reader.
func LoadCatalog(fsys fs.FS, dir string) (*Catalog, error) {
	c := &Catalog{msgs: map[Lang]map[string]string{}}
	for _, l := range Langs {
		files, err := fs.Glob(fsys, dir+"/"+string(l)+".*json")
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("i18n: no %s catalogue in %s", l, dir)
		}
		m := map[string]string{}
		for _, f := range files {
			b, err := fs.ReadFile(fsys, f)
			if err != nil {
				return nil, fmt.Errorf("i18n: read %s: %w", f, err)
			}
			part := map[string]string{}
			if err := json.Unmarshal(b, &part); err != nil {
				return nil, fmt.Errorf("i18n: parse %s: %w", f, err)
			}
			for k, v := range part {
				if _, dup := m[k]; dup {
					return nil, fmt.Errorf("i18n: %s defines %q again", f, k)
				}
				m[k] = v
			}
		}
		c.msgs[l] = m
	}
	base := c.msgs[Default]
	for _, l := range Langs[1:] {
		if missing := diffKeys(base, c.msgs[l]); len(missing) > 0 {
			return nil, fmt.Errorf("i18n: %s catalogue lacks %s", l, strings.Join(missing, ", "))
		}
		if extra := diffKeys(c.msgs[l], base); len(extra) > 0 {
			return nil, fmt.Errorf("i18n: %s catalogue lacks %s", Default, strings.Join(extra, ", "))
		}
	}
	return c, nil
}

func diffKeys(a, b map[string]string) []string {
	var out []string
	for k := range a {
		if _, ok := b[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// Keys lists every message key, sorted.
func (c *Catalog) Keys() []string {
	var ks []string
	for k := range c.msgs[Default] {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Has reports whether key is in the catalogue.
func (c *Catalog) Has(key string) bool { _, ok := c.msgs[Default][key]; return ok }

// T returns the message for key in lang, with fmt-style args applied when
// given. An unknown key comes back bracketed so a test or reader spots it.
func (c *Catalog) T(lang Lang, key string, args ...any) string {
	s, ok := c.msgs[lang][key]
	if !ok {
		return "[" + key + "]"
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Localizer binds a catalogue to one language for a request.
type Localizer struct {
	Lang Lang
	cat  *Catalog
}

// For returns a Localizer of the catalogue in lang.
// Both is the message key in both languages, for documents that carry
// both (metadata, downloads).
func (c *Catalog) Both(key string, args ...any) Text {
	return Text{ID: c.T(ID, key, args...), EN: c.T(EN, key, args...)}
}

// For returns a Localizer for lang.
func (c *Catalog) For(lang Lang) Localizer { return Localizer{Lang: lang, cat: c} }

// T returns the message for key in the localizer's language.
func (l Localizer) T(key string, args ...any) string { return l.cat.T(l.Lang, key, args...) }

// Int formats n with the language's thousands separator: 1.234.567 in
// Indonesian, 1,234,567 in English.
func (l Localizer) Int(n int64) string { return FormatInt(l.Lang, n) }

// Rupiah formats an amount for reading: "Rp 1,2 triliun", "Rp 750.000".
func (l Localizer) Rupiah(n int64) string { return FormatRupiah(l.Lang, n) }

// Percent formats p (already ×100) with one decimal: "75,9%".
func (l Localizer) Percent(p float64) string { return FormatDecimal(l.Lang, p, 1) + "%" }

// Date formats t as a long date in WIB: "27 November 2026".
func (l Localizer) Date(t time.Time) string { return FormatDate(l.Lang, t) }

// DateTime formats t as date and time in WIB: "27 November 2026 14.05 WIB".
func (l Localizer) DateTime(t time.Time) string { return FormatDateTime(l.Lang, t) }

func seps(lang Lang) (thousands, decimal string) {
	if lang == EN {
		return ",", "."
	}
	return ".", ","
}

// FormatInt groups digits in threes with the language's separator.
func FormatInt(lang Lang, n int64) string {
	th, _ := seps(lang)
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(th)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// FormatDecimal formats f with the given number of decimals, grouping the
// integer part and using the language's decimal mark.
func FormatDecimal(lang Lang, f float64, decimals int) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "–"
	}
	_, dec := seps(lang)
	s := strconv.FormatFloat(math.Abs(f), 'f', decimals, 64)
	ip, fp, _ := strings.Cut(s, ".")
	n, _ := strconv.ParseInt(ip, 10, 64)
	out := FormatInt(lang, n)
	if f < 0 && strings.Trim(s, "0.") != "" {
		out = "-" + out
	}
	if decimals > 0 {
		out += dec + fp
	}
	return out
}

var scales = []struct {
	v      float64
	id, en string
}{
	{1e12, "triliun", "trillion"},
	{1e9, "miliar", "billion"},
	{1e6, "juta", "million"},
}

// FormatRupiah formats an amount the way Indonesian news does: below one
// million in full ("Rp 750.000"), above it with one decimal and a word
// ("Rp 46,4 triliun"; "Rp 46.4 trillion" in English).
func FormatRupiah(lang Lang, n int64) string {
	f := float64(n)
	for _, s := range scales {
		if math.Abs(f) >= s.v {
			word := s.id
			if lang == EN {
				word = s.en
			}
			return "Rp " + FormatDecimal(lang, f/s.v, 1) + " " + word
		}
	}
	return "Rp " + FormatInt(lang, n)
}

// Text is a text written in Indonesian and English: a dataset's title, a
// post's body. The one bilingual text type of the portal.
type Text struct {
	ID string `json:"id"`
	EN string `json:"en"`
}

// In returns the text in lang ("id" or "en"), falling back to the other
// language when it was not written in lang.
func (t Text) In(lang string) string {
	if lang == string(EN) && t.EN != "" || t.ID == "" {
		return t.EN
	}
	return t.ID
}

var months = map[Lang][12]string{
	ID: {"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"},
	EN: {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

// FormatDate formats t in WIB as "2 Januari 2026" / "2 January 2026".
func FormatDate(lang Lang, t time.Time) string {
	t = t.In(bansos.WIB)
	return fmt.Sprintf("%d %s %d", t.Day(), months[lang][t.Month()-1], t.Year())
}

// FormatDateTime formats t in WIB with the time: "2 Januari 2026 14.05 WIB"
// (Indonesian writes the time with a dot) / "2 January 2026 14:05 WIB".
func FormatDateTime(lang Lang, t time.Time) string {
	t = t.In(bansos.WIB)
	sep := "."
	if lang == EN {
		sep = ":"
	}
	return fmt.Sprintf("%s %02d%s%02d WIB", FormatDate(lang, t), t.Hour(), sep, t.Minute())
}
