package aggregator

import (
	"strconv"

	"github.com/portal-data-bansos/portal/internal/civil"
)

// A Date is a day number counted from 0001-01-01 (Date 0); the calendar
// arithmetic is internal/civil's, whose day numbers count from 1970-01-01.
const unixDay = 719162 // days from 0001-01-01 to 1970-01-01

// MakeDate returns the date y-m-d and whether it is a real date of the
// proleptic Gregorian calendar with a year from 1 to 9999 (the years
// YYYY-MM-DD can write; year 0000 is not a date).
func MakeDate(y, m, d int) (Date, bool) {
	if y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > civil.DaysIn(y, m) {
		return 0, false
	}
	return civilDate(y, m, d), true
}

// civilDate packs a date the caller has checked (year 1–9999).
func civilDate(y, m, d int) Date { return Date(civil.Days(y, m, d) + unixDay) }

// YMD returns the year, month (1–12) and day (1–31) of d.
func (d Date) YMD() (y, m, day int) { return civil.Date(int(d) - unixDay) }

// ParseDate reads exactly YYYY-MM-DD (no spaces, signs or other widths) as
// a real calendar date, as MakeDate checks it. It does not allocate.
func ParseDate(b []byte) (Date, bool) {
	if len(b) != 10 || b[4] != '-' || b[7] != '-' {
		return 0, false
	}
	y, ok1 := digits4(b[0:4])
	m, ok2 := digits2(b[5:7])
	d, ok3 := digits2(b[8:10])
	if !ok1 || !ok2 || !ok3 {
		return 0, false
	}
	return MakeDate(y, m, d)
}

// String formats d as YYYY-MM-DD. (A Date outside the years 1–9999, which
// MakeDate never makes, gets its year in as many digits as it needs.)
func (d Date) String() string {
	y, m, day := d.YMD()
	var buf [24]byte
	b := buf[:0]
	if y >= 0 && y <= 9999 {
		b = appendDigits2(b, y/100)
		b = appendDigits2(b, y%100)
	} else {
		b = strconv.AppendInt(b, int64(y), 10)
	}
	b = append(b, '-')
	b = appendDigits2(b, m)
	b = append(b, '-')
	b = appendDigits2(b, day)
	return string(b)
}

// appendDigits2 appends n (0–99) as two digits.
func appendDigits2(b []byte, n int) []byte {
	return append(b, byte('0'+n/10), byte('0'+n%10))
}

// digits2 reads two ASCII digits.
func digits2(b []byte) (int, bool) {
	c0, c1 := b[0]-'0', b[1]-'0'
	if c0 > 9 || c1 > 9 {
		return 0, false
	}
	return int(c0)*10 + int(c1), true
}

// digits4 reads four ASCII digits.
func digits4(b []byte) (int, bool) {
	hi, ok1 := digits2(b[0:2])
	lo, ok2 := digits2(b[2:4])
	return hi*100 + lo, ok1 && ok2
}
