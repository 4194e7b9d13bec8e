package charts

import (
	"encoding/csv"
	"encoding/json"
	"html/template"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// What a chart carries beyond the page: its data as one CSV format for
// every chart, and what its PNG and SVG print around the plot.

// Datum is one plotted value: one row of the chart's CSV.
type Datum struct {
	// Code is the category's code, the same in every language: a
	// Kemendagri region code, a programme code, a quarter, a reason.
	Code string
	// Label is the category's name in the page's language.
	Label string
	// Series is the series' code: a programme, a reason, or the measure
	// (a dataset column such as penerima or nominal_salur).
	Series string
	// Value is the number, plain with '.' decimals; "" when withheld.
	Value string
	// Unit is the value's unit, one of the Unit* codes.
	Unit string
	// Withheld: the value is withheld (Value is "").
	Withheld bool
	// Partial: a sum that leaves out withheld parts; Value is a lower
	// bound.
	Partial bool
}

// The units of a chart's CSV, the same in every language.
const (
	UnitRupiah          = "rupiah"
	UnitFamilies        = "keluarga"
	UnitTransactions    = "transaksi"
	UnitPercent         = "persen"
	UnitFamiliesPer1000 = "keluarga_per_1000_penduduk"
	UnitRupiahPerPerson = "rupiah_per_penduduk"
)

// CSVHeader is the header of every chart's CSV, whatever the page's
// language.
var CSVHeader = []string{"kode", "kategori", "seri", "nilai", "satuan", "ditekan", "sebagian"}

// WriteCSV writes the chart's data in long form: one row per plotted value
// (CSVHeader), numbers plain, ditekan and sebagian as 1 or 0 like the
// datasets' ditekan. A withheld value is empty with ditekan 1, never 0; a
// partial sum has sebagian 1 and is a lower bound.
func (v *View) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	for _, d := range v.Data {
		value := d.Value
		if d.Withheld {
			value = ""
		}
		if err := cw.Write([]string{neutralise(d.Code), neutralise(d.Label), neutralise(d.Series), value, d.Unit,
			flag(d.Withheld), flag(d.Partial && !d.Withheld)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// neutralise keeps a text cell from being read as a spreadsheet formula,
// as the datasets' CSV does (web.Neutralise, one layer up).
func neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Num is v in units of 10^-decimals as a plain number: '.' decimals, no
// trailing zeros, a whole number without ".0" (the datasets' format).
func Num(v int64, decimals int) string {
	if decimals <= 0 {
		return strconv.FormatInt(v, 10)
	}
	return Dec(float64(v)/math.Pow10(decimals), decimals)
}

// Dec is f rounded to decimals places as a plain number, like Num.
func Dec(f float64, decimals int) string {
	s := strconv.FormatFloat(f, 'f', max(decimals, 0), 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// Filename is the name a download of the chart gets: its Name, its
// release, "-contoh" for demo data, and ext (".csv", ".png", ".svg"):
// "penerima-per-kecamatan-sembako-kota-bandung-2025-q4-rilis-7.png".
// (A value receiver, like Meta's: templates call it on a View in a
// range.)
func (v View) Filename(ext string) string {
	name := v.Name
	if name == "" {
		name = Slug(v.ID)
	}
	name += "-rilis-" + strconv.Itoa(v.Release)
	if v.Synthetic {
		name += "-contoh"
	}
	return name + ext
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// Slug joins parts into a filename stem: lower-case ASCII letters and
// digits separated by hyphens, accents stripped, empty parts left out
// ("Kota Bandung", "2025-Q4" → "kota-bandung-2025-q4").
func Slug(parts ...string) string {
	var out []string
	for _, p := range parts {
		var b strings.Builder
		for _, r := range norm.NFD.String(p) {
			if unicode.Is(unicode.Mn, r) {
				continue
			}
			b.WriteRune(unicode.ToLower(r))
		}
		if s := strings.Trim(nonSlug.ReplaceAllString(b.String(), "-"), "-"); s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, "-")
}

// SyntheticLabel is what an exported image of demo data says, in both
// languages whatever the page's: a picture travels without its page.
const SyntheticLabel = "DATA CONTOH (SINTETIS) / SYNTHETIC DEMO DATA"

// exportMeta is what static/js/charts.js prints around the plot of an
// exported PNG or SVG, and the texts its tooltips need.
type exportMeta struct {
	Title     string `json:"title"`
	Subtitle  string `json:"subtitle"`
	Credit    string `json:"credit"`
	URL       string `json:"url"`
	Link      string `json:"link,omitempty"`
	Note      string `json:"note,omitempty"`
	Synthetic string `json:"synthetic,omitempty"`
	Withheld  string `json:"withheld,omitempty"`
	Partial   string `json:"partial,omitempty"`
}

// Meta is the JSON that static/js/charts.js reads beside the option: the
// title, subtitle, credit line (Source when Credit is empty), URL (the
// stable link when URL is empty, made absolute by the browser), the
// note, the demo-data line when Synthetic, and the tooltips' texts for
// withheld and partial values (only when the chart has such values).
func (v View) Meta() template.JS {
	m := exportMeta{Title: v.Title, Subtitle: v.Subtitle, Credit: v.Credit, URL: v.URL, Link: v.Link, Note: v.Note}
	if m.Subtitle == "" {
		m.Subtitle = v.Unit
	}
	if m.Credit == "" {
		m.Credit = v.Source
	}
	if v.Synthetic {
		m.Synthetic = SyntheticLabel
	}
	if v.L.Lang != "" {
		for _, d := range v.Data {
			if d.Withheld && m.Withheld == "" {
				m.Withheld = v.L.T("chart.withheld")
			}
			if d.Partial && !d.Withheld && m.Partial == "" {
				m.Partial = v.L.T("chart.partial_tip")
			}
		}
	}
	// json.Marshal escapes <, > and &: safe inside <script>.
	b, err := json.Marshal(m)
	if err != nil {
		return "{}"
	}
	return template.JS(b)
}
