package aggregator

import (
	"cmp"
	"context"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/portal-data-bansos/portal/internal/region"
)

// TestFiledFactsAgainstMemory: a quarter's facts filed by district on
// disk (spread over many parts and groups, read back through a cache too
// small to hold them) give the moves what the whole quarter in memory
// gives: for every district and programme, the same families in the same
// order (new ones first, then by pseudonym), each with all its facts in
// compareFacts order, wherever they lie, and the same repeaters.
func TestFiledFactsAgainstMemory(t *testing.T) {
	g := newGeography(region.Default())
	rng := rand.New(rand.NewPCG(3, 9))
	// Families in a few districts, some with facts in two districts (a
	// move), some new, some old with new facts.
	districts := []int{0, 1, 2, 3, 40, 41, g.nDist - 1}
	var facts []fact
	for fam := uint64(1); fam <= 3000; fam++ {
		home := districts[rng.IntN(len(districts))]
		pseudo := rng.Uint64()
		kind := rng.IntN(3) // 0 old, 1 new, 2 old with new facts
		for i := range 1 + rng.IntN(5) {
			d := home
			if rng.IntN(10) == 0 {
				d = districts[rng.IntN(len(districts))]
			}
			f := fact{Family: pseudo, District: g.distCode[d], Program: Program(1 + rng.IntN(int(numPrograms))),
				Status: Status(rng.IntN(3)), Nominal: uint32(100_000 * (1 + rng.IntN(3))), Decile: uint8(rng.IntN(11)),
				New: kind == 1 || (kind == 2 && i > 0)}
			if f.Program == PKH {
				f.Component = Component(1 + rng.IntN(3))
			}
			facts = append(facts, f)
			if rng.IntN(8) == 0 {
				facts = append(facts, f) // the same row twice: a repeater
			}
		}
	}
	rng.Shuffle(len(facts), func(i, j int) { facts[i], facts[j] = facts[j], facts[i] })

	// The model: the quarter in memory.
	sorted := slices.Clone(facts)
	slices.SortFunc(sorted, compareFacts)
	of := map[uint64][]fact{}
	for _, f := range sorted {
		of[f.Family] = append(of[f.Family], f)
	}
	type key struct {
		d int
		p Program
	}
	want, wantRep := map[key][]famRef{}, map[key][]famRef{}
	for fam, fs := range of {
		seen := map[key]bool{}
		rows := map[[3]int]int{}
		for _, f := range fs {
			k := key{g.districtOf(f.District), f.Program}
			rows[[3]int{k.d, int(k.p), int(f.Component)}]++
			if !seen[k] {
				seen[k] = true
				want[k] = append(want[k], famRef{fam, fs})
			}
		}
		for k := range seen {
			for c := range numComponents {
				if rows[[3]int{k.d, int(k.p), int(c)}] >= 2 {
					wantRep[k] = append(wantRep[k], famRef{fam, fs})
					break
				}
			}
		}
	}
	order := func(a, b famRef) int {
		if a.facts[0].New != b.facts[0].New {
			if a.facts[0].New {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.fam, b.fam)
	}
	for _, m := range []map[key][]famRef{want, wantRep} {
		for _, l := range m {
			slices.SortFunc(l, order)
		}
	}

	saved, savedHeld := recordsPerPart, districtFactsHeld
	t.Cleanup(func() { recordsPerPart, districtFactsHeld = saved, savedHeld })
	recordsPerPart, districtFactsHeld = 500, 2000 // 16 parts, many groups, about 2 districts held
	dir := t.TempDir()
	qf := fileSlice(t, dir, g, facts)
	check := func() {
		t.Helper()
		for _, d := range districts {
			for _, p := range Programs() {
				k := key{d, p}
				got := qf.families(d, p)
				if len(got) != qf.count(d, p) {
					t.Fatalf("district %d %s: %d families listed, counted %d", d, p, len(got), qf.count(d, p))
				}
				if !reflect.DeepEqual(got, want[k]) && (len(got) > 0 || len(want[k]) > 0) {
					t.Fatalf("district %d %s: families differ from the quarter in memory (%d against %d)", d, p, len(got), len(want[k]))
				}
				if rep := qf.repeaters(d, p); !reflect.DeepEqual(rep, wantRep[k]) && (len(rep) > 0 || len(wantRep[k]) > 0) {
					t.Fatalf("district %d %s: repeaters differ (%d against %d)", d, p, len(rep), len(wantRep[k]))
				}
			}
		}
	}
	check()
	reads := qf.reads
	check() // again: districts let go are read again, the same
	if qf.reads == reads || qf.held > districtFactsHeld+len(facts)/2 {
		t.Errorf("reads %d then %d, %d facts held: the cache did not let districts go", reads, qf.reads, qf.held)
	}
	if err := qf.close(); err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("%d files left behind", len(ents))
	}
}

// TestFactHoldsNoPointers: the blocks file holds facts as they lie in
// memory (factBytes), which is only sound while a fact is plain numbers.
func TestFactHoldsNoPointers(t *testing.T) {
	ty := reflect.TypeFor[fact]()
	for i := range ty.NumField() {
		switch k := ty.Field(i).Type.Kind(); k {
		case reflect.Bool, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
			reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		default:
			t.Errorf("fact.%s is a %s: factBytes would write it as it lies in memory", ty.Field(i).Name, k)
		}
	}
}

// TestFilingFailsCleanly: a run stopped while a quarter is filed (the
// portal shutting down) stops between parts, and a fact of a district the
// reference does not know stops filing with an error naming its code;
// either way no file is left.
func TestFilingFailsCleanly(t *testing.T) {
	g := newGeography(region.Default())
	for _, tc := range []struct {
		name     string
		district uint32
		cancel   bool
		want     string
	}{
		{"cancelled", g.distCode[0], true, context.Canceled.Error()},
		{"unknown district", 999999, false, "999999"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			dir := t.TempDir()
			qf, err := fileFacts(ctx, dir, g, 10, func(add func(*fact) error) error {
				for i := range 10 {
					if err := add(&fact{Family: uint64(i), District: tc.district, Program: PKH}); err != nil {
						return err
					}
				}
				if tc.cancel {
					cancel() // the facts are read; the run is stopped before they are filed
				}
				return nil
			})
			if err == nil || qf != nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one naming %q and no facts", err, tc.want)
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 0 {
				t.Errorf("%d files left behind", len(ents))
			}
		})
	}
}

// fileSlice files facts in dir, as loadQuarterFacts files a quarter's.
func fileSlice(t *testing.T, dir string, g *geography, facts []fact) *quarterFacts {
	t.Helper()
	qf, err := fileFacts(context.Background(), dir, g, int64(len(facts)), func(add func(*fact) error) error {
		for i := range facts {
			if err := add(&facts[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return qf
}

// The scans of a whole region that relabelling makes (eachFamily) meet
// each family once, in the order of a scan over the quarter in memory
// with a set of the families seen, and stop when told; through a
// district cache far smaller than the region.
func TestEachFamilyAgainstSeenSet(t *testing.T) {
	g := newGeography(region.Default())
	rng := rand.New(rand.NewPCG(5, 7))
	// The districts of the first province, and one elsewhere.
	var districts []int
	for d := 0; d < g.nDist && len(districts) < 12; d++ {
		if g.up(d, Provinsi) == g.up(0, Provinsi) {
			districts = append(districts, d)
		}
	}
	districts = append(districts, g.nDist-1)
	var facts []fact
	for range 2500 {
		pseudo := rng.Uint64()
		home := districts[rng.IntN(len(districts))]
		for range 1 + rng.IntN(4) {
			d := home
			if rng.IntN(4) == 0 {
				d = districts[rng.IntN(len(districts))] // facts in two districts
			}
			f := fact{Family: pseudo, District: g.distCode[d], Program: Program(1 + rng.IntN(int(numPrograms))),
				Status: Salur, Nominal: 100_000, New: rng.IntN(2) == 0}
			facts = append(facts, f)
		}
	}
	saved, savedHeld := recordsPerPart, districtFactsHeld
	t.Cleanup(func() { recordsPerPart, districtFactsHeld = saved, savedHeld })
	recordsPerPart, districtFactsHeld = 700, 800 // about one district held
	mem := fileSlice(t, t.TempDir(), g, facts)   // read whole: the model
	districtFactsHeld = 1 << 30
	for d := range g.nDist {
		for _, p := range Programs() {
			mem.families(d, p)
		}
	}
	districtFactsHeld = 800
	qf := fileSlice(t, t.TempDir(), g, facts)
	t.Cleanup(func() { mem.close(); qf.close() })
	m := newMover(newBuilder(g, 10), nil, nil, qf)
	model := newMover(newBuilder(g, 10), nil, nil, mem)

	for _, tc := range []struct {
		geo   Geo
		progs []Program
	}{
		{Kabupaten, Programs()}, {Provinsi, Programs()}, {Provinsi, []Program{PKH}},
		{Provinsi, []Program{BLT, Sembako}}, {Nasional, Programs()},
	} {
		r := g.up(districts[0], tc.geo)
		var want []uint64
		seen := map[uint64]bool{}
		for _, d := range model.districts(tc.geo, r) {
			for _, p := range tc.progs {
				for _, ref := range mem.families(d, p) {
					if !seen[ref.fam] {
						seen[ref.fam] = true
						want = append(want, ref.fam)
					}
				}
			}
		}
		var got []uint64
		m.eachFamily(tc.geo, r, tc.progs, func(ref famRef) bool {
			got = append(got, ref.fam)
			return true
		})
		if len(want) < 100 || !slices.Equal(got, want) {
			t.Fatalf("%s %v: %d families met, the model %d (or differently ordered)", tc.geo, tc.progs, len(got), len(want))
		}
		got = got[:0]
		m.eachFamily(tc.geo, r, tc.progs, func(ref famRef) bool {
			got = append(got, ref.fam)
			return len(got) < 37
		})
		if !slices.Equal(got, want[:37]) {
			t.Fatalf("%s %v: stopped after %d families, want the first 37", tc.geo, tc.progs, len(got))
		}
	}
	if qf.held > 800+len(facts)/len(districts)*3 {
		t.Errorf("%d facts held: the scans kept more than the cache", qf.held)
	}
}
