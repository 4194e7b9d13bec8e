package aggregator

import (
	"testing"
	"time"

	"github.com/portal-data-bansos/portal/internal/region"
)

// NIKs of the tests: issued in 32.04.11 (Katapang, Kabupaten Bandung).
const (
	nikMan   = "3204111508850001" // man, born 15 August (19)85
	nikWoman = "3204115508850002" // woman, born 15 August (19)85: 15 + 40
)

func TestValidNIK(t *testing.T) {
	tab := region.Default()
	tests := []struct {
		nik  string
		want bool
		why  string
	}{
		{nikMan, true, "man"},
		{nikWoman, true, "woman"},
		{"3204110101000001", true, "1 January 00"},
		{"3204114101000001", true, "woman, day 41 = 1"},
		{"3204117101000001", true, "woman, day 71 = 31"},
		{"3204113101000001", true, "man, day 31"},
		{"3204117201000001", false, "day 72"},
		{"3204113201000001", false, "day 32: neither a man's nor a woman's"},
		{"3204114001000001", false, "day 40: a woman's day 0"},
		{"3204110001000001", false, "day 00"},
		{"3204112902000001", true, "29 February 00: 2000 is a leap year"},
		{"3204116902000001", true, "woman, 29 February 00"},
		{"3204112902010001", false, "29 February 01"},
		{"3204112902960001", true, "29 February 96: read as 2096, a leap year"},
		{"3204113004850001", true, "30 April"},
		{"3204113104850001", false, "31 April"},
		{"3204117104850001", false, "woman, 31 April"},
		{"3204111500850001", false, "month 00"},
		{"3204111513850001", false, "month 13"},
		{"3204111508850000", false, "serial 0000"},
		{"3204111508859999", true, "serial 9999"},
		{"1101011508850001", true, "province 11 (Aceh)"},
		{"9601011508850001", true, "province 96, any regency and district digits"},
		{"3299991508850001", true, "regency and district are not checked"},
		{"2004111508850001", false, "province 20 does not exist"},
		{"1004111508850001", false, "province 10 does not exist"},
		{"0004111508850001", false, "province 00"},
		{"0000000000000000", false, "all zeros"},
		{"320411150885001", false, "15 digits"},
		{"32041115088500011", false, "17 digits"},
		{"320411150885000a", false, "a letter"},
		{"3204 11508850001", false, "an inner space"},
		{" 3204111508850001", false, "not trimmed here"},
		{"-204111508850001", false, "a sign"},
		{"", false, "empty"},
		{"３２04111508850001", false, "full-width digits"},
	}
	for _, tt := range tests {
		if got := ValidNIK([]byte(tt.nik), tab); got != tt.want {
			t.Errorf("ValidNIK(%q) = %v, want %v (%s)", tt.nik, got, tt.want, tt.why)
		}
	}
}

func TestNIKSex(t *testing.T) {
	tests := []struct {
		nik  string
		want Sex
	}{
		{nikMan, Male}, {nikWoman, Female},
		{"3204113101000001", Male}, {"3204114101000001", Female}, {"3204117101000001", Female},
		{"3204114001000001", Male}, // invalid anyway
		{"3204", SexNone}, {"320411xx01000001", SexNone},
	}
	for _, tt := range tests {
		if got := NIKSex([]byte(tt.nik)); got != tt.want {
			t.Errorf("NIKSex(%q) = %v, want %v", tt.nik, got, tt.want)
		}
	}
}

func TestNIKBirth(t *testing.T) {
	date := func(s string) Date {
		d, ok := ParseDate([]byte(s))
		if !ok {
			t.Fatalf("bad test date %q", s)
		}
		return d
	}
	tests := []struct {
		nik, period, want string
		why               string
	}{
		{nikMan, "2025-04-01", "1985-08-15", "2085 is after the period"},
		{nikWoman, "2025-04-01", "1985-08-15", "woman: day 55 is the 15th"},
		{"3204114504250001", "2025-04-01", "1925-04-05", "woman, 5 April 2025 is after the period"},
		{"3204110101100001", "2025-04-01", "2010-01-01", "2010 is before the period"},
		{"3204110101250001", "2025-01-01", "2025-01-01", "born on the period's first day: 20YY"},
		{"3204110201250001", "2025-01-01", "1925-01-02", "a day later: 19YY"},
		{"3204112008450001", "2045-08-20", "2045-08-20", "on the day"},
		{"3204112008450001", "2045-08-19", "1945-08-20", "the day before"},
		{"3204112902000001", "2025-01-01", "2000-02-29", "29 February 2000"},
		{"3204112902000001", "2000-02-29", "2000-02-29", "29 February 2000, on the day"},
		{"3204112902000001", "1999-01-01", "1900-02-28", "1900 has no 29 February"},
		{"3204112902040001", "2003-01-01", "1904-02-29", "1904 has one"},
		{"3204113112990001", "2025-10-01", "1999-12-31", ""},
		{"3204110101990001", "2100-01-01", "2099-01-01", "a period far ahead"},
		{"3204110101000001", "1999-12-31", "1900-01-01", ""},
		{"3204110201000001", "1900-01-01", "1900-01-02", "19YY even when it too is after the period"},
		{"3204112902010001", "2025-01-01", "0001-01-01", "invalid NIK: 0"},
		{"3204117201000001", "2025-01-01", "0001-01-01", "day 72: 0"},
		{"3204113201000001", "2025-01-01", "0001-01-01", "day 32: 0"},
		{"3204111513850001", "2025-01-01", "0001-01-01", "month 13: 0"},
		{"32041129020100", "2025-01-01", "0001-01-01", "too short: 0"},
		{"320411290201000x", "2025-01-01", "0001-01-01", "not digits: 0"},
	}
	for _, tt := range tests {
		if got := NIKBirth([]byte(tt.nik), date(tt.period)); got.String() != tt.want {
			t.Errorf("NIKBirth(%q, %s) = %s, want %s (%s)", tt.nik, tt.period, got, tt.want, tt.why)
		}
	}
}

func TestValidKK(t *testing.T) {
	tests := []struct {
		kk   string
		want bool
	}{
		{"3204110101200001", true},
		{"0000000000000001", true}, // no structure is checked beyond the digits
		{"9999999999999999", true},
		{"0000000000000000", false}, // all zeros: the usual "unknown" placeholder
		{"320411010120000", false},
		{"32041101012000011", false},
		{"32041101012000O1", false},
		{" 3204110101200001", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidKK([]byte(tt.kk)); got != tt.want {
			t.Errorf("ValidKK(%q) = %v, want %v", tt.kk, got, tt.want)
		}
	}
}

func TestNIKDoesNotAllocate(t *testing.T) {
	tab := region.Default()
	nik := []byte(nikWoman)
	start, _ := MakeDate(2025, 4, 1)
	n := testing.AllocsPerRun(100, func() {
		ValidNIK(nik, tab)
		NIKSex(nik)
		NIKBirth(nik, start)
		ValidKK(nik)
	})
	if n != 0 {
		t.Errorf("NIK functions allocate %v times", n)
	}
}

// FuzzNIK holds ValidNIK to a plain reading of the spec that checks dates
// with the time package, and NIKSex and NIKBirth to what the NIK says.
func FuzzNIK(f *testing.F) {
	for _, s := range []string{
		nikMan, nikWoman, "3204112902000001", "3204112902010001", "3204117101000001",
		"3204117201000001", "3204114001000001", "0000000000000000", "2004111508850000", "",
	} {
		f.Add(s, int32(739341)) // 2025-04-01
	}
	tab := region.Default()
	f.Fuzz(func(t *testing.T, nik string, start int32) {
		b := []byte(nik)
		got := ValidNIK(b, tab)
		if want := referenceNIK(nik, tab); got != want {
			t.Fatalf("ValidNIK(%q) = %v, reference says %v", nik, got, want)
		}
		sex := NIKSex(b)
		periodStart := Date(start)
		birth := NIKBirth(b, periodStart)
		if !got {
			return
		}
		day := int(nik[6]-'0')*10 + int(nik[7]-'0')
		if wantSex := map[bool]Sex{false: Male, true: Female}[day > 40]; sex != wantSex {
			t.Fatalf("NIKSex(%q) = %v, want %v", nik, sex, wantSex)
		}
		if day > 40 {
			day -= 40
		}
		y, m, d := birth.YMD()
		month := int(nik[8]-'0')*10 + int(nik[9]-'0')
		yy := int(nik[10]-'0')*10 + int(nik[11]-'0')
		if y%100 != yy || (y/100 != 19 && y/100 != 20) || m != month || (d != day && !(y == 1900 && m == 2 && d == 28 && day == 29)) {
			t.Fatalf("NIKBirth(%q, %s) = %s", nik, periodStart, birth)
		}
		if y/100 == 20 && birth > periodStart {
			t.Fatalf("NIKBirth(%q, %s) = %s, after the period", nik, periodStart, birth)
		}
		if y/100 == 19 {
			if d20, _ := MakeDate(2000+yy, month, day); d20 <= periodStart {
				t.Fatalf("NIKBirth(%q, %s) = %s, but %s is not after the period", nik, periodStart, birth, d20)
			}
		}
	})
}

// referenceNIK is the spec's NIK structure read plainly, with the time
// package as the calendar.
func referenceNIK(nik string, tab *region.Table) bool {
	if len(nik) != 16 {
		return false
	}
	zeros := true
	for i := 0; i < 16; i++ {
		if nik[i] < '0' || nik[i] > '9' {
			return false
		}
		if nik[i] != '0' {
			zeros = false
		}
	}
	if zeros || !tab.Valid(nik[0:2]) {
		return false
	}
	num := func(s string) int { return int(s[0]-'0')*10 + int(s[1]-'0') }
	day, month, year := num(nik[6:8]), num(nik[8:10]), 2000+num(nik[10:12])
	if day > 40 {
		day -= 40
	}
	tm := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if tm.Day() != day || int(tm.Month()) != month || tm.Year() != year {
		return false
	}
	return nik[12:16] != "0000"
}
