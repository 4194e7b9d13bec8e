package aggregator

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"

	"github.com/portal-data-bansos/portal/internal/region"
)

// buildTables computes the complete statistics of a release from every
// stored fact and tally (committed runs plus the run being published) and
// the target and DTSEN lists in force: releases are cumulative. It also
// returns those lists, which the release records. A quarter aggregated
// in several passes spills its facts in dir (spill.go).
func buildTables(ctx context.Context, priv *sql.DB, g *geography, k, workers int, dir string) (*Tables, references, error) {
	t := &Tables{}
	refs, err := loadReferences(ctx, priv)
	if err != nil {
		return nil, refs, err
	}
	// A quarter whose facts did not change keeps its stored aggregates
	// (quartercache.go); the others are aggregated anew.
	quarters, fps, sizes, err := quarterFingerprints(ctx, priv, regionsFingerprint(g.regions))
	if err != nil {
		return nil, refs, err
	}
	parts := make([]Tables, len(quarters))
	var todo []int
	for i, q := range quarters {
		part, ok, err := loadQuarterPart(ctx, priv, q, fps[i])
		if err != nil {
			return nil, refs, err
		}
		if ok {
			part.into(&parts[i], q)
		} else {
			todo = append(todo, i)
		}
	}
	// Quarters are independent (every relation and every distinct count
	// stays inside one quarter), so two are aggregated at a time, each by
	// its own worker with its own buffers; results are joined in order.
	workers = atOnce(workers, len(todo))
	errs := make([]error, len(quarters))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			yieldThread(ctx)
			agg := newQuarterAgg(g)
			var facts, sorted []fact
			for i := range next {
				n := sizes[i] / factSize
				passes := int((n + factsPerPass - 1) / factsPerPass)
				// Room for a pass's share and then some, made once: growing
				// by doubling would hold a third more at its peak.
				if per := int(n/int64(max(passes, 1)))*9/8 + 1024; cap(facts) < per {
					facts = make([]fact, 0, per)
				}
				facts, sorted, errs[i] = aggregateQuarter(ctx, priv, agg, quarters[i], passes, dir, facts[:0], sorted, &parts[i])
			}
		}()
	}
	for _, i := range todo {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, i := range todo {
		if errs[i] != nil {
			return nil, refs, errs[i]
		}
		part := partOf(&parts[i], quarters[i])
		if err := storeQuarterPart(ctx, priv, quarters[i], fps[i], &part); err != nil {
			return nil, refs, err
		}
	}
	t.aggregated, t.reused = len(todo), len(quarters)-len(todo)
	for i := range quarters {
		t.Penyaluran = append(t.Penyaluran, parts[i].Penyaluran...)
		t.Demografi = append(t.Demografi, parts[i].Demografi...)
		t.salur = append(t.salur, parts[i].salur...)
		t.decile = append(t.decile, parts[i].decile...)
		if t.Amounts == nil {
			t.Amounts = map[Quarter]*[numPC]amountStat{}
		}
		for q, a := range parts[i].Amounts {
			t.Amounts[q] = a
		}
		parts[i] = Tables{}
	}
	if err := buildTallies(ctx, priv, g.regions, t); err != nil {
		return nil, refs, err
	}
	if refs.kuota != nil {
		buildRealisation(t, refs.kuota.targets)
	}
	if refs.dtsen != nil {
		buildCoverage(t, refs.dtsen.dtsen, g)
	}
	t.salur, t.decile = nil, nil
	t.Omitted = omitSparse(t, int64(k))
	return t, refs, nil
}

// factsPerPass bounds the facts aggregateQuarter holds at once (24 bytes
// each, twice over while they are grouped, in each of the two quarters
// aggregated at a time: about 200 MiB): a national quarter of tens of
// millions of rows is aggregated in several passes over its stored facts.
const factsPerPass = 2 << 20

// aggregateQuarter loads one quarter's facts, groups them by family and
// aggregates them into out, in the given number of passes (at least one).
// It returns its buffers for reuse.
//
// A large quarter is read in passes, each taking the families whose
// pseudonym falls in one range of the top 16 bits. A family's facts are
// all in one pass, and the passes go through the ranges in order, so the
// families reach the aggregation in the same order as in one pass: the
// same cells, in memory that does not grow with the quarter. The quarter
// is read from private.db once: each fact goes to its pass's spill file
// in dir, which the pass then reads (a national quarter would otherwise
// be read some 38 times).
func aggregateQuarter(ctx context.Context, priv *sql.DB, agg *quarterAgg, q Quarter, passes int, dir string, facts, sorted []fact, out *Tables) ([]fact, []fact, error) {
	passes = min(1<<16, max(1, passes))
	agg.reset(q)
	var files []*spillFile
	if passes > 1 {
		work, err := os.MkdirTemp(dir, "aggregate-")
		if err != nil {
			return facts, sorted, fmt.Errorf("aggregate %s: %w", PeriodString(q), err)
		}
		defer os.RemoveAll(work)
		if files, err = splitByPass(ctx, priv, q, passes, work); err != nil {
			return facts, sorted, err
		}
		defer func() {
			for _, f := range files {
				f.close()
			}
		}()
	}
	for pass := range passes {
		facts = facts[:0]
		add := func(b []byte) error {
			for i := 0; i < len(b); i += factSize {
				var f fact
				f.get(b[i:])
				facts = append(facts, f)
			}
			return nil
		}
		var err error
		if passes == 1 {
			err = eachFactChunk(ctx, priv, q, func(_ string, b []byte) error { return add(b) })
		} else {
			f := files[pass]
			err = f.eachRecord(0, f.off, factSize, add)
			f.truncate() // read once
		}
		if err != nil {
			return facts, sorted, fmt.Errorf("load facts: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return facts, sorted, err
		}
		sorted = groupByFamily(facts, sorted)
		facts, sorted = sorted, facts
		for i := 0; i < len(facts); {
			j := i + 1
			for j < len(facts) && facts[j].Family == facts[i].Family {
				j++
			}
			if err := agg.family(facts[i:j]); err != nil {
				return facts, sorted, err
			}
			i = j
		}
	}
	agg.rollUp()
	agg.emit(out)
	return facts, sorted, nil
}

// splitByPass reads quarter q's facts once, in their stored order, into
// one spill file per pass in dir: pass i takes the families whose
// pseudonym's top 16 bits are in [i·2¹⁶/passes, (i+1)·2¹⁶/passes).
func splitByPass(ctx context.Context, priv *sql.DB, q Quarter, passes int, dir string) ([]*spillFile, error) {
	var passOf [1 << 16]uint32
	for pass := range passes {
		for top := pass << 16 / passes; top < (pass+1)<<16/passes; top++ {
			passOf[top] = uint32(pass)
		}
	}
	files := make([]*spillFile, 0, passes)
	fail := func(err error) ([]*spillFile, error) {
		for _, f := range files {
			f.close()
		}
		return nil, fmt.Errorf("aggregate %s: %w", PeriodString(q), err)
	}
	for pass := range passes {
		f, err := createSpill(dir, fmt.Sprintf("pass-%05d", pass), 64<<10)
		if err != nil {
			return fail(err)
		}
		files = append(files, f)
	}
	err := eachFactChunk(ctx, priv, q, func(_ string, b []byte) error {
		for i := 0; i < len(b); i += factSize {
			top := binary.LittleEndian.Uint16(b[i+6:]) // of the family pseudonym, bytes 0–7
			if _, err := files[passOf[top]].Write(b[i : i+factSize]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fail(err)
	}
	return files, nil
}

// eachFactChunk calls fn with each stored chunk of quarter q's facts (a
// whole number of records) and the run that stored it, in stored order.
func eachFactChunk(ctx context.Context, priv *sql.DB, q Quarter, fn func(run string, chunk []byte) error) error {
	rows, err := priv.QueryContext(ctx, `SELECT run_id, data FROM fact_chunk WHERE quarter = ? ORDER BY run_id, seq`, int(q))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var run string
		var b sql.RawBytes
		if err := rows.Scan(&run, &b); err != nil {
			return err
		}
		if len(b)%factSize != 0 {
			return fmt.Errorf("corrupt fact chunk of quarter %d", q)
		}
		if err := fn(run, b); err != nil {
			return err
		}
	}
	return rows.Err()
}

// buildTallies sums the rejection and quality counts of every run.
func buildTallies(ctx context.Context, priv *sql.DB, regions *region.Table, t *Tables) error {
	rows, err := priv.QueryContext(ctx, `SELECT kind, quarter, program, regency, reason, sum(n)
		FROM tally GROUP BY kind, quarter, program, regency, reason ORDER BY kind, quarter, program, regency, reason`)
	if err != nil {
		return fmt.Errorf("sum tallies: %w", err)
	}
	defer rows.Close()
	type rk struct {
		CellKey
		Reason Reason
	}
	rejected := map[rk]int64{}
	for rows.Next() {
		var (
			kind, program, regency, reason string
			quarter                        int32
			n                              int64
		)
		if err := rows.Scan(&kind, &quarter, &program, &regency, &reason, &n); err != nil {
			return err
		}
		if kind == "quality" {
			t.Kualitas = append(t.Kualitas, QualityCell{Quarter: Quarter(max(quarter, 0)), Known: quarter >= 0, Reason: reason, Jumlah: n})
			continue
		}
		p, ok := programByName(program)
		r, rok := reasonByName(reason)
		lvl, id, idok := regions.IDOf(regency)
		if !ok || !rok || !idok || lvl != region.Regency {
			return fmt.Errorf("stored rejection tally is corrupt (%s, %s, %s)", program, regency, reason)
		}
		prov := regions.ParentID(region.Regency, id)
		base := CellKey{Quarter: Quarter(quarter), Program: p}
		for _, k := range []CellKey{
			{Geo: Nasional, Region: region.None},
			{Geo: Provinsi, Region: prov},
			{Geo: Kabupaten, Region: id},
		} {
			k.Quarter, k.Program = base.Quarter, base.Program
			rejected[rk{k, r}] += n
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	// Rejections across programmes (program SEMUA): the grain at which
	// the story of a province or regency can be told when each
	// programme's count is small.
	semua := map[rk]int64{}
	for k, n := range rejected {
		k.Program = ProgramNone
		semua[k] += n
	}
	for k, n := range semua {
		rejected[k] = n
	}
	for k, n := range rejected {
		t.Ketepatan = append(t.Ketepatan, RejectCell{CellKey: k.CellKey, Reason: k.Reason, Jumlah: n})
	}
	slices.SortFunc(t.Ketepatan, compareRejects)
	return nil
}

func compareRejects(a, b RejectCell) int {
	if c := compareKeys(a.CellKey, b.CellKey); c != 0 {
		return c
	}
	return int(a.Reason) - int(b.Reason)
}

func compareKeys(a, b CellKey) int {
	switch {
	case a.Quarter != b.Quarter:
		return int(a.Quarter) - int(b.Quarter)
	case a.Program != b.Program:
		return int(a.Program) - int(b.Program)
	case a.Component != b.Component:
		return int(a.Component) - int(b.Component)
	case a.Geo != b.Geo:
		return int(a.Geo) - int(b.Geo)
	}
	return int(a.Region) - int(b.Region)
}

func programByName(s string) (Program, bool) {
	for _, p := range Programs() {
		if p.String() == s {
			return p, true
		}
	}
	return ProgramNone, false
}

func reasonByName(s string) (Reason, bool) {
	for r := Reason(1); r < numReasons; r++ {
		if r.String() == s {
			return r, true
		}
	}
	return ReasonNone, false
}

// PeriodString formats a quarter as published: "2025-Q3".
func PeriodString(q Quarter) string { return fmt.Sprintf("%04d-Q%d", q.Year(), q.Q()) }

// groupByFamily returns facts ordered by family pseudonym, using out as
// scratch. Pseudonyms are uniformly random, so one counting pass on their
// top 16 bits leaves buckets of a few dozen facts, each sorted in cache:
// much faster than a comparison sort of the whole quarter.
func groupByFamily(facts, out []fact) []fact {
	const bits = 16
	var count [1<<bits + 1]int
	for i := range facts {
		count[facts[i].Family>>(64-bits)+1]++
	}
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	if cap(out) < len(facts) {
		out = make([]fact, len(facts))
	}
	out = out[:len(facts)]
	pos := count
	for i := range facts {
		b := facts[i].Family >> (64 - bits)
		out[pos[b]] = facts[i]
		pos[b]++
	}
	for b := 0; b < 1<<bits; b++ {
		bucket := out[count[b]:count[b+1]]
		if len(bucket) > 1 {
			slices.SortFunc(bucket, func(x, y fact) int {
				switch {
				case x.Family < y.Family:
					return -1
				case x.Family > y.Family:
					return 1
				}
				return 0
			})
		}
	}
	return out
}

// atOnce is how many of n quarters a run works on at the same time: two at
// most (each is memory-hungry), no more than its workers (0: GOMAXPROCS).
func atOnce(workers, n int) int {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	return min(2, workers, max(n, 1))
}
