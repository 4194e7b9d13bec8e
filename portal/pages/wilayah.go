package pages

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/portal-data-bansos/portal/internal/apperr"
	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/internal/published"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/portal/charts"
	"github.com/portal-data-bansos/portal/portal/web"
)

// reasonCodes are the rejection reasons in the order pages list them
// (programmes and components come from the dataset registry).
var reasonCodes = []string{"ASN", "DECEASED", "DOUBLE"}

// The measures of a published.Sum, short.
const (
	mPen = published.Penerima
	mTrx = published.Transaksi
	mNom = published.Nominal
	mTG  = published.TransaksiGagal
	mNG  = published.NominalGagal
	mTR  = published.TransaksiRetur
	mNR  = published.NominalRetur
)

// cell is one figure as a page shows it.
type cell struct {
	Text     string
	Title    string // tooltip: why withheld, or what a partial sum lacks
	Withheld bool
	Partial  bool
	Zero     bool
	NA       bool // "t.a.": nothing to divide by, or not applicable
	sortKey  float64
	sortable bool
}

// cells builds the figures of a page from sums (published.Sum).
type cells struct{ l i18n.Localizer }

func (f cells) withheld() cell {
	return cell{Text: "—", Title: f.l.T("wilayah.withheld_title"), Withheld: true}
}

// na is the "t.a." of a figure that does not exist or does not apply,
// never to be read as a withheld one (public/templates/partial_marks.html).
func (f cells) na() cell {
	return cell{Text: f.l.T("wilayah.na"), Title: f.l.T("dataset.not_set_title"), Zero: true, NA: true}
}

// count formats measure i's sum: withheld when every part is, "≥ n" when
// some are.
func (f cells) count(a published.Sum, i int, format func(int64) string) cell {
	a, v := a.Of(i), a.V(i)
	switch {
	case a.AllWithheld():
		return f.withheld()
	case a.None():
		return cell{Text: format(0), Zero: true, sortable: true}
	case a.Partial():
		return cell{Text: "≥ " + format(v), Title: f.l.T("wilayah.partial_title"), Partial: true, sortKey: float64(v), sortable: true}
	}
	return cell{Text: format(v), sortKey: float64(v), sortable: true}
}

// ratio formats num/den of one sum (or of two: region and total),
// a a seen for the measures in the ratio (published.Sum.Of).
func (f cells) ratio(a published.Sum, num, den int64, format func(float64) string) cell {
	switch {
	case a.AllWithheld():
		return f.withheld()
	case den == 0 || a.None():
		return f.na()
	}
	r := float64(num) / float64(den)
	c := cell{Text: format(r), sortKey: r, sortable: true}
	if a.Partial() {
		c.Text, c.Title, c.Partial = "≈ "+c.Text, f.l.T("wilayah.partial_ratio_title"), true
	}
	return c
}

func (f cells) pct(r float64) string     { return f.l.Percent(100 * r) }
func (f cells) rupiahF(r float64) string { return f.l.Rupiah(int64(r + 0.5)) }

// figRow is one row of figures: a programme, a child region, a quarter.
type figRow struct {
	Key, Label, URL                     string
	Current                             bool
	Penerima, Transaksi, Nominal        cell
	NomGagal, NomRetur, Failed, PerKPM  cell
	ParentPerKPM, NationalPerKPM, Share cell
	NoData                              bool
}

func (f cells) row(a published.Sum) figRow {
	return figRow{
		Penerima:  f.count(a, mPen, f.l.Int),
		Transaksi: f.count(a, mTrx, f.l.Int),
		Nominal:   f.count(a, mNom, f.l.Rupiah),
		NomGagal:  f.count(a, mNG, f.l.Rupiah),
		NomRetur:  f.count(a, mNR, f.l.Rupiah),
		Failed:    f.ratio(a.Of(mTrx, mTG, mTR), a.V(mTG)+a.V(mTR), a.V(mTrx), f.pct),
		PerKPM:    f.ratio(a.Of(mNom, mPen), a.V(mNom), a.V(mPen), f.rupiahF),
		NoData:    a.None(),
	}
}

// share is a's nominal as a share of total's, withheld when either is.
func (f cells) share(a, total published.Sum) cell {
	if t := total.Of(mNom); t.AllWithheld() || t.Partial() {
		return f.withheld()
	}
	return f.ratio(a.Of(mNom), a.V(mNom), total.V(mNom), f.pct)
}

// regionFilter is the wilayah page's form, validated.
type regionFilter struct {
	Periode, Program, Komponen, Urut string
}

type optionView struct {
	Value, Label string
	Selected     bool
}

type crumb struct{ Name, URL string }

type reasonRow struct {
	Label string
	Cells []cell
}

type sortHead struct {
	Label, URL, Dir string // Dir: "ascending", "descending" or ""
	Num             bool
}

type regionPage struct {
	*web.Page
	Region       region.Region
	LevelName    string
	Crumbs       []crumb
	Filter       regionFilter
	Periods      []optionView
	Programs     []optionView
	Components   []optionView
	Headline     figRow
	ProgramLabel string
	ProgramRows  []figRow
	ParentName   string
	ShowParent   bool // the parent is not the nation
	Reasons      []reasonRow
	ReasonHeads  []string
	ShowReasons  bool
	// ReasonsWithheld: every count of the rejections table is withheld
	// or a true zero; the page says so in a sentence instead of a grid
	// of dashes.
	ReasonsWithheld bool
	ChildLevel      string
	ChildHeads      []sortHead
	Children        []figRow
	HasWithheld     bool
	HasPartial      bool
	CSVURL          string
	DatasetURL      string
	ChildChart      *charts.View // nil for a district
	ProgramChart    *charts.View
	Real            *realisationBlock
	Cover           *coverageBlock
	Questions       *web.Questions // the desk's latest answers about it
}

// Region is /wilayah/{kode}: a province, regency/city or district with
// its figures for a quarter, per programme against its parent and the
// nation, its rejections (down to regency) and its children, sortable.
func (s *Handler) Region(c *gin.Context) {
	raw := c.Param("kode")
	dotted, lvl, ok := region.Normalize(raw)
	if !ok || lvl == region.Village {
		_ = c.Error(web.ErrNotFound)
		return
	}
	reg, ok := region.Default().Lookup(dotted)
	if !ok {
		_ = c.Error(web.ErrNotFound)
		return
	}
	if dotted != raw {
		u := "/wilayah/" + dotted
		if q := c.Request.URL.RawQuery; q != "" {
			u += "?" + q
		}
		c.Redirect(http.StatusMovedPermanently, u)
		return
	}
	p := &regionPage{Page: s.NewPage(c, ""), Region: reg}
	l := p.L
	f := cells{l}
	p.LevelName = l.T("level." + reg.Level.String())
	p.Crumbs = []crumb{{Name: "Indonesia"}}
	for _, par := range region.Default().Parents(dotted) {
		p.Crumbs = append(p.Crumbs, crumb{Name: par.Name, URL: "/wilayah/" + par.Code})
	}
	p.DatasetURL = "/dataset/penyaluran?kode_wilayah=" + url.QueryEscape(dotted)

	if err := s.WithRelease(c, p.Page); err != nil {
		_ = c.Error(err)
		return
	}
	if p.Release == nil {
		s.Render(c, http.StatusOK, "wilayah", p)
		return
	}
	rel := *p.Release
	if err := s.parseRegionFilter(c, rel, &p.Filter); err != nil {
		_ = c.Error(err)
		return
	}
	// With the information desk's latest answers (portal/tanya), which
	// change without a release.
	answers, done, err := s.PageAnswers(c, rel, p.Pinned, press.AnswerFilter{Region: dotted}, "wilayah", dotted, c.Request.URL.RawQuery, string(l.Lang))
	if err != nil {
		_ = c.Error(err)
	}
	if err != nil || done {
		return
	}
	p.Questions = answers
	p.fillOptions(l, rel)
	fl := p.Filter
	ctx := c.Request.Context()

	// The programmes shown: one when a filter names it.
	progs := progSelection(fl)
	own, err := s.Data.PenyaluranCells(ctx, rel.Number, fl.cells(int(lvl), published.OneRegion(dotted)))
	if err != nil {
		_ = c.Error(err)
		return
	}
	parentCode := reg.Parent
	parent, err := s.Data.PenyaluranCells(ctx, rel.Number, fl.cells(int(lvl)-1, published.OneRegion(parentCode)))
	if err != nil {
		_ = c.Error(err)
		return
	}
	national := parent
	if lvl > region.Province {
		if national, err = s.Data.PenyaluranCells(ctx, rel.Number, fl.cells(0, published.OneRegion(""))); err != nil {
			_ = c.Error(err)
			return
		}
		p.ParentName, p.ShowParent = region.Default().Name(parentCode), true
	} else {
		p.ParentName = "Indonesia"
	}

	var total published.Sum
	for _, prog := range progs {
		a, par, nat := own.At(prog, fl.Komponen, dotted), parent.At(prog, fl.Komponen, parentCode), national.At(prog, fl.Komponen, "")
		if fl.Komponen != "" && prog != "PKH" {
			continue
		}
		total.Add(a)
		r := f.row(a)
		r.Key, r.Label, r.URL = prog, l.T("program.short."+prog), "/program/"+prog
		r.ParentPerKPM = f.row(par).PerKPM
		r.NationalPerKPM = f.row(nat).PerKPM
		r.Share = f.share(a, nat)
		p.ProgramRows = append(p.ProgramRows, r)
	}
	p.Headline = f.row(total)
	if fl.Program != "" {
		p.ProgramLabel = l.T("program.short." + fl.Program)
	}

	// Rejections: published down to regency only.
	if lvl <= region.Regency {
		p.ShowReasons = true
		if p.Reasons, err = s.regionReasons(ctx, f, rel.Number, fl, dotted, int(lvl), progs); err != nil {
			_ = c.Error(err)
			return
		}
		for _, r := range reasonCodes {
			p.ReasonHeads = append(p.ReasonHeads, l.T("wilayah.reason."+r))
		}
	}

	// Children, with their sum over the programmes shown.
	var kids []regionChild
	if lvl < region.District {
		p.ChildLevel = l.T("level." + (lvl + 1).String())
		if kids, err = s.regionChildren(ctx, rel.Number, reg, fl); err != nil {
			_ = c.Error(err)
			return
		}
		for _, kid := range kids {
			a := kid.A
			r := f.row(a)
			r.Key, r.Label, r.URL = kid.Code, kid.Name, "/wilayah/"+kid.Code+keepQuery(c.Request.URL, "urut")
			r.Share = f.share(a, total)
			p.Children = append(p.Children, r)
		}
		p.ChildHeads = sortChildren(l, c.Request.URL, p.Children, fl.Urut)
	}

	for _, rows := range [][]figRow{{p.Headline}, p.ProgramRows, p.Children} {
		for _, r := range rows {
			for _, x := range []cell{r.Penerima, r.Transaksi, r.Nominal, r.Failed, r.PerKPM, r.ParentPerKPM, r.NationalPerKPM, r.Share} {
				p.HasWithheld = p.HasWithheld || x.Withheld
				p.HasPartial = p.HasPartial || x.Partial
			}
		}
	}
	// The rejections say it in a sentence when every count that is not a
	// true zero is withheld: a grid of dashes and zeros tells nothing.
	published := false
	for _, r := range p.Reasons {
		for _, x := range r.Cells {
			p.ReasonsWithheld = p.ReasonsWithheld || x.Withheld
			published = published || !x.Withheld && !x.Zero
		}
	}
	p.HasWithheld = p.HasWithheld || p.ReasonsWithheld
	p.ReasonsWithheld = p.ReasonsWithheld && !published

	if p.ChildChart, p.ProgramChart, err = regionCharts(l, rel, reg, fl, own, kids); err != nil {
		_ = c.Error(err)
		return
	}

	dl := url.Values{"kode_wilayah": {dotted}, "periode": {fl.Periode}}
	if fl.Program != "" {
		dl.Set("program", fl.Program)
	}
	if fl.Komponen != "" {
		dl.Set("komponen", fl.Komponen)
	} else {
		dl.Set("komponen", dataset.EmptyValue)
	}
	if lvl < region.District {
		// The rows the page shows: its children, at their level.
		dl.Del("kode_wilayah")
		dl.Set(dataset.Within, dotted)
		dl.Set("tingkat", (lvl + 1).String())
	}
	p.CSVURL = "/dataset/penyaluran.csv?" + dl.Encode()
	p.DatasetURL = "/dataset/penyaluran?" + dl.Encode()
	if p.Real, err = s.realisation(ctx, l, rel, fl.Periode, dotted, int(lvl), progs); err != nil {
		_ = c.Error(err)
		return
	}
	if fl.Program != "" && lvl < region.Regency && p.Real.Loaded && !p.Real.BelowRegency {
		// One programme: its realisation by regency, against the 100 % line.
		if p.Real.Chart, err = s.realisationChart(ctx, l, rel, fl.Periode, dotted, int(lvl)+1, fl.Program); err != nil {
			_ = c.Error(err)
			return
		}
	}
	coverProg := semua
	if fl.Program != "" {
		coverProg = fl.Program
	}
	if p.Cover, err = s.coverage(ctx, l, rel, fl.Periode, dotted, int(lvl), coverProg, true); err != nil {
		_ = c.Error(err)
		return
	}
	pin := url.Values{"periode": {fl.Periode}, "program": {fl.Program}, "komponen": {fl.Komponen}}
	if s.pageCharts(c, p.Page, rel, pin, p.ChildChart, p.ProgramChart, p.Cover.Chart, p.Real.Chart) {
		return
	}
	pin.Set("urut", fl.Urut)
	title := l.T("cite.title.region", reg.Name, p.LevelName, fl.Periode)
	if fl.Program != "" {
		title += " · " + p.ProgramLabel
	}
	p.Cite = s.Cite(c, l, title, rel, "/wilayah/"+dotted, pin)
	s.Render(c, http.StatusOK, "wilayah", p)
}

// parseRegionFilter validates ?periode=&program=&komponen=&urut=. An
// unknown value is a 400 that says what exists.
func (s *Handler) parseRegionFilter(c *gin.Context, rel release.Release, f *regionFilter) error {
	f.Periode = strings.TrimSpace(c.Query("periode"))
	f.Program = strings.ToUpper(strings.TrimSpace(c.Query("program")))
	f.Komponen = strings.ToUpper(strings.TrimSpace(c.Query("komponen")))
	f.Urut = strings.TrimSpace(c.Query("urut"))
	if f.Periode == "" && len(rel.Periods) > 0 {
		f.Periode = rel.Periods[len(rel.Periods)-1]
	}
	if !slices.Contains(rel.Periods, f.Periode) && len(rel.Periods) > 0 {
		return apperr.BadValue("periode", "error.unknown_period", f.Periode, strings.Join(rel.Periods, ", "))
	}
	if f.Program != "" && !slices.Contains(bansos.ProgramCodes, f.Program) {
		return apperr.BadValue("program", "error.unknown_program", f.Program, strings.Join(bansos.ProgramCodes, ", "))
	}
	if f.Komponen != "" {
		if !slices.Contains(bansos.ComponentCodes, f.Komponen) {
			return apperr.BadValue("komponen", "error.unknown_component", f.Komponen, strings.Join(bansos.ComponentCodes, ", "))
		}
		if f.Program != "" && f.Program != "PKH" {
			return apperr.BadValue("komponen", "error.component_pkh_only")
		}
	}
	return nil
}

func (p *regionPage) fillOptions(l i18n.Localizer, rel release.Release) {
	for i := len(rel.Periods) - 1; i >= 0; i-- {
		per := rel.Periods[i]
		p.Periods = append(p.Periods, optionView{Value: per, Label: per, Selected: per == p.Filter.Periode})
	}
	for _, prog := range bansos.ProgramCodes {
		p.Programs = append(p.Programs, optionView{Value: prog, Label: l.T("program.short." + prog), Selected: prog == p.Filter.Program})
	}
	for _, k := range bansos.ComponentCodes {
		p.Components = append(p.Components, optionView{Value: k, Label: l.T("program.komp." + k), Selected: k == p.Filter.Komponen})
	}
}

// regionReasons reads ketepatan-sasaran for a region: one row per
// programme shown, one cell per reason.
func (s *Handler) regionReasons(ctx context.Context, f cells, rel int, fl regionFilter, kode string, lvl int, progs []string) ([]reasonRow, error) {
	got, err := s.Data.RegionRejections(ctx, rel, fl.Periode, lvl, kode)
	if err != nil {
		return nil, err
	}
	var out []reasonRow
	for _, prog := range progs {
		r := reasonRow{Label: f.l.T("program.short." + prog)}
		for _, why := range reasonCodes {
			r.Cells = append(r.Cells, f.count(got.At(prog, why), mTrx, f.l.Int))
		}
		out = append(out, r)
	}
	return out, nil
}

// childSorts are the columns the children table sorts by (?urut=, "-" in
// front for descending).
var childSorts = []struct {
	key, label string
	num        bool
	val        func(figRow) cell
}{
	{"kode", "wilayah.col.code", false, nil},
	{"nama", "wilayah.col.name", false, nil},
	{"penerima", "wilayah.col.recipients", true, func(r figRow) cell { return r.Penerima }},
	{"transaksi", "wilayah.col.transactions", true, func(r figRow) cell { return r.Transaksi }},
	{"nominal", "wilayah.col.nominal", true, func(r figRow) cell { return r.Nominal }},
	{"gagal", "wilayah.col.failed", true, func(r figRow) cell { return r.Failed }},
	{"per_kpm", "wilayah.col.per_kpm", true, func(r figRow) cell { return r.PerKPM }},
	{"porsi", "wilayah.col.share_parent", true, func(r figRow) cell { return r.Share }},
}

// sortChildren sorts rows in place by ?urut= (default: by code) and
// returns the header cells with their links. Withheld and empty figures
// sort last whichever the direction.
func sortChildren(l i18n.Localizer, u *url.URL, rows []figRow, urut string) []sortHead {
	desc := strings.HasPrefix(urut, "-")
	key := strings.TrimPrefix(urut, "-")
	idx := 0
	for i, cs := range childSorts {
		if cs.key == key {
			idx = i
		}
	}
	if childSorts[idx].key != key {
		desc = false
	}
	by := childSorts[idx]
	slices.SortStableFunc(rows, func(a, b figRow) int {
		var c int
		switch by.key {
		case "kode":
			c = strings.Compare(a.Key, b.Key)
		case "nama":
			c = strings.Compare(strings.ToLower(a.Label), strings.ToLower(b.Label))
		default:
			x, y := by.val(a), by.val(b)
			switch {
			case x.sortable != y.sortable:
				if x.sortable {
					return -1
				}
				return 1
			case x.sortKey < y.sortKey:
				c = -1
			case x.sortKey > y.sortKey:
				c = 1
			}
		}
		if c == 0 {
			return strings.Compare(a.Key, b.Key)
		}
		if desc {
			return -c
		}
		return c
	})
	var heads []sortHead
	for i, cs := range childSorts {
		h := sortHead{Label: l.T(cs.label), Num: cs.num}
		next := cs.key
		if cs.num {
			next = "-" + cs.key // figures read best largest first
		}
		if i == idx {
			if desc {
				h.Dir, next = "descending", cs.key
			} else {
				h.Dir, next = "ascending", "-"+cs.key
			}
		}
		h.URL = web.WithParam(u, "urut", next) + "#anak"
		heads = append(heads, h)
	}
	return heads
}

// keepQuery is the query string of u without the named parameters, for a
// link to a sibling page with the same filters.
func keepQuery(u *url.URL, drop ...string) string {
	q := u.Query()
	for _, d := range drop {
		q.Del(d)
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// regionChild is one child region with its sum over the programmes shown.
type regionChild struct {
	Code, Name string
	A          published.Sum
}

// progSelection is the programmes a region page shows for its filter.
func progSelection(fl regionFilter) []string {
	if fl.Program != "" {
		return []string{fl.Program}
	}
	return bansos.ProgramCodes
}

// cells selects the penyaluran cells of the programmes and component a
// region page shows for its filter, in its quarter, at level lvl.
func (fl regionFilter) cells(lvl int, area published.Area) published.CellFilter {
	return published.CellFilter{Period: fl.Periode, Level: lvl, Area: area, Program: fl.Program, Component: fl.Komponen}
}

// regionChildren reads the children of a province or regency with their
// sums over the programmes shown, in code order.
func (s *Handler) regionChildren(ctx context.Context, rel int, reg region.Region, fl regionFilter) ([]regionChild, error) {
	kids, err := s.Data.PenyaluranCells(ctx, rel, fl.cells(int(reg.Level)+1, published.Within(reg.Code)))
	if err != nil {
		return nil, err
	}
	var out []regionChild
	for _, kid := range region.Default().Children(reg.Code) {
		var a published.Sum
		for _, prog := range progSelection(fl) {
			a.Add(kids.At(prog, fl.Komponen, kid.Code))
		}
		out = append(out, regionChild{Code: kid.Code, Name: kid.Name, A: a})
	}
	return out, nil
}

// childMeasure is the figure the children chart plots: the count the
// children table is sorted by (?urut=), recipient families otherwise.
func childMeasure(urut string) string {
	switch m := strings.TrimPrefix(urut, "-"); m {
	case "transaksi", "nominal":
		return m
	}
	return "penerima"
}
