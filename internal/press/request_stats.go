// The information desk's service statistics, for the information office's
// yearly report on its service (laporan layanan informasi publik).

package press

import (
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/kip"
)

// StatsRow is one line of the service statistics: the requests received
// in a month (in Jakarta), or in the year, and what became of them so far.
// Received = Answered + Refused + Open.
type StatsRow struct {
	// Period is "2026-03" for a month, "2026" for the year.
	Period string
	Month  int // 1–12; 0 for the year
	// Received counts the requests received in the period.
	Received int
	// Answered counts those answered; OnTime those answered at or before
	// the deadline in force (the extended one after an extension), Late
	// the others.
	Answered int
	OnTime   int
	Late     int
	// Extended counts those whose deadline was extended.
	Extended int
	// Refused counts those refused; RefusedBy by ground, every code of
	// RefusalGrounds present.
	Refused   int
	RefusedBy map[string]int
	// Open counts those still awaiting their answer.
	Open int
	// MedianDays is the median number of working days from receipt to
	// answer (kip.Calendar.WorkingDaysBetween) of the answered ones; NaN
	// when none was answered.
	MedianDays float64
}

// Stats is the service statistics of a year: a row per month and one for
// the year.
type Stats struct {
	Year   int
	Months []StatsRow // January to December
	Total  StatsRow
}

// Rows lists the months, then the year.
func (st *Stats) Rows() []StatsRow { return append(slices.Clone(st.Months), st.Total) }

// StatsColumn is a column of the statistics: its stable CSV name and its
// heading in both languages.
type StatsColumn struct {
	Name  string
	Label i18n.Text
}

// StatsColumns lists the columns of Stats.WriteCSV, in order. The names
// do not change between versions: the office's spreadsheets rely on them.
func StatsColumns() []StatsColumn {
	cols := []StatsColumn{
		{"periode", i18n.Text{ID: "Periode", EN: "Period"}},
		{"permohonan", i18n.Text{ID: "Permohonan diterima", EN: "Requests received"}},
		{"dijawab", i18n.Text{ID: "Dijawab", EN: "Answered"}},
		{"dijawab_tepat_waktu", i18n.Text{ID: "Dijawab tepat waktu", EN: "Answered on time"}},
		{"dijawab_terlambat", i18n.Text{ID: "Dijawab terlambat", EN: "Answered late"}},
		{"diperpanjang", i18n.Text{ID: "Jangka waktu diperpanjang", EN: "Deadline extended"}},
		{"ditolak", i18n.Text{ID: "Ditolak", EN: "Refused"}},
	}
	for _, g := range RefusalGrounds {
		cols = append(cols, StatsColumn{"ditolak_" + g.Code, i18n.Text{ID: "Ditolak: " + g.Article, EN: "Refused: " + g.Article}})
	}
	return append(cols,
		StatsColumn{"dalam_proses", i18n.Text{ID: "Masih diproses", EN: "Still open"}},
		StatsColumn{"median_hari_kerja", i18n.Text{ID: "Median hari kerja sampai dijawab", EN: "Median working days to answer"}},
	)
}

// Values is the row in the order of StatsColumns, as CSV writes it (an
// empty median when nothing was answered).
func (r StatsRow) Values() []string {
	itoa := strconv.Itoa
	v := []string{r.Period, itoa(r.Received), itoa(r.Answered), itoa(r.OnTime), itoa(r.Late), itoa(r.Extended), itoa(r.Refused)}
	for _, g := range RefusalGrounds {
		v = append(v, itoa(r.RefusedBy[g.Code]))
	}
	median := ""
	if !math.IsNaN(r.MedianDays) {
		median = strconv.FormatFloat(r.MedianDays, 'f', -1, 64)
	}
	return append(v, itoa(r.Open), median)
}

// WriteCSV writes the statistics as CSV: a header of the column names,
// the twelve months, then the year.
func (st *Stats) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	var head []string
	for _, c := range StatsColumns() {
		head = append(head, c.Name)
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, r := range st.Rows() {
		if err := cw.Write(r.Values()); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func newStatsRow(period string, month int) StatsRow {
	r := StatsRow{Period: period, Month: month, RefusedBy: map[string]int{}, MedianDays: math.NaN()}
	for _, g := range RefusalGrounds {
		r.RefusedBy[g.Code] = 0
	}
	return r
}

// median of a list of day counts (sorted in place); NaN when empty.
func median(days []int) float64 {
	if len(days) == 0 {
		return math.NaN()
	}
	slices.Sort(days)
	n := len(days)
	if n%2 == 1 {
		return float64(days[n/2])
	}
	return float64(days[n/2-1]+days[n/2]) / 2
}

// Stats counts the requests received in year (months in Jakarta) by
// month and for the year, with their outcome so far.
func (s *Store) Stats(ctx context.Context, year int) (*Stats, error) {
	start := time.Date(year, time.January, 1, 0, 0, 0, 0, kip.Jakarta)
	end := start.AddDate(1, 0, 0)
	// A day's margin on either side: the stored text compares as text,
	// the times below as times.
	rows, err := s.db.R.QueryContext(ctx, `SELECT status, received_at, deadline, extension_days, refusal_ground, closed_at
		FROM request WHERE received_at >= ? AND received_at < ?`, fmtTime(start.AddDate(0, 0, -1)), fmtTime(end.AddDate(0, 0, 1)))
	if err != nil {
		return nil, fmt.Errorf("press: request statistics %d: %w", year, err)
	}
	defer rows.Close()
	cal, _ := s.Calendar()
	st := &Stats{Year: year, Total: newStatsRow(strconv.Itoa(year), 0)}
	for m := 1; m <= 12; m++ {
		st.Months = append(st.Months, newStatsRow(fmt.Sprintf("%04d-%02d", year, m), m))
	}
	days := make([][]int, 12)
	var all []int
	for rows.Next() {
		var status, ground string
		var received, deadline, closed sql.NullString
		var extension int
		if err := rows.Scan(&status, &received, &deadline, &extension, &ground, &closed); err != nil {
			return nil, fmt.Errorf("press: request statistics %d: %w", year, err)
		}
		rec := parseTime(received)
		if rec.Before(start) || !rec.Before(end) {
			continue
		}
		m := int(rec.In(kip.Jakarta).Month()) - 1
		for _, r := range []*StatsRow{&st.Months[m], &st.Total} {
			r.Received++
			if extension > 0 {
				r.Extended++
			}
			switch status {
			case RequestAnswered:
				r.Answered++
				if parseTime(closed).After(parseTime(deadline)) {
					r.Late++
				} else {
					r.OnTime++
				}
			case RequestRefused:
				r.Refused++
				r.RefusedBy[ground]++
			default:
				r.Open++
			}
		}
		if status == RequestAnswered {
			d := cal.WorkingDaysBetween(rec, parseTime(closed))
			days[m], all = append(days[m], d), append(all, d)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("press: request statistics %d: %w", year, err)
	}
	for m := range st.Months {
		st.Months[m].MedianDays = median(days[m])
	}
	st.Total.MedianDays = median(all)
	return st, nil
}
