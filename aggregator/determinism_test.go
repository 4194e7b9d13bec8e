package aggregator

import (
	"context"
	"io"
	"log/slog"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/portal-data-bansos/portal/internal/disclosure"
	"github.com/portal-data-bansos/portal/internal/region"
	"github.com/portal-data-bansos/portal/internal/synth"
)

// TestProtectionIgnoresFactOrder: a quarter's facts are read in the order
// of their runs' ids, and two runs started within one second sort by the
// random suffixes of their ids, so the same facts can come in another
// order, a family's rows included. Neither the witnesses made from
// records nor the release (verdicts, disclosure report, history) may
// depend on it.
func TestProtectionIgnoresFactOrder(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := synth.Generate(ctx, dir, synth.Options{Rows: 8000, Seed: 11, Provinces: []string{"32"}}); err != nil {
		t.Fatal(err)
	}
	e := newTestEnv(t)
	e.k, e.publishAfter = 10, 30
	e.now = func() time.Time { return time.Date(2025, 1, 5, 9, 0, 0, 0, time.UTC) } // nothing due: the run stores facts
	e.mustRun(generatedInputs(dir)...)

	g := newGeography(region.Default())
	const q = Quarter(2025 * 4) // 2025-Q1
	// The quarter's facts as stored, then the other way round, every
	// family's rows included.
	var facts []fact
	rows, err := e.priv.R.QueryContext(ctx, `SELECT data FROM fact_chunk WHERE quarter = ? ORDER BY run_id, seq`, int(q))
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(b); i += factSize {
			var f fact
			f.get(b[i:])
			facts = append(facts, f)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	reversed := slices.Clone(facts)
	slices.Reverse(reversed)
	multi := 0
	for i := 1; i < len(facts); i++ {
		if facts[i].Family == facts[i-1].Family && facts[i] != facts[i-1] {
			multi++
		}
	}
	if multi < 100 {
		t.Fatalf("%d families with several distinct rows: the test proves nothing", multi)
	}
	group := func(in []fact) *quarterFacts {
		t.Helper()
		qf := fileSlice(t, t.TempDir(), g, in)
		t.Cleanup(func() { qf.close() })
		return qf
	}
	tables := func() *Tables {
		t.Helper()
		tt, _, err := buildTables(ctx, e.priv.R, g, e.k, 2, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return tt
	}

	t.Run("grouped facts", func(t *testing.T) {
		a, b := group(facts), group(reversed)
		for d := range g.nDist {
			for _, p := range Programs() {
				if !reflect.DeepEqual(a.families(d, p), b.families(d, p)) || !reflect.DeepEqual(a.repeaters(d, p), b.repeaters(d, p)) {
					t.Fatalf("the families of district %d, %s depend on the order the facts were read in", d, p)
				}
			}
		}
	})

	t.Run("moves", func(t *testing.T) {
		// Moves of transactions take a family's first rows that fit (the
		// template of made-up failures, the rows moved or relabelled).
		b := newBuilder(g, e.k)
		cur := &version{t: tables()}
		b.addVersion(cur, q)
		b.requirements(cur, nil, nil)
		ma, mb := newMover(b, cur, nil, group(facts)), newMover(b, cur, nil, group(reversed))
		valid := func(disclosure.Witness) bool { return true }
		proposals, differ := 0, 0
		for ri := range b.p.Requirements {
			r := &b.p.Requirements[ri]
			if ds, meas, _, _, _, _ := decode(b.keys[r.Terms[0].Node]); ds != dsPen || meas < mS || meas > mT {
				continue
			}
			v := r.Const
			for _, tm := range r.Terms {
				v += tm.Coef * b.p.Nodes[tm.Node].Value
			}
			for _, goal := range []struct {
				up     bool
				target int64
			}{{false, 0}, {true, v + b.k}} {
				if !goal.up && v <= 0 {
					continue
				}
				wa := ma.propose(ri, goal.up, goal.target, valid)
				wb := mb.propose(ri, goal.up, goal.target, valid)
				proposals += len(wa)
				if !reflect.DeepEqual(wa, wb) {
					if differ++; differ <= 3 {
						t.Errorf("%s, goal %+v: the proposals depend on the order the facts were read in", b.describe(r.Terms[0].Node), goal)
					}
				}
			}
		}
		if differ > 3 {
			t.Errorf("... %d goals in all", differ)
		}
		if proposals < 100 {
			t.Errorf("%d proposals: the test proves nothing", proposals)
		}
	})

	t.Run("release", func(t *testing.T) {
		type outcome struct {
			rep  *DisclosureReport
			t    *Tables
			hist *History
		}
		protect := func(in []fact) outcome {
			t.Helper()
			tt := tables()
			holdOpenQuarters(tt, nil, time.Date(2025, 5, 5, 9, 0, 0, 0, time.UTC), 30) // 2025-Q1 alone is due
			load := func(lq Quarter) (*quarterFacts, error) {
				if lq != q {
					t.Fatalf("facts of %s asked for", PeriodString(lq))
				}
				return group(in), nil
			}
			rep, hist, err := Protect(ctx, tt, nil, region.Default(), e.k, load, slog.New(slog.NewTextHandler(io.Discard, nil)), 2)
			if err != nil {
				t.Fatal(err)
			}
			return outcome{rep, tt, hist}
		}
		a, b := protect(facts), protect(reversed)
		if !reflect.DeepEqual(a.rep, b.rep) {
			t.Errorf("the disclosure report depends on the order the facts were read in: %d witnesses, in the other order %d", a.rep.Witnesses, b.rep.Witnesses)
		}
		if !reflect.DeepEqual(a.t, b.t) {
			t.Error("the verdicts depend on the order the facts were read in")
		}
		if !reflect.DeepEqual(a.hist, b.hist) {
			t.Error("the history (the witnesses kept for the next release) depends on the order the facts were read in")
		}
		withheld := 0
		for _, d := range a.rep.Datasets {
			withheld += d.Withheld()
		}
		if a.rep.Witnesses < 50 || withheld == 0 {
			t.Errorf("%d witnesses, %d cells withheld: the test proves nothing", a.rep.Witnesses, withheld)
		}
	})
}
