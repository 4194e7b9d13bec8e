package aggregator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/disclosure"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/release"
)

// DisclosureReport is the disclosure report of a release; see
// release.Disclosure.
type DisclosureReport = release.Disclosure

// DatasetDisclosure is one dataset's part of the report.
type DatasetDisclosure = release.DatasetDisclosure

// LevelDisclosure counts one level of one dataset.
type LevelDisclosure = release.LevelDisclosure

var traceHeldBack = os.Getenv("DISCLOSURE_TRACE") != ""

// protectionMethod names the method in every report.
const protectionMethod = "witness-audit/1"

func pcOf(p Program, c Component) int {
	if c != ComponentNone {
		return pcComponent(c)
	}
	return pcTotal(p)
}

// dimSizes are the category counts of the dimensions, in Categories order.
var dimSizes = [numDims]int{2, 5, 11, 5}

// Protect applies disclosure control (docs/disclosure.md) to a release's
// tables in place, quarter by quarter against the history of the previous
// release, and returns the report and the history to keep for the next.
// hist may be nil (the first release). Quarters whose numbers did not
// change keep their verdicts. A release that cannot be protected is not
// published. workers bounds the quarters protected at once (Options.Workers).
func Protect(ctx context.Context, t *Tables, hist *History, regions *region.Table, k int, load factLoader, log *slog.Logger, workers int) (*DisclosureReport, *History, error) {
	if hist == nil {
		hist = &History{}
	}
	g := newGeography(regions)
	quarters := releaseQuarters(t)
	out := &History{Quarters: map[Quarter]*QuarterHistory{}}
	results := make([]*quarterResult, len(quarters))
	hists := make([]*QuarterHistory, len(quarters))
	errs := make([]error, len(quarters))
	// Quarters are independent problems: two at a time; the first
	// failure stops the rest.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers = atOnce(workers, len(quarters))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			yieldThread(ctx)
			for i := range next {
				if err := ctx.Err(); err != nil {
					errs[i] = err
					continue
				}
				var prev *QuarterHistory
				if hist.Quarters != nil {
					prev = hist.Quarters[quarters[i]]
				}
				hists[i], results[i], errs[i] = protectQuarter(g, t, quarters[i], prev, k, load)
				if errs[i] != nil && !holdable(errs[i]) {
					cancel() // a quarter that can be held back stops nothing
				}
			}
		}()
	}
	for i := range quarters {
		next <- i
	}
	close(next)
	wg.Wait()
	rep := &DisclosureReport{K: k, Method: protectionMethod, Datasets: map[string]*DatasetDisclosure{}}
	for i, q := range quarters {
		var prev *QuarterHistory
		if hist.Quarters != nil {
			prev = hist.Quarters[q]
		}
		// A count no suppression protects: its programme's level is left
		// out for the quarter (like a sparse level) and the quarter tried
		// again, a few times, before it is held back.
		for try := 0; try < maxLevelsLeftOut; try++ {
			var le *levelError
			if !errors.As(errs[i], &le) || !le.ok {
				break
			}
			rows := omitLevel(t, q, le.program, le.geo)
			rep.LevelsLeftOut = append(rep.LevelsLeftOut, fmt.Sprintf("%s %s %s", PeriodString(q), le.program, le.geo))
			log.Warn("level left out: no suppression protects one of its counts", "quarter", PeriodString(q),
				"program", le.program.String(), "level", le.geo.String(), "rows", rows)
			hists[i], results[i], errs[i] = protectQuarter(g, t, q, prev, k, load)
		}
		if !holdable(errs[i]) {
			continue
		}
		// No safe way to publish the quarter's changes yet (a handful
		// of late families, say, beside totals already public): the
		// quarter is shown as the previous release showed it (not at
		// all when none did), and the history keeps that release, so
		// the next run tries again with the changes that will have
		// piled up by then.
		rep.HeldBack = append(rep.HeldBack, PeriodString(q))
		// The error names the count and its true value: the log says
		// only which quarter waits (DISCLOSURE_TRACE tells the rest).
		log.Warn("quarter held back: no safe way to publish its changes yet", "quarter", PeriodString(q))
		if traceHeldBack {
			fmt.Fprintln(os.Stderr, errs[i])
		}
		if prev == nil {
			replaceQuarter(t, q, &Tables{})
			hists[i], results[i], errs[i] = nil, &quarterResult{carried: true}, nil
			continue
		}
		replaceQuarter(t, q, prev.Tables)
		hists[i], results[i], errs[i] = protectQuarter(g, t, q, prev, k, load)
		if errs[i] == nil && !results[i].carried {
			errs[i] = fmt.Errorf("disclosure control of %s: holding the quarter back did not restore the previous release", PeriodString(q))
		}
	}
	for i := range quarters {
		// The first real error, not the cancellations it caused.
		if errs[i] != nil && !errors.Is(errs[i], context.Canceled) {
			return nil, nil, errs[i]
		}
	}
	for i, q := range quarters {
		if errs[i] != nil {
			return nil, nil, errs[i]
		}
		if hists[i] != nil {
			out.Quarters[q] = hists[i]
		}
		r := results[i]
		if r.carried {
			rep.Carried++
		} else {
			if q != unknownQuarter {
				log.Info("quarter protected", "quarter", PeriodString(q), "witnesses", len(r.engine.Witnesses), "districts_read", r.reads)
			}
			rep.Quarters++
			rep.Witnesses += len(r.engine.Witnesses)
			rep.Requirements += r.engine.Active
		}
		t.Penyaluran = append(t.Penyaluran, r.zeroPen...)
		t.Demografi = append(t.Demografi, r.zeroDemo...)
		t.Cakupan = append(t.Cakupan, r.zeroCover...)
	}
	// Quarters of the previous history that this release no longer has
	// cannot occur (releases are cumulative); keep them anyway.
	for q, h := range hist.Quarters {
		if _, ok := out.Quarters[q]; !ok {
			out.Quarters[q] = h
		}
	}
	sortTables(t)
	fillReport(rep, t)
	return rep, out, nil
}

// holdOpenQuarters takes out of t the quarters no release has published
// yet that ended less than days ago at now (docs/disclosure.md,
// "Releases"), and returns them (YYYY-Qn). Their rows stay in the private
// store and come out together once the quarter is due.
func holdOpenQuarters(t *Tables, hist *History, now time.Time, days int) []string {
	if days < 0 {
		return nil
	}
	var out []string
	for _, q := range releaseQuarters(t) {
		if q == unknownQuarter {
			continue
		}
		if hist != nil && hist.Quarters[q] != nil {
			continue // published before: its changes are revisions
		}
		end := time.Date(q.Year(), time.Month(3*q.Q()+1), 1, 0, 0, 0, 0, bansos.WIB) // midnight in Jakarta
		if now.Before(end.AddDate(0, 0, days)) {
			replaceQuarter(t, q, &Tables{})
			delete(t.Amounts, q)
			out = append(out, PeriodString(q))
		}
	}
	return out
}

// maxLevelsLeftOut bounds the levels one quarter may lose before it is
// held back instead.
const maxLevelsLeftOut = 4

// holdable reports whether err means a quarter cannot be published yet
// (rather than that something broke).
func holdable(err error) bool {
	var fe *disclosure.FailError
	return errors.As(err, &fe) || errors.Is(err, disclosure.ErrBudget) || errors.Is(err, errRevisionTooLarge)
}

// replaceQuarter swaps quarter q's rows of t for those of snap (a
// QuarterHistory's tables), in snap's order, so that the quarter reads
// back equal to snap (see sortTables for the published order).
func replaceQuarter(t *Tables, q Quarter, snap *Tables) {
	t.dropRows(func(k *CellKey) bool { return k.Quarter == q })
	t.Kualitas = slices.DeleteFunc(t.Kualitas, func(c QualityCell) bool {
		return (c.Known && c.Quarter == q) || (!c.Known && q == unknownQuarter)
	})
	t.Penyaluran = append(t.Penyaluran, snap.Penyaluran...)
	t.Demografi = append(t.Demografi, snap.Demografi...)
	t.Ketepatan = append(t.Ketepatan, snap.Ketepatan...)
	t.Kualitas = append(t.Kualitas, snap.Kualitas...)
	t.Realisasi = append(t.Realisasi, snap.Realisasi...)
	t.Cakupan = append(t.Cakupan, snap.Cakupan...)
	if a := snap.Amounts[q]; a != nil {
		if t.Amounts == nil {
			t.Amounts = map[Quarter]*[numPC]amountStat{}
		}
		cp := *a
		t.Amounts[q] = &cp
	}
}

// sortTables puts rows in publication order: those added by protection
// (zero rows shown withheld) and a held-back quarter's.
func sortTables(t *Tables) {
	slices.SortStableFunc(t.Ketepatan, compareRejects)
	slices.SortStableFunc(t.Realisasi, func(a, b RealCell) int { return compareKeys(a.CellKey, b.CellKey) })
	slices.SortStableFunc(t.Kualitas, func(a, b QualityCell) int {
		// As buildTallies reads them: by quarter (unknown first), reason.
		qa, qb := int(a.Quarter), int(b.Quarter)
		if !a.Known {
			qa = -1
		}
		if !b.Known {
			qb = -1
		}
		if qa != qb {
			return qa - qb
		}
		return strings.Compare(a.Reason, b.Reason)
	})
	slices.SortStableFunc(t.Penyaluran, func(a, b Cell) int { return compareKeys(a.CellKey, b.CellKey) })
	slices.SortStableFunc(t.Demografi, func(a, b DemoCell) int {
		if c := compareKeys(a.CellKey, b.CellKey); c != 0 {
			return c
		}
		return int(a.Cat) - int(b.Cat)
	})
	slices.SortStableFunc(t.Cakupan, func(a, b CoverCell) int {
		// SEMUA (ProgramNone) after the programmes, as published.
		pa, pb := a.Program, b.Program
		if pa == ProgramNone {
			pa = 255
		}
		if pb == ProgramNone {
			pb = 255
		}
		switch {
		case a.Quarter != b.Quarter:
			return int(a.Quarter) - int(b.Quarter)
		case pa != pb:
			return int(pa) - int(pb)
		case a.Geo != b.Geo:
			return int(a.Geo) - int(b.Geo)
		case a.Region != b.Region:
			return int(a.Region) - int(b.Region)
		}
		return a.Decile - b.Decile
	})
}

// shareStep rounds a withheld share for publication (see
// release.LevelDisclosure): nil when the total is too small for any step.
func shareStep(withheld, total int64, k int) *float64 {
	if total <= 0 {
		return nil
	}
	for _, step := range []float64{0.001, 0.01, 0.1} {
		if step*float64(total) >= float64(2*k) {
			v := math.Round(float64(withheld)/float64(total)/step) * step
			v = math.Round(v*1000) / 1000
			return &v
		}
	}
	return nil
}

// fillReport counts withheld rows and the share of families and rupiah in
// them, per dataset and level.
func fillReport(rep *DisclosureReport, t *Tables) {
	type sums struct{ fam, famW, rp, rpW int64 }
	acc := map[string]map[Geo]*sums{}
	count := func(ds string, geo Geo, w Withheld, partial bool, fam, rp int64, share bool) {
		d := rep.Datasets[ds]
		if d == nil {
			d = &DatasetDisclosure{Levels: map[string]*LevelDisclosure{}}
			rep.Datasets[ds] = d
		}
		l := d.Levels[geo.String()]
		if l == nil {
			l = &LevelDisclosure{}
			d.Levels[geo.String()] = l
		}
		d.Cells++
		l.Cells++
		switch {
		case w == Primary:
			d.Primary++
			l.Primary++
		case w == Secondary:
			d.Secondary++
			l.Secondary++
		case partial:
			d.Partial++
			l.Partial++
		}
		if !share {
			return
		}
		if acc[ds] == nil {
			acc[ds] = map[Geo]*sums{}
		}
		s := acc[ds][geo]
		if s == nil {
			s = &sums{}
			acc[ds][geo] = s
		}
		s.fam += fam
		s.rp += rp
		if w != Published {
			s.famW += fam
			s.rpW += rp
		}
	}
	for i := range t.Penyaluran {
		c := &t.Penyaluran[i]
		// Shares are of the programme totals, so PKH families are not
		// counted once per component.
		count("penyaluran", c.Geo, c.Withheld, c.Hidden != 0, c.Penerima, c.NomSalur, c.Component == ComponentNone)
	}
	for i := range t.Demografi {
		c := &t.Demografi[i]
		count("penyaluran-demografi", c.Geo, c.Withheld, false, c.Penerima, c.NomSalur, Categories[c.Cat].Dim == DimSex)
	}
	for i := range t.Ketepatan {
		c := &t.Ketepatan[i]
		count("ketepatan-sasaran", c.Geo, c.Withheld, false, c.Jumlah, 0, c.Program == ProgramNone)
	}
	for i := range t.Realisasi {
		c := &t.Realisasi[i]
		count("realisasi", c.Geo, c.Withheld, c.Hidden != 0, c.PenerimaSalur, c.NomSalur, true)
	}
	for i := range t.Cakupan {
		c := &t.Cakupan[i]
		// Shares are of the families reached by any programme, each
		// counted once.
		count("cakupan-desil", c.Geo, c.Withheld, false, c.Penerima, 0, c.Program == ProgramNone)
	}
	for i := range t.Kualitas {
		c := &t.Kualitas[i]
		count("kualitas-data", Nasional, c.Withheld, false, c.Jumlah, 0, true)
	}
	for ds, levels := range acc {
		for geo, s := range levels {
			l := rep.Datasets[ds].Levels[geo.String()]
			l.FamiliesWithheld = shareStep(s.famW, s.fam, rep.K)
			if s.rp > 0 {
				// Rupiah in millions, so the implied withheld amount is
				// uncertain by many families' payments.
				l.RupiahWithheld = shareStep(s.rpW/1_000_000, s.rp/1_000_000, rep.K)
			}
		}
	}
}
