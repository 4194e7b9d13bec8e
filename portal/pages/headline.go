package pages

import (
	"context"
	"strings"

	"github.com/portal-data-bansos/portal/internal/bansos"
	"github.com/portal-data-bansos/portal/internal/published"
	"github.com/portal-data-bansos/portal/internal/release"
)

// areaOf is each programme's area of intervention.
var areaOf = map[string]string{"PKH": "perlindungan", "SEMBAKO": "perlindungan", "BLT": "perlindungan", "PBI_JK": "perlindungan",
	"ATENSI": "rehabilitasi", "PENA": "pemberdayaan"}

// figure is a number with its change from the previous quarter; Partial
// when some of its parts are withheld (then it is a lower bound).
type figure struct {
	Value, Prev    int64
	Known, Partial bool
	HasPrev        bool
}

// Change is the relative change from the previous quarter, in percent.
func (f figure) Change() float64 { return 100 * float64(f.Value-f.Prev) / float64(f.Prev) }

// ShowChange reports whether a change can be stated honestly.
func (f figure) ShowChange() bool { return f.Known && f.HasPrev && f.Prev > 0 && !f.Partial }

type headlineProgram struct {
	Program      string
	Families, Rp figure
	FailedShare  float64
	FailedKnown  bool
	// FailedWithheld: the share is unknown because a part is withheld
	// (else, when not known, it does not apply: no transactions).
	FailedWithheld bool
}

// headline is the dashboard's summary of one quarter.
type headline struct {
	Quarter, PrevQuarter string
	Quarters             []string
	Year                 string
	Nominal, NominalYear figure
	Programs             []headlineProgram
	Rejected             figure
	RejectedBy           map[string]int64
	Decile14             float64
	Decile14Known        bool
	Decile14Prev         float64
	Decile14PrevKnown    bool
	Quarantined          int64
	QuarantineShare      float64
}

// headlineOf computes the summary of quarter q (the latest when empty).
func (s *Handler) headlineOf(ctx context.Context, rel release.Release, q string) (*headline, error) {
	if len(rel.Periods) == 0 {
		return nil, nil
	}
	h := &headline{Quarters: rel.Periods, Quarter: rel.Periods[len(rel.Periods)-1], RejectedBy: map[string]int64{}}
	if q != "" {
		h.Quarter = q
	}
	for i, p := range rel.Periods {
		if p == h.Quarter && i > 0 {
			h.PrevQuarter = rel.Periods[i-1]
		}
	}
	h.Year = h.Quarter[:4]
	series, err := s.Data.NationalSeries(ctx, rel.Number)
	if err != nil {
		return nil, err
	}
	// value is a measure's value, 0 where withheld.
	value := func(m published.Measure) int64 {
		if m == nil {
			return 0
		}
		return *m
	}
	cells := map[string]map[string]published.ProgramQuarter{}
	var trxQ int64
	for _, c := range series {
		if cells[c.Period] == nil {
			cells[c.Period] = map[string]published.ProgramQuarter{}
		}
		cells[c.Period][c.Program] = c
		if c.Period == h.Quarter {
			trxQ += value(c.Transactions)
		}
	}
	sum := func(per string, pick func(published.ProgramQuarter) published.Measure) figure {
		f := figure{Known: true}
		for _, prog := range bansos.ProgramCodes {
			c, ok := cells[per][prog]
			if !ok {
				continue
			}
			if v := pick(c); v != nil {
				f.Value += *v
			} else {
				f.Partial = true
			}
		}
		return f
	}
	nom := func(c published.ProgramQuarter) published.Measure { return c.Rupiah }
	h.Nominal = sum(h.Quarter, nom)
	if h.PrevQuarter != "" {
		prev := sum(h.PrevQuarter, nom)
		h.Nominal.Prev, h.Nominal.HasPrev, h.Nominal.Partial = prev.Value, true, h.Nominal.Partial || prev.Partial
	}
	h.NominalYear = figure{Known: true}
	for _, per := range rel.Periods {
		if strings.HasPrefix(per, h.Year) {
			f := sum(per, nom)
			h.NominalYear.Value += f.Value
			h.NominalYear.Partial = h.NominalYear.Partial || f.Partial
		}
	}
	for _, prog := range bansos.ProgramCodes {
		c, ok := cells[h.Quarter][prog]
		if !ok {
			continue
		}
		r := headlineProgram{Program: prog}
		r.Families = figure{Value: value(c.Families), Known: c.Families != nil}
		r.Rp = figure{Value: value(c.Rupiah), Known: c.Rupiah != nil}
		if pc, ok := cells[h.PrevQuarter][prog]; ok && h.PrevQuarter != "" {
			r.Families.Prev, r.Families.HasPrev = value(pc.Families), pc.Families != nil
			r.Rp.Prev, r.Rp.HasPrev = value(pc.Rupiah), pc.Rupiah != nil
		}
		// Failed transactions count the returned ones too.
		if trx := value(c.Transactions); trx > 0 && c.Failed != nil {
			r.FailedShare, r.FailedKnown = 100*float64(*c.Failed+value(c.Returned))/float64(trx), true
		} else {
			// Withheld parts make it "—"; no transactions "t.a.".
			r.FailedWithheld = c.Failed == nil || c.Transactions == nil
		}
		h.Programs = append(h.Programs, r)
	}
	// Targeting accuracy: rejections by reason, and the share of families
	// in welfare deciles 1–4 (DTSEN's target group).
	h.Rejected = figure{Known: true}
	rejections, err := s.Data.NationalRejectionTotals(ctx, rel.Number)
	if err != nil {
		return nil, err
	}
	prevPartial := false
	for _, x := range rejections {
		switch x.Period {
		case h.Quarter:
			h.Rejected.Value += x.Count
			h.RejectedBy[x.Reason] += x.Count
			h.Rejected.Partial = h.Rejected.Partial || x.Partial
		case h.PrevQuarter:
			h.Rejected.Prev += x.Count
			h.Rejected.HasPrev = true
			prevPartial = prevPartial || x.Partial
		}
	}
	// No change is shown against a partial total.
	h.Rejected.HasPrev = h.Rejected.HasPrev && !prevPartial
	if h.Decile14, h.Decile14Known, err = s.decileShare(ctx, rel.Number, h.Quarter); err != nil {
		return nil, err
	}
	if h.PrevQuarter != "" {
		if h.Decile14Prev, h.Decile14PrevKnown, err = s.decileShare(ctx, rel.Number, h.PrevQuarter); err != nil {
			return nil, err
		}
	}
	// Data quality: rows quarantined in the quarter.
	if h.Quarantined, err = s.Data.Quarantined(ctx, rel.Number, h.Quarter); err != nil {
		return nil, err
	}
	if total := trxQ + h.Rejected.Value + h.Quarantined; total > 0 {
		h.QuarantineShare = 100 * float64(h.Quarantined) / float64(total)
	}
	return h, nil
}

// decileShare is the share (%) of recipient families in welfare deciles
// 1–4 in a quarter, over all programmes at national level.
func (s *Handler) decileShare(ctx context.Context, rel int, quarter string) (float64, bool, error) {
	deciles, err := s.Data.NationalDeciles(ctx, rel, quarter)
	if err != nil {
		return 0, false, err
	}
	var low, all int64
	for _, d := range deciles {
		if d.Families == nil {
			continue
		}
		all += *d.Families
		switch d.Decile {
		case "1", "2", "3", "4":
			low += *d.Families
		}
	}
	if all == 0 {
		return 0, false, nil
	}
	return 100 * float64(low) / float64(all), true, nil
}
