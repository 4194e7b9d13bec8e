// Package civil converts dates of the proleptic Gregorian calendar to day
// numbers and back, without time zones or allocation: the aggregator reads
// tens of millions of dates, and the generator writes as many.
//
// The arithmetic is H. Hinnant's ("chrono-Compatible Low-Level Date
// Algorithms"): counting years from March puts the leap day last, so the
// day of the year follows from the month without a table.
package civil

const (
	daysPer400Years = 146097
	// epochShift is the day number of 1970-01-01 counted from 0000-03-01.
	epochShift = 719468
)

// Days returns the number of days from 1970-01-01 to y-m-d (negative
// before). The caller has checked the date, with a year from 1 to 9999:
// unsigned arithmetic then spares the divisions their sign fix-ups, which
// matters on the aggregator's validation path.
func Days(y, m, d int) int {
	yy, mm := uint(y), uint(m)
	if mm <= 2 {
		yy-- // January and February count with the previous March year
	}
	era := yy / 400
	yoe := yy - era*400
	doy := (153*((mm+9)%12)+2)/5 + uint(d) - 1 // March = month 0
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int(era*daysPer400Years+doe) - epochShift
}

// Date returns the year, month (1–12) and day (1–31) of day number n
// (days from 1970-01-01), for any n.
func Date(n int) (y, m, d int) {
	z := n + epochShift
	era := z / daysPer400Years
	if z < 0 && z%daysPer400Years != 0 {
		era-- // floor division, for dates before 0000-03-01
	}
	doe := z - era*daysPer400Years
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	y = yoe + era*400
	if m <= 2 {
		y++
	}
	return y, m, d
}

// DaysIn is the number of days in month m (1–12) of year y.
func DaysIn(y, m int) int {
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
