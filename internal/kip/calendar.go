// The calendar of working days and the deadline arithmetic.

package kip

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"sync"
	"time"
)

// Calendar knows which days the civil service does not work: Saturdays,
// Sundays and the listed holidays. A year without a list counts weekends
// only, and results that depend on such a year are provisional.
type Calendar struct {
	days  map[Date]Holiday // national holidays and collective leave
	years map[int]bool     // years with a list
}

func newCalendar() *Calendar {
	return &Calendar{days: map[Date]Holiday{}, years: map[int]bool{}}
}

// addYear adds a shipped list: its year is covered.
func (c *Calendar) addYear(year int, hs []Holiday) {
	c.years[year] = true
	for _, h := range hs {
		c.days[h.Date] = h
	}
}

// apply adds the lines of the editable list over the shipped ones: a line
// replaces the shipped line of its date, hari_kerja removes it, and every
// year a line names is covered.
func (c *Calendar) apply(hs []Holiday) {
	for _, h := range hs {
		c.years[h.Date.Year] = true
		if h.Kind == WorkingDay {
			delete(c.days, h.Date)
			continue
		}
		c.days[h.Date] = h
	}
}

// NewCalendar is a calendar of the given lists, each line treated as a
// line of the data folder's file (tests and tools; the site uses
// LoadCalendar).
func NewCalendar(hs ...Holiday) *Calendar {
	c := newCalendar()
	c.apply(hs)
	return c
}

// LoadCalendar is the shipped lists plus the data folder's HolidayFile,
// when there is one: its lines add to the shipped ones or replace them for
// their dates. An empty dataDir reads the shipped lists only.
func LoadCalendar(dataDir string) (*Calendar, error) {
	c := Shipped()
	if dataDir == "" {
		return c, nil
	}
	f, err := os.Open(HolidayPath(dataDir))
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("kip: %w", err)
	}
	defer f.Close()
	hs, err := ParseHolidays(f, HolidayFile)
	if err != nil {
		return nil, fmt.Errorf("kip: %w", err)
	}
	c.apply(hs)
	return c, nil
}

// Covers reports whether the calendar has a holiday list for year.
func (c *Calendar) Covers(year int) bool { return c.years[year] }

// Years lists the years with a holiday list, in order.
func (c *Calendar) Years() []int {
	var ys []int
	for y := range c.years {
		ys = append(ys, y)
	}
	sort.Ints(ys)
	return ys
}

// Holiday returns the listed holiday on d, if there is one.
func (c *Calendar) Holiday(d Date) (Holiday, bool) {
	h, ok := c.days[d]
	return h, ok
}

// Holidays lists the holidays of year in date order.
func (c *Calendar) Holidays(year int) []Holiday {
	var out []Holiday
	for d, h := range c.days {
		if d.Year == year {
			out = append(out, h)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out
}

// WorkingDay reports whether d is a working day: a weekday that is neither
// a national holiday nor a collective leave day.
func (c *Calendar) WorkingDay(d Date) bool {
	if d.Weekend() {
		return false
	}
	_, off := c.days[d]
	return !off
}

// AddWorkingDays returns the n-th working day after d (d itself is not
// counted; n = 0 gives d). provisional is true when a day counted lies in
// a year without a holiday list.
func (c *Calendar) AddWorkingDays(d Date, n int) (day Date, provisional bool) {
	for n > 0 {
		d = d.AddDays(1)
		if !c.years[d.Year] {
			provisional = true
		}
		if c.WorkingDay(d) {
			n--
		}
	}
	return d, provisional
}

// Deadline is when a request received at the given instant must be
// answered: the day of receipt (in Jakarta) is day 0, counting starts on
// the next working day, and the deadline is the end (23:59:59.999 WIB) of
// the ResponseDays-th working day. A request received on a Saturday or a
// holiday therefore also counts from the next working day.
func (c *Calendar) Deadline(received time.Time) (deadline time.Time, provisional bool) {
	d, prov := c.AddWorkingDays(DateOf(received), ResponseDays)
	return d.End(), prov
}

// Extend is the deadline after an extension of days (1 to
// MaxExtensionDays) working days, counted after the day of the original
// deadline.
func (c *Calendar) Extend(original time.Time, days int) (deadline time.Time, provisional bool, err error) {
	if days < 1 || days > MaxExtensionDays {
		return time.Time{}, false, fmt.Errorf("kip: an extension is 1 to %d working days, not %d", MaxExtensionDays, days)
	}
	d, prov := c.AddWorkingDays(DateOf(original), days)
	return d.End(), prov, nil
}

// WorkingDaysBetween counts the working days after the day of from, up to
// and including the day of to (in Jakarta): 0 when both fall on the same
// day, 1 when to is the next working day. It is negative when to's day is
// before from's.
func (c *Calendar) WorkingDaysBetween(from, to time.Time) int {
	a, b := DateOf(from), DateOf(to)
	sign := 1
	if b.Before(a) {
		a, b, sign = b, a, -1
	}
	n := 0
	for d := a.AddDays(1); !b.Before(d); d = d.AddDays(1) {
		if c.WorkingDay(d) {
			n++
		}
	}
	return sign * n
}

// Source is the calendar of a data folder, read again whenever the
// office's file changes (its size or modification time). It is safe for
// concurrent use.
type Source struct {
	dir string

	mu     sync.Mutex
	cal    *Calendar
	err    error
	loaded bool
	size   int64
	mod    time.Time
	exists bool
}

// NewSource reads the calendar of dataDir (see LoadCalendar) on demand.
func NewSource(dataDir string) *Source { return &Source{dir: dataDir} }

// Calendar returns the current calendar. It is never nil: when the
// office's file cannot be read, err says why and the calendar is the last
// one read well (at first, the shipped lists alone), so that deadlines
// can still be counted while the file is fixed.
func (s *Source) Calendar() (*Calendar, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dir == "" {
		if s.cal == nil {
			s.cal = Shipped()
		}
		return s.cal, nil
	}
	fi, statErr := os.Stat(HolidayPath(s.dir))
	exists := statErr == nil
	var size int64
	var mod time.Time
	if exists {
		size, mod = fi.Size(), fi.ModTime()
	}
	if s.loaded && exists == s.exists && size == s.size && mod.Equal(s.mod) {
		return s.cal, s.err
	}
	s.loaded, s.exists, s.size, s.mod = true, exists, size, mod
	cal, err := LoadCalendar(s.dir)
	if err != nil {
		if s.cal == nil {
			s.cal = Shipped()
		}
		s.err = err
		return s.cal, err
	}
	s.cal, s.err = cal, nil
	return cal, nil
}
