package aggregator

import (
	"testing"
	"time"
)

// TestDateEveryDay walks every day from 0001-01-01 to 9999-12-31 beside the
// time package: MakeDate counts days, YMD and String undo it.
func TestDateEveryDay(t *testing.T) {
	tm := time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC)
	want := Date(0)
	for {
		y, mo, d := tm.Date()
		if y > 9999 {
			break
		}
		m := int(mo)
		got, ok := MakeDate(y, m, d)
		if !ok || got != want {
			t.Fatalf("MakeDate(%d, %d, %d) = %d, %v; want %d, true", y, m, d, got, ok, want)
		}
		if gy, gm, gd := got.YMD(); gy != y || gm != m || gd != d {
			t.Fatalf("Date(%d).YMD() = %d-%d-%d, want %d-%d-%d", got, gy, gm, gd, y, m, d)
		}
		if d == 1 || d == 28 || d == 29 || d == 31 { // String is slow beside the rest
			if s := got.String(); s != tm.Format(time.DateOnly) {
				t.Fatalf("Date(%d).String() = %q, want %q", got, s, tm.Format(time.DateOnly))
			}
		}
		tm = tm.AddDate(0, 0, 1)
		want++
	}
	if want != 3652059 { // days in 9999 years of the Gregorian calendar
		t.Errorf("counted %d days", want)
	}
}

func TestMakeDate(t *testing.T) {
	tests := []struct {
		y, m, d int
		ok      bool
	}{
		{2024, 2, 29, true}, {2023, 2, 29, false}, {2000, 2, 29, true}, {1900, 2, 29, false},
		{2100, 2, 29, false}, {2400, 2, 29, true},
		{2025, 4, 30, true}, {2025, 4, 31, false}, {2025, 12, 31, true}, {2025, 1, 31, true},
		{2025, 0, 1, false}, {2025, 13, 1, false}, {2025, 1, 0, false}, {2025, 1, 32, false},
		{0, 1, 1, false}, {1, 1, 1, true}, {9999, 12, 31, true}, {10000, 1, 1, false}, {-1, 1, 1, false},
	}
	for _, tt := range tests {
		if _, ok := MakeDate(tt.y, tt.m, tt.d); ok != tt.ok {
			t.Errorf("MakeDate(%d, %d, %d) ok = %v, want %v", tt.y, tt.m, tt.d, ok, tt.ok)
		}
	}
	if d, _ := MakeDate(1, 1, 1); d != 0 {
		t.Errorf("MakeDate(1, 1, 1) = %d, want 0", d)
	}
	a, _ := MakeDate(2025, 3, 31)
	b, _ := MakeDate(2025, 4, 1)
	if b-a != 1 {
		t.Errorf("2025-04-01 - 2025-03-31 = %d days", b-a)
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"2025-01-31", true}, {"2024-02-29", true}, {"2000-02-29", true}, {"0001-01-01", true}, {"9999-12-31", true},
		{"2025-02-29", false}, {"1900-02-29", false}, {"2025-04-31", false}, {"2025-13-01", false},
		{"2025-00-10", false}, {"2025-01-00", false}, {"0000-01-01", false},
		{"2025-1-31", false}, {"25-01-31", false}, {"2025/01/31", false}, {"20250131", false},
		{" 2025-01-31", false}, {"2025-01-31 ", false}, {"2025-01-3a", false}, {"+025-01-31", false},
		{"2025-01-31T00:00", false}, {"", false}, {"2025-0１-31", false},
	}
	for _, tt := range tests {
		d, ok := ParseDate([]byte(tt.in))
		if ok != tt.ok {
			t.Errorf("ParseDate(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			continue
		}
		if ok && d.String() != tt.in {
			t.Errorf("ParseDate(%q).String() = %q", tt.in, d.String())
		}
	}
}

func TestDateStringOutOfRange(t *testing.T) {
	// Dates MakeDate never makes still print something exact.
	if got, want := Date(-1).String(), "0000-12-31"; got != want {
		t.Errorf("Date(-1) = %q, want %q", got, want)
	}
	if got, want := Date(3652059).String(), "10000-01-01"; got != want {
		t.Errorf("Date(3652059) = %q, want %q", got, want)
	}
}

func TestParseDateDoesNotAllocate(t *testing.T) {
	b := []byte("2024-02-29")
	if n := testing.AllocsPerRun(100, func() { ParseDate(b) }); n != 0 {
		t.Errorf("ParseDate allocates %v times", n)
	}
}

// FuzzParseDate holds ParseDate to time.Parse: the same dates, except that
// time.Parse also takes year 0000 and a sign in the year.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2025-01-31", "2024-02-29", "2025-02-29", "0000-01-01", "+999-01-01", "2025-1-1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := ParseDate([]byte(s))
		tm, err := time.Parse(time.DateOnly, s)
		want := err == nil && tm.Year() >= 1 && len(s) == 10 && digitsOnly([]byte(s[0:4]))
		if ok != want {
			t.Fatalf("ParseDate(%q) ok = %v, time.Parse says %v (%v)", s, ok, want, err)
		}
		if ok && d.String() != s {
			t.Fatalf("ParseDate(%q).String() = %q", s, d.String())
		}
	})
}
