// The holiday lists: the CSV format, the lists shipped with the portal and
// the press office's editable copy in the data folder.

package kip

import (
	"bufio"
	"bytes"
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind says what sort of day off a listed date is.
type Kind string

// The kinds a holiday list names in its jenis column.
const (
	// NationalHoliday is a libur nasional.
	NationalHoliday Kind = "libur_nasional"
	// CollectiveLeave is a cuti bersama: the civil service does not work.
	CollectiveLeave Kind = "cuti_bersama"
	// WorkingDay, in the data folder's file only, cancels a shipped
	// holiday on that date (the government moved it). It cannot make a
	// Saturday or a Sunday a working day.
	WorkingDay Kind = "hari_kerja"
)

// Holiday is one line of a holiday list.
type Holiday struct {
	Date Date
	Kind Kind
	Name string
}

// Header is the first line of a holiday list.
const Header = "tanggal,jenis,nama"

// HolidayFile is the editable list's name in the data folder.
const HolidayFile = "hari-libur.csv"

// maxName is the longest name a line may give a holiday, in characters.
const maxName = 200

// ParseError says which file, line and field of a holiday list is wrong.
type ParseError struct {
	File  string
	Line  int
	Field string // tanggal, jenis, nama, or "header" / "line" for the whole line
	Err   error
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s line %d, %s: %v", e.File, e.Line, e.Field, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// ParseHolidays reads a holiday list: a CSV file whose first line is
// Header, then one line a date. Lines starting with # are comments; empty
// lines are skipped. A date may be listed once. name names the file in
// errors.
func ParseHolidays(r io.Reader, name string) ([]Holiday, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\ufeff")) {
		br.Discard(3) // a byte-order mark, as spreadsheets write
	}
	cr := csv.NewReader(br)
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	bad := func(line int, field string, format string, args ...any) error {
		return &ParseError{File: name, Line: line, Field: field, Err: fmt.Errorf(format, args...)}
	}
	var out []Holiday
	seen := map[Date]int{}
	header := false
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &ParseError{File: name, Line: pe.StartLine, Field: "line", Err: pe.Err}
			}
			return nil, fmt.Errorf("kip: read %s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if strings.Join(trimAll(rec), "") == "" {
			continue // a line of blanks
		}
		if !header {
			if got := strings.Join(trimAll(rec), ","); !strings.EqualFold(got, Header) {
				return nil, bad(line, "header", "the first line must be %q, not %q", Header, got)
			}
			header = true
			continue
		}
		if len(rec) != 3 {
			return nil, bad(line, "line", "%d fields, want 3 (tanggal,jenis,nama; quote a name that holds a comma)", len(rec))
		}
		rec = trimAll(rec)
		d, err := ParseDate(rec[0])
		if err != nil {
			return nil, bad(line, "tanggal", "%v", err)
		}
		if first, dup := seen[d]; dup {
			return nil, bad(line, "tanggal", "%s is listed again (first on line %d)", d, first)
		}
		seen[d] = line
		k := Kind(rec[1])
		switch k {
		case NationalHoliday, CollectiveLeave:
		case WorkingDay:
			if d.Weekend() {
				return nil, bad(line, "jenis", "%s is a %s: it cannot be made a working day", d, d.Weekday())
			}
		default:
			return nil, bad(line, "jenis", "%q: want %s, %s or %s", rec[1], NationalHoliday, CollectiveLeave, WorkingDay)
		}
		n := rec[2]
		switch {
		case n == "":
			return nil, bad(line, "nama", "empty: name the day")
		case !utf8.ValidString(n):
			return nil, bad(line, "nama", "not UTF-8 text")
		case utf8.RuneCountInString(n) > maxName:
			return nil, bad(line, "nama", "longer than %d characters", maxName)
		case strings.ContainsFunc(n, unicode.IsControl):
			return nil, bad(line, "nama", "holds a control character")
		}
		out = append(out, Holiday{Date: d, Kind: k, Name: n})
	}
	if !header {
		return nil, bad(1, "header", "empty file: the first line must be %q", Header)
	}
	return out, nil
}

func trimAll(rec []string) []string {
	for i := range rec {
		rec[i] = strings.TrimSpace(rec[i])
	}
	return rec
}

// WriteHolidays writes a holiday list that ParseHolidays reads back.
func WriteHolidays(w io.Writer, hs []Holiday) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(strings.Split(Header, ",")); err != nil {
		return err
	}
	for _, h := range hs {
		if err := cw.Write([]string{h.Date.String(), string(h.Kind), h.Name}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

//go:embed holidays/*.csv
var shippedFS embed.FS

// shippedList is one embedded year.
type shippedList struct {
	year int
	file string
	text []byte
	days []Holiday
}

// loadShipped reads the embedded lists, holidays/YYYY.csv, each holding
// dates of its year only.
func loadShipped(fsys fs.FS) ([]shippedList, error) {
	files, err := fs.Glob(fsys, "holidays/*.csv")
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []shippedList
	for _, f := range files {
		year, err := strconv.Atoi(strings.TrimSuffix(path.Base(f), ".csv"))
		if err != nil {
			return nil, fmt.Errorf("kip: %s: a shipped list is named YYYY.csv", f)
		}
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("kip: %w", err)
		}
		days, err := ParseHolidays(bytes.NewReader(b), f)
		if err != nil {
			return nil, fmt.Errorf("kip: shipped list: %w", err)
		}
		for _, h := range days {
			if h.Date.Year != year {
				return nil, fmt.Errorf("kip: %s lists %s, outside %d", f, h.Date, year)
			}
			if h.Kind == WorkingDay {
				return nil, fmt.Errorf("kip: %s: %s is for the data folder's file only", f, WorkingDay)
			}
		}
		out = append(out, shippedList{year: year, file: f, text: b, days: days})
	}
	return out, nil
}

var shipped = func() []shippedList {
	l, err := loadShipped(shippedFS)
	if err != nil {
		panic(err) // the embedded files are checked by the package's tests
	}
	return l
}()

// ShippedYears lists the years whose holiday list ships with the portal.
func ShippedYears() []int {
	var ys []int
	for _, l := range shipped {
		ys = append(ys, l.year)
	}
	return ys
}

// Shipped is the calendar of the shipped lists alone.
func Shipped() *Calendar {
	c := newCalendar()
	for _, l := range shipped {
		c.addYear(l.year, l.days)
	}
	return c
}

// HolidayPath is where the editable list lives in a data folder.
func HolidayPath(dataDir string) string { return filepath.Join(dataDir, HolidayFile) }

// editableIntro opens the file WriteHolidayFile writes.
const editableIntro = `# Hari libur untuk jam layanan informasi (holiday list of the information
# desk). Edit this file to correct or add dates; the portal reads it again
# when it changes. One line a date: tanggal (YYYY-MM-DD), jenis
# (libur_nasional, cuti_bersama, or hari_kerja to cancel a shipped date)
# and nama. A line here replaces the shipped line of the same date; a year
# counts as covered once a line names a date in it. Lines starting with #
# are comments. See docs/information-desk.md.
#
# Below: the lists shipped with the portal, with their sources.
`

// WriteHolidayFile writes the shipped lists into the data folder as
// HolidayFile, so the press office has a file to edit, unless the file
// exists already. It reports whether it wrote one.
func WriteHolidayFile(dataDir string) (bool, error) {
	p := HolidayPath(dataDir)
	if _, err := os.Stat(p); err == nil {
		return false, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("kip: %w", err)
	}
	var b bytes.Buffer
	b.WriteString(editableIntro)
	b.WriteString(Header + "\n")
	for _, l := range shipped {
		b.WriteString("\n")
		header := false
		for _, line := range strings.SplitAfter(string(l.text), "\n") {
			t := strings.TrimSpace(strings.TrimPrefix(line, "\ufeff"))
			if !header && t != "" && !strings.HasPrefix(t, "#") {
				header = true // the shipped file's own header line
				continue
			}
			b.WriteString(line)
		}
		if !bytes.HasSuffix(b.Bytes(), []byte("\n")) {
			b.WriteString("\n")
		}
	}
	// Written aside and renamed: a crash leaves no half a list.
	tmp, err := os.CreateTemp(dataDir, ".hari-libur-*.csv")
	if err != nil {
		return false, fmt.Errorf("kip: write %s: %w", p, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b.Bytes()); err != nil {
		tmp.Close()
		return false, fmt.Errorf("kip: write %s: %w", p, err)
	}
	if err := tmp.Chmod(0o640); err != nil {
		tmp.Close()
		return false, fmt.Errorf("kip: write %s: %w", p, err)
	}
	if err := tmp.Close(); err != nil {
		return false, fmt.Errorf("kip: write %s: %w", p, err)
	}
	// Link rather than rename: a file the office created meanwhile stays.
	if err := os.Link(tmp.Name(), p); errors.Is(err, fs.ErrExist) {
		return false, nil
	} else if err != nil {
		// A file system without hard links.
		if err := os.Rename(tmp.Name(), p); err != nil {
			return false, fmt.Errorf("kip: write %s: %w", p, err)
		}
	}
	return true, nil
}
