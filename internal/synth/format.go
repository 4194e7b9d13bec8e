package synth

// Allocation-free formatting for the hot path: dates as day numbers, fixed
// width digits, CSV fields. strconv and fmt are too general (and fmt too
// slow) for tens of millions of fields.

import civilpkg "github.com/portal-data-bansos/portal/internal/civil"

// day is a date as the number of days since 1970-01-01 (negative before).
type day int32

// noDay marks an absent date.
const noDay day = -1 << 31

// civil returns the day number of y-m-d (a checked date, year 1–9999).
func civil(y, m, d int) day { return day(civilpkg.Days(y, m, d)) }

// ymd returns the calendar date of d.
func (d day) ymd() (y, m, dd int) { return civilpkg.Date(int(d)) }

// daysIn returns the number of days of month m of year y.
func daysIn(y, m int) int { return civilpkg.DaysIn(y, m) }

// pairs holds "00" to "99", for writing two digits at a time.
const pairs = "00010203040506070809101112131415161718192021222324252627282930313233343536373839" +
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879" +
	"8081828384858687888990919293949596979899"

// appendDigits appends v as exactly n decimal digits (v >= 0, leading
// zeros added, higher digits dropped).
func appendDigits(b []byte, v int64, n int) []byte {
	l := len(b)
	b = append(b, "00000000000000000000"[:n]...)
	d := b[l:]
	i := n
	for i >= 2 {
		p := v % 100 * 2
		v /= 100
		i -= 2
		d[i], d[i+1] = pairs[p], pairs[p+1]
	}
	if i == 1 {
		d[0] = byte('0' + v%10)
	}
	return b
}

// appendInt appends v in decimal without padding.
func appendInt(b []byte, v int64) []byte {
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	var tmp [20]byte
	i := len(tmp)
	for {
		i--
		tmp[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return append(b, tmp[i:]...)
}

// appendDate appends d as YYYY-MM-DD, or nothing for noDay.
func appendDate(b []byte, d day) []byte {
	if d == noDay {
		return b
	}
	y, m, dd := d.ymd()
	b = appendDigits(b, int64(y), 4)
	b = append(b, '-')
	b = appendDigits(b, int64(m), 2)
	b = append(b, '-')
	return appendDigits(b, int64(dd), 2)
}

// appendDate is appendDate through the table of dates.
func (g *gen) appendDate(b []byte, d day) []byte {
	if k := int(d-g.dateFrom) * 10; d != noDay && k >= 0 && k < len(g.dateText) {
		return append(b, g.dateText[k:k+10]...)
	}
	return appendDate(b, d)
}

// dateString is appendDate for the slow paths.
func dateString(d day) string { return string(appendDate(nil, d)) }

// needsQuotes reports whether a CSV field must be quoted (RFC 4180).
func needsQuotes[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	return false
}

// appendField appends s as one CSV field, quoted when it must be.
func appendField[T string | []byte](b []byte, s T) []byte {
	if !needsQuotes(s) {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

// appendUpper appends s in ASCII upper case.
func appendUpper(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}

// searchFloat returns the first index i with cum[i] >= u (len(cum) if
// none): slices.BinarySearch without its NaN handling.
func searchFloat[T float32 | float64](cum []T, u T) int {
	lo, hi := 0, len(cum)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if cum[m] < u {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}
