package aggregator

import (
	"context"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/synth"
)

// TestIncrementalRunsMatchFromScratch delivers a generated year in three
// files — the first half, then the third quarter, then the fourth with a
// tenth of the first half's rows arriving late — to two data folders. One
// keeps each quarter's aggregates between runs; the other forgets them
// before every run, so each of its runs aggregates every quarter from its
// facts. Every release must be the same in both, cell for cell and in
// its disclosure report, and the first must have reused exactly the
// quarters each run did not touch.
func TestIncrementalRunsMatchFromScratch(t *testing.T) {
	t.Parallel()
	dir, _ := generate(t, 5000, 11)
	tmp := t.TempDir()
	half, rest := filepath.Join(tmp, "h1.csv"), filepath.Join(tmp, "rest.csv")
	q3, late := filepath.Join(tmp, "q3.csv"), filepath.Join(tmp, "q4-late.csv")
	// The quarter a period names ("2025-07", "2025-Q3"); 0 for the
	// malformed ones the generator plants, which go with the first file.
	quarter := func(p string) int {
		p = strings.ToUpper(p)
		if len(p) == 7 && p[4] == '-' && p[5] == 'Q' && p[6] >= '1' && p[6] <= '4' {
			return int(p[6] - '0')
		}
		if m, err := strconv.Atoi(strings.TrimPrefix(p, "2025-")); err == nil && len(p) == 7 && m >= 1 && m <= 12 {
			return (m-1)/3 + 1
		}
		return 0
	}
	if err := synth.SplitRecords(filepath.Join(dir, synth.DistributionFile), [2]string{half, rest}, func(i int, p string) bool {
		return quarter(p) >= 3 || (quarter(p) > 0 && i%10 == 0)
	}); err != nil {
		t.Fatal(err)
	}
	if err := synth.SplitRecords(rest, [2]string{q3, late}, func(_ int, p string) bool {
		return quarter(p) != 3
	}); err != nil {
		t.Fatal(err)
	}
	deliveries := [][]Input{
		append(generatedInputs(dir)[:4], Input{Path: half}),
		{{Path: q3}},
		{{Path: late}},
	}
	wantReused := []int{0, 2, 1} // Q3 alone leaves Q1 and Q2; Q4 and the late rows leave Q3

	inc, scratch := newTestEnv(t), newTestEnv(t)
	scratch.key = inc.key // the same pseudonyms, so the same order of families
	for i, in := range deliveries {
		r := inc.mustRun(in...)
		if _, err := scratch.priv.W.Exec(`DELETE FROM quarter_agg`); err != nil {
			t.Fatal(err)
		}
		s := scratch.mustRun(in...)
		if r.Release != i+1 || s.Release != i+1 {
			t.Fatalf("delivery %d: releases %d and %d", i+1, r.Release, s.Release)
		}
		if r.Reused != wantReused[i] || s.Reused != 0 {
			t.Errorf("delivery %d: reused %d quarters (want %d), from scratch %d (want 0)", i+1, r.Reused, wantReused[i], s.Reused)
		}
		if a, b := tableDump(t, inc.pub.R, r.Release), tableDump(t, scratch.pub.R, s.Release); a != b {
			t.Errorf("release %d: incremental and from-scratch tables differ (%d vs %d bytes of dump)", r.Release, len(a), len(b))
		}
		var da, db, ca, cb string
		q := `SELECT disclosure, counts FROM release WHERE number = ?`
		if err := inc.pub.R.QueryRow(q, r.Release).Scan(&da, &ca); err != nil {
			t.Fatal(err)
		}
		if err := scratch.pub.R.QueryRow(q, s.Release).Scan(&db, &cb); err != nil {
			t.Fatal(err)
		}
		if da != db || ca != cb {
			t.Errorf("release %d: disclosure reports differ:\n%s\n%s", r.Release, da, db)
		}
	}
}

// TestQuarterInPassesMatchesOnePass: a quarter aggregated a slice of its
// families at a time (as a national quarter is) gives the very cells of
// one pass over all its facts.
func TestQuarterInPassesMatchesOnePass(t *testing.T) {
	dir, _ := generate(t, 6000, 13)
	e := newTestEnv(t)
	e.k = 1
	e.mustRun(generatedInputs(dir)...)
	g := newGeography(region.Default())
	for q := Quarter(2025 * 4); q < 2025*4+4; q++ {
		var one, many Tables
		if _, _, err := aggregateQuarter(context.Background(), e.priv.R, newQuarterAgg(g), q, 1, t.TempDir(), nil, nil, &one); err != nil {
			t.Fatal(err)
		}
		if _, _, err := aggregateQuarter(context.Background(), e.priv.R, newQuarterAgg(g), q, 16, t.TempDir(), nil, nil, &many); err != nil {
			t.Fatal(err)
		}
		if len(one.Penyaluran) == 0 {
			t.Fatalf("%s: no cells", PeriodString(q))
		}
		if !reflect.DeepEqual(one, many) {
			t.Errorf("%s: %d cells in one pass, %d in 16 passes, or other values", PeriodString(q), len(one.Penyaluran), len(many.Penyaluran))
		}
	}
}
