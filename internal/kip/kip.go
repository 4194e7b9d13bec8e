// Package kip is the statutory clock of the information desk: the working
// days of the Indonesian civil service and the deadlines that UU 14/2008
// on public information (Keterbukaan Informasi Publik, KIP) and Perki
// 1/2021 set for answering a request.
//
// A request is answered within 10 working days; the office may extend that
// once, by at most 7 working days, giving its reasons in writing. Working
// days are Monday to Friday less the national holidays (libur nasional)
// and collective leave days (cuti bersama) of the joint decree of three
// ministers published every year. The decree's list ships with the
// portal (holidays/YYYY.csv) and the press office can correct or extend
// it in the data folder (HolidayFile).
//
// Every date is a day in Jakarta (WIB). The counting rule, the list's
// sources and how to edit it are in docs/information-desk.md.
package kip

import (
	"fmt"
	"time"

	// Asia/Jakarta must load on a machine without zoneinfo.
	_ "time/tzdata"
)

// The statute's numbers.
const (
	// ResponseDays is the time to answer: 10 working days after the day
	// the request was received (UU 14/2008, Pasal 22 ayat 7).
	ResponseDays = 10
	// MaxExtensionDays is the longest extension: 7 working days, given
	// once and with written reasons (Pasal 22 ayat 8).
	MaxExtensionDays = 7
)

// Jakarta is Asia/Jakarta (WIB, UTC+7), where every day is counted.
var Jakarta = mustLoad("Asia/Jakarta")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// time/tzdata is linked in: this cannot happen.
		panic("kip: " + err.Error())
	}
	return loc
}

// Date is a calendar day, without a time or a zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf is the day in Jakarta at instant t.
func DateOf(t time.Time) Date {
	y, m, d := t.In(Jakarta).Date()
	return Date{y, m, d}
}

// ParseDate reads a date written YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	if len(s) != len("2006-01-02") {
		return Date{}, fmt.Errorf("%q is not a date YYYY-MM-DD", s)
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date YYYY-MM-DD", s)
	}
	return Date{t.Year(), t.Month(), t.Day()}, nil
}

// String writes the date as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

func (d Date) utc() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// AddDays is the date n days later (earlier when n < 0).
func (d Date) AddDays(n int) Date {
	y, m, dd := d.utc().AddDate(0, 0, n).Date()
	return Date{y, m, dd}
}

// Weekday is the date's day of the week.
func (d Date) Weekday() time.Weekday { return d.utc().Weekday() }

// Weekend reports whether the date is a Saturday or a Sunday.
func (d Date) Weekend() bool {
	w := d.Weekday()
	return w == time.Saturday || w == time.Sunday
}

// Before reports whether d is an earlier day than e.
func (d Date) Before(e Date) bool { return d.utc().Before(e.utc()) }

// Start is the first instant of the day in Jakarta (00:00).
func (d Date) Start() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, Jakarta) }

// End is the last instant a deadline on this day allows: 23:59:59.999 in
// Jakarta.
func (d Date) End() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 23, 59, 59, int(999*time.Millisecond), Jakarta)
}
