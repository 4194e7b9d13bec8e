package aggregator

import (
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
)

// entryTable is a compact open-addressing hash set of 16-byte entries, the
// aggregator's memory of seen transactions and accepted receipts across
// runs (tens of millions of entries). Compared with a Go map it takes half
// the memory (17 bytes a slot at most 3/4 full) and remembers which
// entries this run added, so the run can store just those, and a refused
// file's entries can be taken out again.
//
// An entry's first keyLen bytes are its key; the rest is its value. Keys
// are keyed pseudonyms (HMAC output), so they are uniformly random; the
// all-zero entry marks an empty slot (a zero pseudonym has probability
// 2^-96).
type entryTable struct {
	slots  [][16]byte
	gen    []uint8 // 0: loaded from the store; g > 0: added by this run's file g
	mask   uint64
	n      int
	keyLen int
	// seed makes each table's slot order its own. Entries are stored in
	// slot order (eachNewChunk); loaded into a table hashing the same way,
	// they would arrive sorted by home slot and pile up in ever longer
	// probe runs (a run stalled for minutes loading 9M receipts).
	seed uint64
}

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

// remove deletes key's entry, shifting later entries of its probe run back
// so lookups still find them (no tombstones).
func (t *entryTable) remove(key *[16]byte) {
	i, ok := t.find(key)
	if !ok {
		return
	}
	t.n--
	for {
		t.slots[i] = [16]byte{}
		t.gen[i] = 0
		j := i
		for {
			j = (j + 1) & t.mask
			if isEmpty(&t.slots[j]) {
				return
			}
			home := t.hash(&t.slots[j]) & t.mask
			// Move slots[j] into the hole at i unless its home lies
			// cyclically in (i, j].
			if (j > i && (home <= i || home > j)) || (j < i && (home <= i && home > j)) {
				t.slots[i], t.gen[i] = t.slots[j], t.gen[j]
				i = j
				break
			}
		}
	}
}

// dropGeneration removes every entry added with generation g.
func (t *entryTable) dropGeneration(g uint8) {
	var keys [][16]byte
	t.eachOf(g, func(e *[16]byte) { keys = append(keys, *e) })
	for i := range keys {
		t.remove(&keys[i])
	}
}

// eachNewChunk calls fn with the entries added by this run (generation >
// 0), packed in chunks of at most max bytes, so storing them needs no copy
// of the whole table's additions.
func (t *entryTable) eachNewChunk(max int, fn func([]byte) error) error {
	buf := make([]byte, 0, max/16*16)
	for i := range t.slots {
		if t.gen[i] == genStored {
			continue
		}
		buf = append(buf, t.slots[i][:]...)
		if len(buf) == cap(buf) {
			if err := fn(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	if len(buf) > 0 {
		return fn(buf)
	}
	return nil
}

// keyFilter is a one-hash bitmap of some of a table's keys, 8 bits per
// key: a key it does not have is surely not among them; about one in
// eight others passes it by chance.
type keyFilter struct {
	bits []uint64
	mask uint64
}

// eachOf calls fn with every entry of generation g.
func (t *entryTable) eachOf(g uint8, fn func(e *[16]byte)) {
	for i := range t.slots {
		if t.gen[i] == g && !isEmpty(&t.slots[i]) {
			fn(&t.slots[i])
		}
	}
}

// filter returns a filter of the keys added with generation g, sized for
// all the table's entries (an upper bound of g's).
func (t *entryTable) filter(g uint8) keyFilter {
	size := uint64(64)
	for size < uint64(t.n)*8 {
		size <<= 1
	}
	f := keyFilter{bits: make([]uint64, size/64), mask: size - 1}
	t.eachOf(g, func(e *[16]byte) {
		h := f.pos(e)
		f.bits[h/64] |= 1 << (h % 64)
	})
	return f
}

// pos is the key's bit: keys begin with a keyed pseudonym (uniformly
// random), so its first bytes serve as a hash.
func (f keyFilter) pos(e *[16]byte) uint64 {
	return binary.LittleEndian.Uint64(e[0:8]) & f.mask
}

func (f keyFilter) mayHave(e *[16]byte) bool {
	h := f.pos(e)
	return f.bits[h/64]&(1<<(h%64)) != 0
}
