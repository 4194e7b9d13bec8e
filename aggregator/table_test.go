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
			case op < 7 || len(live) == 0:
				e := randomEntry(r)
				if keyLen == 16 && len(live) > 0 && r.IntN(4) == 0 {
					// Same first 12 bytes, different tail: distinct keys.
					copy(e[:12], live[r.IntN(len(live))][:12])
				}
				tab.put(e, uint8(1+r.IntN(3)))
				ref[key(e)] = e
				live = append(live, e)
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
	for i := range a.slots {
		e := a.slots[i]
		if isEmpty(&e) {
			continue
		}
		b.put(e, genStored)
		j, _ := b.find(&e)
		d := (j - b.hash(&e)) & b.mask
		probes += d
		worst = max(worst, d)
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

// TestBloom: the filter has every key put in it, and lets few others
// through, keys sharing their first 12 bytes with one of its own (a
// receipt of the same NIK in another quarter) included.
func TestBloom(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	f := newBloom(100000)
	var mine [][16]byte
	for range 100000 {
		e := randomEntry(r)
		f.add(&e)
		mine = append(mine, e)
	}
	for i := range mine {
		if !f.mayHave(&mine[i]) {
			t.Fatalf("the filter lacks key %d", i)
		}
	}
	passed := 0
	for range 100000 {
		e := randomEntry(r)
		if f.mayHave(&e) {
			passed++
		}
	}
	if rate := float64(passed) / 100000; rate > 0.06 {
		t.Errorf("%.1f%% of other keys pass, want under 6%%", 100*rate)
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
