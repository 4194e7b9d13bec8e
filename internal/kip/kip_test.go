package kip

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// wib is a time in Jakarta.
func wib(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, Jakarta)
}

func day(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// with2027 is the shipped calendar plus a (made-up, partial) 2027 list,
// as the office would add it in the data folder.
func with2027() *Calendar {
	c := Shipped()
	c.apply([]Holiday{{Date: day("2027-01-01"), Kind: NationalHoliday, Name: "Tahun Baru 2027 Masehi"}})
	return c
}

func TestDeadline(t *testing.T) {
	for _, tc := range []struct {
		name        string
		cal         *Calendar
		received    time.Time
		want        string
		provisional bool
	}{
		{"two plain weeks", nil, wib(2026, 3, 2, 10, 0), "2026-03-16", false},
		{"across a national holiday (Isra Mikraj)", nil, wib(2026, 1, 14, 9, 0), "2026-01-29", false},
		{"across cuti bersama and Imlek", nil, wib(2026, 2, 13, 15, 0), "2026-03-03", false},
		{"the Nyepi and Idulfitri block, then Good Friday", nil, wib(2026, 3, 17, 8, 0), "2026-04-08", false},
		{"received on a Saturday counts from Monday", nil, wib(2026, 7, 4, 11, 0), "2026-07-17", false},
		{"received on a Sunday", nil, wib(2026, 7, 5, 11, 0), "2026-07-17", false},
		{"received the Friday before", nil, wib(2026, 7, 3, 16, 0), "2026-07-17", false},
		{"received on Monday", nil, wib(2026, 7, 6, 7, 0), "2026-07-20", false},
		{"received on a holiday (17 August)", nil, wib(2026, 8, 17, 10, 0), "2026-09-01", false},
		{"23:59 in Jakarta is still Monday", nil, time.Date(2026, 7, 6, 16, 59, 0, 0, time.UTC), "2026-07-20", false},
		{"00:30 in Jakarta is Tuesday, though Monday in UTC", nil, time.Date(2026, 7, 6, 17, 30, 0, 0, time.UTC), "2026-07-21", false},
		{"late December runs into a year without a list", nil, wib(2026, 12, 23, 10, 0), "2027-01-08", true},
		{"the same with next year's list added", with2027(), wib(2026, 12, 23, 10, 0), "2027-01-11", false},
		{"a year without any list: weekends only", nil, wib(2030, 6, 3, 10, 0), "2030-06-17", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cal := tc.cal
			if cal == nil {
				cal = Shipped()
			}
			got, prov := cal.Deadline(tc.received)
			want := day(tc.want).End()
			if !got.Equal(want) || prov != tc.provisional {
				t.Errorf("Deadline = %s (provisional %v), want %s (%v)", got.In(Jakarta), prov, want, tc.provisional)
			}
			if h, m, s := got.In(Jakarta).Clock(); h != 23 || m != 59 || s != 59 || got.Nanosecond() != 999_000_000 {
				t.Errorf("the deadline is not the end of the day: %s", got.In(Jakarta))
			}
			// The deadline is a working day, ResponseDays of them after
			// receipt.
			if !cal.WorkingDay(DateOf(got)) || cal.WorkingDaysBetween(tc.received, got) != ResponseDays {
				t.Errorf("%s is not the %dth working day", DateOf(got), ResponseDays)
			}
		})
	}
}

func TestExtend(t *testing.T) {
	cal := Shipped()
	for _, tc := range []struct {
		name     string
		original string
		days     int
		want     string
	}{
		{"one day", "2026-03-16", 1, "2026-03-17"},
		{"seven days across Nyepi and Idulfitri", "2026-03-16", 7, "2026-04-01"},
		{"seven days across Good Friday", "2026-03-27", 7, "2026-04-08"},
		{"one day over a weekend", "2026-07-17", 1, "2026-07-20"},
		{"one day over a holiday", "2026-08-24", 1, "2026-08-26"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, prov, err := cal.Extend(day(tc.original).End(), tc.days)
			if err != nil || prov || !got.Equal(day(tc.want).End()) {
				t.Errorf("Extend = %s, %v, %v; want %s", got.In(Jakarta), prov, err, tc.want)
			}
		})
	}
	for _, days := range []int{0, -1, 8} {
		if _, _, err := cal.Extend(day("2026-03-16").End(), days); err == nil {
			t.Errorf("an extension of %d days was accepted", days)
		}
	}
	if _, prov, _ := cal.Extend(day("2026-12-30").End(), 7); !prov {
		t.Error("an extension into 2027 is not provisional")
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	cal := Shipped()
	for _, tc := range []struct {
		name     string
		from, to time.Time
		want     int
	}{
		{"same day", wib(2026, 3, 2, 8, 0), wib(2026, 3, 2, 17, 0), 0},
		{"Friday to Monday", wib(2026, 7, 3, 8, 0), wib(2026, 7, 6, 9, 0), 1},
		{"Friday to Saturday", wib(2026, 7, 3, 8, 0), wib(2026, 7, 4, 9, 0), 0},
		{"over the Idulfitri block", wib(2026, 3, 17, 8, 0), wib(2026, 3, 25, 9, 0), 1},
		{"ten days", wib(2026, 3, 2, 8, 0), wib(2026, 3, 16, 23, 0), 10},
		{"eleven days", wib(2026, 3, 2, 8, 0), wib(2026, 3, 17, 8, 0), 11},
		{"backwards", wib(2026, 3, 16, 8, 0), wib(2026, 3, 2, 8, 0), -10},
		{"midnight in Jakarta, not in UTC", time.Date(2026, 7, 6, 16, 59, 0, 0, time.UTC), time.Date(2026, 7, 6, 17, 1, 0, 0, time.UTC), 1},
	} {
		if got := cal.WorkingDaysBetween(tc.from, tc.to); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestShipped2026(t *testing.T) {
	cal := Shipped()
	if !cal.Covers(2026) || cal.Covers(2025) {
		t.Errorf("years covered: %v", cal.Years())
	}
	kinds := map[Kind]int{}
	for _, h := range cal.Holidays(2026) {
		kinds[h.Kind]++
		if h.Kind == CollectiveLeave && h.Date.Weekend() {
			t.Errorf("cuti bersama on a %s: %s", h.Date.Weekday(), h.Date)
		}
	}
	// The decree: 17 national holidays and 8 collective leave days.
	if kinds[NationalHoliday] != 17 || kinds[CollectiveLeave] != 8 {
		t.Errorf("2026: %v", kinds)
	}
	for _, d := range []string{"2026-01-01", "2026-03-20", "2026-03-23", "2026-03-24", "2026-04-03", "2026-12-24", "2026-12-25"} {
		if cal.WorkingDay(day(d)) {
			t.Errorf("%s is a working day", d)
		}
	}
	for _, d := range []string{"2026-01-02", "2026-03-25", "2026-12-31"} {
		if !cal.WorkingDay(day(d)) {
			t.Errorf("%s is not a working day", d)
		}
	}
}

func TestParseHolidays(t *testing.T) {
	const head = "tanggal,jenis,nama\n"
	for _, tc := range []struct {
		name  string
		in    string
		line  int
		field string
		msg   string
	}{
		{"no header", "2026-01-01,libur_nasional,Tahun Baru\n", 1, "header", "first line"},
		{"empty file", "", 1, "header", "empty file"},
		{"only comments", "# nothing\n", 1, "header", "empty file"},
		{"wrong header", "date,kind,name\n", 1, "header", "first line"},
		{"impossible date", head + "2026-02-30,libur_nasional,X\n", 2, "tanggal", "not a date"},
		{"short date", head + "2026-2-3,libur_nasional,X\n", 2, "tanggal", "not a date"},
		{"day first", head + "17-08-2026,libur_nasional,X\n", 2, "tanggal", "not a date"},
		{"unknown kind", head + "2026-08-17,libur,X\n", 2, "jenis", "want libur_nasional"},
		{"working Saturday", head + "2026-08-15,hari_kerja,X\n", 2, "jenis", "Saturday"},
		{"no name", head + "2026-08-17,libur_nasional,\n", 2, "nama", "empty"},
		{"control character", head + "2026-08-17,libur_nasional,\"Hari\x07\"\n", 2, "nama", "control"},
		{"long name", head + "2026-08-17,libur_nasional," + strings.Repeat("x", 201) + "\n", 2, "nama", "longer"},
		{"four fields", head + "2026-08-17,libur_nasional,Hari,Kemerdekaan\n", 2, "line", "4 fields"},
		{"two fields", head + "2026-08-17,libur_nasional\n", 2, "line", "2 fields"},
		{"twice", head + "2026-08-17,libur_nasional,A\n# x\n2026-08-17,cuti_bersama,B\n", 4, "tanggal", "first on line 2"},
		{"bad quote", head + "2026-08-17,libur_nasional,\"Hari\n", 2, "line", "quote"},
		{"line counted past comments", "# a\n# b\n" + head + "\n2026-08-17,libur_nasional,A\n2026-13-01,libur_nasional,B\n", 6, "tanggal", "not a date"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseHolidays(strings.NewReader(tc.in), "hari-libur.csv")
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a ParseError", err)
			}
			if pe.File != "hari-libur.csv" || pe.Line != tc.line || pe.Field != tc.field || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("err = %q (line %d, field %s), want line %d, field %s, %q", err, pe.Line, pe.Field, tc.line, tc.field, tc.msg)
			}
			if !strings.HasPrefix(err.Error(), "hari-libur.csv line ") {
				t.Errorf("the error does not name the file and line: %q", err)
			}
		})
	}
	// Spreadsheets write a byte-order mark, CRLF, blank lines, quotes and
	// spaces; all are fine.
	in := "\ufeff# komentar\r\n TANGGAL , jenis , nama \r\n\r\n2026-08-17 , libur_nasional , \"Proklamasi, Kemerdekaan\"\r\n2026-08-18,hari_kerja,Batal\r\n"
	hs, err := ParseHolidays(strings.NewReader(in), "x.csv")
	want := []Holiday{{day("2026-08-17"), NationalHoliday, "Proklamasi, Kemerdekaan"}, {day("2026-08-18"), WorkingDay, "Batal"}}
	if err != nil || !reflect.DeepEqual(hs, want) {
		t.Errorf("ParseHolidays = %+v, %v", hs, err)
	}
}

func TestLoadCalendarFromDataFolder(t *testing.T) {
	dir := t.TempDir()
	if c, err := LoadCalendar(dir); err != nil || !reflect.DeepEqual(c, Shipped()) {
		t.Fatalf("without a file: %v", err)
	}
	wrote, err := WriteHolidayFile(dir)
	if err != nil || !wrote {
		t.Fatalf("WriteHolidayFile = %v, %v", wrote, err)
	}
	if wrote, err := WriteHolidayFile(dir); wrote || err != nil {
		t.Errorf("written again: %v, %v", wrote, err)
	}
	c, err := LoadCalendar(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c, Shipped()) {
		t.Error("the written file does not give the shipped calendar")
	}
	b, _ := os.ReadFile(HolidayPath(dir))
	if !strings.Contains(string(b), "Nomor 1497 Tahun 2025") {
		t.Error("the written file lost the source of the list")
	}

	// The office moves a collective leave day, renames a holiday and adds
	// the next year.
	// (A date is listed once: the office changes the shipped line.)
	edit := string(b) + "2026-12-31,cuti_bersama,Cuti bersama akhir tahun\n2027-01-01,libur_nasional,Tahun Baru 2027 Masehi\n"
	edit = strings.Replace(edit, "2026-12-24,cuti_bersama,Cuti bersama Kelahiran Yesus Kristus", "2026-12-24,hari_kerja,Cuti bersama dibatalkan", 1)
	edit = strings.Replace(edit, "2026-08-17,libur_nasional,Proklamasi Kemerdekaan Republik Indonesia", "2026-08-17,libur_nasional,HUT RI ke-81", 1)
	writeFile(t, dir, edit, time.Now().Add(-time.Hour))
	src := NewSource(dir)
	c, err = src.Calendar()
	if err != nil {
		t.Fatal(err)
	}
	if !c.WorkingDay(day("2026-12-24")) || c.WorkingDay(day("2026-12-31")) || !c.Covers(2027) {
		t.Error("the edits were not applied")
	}
	if h, _ := c.Holiday(day("2026-08-17")); h.Name != "HUT RI ke-81" {
		t.Errorf("17 August is %q", h.Name)
	}
	if got, prov := c.Deadline(wib(2026, 12, 23, 10, 0)); prov || !got.Equal(day("2027-01-11").End()) {
		t.Errorf("deadline with the edits: %s %v", got.In(Jakarta), prov)
	}

	// A broken edit: the error names the line; the last good calendar
	// stays in force until the file is fixed.
	writeFile(t, dir, edit+"2027-02-30,libur_nasional,Tidak ada\n", time.Now().Add(-time.Minute))
	c2, err := src.Calendar()
	if err == nil || !strings.Contains(err.Error(), "hari-libur.csv line") || !strings.Contains(err.Error(), "tanggal") {
		t.Errorf("broken file: %v", err)
	}
	if c2 != c {
		t.Error("a broken file replaced the calendar")
	}
	if _, err := LoadCalendar(dir); err == nil {
		t.Error("LoadCalendar read a broken file")
	}
	writeFile(t, dir, edit+"2027-02-08,cuti_bersama,Cuti bersama Imlek\n", time.Now())
	if c3, err := src.Calendar(); err != nil || c3.WorkingDay(day("2027-02-08")) {
		t.Errorf("the fixed file was not read: %v", err)
	}
}

func writeFile(t *testing.T, dir, text string, mod time.Time) {
	t.Helper()
	p := HolidayPath(dir)
	if err := os.WriteFile(p, []byte(text), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, mod, mod); err != nil {
		t.Fatal(err)
	}
}

// TestShippedFilesAreClean: each shipped file names its source and lists
// only its own year (loadShipped checks the year; the rest here).
func TestShippedFilesAreClean(t *testing.T) {
	files, _ := filepath.Glob("holidays/*.csv")
	if len(files) == 0 || len(ShippedYears()) != len(files) {
		t.Fatalf("shipped files %v, years %v", files, ShippedYears())
	}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if !bytes.Contains(b, []byte("# Source:")) {
			t.Errorf("%s does not name its source", f)
		}
	}
}

// FuzzParseHolidays: any input is refused with a ParseError or read into
// lines that write back and read again the same.
func FuzzParseHolidays(f *testing.F) {
	f.Add("tanggal,jenis,nama\n2026-01-01,libur_nasional,Tahun Baru\n")
	f.Add("\ufeff# c\ntanggal,jenis,nama\n2026-08-18,hari_kerja,\"a, b\"\n")
	f.Add("tanggal,jenis,nama\n2026-02-30,cuti_bersama,x\n")
	f.Add("tanggal,jenis,nama\n\"2026-01-01\",libur_nasional,\"a\"\"b\"\n")
	f.Fuzz(func(t *testing.T, in string) {
		hs, err := ParseHolidays(strings.NewReader(in), "f.csv")
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line < 1 || pe.Field == "" {
				t.Fatalf("%q: error %v is not a ParseError naming a line and field", in, err)
			}
			return
		}
		for _, h := range hs {
			if h.Name == "" || (h.Kind != NationalHoliday && h.Kind != CollectiveLeave && h.Kind != WorkingDay) {
				t.Fatalf("%q gave %+v", in, h)
			}
			if _, err := ParseDate(h.Date.String()); err != nil {
				t.Fatalf("%q gave the date %v", in, h.Date)
			}
		}
		var buf bytes.Buffer
		if err := WriteHolidays(&buf, hs); err != nil {
			t.Fatal(err)
		}
		again, err := ParseHolidays(&buf, "again.csv")
		if err != nil || len(again) != len(hs) || len(hs) > 0 && !reflect.DeepEqual(again, hs) {
			t.Fatalf("%q does not read back: %+v %v, want %+v", in, again, err, hs)
		}
	})
}
