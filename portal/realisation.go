package portal

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/release"
)

// Realisation against target and coverage of the DTSEN deciles: the
// figures Indonesian reporting leads with ("tersalur X dari kuota Y KPM
// (Z persen)"). Both come from the realisasi and cakupan-desil datasets of
// the release in force; a page shows them for its region (nation,
// province or regency) and quarter, and says plainly when no target or
// DTSEN list is loaded rather than showing zeros.

// semua is cakupan-desil's programme for families reached by any
// programme.
const semua = "SEMUA"

// coverChartID is the dashboard's coverage chart (by province).
const coverChartID = "cakupan-desil14"

// realView is one row of realisasi as a page shows it.
type realView struct {
	Program, Label, Periode, Kode, Name, URL string
	Withheld                                 bool
	HasTarget                                bool
	Kuota, Salur                             int64
	// SalurWithheld: the row is published but its families paid are
	// not (families not yet paid would be 1 to k−1; docs/disclosure.md).
	SalurWithheld bool
	PctKPM        float64
	HasPctKPM     bool
	HasPagu       bool
	Pagu, Nominal int64
	PctPagu       float64
	HasPctPagu    bool
}

// BarKPM and BarPagu are the progress bars' values, capped at 100.
func (r realView) BarKPM() float64  { return min(r.PctKPM, 100) }
func (r realView) BarPagu() float64 { return min(r.PctPagu, 100) }

// realisationBlock is the realisation section of a page.
type realisationBlock struct {
	// Loaded: a target list is in force for this release.
	Loaded  bool
	Periode string
	// Rows are the region's programmes with a target in the quarter
	// (withheld ones included); Missing says there is none.
	Rows    []realView
	Missing bool
	// Lagging are the child regions furthest behind their target.
	Lagging      []realView
	LaggingLevel string
	regencyLink
	// Tahap is one programme's national realisation per quarter (the
	// programme page).
	Tahap      []realView
	DatasetURL string
}

// regencyLink points a district page to its regency, the finest level of
// realisation and coverage.
type regencyLink struct {
	BelowRegency bool
	RegencyURL   string
	RegencyName  string
}

// belowRegency is the link for region kode at level lvl: set for a
// district, empty otherwise.
func belowRegency(kode string, lvl int) regencyLink {
	if lvl <= int(region.Regency) {
		return regencyLink{}
	}
	reg, _ := region.Default().Lookup(kode)
	return regencyLink{BelowRegency: true, RegencyURL: "/wilayah/" + reg.Parent, RegencyName: region.Default().Name(reg.Parent)}
}

// nationAsEmpty is a region code as a filter value: the nation's empty
// code is written dataset.EmptyValue.
func nationAsEmpty(kode string) string {
	if kode == "" {
		return dataset.EmptyValue
	}
	return kode
}

// realCols are the columns of realisasi in the dataset's order, as
// scanReal reads them (and as the dataset's own queries select them).
var realCols = strings.Join(dataset.Realisasi.ColumnNames(), ", ")

func scanReal(rows *sql.Rows) ([]realView, error) {
	defer rows.Close()
	var out []realView
	for rows.Next() {
		var r realView
		var kuota, salur, pagu, nom sql.NullInt64
		var pk, pp sql.NullFloat64
		var dt int
		var tingkat string
		if err := rows.Scan(&r.Periode, &r.Program, &tingkat, &r.Kode, &r.Name, &kuota, &salur, &pk, &pagu, &nom, &pp, &dt); err != nil {
			return nil, fmt.Errorf("realisasi: %w", err)
		}
		r.Withheld = dt == 1
		r.HasTarget, r.Kuota, r.Salur = kuota.Valid, kuota.Int64, salur.Int64
		r.SalurWithheld = !r.Withheld && !salur.Valid
		r.HasPctKPM, r.PctKPM = pk.Valid, pk.Float64
		r.HasPagu, r.Pagu, r.Nominal = pagu.Valid, pagu.Int64, nom.Int64
		r.HasPctPagu, r.PctPagu = pp.Valid, pp.Float64
		out = append(out, r)
	}
	return out, rows.Err()
}

// inPrograms is an SQL condition on program for the programmes given.
func inPrograms(progs []string) (string, []any) {
	if len(progs) == 0 {
		return "1", nil
	}
	args := make([]any, len(progs))
	for i, p := range progs {
		args[i] = p
	}
	return "program IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(progs)), ", ") + ")", args
}

// realisation builds the realisation section for region kode (dotted; ""
// for the nation) at level lvl (0 for the nation) in quarter periode, for
// the programmes given (all when empty).
func (s *Server) realisation(ctx context.Context, l i18n.Localizer, rel release.Release, periode, kode string, lvl int, progs []string) (*realisationBlock, error) {
	b := &realisationBlock{Loaded: rel.Counts["realisasi"] > 0, Periode: periode,
		DatasetURL:  "/dataset/realisasi?" + url.Values{"periode": {periode}, "kode_wilayah": {nationAsEmpty(kode)}}.Encode(),
		regencyLink: belowRegency(kode, lvl)}
	if !b.Loaded || b.BelowRegency {
		return b, nil
	}
	cond, args := inPrograms(progs)
	rows, err := s.pub.R.QueryContext(ctx, `SELECT `+realCols+` FROM realisasi
		WHERE release = ? AND periode = ? AND lvl = ? AND kode_wilayah = ? AND `+cond,
		append([]any{rel.Number, periode, lvl, kode}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("realisasi: %w", err)
	}
	own, err := scanReal(rows)
	if err != nil {
		return nil, err
	}
	for _, r := range own {
		if r.HasTarget || r.Withheld {
			b.Rows = append(b.Rows, r)
		}
	}
	slices.SortFunc(b.Rows, func(a, c realView) int {
		return slices.Index(bansos.ProgramCodes, a.Program) - slices.Index(bansos.ProgramCodes, c.Program)
	})
	b.Missing = len(b.Rows) == 0
	for i := range b.Rows {
		b.Rows[i].Label = b.Rows[i].Program
		b.Rows[i].URL = "/program/" + b.Rows[i].Program
	}
	if lvl < int(region.Regency) {
		// The five child regions furthest behind their target.
		childCond := "lvl = 1"
		if lvl > 0 {
			childCond = "lvl = " + fmt.Sprint(lvl+1) + " AND kode_wilayah LIKE ?"
			args = append([]any{kode + ".%"}, args...)
		}
		rows, err := s.pub.R.QueryContext(ctx, `SELECT `+realCols+` FROM realisasi
			WHERE release = ? AND periode = ? AND `+childCond+` AND persen_kpm IS NOT NULL AND `+cond+`
			ORDER BY persen_kpm, kode_wilayah, program LIMIT 5`, append([]any{rel.Number, periode}, args...)...)
		if err != nil {
			return nil, fmt.Errorf("realisasi: %w", err)
		}
		if b.Lagging, err = scanReal(rows); err != nil {
			return nil, err
		}
		for i := range b.Lagging {
			r := &b.Lagging[i]
			r.Label = r.Name
			r.URL = "/wilayah/" + r.Kode + "?" + url.Values{"periode": {periode}, "program": {r.Program}}.Encode()
		}
		b.LaggingLevel = l.T("level." + region.Level(lvl+1).String())
	}
	return b, nil
}

// realisationSeries is one programme's national realisation per quarter.
func (s *Server) realisationSeries(ctx context.Context, rel release.Release, prog string) ([]realView, error) {
	if rel.Counts["realisasi"] == 0 {
		return nil, nil
	}
	rows, err := s.pub.R.QueryContext(ctx, `SELECT `+realCols+` FROM realisasi
		WHERE release = ? AND lvl = 0 AND program = ? ORDER BY periode`, rel.Number, prog)
	if err != nil {
		return nil, fmt.Errorf("realisasi: %w", err)
	}
	out, err := scanReal(rows)
	for i := range out {
		out[i].Label = out[i].Periode
	}
	return out, err
}

// coverDecile is one decile's coverage.
type coverDecile struct {
	Desil              int
	Keluarga, Penerima int64
	Pct                float64
	HasPct             bool
	Withheld           bool
}

// Bar is the progress bar's value, capped at 100.
func (d coverDecile) Bar() float64 { return min(d.Pct, 100) }

// coverSum sums one region's deciles: 1–4 (the poorest) and 5–10.
type coverSum struct {
	Code, Name   string
	Fam14, Pen14 int64
	Pen510       int64
	Rows         int
	// Withheld14 and Withheld510 count the withheld rows of deciles 1–4
	// and 5–10.
	Withheld14, Withheld510 int
	Deciles                 [11]coverDecile
}

// Known says no row of deciles 1–4 of the region is withheld.
func (c *coverSum) Known() bool { return c.Rows > 0 && c.Withheld14 == 0 }

// Pct14 is the coverage of deciles 1–4, in percent.
func (c *coverSum) Pct14() (float64, bool) {
	if !c.Known() || c.Fam14 == 0 {
		return 0, false
	}
	return 100 * float64(c.Pen14) / float64(c.Fam14), true
}

// coverageBlock is the coverage section of a page.
type coverageBlock struct {
	Loaded  bool
	Periode string
	Program string // a programme, or SEMUA
	// Pct14 is the share of DTSEN families of deciles 1–4 reached; Gap14
	// the families of deciles 1–4 not reached (Fam14 − Pen14, at least 0).
	Pct14, GapPct14   float64
	Fam14, Pen14, Gap int64
	HasPct14          bool
	Above4            float64 // share of recipients (known decile) in deciles 5–10
	HasAbove4         bool
	Deciles           []coverDecile
	NoRows            bool // loaded, but nothing for this region and quarter
	regencyLink
	DatasetURL string
	// Chart is the coverage of deciles 1–4 by child region.
	Chart *chartView
}

// coverageSums reads cakupan-desil rows for a quarter and programme, one
// sum per region, where cond selects the regions.
func (s *Server) coverageSums(ctx context.Context, rel int, periode, prog, cond string, args ...any) (map[string]*coverSum, []string, error) {
	rows, err := s.pub.R.QueryContext(ctx, `SELECT kode_wilayah, nama_wilayah, desil, keluarga_dtsen, penerima, persen_cakupan, ditekan
		FROM cakupan_desil WHERE release = ? AND periode = ? AND program = ? AND `+cond+` ORDER BY kode_wilayah, desil`,
		append([]any{rel, periode, prog}, args...)...)
	if err != nil {
		return nil, nil, fmt.Errorf("cakupan-desil: %w", err)
	}
	defer rows.Close()
	out := map[string]*coverSum{}
	var order []string
	for rows.Next() {
		var code, name string
		var dec, dt int
		var kel, pen sql.NullInt64
		var pct sql.NullFloat64
		if err := rows.Scan(&code, &name, &dec, &kel, &pen, &pct, &dt); err != nil {
			return nil, nil, fmt.Errorf("cakupan-desil: %w", err)
		}
		c := out[code]
		if c == nil {
			c = &coverSum{Code: code, Name: name}
			out[code] = c
			order = append(order, code)
		}
		c.Rows++
		if dec < 1 || dec > 10 {
			continue
		}
		c.Deciles[dec] = coverDecile{Desil: dec, Keluarga: kel.Int64, Penerima: pen.Int64, Pct: pct.Float64, HasPct: pct.Valid, Withheld: dt == 1}
		if dt == 1 {
			if dec <= 4 {
				c.Withheld14++
			} else {
				c.Withheld510++
			}
			continue
		}
		if dec <= 4 {
			c.Fam14 += kel.Int64
			c.Pen14 += pen.Int64
		} else {
			c.Pen510 += pen.Int64
		}
	}
	return out, order, rows.Err()
}

// coverage builds the coverage section for region kode at level lvl in
// quarter periode, for one programme or SEMUA; with chart, also the chart
// of its child regions (the dashboard has its province chart already, as
// one of its charts).
func (s *Server) coverage(ctx context.Context, l i18n.Localizer, rel release.Release, periode, kode string, lvl int, prog string, chart bool) (*coverageBlock, error) {
	b := &coverageBlock{Loaded: rel.Counts["cakupan-desil"] > 0, Periode: periode, Program: prog,
		DatasetURL:  "/dataset/cakupan-desil?" + url.Values{"periode": {periode}, "program": {prog}, "kode_wilayah": {nationAsEmpty(kode)}}.Encode(),
		regencyLink: belowRegency(kode, lvl)}
	if !b.Loaded || b.BelowRegency {
		return b, nil
	}
	own, _, err := s.coverageSums(ctx, rel.Number, periode, prog, "lvl = ? AND kode_wilayah = ?", lvl, kode)
	if err != nil {
		return nil, err
	}
	c := own[kode]
	if c == nil {
		b.NoRows = true
		return b, nil
	}
	for d := 1; d <= 10; d++ {
		dv := c.Deciles[d]
		dv.Desil = d
		b.Deciles = append(b.Deciles, dv)
	}
	b.Pct14, b.HasPct14 = c.Pct14()
	b.Fam14, b.Pen14 = c.Fam14, c.Pen14
	if b.HasPct14 {
		b.Gap = max(0, c.Fam14-c.Pen14)
		b.GapPct14 = 100 * float64(b.Gap) / float64(c.Fam14)
	}
	if all := c.Pen14 + c.Pen510; c.Known() && c.Withheld510 == 0 && all > 0 {
		b.Above4, b.HasAbove4 = 100*float64(c.Pen510)/float64(all), true
	}
	if chart && lvl < int(region.Regency) {
		if b.Chart, err = s.coverageChart(ctx, l, rel, periode, kode, lvl+1, prog); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// coverageChart is the coverage of deciles 1–4 of the regions at level lvl
// under parent (all provinces for the nation), highest first; a region
// with a withheld decile is a gap, never 0.
func (s *Server) coverageChart(ctx context.Context, l i18n.Localizer, rel release.Release, periode, parent string, lvl int, prog string) (*chartView, error) {
	cond, args := "lvl = ?", []any{lvl}
	if parent != "" {
		cond, args = "lvl = ? AND kode_wilayah LIKE ?", []any{lvl, parent + ".%"}
	}
	sums, order, err := s.coverageSums(ctx, rel.Number, periode, prog, cond, args...)
	if err != nil {
		return nil, err
	}
	if len(order) == 0 {
		return nil, nil
	}
	var pts []barPoint
	for _, code := range order {
		c := sums[code]
		pct, ok := c.Pct14()
		if !ok && c.Known() {
			continue // no DTSEN families of deciles 1–4 listed
		}
		pts = append(pts, barPoint{Label: c.Name, V: int64(pct*10 + 0.5), Withheld: !ok})
	}
	sortPoints(pts)
	id := coverChartID
	if parent != "" {
		id += "-" + strings.ReplaceAll(parent, ".", "")
	}
	place := "Indonesia"
	if parent != "" {
		place = region.Default().Name(parent)
	}
	cv, err := barChart(l, barSpec{ID: id, Title: l.T("cover.chart.title", coverWho(l, prog), place, periode),
		Unit: l.T("cover.chart.unit"), Source: l.T("chart.source", rel.Number, l.Date(rel.PublishedAt)),
		Head:     [2]string{l.T("level." + region.Level(lvl).String()), l.T("cover.col.pct14")},
		Decimals: 1, Format: func(v int64) string { return l.Percent(float64(v) / 10) },
		Height: "380px", Rotate: true}, pts)
	if err != nil {
		return nil, err
	}
	cv.Wide = true
	cv.CSV = "/dataset/cakupan-desil.csv?" + url.Values{"release": {fmt.Sprint(rel.Number)}, "periode": {periode}, "program": {prog},
		"tingkat": {region.Level(lvl).String()}}.Encode()
	return &cv, nil
}

// coverWho names who reaches the families: a programme, or "any
// programme" for SEMUA.
func coverWho(l i18n.Localizer, prog string) string {
	if prog == semua {
		return l.T("cover.program.semua")
	}
	return prog
}

// Who is coverWho for the page's programme.
func (b *coverageBlock) Who(l i18n.Localizer) string { return coverWho(l, b.Program) }

// realFigure is a realisation figure a press release cites: a row of
// realisasi pinned to the data release the post names, so the post keeps
// showing the number it talked about ("tahap 3 as of release N") whatever
// later releases say.
type realFigure struct {
	realView
	Release int
	Link    string
}

// realFigures reads the realisation figures of a post's links: each link
// to the realisasi dataset that names a periode gives the rows its dataset
// page shows for its release and filters (the dataset's own query), of
// the nation unless the link names a region or level. Only rows with a
// target (or withheld) are figures.
func (s *Server) realFigures(ctx context.Context, links []press.Link) ([]realFigure, error) {
	var out []realFigure
	for _, ln := range links {
		if ln.Kind != press.LinkDataset || ln.Target != dataset.Realisasi.Slug {
			continue
		}
		v, err := url.ParseQuery(ln.Query)
		if err != nil || v.Get("periode") == "" {
			continue
		}
		if v.Get("kode_wilayah") == "" && v.Get("tingkat") == "" {
			v.Set("kode_wilayah", dataset.EmptyValue)
		}
		q, err := dataset.ParseQuery(dataset.Realisasi, v, false)
		if err != nil {
			continue // the editor's check refuses such links; an old one shows no figure
		}
		q.Release = ln.Release
		stmt, args := q.SQL()
		rows, err := s.pub.R.QueryContext(ctx, stmt, args...)
		if err != nil {
			return nil, fmt.Errorf("realisation figure: %w", err)
		}
		rs, err := scanReal(rows)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			if r.HasTarget || r.Withheld {
				out = append(out, realFigure{realView: r, Release: ln.Release, Link: ln.URL()})
			}
		}
	}
	return out, nil
}

// figureText is a figure in words, for feeds: "PKH tahap 2025-Q3,
// Indonesia: tersalur X dari kuota Y KPM (Z%) — rilis data N".
func figureText(l i18n.Localizer, f realFigure) string {
	head := f.Program + " tahap " + f.Periode + ", " + f.Name + ": "
	tail := " — " + l.T("press.release_n", f.Release)
	if f.Withheld {
		return head + l.T("real.withheld") + tail
	}
	if f.SalurWithheld {
		return head + "— " + l.T("real.kpm_withheld", l.Int(f.Kuota)) + tail
	}
	s := head + l.T("real.kpm_line", l.Int(f.Salur), l.Int(f.Kuota))
	if f.HasPctKPM {
		s += " (" + l.Percent(f.PctKPM) + ")"
	}
	return s + tail
}
