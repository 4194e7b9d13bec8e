package aggregator

import (
	"math/rand/v2"
	"testing"
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
