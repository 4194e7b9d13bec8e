package aggregator

import (
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
)

// entryTable is a compact open-addressing hash set of 16-byte entries: a
// part of a file's keys being counted, and the keys a file repeats with
// the entries they repeat (watch.go). Compared with a Go map it takes half
// the memory (17 bytes a slot at most 3/4 full).
//
// An entry's first keyLen bytes are its key; the rest is its value. Keys
// are keyed pseudonyms (HMAC output), so they are uniformly random; the
// all-zero entry marks an empty slot (a zero pseudonym has probability
// 2^-96).
type entryTable struct {
	slots  [][16]byte
	gen    []uint8 // a tag per entry: genStored, genCurrent, or a count (watch.go)
	mask   uint64
	n      int
	keyLen int
	// seed makes each table's slot order its own: entries copied from
	// one table in slot order into another hashing the same way would
	// arrive sorted by home slot and pile up in ever longer probe runs (a
	// run once stalled for minutes loading 9M receipts so).
	seed uint64
}

// Entry tags: an entry an earlier file or run stored, or one the file
// being applied added.
const (
	genStored  = 0
	genCurrent = 1
)

func newEntryTable(keyLen, capacity int) *entryTable {
	t := &entryTable{keyLen: keyLen, seed: rand.Uint64()}
	t.alloc(capacity)
	return t
}

func (t *entryTable) alloc(capacity int) {
	size := uint64(1024)
	for size*3/4 < uint64(capacity) {
		size <<= 1
	}
	t.slots = make([][16]byte, size)
	t.gen = make([]uint8, size)
	t.mask = size - 1
	t.n = 0
}

// Len is the number of entries.
func (t *entryTable) Len() int { return t.n }

func (t *entryTable) hash(e *[16]byte) uint64 {
	lo := binary.LittleEndian.Uint64(e[0:8])
	hi := uint64(binary.LittleEndian.Uint32(e[8:12]))
	if t.keyLen == 16 {
		hi = binary.LittleEndian.Uint64(e[8:16])
	}
	h, l := bits.Mul64(lo^0x9E3779B97F4A7C15^t.seed, hi^0xC2B2AE3D27D4EB4F)
	return h ^ l
}

func (t *entryTable) sameKey(a, b *[16]byte) bool {
	if binary.LittleEndian.Uint64(a[0:8]) != binary.LittleEndian.Uint64(b[0:8]) {
		return false
	}
	if t.keyLen == 16 {
		return binary.LittleEndian.Uint64(a[8:16]) == binary.LittleEndian.Uint64(b[8:16])
	}
	return binary.LittleEndian.Uint32(a[8:12]) == binary.LittleEndian.Uint32(b[8:12])
}

func isEmpty(e *[16]byte) bool {
	return binary.LittleEndian.Uint64(e[0:8]) == 0 && binary.LittleEndian.Uint64(e[8:16]) == 0
}

// find returns the slot holding key's entry, or the empty slot where it
// would go, and whether it was found.
func (t *entryTable) find(key *[16]byte) (uint64, bool) {
	i := t.hash(key) & t.mask
	for {
		s := &t.slots[i]
		if isEmpty(s) {
			return i, false
		}
		if t.sameKey(s, key) {
			return i, true
		}
		i = (i + 1) & t.mask
	}
}

// get returns the entry with e's key.
func (t *entryTable) get(key *[16]byte) (*[16]byte, bool) {
	i, ok := t.find(key)
	if !ok {
		return nil, false
	}
	return &t.slots[i], true
}

// reserve makes room for n more entries without growing.
func (t *entryTable) reserve(n int) {
	if uint64(t.n+n) > (t.mask+1)*3/4 {
		old, oldGen := t.slots, t.gen
		t.alloc(t.n + n)
		for i := range old {
			if !isEmpty(&old[i]) {
				j, _ := t.find(&old[i])
				t.slots[j] = old[i]
				t.gen[j] = oldGen[i]
				t.n++
			}
		}
	}
}

// getOrPut returns the entry with e's key if there is one; otherwise it
// adds e with generation g, in one probe.
func (t *entryTable) getOrPut(e *[16]byte, g uint8) (*[16]byte, bool) {
	if uint64(t.n+1) > (t.mask+1)*3/4 {
		t.grow()
	}
	i, ok := t.find(e)
	if ok {
		return &t.slots[i], true
	}
	t.slots[i] = *e
	t.gen[i] = g
	t.n++
	return nil, false
}

// put adds e (replacing an entry with its key), tagged with generation g.
func (t *entryTable) put(e [16]byte, g uint8) {
	if uint64(t.n+1) > (t.mask+1)*3/4 {
		t.grow()
	}
	i, ok := t.find(&e)
	t.slots[i] = e
	t.gen[i] = g
	if !ok {
		t.n++
	}
}

func (t *entryTable) grow() { t.reserve(t.n + 1) }

// has reports whether the table has an entry with key's key.
func (t *entryTable) has(key *[16]byte) bool {
	_, ok := t.find(key)
	return ok
}

// bloom is a blocked Bloom filter of 16-byte keys, about 8 bits per key:
// a key it does not have is surely not among them; a few in a hundred
// others pass it by chance. Both of a key's bits are in one 64-bit word,
// so adding or testing a key costs one cache miss, not two. Keys begin
// with a keyed pseudonym (uniformly random), so its bytes serve as the
// hashes.
type bloom struct {
	words []uint64
	mask  uint64
}

// newBloom returns a filter sized for about n keys.
func newBloom(n int64) bloom {
	size := uint64(64)
	for size*8 < uint64(n) {
		size <<= 1
	}
	return bloom{words: make([]uint64, size), mask: size - 1}
}

func (f bloom) pos(e *[16]byte) (uint64, uint64) {
	return binary.LittleEndian.Uint64(e[0:8]) & f.mask, 1<<(e[8]&63) | 1<<(e[9]&63)
}

func (f bloom) add(e *[16]byte) {
	w, b := f.pos(e)
	f.words[w] |= b
}

func (f bloom) mayHave(e *[16]byte) bool {
	w, b := f.pos(e)
	return f.words[w]&b == b
}
