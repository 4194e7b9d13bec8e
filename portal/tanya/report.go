package tanya

import (
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/apperr"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/kip"
	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/portal/web"
)

// firstYear is the first year the desk took requests.
const firstYear = 2026

// reportYear reads ?tahun= (the current year in Jakarta by default): a
// year the desk existed in, or a 400 that says which.
func (s *Handler) reportYear(c *gin.Context) (int, error) {
	now := s.Now().In(kip.Jakarta).Year()
	raw := strings.TrimSpace(c.Query("tahun"))
	if raw == "" {
		return now, nil
	}
	y, err := strconv.Atoi(raw)
	if err != nil || y < firstYear || y > now {
		return 0, apperr.BadValue("tahun", "tanya.error.year", firstYear, now)
	}
	return y, nil
}

// reportRow is a line of the report: a month or the year.
type reportRow struct {
	Label string
	press.StatsRow
	Median string
}

// groundRow is a refusal ground with the year's count.
type groundRow struct {
	Code, Article, Label string
	Count                int
}

// reportPage is /tanya/laporan.
type reportPage struct {
	*web.Page
	Year     int
	Years    []int
	Heads    map[string]string // column name → heading
	Months   []reportRow
	Total    reportRow
	Grounds  []groundRow
	CSVURL   string
	BadParam string
}

// Report is /tanya/laporan: the desk's service statistics of a year
// (press.Stats), in the shape of a PPID's yearly report on its service:
// requests received, answered (on time, late), extended, refused (by
// legal ground) and still open, by month of receipt, with the median
// working days to an answer. The numbers are counts only.
func (s *Handler) Report(c *gin.Context) {
	p := &reportPage{Page: s.NewPage(c, "tanya"), Heads: map[string]string{}}
	l := p.L
	for y := s.Now().In(kip.Jakarta).Year(); y >= firstYear; y-- {
		p.Years = append(p.Years, y)
	}
	for _, col := range press.StatsColumns() {
		p.Heads[col.Name] = col.Label.In(string(l.Lang))
	}
	year, err := s.reportYear(c)
	if err != nil {
		p.BadParam = apperr.From(err).Message(s.Cat).In(string(l.Lang))
		c.Header("Cache-Control", "no-store")
		s.Render(c, http.StatusBadRequest, "tanya_laporan", p)
		return
	}
	st, err := s.Press.Stats(c.Request.Context(), year)
	if err != nil {
		_ = c.Error(err)
		return
	}
	p.Year, p.CSVURL = year, "/tanya/laporan.csv?tahun="+strconv.Itoa(year)
	for _, m := range st.Months {
		p.Months = append(p.Months, reportRow{Label: l.T("tanya.month." + strconv.Itoa(m.Month)), StatsRow: m, Median: median(l, m.MedianDays)})
	}
	p.Total = reportRow{Label: l.T("tanya.report.year", year), StatsRow: st.Total, Median: median(l, st.Total.MedianDays)}
	for _, g := range press.RefusalGrounds {
		p.Grounds = append(p.Grounds, groundRow{Code: g.Code, Article: g.Article, Label: g.Label.In(string(l.Lang)), Count: st.Total.RefusedBy[g.Code]})
	}
	// Counts change with every request received, which is not a change
	// of what readers see on other pages: a minute, not the page cache.
	c.Header("Cache-Control", "public, max-age=60")
	s.Render(c, http.StatusOK, "tanya_laporan", p)
}

// median writes a median number of working days; "" when nothing was
// answered, which the page shows as "t.a." (not applicable), the site's
// mark for a number that does not exist (public/templates/partial_marks.html).
func median(l i18n.Localizer, d float64) string {
	if math.IsNaN(d) {
		return ""
	}
	return i18n.FormatDecimal(l.Lang, d, 1)
}

// ReportCSV is /tanya/laporan.csv: the same statistics as CSV
// (press.Stats.WriteCSV), with the column names the office's spreadsheets
// rely on.
func (s *Handler) ReportCSV(c *gin.Context) {
	year, err := s.reportYear(c)
	if err != nil {
		_ = c.Error(err)
		return
	}
	st, err := s.Press.Stats(c.Request.Context(), year)
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.Header("Cache-Control", "public, max-age=60")
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="layanan-informasi-`+strconv.Itoa(year)+`.csv"`)
	c.Status(http.StatusOK)
	if err := st.WriteCSV(c.Writer); err != nil {
		s.Log.WarnContext(c.Request.Context(), "tanya: write report CSV", "err", err)
	}
}
