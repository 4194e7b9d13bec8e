package aggregator

import (
	"math/rand/v2"
	"testing"

	"github.com/portal-data-bansos/portal/internal/region"
)

func randomEntry(r *rand.Rand) [16]byte {
	var e [16]byte
	for i := range e {
		e[i] = byte(r.Uint32())
	}
	return e
}

func TestEntryTableAgainstMap(t *testing.T) {
	for _, keyLen := range []int{12, 16} {
		r := rand.New(rand.NewPCG(1, uint64(keyLen)))
		tab := newEntryTable(keyLen, 0)
		ref := map[[16]byte][16]byte{}
		key := func(e [16]byte) [16]byte {
			var k [16]byte
			copy(k[:keyLen], e[:keyLen])
			return k
		}
		var live [][16]byte
		for step := 0; step < 200000; step++ {
			switch op := r.IntN(10); {
			case op < 6 || len(live) == 0:
				e := randomEntry(r)
				if keyLen == 16 && len(live) > 0 && r.IntN(4) == 0 {
					// Same first 12 bytes, different tail: distinct keys.
					copy(e[:12], live[r.IntN(len(live))][:12])
				}
				tab.put(e, uint8(1+r.IntN(3)))
				ref[key(e)] = e
				live = append(live, e)
			case op < 8:
				e := live[r.IntN(len(live))]
				tab.remove(&e)
				delete(ref, key(e))
			default:
				e := live[r.IntN(len(live))]
				got, ok := tab.get(&e)
				want, wok := ref[key(e)]
				if ok != wok || (ok && *got != want) {
					t.Fatalf("keyLen %d step %d: get mismatch", keyLen, step)
				}
			}
		}
		if tab.Len() != len(ref) {
			t.Fatalf("keyLen %d: len %d, map %d", keyLen, tab.Len(), len(ref))
		}
		for k, v := range ref {
			e := v
			got, ok := tab.get(&e)
			if !ok || *got != v {
				t.Fatalf("keyLen %d: lost entry %x", keyLen, k)
			}
		}
		before := tab.Len()
		n2 := 0
		for i := range tab.slots {
			if tab.gen[i] == 2 && !isEmpty(&tab.slots[i]) {
				n2++
			}
		}
		tab.dropGeneration(2)
		if tab.Len() != before-n2 {
			t.Errorf("dropGeneration: %d left, want %d", tab.Len(), before-n2)
		}
		for i := range tab.slots {
			if !isEmpty(&tab.slots[i]) {
				if _, ok := tab.get(&tab.slots[i]); !ok {
					t.Fatal("entry unreachable after deletions")
				}
			}
		}
	}
}

func BenchmarkEntryTablePutGet(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	es := make([][16]byte, 1<<20)
	for i := range es {
		es[i] = randomEntry(r)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tab := newEntryTable(12, len(es))
		for j := range es {
			tab.put(es[j], 1)
		}
		for j := range es {
			tab.get(&es[j])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(es)*2), "ns/op-each")
}

// TestEntryTableLoadsAnotherTablesOrder: entries stored from one table
// (in its slot order) and loaded into another, as receipts are between
// runs, must not pile up in long probe runs. With one hash for every
// table they did: a run stalled for minutes loading 9M receipts.
func TestEntryTableLoadsAnotherTablesOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	// The table the entries were stored from had room for more than it
	// got; the one they are loaded into made room for its own run's rows
	// first, and grows half way through the load.
	a := newEntryTable(16, 700000)
	for range 530000 {
		a.put(randomEntry(r), 1)
	}
	b := newEntryTable(16, 300000)
	var probes, worst uint64
	err := a.eachNewChunk(1<<16, func(c []byte) error {
		b.reserve(len(c) / 16)
		for i := 0; i < len(c); i += 16 {
			e := [16]byte(c[i : i+16])
			b.put(e, genStored)
			j, _ := b.find(&e)
			d := (j - b.hash(&e)) & b.mask
			probes += d
			worst = max(worst, d)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != a.Len() {
		t.Fatalf("%d entries loaded of %d", b.Len(), a.Len())
	}
	// Linear probing at most 3/4 full displaces an entry by a few slots
	// on average when it goes in.
	if mean := float64(probes) / float64(b.Len()); mean > 4 || worst > 1000 {
		t.Errorf("mean displacement on insertion %.1f slots, worst %d", mean, worst)
	}
}

// TestKeyFilter: the filter of a generation's keys has every one of them,
// and lets few others through.
func TestKeyFilter(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	tab := newEntryTable(12, 0)
	var mine [][16]byte
	for i := range 200000 {
		e := randomEntry(r)
		g := uint8(genRun)
		if i%2 == 0 {
			g = genCurrent
			mine = append(mine, e)
		}
		tab.put(e, g)
	}
	f := tab.filter(genCurrent)
	for i := range mine {
		if !f.mayHave(&mine[i]) {
			t.Fatalf("the filter lacks key %d of its generation", i)
		}
	}
	passed := 0
	for range 100000 {
		e := randomEntry(r)
		if f.mayHave(&e) {
			passed++
		}
	}
	if rate := float64(passed) / 100000; rate > 0.15 {
		t.Errorf("%.1f%% of other keys pass, want about 12%%", 100*rate)
	}
}

// A published level converts to a region level by value (tables.go).
func TestGeoIsRegionLevel(t *testing.T) {
	for g, l := range map[Geo]region.Level{Provinsi: region.Province, Kabupaten: region.Regency, Kecamatan: region.District} {
		if uint8(g) != uint8(l) || g.String() != l.String() {
			t.Errorf("level %v = %d, region level %v = %d", g, g, l, l)
		}
	}
}
