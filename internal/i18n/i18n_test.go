package i18n

import (
	"testing"
	"time"
)

func TestCatalogLoadsWithSameKeys(t *testing.T) {
	c, err := Messages()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Keys()) < 10 {
		t.Fatalf("only %d keys", len(c.Keys()))
	}
	for _, k := range c.Keys() {
		for _, l := range Langs {
			if c.T(l, k) == "" {
				t.Errorf("%s: %s is empty", l, k)
			}
		}
	}
	if got := c.T(EN, "no.such.key"); got != "[no.such.key]" {
		t.Errorf("unknown key gave %q", got)
	}
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Lang
		ok   bool
	}{
		{"id", ID, true}, {"en", EN, true}, {"EN", EN, true}, {"en-US", EN, true},
		{" id ", ID, true}, {"fr", ID, false}, {"", ID, false},
	} {
		got, ok := Parse(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Parse(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestFormats(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  string
		want string
	}{
		{"int id", FormatInt(ID, 1234567), "1.234.567"},
		{"int en", FormatInt(EN, 1234567), "1,234,567"},
		{"int small", FormatInt(ID, 999), "999"},
		{"int zero", FormatInt(ID, 0), "0"},
		{"int negative", FormatInt(ID, -1234), "-1.234"},
		{"int 1000", FormatInt(EN, 1000), "1,000"},
		{"rupiah small", FormatRupiah(ID, 750000), "Rp 750.000"},
		{"rupiah juta", FormatRupiah(ID, 5_000_000), "Rp 5,0 juta"},
		{"rupiah triliun", FormatRupiah(ID, 46_400_000_000_000), "Rp 46,4 triliun"},
		{"rupiah trillion", FormatRupiah(EN, 46_400_000_000_000), "Rp 46.4 trillion"},
		{"rupiah miliar", FormatRupiah(ID, 1_260_000_000), "Rp 1,3 miliar"},
		{"rupiah big grouping", FormatRupiah(ID, 1234_000_000_000_000), "Rp 1.234,0 triliun"},
		{"decimal", FormatDecimal(ID, 75.891, 2), "75,89"},
		{"decimal en", FormatDecimal(EN, 1234.5, 1), "1,234.5"},
		{"decimal negative", FormatDecimal(ID, -0.04, 1), "0,0"},
		{"decimal negative 2", FormatDecimal(ID, -2.5, 1), "-2,5"},
		{"date", FormatDate(ID, time.Date(2026, 1, 1, 20, 0, 0, 0, time.UTC)), "2 Januari 2026"},
		{"datetime id", FormatDateTime(ID, time.Date(2026, 11, 27, 7, 5, 0, 0, time.UTC)), "27 November 2026 14.05 WIB"},
		{"datetime en", FormatDateTime(EN, time.Date(2026, 11, 27, 7, 5, 0, 0, time.UTC)), "27 November 2026 14:05 WIB"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, tc.got, tc.want)
		}
	}
	c, _ := Messages()
	if got := c.For(ID).Percent(75.891); got != "75,9%" {
		t.Errorf("percent: %q", got)
	}
}
