package charts

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	echarts "github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/portal-data-bansos/portal/internal/i18n"
)

func localizer(t *testing.T, lang i18n.Lang) i18n.Localizer {
	t.Helper()
	cat, err := i18n.Messages()
	if err != nil {
		t.Fatal(err)
	}
	return cat.For(lang)
}

// WriteCSV gives one row per plotted value under a fixed header: a
// withheld value is empty with ditekan 1 (never 0), a partial sum has
// sebagian 1, a true zero is 0, decimals are plain with '.'.
func TestWriteCSV(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    Datum
		want []string
	}{
		{"value", Datum{Code: "32.73", Label: "Kota Bandung", Series: "penerima", Value: "1234", Unit: UnitFamilies},
			[]string{"32.73", "Kota Bandung", "penerima", "1234", "keluarga", "0", "0"}},
		{"withheld", Datum{Code: "32.73.01", Label: "Sukasari", Series: "penerima", Value: "7", Unit: UnitFamilies, Withheld: true},
			[]string{"32.73.01", "Sukasari", "penerima", "", "keluarga", "1", "0"}},
		{"withheld is never partial", Datum{Code: "PENA", Label: "PENA", Series: "program", Unit: UnitRupiah, Withheld: true, Partial: true},
			[]string{"PENA", "PENA", "program", "", "rupiah", "1", "0"}},
		{"partial", Datum{Code: "2025-Q1", Label: "2025-Q1", Series: "ASN", Value: "374", Unit: UnitTransactions, Partial: true},
			[]string{"2025-Q1", "2025-Q1", "ASN", "374", "transaksi", "0", "1"}},
		{"zero", Datum{Code: "94", Label: "Papua Tengah", Series: "penerima", Value: "0", Unit: UnitFamilies},
			[]string{"94", "Papua Tengah", "penerima", "0", "keluarga", "0", "0"}},
		{"decimals", Datum{Code: "11", Label: "Aceh", Series: "cakupan_desil_1_4", Value: Num(875, 1), Unit: UnitPercent},
			[]string{"11", "Aceh", "cakupan_desil_1_4", "87.5", "persen", "0", "0"}},
		{"quoting", Datum{Code: "x", Label: `Kota "Baru", Timur`, Series: "penerima", Value: "1", Unit: UnitFamilies},
			[]string{"x", `Kota "Baru", Timur`, "penerima", "1", "keluarga", "0", "0"}},
		{"formula", Datum{Code: "=1+1", Label: "@SUM(A1)", Series: "-x", Value: "1", Unit: UnitFamilies},
			[]string{"'=1+1", "'@SUM(A1)", "'-x", "1", "keluarga", "0", "0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := View{Data: []Datum{tc.d}}
			var b bytes.Buffer
			if err := v.WriteCSV(&b); err != nil {
				t.Fatal(err)
			}
			recs, err := csv.NewReader(&b).ReadAll()
			if err != nil {
				t.Fatalf("not CSV: %v\n%s", err, b.String())
			}
			if len(recs) != 2 || !slices.Equal(recs[0], CSVHeader) {
				t.Fatalf("records %q", recs)
			}
			if !slices.Equal(recs[1], tc.want) {
				t.Errorf("row %q, want %q", recs[1], tc.want)
			}
		})
	}
}

// The header does not follow the page's language; the labels do.
func TestChartCSVHeaderFixed(t *testing.T) {
	pts := []Point{{Code: "PKH", Label: "PKH", V: 5}}
	var heads [][]string
	for _, lang := range []i18n.Lang{i18n.ID, i18n.EN} {
		l := localizer(t, lang)
		cv, err := Bar(l, BarSpec{ID: "x", Head: [2]string{l.T("chart.program"), "v"}, Format: l.Int, Series: "penerima", UnitCode: UnitFamilies}, pts)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := cv.WriteCSV(&b); err != nil {
			t.Fatal(err)
		}
		recs, _ := csv.NewReader(&b).ReadAll()
		heads = append(heads, recs[0])
	}
	if !slices.Equal(heads[0], heads[1]) || strings.Join(heads[0], ",") != "kode,kategori,seri,nilai,satuan,ditekan,sebagian" {
		t.Errorf("headers %q", heads)
	}
}

func TestNumDec(t *testing.T) {
	for _, tc := range []struct {
		got, want string
	}{
		{Num(1234, 0), "1234"}, {Num(0, 0), "0"}, {Num(875, 1), "87.5"}, {Num(870, 1), "87"}, {Num(5, 1), "0.5"},
		{Num(0, 1), "0"}, {Dec(12.3456, 2), "12.35"}, {Dec(12.30, 2), "12.3"}, {Dec(-0.001, 2), "0"}, {Dec(1e9, 2), "1000000000"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestSlugAndFilename(t *testing.T) {
	if got := Slug("SEMBAKO", "", "Kota Bandung", "2025-Q4"); got != "sembako-kota-bandung-2025-q4" {
		t.Errorf("slug %q", got)
	}
	if got := Slug("Kab. Pangkajene dan Kepulauan", "Tolitoli·Sélatan", "  "); got != "kab-pangkajene-dan-kepulauan-tolitoli-selatan" {
		t.Errorf("slug %q", got)
	}
	v := View{ID: "wilayah-anak", Name: "sembako-kota-bandung-2025-q4", Release: 7}
	if got := v.Filename(".png"); got != "sembako-kota-bandung-2025-q4-rilis-7.png" {
		t.Errorf("filename %q", got)
	}
	v.Synthetic = true
	if got := v.Filename(".csv"); got != "sembako-kota-bandung-2025-q4-rilis-7-contoh.csv" {
		t.Errorf("filename %q", got)
	}
	if got := (View{ID: "peta-provinsi", Release: 2}).Filename(".svg"); got != "peta-provinsi-rilis-2.svg" {
		t.Errorf("filename without a name %q", got)
	}
}

// Meta gives the export its texts: Credit or else Source, URL or else
// the stable link, the demo-data line, and the tooltip notes only when
// the chart has withheld or partial values.
func TestMeta(t *testing.T) {
	l := localizer(t, i18n.EN)
	v := View{L: l, Title: "T <b>", Unit: "Unit: families", Source: "Source: S", Link: "/grafik/x?release=2",
		Data: []Datum{{Value: "1"}}}
	var m map[string]any
	decode := func() {
		t.Helper()
		m = nil
		if err := json.Unmarshal([]byte(v.Meta()), &m); err != nil {
			t.Fatalf("meta is not JSON: %v", err)
		}
	}
	if strings.Contains(string(v.Meta()), "<b>") {
		t.Error("meta can close its <script>")
	}
	decode()
	if m["title"] != "T <b>" || m["subtitle"] != "Unit: families" || m["credit"] != "Source: S" || m["url"] != "" || m["link"] != "/grafik/x?release=2" {
		t.Errorf("meta %v", m)
	}
	if _, ok := m["synthetic"]; ok {
		t.Error("demo-data line on real data")
	}
	if _, ok := m["withheld"]; ok {
		t.Error("withheld note on a chart without withheld values")
	}
	v.Credit, v.URL, v.Synthetic, v.Subtitle = "Portal Data Bansos · rilis 2 · CC BY 4.0", "https://x.example/g/1", true, "Sub"
	v.Data = append(v.Data, Datum{Withheld: true}, Datum{Value: "3", Partial: true})
	decode()
	if m["credit"] != v.Credit || m["url"] != v.URL || m["subtitle"] != "Sub" || m["synthetic"] != SyntheticLabel ||
		m["withheld"] != l.T("chart.withheld") || m["partial"] != l.T("chart.partial_tip") {
		t.Errorf("meta %v", m)
	}
}

type option struct {
	Series []struct {
		Stack string
		Data  []struct {
			Value    any
			Sebagian bool
		}
		MarkPoint struct {
			Data []struct {
				Coord        []float64
				SymbolOffset []float64
				Label        struct{ Formatter string }
				Ditekan      bool
			}
		} `json:"markPoint"`
	}
}

func parse(t *testing.T, v View) option {
	t.Helper()
	var o option
	if err := json.Unmarshal([]byte(v.Option), &o); err != nil {
		t.Fatalf("option is not JSON: %v", err)
	}
	return o
}

// A withheld bar is a gap with a stub labelled "—" at the baseline; a
// true zero is a zero bar without one; a partial bar is flagged; the CSV
// data keeps the codes.
func TestBarStubsAndData(t *testing.T) {
	l := localizer(t, i18n.ID)
	pts := []Point{{Code: "32.01", Label: "a", V: 5}, {Code: "32.02", Label: "b", V: 0}, {Code: "32.03", Label: "c", Withheld: true},
		{Code: "32.04", Label: "d", V: 40, Partial: true}}
	cv, err := Bar(l, BarSpec{ID: "x", Head: [2]string{"n", "v"}, Format: l.Int, Series: "penerima", UnitCode: UnitFamilies}, pts)
	if err != nil {
		t.Fatal(err)
	}
	o := parse(t, cv)
	if len(o.Series) != 1 {
		t.Fatalf("%d series", len(o.Series))
	}
	s := o.Series[0]
	if s.Data[1].Value != 0.0 || s.Data[2].Value != "-" || !s.Data[3].Sebagian || s.Data[0].Sebagian {
		t.Errorf("data %+v", s.Data)
	}
	if len(s.MarkPoint.Data) != 1 {
		t.Fatalf("stubs %+v, want one for the one withheld bar", s.MarkPoint.Data)
	}
	st := s.MarkPoint.Data[0]
	if !st.Ditekan || !slices.Equal(st.Coord, []float64{2, 0}) || st.Label.Formatter != "—" || st.SymbolOffset[1] >= 0 {
		t.Errorf("stub %+v", st)
	}
	want := []Datum{
		{Code: "32.01", Label: "a", Series: "penerima", Value: "5", Unit: UnitFamilies},
		{Code: "32.02", Label: "b", Series: "penerima", Value: "0", Unit: UnitFamilies},
		{Code: "32.03", Label: "c", Series: "penerima", Unit: UnitFamilies, Withheld: true},
		{Code: "32.04", Label: "d", Series: "penerima", Value: "40", Unit: UnitFamilies, Partial: true},
	}
	if !slices.Equal(cv.Data, want) {
		t.Errorf("data\n got %+v\nwant %+v", cv.Data, want)
	}
}

// In a stack, a withheld value's stub stands atop the published values
// of its category, several one above the other; without a stack, at the
// baseline.
func TestStackedStubs(t *testing.T) {
	bar := echarts.NewBar()
	bar.SetXAxis([]string{"Q1", "Q2"})
	AddBars(bar, "A", []Item{ValueOf(int64(10)), ValueOf(int64(20))}, echarts.WithBarChartOpts(opts.BarChart{Stack: "t"}))
	AddBars(bar, "B", []Item{Gap(), ValueOf(int64(5))}, echarts.WithBarChartOpts(opts.BarChart{Stack: "t"}))
	AddBars(bar, "C", []Item{Gap(), PartialOf(int64(7))}, echarts.WithBarChartOpts(opts.BarChart{Stack: "t"}))
	AddBars(bar, "D", []Item{ValueOf(0), Gap()})
	var v View
	if err := v.SetOption(bar); err != nil {
		t.Fatal(err)
	}
	o := parse(t, v)
	b, c, d := o.Series[1].MarkPoint.Data, o.Series[2].MarkPoint.Data, o.Series[3].MarkPoint.Data
	if len(b) != 1 || len(c) != 1 || len(d) != 1 || len(o.Series[0].MarkPoint.Data) != 0 {
		t.Fatalf("stubs: %+v", o.Series)
	}
	if !slices.Equal(b[0].Coord, []float64{0, 10}) || !slices.Equal(c[0].Coord, []float64{0, 10}) || c[0].SymbolOffset[1] >= b[0].SymbolOffset[1] {
		t.Errorf("stacked stubs %+v %+v: want atop the stack, the second above the first", b[0], c[0])
	}
	if !slices.Equal(d[0].Coord, []float64{1, 0}) {
		t.Errorf("unstacked stub %+v: want at the baseline of Q2", d[0])
	}
	if !o.Series[2].Data[1].Sebagian {
		t.Error("partial bar not flagged")
	}
}
