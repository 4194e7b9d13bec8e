package aggregator

import "strconv"

// Dates are counted from 0000-03-01 internally (the civil-from-days method
// of H. Hinnant, "chrono-Compatible Low-Level Date Algorithms"): starting
// the year in March puts the leap day last, so the day of the year follows
// from the month without a table. 0001-01-01, Date 0, is day 306 of that
// count.
const (
	daysPer400Years = 146097
	marchEpoch      = 306 // days from 0000-03-01 to 0001-01-01
)

// MakeDate returns the date y-m-d and whether it is a real date of the
// proleptic Gregorian calendar with a year from 1 to 9999 (the years
// YYYY-MM-DD can write; year 0000 is not a date).
func MakeDate(y, m, d int) (Date, bool) {
	if y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, false
	}
	return civilDate(y, m, d), true
}

// civilDate packs a date the caller has checked (year 1–9999). Unsigned
// arithmetic spares the divisions their sign fix-ups: this is on the hot
// path of validation.
func civilDate(y, m, d int) Date {
	yy, mm := uint(y), uint(m)
	if mm <= 2 {
		yy-- // January and February count with the previous March year
	}
	era := yy / 400
	yoe := yy - era*400
	doy := (153*((mm+9)%12)+2)/5 + uint(d) - 1 // March = month 0
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return Date(int(era*daysPer400Years+doe) - marchEpoch)
}

// daysIn is the number of days in month m (1–12) of year y.
func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// YMD returns the year, month (1–12) and day (1–31) of d.
func (d Date) YMD() (y, m, day int) {
	z := int(d) + marchEpoch
	era := z / daysPer400Years
	if z < 0 && z%daysPer400Years != 0 {
		era-- // floor division, for dates before 0000-03-01
	}
	doe := z - era*daysPer400Years
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	y = yoe + era*400
	if m <= 2 {
		y++
	}
	return y, m, day
}

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
