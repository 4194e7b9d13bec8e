package aggregator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/portal-data-bansos/portal/internal/csvread"
	"github.com/portal-data-bansos/portal/internal/region"
)

// The reference inputs of docs/input.md §4: targets (kuota.csv) and the
// families of the single socio-economic data by regency and decile
// (dtsen.csv). Unlike the exclusion lists they hold no personal data, and
// they are strict: one malformed row refuses the whole list, naming its
// line and field, and the list in force stays.

// TargetKey locates a target: programme, quarter and region (the nation,
// a province or a regency).
type TargetKey struct {
	Quarter Quarter
	Program Program
	Geo     Geo       // Nasional, Provinsi or Kabupaten
	Region  region.ID // region.None for the nation
}

// Target is one row of kuota.csv.
type Target struct {
	KPM     int64 // target in families (KPM)
	Pagu    int64 // budget ceiling in rupiah
	HasPagu bool
}

// Targets is a loaded kuota.csv.
type Targets map[TargetKey]Target

// DTSEN is a loaded dtsen.csv: families by regency and decile (1–10).
type DTSEN map[region.ID]*[11]int64

// Upper bounds of the counts: more families than Indonesia has, or more
// rupiah than the state budget, is a typo.
const (
	maxTargetKPM  = 1_000_000_000
	maxTargetPagu = 10_000_000_000_000_000 // Rp10 quadrillion
)

// listError names the file, line and field of a malformed list row.
func listError(file string, line int64, field, format string, a ...any) error {
	if field == "" {
		return fmt.Errorf("%s line %d: %s", file, line, fmt.Sprintf(format, a...))
	}
	return fmt.Errorf("%s line %d, field %s: %s", file, line, field, fmt.Sprintf(format, a...))
}

// strictList reads a strict list: the header must name every required
// column (optional ones may be absent); each row is handed to row with its
// fields by column name. An empty list (no data rows) is refused: it would
// silently wipe the targets in force.
func strictList(ctx context.Context, file string, r io.Reader, required, optional []string, row func(line int64, get func(string) []byte) error) (rows int, err error) {
	cr := csvread.New(r, csvread.Options{})
	h, err := readListHeader(cr, file, required, optional)
	if err != nil {
		return 0, err
	}
	for n := 0; ; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return 0, ctx.Err()
		}
		rec, err := cr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, fmt.Errorf("%s: %w", file, err)
		}
		if rec.Malformed || len(rec.Fields) != h.ncols {
			return 0, listError(file, rec.Line, "", "%d fields, the header has %d", len(rec.Fields), h.ncols)
		}
		get := func(name string) []byte {
			if i, ok := h.col[name]; ok {
				return trimField(rec.Fields[i])
			}
			return nil
		}
		if err := row(rec.Line, get); err != nil {
			return 0, err
		}
		rows++
	}
	if rows == 0 {
		return 0, fmt.Errorf("%s: no data rows; a list replaces the one in force, so an empty one is refused", file)
	}
	return rows, nil
}

// parseCount reads a non-negative integer of at most max: ASCII digits
// only, no sign, separator or decimal.
func parseCount(b []byte, max int64) (int64, bool) {
	if len(b) == 0 || len(b) > 19 || !digitsOnly(b) {
		return 0, false
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	return n, err == nil && n <= max
}

// parseQuarter reads YYYY-Qn (tahap), the Q in either case.
func parseQuarter(b []byte) (Quarter, bool) {
	var row Row
	if len(b) != 7 || (b[5] != 'Q' && b[5] != 'q') || !parsePeriod(b, &row) {
		return 0, false
	}
	return row.Period, true
}

// readTargets reads kuota.csv: program, periode, kode_wilayah (empty for
// the nation, else a province or regency), kuota_kpm and pagu (may be
// empty, or its column absent).
func readTargets(ctx context.Context, file string, r io.Reader, regions *region.Table) (Targets, int, error) {
	t := Targets{}
	rows, err := strictList(ctx, file, r, []string{"program", "periode", "kode_wilayah", "kuota_kpm"}, []string{"pagu"},
		func(line int64, get func(string) []byte) error {
			var k TargetKey
			p, ok := programByName(string(bytes.ToUpper(get("program"))))
			if !ok {
				return listError(file, line, "program", "unknown programme %q", get("program"))
			}
			k.Program = p
			if k.Quarter, ok = parseQuarter(get("periode")); !ok {
				return listError(file, line, "periode", "%q is not a quarter YYYY-Qn", get("periode"))
			}
			code := get("kode_wilayah")
			k.Geo, k.Region = Nasional, region.None
			if len(code) > 0 {
				lvl, id, ok := regions.IDOf(string(code))
				if !ok {
					return listError(file, line, "kode_wilayah", "unknown region %q", code)
				}
				if lvl != region.Province && lvl != region.Regency {
					return listError(file, line, "kode_wilayah", "%q is a %s; targets are national (empty), per province or per regency", code, lvl)
				}
				k.Geo, k.Region = Geo(lvl), id
			}
			var v Target
			if v.KPM, ok = parseCount(get("kuota_kpm"), maxTargetKPM); !ok {
				return listError(file, line, "kuota_kpm", "%q is not a whole number of families", get("kuota_kpm"))
			}
			if pg := get("pagu"); len(pg) > 0 {
				if v.Pagu, ok = parseCount(pg, maxTargetPagu); !ok {
					return listError(file, line, "pagu", "%q is not a whole number of rupiah", pg)
				}
				v.HasPagu = true
			}
			if _, dup := t[k]; dup {
				return listError(file, line, "", "a second target for %s %s %s", p, PeriodString(k.Quarter), code)
			}
			t[k] = v
			return nil
		})
	return t, rows, err
}

// readDTSEN reads dtsen.csv: kode_wilayah (a regency), desil (1–10) and
// keluarga.
func readDTSEN(ctx context.Context, file string, r io.Reader, regions *region.Table) (DTSEN, int, error) {
	d := DTSEN{}
	type key struct {
		reg region.ID
		dec int64
	}
	seen := map[key]bool{}
	rows, err := strictList(ctx, file, r, []string{"kode_wilayah", "desil", "keluarga"}, nil,
		func(line int64, get func(string) []byte) error {
			code := get("kode_wilayah")
			lvl, id, ok := regions.IDOf(string(code))
			if !ok || len(code) == 0 {
				return listError(file, line, "kode_wilayah", "unknown region %q", code)
			}
			if lvl != region.Regency {
				return listError(file, line, "kode_wilayah", "%q is a %s; DTSEN families are given per regency", code, lvl)
			}
			dec, ok := parseCount(get("desil"), 10)
			if !ok || dec < 1 || (len(get("desil")) > 1 && get("desil")[0] == '0') {
				return listError(file, line, "desil", "%q is not a decile 1–10", get("desil"))
			}
			n, ok := parseCount(get("keluarga"), maxTargetKPM)
			if !ok {
				return listError(file, line, "keluarga", "%q is not a whole number of families", get("keluarga"))
			}
			if seen[key{id, dec}] {
				return listError(file, line, "", "a second count for regency %s decile %d", code, dec)
			}
			seen[key{id, dec}] = true
			row := d[id]
			if row == nil {
				row = new([11]int64)
				d[id] = row
			}
			row[dec] = n
			return nil
		})
	return d, rows, err
}

// Families returns the DTSEN families of a regency and decile.
func (d DTSEN) Families(reg region.ID, decile int) int64 {
	if row := d[reg]; row != nil {
		return row[decile]
	}
	return 0
}

// targetRecord and dtsenRecord are the stored forms of the lists.
type targetRecord struct {
	Q    Quarter   `json:"q"`
	P    Program   `json:"p"`
	Geo  Geo       `json:"g"`
	R    region.ID `json:"r"`
	KPM  int64     `json:"k"`
	Pagu *int64    `json:"pagu,omitempty"`
}

type dtsenRecord struct {
	R region.ID `json:"r"`
	N [11]int64 `json:"n"`
}

func (t Targets) encode() []byte {
	recs := make([]targetRecord, 0, len(t))
	for k, v := range t {
		rec := targetRecord{Q: k.Quarter, P: k.Program, Geo: k.Geo, R: k.Region, KPM: v.KPM}
		if v.HasPagu {
			rec.Pagu = &v.Pagu
		}
		recs = append(recs, rec)
	}
	slices.SortFunc(recs, func(a, b targetRecord) int {
		return compareKeys(CellKey{Quarter: a.Q, Program: a.P, Geo: a.Geo, Region: a.R}, CellKey{Quarter: b.Q, Program: b.P, Geo: b.Geo, Region: b.R})
	})
	out, _ := json.Marshal(recs)
	return out
}

func decodeTargets(data []byte) (Targets, error) {
	var recs []targetRecord
	if err := json.Unmarshal(data, &recs); err != nil {
		return nil, fmt.Errorf("stored kuota list is corrupt: %w", err)
	}
	t := make(Targets, len(recs))
	for _, r := range recs {
		v := Target{KPM: r.KPM}
		if r.Pagu != nil {
			v.Pagu, v.HasPagu = *r.Pagu, true
		}
		t[TargetKey{Quarter: r.Q, Program: r.P, Geo: r.Geo, Region: r.R}] = v
	}
	return t, nil
}

func (d DTSEN) encode() []byte {
	recs := make([]dtsenRecord, 0, len(d))
	for r, n := range d {
		recs = append(recs, dtsenRecord{R: r, N: *n})
	}
	slices.SortFunc(recs, func(a, b dtsenRecord) int { return int(a.R) - int(b.R) })
	out, _ := json.Marshal(recs)
	return out
}

func decodeDTSEN(data []byte) (DTSEN, error) {
	var recs []dtsenRecord
	if err := json.Unmarshal(data, &recs); err != nil {
		return nil, fmt.Errorf("stored dtsen list is corrupt: %w", err)
	}
	d := make(DTSEN, len(recs))
	for _, r := range recs {
		n := r.N
		d[r.R] = &n
	}
	return d, nil
}
