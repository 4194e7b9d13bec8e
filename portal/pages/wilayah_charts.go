package pages

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/portal-data-bansos/portal/internal/dataset"
	"github.com/portal-data-bansos/portal/internal/i18n"
	"github.com/portal-data-bansos/portal/internal/published"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/release"
	"github.com/portal-data-bansos/portal/portal/charts"
)

// linkRegions makes each row of a bar chart of regions (one row per
// plotted value, its code the region's) a link to the region's page.
func linkRegions(cv *charts.View) {
	cv.RowLinks = cv.RowLinks[:0]
	for _, d := range cv.Data {
		cv.RowLinks = append(cv.RowLinks, "/wilayah/"+d.Code)
	}
}

// The charts of a region page, built from its cells.

// regionCharts builds the charts of a region page: its children by the
// selected measure, largest first (none for a district), and its rupiah
// disbursed per programme. own is the region's cells (regionFilter.cells).
func regionCharts(l i18n.Localizer, rel release.Release, reg region.Region, fl regionFilter, own published.Cells, kids []regionChild) (children, programs *charts.View, err error) {
	source := l.T("chart.source", rel.Number, l.Date(rel.PublishedAt))
	sel := l.T("wilayah.chart.all_programs")
	if fl.Program != "" {
		sel = l.T("program.short." + fl.Program)
	}
	if fl.Komponen != "" {
		sel += " · " + l.T("program.komp."+fl.Komponen)
	}
	if len(kids) > 0 {
		measure := childMeasure(fl.Urut)
		sp := charts.BarSpec{ID: "wilayah-anak", Source: source, Format: l.Int, Rotate: true, Height: "420px"}
		var m int
		switch measure {
		case "transaksi":
			sp.Head[1], sp.Unit, m = l.T("wilayah.col.transactions"), l.T("chart.unit.transactions"), mTrx
			sp.Series, sp.UnitCode = "transaksi", charts.UnitTransactions
		case "nominal":
			sp.Head[1], sp.Unit, m = l.T("wilayah.col.nominal"), l.T("chart.unit.rupiah"), mNom
			sp.Format = l.Rupiah
			sp.Series, sp.UnitCode = "nominal_salur", charts.UnitRupiah
		default:
			sp.Head[1], sp.Unit, m = l.T("wilayah.col.recipients"), l.T("chart.unit.families"), mPen
			sp.Series, sp.UnitCode = "penerima", charts.UnitFamilies
		}
		level := l.T("level." + (reg.Level + 1).String())
		sp.Head[0] = l.T("wilayah.col.name")
		sp.Title = l.T("wilayah.chart.children.title", sp.Head[1], level, reg.Name, fl.Periode, sel)
		sp.Name = charts.Slug(sp.Series, "per", (reg.Level + 1).String(), programSlug(fl), reg.Name, fl.Periode)
		sp.Subtitle = subtitle(sp.Unit, reg.Name, fl.Periode, sel)
		codes := make([]string, len(kids))
		pts := make([]charts.Point, len(kids))
		for i, k := range kids {
			codes[i] = k.Code
			pts[i] = charts.PointAt(k.Code, k.Name, k.A, m)
		}
		charts.SortPoints(pts)
		q := url.Values{"tingkat": {(reg.Level + 1).String()}, "kode_wilayah": {strings.Join(codes, ",")},
			"periode": {fl.Periode}, "komponen": {dataset.EmptyValue}, "release": {strconv.Itoa(rel.Number)}}
		if fl.Program != "" {
			q.Set("program", fl.Program)
		}
		if fl.Komponen != "" {
			q.Set("komponen", fl.Komponen)
		}
		sp.CSV = "/dataset/penyaluran.csv?" + q.Encode()
		cv, err := charts.Bar(l, sp, pts)
		if err != nil {
			return nil, nil, err
		}
		stamp(&cv, rel)
		linkRegions(&cv)
		children = &cv
	}

	var pts []charts.Point
	for _, prog := range progSelection(fl) {
		if fl.Komponen != "" && prog != "PKH" {
			continue
		}
		a := own.At(prog, fl.Komponen, reg.Code)
		pt := charts.PointAt(prog, l.T("program.short."+prog), a, mNom)
		pt.Color = charts.ProgramColor(prog)
		pts = append(pts, pt)
	}
	suffix := ""
	if fl.Komponen != "" {
		suffix = " · " + l.T("program.komp."+fl.Komponen)
	}
	q := url.Values{"kode_wilayah": {reg.Code}, "periode": {fl.Periode}, "komponen": {dataset.EmptyValue}, "release": {strconv.Itoa(rel.Number)}}
	if fl.Program != "" {
		q.Set("program", fl.Program)
	}
	if fl.Komponen != "" {
		q.Set("komponen", fl.Komponen)
	}
	cv, err := charts.Bar(l, charts.BarSpec{ID: "wilayah-program", Source: source, Format: l.Rupiah, Height: "300px",
		Title: l.T("wilayah.chart.programs.title", reg.Name, fl.Periode, suffix), Unit: l.T("chart.unit.rupiah"),
		Head:   [2]string{l.T("wilayah.col.program"), l.T("wilayah.col.nominal")},
		Series: "nominal_salur", UnitCode: charts.UnitRupiah,
		Name:     charts.Slug("nominal-salur-per-program", fl.Program, fl.Komponen, reg.Name, fl.Periode),
		Subtitle: subtitle(l.T("chart.unit.rupiah"), reg.Name, fl.Periode, strings.TrimPrefix(suffix, " · ")),
		CSV:      "/dataset/penyaluran.csv?" + q.Encode()}, pts)
	if err != nil {
		return nil, nil, err
	}
	stamp(&cv, rel)
	return children, &cv, nil
}

// programSlug is a region filter's programme (and component) in a
// download name: "sembako", "pkh-sd" or "semua-program".
func programSlug(fl regionFilter) string {
	if fl.Program == "" {
		return "semua-program"
	}
	return charts.Slug(fl.Program, fl.Komponen)
}
